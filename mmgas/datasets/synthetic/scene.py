"""Procedural thermal scenes: apparent-temperature maps of industrial sites.

A scene is sampled as a JSON-friendly *spec* (a list of primitives with
their geometry and temperatures) and rendered to an apparent-temperature map
in Kelvin. The values follow the physics notes (``docs/synthetic_data.md``):

* clear sky is cold in the infrared (its apparent temperature is well below
  the air's, warmest near the horizon, clouds warmer), so gas at air
  temperature looks *bright* against it;
* sunlit ground is a few Kelvin above the air, shaded ground near it;
* process equipment spans hot lines (+5 ... +60 K, hottest at bare flanges
  and valves of insulated lines), ambient steel and cold lines (Joule-Thomson
  cooled or refrigerated, -20 ... -3 K);
* metal reflects the cold sky on upward-facing surfaces (cylinder shading).

Leak sources are the places fugitive emissions come from (flange rims, valve
stem packings, tank vents, pipe bodies, wellheads), each with its outward
direction; stack tops and engine boxes are sources of the distractors
(steam, hot exhaust) that are not gas.
"""
import cv2
import numpy as np

from .noise import FractalNoise

#: Region codes of :func:`render_scene`'s ``region`` map.
SKY, GROUND, FAR, STRUCTURE = 0, 1, 2, 3

LAYOUTS = ('pipe_rack', 'tank', 'stack', 'equipment', 'open')


def _f(x, nd=3):
    """Round to a JSON-friendly python float."""
    return round(float(x), nd)


# ---------------------------------------------------------------------------
# Rendering of primitives
# ---------------------------------------------------------------------------


def _clip_box(x0, y0, x1, y1, w, h):
    return (max(int(round(x0)), 0), max(int(round(y0)), 0),
            min(int(round(x1)), w), min(int(round(y1)), h))


def _render_sky(temp, region, p):
    h, w = temp.shape
    hy = int(round(min(p['horizon'], h)))
    if hy <= 0:
        return
    # Apparent sky temperature rises towards the horizon, where the path
    # through the warm lower atmosphere is longest.
    y = (np.arange(hy, dtype=np.float32) + 0.5) / max(hy, 1)
    prof = p['t_zenith'] + (p['t_horizon'] - p['t_zenith']) * y**p['gamma']
    sky = np.repeat(prof[:, None], w, axis=1).astype(np.float32)
    if p['cloud_cover'] > 0:
        rng = np.random.default_rng(p['seed'])
        n = FractalNoise(rng, (hy, w), p['cloud_cell'], octaves=2,
                         persistence=0.5).sample()
        # cover in [0, 1] becomes a threshold on the unit-variance field
        cover = np.clip((n + 2.0 * p['cloud_cover'] - 1.0) / 0.6, 0, 1)
        sky += cover * (p['t_cloud'] - sky)
    temp[:hy] = sky
    region[:hy] = SKY


def _render_ground(temp, region, p):
    h, w = temp.shape
    hy = int(round(max(p['horizon'], 0)))
    if hy >= h:
        return
    rows = h - hy
    # Perspective: far ground (near the horizon) tends to the air temperature.
    y = (np.arange(rows, dtype=np.float32) + 0.5) / rows
    prof = p['t_far'] + (p['t_near'] - p['t_far']) * y**0.7
    ground = np.repeat(prof[:, None], w, axis=1).astype(np.float32)
    rng = np.random.default_rng(p['seed'])
    n = FractalNoise(rng, (rows, w), p['texture_cell'], octaves=5,
                     persistence=0.65).sample()
    ground += p['texture_k'] * n * (0.3 + 0.7 * y[:, None])
    temp[hy:] = ground
    region[hy:] = GROUND


def _render_far(temp, region, p):
    """Distant tree line / buildings standing on the horizon."""
    h, w = temp.shape
    hy = int(round(p['horizon']))
    if hy <= 0 or hy > h:
        return
    for x0, x1, top, t in p['blocks']:
        xa, ya, xb, yb = _clip_box(x0, top, x1, hy, w, h)
        if xb > xa and yb > ya:
            temp[ya:yb, xa:xb] = t
            region[ya:yb, xa:xb] = FAR


def _cylinder(n, shade, limb):
    """Temperature offset across a cylinder; n in [-1, 1] top/left to
    bottom/right. Upward faces reflect the cold sky (shade > 0 makes the
    lower side warmer); grazing angles change emissivity (limb)."""
    return shade * n - limb * n * n


def _render_pipe(temp, region, p):
    h, w = temp.shape
    r = p['d'] / 2.0
    if p['orient'] == 'h':
        xa, ya, xb, yb = _clip_box(p['a0'], p['c'] - r, p['a1'], p['c'] + r,
                                   w, h)
        if xb <= xa or yb <= ya:
            return
        n = ((np.arange(ya, yb) + 0.5 - p['c']) / r).astype(np.float32)
        prof = p['t'] + _cylinder(n, p['shade'], p['limb'])
        block = np.repeat(prof[:, None], xb - xa, axis=1)
        along = np.arange(xa, xb)
    else:
        xa, ya, xb, yb = _clip_box(p['c'] - r, p['a0'], p['c'] + r, p['a1'],
                                   w, h)
        if xb <= xa or yb <= ya:
            return
        n = ((np.arange(xa, xb) + 0.5 - p['c']) / r).astype(np.float32)
        prof = p['t'] + _cylinder(n, p['shade'], p['limb'])
        block = np.repeat(prof[None, :], yb - ya, axis=0)
        along = np.arange(ya, yb)
    if p['seam'] > 0:
        # Cladding seams leak heat (insulated lines) every `seam` pixels.
        hit = (np.mod(along - p['a0'], p['seam']) < 1.5).astype(np.float32)
        if p['orient'] == 'h':
            block = block + p['seam_dt'] * hit[None, :]
        else:
            block = block + p['seam_dt'] * hit[:, None]
    temp[ya:yb, xa:xb] = block
    region[ya:yb, xa:xb] = STRUCTURE


def _render_box(temp, region, p):
    """Rectangular body (flange, valve body, pump, cabinet, wall) with
    optional fins/stripes and a linear gradient."""
    h, w = temp.shape
    xa, ya, xb, yb = _clip_box(p['x0'], p['y0'], p['x1'], p['y1'], w, h)
    if xb <= xa or yb <= ya:
        return
    xs = (np.arange(xa, xb) + 0.5 - (p['x0'] + p['x1']) / 2) / max(
        (p['x1'] - p['x0']) / 2, 0.5)
    ys = (np.arange(ya, yb) + 0.5 - (p['y0'] + p['y1']) / 2) / max(
        (p['y1'] - p['y0']) / 2, 0.5)
    block = (p['t'] + p.get('gx', 0.0) * xs[None, :] +
             p.get('gy', 0.0) * ys[:, None]).astype(np.float32)
    if p.get('fin', 0) > 0:
        fins = (np.mod(np.arange(xa, xb), p['fin']) < p['fin'] / 2)
        block = block + p['fin_dt'] * fins[None, :].astype(np.float32)
    temp[ya:yb, xa:xb] = block
    region[ya:yb, xa:xb] = STRUCTURE


def _render_windows(temp, region, p):
    """Glazing reflects the sky: a grid of cold panes on a wall."""
    h, w = temp.shape
    for x0, y0, x1, y1 in p['panes']:
        xa, ya, xb, yb = _clip_box(x0, y0, x1, y1, w, h)
        if xb > xa and yb > ya:
            ys = np.linspace(0, 1, yb - ya, dtype=np.float32)[:, None]
            temp[ya:yb, xa:xb] = p['t'] + p['gy'] * ys
            region[ya:yb, xa:xb] = STRUCTURE


def _render_tank(temp, region, p):
    h, w = temp.shape
    x0, x1, top, bottom = p['x0'], p['x1'], p['top'], p['bottom']
    xa, ya, xb, yb = _clip_box(x0, top, x1, bottom, w, h)
    cx, hw = (x0 + x1) / 2.0, (x1 - x0) / 2.0
    if xb > xa and yb > ya:
        n = ((np.arange(xa, xb) + 0.5 - cx) / hw).astype(np.float32)
        prof = p['t'] + p['side'] * n - p['limb'] * n * n
        block = np.repeat(prof[None, :], yb - ya, axis=0)
        # Liquid below the level line exchanges heat with the wall.
        rows = np.arange(ya, yb)
        level_y = bottom - p['level'] * (bottom - top)
        block = block + p['liquid_dt'] * (rows >= level_y)[:, None]
        seams = np.mod(rows - top, p['seam']) < 1.0
        block = block + p['seam_dt'] * seams[:, None]
        temp[ya:yb, xa:xb] = block
        region[ya:yb, xa:xb] = STRUCTURE
    # Roof: a flat cone drawn as a filled triangle/trapezoid.
    roof = np.array([[x0, top], [cx - hw * 0.15, top - p['roof']],
                     [cx + hw * 0.15, top - p['roof']], [x1, top]], np.int32)
    mask = np.zeros((h, w), np.uint8)
    cv2.fillPoly(mask, [roof], 1)
    sel = mask.astype(bool)
    temp[sel] = p['t_roof']
    region[sel] = STRUCTURE


def _render_line(temp, region, p):
    """A steel member or ladder: a straight thick line."""
    h, w = temp.shape
    mask = np.zeros((h, w), np.uint8)
    cv2.line(mask, (int(round(p['x0'])), int(round(p['y0']))),
             (int(round(p['x1'])), int(round(p['y1']))), 1,
             max(int(round(p['thick'])), 1))
    sel = mask.astype(bool)
    temp[sel] = p['t']
    region[sel] = STRUCTURE


def _render_ellipse(temp, region, p):
    """Handwheels (outline), glints, heads, shadows (filled)."""
    h, w = temp.shape
    mask = np.zeros((h, w), np.uint8)
    cv2.ellipse(mask, (int(round(p['cx'])), int(round(p['cy']))),
                (max(int(round(p['ax'])), 1), max(int(round(p['ay'])), 1)),
                0, 0, 360, 1, int(p.get('thick', -1)))
    sel = mask.astype(bool)
    if p.get('relative', False):
        temp[sel] += p['t']  # shadows: offset, keep the texture
    else:
        temp[sel] = p['t']
        region[sel] = STRUCTURE


_RENDERERS = dict(
    sky=_render_sky,
    ground=_render_ground,
    far=_render_far,
    pipe=_render_pipe,
    box=_render_box,
    windows=_render_windows,
    tank=_render_tank,
    line=_render_line,
    ellipse=_render_ellipse)


def render_scene(spec, width, height):
    """Render a scene spec to maps.

    Args:
        spec (dict): From :func:`sample_scene` (or hand-written for tests):
            ``t_air`` and ``primitives``, a list of dicts with ``type`` in
            ``sky, ground, far, pipe, box, windows, tank, line, ellipse``,
            drawn in order (painter's algorithm).
        width (int): Image width W.
        height (int): Image height H.

    Returns:
        dict: ``temperature`` (H, W) float32 apparent temperature in Kelvin,
        ``region`` (H, W) uint8 (``SKY``, ``GROUND``, ``FAR``,
        ``STRUCTURE``).
    """
    temp = np.full((height, width), spec['t_air'], np.float32)
    region = np.full((height, width), GROUND, np.uint8)
    for prim in spec['primitives']:
        _RENDERERS[prim['type']](temp, region, prim)
    tex = spec.get('structure_texture')
    if tex:
        temp += _surface_texture(tex, (height, width)) * (region == STRUCTURE)
    return dict(temperature=temp, region=region)


def _surface_texture(tex, shape):
    """Emissivity and reflection variations across real surfaces (K): no
    painted surface is a flat fill in the infrared.

    ``kind='fractal'`` (generators up to 1.2): multi-octave fractal noise,
    the same kind of field as a plume's turbulence. ``kind='stains'``
    (1.3): what weathered metal shows, patches of other emissivity (worn
    paint, rust, dirt, labels) with sharp edges, over a faint fine grain;
    drawn from the texture's own seed, so the rest of the scene is the
    same for either kind.
    """
    rng = np.random.default_rng(tex['seed'])
    k = np.float32(tex['k'])
    if tex.get('kind', 'fractal') == 'fractal':
        return k * FractalNoise(rng, shape, tex['cell'], octaves=4,
                                persistence=0.6).sample()
    field = FractalNoise(rng, shape, 3.0 * tex['cell'], octaves=2,
                         persistence=0.5).sample()
    cover = rng.uniform(0.1, 0.4)
    patches = (field > np.quantile(field, 1.0 - cover)).astype(np.float32)
    patches = cv2.GaussianBlur(patches, (0, 0), 0.6)
    amplitude = np.float32(rng.uniform(1.5, 3.0) * rng.choice((-1.0, 1.0)))
    grain = FractalNoise(rng, shape, max(tex['cell'] / 4.0, 2.0), octaves=2,
                         persistence=0.5).sample()
    return k * (amplitude * (patches - np.float32(cover)) +
                np.float32(0.3) * grain)


# ---------------------------------------------------------------------------
# Sampling
# ---------------------------------------------------------------------------


class _SceneBuilder:
    """Accumulates primitives, leak sources and distractor anchors."""

    def __init__(self, rng, width, height, cfg):
        self.rng = rng
        self.w, self.h = width, height
        self.s = height / 240.0  # sizes below are tuned for 320x240
        self.cfg = cfg
        self.prims = []
        self.sources = []  # gas leak points
        self.anchors = []  # steam / exhaust points (distractors)
        self.t_air = float(rng.uniform(*cfg['t_air']))
        self.horizon = -1.0
        self.sky = None

    def u(self, lo, hi):
        # Layout arithmetic can invert a range on small or crowded images.
        return float(self.rng.uniform(min(lo, hi), max(lo, hi)))

    def seed(self):
        return int(self.rng.integers(2**31 - 1))

    # -- background -------------------------------------------------------
    def background(self, horizon_frac):
        rng, cfg, h = self.rng, self.cfg, self.h
        self.horizon = horizon_frac * h
        overcast = rng.random() < cfg['overcast_prob']
        deficit = self.u(*cfg['sky_deficit'])
        if overcast:
            deficit = self.u(1.5, 5.0)
        t_hor = self.t_air - deficit * self.u(0.15, 0.4)
        self.sky = dict(
            type='sky',
            horizon=_f(self.horizon, 1),
            t_zenith=_f(self.t_air - deficit),
            t_horizon=_f(t_hor),
            gamma=_f(self.u(0.6, 2.0)),
            # broken cloud in a minority of clear skies; large, smooth
            # shapes (two octaves): distant clouds have no fine structure
            # at OGI ranges, unlike a gas plume a few metres away
            cloud_cover=_f(1.0 if overcast else
                           max(0.0, self.u(-1.2, 0.8))),
            cloud_cell=_f(self.u(80, 200) * self.s, 1),
            t_cloud=_f(self.t_air - self.u(1.0, 4.0)),
            seed=self.seed())
        sun = self.u(*cfg['ground_offset'])
        ground = dict(
            type='ground',
            horizon=_f(self.horizon, 1),
            t_near=_f(self.t_air + sun),
            t_far=_f(self.t_air + 0.3 * sun),
            # surface grain (gravel, grass, concrete joints): fine cells
            # and a fraction of a kelvin, so it does not mimic the
            # metre-scale turbulent structure of a plume
            texture_k=_f(self.u(0.05, 0.3) * (0.4 + 0.15 * abs(sun))),
            texture_cell=_f(self.u(3, 12) * self.s, 1),
            seed=self.seed())
        self.sun = sun
        self.prims += [self.sky, ground]
        if 0 < self.horizon < h and rng.random() < 0.7:
            self.far_line()

    def far_line(self):
        blocks, x = [], -5.0
        t0 = self.t_air + self.u(-2.0, 2.0)
        while x < self.w:
            bw = self.u(8, 60) * self.s
            top = self.horizon - self.u(2, 22) * self.s
            blocks.append(
                [_f(x, 1),
                 _f(x + bw, 1),
                 _f(top, 1),
                 _f(t0 + self.u(-0.8, 0.8))])
            x += bw
        self.prims.append(
            dict(type='far', horizon=_f(self.horizon, 1), blocks=blocks))

    def wall(self, x0, y0, x1, y1):
        t = self.t_air + self.u(-1.0, 2.0) + 0.5 * max(self.sun, 0)
        self.prims.append(
            dict(type='box', x0=_f(x0), y0=_f(y0), x1=_f(x1), y1=_f(y1),
                 t=_f(t), gx=_f(self.u(-1, 1)), gy=_f(self.u(-1, 1)),
                 fin=_f(self.u(4, 9) * self.s) if self.rng.random() < 0.5
                 else 0, fin_dt=_f(self.u(-0.5, 0.5))))
        if self.rng.random() < 0.3:
            panes = []
            pw, ph = self.u(12, 30) * self.s, self.u(10, 24) * self.s
            gapx, gapy = self.u(8, 30) * self.s, self.u(10, 30) * self.s
            yy = y0 + gapy
            while yy + ph < y1:
                xx = x0 + gapx
                while xx + pw < x1:
                    panes.append([_f(xx), _f(yy), _f(xx + pw), _f(yy + ph)])
                    xx += pw + gapx
                yy += ph + gapy
            self.prims.append(
                dict(type='windows', panes=panes,
                     t=_f(self.t_air - self.u(2.0, 9.0)),
                     gy=_f(self.u(0, 2))))

    # -- process temperatures ---------------------------------------------
    def process_temperature(self):
        """(surface T, bare-metal T) of a line or vessel."""
        kind = self.rng.choice(['hot', 'warm', 'ambient', 'cold'],
                               p=self.cfg['line_probs'])
        if kind == 'hot':
            t_proc = self.t_air + self.u(10, 30)
        elif kind == 'warm':
            t_proc = self.t_air + self.u(3, 15)
        elif kind == 'cold':
            t_proc = self.t_air - self.u(3, 20)
        else:
            t_proc = self.t_air + self.u(-2, 2)
        insulated = kind != 'ambient' and self.rng.random() < 0.55
        # Insulated lines show a surface close to the air; bare flanges and
        # valves on them show the process temperature.
        k = self.u(0.08, 0.3) if insulated else self.u(0.75, 0.98)
        surf = self.t_air + k * (t_proc - self.t_air) + 0.3 * self.sun
        bare = self.t_air + self.u(0.75, 0.98) * (t_proc - self.t_air)
        return surf, bare, insulated

    # -- equipment ---------------------------------------------------------
    def pipe(self, orient, c, a0, a1, d, fittings=True):
        surf, bare, insulated = self.process_temperature()
        p = dict(type='pipe', orient=orient, c=_f(c), a0=_f(a0), a1=_f(a1),
                 d=_f(d), t=_f(surf),
                 shade=_f(self.u(0.2, 2.5) *
                          (1 if orient == 'h' else self.rng.choice([-1, 1]))),
                 limb=_f(self.u(-0.5, 1.5)),
                 seam=_f(self.u(15, 45) * self.s) if insulated else 0,
                 seam_dt=_f(0.15 * (bare - surf)))
        self.prims.append(p)
        length = abs(a1 - a0)
        # Points on the pipe body (cracks, corrosion): outward normal.
        for _ in range(int(self.rng.integers(0, 2))):
            a = self.u(min(a0, a1), max(a0, a1))
            side = self.rng.choice([-1, 1])
            if orient == 'h':
                self.source(a, c + side * d / 2, np.pi / 2 * side, 'pipe')
            else:
                self.source(c + side * d / 2, a, np.pi * (side < 0), 'pipe')
        if not fittings:
            return p
        n_fit = int(self.rng.integers(0, 3)) + int(length > 150 * self.s)
        for _ in range(n_fit):
            a = self.u(min(a0, a1) + 5, max(a0, a1) - 5)
            if self.rng.random() < 0.65:
                self.flange(orient, c, a, d, bare)
            else:
                self.valve(orient, c, a, d, bare)
        return p

    def flange(self, orient, c, a, d, t):
        r = d / 2 * self.u(1.3, 1.8) + 1.0
        half = max(d * self.u(0.15, 0.3), 1.0)
        if orient == 'h':
            box = (a - half, c - r, a + half, c + r)
        else:
            box = (c - r, a - half, c + r, a + half)
        self.prims.append(
            dict(type='box', x0=_f(box[0]), y0=_f(box[1]), x1=_f(box[2]),
                 y1=_f(box[3]), t=_f(t), gx=0.0, gy=0.0))
        # The gasket leaks all around the rim.
        for side in (-1, 1):
            if orient == 'h':
                self.source(a, c + side * r, np.pi / 2 * side, 'flange')
            else:
                self.source(c + side * r, a, np.pi * (side < 0), 'flange')

    def valve(self, orient, c, a, d, t):
        bl, bh = d * self.u(1.2, 2.0), d * self.u(1.4, 1.9)
        if orient == 'h':
            x0, y0 = a - bl / 2, c - bh / 2
            self.prims.append(
                dict(type='box', x0=_f(x0), y0=_f(y0), x1=_f(x0 + bl),
                     y1=_f(y0 + bh), t=_f(t), gx=0.0,
                     gy=_f(self.u(-1, 1))))
            stem = d * self.u(0.8, 2.0)
            top = y0 - stem
            self.line(a, y0, a, top, max(d * 0.25, 1.5), t)
            wheel = d * self.u(0.8, 1.4)
            self.prims.append(
                dict(type='ellipse', cx=_f(a), cy=_f(top), ax=_f(wheel),
                     ay=_f(wheel * self.u(0.2, 0.5)),
                     thick=max(int(round(1.5 * self.s)), 1),
                     t=_f(self.t_air + 0.4 * (t - self.t_air))))
            # Stem packing: the classic fugitive-emission point.
            self.source(a, y0 - 1, -np.pi / 2, 'valve')
        else:
            x0, y0 = c - bh / 2, a - bl / 2
            self.prims.append(
                dict(type='box', x0=_f(x0), y0=_f(y0), x1=_f(x0 + bh),
                     y1=_f(y0 + bl), t=_f(t), gx=_f(self.u(-1, 1)), gy=0.0))
            side = self.rng.choice([-1, 1])
            stem = d * self.u(0.8, 2.0)
            xe = c + side * (bh / 2 + stem)
            self.line(c + side * bh / 2, a, xe, a, max(d * 0.25, 1.5), t)
            self.source(c + side * bh / 2, a, np.pi * (side < 0), 'valve')

    def line(self, x0, y0, x1, y1, thick, t):
        self.prims.append(
            dict(type='line', x0=_f(x0), y0=_f(y0), x1=_f(x1), y1=_f(y1),
                 thick=_f(thick), t=_f(t)))

    def steel(self, x0, y0, x1, y1, thick):
        self.line(x0, y0, x1, y1, thick,
                  self.t_air + self.u(-1.5, 1.5) + 0.3 * self.sun)

    def tank(self, x0, x1, top, bottom):
        t = self.t_air + self.u(-3.0, 8.0) + 0.3 * self.sun
        roof = (x1 - x0) * self.u(0.04, 0.15)
        self.prims.append(
            dict(type='tank', x0=_f(x0), x1=_f(x1), top=_f(top),
                 bottom=_f(bottom), t=_f(t), side=_f(self.u(-3, 3)),
                 limb=_f(self.u(0, 1.5)), level=_f(self.u(0.1, 0.9)),
                 liquid_dt=_f(self.u(-4, 4)),
                 seam=_f(self.u(12, 30) * self.s), seam_dt=_f(self.u(-0.4,
                                                                     0.4)),
                 roof=_f(roof), t_roof=_f(t - self.u(0.5, 4.0))))
        if self.rng.random() < 0.6:
            xa = x0 + self.u(0.1, 0.4) * (x1 - x0)
            self.steel(xa, bottom, xa + (x1 - x0) * self.u(0.2, 0.5), top,
                       self.u(1.5, 3.0) * self.s)
        for _ in range(int(self.rng.integers(1, 3))):
            cx = self.u(x0 + 0.2 * (x1 - x0), x1 - 0.2 * (x1 - x0))
            roof_y = top - roof * (1 - min(abs(cx - (x0 + x1) / 2) /
                                           ((x1 - x0) / 2), 1)) * 0.9
            vw, vh = self.u(3, 7) * self.s, self.u(4, 12) * self.s
            self.prims.append(
                dict(type='box', x0=_f(cx - vw / 2), y0=_f(roof_y - vh),
                     x1=_f(cx + vw / 2), y1=_f(roof_y + 1), t=_f(t),
                     gx=0.0, gy=0.0))
            self.source(cx, roof_y - vh, -np.pi / 2, 'vent')

    def stack(self, x, wid, top, bottom):
        t = self.t_air + self.u(2, 20)
        self.prims.append(
            dict(type='box', x0=_f(x - wid / 2), y0=_f(top),
                 x1=_f(x + wid / 2), y1=_f(bottom), t=_f(t),
                 gx=_f(self.u(-2, 2)), gy=_f(-self.u(0, 3))))
        self.prims.append(
            dict(type='box', x0=_f(x - wid / 2 - 1), y0=_f(top),
                 x1=_f(x + wid / 2 + 1), y1=_f(top + max(2, wid * 0.2)),
                 t=_f(t + self.u(-2, 4)), gx=0.0, gy=0.0))
        self.anchors.append(
            dict(x=_f(x), y=_f(top), width=_f(wid), kind='stack'))

    def machine(self, x0, y0, x1, y1):
        """Pump, motor or compressor: hot, finned; may exhaust."""
        t = self.t_air + self.u(4, 30)
        self.prims.append(
            dict(type='box', x0=_f(x0), y0=_f(y0), x1=_f(x1), y1=_f(y1),
                 t=_f(t), gx=_f(self.u(-3, 3)), gy=_f(self.u(-3, 3)),
                 fin=_f(self.u(3, 7) * self.s) if self.rng.random() < 0.6
                 else 0, fin_dt=_f(self.u(-3, 3))))
        # Shaft seals leak on the sides of pumps and compressors.
        side = self.rng.choice([-1, 1])
        xs = x1 if side > 0 else x0
        self.source(xs, self.u(y0, y1), np.pi * (side < 0), 'seal')
        self.anchors.append(
            dict(x=_f(self.u(x0, x1)), y=_f(y0), width=_f((x1 - x0) * 0.2),
                 kind='exhaust'))

    def source(self, x, y, direction, kind):
        if 0 <= x < self.w and 0 <= y < self.h:
            self.sources.append(
                dict(x=_f(x, 1), y=_f(y, 1), dir=_f(direction), kind=kind))

    def decor(self):
        """Glints (sun on metal) and people: warm/hot non-gas details."""
        rng = self.rng
        if rng.random() < self.cfg['glint_prob'] and self.sun > 2:
            for _ in range(int(rng.integers(1, 4))):
                r = self.u(0.8, 2.5) * self.s
                self.prims.append(
                    dict(type='ellipse', cx=_f(self.u(0, self.w)),
                         cy=_f(self.u(max(self.horizon, 0), self.h)),
                         ax=_f(r * self.u(1, 3)), ay=_f(r),
                         t=_f(self.t_air + self.u(15, 60))))
        if rng.random() < self.cfg['person_prob']:
            base = self.u(max(self.horizon, 0) + 30 * self.s, self.h + 10)
            hgt = self.u(40, 90) * self.s * (0.5 + base / self.h)
            cx = self.u(0, self.w)
            body = self.t_air + self.u(2, 8)
            self.prims.append(
                dict(type='box', x0=_f(cx - hgt * 0.14),
                     y0=_f(base - hgt * 0.82),
                     x1=_f(cx + hgt * 0.14), y1=_f(base), t=_f(body),
                     gx=0.0, gy=_f(self.u(-1, 1))))
            self.prims.append(
                dict(type='ellipse', cx=_f(cx), cy=_f(base - hgt * 0.9),
                     ax=_f(hgt * 0.07), ay=_f(hgt * 0.09),
                     t=_f(306.0 + self.u(-2, 1))))


def _layout_pipe_rack(b):
    w, h, s = b.w, b.h, b.s
    hf = b.u(0.05, 0.45) if b.rng.random() < 0.7 else -0.1
    b.background(hf)
    if b.rng.random() < 0.3:
        b.wall(-5, max(b.horizon, 0) - b.u(0, 40) * s, w + 5, h + 5)
    top = b.u(0.15, 0.55) * h
    n = int(b.rng.integers(2, 7))
    y = top
    cols = sorted(b.u(0, w) for _ in range(int(b.rng.integers(1, 4))))
    for x in cols:
        b.steel(x, top - 10 * s, x, h + 5, b.u(3, 7) * s)
    for _ in range(n):
        d = b.u(5, 20) * s
        y += d / 2
        a0 = -5 if b.rng.random() < 0.7 else b.u(0, w * 0.4)
        a1 = w + 5 if b.rng.random() < 0.7 else b.u(w * 0.6, w)
        b.pipe('h', y, a0, a1, d)
        y += d / 2 + b.u(2, 12) * s
    for _ in range(int(b.rng.integers(0, 4))):
        d = b.u(5, 16) * s
        b.pipe('v', b.u(0, w), b.u(top, y), h + 5, d)
    if b.rng.random() < 0.4:
        b.steel(-5, top - 8 * s, w + 5, top - 8 * s, b.u(3, 6) * s)


def _layout_tank(b):
    w, h, s = b.w, b.h, b.s
    b.background(b.u(0.4, 0.75))
    for _ in range(int(b.rng.integers(1, 3))):
        tw = b.u(0.35, 0.9) * w
        x0 = b.u(-0.2 * w, w - 0.5 * tw)
        top = b.u(0.1, 0.5) * h
        b.tank(x0, x0 + tw, top, b.u(max(b.horizon, top + 20), h * 1.1))
    for _ in range(int(b.rng.integers(1, 4))):
        b.pipe('h', b.u(b.horizon, h), -5 if b.rng.random() < 0.5 else
               b.u(0, w / 2), w + 5, b.u(4, 14) * s)
    for _ in range(int(b.rng.integers(0, 3))):
        b.pipe('v', b.u(0, w), b.u(0.1 * h, b.horizon), h + 5,
               b.u(4, 12) * s)


def _layout_stack(b):
    w, h, s = b.w, b.h, b.s
    b.background(b.u(0.6, 0.95))
    for _ in range(int(b.rng.integers(1, 4))):
        b.stack(b.u(0.05, 0.95) * w, b.u(6, 24) * s, b.u(0.02, 0.4) * h,
                h + 5)
    xs = [b.u(0, w) for _ in range(int(b.rng.integers(2, 5)))]
    top = b.u(0.2, 0.6) * h
    for x in xs:
        b.steel(x, top, x, h + 5, b.u(2, 5) * s)
    if len(xs) > 1:
        b.steel(min(xs), top, max(xs), top, b.u(2, 5) * s)
        b.steel(min(xs), top, max(xs), h, b.u(1.5, 3) * s)
    for _ in range(int(b.rng.integers(1, 4))):
        b.pipe('v', b.u(0, w), b.u(0.05, 0.5) * h, h + 5, b.u(4, 14) * s)
    for _ in range(int(b.rng.integers(0, 3))):
        b.pipe('h', b.u(top, h), b.u(-5, w / 2), b.u(w / 2, w + 5),
               b.u(4, 14) * s)


def _layout_equipment(b):
    w, h, s = b.w, b.h, b.s
    b.background(b.u(0.05, 0.3) if b.rng.random() < 0.4 else -0.1)
    if b.rng.random() < 0.6:
        b.wall(-5, max(b.horizon, 0) - 5, w + 5, b.u(0.5, 0.9) * h)
    for _ in range(int(b.rng.integers(1, 3))):
        mw, mh = b.u(40, 140) * s, b.u(30, 90) * s
        x0 = b.u(-0.1 * w, w - mw * 0.6)
        y0 = b.u(0.35 * h, h - mh * 0.5)
        b.machine(x0, y0, x0 + mw, y0 + mh)
        d = b.u(6, 18) * s
        b.pipe('h', y0 + mh * b.u(0.2, 0.6), -5 if b.rng.random() < 0.5
               else x0 + mw, x0 if b.rng.random() < 0.5 else w + 5, d)
        b.pipe('v', x0 + mw * b.u(0.2, 0.8), -5, y0, b.u(5, 16) * s)
    for _ in range(int(b.rng.integers(1, 4))):
        if b.rng.random() < 0.5:
            b.pipe('h', b.u(0.05, 0.95) * h, -5, w + 5, b.u(5, 22) * s)
        else:
            b.pipe('v', b.u(0, w), -5, h + 5, b.u(5, 22) * s)


def _layout_open(b):
    w, h, s = b.w, b.h, b.s
    b.background(b.u(0.25, 0.6))
    for _ in range(int(b.rng.integers(1, 4))):
        # Wellhead / riser: short vertical pipe with a valve on top.
        x = b.u(0.05, 0.95) * w
        base = b.u(b.horizon + 20 * s, h * 1.05)
        hgt = b.u(20, 70) * s * (0.4 + base / h)
        d = b.u(4, 10) * s * (0.4 + base / h)
        surf, bare, _ = b.process_temperature()
        b.pipe('v', x, base - hgt, base, d, fittings=False)
        b.valve('h', base - hgt, x, d, bare)
        b.source(x, base - 2, -np.pi / 2, 'ground')
    for _ in range(int(b.rng.integers(0, 3))):
        b.pipe('h', b.u(b.horizon + 10 * s, h), -5, w + 5, b.u(4, 12) * s)
    if b.rng.random() < 0.5:
        b.stack(b.u(0, w), b.u(4, 10) * s, b.u(0.05, 0.3) * h,
                b.horizon + 5)


_LAYOUT_FUNCS = dict(
    pipe_rack=_layout_pipe_rack,
    tank=_layout_tank,
    stack=_layout_stack,
    equipment=_layout_equipment,
    open=_layout_open)


def sample_scene(rng, width, height, cfg):
    """Sample a scene spec.

    Args:
        rng (np.random.Generator): Random source (consumed).
        width (int): Image width W.
        height (int): Image height H.
        cfg (dict): The ``scene`` part of a difficulty preset
            (:mod:`.presets`): air temperature range, sky deficit, ground
            offset, line temperature probabilities, layout probabilities,
            glint/person probabilities.

    Returns:
        dict: ``layout``, ``t_air``, ``horizon`` (pixel row, negative when
        no sky), ``sky_deficit`` (K), ``ground_offset`` (K),
        ``primitives`` (for :func:`render_scene`), ``sources`` (leak points
        ``x, y, dir, kind``) and ``anchors`` (steam/exhaust points).
    """
    layouts = list(cfg['layout_probs'])
    layout = str(rng.choice(layouts, p=[cfg['layout_probs'][k]
                                        for k in layouts]))
    b = _SceneBuilder(rng, width, height, cfg)
    _LAYOUT_FUNCS[layout](b)
    b.decor()
    if rng.random() < 0.5 and b.sun > 2 and b.horizon < height:
        # Cast shadows on sunlit ground (cooler patches).
        for _ in range(int(rng.integers(1, 3))):
            b.prims.insert(
                2,
                dict(type='ellipse', cx=_f(b.u(0, width)),
                     cy=_f(b.u(max(b.horizon, 0), height)),
                     ax=_f(b.u(20, 120) * b.s), ay=_f(b.u(5, 30) * b.s),
                     t=_f(-b.u(0.3, 0.8) * b.sun), relative=True))
    return dict(
        layout=layout,
        t_air=_f(b.t_air),
        horizon=_f(b.horizon, 1),
        sky_deficit=_f(b.t_air - b.sky['t_zenith']),
        ground_offset=_f(b.sun),
        primitives=b.prims,
        structure_texture=dict(k=_f(b.u(0.05, 0.25)),
                               cell=_f(b.u(4, 20) * b.s, 1), seed=b.seed(),
                               kind=cfg.get('surface_texture', 'fractal')),
        sources=b.sources,
        anchors=b.anchors)

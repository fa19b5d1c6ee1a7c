"""What moves in OGI video besides the gas.

In video the gas moves and flickers against a mostly static scene, which is
what temporal methods (background subtraction, frame differencing) use. A
faithful video therefore also needs the things that move and are not gas
(physics notes, "Shapes and motion" and "How real labelled OGI frames
look"): people and vehicles, swaying vegetation and a small camera shake
on hand-held footage. Steam, exhaust, heat shimmer and near-ground
background flicker are simulated in :mod:`.generator`.

* **Camera shake** shifts the whole scene with its gas by a sub-pixel
  random walk (first-order autoregressive per axis): a tripod or mast in
  the wind moves by hundredths to tenths of a pixel, a hand-held camera by
  0.5-2 px (1-3 mrad of hand tremor at the GF320's 1.31 mrad IFOV). The
  sensor (fixed-pattern stripes, vignetting, overlays) does not move.
* **People** walk (0.8-1.6 m/s) and **vehicles** drive (1.5-6 m/s, site
  speeds) across the ground; their pixel speed follows from their size in
  the frame (a 1.7 m person, a 4.5 m car). People are clothing 2-8 K above
  the air with a 306 K head and swinging legs; vehicles are a body near the
  air (sun-warmed), a hot engine bay (+10-30 K) and warm tyres.
* **Vegetation** (bushes on the ground, tree crowns against the sky) is
  near the air temperature (transpiration cools, sun warms leaves) with a
  leafy texture of 0.5-1.5 K, and sways with the wind: the crown moves
  with a period of 1-4 s and an amplitude of 0.5-3 px, the base stays.

Movers and vegetation are part of the scene behind the gas: a plume in
front of a walking person is still gas, seen against the person.
"""
import math

import cv2
import numpy as np

from .noise import FractalNoise

_F = np.float32
# sub-pixel drawing: OpenCV's fixed-point shift
_SHIFT = 4
_SCALE = 1 << _SHIFT


def _r(x, nd=3):
    return round(float(x), nd)


def sample_motion(rng, spec, cfg, fps):
    """Sample the camera shake, movers and vegetation of one video.

    Args:
        rng (np.random.Generator): Random source (consumed).
        spec (dict): The video's frame spec (:func:`.sample_frame_spec`):
            its size, scene (horizon, air temperature) and wind.
        cfg (dict): The preset's ``video`` part: ``handheld_prob``,
            ``shake_px`` (tripod) and ``handheld_shake_px`` (rms, px),
            ``shake_timescale`` (frames), ``person_prob``,
            ``vehicle_prob``, ``vegetation_prob``.
        fps (float): Frame rate.

    Returns:
        dict: ``shake`` (``rms_px``, ``timescale``, ``handheld``, ``seed``),
        ``movers`` (list of people and vehicles) and ``vegetation`` (list
        of swaying patches); None when ``cfg`` has no motion settings.
    """
    if 'shake_px' not in cfg:
        return None
    w, h = spec['size']
    s = h / 240.0
    scene = spec['scene']
    t_air = scene['t_air']
    ground = max(scene['horizon'], 0.0)
    handheld = bool(rng.random() < cfg['handheld_prob'])
    rms = rng.uniform(*cfg['handheld_shake_px' if handheld else 'shake_px'])
    shake = dict(handheld=handheld, rms_px=_r(rms),
                 timescale=_r(rng.uniform(*cfg['shake_timescale'])),
                 seed=int(rng.integers(2**31)))
    movers = []
    if ground < h - 20 * s:
        if rng.random() < cfg['person_prob']:
            for _ in range(int(rng.integers(1, 3))):
                movers.append(_sample_person(rng, w, h, s, ground, t_air,
                                             fps))
        if rng.random() < cfg['vehicle_prob']:
            movers.append(_sample_vehicle(rng, w, h, s, ground, t_air, fps))
    vegetation = []
    if rng.random() < cfg['vegetation_prob']:
        for _ in range(int(rng.integers(1, 4))):
            vegetation.append(_sample_vegetation(rng, w, h, s, ground, t_air,
                                                 spec['wind'], fps))
    return dict(shake=shake, movers=movers, vegetation=vegetation)


def _entry(rng, w, size, speed):
    """Start x and signed speed of something crossing the frame: it may
    start in view or walk in from either side."""
    direction = float(rng.choice((-1.0, 1.0)))
    if rng.random() < 0.5:
        x = rng.uniform(0, w)
    else:
        x = -size if direction > 0 else w + size
    return _r(x, 2), _r(direction * speed, 3)


def _sample_person(rng, w, h, s, ground, t_air, fps):
    base = rng.uniform(ground + 25 * s, h + 10 * s)
    # nearer (lower in the frame) is larger
    height = rng.uniform(35, 80) * s * (0.5 + base / h)
    speed_ms = rng.uniform(0.8, 1.6)
    speed = speed_ms * height / 1.7 / fps
    x, vx = _entry(rng, w, height * 0.3, speed)
    t_body = t_air + rng.uniform(2, 8)  # clothing
    return dict(kind='person', x=x, base=_r(base, 2), height=_r(height, 2),
                vx=vx, speed_ms=_r(speed_ms), t_body=_r(t_body),
                t_head=_r(306.0 + rng.uniform(-2, 1)),
                stride_frames=_r(fps / rng.uniform(1.6, 2.0)),
                phase=_r(rng.uniform(0, 2 * math.pi)))


def _sample_vehicle(rng, w, h, s, ground, t_air, fps):
    base = rng.uniform(ground + 25 * s, h + 5 * s)
    length = rng.uniform(60, 160) * s * (0.5 + base / h)
    speed_ms = rng.uniform(1.5, 6.0)
    speed = speed_ms * length / 4.5 / fps
    x, vx = _entry(rng, w, length, speed)
    return dict(kind='vehicle', x=x, base=_r(base, 2), length=_r(length, 2),
                vx=vx, speed_ms=_r(speed_ms),
                t_body=_r(t_air + rng.uniform(-1, 6)),
                t_engine=_r(t_air + rng.uniform(10, 30)),
                t_tyre=_r(t_air + rng.uniform(4, 10)))


def _sample_vegetation(rng, w, h, s, ground, t_air, wind, fps):
    crown = ground > 30 * s and rng.random() < 0.5
    width = rng.uniform(25, 80) * s
    height = width * rng.uniform(0.6, 1.4)
    cx = rng.uniform(0, w)
    if crown:  # a tree crown against the sky, its trunk below
        bottom = rng.uniform(ground - 5 * s, ground + 30 * s)
    else:  # a bush on the ground
        bottom = rng.uniform(min(ground + height * 0.5, h), h + 10 * s)
    wind_scale = min(1.0, 0.3 + wind['speed_ms'] / 5.0)
    return dict(
        kind='tree' if crown else 'bush',
        x0=_r(cx - width / 2, 2), x1=_r(cx + width / 2, 2),
        y0=_r(bottom - height, 2), y1=_r(bottom, 2),
        t_leaf=_r(t_air + rng.uniform(-2.0, 2.0)),
        texture_k=_r(rng.uniform(0.5, 1.5)),
        sway_px=_r(rng.uniform(0.5, 3.0) * wind_scale * s),
        period_frames=_r(rng.uniform(1.0, 4.0) * fps),
        phase=_r(rng.uniform(0, 2 * math.pi)),
        seed=int(rng.integers(2**31)))


class _Shake:
    """Sub-pixel camera shake: an AR(1) walk per axis with rms ``rms_px``.
    """

    def __init__(self, spec, n_frames):
        rng = np.random.default_rng(spec['seed'])
        rho = math.exp(-1.0 / max(spec['timescale'], 1e-3))
        step = spec['rms_px'] * math.sqrt(1.0 - rho * rho)
        offsets = np.zeros((max(n_frames, 1), 2))
        offsets[0] = rng.normal(0.0, spec['rms_px'], 2)
        for t in range(1, len(offsets)):
            offsets[t] = rho * offsets[t - 1] + rng.normal(0.0, step, 2)
        self.offsets = offsets

    def matrix(self, t):
        dx, dy = self.offsets[min(t, len(self.offsets) - 1)]
        return np.array([[1.0, 0.0, dx], [0.0, 1.0, dy]], np.float32)


class _Vegetation:
    """A leafy patch whose crown sways about its fixed base."""

    def __init__(self, spec, shape):
        h, w = shape
        rng = np.random.default_rng(spec['seed'])
        self.spec = spec
        pad = int(math.ceil(spec['sway_px'])) + 3
        x0 = max(int(math.floor(spec['x0'])) - pad, 0)
        x1 = min(int(math.ceil(spec['x1'])) + pad, w)
        y0 = max(int(math.floor(spec['y0'])) - pad, 0)
        y1 = min(int(math.ceil(spec['y1'])) + pad, h)
        self.box = (slice(y0, y1), slice(x0, x1))
        self.active = x1 > x0 and y1 > y0
        if not self.active:
            return
        ph, pw = y1 - y0, x1 - x0
        yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        cx = (spec['x0'] + spec['x1']) / 2
        cy = (spec['y0'] + spec['y1']) / 2
        rx = max((spec['x1'] - spec['x0']) / 2, 1.0)
        ry = max((spec['y1'] - spec['y0']) / 2, 1.0)
        # a ragged outline: an ellipse whose radius the foliage perturbs
        ragged = FractalNoise(rng, (ph, pw), max(rx / 3, 2.0), octaves=3,
                              persistence=0.6).sample()
        r = np.sqrt(((xx - cx) / rx)**2 + ((yy - cy) / ry)**2)
        self.alpha = np.clip((1.0 - r + 0.25 * ragged) * 4.0, 0.0,
                             1.0).astype(_F)
        leaves = FractalNoise(rng, (ph, pw), 3.0, octaves=2,
                              persistence=0.6).sample()
        self.temperature = (spec['t_leaf'] +
                            spec['texture_k'] * leaves).astype(_F)
        # the base is held, the top moves most
        self.lever = np.clip((spec['y1'] - yy) / max(2 * ry, 1.0), 0.0,
                             1.0).astype(_F)
        self.grid = (xx - x0, yy - y0)

    def draw(self, temperature, t):
        if not self.active:
            return
        sp = self.spec
        dx = sp['sway_px'] * math.sin(2 * math.pi * t / sp['period_frames'] +
                                      sp['phase'])
        # the leaves flutter at a higher frequency than the crown sways
        flutter = 0.3 * sp['sway_px'] * math.sin(
            2 * math.pi * t / max(sp['period_frames'] / 3.7, 2.0))
        mx = self.grid[0] - _F(dx) * self.lever
        my = self.grid[1] - _F(flutter) * self.lever
        alpha = cv2.remap(self.alpha, mx, my, cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=0)
        leaf = cv2.remap(self.temperature, mx, my, cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REPLICATE)
        patch = temperature[self.box]
        patch += alpha * (leaf - patch)


def _pts(points):
    return np.round(np.asarray(points) * _SCALE).astype(np.int32)


def _paint(temperature, coverage, value):
    """Set ``temperature`` to ``value`` where an anti-aliased 0-255
    ``coverage`` mask is drawn (partly at its edges, so that sub-pixel
    motion moves the edge smoothly)."""
    ys, xs = np.nonzero(coverage)
    if len(ys):
        a = coverage[ys, xs].astype(_F) / _F(255)
        cur = temperature[ys, xs]
        temperature[ys, xs] = cur + a * (_F(value) - cur)


def _draw_person(temperature, p, t):
    x = p['x'] + p['vx'] * t
    hgt, base = p['height'], p['base']
    half = hgt * 0.14
    swing = math.sin(2 * math.pi * t / p['stride_frames'] + p['phase'])
    hip = base - hgt * 0.45
    mask = np.zeros(temperature.shape, np.uint8)
    # legs swing about the hip
    for side in (-1.0, 1.0):
        foot = x + side * swing * hgt * 0.12
        cv2.line(mask, tuple(_pts((x, hip))), tuple(_pts((foot, base))),
                 255, max(int(round(hgt * 0.07)), 1), cv2.LINE_AA, _SHIFT)
    torso = _pts([(x - half, base - hgt * 0.82), (x + half, base - hgt * 0.82),
                  (x + half * 0.8, hip), (x - half * 0.8, hip)])
    cv2.fillPoly(mask, [torso], 255, cv2.LINE_AA, _SHIFT)
    _paint(temperature, mask, p['t_body'])
    head = np.zeros(temperature.shape, np.uint8)
    cv2.ellipse(head, tuple(_pts((x, base - hgt * 0.9))),
                tuple(_pts((hgt * 0.07, hgt * 0.09))), 0, 0, 360, 255, -1,
                cv2.LINE_AA, _SHIFT)
    _paint(temperature, head, p['t_head'])


def _draw_vehicle(temperature, p, t):
    x = p['x'] + p['vx'] * t
    length, base = p['length'], p['base']
    height = 0.35 * length
    front = 1.0 if p['vx'] >= 0 else -1.0
    x0, x1 = x - length / 2, x + length / 2
    body = _pts([(x0, base - height * 0.25), (x0, base - height * 0.7),
                 (x - front * length * 0.15, base - height),
                 (x + front * length * 0.25, base - height),
                 (x1, base - height * 0.55), (x1, base - height * 0.25)])
    mask = np.zeros(temperature.shape, np.uint8)
    cv2.fillPoly(mask, [body], 255, cv2.LINE_AA, _SHIFT)
    _paint(temperature, mask, p['t_body'])
    bay = np.zeros(temperature.shape, np.uint8)
    xe = x + front * length * 0.38
    cv2.rectangle(bay, tuple(_pts((xe - length * 0.1, base - height * 0.6))),
                  tuple(_pts((xe + length * 0.1, base - height * 0.3))), 255,
                  -1, cv2.LINE_AA, _SHIFT)
    _paint(temperature, bay, p['t_engine'])
    tyres = np.zeros(temperature.shape, np.uint8)
    for u in (-0.3, 0.3):
        cv2.circle(tyres, tuple(_pts((x + u * length, base - height * 0.18))),
                   int(round(height * 0.18 * _SCALE)), 255, -1, cv2.LINE_AA,
                   _SHIFT)
    _paint(temperature, tyres, p['t_tyre'])


_MOVERS = dict(person=_draw_person, vehicle=_draw_vehicle)


class SceneMotion:
    """The moving parts of a video's scene, frame by frame.

    Args:
        spec (dict): From :func:`sample_motion`.
        shape (tuple[int, int]): Frame (H, W).
        n_frames (int): Frames of the video.
    """

    def __init__(self, spec, shape, n_frames):
        self.shape = tuple(shape)
        self.shake = _Shake(spec['shake'], n_frames)
        self.movers = spec['movers']
        self.vegetation = [_Vegetation(v, self.shape)
                           for v in spec['vegetation']]

    def background(self, temperature, t):
        """The static scene ``temperature`` (K) with the vegetation and
        movers of frame ``t`` drawn in (a new array)."""
        out = temperature.copy()
        for patch in self.vegetation:
            patch.draw(out, t)
        for mover in self.movers:
            _MOVERS[mover['kind']](out, mover, t)
        return out

    def shift(self, field, t, border=cv2.BORDER_REFLECT):
        """``field`` as the shaken camera sees it at frame ``t``."""
        h, w = self.shape
        return cv2.warpAffine(field, self.shake.matrix(t), (w, h),
                              flags=cv2.INTER_LINEAR, borderMode=border)

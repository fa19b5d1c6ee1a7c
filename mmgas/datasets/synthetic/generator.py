"""Compose scene, plumes, distractors and camera into labelled frames.

Per frame, in radiance at the camera's effective wavelength:
``background -> gas plumes -> steam/exhaust (in front) -> atmosphere ->
optics blur``, converted to apparent temperature; the label is where the
gas changes that apparent temperature (noise-free, after the blur: what the
optics deliver, and within the AGC's limits: what the display shows) by more
than ``visibility_netd`` times the noise of the delivered image (the
sensor's NETD at that pixel and the 8-bit step of the AGC) and by at least
``min_grey_levels`` grey levels, so masks only hold gas a camera shows.
Fixed-pattern and temporal noise and the 8-bit AGC make the image.

A frame is fully described by a JSON-friendly *spec* (scene primitives,
plume and sensor parameters, seeds), so :func:`render_frames` is
deterministic given the spec, and records can be regenerated.
"""
import copy
import math

import cv2
import numpy as np

from .motion import SceneMotion
from .noise import FractalNoise
from .plume import (TURBULENCE_INTENSITY, PuffPlume, WindField,
                    sample_plume)
from .radiometry import (BAND_WAVELENGTH_UM, apparent_contrast,
                         composite_layer, inverse_planck, planck,
                         through_atmosphere)
from .scene import GROUND, render_scene, sample_scene
from .sensor import Sensor, sample_sensor

STABILITY = ('A', 'B', 'C', 'D', 'E', 'F')


def _r(x, nd=4):
    return round(float(x), nd)


def _logu(rng, lo, hi):
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def sample_wind(rng, pixel_m, cfg, fps):
    """In-image wind: speed (px/frame), direction, stability, meander."""
    speed_ms = _logu(rng, *cfg['speed'])
    # Horizontal wind seen by a level camera: only the component across the
    # line of sight moves the image; a little vertical motion is allowed.
    az = rng.uniform(-math.pi, math.pi)
    across = math.cos(az)
    across = math.copysign(max(abs(across), 0.3), across)
    vx, vy = across, rng.uniform(-0.15, 0.15)
    speed = max(speed_ms * math.hypot(vx, vy) / (pixel_m * fps), 0.3)
    stab = STABILITY[int(rng.choice(6, p=cfg['stability_probs']))]
    return dict(
        speed_ms=_r(speed_ms, 3),
        speed=_r(speed, 3),
        direction=_r(math.atan2(vy, vx)),
        stability=stab,
        direction_std=_r(rng.uniform(*cfg['direction_std'])),
        speed_std=TURBULENCE_INTENSITY[stab],
        timescale=_r(rng.uniform(*cfg['timescale']), 2),
        seed=int(rng.integers(2**31 - 1)))


def sample_leaks(rng, scene, wind, pixel_m, preset, shape, count=None):
    """Sample the gas plumes of a frame (``count`` of them, or random)."""
    g = preset['gas']
    if count is None:
        if rng.random() < g['empty_prob']:
            count = 0
        else:
            count = 1 + int(rng.choice(len(g['count_probs']),
                                       p=g['count_probs']))
    sources = list(scene['sources'])
    h, w = shape
    order = _aimed_order(rng, sources, shape, g.get('aim_sigma'))
    plumes = []
    for i in range(count):
        if i < len(order) and rng.random() >= g['free_source_prob']:
            src = sources[int(order[i])]
        else:
            src = dict(x=rng.uniform(0.1, 0.9) * w,
                       y=rng.uniform(0.2, 0.95) * h, dir=None, kind='free')
        plumes.append(
            sample_plume(rng, src, 'gas', scene['t_air'], wind, pixel_m, g,
                         shape))
    return plumes


def _aimed_order(rng, sources, shape, aim_sigma):
    """Order in which leak sources are picked.

    An operator points the camera at the leak, so the first sources are
    drawn with a Gaussian preference (``aim_sigma`` as a fraction of the
    frame) for the centre of the frame; ``None`` draws them uniformly.
    """
    if not sources:
        return []
    if aim_sigma is None:
        return rng.permutation(len(sources))
    h, w = shape
    d2 = np.array([(s['x'] / w - 0.5)**2 + (s['y'] / h - 0.5)**2
                   for s in sources])
    p = np.exp(-d2 / (2 * aim_sigma**2)) + 1e-6
    return rng.choice(len(sources), size=len(sources), replace=False,
                      p=p / p.sum())


def sample_distractors(rng, scene, wind, pixel_m, preset, shape):
    """Steam and exhaust plumes (not gas) and heat shimmer."""
    d = preset['distractors']
    out = []
    anchors = list(scene['anchors'])
    stacks = [a for a in anchors if a['kind'] == 'stack']
    engines = [a for a in anchors if a['kind'] == 'exhaust']
    vents = [s for s in scene['sources'] if s['kind'] == 'vent']
    cfg = preset['gas']
    if rng.random() < d['steam_prob'] and (stacks or vents):
        pool = stacks + vents
        src = dict(pool[int(rng.integers(len(pool)))])
        src.setdefault('width', 8.0)
        out.append(
            sample_plume(rng, src, 'steam', scene['t_air'], wind, pixel_m,
                         cfg, shape))
    if rng.random() < d['exhaust_prob'] and (engines or stacks):
        pool = engines + stacks
        src = dict(pool[int(rng.integers(len(pool)))])
        out.append(
            sample_plume(rng, src, 'exhaust', scene['t_air'], wind, pixel_m,
                         cfg, shape))
    shimmer = None
    if rng.random() < d['shimmer_prob']:
        shimmer = dict(
            amplitude=_r(rng.uniform(*d['shimmer_amplitude']), 3),
            hot_k=_r(rng.uniform(10.0, 20.0), 2),
            height=_r(rng.uniform(10, 40) * shape[0] / 240.0, 2),
            cell=_r(rng.uniform(3.0, 8.0), 2),
            seed=int(rng.integers(2**31 - 1)))
    return out, shimmer


def sample_frame_spec(rng, width, height, preset):
    """Sample everything a frame (or a static-camera video) needs.

    Args:
        rng (np.random.Generator): Random source (consumed).
        width (int): Image width.
        height (int): Image height.
        preset (dict): A difficulty preset (:mod:`.presets`).

    Returns:
        dict: ``scene``, ``camera`` (distance, pixel footprint), ``wind``,
        ``sensor``, ``plumes`` (gas), ``distractors`` (steam/exhaust),
        ``shimmer`` (or None) and ``label`` (visibility rule).
    """
    shape = (height, width)
    scene = sample_scene(rng, width, height, preset['scene'])
    distance = _logu(rng, *preset['camera']['distance'])
    pixel_m = distance * preset['camera']['ifov_mrad'] * 1e-3 * 320.0 / width
    sensor = sample_sensor(rng, preset['sensor'])
    wind = sample_wind(rng, pixel_m, preset['wind'], sensor['fps'])
    plumes = sample_leaks(rng, scene, wind, pixel_m, preset, shape)
    distractors, shimmer = sample_distractors(rng, scene, wind, pixel_m,
                                              preset, shape)
    return dict(
        size=[width, height],
        scene=scene,
        camera=dict(distance_m=_r(distance, 3), pixel_m=_r(pixel_m, 5)),
        wind=wind,
        sensor=sensor,
        plumes=plumes,
        distractors=distractors,
        shimmer=shimmer,
        label=dict(visibility_netd=preset['label']['visibility_netd'],
                   quantisation=preset['label']['quantisation'],
                   min_grey_levels=preset['label'].get('min_grey_levels',
                                                       0.0),
                   core_fraction=preset['label'].get('core_fraction', 0.0),
                   outline=copy.deepcopy(preset['label'].get('outline'))),
        flicker=0.0)


def visibility_threshold(label_cfg, netd, grey_k):
    """Smallest apparent contrast (K) that is labelled as gas.

    ``visibility_netd`` times the noise of the delivered image: the sensor's
    NETD (a scalar or a per-pixel map) and, when
    ``label_cfg['quantisation']`` is set, the 8-bit quantisation noise
    ``grey_k / sqrt(12)`` of the AGC (one grey level is ``grey_k`` kelvin),
    since gas below both is invisible in the frames a model is given. With
    ``min_grey_levels`` the threshold is at least that many grey levels:
    a change the 8-bit display does not show is not something an annotator
    (or a single-frame model) can see, however quiet the detector.
    """
    noise = netd
    if label_cfg.get('quantisation', True):
        noise = np.sqrt(np.square(netd) + grey_k**2 / 12.0)
    return np.maximum(label_cfg['visibility_netd'] * noise,
                      label_cfg.get('min_grey_levels', 0.0) * grey_k)


def trim_to_core(mask, abs_contrast, core_fraction, percentile=90.0):
    """Keep the body of each visible gas region, as an annotator outlines it.

    A plume's edge is where its contrast falls to a fraction of the core's
    (like the Gaussian plume's edge at a tenth of the centre-line
    concentration, D. B. Turner 1970): the smooth halo beyond it is above
    the noise but shows no edge an annotator could follow. Each connected
    region of ``mask`` keeps its pixels with ``abs_contrast`` of at least
    ``core_fraction`` times the region's ``percentile``-th percentile.

    Args:
        mask (np.ndarray): (H, W) bool, the pixels above the noise.
        abs_contrast (np.ndarray): (H, W) absolute displayed contrast.
        core_fraction (float): Edge level, a fraction of the core contrast.
        percentile (float): The region's core contrast percentile.

    Returns:
        np.ndarray: (H, W) bool, the trimmed mask.
    """
    num, regions = cv2.connectedComponents(mask.astype(np.uint8),
                                           connectivity=8)
    out = mask.copy()
    for k in range(1, num):
        inside = regions == k
        edge = core_fraction * np.percentile(abs_contrast[inside],
                                             percentile)
        out[inside & (abs_contrast < edge)] = False
    return out


def fill_holes(mask):
    """Fill the holes of a binary mask (pixels not reachable from the
    border through background)."""
    h, w = mask.shape
    padded = np.zeros((h + 2, w + 2), np.uint8)
    padded[1:-1, 1:-1] = mask
    flood = padded.copy()
    cv2.floodFill(flood, None, (0, 0), 1)
    return mask.astype(bool) | (flood[1:-1, 1:-1] == 0)


def scene_clutter(displayed, eye_sigma, window_sigma):
    """Local clutter of the gas-free scene as the eye sees it (K).

    The root-mean-square deviation of the eye-smoothed scene from its
    local mean over a Gaussian window of ``window_sigma`` px: the
    clutter metric of Schmieder and Weathersby (1983, IEEE Trans. Aerosp.
    Electron. Syst. 19(4):622), the local variance of the background
    against which a target must stand out. Pipe and tank edges, stains
    and stripes make it large; a clear sky or a plain wall small.

    Args:
        displayed (np.ndarray): (H, W) gas-free apparent temperature (K),
            clipped to the display's AGC limits.
        eye_sigma (float): Integration scale of the eye (px).
        window_sigma (float): Local window (px).

    Returns:
        np.ndarray: (H, W) float32 clutter (K).
    """
    seen = cv2.GaussianBlur(displayed.astype(np.float32), (0, 0),
                            eye_sigma, borderType=cv2.BORDER_REFLECT)
    mean = cv2.GaussianBlur(seen, (0, 0), window_sigma,
                            borderType=cv2.BORDER_REFLECT)
    var = cv2.GaussianBlur(np.square(seen - mean), (0, 0), window_sigma,
                           borderType=cv2.BORDER_REFLECT)
    return np.sqrt(var)


def outline_like_annotator(visible, abs_contrast, noise, grey_k,
                           eye_sigma, region_grey=1.0, core_fraction=0.3,
                           min_area=0, conspicuity_grey=0.0,
                           clutter=None, conspicuity_scr=0.0):
    """Outline each visible plume as one smooth, connected region.

    Annotators of real optical-gas-imaging footage outline the whole
    visible plume, source to faint tail, as a smooth region with few holes:
    the eye integrates an extended plume over an area, so it follows a
    body that no single pixel shows above the noise, and it draws around
    the turbulent gaps of the cloud, not along them. Modelled as:

    1. the displayed contrast seen through the eye's spatial integration
       (a Gaussian of ``eye_sigma`` px), whose noise falls with the
       integrated area ``4 pi sigma^2`` (the Rose model of detecting
       extended low-contrast targets);
    2. the region where that smoothed contrast exceeds the integrated
       noise, at least ``region_grey`` display grey levels, and
       ``core_fraction`` of its region's core (90th percentile of the
       smoothed contrast): the halo beyond it shows no edge to follow;
    3. only regions holding per-pixel ``visible`` gas (an annotator starts
       from gas that shows) some part of which is conspicuous: its
       smoothed contrast stands out of the display by at least
       ``conspicuity_grey`` grey levels and, with ``clutter``, by at
       least ``conspicuity_scr`` times the scene's local clutter there
       (the signal-to-clutter ratio of target acquisition: gas that only
       shifts the shade of a pipe, or a wash the size of the stains on a
       tank wall, is not picked out of one frame); closed and hole-filled
       at the eye's scale, and at least ``min_area`` px. A faint tail
       joined to a conspicuous body stays part of its region.

    Args:
        visible (np.ndarray): (H, W) bool, per-pixel visible gas (the
            contrast above the image noise and the display's grey step).
        abs_contrast (np.ndarray): (H, W) absolute displayed contrast (K).
        noise (np.ndarray | float): Per-pixel labelling threshold (K) of
            ``visible``, the per-pixel noise times the visibility factor.
        grey_k (float): Kelvin per display grey level.
        eye_sigma (float): Integration scale (px).
        region_grey (float): Minimum smoothed contrast, grey levels.
            Default: 1.0.
        core_fraction (float): Edge level, fraction of the region's core.
            Default: 0.3.
        min_area (int): Smallest region kept (px). Default: 0.
        conspicuity_grey (float): Smallest peak of the smoothed contrast
            of an outlined region, grey levels. Default: 0.0 (every seeded
            region).
        clutter (np.ndarray, optional): (H, W) local clutter of the
            gas-free scene (K, :func:`scene_clutter`). Default: None (no
            clutter test).
        conspicuity_scr (float): Smallest ratio of the smoothed contrast
            to ``clutter`` at a conspicuous pixel. Default: 0.0 (off).

    Returns:
        np.ndarray: (H, W) bool, the outlined mask.
    """
    if not visible.any():
        return visible.copy()
    smooth = cv2.GaussianBlur(abs_contrast.astype(np.float32), (0, 0),
                              eye_sigma, borderType=cv2.BORDER_REFLECT)
    integrated = np.asarray(noise, np.float32) / np.float32(
        2.0 * math.sqrt(math.pi) * eye_sigma)
    candidate = smooth > np.maximum(integrated, region_grey * grey_k)
    # annotators bridge the turbulent gaps of one cloud: close at twice
    # the integration scale
    radius = max(int(round(2 * eye_sigma)), 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE,
                                       (2 * radius + 1, 2 * radius + 1))
    candidate = cv2.morphologyEx(candidate.astype(np.uint8),
                                 cv2.MORPH_CLOSE, kernel).astype(bool)
    num, regions, stats, _ = cv2.connectedComponentsWithStats(
        candidate.astype(np.uint8), connectivity=8)
    seeded = np.zeros(num, bool)
    seeded[np.unique(regions[visible & candidate])] = True
    conspicuous = smooth >= conspicuity_grey * grey_k
    if clutter is not None and conspicuity_scr > 0:
        conspicuous &= smooth >= conspicuity_scr * clutter
    out = np.zeros_like(visible, dtype=bool)
    for k in range(1, num):
        if not seeded[k] or stats[k, cv2.CC_STAT_AREA] < min_area:
            continue
        inside = regions == k
        seen = smooth[inside]
        if not conspicuous[inside].any():
            continue
        out |= inside & (smooth >= core_fraction * np.percentile(seen, 90.0))
    # the core trim can split a region; close and fill at the eye's scale
    out = cv2.morphologyEx(out.astype(np.uint8), cv2.MORPH_CLOSE,
                           kernel).astype(bool)
    out = fill_holes(out)
    if min_area > 0:
        num, regions, stats, _ = cv2.connectedComponentsWithStats(
            out.astype(np.uint8), connectivity=8)
        small = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] < min_area)
        out &= ~np.isin(regions, small[small > 0])
    return out


def label_mask(label_cfg, abs_contrast, visible, threshold, grey_k,
               scene=None):
    """The (H, W) uint8 0/1 mask of a frame under a preset's label rule.

    ``label_cfg['outline']`` (a dict of :func:`outline_like_annotator`'s
    keyword arguments, ``eye_sigma`` and ``min_area`` given for a 320 px
    wide frame, plus ``clutter_sigma``, the window of
    :func:`scene_clutter`) outlines plumes as annotators do, with the
    clutter of ``scene`` (the gas-free displayed apparent temperature, K)
    when ``conspicuity_scr`` > 0; without it, per-pixel ``visible`` gas
    (``abs_contrast > threshold``), trimmed to each region's core when
    ``core_fraction`` > 0 (generator 1.2).
    """
    outline = label_cfg.get('outline')
    if outline:
        scale = abs_contrast.shape[1] / 320.0
        kwargs = dict(outline, eye_sigma=outline['eye_sigma'] * scale,
                      min_area=int(outline.get('min_area', 0) * scale**2))
        clutter_sigma = kwargs.pop('clutter_sigma', None)
        if kwargs.get('conspicuity_scr', 0.0) > 0:
            if scene is None or clutter_sigma is None:
                raise ValueError('conspicuity_scr needs the gas-free scene '
                                 'and clutter_sigma')
            kwargs['clutter'] = scene_clutter(scene, kwargs['eye_sigma'],
                                              clutter_sigma * scale)
        mask = outline_like_annotator(visible, abs_contrast, threshold,
                                      grey_k, **kwargs)
    elif label_cfg.get('core_fraction', 0.0) > 0:
        mask = trim_to_core(visible, abs_contrast,
                            label_cfg['core_fraction'])
    else:
        mask = visible
    return mask.astype(np.uint8)


def displayed_contrast(t_with, t_without, agc):
    """Apparent-temperature change (K) that survives the display's AGC.

    Both temperatures are clipped to the AGC limits ``(lo, hi)`` first, so
    a change within a saturated part of the frame is zero.
    """
    lo, hi = np.float32(agc[0]), np.float32(agc[1])
    return np.clip(t_with, lo, hi) - np.clip(t_without, lo, hi)


class _Shimmer:
    """Refraction of hot air above hot surfaces: a small random warp."""

    def __init__(self, spec, temperature, t_air, n_frames):
        h, w = temperature.shape
        hot = (temperature > t_air + spec['hot_k']).astype(np.uint8)
        ksize = max(int(spec['height']), 1)
        # Hot air rises: extend hot areas upwards, then soften.
        kernel = np.zeros((2 * ksize + 1, 1), np.uint8)
        kernel[ksize:] = 1
        region = cv2.dilate(hot, kernel, anchor=(0, ksize)).astype(
            np.float32)
        self.weight = cv2.GaussianBlur(region, (0, 0), 3.0) * \
            np.float32(spec['amplitude'])
        rng = np.random.default_rng(spec['seed'])
        evolving = n_frames > 1
        self.nx = FractalNoise(rng, (h, w), spec['cell'] * 2, octaves=2,
                               evolving=evolving, evolution_rate=0.6)
        self.ny = FractalNoise(rng, (h, w), spec['cell'] * 2, octaves=2,
                               evolving=evolving, evolution_rate=0.6)
        gx, gy = np.meshgrid(np.arange(w, dtype=np.float32),
                             np.arange(h, dtype=np.float32))
        self.grid = (gx, gy)
        self.active = bool(hot.any())

    def __call__(self, temperature, t):
        if not self.active:
            return temperature
        mx = self.grid[0] + self.weight * self.nx.sample(t)
        my = self.grid[1] + self.weight * self.ny.sample(t)
        return cv2.remap(temperature, mx, my, cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REFLECT)


class FrameSimulator:
    """Simulates a static camera looking at a scene with leaks over time.

    Args:
        spec (dict): From :func:`sample_frame_spec`.
        n_frames (int): Frames that will be rendered. Default: 1.
        warm_up (bool | list[bool]): Whether each gas plume (or all) has
            been leaking long enough to be established at frame 0.
            Distractors are always established. Default: True.
    """

    def __init__(self, spec, n_frames=1, warm_up=True):
        self.spec = spec
        w, h = spec['size']
        self.shape = (h, w)
        sc = render_scene(spec['scene'], w, h)
        self.t_air = spec['scene']['t_air']
        self.background = sc['temperature']
        self.region = sc['region']
        self.sensor = Sensor(spec['sensor'], self.shape)
        self.lam = BAND_WAVELENGTH_UM[spec['sensor']['band']]
        wd = spec['wind']
        self.wind = WindField(
            np.random.default_rng(wd['seed']), wd['speed'], wd['direction'],
            wd['direction_std'], wd['speed_std'], wd['timescale'])
        self.plumes = [
            PuffPlume(p, self.shape, np.random.default_rng(p['seed']),
                      n_frames) for p in spec['plumes']
        ]
        self.distractors = [
            PuffPlume(p, self.shape, np.random.default_rng(p['seed']),
                      n_frames) for p in spec['distractors']
        ]
        self.agc_roi = _agc_roi(spec)
        self.shimmer = None
        if spec.get('shimmer'):
            self.shimmer = _Shimmer(spec['shimmer'], self.background,
                                    self.t_air, n_frames)
        self.motion = None
        if spec.get('motion') and n_frames > 1:
            self.motion = SceneMotion(spec['motion'], self.shape, n_frames)
        self.flicker = None
        if spec.get('flicker', 0) > 0 and n_frames > 1:
            rng = np.random.default_rng(spec['sensor']['seed'] + 1)
            self.flicker = FractalNoise(rng, self.shape, 12.0, octaves=3,
                                        evolving=True, evolution_rate=0.8)
        # Warm up all sources together so they share the wind history.
        if isinstance(warm_up, bool):
            warm_up = [warm_up] * len(self.plumes)
        steps = max([p.max_age for p in self.plumes + self.distractors] +
                    [0])
        winds = np.zeros((steps, 2))
        for i in range(steps):
            self.wind.step()
            winds[i] = self.wind.vector
        for plume, on in zip(self.plumes, warm_up):
            if on:
                plume.warm_up(winds)
        for plume in self.distractors:
            plume.warm_up(winds)
        self.wind.offset[:] = 0.0
        self.t = 0

    def advance(self, emit):
        """Step the simulation one frame.

        Args:
            emit (bool | list[bool]): Whether each gas source emits.
        """
        if isinstance(emit, bool):
            emit = [emit] * len(self.plumes)
        self.wind.step()
        vec = self.wind.vector
        for plume, on in zip(self.plumes, emit):
            plume.step(vec, on)
        for plume in self.distractors:
            plume.step(vec, True)
        self.t += 1

    def render(self, noise_rng, agc_range=None):
        """Render the current frame.

        Args:
            noise_rng (np.random.Generator): Temporal noise source.
            agc_range (tuple[float, float], optional): Locked AGC limits
                (K); by default the frame's own percentile stretch.

        Returns:
            dict: ``image`` (H, W) uint8, ``mask`` (H, W) uint8 0/1,
            ``contrast`` (H, W) float32 apparent temperature change caused
            by the gas (K, after the optics, clipped to the AGC limits:
            what the display shows), ``threshold`` (H, W) labelling
            threshold (K), ``netd`` (H, W) temporal noise (K),
            ``apparent`` noise-free apparent temperature (K), ``scene``
            the same without the gas, clipped to the AGC limits, ``agc``
            (lo, hi), ``background`` (K) and ``plumes``/``distractors``
            per-layer statistics.
        """
        lam, t = self.lam, self.t
        offset = tuple(self.wind.offset)
        bg = self.background
        if self.shimmer is not None:
            bg = self.shimmer(bg, t)
        if self.flicker is not None:
            amp = self.spec['flicker'] * self.spec['sensor']['netd']
            bg = bg + np.float32(amp) * self.flicker.sample(t) * (
                self.region == GROUND)
        gas_layers = [p.render(offset) for p in self.plumes]
        front_layers = [p.render(offset) for p in self.distractors]
        if self.motion is not None:
            bg = self.motion.background(bg, t)
            # the camera shakes: the scene moves in the frame with its gas
            # and steam, the sensor's stripes and overlays do not
            bg = self.motion.shift(bg, t)
            gas_layers, front_layers = (
                [{k: self.motion.shift(v, t) for k, v in layer.items()}
                 for layer in layers]
                for layers in (gas_layers, front_layers))
        lb = planck(bg, lam)
        l_gas = lb
        for layer in gas_layers:
            l_gas = composite_layer(l_gas, layer['opacity'],
                                    layer['temperature'], lam)
        l_full, l_free = l_gas, lb
        for layer in front_layers:
            l_full = composite_layer(l_full, layer['opacity'],
                                     layer['temperature'], lam)
            l_free = composite_layer(l_free, layer['opacity'],
                                     layer['temperature'], lam)
        t_full = self._camera(l_full)
        t_free = self._camera(l_free) if gas_layers else t_full
        netd = self.sensor.netd_map(t_free)
        noisy = self.sensor.expose(t_full, noise_rng, netd)
        image, agc = self.sensor.to_8bit(noisy, agc_range, self.agc_roi)
        # What the display shows: gas over a part of the scene the AGC
        # clips (cold sky below the low percentile, hot stacks above the
        # high one) changes nothing in the frame, so it is not labelled.
        contrast = displayed_contrast(t_full, t_free, agc)
        grey_k = (agc[1] - agc[0]) / 255.0
        # per pixel: the noise depends on the background's temperature
        thr = visibility_threshold(self.spec['label'], netd, grey_k)
        abs_contrast = np.abs(contrast)
        # per-plume statistics count what each plume shows per pixel, so
        # the curation does not depend on how the plume is outlined
        shown = abs_contrast > thr
        scene = np.clip(t_free, agc[0], agc[1])
        mask = label_mask(self.spec['label'], abs_contrast, shown, thr,
                          grey_k, scene)
        stats = [
            self._layer_stats(bg, t_free, layer, thr, agc, lam, shown)
            for layer in gas_layers
        ]
        dstats = [
            self._layer_stats(bg, t_free, layer, thr, agc, lam)
            for layer in front_layers
        ]
        return dict(
            image=image,
            mask=mask,
            contrast=contrast,
            threshold=thr,
            netd=netd,
            apparent=t_full,
            scene=scene,
            agc=agc,
            background=bg,
            plumes=stats,
            distractors=dstats)

    def _camera(self, radiance):
        sen = self.sensor.spec
        rad = through_atmosphere(radiance, sen['tau_atm'], self.t_air,
                                 self.lam)
        return inverse_planck(self.sensor.blur(rad.astype(np.float32)),
                              self.lam).astype(np.float32)

    def _layer_stats(self, bg, t_free, layer, thr, agc, lam, within=None):
        """Visibility of one layer alone over the background (and inside
        the label mask ``within`` when given)."""
        a, tg = layer['opacity'], layer['temperature']
        grey_k = (agc[1] - agc[0]) / 255.0
        dt = apparent_contrast(bg, a, tg, lam)
        dt = self.sensor.blur(dt.astype(np.float32)) * np.float32(
            self.sensor.spec['tau_atm'])
        dt = displayed_contrast(t_free + dt, t_free, agc)
        vis = np.abs(dt) > thr
        if within is not None:
            vis &= within.astype(bool)
        area = int(vis.sum())
        out = dict(visible_px=area, max_opacity=_r(a.max(), 5))
        if area:
            c = dt[vis]
            out.update(
                contrast_mk=_r(1000 * np.median(np.abs(c)), 2),
                contrast_p90_mk=_r(1000 * np.percentile(np.abs(c), 90), 2),
                contrast_grey=_r(np.median(np.abs(c)) / grey_k, 3),
                bright_share=_r((c > 0).mean(), 3),
                dt_gas_bg=_r(np.median((tg - bg)[vis]), 3),
                dt_gas_bg_abs=_r(np.median(np.abs(tg - bg)[vis]), 3),
                opacity=_r(np.median(a[vis]), 5))
        return out


def _agc_roi(spec):
    """The AGC region of interest: a box around the first leak's source.

    An operator surveying a leak sets the camera's gain on the leak's
    surroundings (a region-of-interest AGC, or span and level by hand):
    the box covers ``sensor['agc_roi']`` of the frame's width and height.
    Hot or cold structures outside it saturate. None (whole-frame AGC)
    when the camera spec has no ROI or the frame has no leak.
    """
    frac = spec['sensor'].get('agc_roi')
    if not frac or not spec['plumes']:
        return None
    w, h = spec['size']
    x, y = spec['plumes'][0]['x0'], spec['plumes'][0]['y0']
    half_w, half_h = max(frac * w / 2, 8), max(frac * h / 2, 8)
    x0 = int(np.clip(x - half_w, 0, w - 2 * half_w))
    y0 = int(np.clip(y - half_h, 0, h - 2 * half_h))
    return (slice(y0, y0 + int(2 * half_h)), slice(x0, x0 + int(2 * half_w)))


def render_frames(spec, n_frames=1, emit=None, warm_up=True, noise_seed=0,
                  lock_agc=None):
    """Render ``n_frames`` consecutive frames of a spec.

    Args:
        spec (dict): From :func:`sample_frame_spec`.
        n_frames (int): Number of frames. Default: 1.
        emit (list, optional): Per frame, whether the gas sources emit
            (bool or one bool per plume). Default: always.
        warm_up (bool | list[bool]): See :class:`FrameSimulator`.
        noise_seed (int | np.random.SeedSequence): Temporal noise seed.
        lock_agc (bool, optional): Lock the AGC to the first frame's
            limits (videos); default: lock when ``n_frames > 1``.

    Yields:
        dict: :meth:`FrameSimulator.render` output per frame.
    """
    sim = FrameSimulator(spec, n_frames, warm_up)
    rng = np.random.default_rng(noise_seed)
    lock = n_frames > 1 if lock_agc is None else lock_agc
    agc = None
    for i in range(n_frames):
        if i:
            sim.advance(True if emit is None else emit[i])
        out = sim.render(rng, agc)
        if lock and agc is None:
            agc = out['agc']
        yield out


def make_record(spec, out):
    """The JSON record of a rendered frame: physical parameters + stats."""
    sen = spec['sensor']
    sc = spec['scene']
    plumes = []
    for p, st in zip(spec['plumes'], out['plumes']):
        plumes.append(
            dict(
                gas=p['gas'],
                source=p['source_kind'],
                source_xy=[p['x0'], p['y0']],
                t_gas_source_k=_r(p['t_air'] + p['dt_source'], 3),
                dt_source_k=p['dt_source'],
                peak_opacity=p['peak_opacity'],
                jet_half_angle_deg=p['half_angle'],
                jet_length_px=p['jet_length'],
                sigma0_px=p['sigma0'],
                **st))
    distractors = [
        dict(kind=p['kind'], t_source_k=_r(p['t_air'] + p['dt_source'], 3),
             peak_opacity=p['peak_opacity'], **st)
        for p, st in zip(spec['distractors'], out['distractors'])
    ]
    lo, hi = out['agc']
    return dict(
        size=spec['size'],
        layout=sc['layout'],
        t_air_k=sc['t_air'],
        sky_deficit_k=sc['sky_deficit'] if sc['horizon'] > 0 else None,
        ground_offset_k=sc['ground_offset'],
        camera=dict(spec['camera'], band=sen['band'],
                    wavelength_um=BAND_WAVELENGTH_UM[sen['band']],
                    polarity=sen['polarity']),
        wind=dict(speed_ms=spec['wind']['speed_ms'],
                  speed_px_per_frame=spec['wind']['speed'],
                  stability=spec['wind']['stability']),
        noise=dict(netd_mk=_r(1000 * sen['netd'], 2),
                   netd_scene_mk=_r(1000 * np.median(out['netd']), 2),
                   row_fpn_mk=_r(1000 * sen['row_fpn'], 2),
                   col_fpn_mk=_r(1000 * sen['col_fpn'], 2),
                   psf_sigma_px=sen['psf_sigma'], tau_atm=sen['tau_atm']),
        agc=dict(low_k=_r(lo, 3), high_k=_r(hi, 3), span_k=_r(hi - lo, 3),
                 mk_per_grey=_r(1000 * (hi - lo) / 255.0, 2),
                 # fraction of the frame the gain was set on (around the
                 # first leak); None: the whole frame
                 roi=sen.get('agc_roi')),
        threshold_mk=_r(1000 * np.median(out['threshold']), 2),
        num_plumes=len(plumes),
        num_visible_plumes=sum(p['visible_px'] > 0 for p in plumes),
        visible_px=int(out['mask'].sum()),
        plumes=plumes,
        distractors=distractors,
        shimmer=spec['shimmer'] is not None)


def _leak_score(out, lab):
    """How well a rendered frame shows its gas; >= 1 passes the preset's
    curation rule.

    Without ``min_core_grey`` in the label rule: the labelled area over
    ``min_visible_px``. With it, the frame must show one leak clearly, as a
    recorded data set does: the best plume's visible area over
    ``min_plume_px`` (for a 320x240 frame, scaled with the area) and its
    core contrast (90th percentile, in grey levels) over
    ``min_core_grey``, whichever falls shorter; and, when the outline rule
    asks gas to stand out of the scene's clutter (``conspicuity_scr``),
    the labelled area over ``min_plume_px`` too: a frame whose leak hides
    in the clutter of pipes and stains is not one a curated set keeps.
    """
    if not lab.get('min_core_grey'):
        return out['mask'].sum() / max(lab['min_visible_px'], 1)
    grey_mk = 1000.0 * (out['agc'][1] - out['agc'][0]) / 255.0
    # min_plume_px is for 320x240 frames; scaled with the frame's area
    min_px = max(lab.get('min_plume_px', 1) * out['mask'].size /
                 (320 * 240), 1)
    score = 0.0
    for p in out['plumes']:
        if p['visible_px']:
            score = max(score, min(
                p['visible_px'] / min_px,
                p['contrast_p90_mk'] / grey_mk / lab['min_core_grey']))
    if (lab.get('outline') or {}).get('conspicuity_scr', 0.0) > 0:
        score = min(score, out['mask'].sum() / min_px)
    return score


def generate_image(seed_seq, width, height, preset):
    """Sample and render one labelled image.

    Images meant to show gas whose leaks turn out (nearly) invisible are
    re-drawn with new leaks on the same scene, up to
    ``preset['label']['retries']`` times.

    Args:
        seed_seq (np.random.SeedSequence): Per-image seed.
        width (int): Image width.
        height (int): Image height.
        preset (dict): Difficulty preset.

    Returns:
        tuple[np.ndarray, np.ndarray, dict]: uint8 image (H, W), uint8 mask
        (H, W) with 0/1, and the JSON record.
    """
    out, record = render_image(seed_seq, width, height, preset)
    return out['image'], out['mask'], record


def render_image(seed_seq, width, height, preset):
    """:func:`generate_image` with everything the renderer knows about the
    recorded frame: the gas's own contrast and the labelling threshold
    (what the analysis of a model's errors compares against).

    Returns:
        tuple[dict, dict]: :meth:`FrameSimulator.render` output of the
        recorded frame (``image`` and ``mask`` are what
        :func:`generate_image` returns) and the JSON record.
    """
    spec_seed, noise_seed = seed_seq.spawn(2)
    rng = np.random.default_rng(spec_seed)
    spec = sample_frame_spec(rng, width, height, preset)
    lab = preset['label']
    tries = 0
    best = None
    while True:
        out = next(render_frames(spec, 1, noise_seed=noise_seed))
        score = _leak_score(out, lab)
        if best is None or score > best[0]:
            best = (score, out, copy.deepcopy(spec['plumes']))
        if not spec['plumes'] or score >= 1.0 or tries >= lab['retries']:
            break
        tries += 1
        pixel_m = spec['camera']['pixel_m']
        spec['plumes'] = sample_leaks(rng, spec['scene'], spec['wind'],
                                      pixel_m, preset, (height, width),
                                      count=len(spec['plumes']))
    if lab.get('min_core_grey'):
        # the recorded frame is the best draw, not the last one
        _, out, spec['plumes'] = best
    record = make_record(spec, out)
    record['redraws'] = tries
    return out, record

"""Physics of the synthetic generator on hand-built scenes: the sign of the
contrast (gas colder than its background renders darker, warmer renders
brighter, inverted by a black-hot palette), contrast reversal along a plume
that rises from warm ground into cold sky, labels exactly where the gas is
visible, and the radiometry (Beer-Lambert, linearised contrast)."""
import copy
import math

import cv2
import numpy as np
import pytest

from mmgas.datasets.synthetic import (FrameSimulator, get_preset,
                                      sample_frame_spec, trim_to_core,
                                      visibility_threshold)
from mmgas.datasets.synthetic.generator import (fill_holes, label_mask,
                                                outline_like_annotator,
                                                scene_clutter)
from mmgas.datasets.synthetic.plume import make_plume_spec
from mmgas.datasets.synthetic.radiometry import (apparent_contrast,
                                                 inverse_planck,
                                                 opacity_from_column, planck)

W, H = 96, 72


def bands(t_air, rows):
    """A scene of horizontal bands [(y0, y1, T), ...]."""
    prims = [
        dict(type='box', x0=-1, y0=y0, x1=W + 1, y1=y1, t=t, gx=0.0, gy=0.0)
        for y0, y1, t in rows
    ]
    return dict(layout='test', t_air=t_air, horizon=-1.0, sky_deficit=0.0,
                ground_offset=0.0, primitives=prims, sources=[], anchors=[])


def frame_spec(scene, plumes, netd=0.015, polarity='white_hot'):
    sensor = dict(band='mwir', netd=netd, row_fpn=netd * 0.5,
                  col_fpn=netd * 0.5, drift=0.0, psf_sigma=0.7, tau_atm=1.0,
                  agc_low=1.0, agc_high=99.0, min_span=5.0,
                  polarity=polarity, fps=15.0, seed=5)
    wind = dict(speed=1.5, direction=0.0, stability='D', direction_std=0.05,
                speed_std=0.05, timescale=20.0, seed=11, speed_ms=1.0)
    return dict(size=[W, H], scene=scene, camera=dict(pixel_m=0.01),
                wind=wind, sensor=sensor, plumes=plumes, distractors=[],
                shimmer=None, label=dict(visibility_netd=1.5,
                                         quantisation=True), flicker=0.0)


def plume(x, y, jet_dir, t_air, **kw):
    wind = dict(speed=1.5, direction=0.0, stability='D')
    args = dict(jet_length=12.0, sigma0=1.2, peak_opacity=0.25,
                beta_near=0.1, beta_far=0.4, seed=3)
    args.update(kw)
    return make_plume_spec(x, y, jet_dir, t_air, wind, 0.01, (H, W), **args)


def render_pair(spec, agc):
    """The same frame (same noise) with and without the gas."""
    free = copy.deepcopy(spec)
    free['plumes'] = []
    out = FrameSimulator(spec).render(np.random.default_rng(0), agc)
    ref = FrameSimulator(free).render(np.random.default_rng(0), agc)
    return out, out['image'].astype(int) - ref['image'].astype(int)


@pytest.mark.parametrize('t_gas,polarity,sign', [
    (290.0, 'white_hot', -1),
    (310.0, 'white_hot', +1),
    (290.0, 'black_hot', +1),
])
def test_sign_of_contrast(t_gas, polarity, sign):
    spec = frame_spec(bands(t_gas, [(-1, H + 1, 300.0)]),
                      [plume(20, 40, 0.0, t_gas)], polarity=polarity)
    out, diff = render_pair(spec, agc=(285.0, 315.0))
    mask = out['mask'].astype(bool)
    assert mask.sum() > 100
    # colder gas lowers the apparent temperature everywhere, warmer raises
    assert (np.sign(out['contrast'][mask]) == (-1 if t_gas < 300 else 1)).all()
    # ... and the image follows the palette, pixel by pixel
    assert (sign * diff >= 0).all()
    assert (sign * diff[mask] > 0).mean() > 0.8


def test_contrast_reversal_from_ground_into_sky():
    horizon = H // 2
    t_air = 288.0
    scene = bands(t_air, [(-1, horizon, 272.0), (horizon, H + 1, 300.0)])
    # a light gas rising from a leak on the warm ground into the cold sky
    p = plume(W / 2, H - 6, -math.pi / 2, t_air, buoyancy=-2.0,
              jet_length=20.0)
    out, diff = render_pair(frame_spec(scene, [p]), agc=(268.0, 304.0))
    mask = out['mask'].astype(bool)
    rows = np.arange(H)[:, None]
    sky = mask & (rows < horizon - 3)
    ground = mask & (rows >= horizon + 3)
    assert sky.sum() > 30 and ground.sum() > 30
    assert (out['contrast'][sky] > 0).all()  # bright against the sky
    assert (out['contrast'][ground] < 0).all()  # dark against the ground
    assert (diff[sky] >= 0).all() and (diff[sky] > 0).mean() > 0.5
    assert (diff[ground] <= 0).all() and (diff[ground] < 0).mean() > 0.5


def test_gas_at_background_temperature_is_invisible_and_unlabelled():
    spec = frame_spec(bands(300.0, [(-1, H + 1, 300.0)]),
                      [plume(20, 40, 0.0, 300.0, peak_opacity=0.3)])
    out, diff = render_pair(spec, agc=(285.0, 315.0))
    assert np.abs(out['contrast']).max() < 1e-3
    assert out['mask'].sum() == 0
    assert (diff == 0).all()


def _components(mask):
    import cv2
    return cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)


@pytest.mark.parametrize('outlined', [False, True])
def test_labels_follow_the_visible_gas(outlined):
    """Generator 1.2's rule labels exactly the visible gas, trimmed to each
    region's core; 1.3's default outlines it like an annotator: every
    region holds visible gas, has no holes, and covers most of the gas
    that stands out (1.5: by at least ``conspicuity_grey`` grey levels;
    1.6: and ``conspicuity_scr`` times the scene's clutter)."""
    preset = get_preset('default')
    if not outlined:
        preset['label']['outline'] = None
    checked = 0
    for i in range(6):
        rng = np.random.default_rng(np.random.SeedSequence(3, spawn_key=(i,)))
        spec = sample_frame_spec(rng, 128, 96, preset)
        out = FrameSimulator(spec).render(np.random.default_rng(i))
        grey_k = (out['agc'][1] - out['agc'][0]) / 255.0
        netd = out['netd']
        thr = visibility_threshold(spec['label'], netd, grey_k)
        np.testing.assert_allclose(out['threshold'], thr, rtol=1e-6)
        # k x the noise of the delivered image (the sensor's temporal noise
        # at that pixel and the 8-bit step of the AGC), and at least
        # min_grey_levels display steps; never below the physics notes'
        # 1 x NETD
        lab = preset['label']
        np.testing.assert_allclose(
            thr,
            np.maximum(lab['visibility_netd'] *
                       np.hypot(netd, grey_k / 12**0.5),
                       lab['min_grey_levels'] * grey_k), rtol=1e-5)
        assert (thr >= netd).all() and (thr >= grey_k - 1e-9).all()
        visible = np.abs(out['contrast']) > thr
        mask = out['mask'].astype(bool)
        checked += int(visible.any())
        if not outlined:
            # each visible region is cut at a fraction of its core contrast
            expected = trim_to_core(visible, np.abs(out['contrast']),
                                    lab['core_fraction'])
            np.testing.assert_array_equal(mask, expected)
            assert not (mask & ~visible).any()
            continue
        num, regions = _components(mask)
        for k in range(1, num):
            assert (visible & (regions == k)).any()
        np.testing.assert_array_equal(fill_holes(mask), mask)
        # what the eye sees stand out: the contrast over the eye's scale
        outline = lab['outline']
        seen = cv2.GaussianBlur(np.abs(out['contrast']), (0, 0),
                                outline['eye_sigma'] * 0.4)  # 128 / 320 px
        clutter = scene_clutter(out['scene'], outline['eye_sigma'] * 0.4,
                                outline['clutter_sigma'] * 0.4)
        strong = (seen >= outline['conspicuity_grey'] * grey_k) & (
            seen >= outline['conspicuity_scr'] * clutter)
        if strong.sum() > 50:
            assert (strong & mask).sum() >= 0.5 * strong.sum()
    assert checked >= 3


def test_annotator_outline_is_one_smooth_region_per_plume():
    """A turbulent plume shows as visible fragments with gaps inside a
    faint body the eye follows: the outline joins them into one region
    without holes, leaves out the halo beyond the body and a faint region
    with no visible gas, and drops specks."""
    rng = np.random.default_rng(0)
    h, w = 60, 160
    grey_k = 0.05
    yy, xx = np.mgrid[:h, :w]
    # the plume's body: 0.12 K (2.4 grey levels, below the per-pixel
    # threshold of 0.2 K) along a band ...
    contrast = np.where(np.abs(yy - 30) < 8, 0.12, 0.0).astype(np.float32)
    contrast[:, 120:] = 0.0
    # ... broken into visible fragments of 0.4 K
    for x0 in range(10, 110, 20):
        contrast[24:36, x0:x0 + 12] = 0.4
    # a faint patch with nothing visible in it, and a speck
    contrast[2:12, 130:150] = 0.12
    contrast[50, 140] = 0.5
    noise = np.full((h, w), 0.2, np.float32)
    contrast += rng.normal(0, 0.005, contrast.shape).astype(np.float32)
    visible = np.abs(contrast) > noise
    assert _components(visible)[0] - 1 >= 5  # fragments per pixel
    mask = outline_like_annotator(visible, np.abs(contrast), noise, grey_k,
                                  eye_sigma=3.0, region_grey=1.0,
                                  core_fraction=0.3, min_area=30)
    num, regions = _components(mask)
    assert num - 1 == 1  # one region
    np.testing.assert_array_equal(fill_holes(mask), mask)
    # it spans the fragments, through the gaps between them
    assert mask[30, 12:108].all()
    # neither the far halo, nor the faint patch, nor the speck
    assert not mask[:15].any() and not mask[45:].any()
    assert not mask[:, 130:].any()


def test_annotator_outlines_only_conspicuous_regions():
    """Generator 1.5: a region that clears the noise but whose core is a
    few grey levels is not outlined; a conspicuous plume keeps its faint
    tail. Video sequences keep every seeded region (motion shows them)."""
    h, w = 60, 160
    grey_k = 0.05
    contrast = np.zeros((h, w), np.float32)
    # a plume with a 20-grey-level core and a faint (2.4 grey) tail
    contrast[22:38, 10:50] = 1.0
    contrast[24:36, 50:90] = 0.12
    # apart, a patch 6 grey levels deep: above the noise, not conspicuous
    contrast[20:40, 115:145] = 0.3
    noise = np.full((h, w), 0.2, np.float32)
    visible = contrast > noise
    kwargs = dict(eye_sigma=3.0, region_grey=1.0, core_fraction=0.1,
                  min_area=30)
    both = outline_like_annotator(visible, contrast, noise, grey_k, **kwargs)
    assert both[30, 130] and both[30, 30]
    mask = outline_like_annotator(visible, contrast, noise, grey_k,
                                  conspicuity_grey=10.0, **kwargs)
    assert not mask[:, 105:].any()
    assert mask[30, 12:85].all()  # the plume with its faint tail
    np.testing.assert_array_equal(mask[:, :105], both[:, :105])
    still = get_preset('default')['label']['outline']
    assert still['conspicuity_grey'] == 10.0
    video = get_preset('default', 'sequences')['label']['outline']
    assert video['conspicuity_grey'] == 0.0
    assert get_preset('default', 'sequences')['video'] == get_preset(
        'default')['video']


def test_annotator_skips_gas_hidden_in_the_scene_clutter():
    """Generator 1.6: two equal plumes, one over a plain wall, one that
    only shifts the shade of a striped, piped stretch of the scene. The
    clutter test drops the second; a plume whose conspicuous body lies on
    the plain wall keeps its tail over the clutter. Video keeps both."""
    h, w = 60, 320  # label_mask's scales are for 320 px wide frames
    grey_k = 0.05
    scene = np.full((h, w), 290.0, np.float32)
    # a rack of hot pipes, 10 K above the wall, on x 110..200
    for x0 in range(110, 200, 16):
        scene[:, x0:x0 + 8] = 300.0
    contrast = np.zeros((h, w), np.float32)
    contrast[22:38, 20:60] = 1.0  # 20 grey levels over the plain wall
    contrast[24:36, 60:120] = 0.3  # its faint tail reaches the rack
    contrast[22:38, 140:180] = 1.0  # the same plume over the rack
    noise = np.full((h, w), 0.2, np.float32)
    visible = contrast > noise
    clutter = scene_clutter(scene, eye_sigma=3.0, window_sigma=12.0)
    assert clutter[30, 30] < 0.01 and clutter[30, 160] > 1.0
    kwargs = dict(eye_sigma=3.0, region_grey=1.0, core_fraction=0.1,
                  min_area=30, conspicuity_grey=10.0)
    both = outline_like_annotator(visible, contrast, noise, grey_k, **kwargs)
    assert both[30, 40] and both[30, 160]
    mask = outline_like_annotator(visible, contrast, noise, grey_k,
                                  clutter=clutter, conspicuity_scr=1.0,
                                  **kwargs)
    assert not mask[:, 135:200].any()
    assert mask[30, 22:115].all()  # body and tail
    # label_mask computes the clutter from the displayed gas-free scene
    rule = dict(outline=dict(kwargs, conspicuity_scr=1.0,
                             clutter_sigma=12.0))
    np.testing.assert_array_equal(
        label_mask(rule, contrast, visible, noise, grey_k, scene),
        mask.astype(np.uint8))
    with pytest.raises(ValueError, match='gas-free scene'):
        label_mask(rule, contrast, visible, noise, grey_k)
    still = get_preset('default')['label']['outline']
    assert still['conspicuity_scr'] == 1.0
    video = get_preset('default', 'sequences')['label']['outline']
    assert video['conspicuity_scr'] == 0.0


def test_trim_to_core_keeps_the_body_of_each_region():
    contrast = np.zeros((40, 80), np.float32)
    # a strong core (2 K) inside a wide faint halo (0.2 K) ...
    contrast[5:35, 2:38] = 0.2
    contrast[15:25, 12:28] = 2.0
    # ... and, apart, a uniformly faint region
    contrast[10:30, 50:70] = 0.2
    visible = contrast > 0.1
    mask = trim_to_core(visible, contrast, core_fraction=0.3)
    np.testing.assert_array_equal(mask[:, :40], contrast[:, :40] >= 0.6)
    np.testing.assert_array_equal(mask[:, 40:], visible[:, 40:])
    # nothing outside the visible gas, and no change without a fraction
    assert not (mask & ~visible).any()
    np.testing.assert_array_equal(
        trim_to_core(visible, contrast, 0.0), visible)


def test_region_of_interest_gain_narrows_the_span_around_the_leak():
    # a hot pipe far from the leak stretches a whole-frame AGC; the ROI
    # gain around the leak saturates it and shows the gas in more grey
    # levels
    t_air = 300.0
    scene = bands(t_air, [(-1, H + 1, 295.0), (2, 8, 340.0)])
    p = plume(20, 50, 0.0, t_air, peak_opacity=0.2, sigma0=3.0)
    spec = frame_spec(scene, [p])
    whole = FrameSimulator(spec).render(np.random.default_rng(0))
    spec['sensor']['agc_roi'] = 0.4
    roi = FrameSimulator(spec).render(np.random.default_rng(0))
    span = lambda out: out['agc'][1] - out['agc'][0]  # noqa: E731
    assert span(whole) > 20 and span(roi) == pytest.approx(5.0)
    assert roi['image'][2:8].min() == 255  # the pipe saturates
    grey = lambda out: np.abs(out['contrast']).max() / span(out)  # noqa
    assert grey(roi) > 3 * grey(whole)
    assert roi['mask'].sum() > whole['mask'].sum()


def test_gas_where_the_display_saturates_is_not_labelled():
    # warm gas over a cold band that the AGC clips to black: physically
    # there is contrast, but the frame shows none there, so no label
    t_air = 300.0
    scene = bands(t_air, [(-1, H // 2, 250.0), (H // 2, H + 1, 290.0)])
    p = plume(10, H // 2, 0.0, t_air, peak_opacity=0.3, sigma0=6.0,
              jet_length=30.0)
    agc = (280.0, 300.0)
    out, diff = render_pair(frame_spec(scene, [p]), agc=agc)
    cold = np.zeros((H, W), bool)
    cold[:H // 2 - 4] = True
    warm = np.zeros((H, W), bool)
    warm[H // 2 + 4:] = True
    # the gas lifts the cold band by less than the 30 K below the AGC floor
    assert (out['apparent'][cold] < agc[0]).all()
    assert out['mask'][cold].sum() == 0 and (diff[cold] == 0).all()
    assert out['mask'][warm].sum() > 30
    assert (diff[warm & out['mask'].astype(bool)] > 0).mean() > 0.8


def test_cold_backgrounds_are_noisier_for_photon_limited_cameras():
    spec = frame_spec(bands(288.0, [(-1, H // 2, 260.0),
                                    (H // 2, H + 1, 303.15)]), [])
    for band, lo, hi in (('mwir', 2.0, 5.0), ('lwir', 1.1, 2.0)):
        spec['sensor']['band'] = band
        out = FrameSimulator(spec).render(np.random.default_rng(0))
        netd = spec['sensor']['netd']
        assert out['netd'][-1, W // 2] == pytest.approx(netd, rel=0.02)
        assert lo * netd < out['netd'][0, W // 2] < hi * netd


def test_radiometry():
    t = np.linspace(250.0, 350.0, 11)
    for lam in (3.3, 10.5):
        np.testing.assert_allclose(inverse_planck(planck(t, lam), lam), t,
                                   rtol=1e-9)
    # Beer-Lambert
    assert opacity_from_column(np.array(0.0), 1.0) == 0.0
    assert float(opacity_from_column(np.array(2.0), 0.5)) == pytest.approx(
        1 - math.exp(-1.0))
    # linearised apparent contrast a (T_g - T_b) for thin, small-dT gas;
    # mid-wave radiance is steeper than linear in T, so the exact contrast
    # is larger for warmer gas than for colder gas of the same |dT|
    a, tb = 0.02, 300.0
    for tg in (299.0, 301.0):
        dt = float(apparent_contrast(np.array(tb), np.array(a), tg, 3.3))
        assert dt == pytest.approx(a * (tg - tb), rel=0.03)
    warm = float(apparent_contrast(np.array(tb), np.array(a), 305.0, 3.3))
    cold = float(apparent_contrast(np.array(tb), np.array(a), 295.0, 3.3))
    assert warm > -cold > 0
    # opaque gas shows its own temperature
    assert float(apparent_contrast(np.array(tb), np.array(1.0), 280.0,
                                   3.3)) == pytest.approx(-20.0)


def test_surface_stains_are_sharp_edged_patches_not_plume_turbulence():
    """Generator 1.3 paints weathered surfaces with emissivity patches (a
    two-level field with sharp edges over a faint grain); up to 1.2 they
    carried fractal noise, the kind of field a plume's turbulence is. The
    rest of the scene does not depend on the kind."""
    from mmgas.datasets.synthetic.scene import (STRUCTURE, _surface_texture,
                                                render_scene, sample_scene)
    cfg = get_preset('default')['scene']
    spec = sample_scene(np.random.default_rng(3), 160, 120, cfg)
    assert spec['structure_texture']['kind'] == 'stains'
    tex = dict(spec['structure_texture'], k=1.0)
    stains = _surface_texture(tex, (120, 160))
    fractal = _surface_texture(dict(tex, kind='fractal'), (120, 160))

    def edge_share(field):
        # share of the total variation carried by the steepest 5 % of the
        # pixel-to-pixel steps: high for patches, low for smooth noise
        steps = np.abs(np.diff(field, axis=1)).ravel()
        top = np.sort(steps)[-len(steps) // 20:]
        return top.sum() / steps.sum()

    assert edge_share(stains) > 2 * edge_share(fractal)
    # the scene outside the structures is the same for either kind
    with_stains = render_scene(spec, 160, 120)
    spec_fractal = dict(spec, structure_texture=dict(
        spec['structure_texture'], kind='fractal'))
    with_fractal = render_scene(spec_fractal, 160, 120)
    outside = with_stains['region'] != STRUCTURE
    np.testing.assert_array_equal(with_stains['temperature'][outside],
                                  with_fractal['temperature'][outside])
    assert not np.array_equal(with_stains['temperature'],
                              with_fractal['temperature'])

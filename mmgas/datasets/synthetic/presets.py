"""Difficulty presets of the synthetic generator (data, not code).

``BASE`` follows the ranges of the physics notes
(``docs/synthetic_data.md``):
peak opacity 0.005-0.3 (30 % of the leaks small, below 0.1; the rest
0.1-0.3), gas 1-20 K off its background (typically 2-10 K, set by sky,
ground and equipment temperatures), cooled MWIR cameras with 10-20 mK NETD
and some uncooled LWIR ones with 30-60 mK, stripes of 0.2-1 x NETD, a
percentile AGC over a span of at least 5 K, plume turbulence with the
Obukhov-Corrsin spectrum down to the pixel scale.

``default`` (generator 1.2) is BASE recorded the way a labelled OGI data
set is: a survey at 2-15 m with the camera's gain set on the leak's
surroundings in 70 % of the frames, frames kept only when one leak shows
clearly (re-drawn otherwise), and each visible region outlined where its
contrast falls to 30 % of its core, as an annotator draws it. ``hard`` is
BASE without that curation (faint leaks, overcast skies, more uncooled
cameras and distractors); ``easy`` keeps the stronger and larger leaks on
cooled cameras without distractors. Ranges are (low, high) of a uniform
draw unless noted.
"""
import copy

BASE = dict(
    scene=dict(
        t_air=(268.0, 308.0),
        # clear-sky apparent temperature below the air (K) at the zenith
        sky_deficit=(5.0, 18.0),
        overcast_prob=0.25,
        # sunlit ground above the air (K)
        ground_offset=(-2.0, 10.0),
        # process lines: hot, warm, ambient, cold
        line_probs=(0.3, 0.2, 0.35, 0.15),
        layout_probs=dict(
            pipe_rack=0.3, tank=0.2, stack=0.15, equipment=0.2, open=0.15),
        glint_prob=0.15,
        person_prob=0.05),
    camera=dict(
        # camera-to-leak distance (m), log-uniform
        distance=(3.0, 40.0),
        # instantaneous field of view at 320 px across (GF320, 24 deg lens)
        ifov_mrad=1.31),
    wind=dict(
        speed=(0.5, 5.0),  # m/s, log-uniform
        # Pasquill-Gifford classes A..F
        stability_probs=(0.03, 0.1, 0.2, 0.4, 0.17, 0.1),
        direction_std=(0.08, 0.35),  # rad
        timescale=(10.0, 40.0)),  # frames
    gas=dict(
        # number of leaks when the image has gas: 1, 2, 3, 4
        count_probs=(0.55, 0.3, 0.1, 0.05),
        empty_prob=0.05,
        free_source_prob=0.1,
        # peak opacity: log-uniform in (low, split) for the small leaks,
        # else in (split, high); recorded leaks are mostly ones that show
        opacity=(0.005, 0.3),
        opacity_split=0.1,
        small_leak_prob=0.3,
        # the operator aims the camera at the leak: sources are picked with
        # a Gaussian preference (sigma, fraction of the frame) for the
        # frame's centre; None = anywhere
        aim_sigma=0.25,
        gas_probs=(0.5, 0.3, 0.2),  # light (rises), neutral, heavy (sinks)
        # source temperature: ambient, Joule-Thomson cooled, hot process
        t_source_probs=(0.65, 0.25, 0.1),
        max_age=300,
        fps=15.0,
        # log-normal modulation of the column by multi-octave noise: the
        # amplitude ratio per octave of a k^-5/3 (Obukhov-Corrsin) scalar
        # spectrum is 2^(-1/3) = 0.79; octaves reach the pixel scale, and
        # the far plume is intermittent (beta_far)
        turbulence=dict(persistence=(0.72, 0.82), octaves=6,
                        beta_far=(0.9, 1.4))),
    distractors=dict(steam_prob=0.2, exhaust_prob=0.15, shimmer_prob=0.3,
                     shimmer_amplitude=(0.2, 0.8)),
    sensor=dict(
        uncooled_prob=0.2,
        netd_cooled=(10.0, 20.0),  # mK
        netd_uncooled=(30.0, 60.0),  # mK
        fpn_factor=(0.2, 1.0),  # x NETD
        psf_sigma=(0.5, 1.0),  # px
        tau_atm=(0.85, 1.0),
        min_span=5.0,  # K
        black_hot_prob=0.1,
        fps=15.0),
    label=dict(
        # label where |dT_app| > 2 x the image noise (NETD and, with
        # `quantisation`, the 8-bit step of the AGC / sqrt(12)) and at least
        # `min_grey_levels` display grey levels
        visibility_netd=2.0,
        quantisation=True,
        min_grey_levels=2.0,
        # > 0: outline each visible region where its contrast falls to this
        # fraction of its core (90th percentile), see `trim_to_core`
        core_fraction=0.0,
        # images meant to show gas are re-drawn (new leaks, same scene) up to
        # `retries` times while fewer pixels are visible, as a curated data
        # set only keeps frames with visible gas
        min_visible_px=10,
        retries=4),
    video=dict(
        flicker=(0.3, 1.0),  # x NETD, near-ground background flicker
        # generator 1.4 (`motion.py`): camera shake, rms px of a tripod or
        # mast and of a hand-held camera, correlated over `shake_timescale`
        # frames; people, vehicles and swaying vegetation in the scene
        handheld_prob=0.3,
        shake_px=(0.02, 0.3),
        handheld_shake_px=(0.5, 2.0),
        shake_timescale=(2.0, 10.0),
        person_prob=0.35,
        vehicle_prob=0.2,
        vegetation_prob=0.35),
)


def _merge(base, override):
    out = copy.deepcopy(base)
    for k, v in override.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and \
                not k.endswith('_probs'):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


# generator 1.2's default: BASE recorded like a labelled OGI data set
DEFAULT = _merge(
    BASE,
    dict(
        # close surveys: leaks fill more of the frame
        camera=dict(distance=(2.0, 15.0)),
        gas=dict(count_probs=(0.6, 0.3, 0.1, 0.0), small_leak_prob=0.1),
        # the operator sets the gain on the leak's surroundings (ROI box
        # of 25-50 % of the frame) in 70 % of the frames, elsewhere a
        # tighter percentile stretch; spans stay >= 5 K (<= 150 mK/grey)
        # generator 1.3: what real footage carries besides the scene:
        # residual vignetting (K darker at the corners) and camera overlays
        sensor=dict(agc_low=(2.0, 10.0), agc_high=(90.0, 98.0),
                    agc_roi_prob=0.7, agc_roi_size=(0.25, 0.5),
                    vignetting=(0.0, 1.5), overlay_prob=0.5,
                    black_hot_prob=0.0),
        # generator 1.3: the open-ground layout (wellheads, leaks at
        # ground level) and the black-hot display are held out of the
        # train/val/test splits (the `heldout` split shows only them);
        # surfaces carry emissivity stains with sharp edges, not the
        # fractal texture of a plume (`scene._surface_texture`)
        scene=dict(layout_probs=dict(pipe_rack=0.35, tank=0.25, stack=0.15,
                                     equipment=0.25, open=0.0),
                   surface_texture='stains'),
        label=dict(
            min_grey_levels=3.0,
            core_fraction=0.3,
            # generator 1.3: outlined as annotators draw plumes, one smooth
            # region per plume (`outline_like_annotator`); eye_sigma and
            # min_area for a 320 px wide frame
            outline=dict(eye_sigma=3.0, region_grey=1.0, core_fraction=0.3,
                         min_area=30, conspicuity_grey=10.0,
                         conspicuity_scr=1.0, clutter_sigma=12.0),
            # a recorded frame shows its leak: re-drawn until one plume
            # has >= min_plume_px labelled px (at 320x240) and a core of
            # >= min_core_grey grey levels; else the best of the draws
            min_visible_px=100,
            min_plume_px=800,
            min_core_grey=20.0,
            retries=10),
        # generator 1.5, still images: a region is outlined only when some
        # part of it (eye-smoothed) stands >= conspicuity_grey grey levels
        # out of the frame (a wash of a few grey levels over a wall or the
        # ground is not seen in one frame); generator 1.6: and at least
        # conspicuity_scr times the local clutter of the gas-free scene
        # (over a clutter_sigma px window, 320 px wide frame) there: gas
        # that only shifts the shade of a pipe is not seen either. Video
        # frames keep every seeded region: annotators follow faint gas by
        # its motion (overrides of video sequences)
        sequences=dict(label=dict(outline=dict(conspicuity_grey=0.0,
                                               conspicuity_scr=0.0))),
        # overrides of the `heldout` split: scenes, leak sources and a
        # camera setting the other splits never contain
        heldout=dict(
            scene=dict(layout_probs=dict(open=1.0)),
            sensor=dict(black_hot_prob=1.0))))

PRESETS = dict(
    easy=_merge(
        BASE,
        dict(
            scene=dict(sky_deficit=(10.0, 18.0), overcast_prob=0.1,
                       ground_offset=(3.0, 10.0)),
            camera=dict(distance=(3.0, 12.0)),
            gas=dict(count_probs=(0.7, 0.3, 0.0, 0.0), empty_prob=0.0,
                     opacity=(0.08, 0.3), opacity_split=0.08,
                     small_leak_prob=0.0),
            distractors=dict(steam_prob=0.05, exhaust_prob=0.05,
                             shimmer_prob=0.1),
            sensor=dict(uncooled_prob=0.0, black_hot_prob=0.0),
            label=dict(min_visible_px=200))),
    default=copy.deepcopy(DEFAULT),
    # NOT physical: peak opacity 0.6-0.9 is beyond the physics notes'
    # 0.005-0.3. Close, strong, well-framed leaks without distractors and
    # with generator 1.1's smoother turbulence (so the sets behind the
    # figures measured on it stay byte for byte the same): for smoke tests
    # of learning, export parity and head/label comparisons.
    strong=_merge(
        BASE,
        dict(
            scene=dict(overcast_prob=0.0),
            camera=dict(distance=(2.0, 6.0)),
            gas=dict(opacity=(0.6, 0.9), small_leak_prob=0.0,
                     t_source_probs=(0.3, 0.4, 0.3), aim_sigma=0.2,
                     turbulence=dict(persistence=(0.5, 0.7), octaves=4,
                                     beta_far=(0.7, 1.25))),
            distractors=dict(steam_prob=0.0, exhaust_prob=0.0,
                             shimmer_prob=0.0),
            label=dict(min_grey_levels=3.0))),
    hard=_merge(
        BASE,
        dict(
            scene=dict(overcast_prob=0.45, ground_offset=(-2.0, 6.0)),
            camera=dict(distance=(5.0, 40.0)),
            gas=dict(count_probs=(0.45, 0.3, 0.15, 0.1), empty_prob=0.1,
                     opacity=(0.005, 0.08), opacity_split=0.02,
                     small_leak_prob=0.5),
            distractors=dict(steam_prob=0.4, exhaust_prob=0.3,
                             shimmer_prob=0.5),
            sensor=dict(uncooled_prob=0.4),
            label=dict(min_visible_px=4))),
)


def get_preset(name, split=None, overrides=None):
    """Return a deep copy of the named preset
    (``easy|default|hard|strong``).

    Args:
        name (str): The preset.
        split (str, optional): ``'heldout'`` applies the preset's
            ``heldout`` overrides (scenes and cameras the other splits
            never contain); a preset without them has no held-out split.
            ``'sequences'`` applies its overrides of video sequences, if
            any.
        overrides (dict, optional): Nested values merged over the preset
            (after the split's), e.g. ``{'label': {'outline': None}}`` for
            an ablation.
    """
    if name not in PRESETS:
        raise KeyError(f'unknown difficulty {name!r}; choose one of '
                       f'{sorted(PRESETS)}')
    preset = copy.deepcopy(PRESETS[name])
    heldout = preset.pop('heldout', None)
    sequences = preset.pop('sequences', None)
    if split == 'heldout':
        if heldout is None:
            raise ValueError(f'the {name!r} preset has no held-out split; '
                             "only 'default' defines one")
        preset = _merge(preset, heldout)
    elif split == 'sequences' and sequences:
        preset = _merge(preset, sequences)
    if overrides:
        preset = _merge(preset, overrides)
    return preset

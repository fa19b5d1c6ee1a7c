"""What moves in synthetic OGI video besides the gas (generator 1.4): camera
shake moves scene and gas together while the sensor stays; people and
vehicles cross the scene at their physical speeds; vegetation sways about
its base; with nothing moving the module changes nothing; and the temporal
splits on disk feed TemporalGasDataset."""
import copy
import json

import cv2
import numpy as np
import pytest

from mmgas.datasets import TemporalGasDataset
from mmgas.datasets.synthetic import (generate_dataset, get_preset,
                                      render_frames, sample_frame_spec)
from mmgas.datasets.synthetic.motion import SceneMotion, sample_motion

SHAPE = (96, 128)


def quiet(*args):
    pass


def still(**changes):
    spec = dict(shake=dict(handheld=False, rms_px=0.0, timescale=5.0,
                           seed=0), movers=[], vegetation=[])
    spec.update(changes)
    return spec


def video_spec(seed=3):
    preset = get_preset('default', 'sequences')
    spec = sample_frame_spec(np.random.default_rng(seed), SHAPE[1], SHAPE[0],
                             preset)
    spec['distractors'], spec['shimmer'], spec['flicker'] = [], None, 0.0
    return spec


def test_nothing_moving_changes_nothing():
    spec = video_spec()
    plain = list(render_frames(spec, 4, noise_seed=1))
    spec['motion'] = still()
    moving = list(render_frames(spec, 4, noise_seed=1))
    for a, b in zip(plain, moving):
        np.testing.assert_array_equal(a['image'], b['image'])
        np.testing.assert_array_equal(a['mask'], b['mask'])


def iou(a, b):
    return (a & b).sum() / max((a | b).sum(), 1)


def test_shake_moves_the_scene_with_its_gas():
    spec = video_spec()
    spec['motion'] = still()
    steady = list(render_frames(spec, 6, noise_seed=1))
    spec['motion'] = still(shake=dict(handheld=True, rms_px=2.0,
                                      timescale=3.0, seed=7))
    shaken = list(render_frames(spec, 6, noise_seed=1))
    offsets = SceneMotion(spec['motion'], SHAPE, 6).shake.offsets
    assert np.abs(offsets).max() > 1.0
    inner = (slice(8, -8), slice(8, -8))
    for t, (a, b) in enumerate(zip(steady, shaken)):
        # the plume evolves the same way: frame t of the shaken camera is
        # the steady camera's frame t moved by the shake, scene and gas
        # alike (the label is drawn from the moved contrast)
        # (up to interpolation and the AGC limits, which the shake changes a
        # little)
        if np.abs(offsets[t]).max() < 0.5:
            continue
        for key in ('apparent', 'contrast'):
            moved = cv2.warpAffine(
                a[key], np.float32([[1, 0, offsets[t, 0]],
                                    [0, 1, offsets[t, 1]]]), SHAPE[::-1],
                flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
            err = np.abs(b[key] - moved)[inner].mean()
            unmoved = np.abs(b[key] - a[key])[inner].mean()
            assert err < 0.3 * unmoved, (t, key)
        moved_mask = cv2.warpAffine(
            a['mask'].astype(np.float32),
            np.float32([[1, 0, offsets[t, 0]], [0, 1, offsets[t, 1]]]),
            SHAPE[::-1], flags=cv2.INTER_LINEAR) > 0.5
        label = b['mask'].astype(bool)
        assert iou(moved_mask, label) > 0.8


def person(**changes):
    p = dict(kind='person', x=40.0, base=90.0, height=50.0, vx=3.0,
             speed_ms=1.2, t_body=300.0, t_head=306.0, stride_frames=8.0,
             phase=0.0)
    p.update(changes)
    return p


def test_people_and_vehicles_cross_the_scene():
    scene = np.full(SHAPE, 290.0, np.float32)
    vehicle = dict(kind='vehicle', x=80.0, base=35.0, length=40.0, vx=-2.0,
                   speed_ms=3.0, t_body=292.0, t_engine=310.0, t_tyre=297.0)
    motion = SceneMotion(still(movers=[person(height=40.0), vehicle]), SHAPE,
                         20)

    def centre_x(t, lo, hi):
        drawn = motion.background(scene, t) - scene
        rows = drawn[lo:hi]
        xs = np.nonzero(np.abs(rows) > 0.5)[1]
        return xs.mean()

    # the person (rows 50-90) walks right, the car (rows 21-35) drives left
    assert centre_x(10, 60, 90) - centre_x(0, 60, 90) == pytest.approx(
        30.0, abs=3.0)
    assert centre_x(10, 22, 34) - centre_x(0, 22, 34) == pytest.approx(
        -20.0, abs=3.0)
    # the static scene is not touched: a new array every frame
    assert np.all(scene == 290.0)
    hot = motion.background(scene, 0)
    assert hot.max() == pytest.approx(310.0, abs=0.5)  # the engine bay


def test_vegetation_sways_about_its_base():
    bush = dict(kind='bush', x0=30.0, x1=90.0, y0=20.0, y1=80.0,
                t_leaf=291.0, texture_k=1.0, sway_px=3.0, period_frames=20.0,
                phase=0.0, seed=1)
    motion = SceneMotion(still(vegetation=[bush]), SHAPE, 40)
    scene = np.full(SHAPE, 280.0, np.float32)
    a, b = motion.background(scene, 0), motion.background(scene, 5)
    change = np.abs(b - a)
    top, bottom = change[20:40].mean(), change[60:80].mean()
    assert top > 0.05
    assert top > 3 * bottom  # the crown moves, the base stays


def test_sampled_motion_follows_the_preset():
    cfg = get_preset('default')['video']
    spec = video_spec()
    draws = [sample_motion(np.random.default_rng(s), spec, cfg, 15.0)
             for s in range(300)]
    handheld = np.mean([d['shake']['handheld'] for d in draws])
    assert handheld == pytest.approx(cfg['handheld_prob'], abs=0.08)
    people = [m for d in draws for m in d['movers'] if m['kind'] == 'person']
    cars = [m for d in draws for m in d['movers'] if m['kind'] == 'vehicle']
    assert people and cars
    for p in people:
        assert 0.8 <= p['speed_ms'] <= 1.6
        # pixel speed from the person's size: 1.7 m tall
        assert abs(p['vx']) == pytest.approx(
            p['speed_ms'] * p['height'] / 1.7 / 15.0, rel=1e-2)
    for c in cars:
        assert 1.5 <= c['speed_ms'] <= 6.0
        assert c['t_engine'] > c['t_body']
    for d in draws:
        rms = d['shake']['rms_px']
        assert rms <= (2.0 if d['shake']['handheld'] else 0.3)
    json.dumps(draws)  # recorded in sequence.json
    assert sample_motion(np.random.default_rng(0), spec, {}, 15.0) is None


def test_temporal_splits_on_disk(tmp_path):
    root = tmp_path / 'temporal'
    manifest = generate_dataset(
        str(root), num_train=0, num_val=0, num_test=0, size=(96, 72),
        video_splits=dict(train=2, test=1), video_frames=10, workers=1,
        log=quiet)
    assert manifest['params']['video_splits'] == dict(train=2, test=1)
    assert set(manifest['with_gas']) >= {'video_train', 'video_test'}
    for split, n in (('train', 2), ('test', 1)):
        names = sorted(p.name for p in (root / 'video' / split).iterdir())
        assert names == [f'seq_{k:04d}' for k in range(n)]
    train0 = root / 'video' / 'train' / 'seq_0000'
    test0 = root / 'video' / 'test' / 'seq_0000'
    # each split draws its own sequences
    assert (train0 / 'frames' / '000000.png').read_bytes() != \
        (test0 / 'frames' / '000000.png').read_bytes()
    info = json.loads((train0 / 'sequence.json').read_text())
    assert set(info['motion']) == {'shake', 'movers', 'vegetation'}
    dataset = TemporalGasDataset(data_root=str(root), seq_dir='video/train',
                                 history=4, pipeline=[])
    assert len(dataset) == 2 * (10 - 4)
    with pytest.raises(ValueError, match='unknown split'):
        generate_dataset(str(tmp_path / 'bad'), num_train=0, num_val=0,
                         num_test=0, video_splits=dict(holdout=1), log=quiet)


def test_shake_is_reproducible():
    spec = still(shake=dict(handheld=True, rms_px=1.0, timescale=4.0,
                            seed=3))
    a = SceneMotion(copy.deepcopy(spec), SHAPE, 30).shake.offsets
    b = SceneMotion(spec, SHAPE, 30).shake.offsets
    np.testing.assert_array_equal(a, b)
    # an AR(1) walk with the configured rms
    assert np.std(SceneMotion(spec, SHAPE, 5000).shake.offsets) == \
        pytest.approx(1.0, rel=0.2)

"""TemporalEncoding and LoadFrameHistory: a static scene has no motion, a
moving plume has, the first frames of a video, grey and colour frames, bad
histories, and a display gain that changes a frame and its history alike."""
import cv2
import numpy as np
import pytest

from mmgas.datasets.transforms import (LoadFrameHistory, RandomDisplayGain,
                                       TemporalDataError, TemporalEncoding,
                                       temporal_channels)


def scene(seed=0, size=(48, 64)):
    rng = np.random.default_rng(seed)
    return rng.integers(40, 200, size).astype(np.uint8)


def plume_sequence(num_frames=6, contrast=12):
    """A textured static scene with a faint blob drifting right."""
    background = scene()
    yy, xx = np.mgrid[:48, :64]
    frames, masks = [], []
    for t in range(num_frames):
        mask = (yy - 24)**2 + (xx - 10 - 6 * t)**2 < 36
        frame = background.astype(np.int16) + contrast * mask
        frames.append(np.clip(frame, 0, 255).astype(np.uint8))
        masks.append(mask)
    return frames, masks


@pytest.mark.parametrize('background', ['median', 'ema'])
def test_static_scene_gives_zero_motion_channels(background):
    frame = scene()
    encoded = temporal_channels(frame, [frame.copy() for _ in range(8)],
                                background=background)
    assert encoded.shape == (48, 64, 3) and encoded.dtype == np.uint8
    np.testing.assert_array_equal(encoded[..., 0], frame)
    assert (encoded[..., 1:] == 128).all()


@pytest.mark.parametrize('background', ['median', 'ema'])
def test_moving_plume_stands_out_in_both_motion_channels(background):
    frames, masks = plume_sequence()
    encoded = temporal_channels(frames[-1], frames[:-1], background=background,
                                window=4, lag=2, gain=4.0)
    inside, outside = masks[-1], ~masks[-1]
    # where the plume has been: the background window, and the lag frame
    visited = {1: np.any(masks[-5:], axis=0), 2: masks[-1] | masks[-3]}
    for channel in (1, 2):
        motion = encoded[..., channel].astype(np.int16) - 128
        # 12 grey levels x gain 4 on the plume, nothing where it never was
        assert motion[inside].mean() > 30
        assert np.abs(motion[~visited[channel]]).max() == 0
    # in the single frame the faint plume is buried in the scene texture
    grey = encoded[..., 0].astype(np.float32)
    assert grey[inside].mean() - grey[outside].mean() < grey.std()


def test_first_frames_before_the_history_fills():
    frames, _ = plume_sequence()
    alone = temporal_channels(frames[0], [])
    assert (alone[..., 1:] == 128).all()
    # one earlier frame: the background and the lag frame are that frame
    one = temporal_channels(frames[1], frames[:1], window=8, lag=2)
    np.testing.assert_array_equal(one[..., 1], one[..., 2])
    assert (one[..., 1] != 128).any()


def test_transform_pipeline_and_errors(tmp_path):
    frames, _ = plume_sequence()
    paths = []
    for t, frame in enumerate(frames):
        path = tmp_path / f'{t:06d}.png'
        cv2.imwrite(str(path), np.repeat(frame[..., None], 3, axis=2))
        paths.append(str(path))
    results = dict(img=cv2.imread(paths[-1]), history_paths=paths[:-1])
    results = LoadFrameHistory()(results)
    assert len(results['history']) == 5
    encoding = TemporalEncoding(window=4, lag=2)
    assert encoding.history_length == 4
    out = encoding(results)
    assert 'history' not in out and out['img'].shape == (48, 64, 3)
    np.testing.assert_array_equal(
        out['img'], temporal_channels(frames[-1], frames[:-1], window=4))

    with pytest.raises(TemporalDataError, match='not found'):
        LoadFrameHistory()(
            dict(img=frames[0], history_paths=[str(tmp_path / 'no.png')]))
    small = tmp_path / 'small.png'
    cv2.imwrite(str(small), np.zeros((24, 32, 3), np.uint8))
    with pytest.raises(TemporalDataError, match='one frame size'):
        LoadFrameHistory()(
            dict(img=cv2.imread(paths[0]), history_paths=[str(small)]))
    with pytest.raises(TemporalDataError, match='one frame size'):
        temporal_channels(frames[0], [np.zeros((24, 32), np.uint8)])
    with pytest.raises(ValueError, match='background'):
        TemporalEncoding(background='mean')
    with pytest.raises(ValueError, match='at least 1'):
        TemporalEncoding(lag=0)


def test_grey_frames_in_colour_encode_as_grey_and_colour_as_its_mean():
    frames, _ = plume_sequence()
    colour = [np.repeat(f[..., None], 3, axis=2) for f in frames]
    np.testing.assert_array_equal(
        temporal_channels(colour[-1], colour[:-1]),
        temporal_channels(frames[-1], frames[:-1]))
    # a real colour frame (a palette) is reduced to its channel mean
    tinted = [np.stack([f, f // 2, 255 - f], axis=2) for f in frames]
    mean = [np.mean(f.astype(np.float32), axis=2) for f in tinted]
    expected = temporal_channels(mean[-1], mean[:-1])
    np.testing.assert_array_equal(
        temporal_channels(tinted[-1], tinted[:-1]), expected)


def test_display_gain_changes_frame_and_history_alike():
    frame = np.repeat(scene()[..., None], 3, axis=2)
    results = dict(img=frame.copy(), history=[frame.copy() for _ in range(4)])
    gained = RandomDisplayGain(prob=1.0)(results)
    assert not np.array_equal(gained['img'], frame)
    for earlier in gained['history']:
        np.testing.assert_array_equal(earlier, gained['img'])
    # so a static scene still has no motion after it
    encoded = TemporalEncoding(window=4, lag=2)(gained)['img']
    assert (encoded[..., 1:] == 128).all()
    # and it is what PhotoMetricDistortion's contrast and brightness do
    np.random.seed(1)
    out = RandomDisplayGain(prob=1.0)(dict(img=frame.copy(), history=[]))
    np.random.seed(1)
    np.random.rand()
    contrast = np.random.uniform(0.5, 1.5)
    brightness = np.random.uniform(-32, 32)
    expected = np.clip(np.rint(128 + contrast * (frame - 128.0) +
                               brightness), 0, 255)
    np.testing.assert_array_equal(out['img'], expected)
    with pytest.raises(ValueError, match='contrast_range'):
        RandomDisplayGain(contrast_range=(0.0, 1.0))

import numpy as np
import pytest

from mmgas.datasets.transforms import (LocalContrastEncoding,
                                       local_contrast_channels)


def _frame(rng, h=96, w=128):
    # a scene: a bright pipe over a sky gradient, with sensor noise
    yy = np.mgrid[:h, :w][0]
    frame = 60 + 0.5 * yy + rng.normal(0, 1.0, (h, w))
    frame[40:48] = 230
    return frame


def test_channels_keep_the_frame_and_show_a_faint_plume():
    rng = np.random.default_rng(0)
    frame = _frame(rng)
    # a faint plume: 6 grey levels over the sky, a few windows wide
    plume = np.zeros_like(frame)
    plume[14:24, 70:86] = 6.0
    encoded = local_contrast_channels(np.clip(frame + plume, 0, 255))
    assert encoded.shape == (96, 128, 3) and encoded.dtype == np.uint8
    np.testing.assert_array_equal(
        encoded[..., 0], np.clip(np.rint(frame + plume), 0, 255))
    plain = local_contrast_channels(np.clip(frame, 0, 255))
    change = encoded.astype(float) - plain
    inside = change[16:22, 72:84].mean(axis=(0, 1))
    # the frame channel shows the plume's 6 grey levels; the contrast and
    # detail channels show it more than twice as strong
    assert inside[0] == pytest.approx(6, abs=0.5)
    assert inside[1] > 2 * inside[0] and inside[2] > 2 * inside[0]
    # flat, noisy sky far from edges stays near mid-grey (no amplified
    # quantisation noise)
    assert abs(plain[15:25, 10:30, 1].astype(float).mean() - 128) < 10


def test_scene_offset_and_grey_or_colour_input_give_the_same_contrast():
    rng = np.random.default_rng(1)
    frame = _frame(rng)
    a = local_contrast_channels(frame)
    b = local_contrast_channels(frame + 10)
    # a uniform offset changes the frame channel only
    np.testing.assert_allclose(a[..., 1:].astype(int), b[..., 1:].astype(int),
                               atol=1)
    colour = np.repeat(np.clip(np.rint(frame), 0, 255).astype(
        np.uint8)[..., None], 3, axis=2)
    np.testing.assert_array_equal(
        local_contrast_channels(colour),
        local_contrast_channels(colour[..., 0]))


def test_transform_replaces_the_image_and_checks_its_arguments():
    rng = np.random.default_rng(2)
    img = np.repeat(np.clip(_frame(rng), 0, 255).astype(np.uint8)[..., None],
                    3, axis=2)
    out = LocalContrastEncoding(sigma=4)(dict(img=img.copy()))
    np.testing.assert_array_equal(out['img'],
                                  local_contrast_channels(img, sigma=4))
    assert 'sigma=4.0' in repr(LocalContrastEncoding(sigma=4))
    with pytest.raises(ValueError, match='positive'):
        LocalContrastEncoding(sigma=0)

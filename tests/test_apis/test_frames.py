"""mmgas.apis.frames: normalisation of frames and reading of images,
folders and videos, with clear errors for bad input."""
import cv2
import numpy as np
import pytest

from mmgas.apis import (FrameError, FrameSource, InputError, normalise_frame,
                        percentile_stretch)
from mmgas.datasets.synthetic.sensor import Sensor


def _write_video(path, frames, fps=15.0, fourcc='MJPG'):
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(
        str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (w, h))
    assert writer.isOpened()
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def _noise_frames(count, h=48, w=64, seed=0):
    rng = np.random.default_rng(seed)
    return [
        rng.integers(0, 256, (h, w, 3), dtype=np.uint8) for _ in range(count)
    ]


def test_grey_and_bgra_become_bgr():
    grey = np.arange(12, dtype=np.uint8).reshape(3, 4)
    out = normalise_frame(grey)
    assert out.shape == (3, 4, 3) and out.dtype == np.uint8
    assert (out == grey[..., None]).all()
    bgra = np.dstack([np.full((3, 4), v, np.uint8) for v in (1, 2, 3, 200)])
    assert (normalise_frame(bgra) == [1, 2, 3]).all()


@pytest.mark.parametrize('channels', [2, 5])
def test_wrong_channel_count_is_named(channels):
    with pytest.raises(FrameError, match=f'{channels} channels'):
        normalise_frame(np.zeros((4, 4, channels), np.uint8))


def test_stretch_is_the_synthetic_sensor_agc():
    """16-bit/float frames get the AGC of the synthetic camera model."""
    rng = np.random.default_rng(0)
    kelvin = (295 + 3 * rng.standard_normal((60, 80))).astype(np.float32)
    spec = dict(
        seed=0,
        row_fpn=0.0,
        col_fpn=0.0,
        drift=0.0,
        agc_low=1.0,
        agc_high=99.0,
        min_span=0.0,
        polarity='white_hot')
    expected, _ = Sensor(spec, kelvin.shape).to_8bit(kelvin)
    ours = percentile_stretch(kelvin, (1.0, 99.0))
    # the sensor computes in float32, we in float64: rounding ties only
    assert np.abs(ours.astype(int) - expected).max() <= 1
    assert (ours == expected).mean() > 0.999


def test_16bit_and_float_frames():
    counts = np.tile(np.arange(0, 6400, 64, dtype=np.uint16), (10, 1))
    out = normalise_frame(counts)
    assert out.shape == (10, 100, 3)
    # warmer is brighter; the tails beyond the percentiles saturate
    row = out[0, :, 0].astype(int)
    assert (np.diff(row) >= 0).all() and row[0] == 0 and row[-1] == 255
    flat = np.full((5, 5), 1234, np.uint16)
    assert (normalise_frame(flat) == 128).all()
    # 16-bit counts: a 1e-12 span would vanish in float64 and give black
    flat = normalise_frame(np.full((5, 5), 60000, np.uint16))
    assert set(np.unique(flat)) <= {127, 128}
    temps = np.linspace(280, 300, 100, dtype=np.float32).reshape(10, 10)
    temps[0, 0] = np.nan  # a dead pixel
    out = normalise_frame(temps)
    assert out[0, 0, 0] == 0 and out[-1, -1, 0] == 255
    with pytest.raises(FrameError, match='no finite'):
        percentile_stretch(np.full((3, 3), np.nan))


def test_folder_skips_corrupt_and_wrong_channel_frames(tmp_path):
    for i in (2, 10):  # natural order: frame_2 before frame_10
        cv2.imwrite(
            str(tmp_path / f'frame_{i}.png'), np.full((8, 8), i, np.uint8))
    # a PNG cut short
    cv2.imwrite(str(tmp_path / 'full.png'), np.zeros((8, 8), np.uint8))
    (tmp_path / 'frame_5.png').write_bytes(
        (tmp_path / 'full.png').read_bytes()[:40])
    (tmp_path / 'full.png').unlink()
    # grey + alpha: OpenCV decodes it as BGRA, the alpha is dropped
    from PIL import Image
    Image.fromarray(np.full((8, 8, 2), 7, np.uint8),
                    'LA').save(tmp_path / 'frame_7.png')
    cv2.imwrite(
        str(tmp_path / 'frame_9.tif'),
        np.linspace(0, 60000, 64).astype(np.uint16).reshape(8, 8))
    (tmp_path / 'notes.txt').write_text('not an image')
    source = FrameSource(tmp_path, fps=10)
    frames = list(source)
    assert [f.name for f in frames
            ] == ['frame_2', 'frame_5', 'frame_7', 'frame_9', 'frame_10']
    assert [f.time for f in frames] == [0.0, 0.1, 0.2, 0.3, 0.4]
    good = [f for f in frames if f.image is not None]
    assert [f.name
            for f in good] == ['frame_2', 'frame_7', 'frame_9', 'frame_10']
    assert (good[1].image == 7).all() and good[1].image.shape == (8, 8, 3)
    assert good[2].image.max() == 255  # 16-bit frame stretched
    errors = {f.name: f.error for f in frames if f.image is None}
    assert list(errors) == ['frame_5']
    assert 'frame_5.png: cannot decode' in errors['frame_5']
    assert FrameSource(tmp_path).is_sequence is False


def test_input_errors_name_the_path(tmp_path):
    with pytest.raises(InputError, match='input not found'):
        FrameSource(tmp_path / 'missing.mp4')
    (tmp_path / 'empty').mkdir()
    with pytest.raises(InputError, match='no images in folder .*empty'):
        FrameSource(tmp_path / 'empty')
    (tmp_path / 'clip.xyz').write_bytes(b'x')
    with pytest.raises(InputError, match="unknown input type '.xyz'"):
        FrameSource(tmp_path / 'clip.xyz')
    (tmp_path / 'junk.mp4').write_bytes(np.random.default_rng(0).bytes(2000))
    with pytest.raises(InputError, match='cannot open video .*junk.mp4'):
        FrameSource(tmp_path / 'junk.mp4')


def test_video_frames_and_truncation(tmp_path):
    frames = _noise_frames(12)
    path = _write_video(tmp_path / 'clip.avi', frames, fps=12.5)
    source = FrameSource(path)
    assert source.kind == 'video' and source.fps == 12.5
    decoded = list(source)
    assert [f.index for f in decoded] == list(range(12))
    assert decoded[3].time == pytest.approx(3 / 12.5)
    assert all(f.image.shape == (48, 64, 3) for f in decoded)
    assert source.problems == []
    # an MJPEG AVI cut in half: the frames before the cut, and a warning
    data = path.read_bytes()
    cut = tmp_path / 'cut.avi'
    cut.write_bytes(data[:len(data) // 2])
    source = FrameSource(cut)
    decoded = [f for f in source if f.image is not None]
    assert 0 < len(decoded) < 12
    assert len(source.problems) == 1
    assert f'decoded {len(decoded)} of the 12 frames' in source.problems[0]
    # an MP4 cut short loses its index: the whole file is refused
    mp4 = _write_video(tmp_path / 'clip.mp4', frames, fourcc='mp4v')
    data = mp4.read_bytes()
    mp4.write_bytes(data[:len(data) // 2])
    with pytest.raises(InputError, match='moov atom'):
        FrameSource(mp4)


def test_folder_frames_with_one_stem_keep_apart(tmp_path):
    for suffix in ('png', 'bmp'):
        cv2.imwrite(str(tmp_path / f'x.{suffix}'), np.zeros((8, 8), np.uint8))
    cv2.imwrite(str(tmp_path / 'y.png'), np.zeros((8, 8), np.uint8))
    names = [f.name for f in FrameSource(tmp_path)]
    assert sorted(names) == ['x_bmp', 'x_png', 'y']

"""TemporalGasDataset: samples and histories from the generator's video
layout and from a folder of real frames with some labelled, and the named
errors for too few frames, missing frames and unequal sizes."""
import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

import mmgas  # noqa: F401
from mmgas.datasets import TemporalGasDataset
from mmgas.datasets.transforms import TemporalDataError
from mmseg.registry import DATASETS


def write_sequence(root, name, num_frames, labelled=None, size=(48, 64),
                   names=None):
    """Frames (and masks for ``labelled`` indices, default all) of one
    sequence under ``root/name``."""
    rng = np.random.default_rng(len(name))
    frame_dir, mask_dir = root / name / 'frames', root / name / 'masks'
    frame_dir.mkdir(parents=True)
    mask_dir.mkdir()
    names = names or [f'{t:06d}' for t in range(num_frames)]
    labelled = range(num_frames) if labelled is None else labelled
    for t, stem in enumerate(names):
        frame = rng.integers(0, 255, (*size, 3), dtype=np.uint8)
        cv2.imwrite(str(frame_dir / f'{stem}.png'), frame)
        if t in labelled:
            cv2.imwrite(str(mask_dir / f'{stem}.png'),
                        (frame[..., 0] > 128).astype(np.uint8))
    return root / name


def test_synthetic_layout_samples_have_full_histories(tmp_path):
    for k in range(2):
        write_sequence(tmp_path / 'video', f'seq_{k:04d}', 6)
    dataset = TemporalGasDataset(
        data_root=str(tmp_path), seq_dir='video', history=3, pipeline=[])
    # frames 3, 4, 5 of each sequence have 3 earlier frames
    assert len(dataset) == 6
    info = dataset.get_data_info(0)
    assert (info['sequence'], info['frame_index']) == ('seq_0000', 3)
    assert [p[-10:] for p in info['history_paths']] == [
        '000000.png', '000001.png', '000002.png'
    ]
    assert info['seg_map_path'].endswith('seq_0000/masks/000003.png')
    # the first frames too, with the history a live stream starts with
    dataset = TemporalGasDataset(
        data_root=str(tmp_path), seq_dir='video', history=3, min_history=0,
        pipeline=[])
    assert len(dataset) == 12
    assert dataset.get_data_info(0)['history_paths'] == []
    assert len(dataset.get_data_info(1)['history_paths']) == 1


def test_real_footage_folder_with_some_labelled_frames(tmp_path):
    names = [f'cam1_{t:04d}' for t in range(5)]
    write_sequence(tmp_path, 'cam1', 5, labelled={2, 4}, names=names)
    init_default_scope('mmseg')
    dataset = DATASETS.build(
        dict(
            type='TemporalGasDataset',
            data_root=str(tmp_path),
            history=2,
            pipeline=[
                dict(type='LoadImageFromFile'),
                dict(type='LoadAnnotations'),
                dict(type='LoadFrameHistory'),
                dict(type='TemporalEncoding', window=2, lag=1),
                dict(type='PackSegInputs')
            ]))
    assert [dataset.get_data_info(i)['frame_index'] for i in range(2)] == [
        2, 4
    ]
    sample = dataset[1]
    assert tuple(sample['inputs'].shape) == (3, 48, 64)
    assert tuple(sample['data_samples'].gt_sem_seg.data.shape) == (1, 48, 64)


def test_named_errors(tmp_path):
    short = write_sequence(tmp_path / 'a', 'seq_0000', 2)
    with pytest.raises(TemporalDataError, match='has 2 frame'):
        TemporalGasDataset(data_root=str(tmp_path / 'a'), history=3,
                           pipeline=[])
    (short / 'frames' / '000001.png').unlink()
    write_sequence(tmp_path / 'b', 'seq_0000', 5)
    (tmp_path / 'b' / 'seq_0000' / 'frames' / '000002.png').unlink()
    with pytest.raises(TemporalDataError, match='mask.*without a frame'):
        TemporalGasDataset(data_root=str(tmp_path / 'b'), history=1,
                           pipeline=[])
    (tmp_path / 'b' / 'seq_0000' / 'masks' / '000002.png').unlink()
    with pytest.raises(TemporalDataError, match='frame 2 is missing'):
        TemporalGasDataset(data_root=str(tmp_path / 'b'), history=1,
                           pipeline=[])
    uneven = write_sequence(tmp_path / 'c', 'seq_0000', 3)
    cv2.imwrite(str(uneven / 'frames' / '000001.png'),
                np.zeros((24, 32, 3), np.uint8))
    with pytest.raises(TemporalDataError, match='differ in size'):
        TemporalGasDataset(data_root=str(tmp_path / 'c'), history=1,
                           pipeline=[])
    with pytest.raises(FileNotFoundError, match='does not exist'):
        TemporalGasDataset(data_root=str(tmp_path / 'none'), pipeline=[])
    (tmp_path / 'empty').mkdir()
    with pytest.raises(FileNotFoundError, match='no <sequence>/frames/'):
        TemporalGasDataset(data_root=str(tmp_path / 'empty'), pipeline=[])
    with pytest.raises(ValueError, match='min_history'):
        TemporalGasDataset(data_root=str(tmp_path / 'c'), history=2,
                           min_history=3, pipeline=[])

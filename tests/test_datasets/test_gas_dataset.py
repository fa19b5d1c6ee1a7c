"""GasDataset: loads the mmseg layout, and refuses bad data when the data
set is built, naming the path (missing or empty directory with the suffix,
0/255 masks with the converter command, values outside {0, 1, 255}, size
mismatch, unreadable files)."""
import shutil

import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

import mmgas  # noqa: F401
from mmgas.datasets import GasDataError, GasDataset
from ..helpers import write_tiny_gas_dataset


def build(root, split='train', **kwargs):
    init_default_scope('mmseg')
    return GasDataset(
        data_root=str(root),
        data_prefix=dict(
            img_path=f'img_dir/{split}', seg_map_path=f'ann_dir/{split}'),
        **kwargs)


@pytest.fixture
def tiny(tmp_path):
    return write_tiny_gas_dataset(tmp_path / 'tiny')


def test_loads_pairs_and_metainfo(tiny):
    ds = build(tiny, pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='PackSegInputs')
    ])
    assert len(ds) == 6
    assert ds.metainfo['classes'] == ('background', 'gas')
    assert ds.metainfo['palette'] == [[0, 0, 0], [255, 255, 255]]
    assert ds.img_suffix == ds.seg_map_suffix == '.png'
    assert ds.reduce_zero_label is False
    sample = ds[0]
    assert tuple(sample['inputs'].shape) == (3, 64, 64)
    assert set(sample['data_samples'].gt_sem_seg.data.unique().tolist()) \
        <= {0, 1}


def test_registered_under_its_name(tiny):
    from mmseg.registry import DATASETS
    init_default_scope('mmseg')
    ds = DATASETS.build(
        dict(type='GasDataset', data_root=str(tiny),
             data_prefix=dict(img_path='img_dir/val',
                              seg_map_path='ann_dir/val')))
    assert isinstance(ds, GasDataset) and len(ds) == 2


def test_missing_directory_names_path(tmp_path):
    with pytest.raises(FileNotFoundError, match='img_dir/train'):
        build(tmp_path / 'nowhere')


def test_missing_annotation_directory(tiny):
    shutil.rmtree(tiny / 'ann_dir' / 'train')
    with pytest.raises(FileNotFoundError, match='ann_dir/train'):
        build(tiny)


def test_empty_directory_names_path_and_suffix(tiny):
    with pytest.raises(FileNotFoundError) as e:
        build(tiny, img_suffix='.jpg')
    assert "'.jpg'" in str(e.value) and 'img_dir/train' in str(e.value)


def test_0_255_masks_name_the_converter(tiny):
    for path in (tiny / 'ann_dir' / 'train').glob('*.png'):
        m = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        cv2.imwrite(str(path), (m * 255).astype(np.uint8))
    with pytest.raises(GasDataError) as e:
        build(tiny)
    msg = str(e.value)
    assert 'convert_255_masks.py' in msg and 'ann_dir/train' in msg
    assert len(build(tiny, validate=False)) == 6  # validation is switchable


def test_ignore_value_alongside_gas_is_fine(tiny):
    path = sorted((tiny / 'ann_dir' / 'train').glob('*.png'))[0]
    m = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    m[:2] = 255
    cv2.imwrite(str(path), m)
    assert len(build(tiny)) == 6


def test_values_outside_label_set(tiny):
    path = sorted((tiny / 'ann_dir' / 'train').glob('*.png'))[2]
    m = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    m[0, 0] = 7
    cv2.imwrite(str(path), m)
    with pytest.raises(GasDataError, match=r'\[7\]') as e:
        build(tiny)
    assert path.name in str(e.value)


def test_size_mismatch(tiny):
    path = sorted((tiny / 'ann_dir' / 'train').glob('*.png'))[1]
    cv2.imwrite(str(path), np.zeros((32, 64), np.uint8))
    with pytest.raises(GasDataError, match='size mismatch') as e:
        build(tiny)
    assert path.name in str(e.value) and '64x32' in str(e.value)


def test_multichannel_mask(tiny):
    path = sorted((tiny / 'ann_dir' / 'train').glob('*.png'))[0]
    cv2.imwrite(str(path), np.zeros((64, 64, 3), np.uint8))
    with pytest.raises(GasDataError, match='3 channels'):
        build(tiny)


@pytest.mark.parametrize('kind', ['img_dir', 'ann_dir'])
def test_unreadable_file_is_named(tiny, kind):
    path = sorted((tiny / kind / 'train').glob('*.png'))[3]
    path.write_bytes(b'not a png')
    with pytest.raises(GasDataError, match='cannot read') as e:
        build(tiny)
    assert str(path) in str(e.value)


def test_missing_mask_is_named(tiny):
    path = sorted((tiny / 'ann_dir' / 'train').glob('*.png'))[4]
    path.unlink()
    with pytest.raises(FileNotFoundError, match=path.name):
        build(tiny)


def _save_as_palette_png(path, labels, colours=((0, 0, 0), (255, 0, 0))):
    """``labels`` written as a palette PNG (indices + colours), the format
    of VOC-style annotation tools."""
    from PIL import Image
    image = Image.fromarray(labels.astype(np.uint8), mode='P')
    image.putpalette([c for rgb in colours for c in rgb])
    image.save(path)


def test_palette_masks_are_read_as_their_indices(tiny):
    """mmseg decodes masks with pillow: a palette PNG's labels are its
    indices (cv2 would expand it to colours and report 3 channels)."""
    for path in sorted((tiny / 'ann_dir' / 'train').glob('*.png')):
        labels = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        _save_as_palette_png(path, labels)
    ds = build(tiny, pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='PackSegInputs')
    ])
    assert set(ds[0]['data_samples'].gt_sem_seg.data.unique().tolist()) \
        <= {0, 1}


def test_reduce_zero_label_is_refused(tiny):
    with pytest.raises(ValueError, match='reduce_zero_label'):
        build(tiny, reduce_zero_label=True)

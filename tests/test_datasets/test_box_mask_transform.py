"""LoadBoxAnnotationsAsMask / rasterize_boxes: filled boxes, the ignore
band, overlapping boxes, and the refusal to run after a resize."""
import numpy as np
import pytest
from mmengine.registry import init_default_scope

import mmgas  # noqa: F401
from mmgas.datasets.transforms import rasterize_boxes
from mmseg.registry import TRANSFORMS


def test_filled_integer_box_covers_exactly_its_pixels():
    # COCO [x, y, w, h] = [2, 3, 4, 5] -> columns 2..5, rows 3..7
    seg = rasterize_boxes(np.array([[2, 3, 6, 8]]), (12, 10))
    assert seg.dtype == np.uint8 and seg.shape == (12, 10)
    rows, cols = np.nonzero(seg)
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (3, 7, 2, 5)
    assert (seg == 1).sum() == 4 * 5 and set(np.unique(seg)) == {0, 1}


def test_fractional_box_covers_every_touched_pixel():
    seg = rasterize_boxes(np.array([[1.5, 0.2, 3.1, 0.9]]), (4, 6))
    assert np.array_equal(np.nonzero(seg[0])[0], [1, 2, 3])
    assert not seg[1:].any()


def test_ignore_band_in_pixels_and_as_ratio():
    box = np.array([[0, 0, 20, 10]])  # 20 wide, 10 high
    seg = rasterize_boxes(box, (10, 20), ignore_band=2)
    assert (seg == 1).sum() == (20 - 4) * (10 - 4)
    assert (seg == 255).sum() == 20 * 10 - 16 * 6
    assert seg[0, 0] == 255 and seg[5, 10] == 1
    # 0.3 of the shorter side (10) = 3 px, wider than the 1 px band
    seg = rasterize_boxes(box, (10, 20), ignore_band=1, ignore_band_ratio=0.3)
    assert (seg == 1).sum() == 14 * 4


def test_band_keeps_a_core_in_small_boxes():
    seg = rasterize_boxes(np.array([[0, 0, 3, 3]]), (3, 3), ignore_band=5)
    assert seg[1, 1] == 1 and (seg == 255).sum() == 8


def test_core_beats_band_of_overlapping_box():
    boxes = np.array([[0, 0, 10, 10], [4, 4, 14, 14]])
    seg = rasterize_boxes(boxes, (16, 16), ignore_band=2)
    # (4, 4) is on the second box's band but inside the first box's core
    assert seg[4, 4] == 1
    # (12, 12) is on the second box's band only
    assert seg[12, 12] == 255
    assert seg[15, 15] == 0 and seg[0, 15] == 0


def test_bad_band_arguments_are_refused():
    with pytest.raises(ValueError, match='ignore_band_ratio'):
        rasterize_boxes(np.zeros((0, 4)), (2, 2), ignore_band_ratio=0.5)
    init_default_scope('mmseg')
    with pytest.raises(ValueError, match='ignore_band'):
        TRANSFORMS.build(dict(type='LoadBoxAnnotationsAsMask', ignore_band=-1))


def test_transform_adds_seg_map_and_refuses_resized_images():
    init_default_scope('mmseg')
    t = TRANSFORMS.build(
        dict(type='LoadBoxAnnotationsAsMask', ignore_band=1))
    results = t(
        dict(img_path='a.png', gt_boxes=np.array([[1, 1, 5, 4]], np.float32),
             img_shape=(6, 8), ori_shape=(6, 8), seg_fields=[]))
    assert results['seg_fields'] == ['gt_seg_map']
    assert results['gt_seg_map'].shape == (6, 8)
    assert (results['gt_seg_map'] == 1).sum() == 2 * 1
    assert 'ignore_band=1' in repr(t)
    with pytest.raises(RuntimeError, match='right after LoadImageFromFile'):
        t(dict(gt_boxes=np.zeros((0, 4)), img_shape=(3, 4),
               ori_shape=(6, 8)))
    with pytest.raises(KeyError, match='IIGDataset'):
        t(dict(img_path='b.png', img_shape=(3, 4), ori_shape=(3, 4)))

"""IIGDataset: COCO and YOLO box labels become ``gt_boxes`` and, through
LoadBoxAnnotationsAsMask, training masks; bad annotation files fail when
the data set is built, naming the file (and the line for YOLO)."""
import json

import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

import mmgas  # noqa: F401
from mmgas.datasets import BoxAnnotationError, IIGDataset
from ..helpers import write_tiny_gas_dataset

W, H = 40, 30


def write_images(root, names, size=(W, H)):
    for name in names:
        path = root / 'images' / name
        path.parent.mkdir(parents=True, exist_ok=True)
        img = np.full((size[1], size[0], 3), 100, np.uint8)
        assert cv2.imwrite(str(path), img)


def write_coco(root, images, annotations, name='instances.json'):
    (root / 'annotations').mkdir(parents=True, exist_ok=True)
    path = root / 'annotations' / name
    path.write_text(
        json.dumps(dict(images=images, annotations=annotations,
                        categories=[dict(id=1, name='gas')])))
    return path


@pytest.fixture
def coco_root(tmp_path):
    root = tmp_path / 'iig'
    write_images(root, ['a.png', 'b.jpg'])
    write_coco(root, [
        dict(id=7, file_name='a.png', width=W, height=H),
        dict(id=9, file_name='b.jpg', width=W, height=H),
    ], [
        dict(id=1, image_id=7, category_id=1, bbox=[2, 3, 10, 5]),
        # reaches 0.5 px past the right border: within tolerance, clipped
        dict(id=2, image_id=7, category_id=1, bbox=[30, 0, 10.5, 4]),
    ])
    return root


def build(root, **kwargs):
    init_default_scope('mmseg')
    kwargs.setdefault('ann_file', 'annotations/instances.json')
    kwargs.setdefault('data_prefix', dict(img_path='images'))
    return IIGDataset(data_root=str(root), **kwargs)


def test_coco_boxes_in_data_info_and_mask(coco_root):
    ds = build(coco_root, pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='LoadBoxAnnotationsAsMask'),
        dict(type='PackSegInputs')
    ])
    assert len(ds) == 2
    assert ds.metainfo['classes'] == ('background', 'gas')
    info = ds.get_data_info(0)
    assert info['img_path'].endswith('images/a.png')
    assert info['seg_map_path'] is None
    np.testing.assert_allclose(info['gt_boxes'],
                               [[2, 3, 12, 8], [30, 0, 40, 4]])
    # an image without annotations has no gas
    assert ds.get_data_info(1)['gt_boxes'].shape == (0, 4)
    seg = ds[0]['data_samples'].gt_sem_seg.data[0].numpy()
    assert (seg == 1).sum() == 10 * 5 + 10 * 4
    assert not ds[1]['data_samples'].gt_sem_seg.data.any()


def test_yolo_labels(tmp_path):
    root = tmp_path / 'yolo'
    write_images(root, ['a.png', 'sub/b.png', 'c.png'])
    (root / 'labels' / 'sub').mkdir(parents=True)
    # cx, cy, w, h normalised: a 20x15 box centred in the 40x30 image
    (root / 'labels' / 'a.txt').write_text('0 0.5 0.5 0.5 0.5\n\n')
    (root / 'labels' / 'sub' / 'b.txt').write_text('')  # background image
    ds = build(root, ann_format='yolo', ann_file='',
               data_prefix=dict(img_path='images', box_path='labels'))
    boxes = {osp_name(ds.get_data_info(i)['img_path']):
             ds.get_data_info(i)['gt_boxes'] for i in range(len(ds))}
    assert sorted(boxes) == ['a.png', 'c.png', 'sub/b.png']
    np.testing.assert_allclose(boxes['a.png'], [[10, 7.5, 30, 22.5]])
    assert boxes['c.png'].shape == boxes['sub/b.png'].shape == (0, 4)


def osp_name(path):
    return path.split('images/', 1)[1]


def test_masks_are_paired_when_seg_map_path_is_given(tmp_path):
    root = write_tiny_gas_dataset(tmp_path / 'tiny', splits=(('val', 2), ))
    from mmgas.datasets.synthetic.coco import write_coco_annotations
    write_coco_annotations(str(root), splits=('val', ), log=lambda m: None)
    ds = build(root, ann_file='annotations/instances_val.json',
               data_prefix=dict(img_path='img_dir/val',
                                seg_map_path='ann_dir/val'),
               pipeline=[dict(type='LoadImageFromFile'),
                         dict(type='LoadAnnotations'),
                         dict(type='PackSegInputs')])
    info = ds.get_data_info(0)
    assert info['seg_map_path'].endswith('ann_dir/val/000.png')
    mask = cv2.imread(info['seg_map_path'], cv2.IMREAD_UNCHANGED)
    # the box of the single blob is the bounding box of its mask
    ys, xs = np.nonzero(mask)
    np.testing.assert_allclose(
        info['gt_boxes'], [[xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]])
    assert np.array_equal(ds[0]['data_samples'].gt_sem_seg.data[0].numpy(),
                          mask)


# bad input -------------------------------------------------------------


def test_missing_coco_file_and_empty_file(coco_root):
    with pytest.raises(FileNotFoundError, match='nope.json'):
        build(coco_root, ann_file='annotations/nope.json')
    (coco_root / 'annotations' / 'empty.json').write_text('  \n')
    with pytest.raises(BoxAnnotationError, match=r'empty\.json is empty'):
        build(coco_root, ann_file='annotations/empty.json')
    (coco_root / 'annotations' / 'bad.json').write_text('{"images": [')
    with pytest.raises(BoxAnnotationError, match='bad.json is not valid JSON'):
        build(coco_root, ann_file='annotations/bad.json')
    write_coco(coco_root, [], [], name='none.json')
    with pytest.raises(BoxAnnotationError, match='none.json lists no images'):
        build(coco_root, ann_file='annotations/none.json')


def test_coco_missing_image(coco_root):
    write_coco(coco_root, [dict(id=1, file_name='gone.png')], [],
               name='missing.json')
    with pytest.raises(FileNotFoundError,
                       match=r'missing\.json names image gone\.png'):
        build(coco_root, ann_file='annotations/missing.json')


@pytest.mark.parametrize('bbox, message', [
    ([35, 2, 10, 5], 'lies outside the 40x30 image'),
    ([-3, 2, 10, 5], 'lies outside the 40x30 image'),
    ([5, 5, 0, 4], 'has no area'),
    ([5, 5, 'x', 4], 'must be'),
])
def test_coco_bad_boxes(coco_root, bbox, message):
    write_coco(coco_root, [dict(id=1, file_name='a.png')],
               [dict(id=42, image_id=1, bbox=bbox)], name='boxes.json')
    with pytest.raises(BoxAnnotationError) as err:
        build(coco_root, ann_file='annotations/boxes.json')
    assert 'boxes.json: annotation id 42' in str(err.value)
    assert message in str(err.value)


def test_coco_inconsistent_entries(coco_root):
    write_coco(coco_root, [dict(id=1, file_name='a.png')],
               [dict(id=5, image_id=3, bbox=[1, 1, 2, 2])], name='ref.json')
    with pytest.raises(BoxAnnotationError, match='id 5 refers to image id 3'):
        build(coco_root, ann_file='annotations/ref.json')
    write_coco(coco_root, [dict(id=1, file_name='a.png', width=64,
                                height=48)], [], name='size.json')
    with pytest.raises(BoxAnnotationError,
                       match='a.png .id 1. is 40x30 on disk but 64x48'):
        build(coco_root, ann_file='annotations/size.json')


@pytest.fixture
def yolo_root(tmp_path):
    root = tmp_path / 'yolo'
    write_images(root, ['a.png'])
    (root / 'labels').mkdir()
    return root


@pytest.mark.parametrize('lines, line_no, message', [
    (['0 0.5 0.5 0.2 0.2', '0 0.5 0.5 0.2'], 2, 'expected 5 values'),
    (['0 0.5 0.5 0.2 0.2 0.9'], 1, 'expected 5 values'),
    (['gas 0.5 0.5 0.2 0.2'], 1, 'non-numeric'),
    (['', '1.5 0.5 0.5 0.2 0.2'], 2, 'not a non-negative integer'),
    (['0 0.95 0.5 0.2 0.2'], 1, 'lies outside the 40x30 image'),
    (['0 0.5 0.5 0 0.2'], 1, 'has no area'),
    (['0 nan 0.5 0.1 0.2'], 1, 'non-finite'),
])
def test_malformed_yolo_lines_name_file_and_line(yolo_root, lines, line_no,
                                                 message):
    (yolo_root / 'labels' / 'a.txt').write_text('\n'.join(lines) + '\n')
    with pytest.raises(BoxAnnotationError) as err:
        build(yolo_root, ann_format='yolo', ann_file='',
              data_prefix=dict(img_path='images', box_path='labels'))
    assert f'labels/a.txt, line {line_no}' in str(err.value)
    assert message in str(err.value)


def test_yolo_label_without_image_and_missing_dirs(yolo_root):
    (yolo_root / 'labels' / 'a.txt').write_text('0 0.5 0.5 0.2 0.2\n')
    (yolo_root / 'labels' / 'z.txt').write_text('0 0.5 0.5 0.2 0.2\n')
    kwargs = dict(ann_format='yolo', ann_file='')
    with pytest.raises(FileNotFoundError, match=r'labels/z\.txt has no image'):
        build(yolo_root, data_prefix=dict(img_path='images',
                                          box_path='labels'), **kwargs)
    with pytest.raises(FileNotFoundError, match='label directory'):
        build(yolo_root, data_prefix=dict(img_path='images',
                                          box_path='lbl'), **kwargs)
    with pytest.raises(ValueError, match="box_path"):
        build(yolo_root, data_prefix=dict(img_path='images'), **kwargs)
    with pytest.raises(FileNotFoundError, match='image directory'):
        build(yolo_root, data_prefix=dict(img_path='imgs',
                                          box_path='labels'), **kwargs)
    with pytest.raises(ValueError, match="ann_format"):
        build(yolo_root, ann_format='voc')


def test_yolo_images_sharing_a_label_file_are_refused(yolo_root):
    write_images(yolo_root, ['a.jpg'])
    (yolo_root / 'labels' / 'a.txt').write_text('0 0.5 0.5 0.2 0.2\n')
    with pytest.raises(BoxAnnotationError, match=r'share the YOLO label'):
        build(yolo_root, ann_format='yolo', ann_file='',
              data_prefix=dict(img_path='images', box_path='labels'))

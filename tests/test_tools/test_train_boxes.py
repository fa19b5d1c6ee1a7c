"""End to end without real data: a tiny mask set gets COCO boxes, the tiny
segmentor trains on masks rasterised from the boxes (with an ignore band)
and is evaluated on the real masks (mIoU) and the boxes (box AP)."""
import json
import re

import pytest

from mmgas.datasets.synthetic.coco import write_coco_annotations
from ..helpers import REPO_ROOT, run_tool

pytestmark = pytest.mark.slow

TINY_CONFIG = REPO_ROOT / 'tests' / 'data' / 'tiny_segmentor.py'

BOX_CONFIG = '''
_base_ = [{base!r}]
meta_keys = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
             'pad_shape', 'scale_factor', 'flip', 'flip_direction',
             'reduce_zero_label', 'gt_boxes')
train_dataloader = dict(dataset=dict(
    type='IIGDataset', data_root={root!r},
    ann_file='annotations/instances_train.json',
    data_prefix=dict(_delete_=True, img_path='img_dir/train'),
    pipeline=[dict(type='LoadImageFromFile'),
              dict(type='LoadBoxAnnotationsAsMask', ignore_band=2),
              dict(type='PackSegInputs')]))
_val = dict(dataset=dict(
    type='IIGDataset', data_root={root!r},
    ann_file='annotations/instances_val.json',
    pipeline=[dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
              dict(type='PackSegInputs', meta_keys=meta_keys)]))
val_dataloader = _val
test_dataloader = _val
val_evaluator = [dict(type='IoUMetric', iou_metrics=['mIoU']),
                 dict(type='BoxAPMetric', min_area=4)]
test_evaluator = val_evaluator
'''


def test_train_on_boxes_and_evaluate_masks_and_boxes(tmp_path, tiny_dataset):
    write_coco_annotations(str(tiny_dataset), log=lambda m: None)
    config = tmp_path / 'boxes.py'
    config.write_text(BOX_CONFIG.format(base=str(TINY_CONFIG),
                                        root=str(tiny_dataset)))
    work_dir = tmp_path / 'work'
    run_tool(['tools/train.py', config, '--work-dir', work_dir])
    # the final validation (iteration 8) reports both metrics
    scalars = [
        json.loads(line) for line in next(work_dir.rglob('scalars.json'))
        .read_text().splitlines()
    ]
    final = [s for s in scalars if 'box_AP50' in s]
    assert final, scalars[-1]
    for key in ('mIoU', 'box_AP', 'box_AP50', 'box_AR', 'box_R50'):
        value = final[-1][key]
        assert 0.0 <= value <= 100.0, (key, value)

    # --out with a list of evaluators: the IoUMetric writes the masks
    result = run_tool(['tools/test.py', config, work_dir / 'iter_8.pth',
                       '--work-dir', tmp_path / 'test',
                       '--out', tmp_path / 'masks'])
    assert list((tmp_path / 'masks').glob('*.png'))
    output = result.stdout + result.stderr
    assert re.search(r'box_AP50: \d+\.\d+', output), output[-2000:]
    assert re.search(r'mIoU: \d+\.\d+', output)
    assert 'COCOeval of the predicted gas regions' in output

"""The shipped box-label configs: the GasSeg box config trains and
evaluates exactly as its data base says, and the data sets of
``synthetic_gas_boxes.py`` and ``iig.py`` build on tiny sets in their
layouts and yield box masks for training and boxes for evaluation."""
import json
import shutil

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmgas  # noqa: F401
from mmgas.datasets.synthetic.coco import write_coco_annotations
from mmseg.registry import DATASETS, METRICS
from ..helpers import REPO_ROOT, write_tiny_gas_dataset

DATA_BASE = REPO_ROOT / 'configs/_base_/datasets/synthetic_gas_boxes.py'
GASSEG_BOXES = (REPO_ROOT /
                'configs/gasseg/gasseg-s_1xb8-4k_synthetic-boxes-256x192.py')
IIG = REPO_ROOT / 'configs/_base_/datasets/iig.py'


def test_gasseg_box_config_uses_the_box_data_settings():
    model_cfg = Config.fromfile(str(GASSEG_BOXES))
    data_cfg = Config.fromfile(str(DATA_BASE))
    for key in ('val_dataloader', 'test_dataloader', 'val_evaluator',
                'test_evaluator', 'tta_pipeline'):
        assert model_cfg[key] == data_cfg[key], key
    assert model_cfg.train_dataloader.dataset == \
        data_cfg.train_dataloader.dataset
    # the recipe of the mask-trained config is inherited unchanged
    masks_cfg = Config.fromfile(
        str(GASSEG_BOXES).replace('synthetic-boxes', 'synthetic'))
    for key in ('model', 'optim_wrapper', 'param_scheduler', 'train_cfg'):
        assert model_cfg[key] == masks_cfg[key], key
    assert model_cfg.train_dataloader.batch_size == 8
    assert [e['type'] for e in model_cfg.val_evaluator] == [
        'ClassIoUMetric', 'BoxAPMetric'
    ]


def build_dataset(cfg, data_root):
    cfg = cfg.copy()
    cfg['data_root'] = str(data_root)
    return DATASETS.build(cfg)


def test_synthetic_box_datasets_train_on_boxes_and_validate_on_masks(
        tmp_path):
    init_default_scope('mmseg')
    root = write_tiny_gas_dataset(
        tmp_path / 'syn', splits=(('train', 2), ('val', 1), ('test', 1)),
        size=96)
    write_coco_annotations(str(root), log=lambda m: None)
    cfg = Config.fromfile(str(DATA_BASE))
    train = build_dataset(cfg.train_dataloader.dataset, root)
    assert train.get_data_info(0)['seg_map_path'] is None
    raw = train.pipeline.transforms[1](
        train.pipeline.transforms[0](train.get_data_info(0)))
    assert set(np.unique(raw['gt_seg_map'])) == {0, 1, 255}
    seg = train[0]['data_samples'].gt_sem_seg.data.numpy()
    assert set(np.unique(seg)) <= {0, 1, 255}
    val = build_dataset(cfg.val_dataloader.dataset, root)
    sample = val[0]['data_samples']
    assert sample.gt_boxes.shape == (1, 4)
    # validation masks are the real ones, not rasterised boxes
    assert sample.seg_map_path.endswith('ann_dir/val/000.png')
    assert set(np.unique(sample.gt_sem_seg.data.numpy())) == {0, 1}
    for metric in cfg.val_evaluator:
        METRICS.build(metric)


def test_iig_config_layout_with_coco_and_yolo(tmp_path):
    init_default_scope('mmseg')
    mask_set = write_tiny_gas_dataset(tmp_path / 'masks',
                                      splits=(('train', 2), ('val', 1)))
    write_coco_annotations(str(mask_set), log=lambda m: None)
    # data/IIG layout: images/<split>, annotations/instances_<split>.json
    root = tmp_path / 'IIG'
    for split in ('train', 'val'):
        shutil.copytree(mask_set / 'img_dir' / split, root / 'images' / split)
    shutil.copytree(mask_set / 'annotations', root / 'annotations')
    cfg = Config.fromfile(str(IIG))
    train = build_dataset(cfg.train_dataloader.dataset, root)
    raw = train.pipeline.transforms[1](
        train.pipeline.transforms[0](train.get_data_info(0)))
    assert 255 in raw['gt_seg_map'] and 1 in raw['gt_seg_map']
    val = build_dataset(cfg.val_dataloader.dataset, root)
    sample = val[0]['data_samples']
    assert sample.gt_boxes.shape == (1, 4) and 'gt_sem_seg' not in sample
    assert cfg.val_evaluator['type'] == 'BoxAPMetric'

    # the YOLO variant of the same layout: labels/<split>/<name>.txt
    coco = json.loads((root / 'annotations' / 'instances_val.json')
                      .read_text())
    (root / 'labels' / 'val').mkdir(parents=True)
    for image in coco['images']:
        w, h = image['width'], image['height']
        lines = [
            f'0 {(x + bw / 2) / w} {(y + bh / 2) / h} {bw / w} {bh / h}'
            for a in coco['annotations'] if a['image_id'] == image['id']
            for x, y, bw, bh in [a['bbox']]
        ]
        (root / 'labels' / 'val' / image['file_name'].replace(
            '.png', '.txt')).write_text('\n'.join(lines) + '\n')
    yolo_cfg = cfg.val_dataloader.dataset.copy()
    yolo_cfg.update(ann_format='yolo', ann_file='',
                    data_prefix=dict(img_path='images/val',
                                     box_path='labels/val'))
    yolo = build_dataset(yolo_cfg, root)
    np.testing.assert_allclose(yolo.get_data_info(0)['gt_boxes'],
                               val.get_data_info(0)['gt_boxes'], atol=1e-4)


@pytest.mark.parametrize('config', [DATA_BASE, IIG])
def test_evaluation_pipelines_pack_the_boxes(config):
    cfg = Config.fromfile(str(config))
    for pipeline in (cfg.val_dataloader.dataset.pipeline,
                     cfg.test_dataloader.dataset.pipeline):
        assert 'gt_boxes' in pipeline[-1]['meta_keys']
    assert 'gt_boxes' in cfg.tta_pipeline[-1]['transforms'][-1][0][
        'meta_keys']

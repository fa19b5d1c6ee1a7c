# GasSeg-S trained on boxes instead of masks: the recipe of
# gasseg-s_1xb8-4k_synthetic-256x192.py with the training masks rasterised
# from the synthetic set's COCO gas boxes (outer 10 % of each box ignored),
# validated and tested on the real masks (mIoU, mF1) and on the boxes (box
# AP, AP50, recall). Needs the boxes:
#   python tools/dataset_converters/generate_synthetic_gas.py --out data/synthetic_gas --coco
# The data settings are those of ../_base_/datasets/synthetic_gas_boxes.py
# (a config cannot inherit the model config and that file at once: both
# define the dataloaders); tests/test_configs_boxes.py keeps them equal.
_base_ = './gasseg-s_1xb8-4k_synthetic-256x192.py'

meta_keys = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
             'pad_shape', 'scale_factor', 'flip', 'flip_direction',
             'reduce_zero_label', 'gt_boxes')
box_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadBoxAnnotationsAsMask', ignore_band_ratio=0.1),
    dict(
        type='RandomResize',
        scale=(256, 256),
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=(256, 192), cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='GenerateEdge', edge_width=4),
    dict(type='PackSegInputs')
]
box_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(256, 192), keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs', meta_keys=meta_keys)
]
train_dataloader = dict(
    dataset=dict(
        type='IIGDataset',
        ann_file='annotations/instances_train.json',
        data_prefix=dict(_delete_=True, img_path='img_dir/train'),
        pipeline=box_train_pipeline))
val_dataloader = dict(
    dataset=dict(
        type='IIGDataset',
        ann_file='annotations/instances_val.json',
        pipeline=box_test_pipeline))
test_dataloader = dict(
    dataset=dict(
        type='IIGDataset',
        ann_file='annotations/instances_test.json',
        pipeline=box_test_pipeline))
val_evaluator = [
    dict(type='IoUMetric', iou_metrics=['mIoU', 'mFscore']),
    dict(type='BoxAPMetric')
]
test_evaluator = val_evaluator
img_ratios = [0.75, 1.0, 1.25, 1.5]
tta_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='TestTimeAug',
        transforms=[[
            dict(type='RandomResize', scale=(256, 192), ratio_range=(r, r),
                 keep_ratio=True) for r in img_ratios
        ], [
            dict(type='RandomFlip', prob=0., direction='horizontal'),
            dict(type='RandomFlip', prob=1., direction='horizontal')
        ], [dict(type='LoadAnnotations')],
                    [dict(type='PackSegInputs', meta_keys=meta_keys)]])
]

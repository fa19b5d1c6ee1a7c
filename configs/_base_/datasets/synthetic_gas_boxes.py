# The synthetic gas set as box-labelled data: training masks are rasterised
# from the COCO gas boxes that
#   python tools/dataset_converters/generate_synthetic_gas.py \
#       --out data/synthetic_gas --coco
# writes to annotations/instances_{train,val,test}.json (one box per
# connected gas region, regions under 16 px dropped; docs/box_labels.md).
# Validation and test keep the real masks (mIoU, mF1) and add the box
# metric against the same boxes, so box-trained and mask-trained models are
# compared on equal terms.
_base_ = './synthetic_gas.py'

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
    _base_.input_encoding,
    dict(type='GenerateEdge', edge_width=4),
    dict(type='PackSegInputs')
]
box_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=_base_.test_scale, keep_ratio=True),
    _base_.input_encoding,
    # ground-truth masks and boxes stay at the original size
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs', meta_keys=meta_keys)
]
test_pipeline = box_test_pipeline
train_dataloader = dict(
    dataset=dict(
        type='IIGDataset',
        ann_file='annotations/instances_train.json',
        # images only: the masks come from the boxes
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
    dict(type='ClassIoUMetric', iou_metrics=['mIoU', 'mFscore']),
    dict(type='BoxAPMetric')
]
test_evaluator = val_evaluator
img_ratios = [0.75, 1.0, 1.25, 1.5]
tta_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='TestTimeAug',
        transforms=[[
            dict(type='RandomResize', scale=_base_.test_scale,
                 ratio_range=(r, r), keep_ratio=True) for r in img_ratios
        ], [
            dict(type='RandomFlip', prob=0., direction='horizontal'),
            dict(type='RandomFlip', prob=1., direction='horizontal')
        ], [_base_.input_encoding], [dict(type='LoadAnnotations')],
                    [dict(type='PackSegInputs', meta_keys=meta_keys)]])
]

# IGS (GasSeg's infrared gas segmentation set) in the release layout:
#   data/IGS/img_dir/{train,val}/*.png, data/IGS/ann_dir/{train,val}/*.png
# masks 0 = background, 1 = gas, 255 = ignore. The release evaluates on val.
dataset_type = 'GasDataset'
data_root = 'data/IGS'
# (h, w) for RandomCrop, while Resize's scale is (w, h): the release crops
# portrait patches from landscape frames (docs/gasseg.md, trap 3).
crop_size = (256, 192)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(
        type='RandomResize',
        scale=(256, 256),
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='GenerateEdge', edge_width=4),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(256, 192), keep_ratio=True),
    # ground truth stays at the original size
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
# test-time augmentation for `tools/test.py --tta`: multi-scale around the
# test size, with and without a horizontal flip
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
        ], [dict(type='LoadAnnotations')], [dict(type='PackSegInputs')]])
]
train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='img_dir/train', seg_map_path='ann_dir/train'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
# mmseg's IoUMetric that also returns each class's IoU/precision/recall/F1
# (IoU.gas ...): with ~96 % background the means hide the gas class
val_evaluator = dict(type='ClassIoUMetric', iou_metrics=['mIoU', 'mFscore'])
test_evaluator = val_evaluator

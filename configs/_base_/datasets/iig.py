# IIG, GasViT's infrared gas set (5,569 images, 11,186 gas boxes, COCO and
# YOLO labels), or any box-labelled infrared gas set. Assumed layout
# (docs/box_labels.md):
#   data/IIG/images/{train,val}/<name>.jpg|png
#   data/IIG/annotations/instances_{train,val}.json   COCO, file_name
#                                             relative to images/<split>
# For the YOLO labels instead, set in each dataset
#   ann_format='yolo', data_prefix=dict(img_path='images/<split>',
#                                       box_path='labels/<split>')
# with data/IIG/labels/<split>/<name>.txt lines "class cx cy w h" in [0, 1].
# Boxes are rasterised into training masks by LoadBoxAnnotationsAsMask
# (filled boxes, the outer 10 % of each box ignored); evaluation is box AP
# and recall of the predicted gas regions (BoxAPMetric), there being no
# masks to compute mIoU on.
dataset_type = 'IIGDataset'
data_root = 'data/IIG'
# (h, w) for RandomCrop, while Resize's scale is (w, h), as in igs.py
crop_size = (256, 192)
# PackSegInputs' defaults plus the boxes BoxAPMetric scores against
meta_keys = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
             'pad_shape', 'scale_factor', 'flip', 'flip_direction',
             'reduce_zero_label', 'gt_boxes')
train_pipeline = [
    dict(type='LoadImageFromFile'),
    # gas never fills its box: the band along the box border is ignored
    # (255), so it is learned neither as gas nor as background
    dict(type='LoadBoxAnnotationsAsMask', ignore_band_ratio=0.1),
    dict(
        type='RandomResize',
        scale=(256, 256),
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    # no edge between a box core and its ignore band: GenerateEdge skips
    # transitions that involve 255, so box borders are not taught as edges
    dict(type='GenerateEdge', edge_width=4),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(256, 192), keep_ratio=True),
    dict(type='PackSegInputs', meta_keys=meta_keys)
]
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
        ], [dict(type='PackSegInputs', meta_keys=meta_keys)]])
]
train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/instances_train.json',
        data_prefix=dict(img_path='images/train'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/instances_val.json',
        data_prefix=dict(img_path='images/val'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='BoxAPMetric')
test_evaluator = val_evaluator

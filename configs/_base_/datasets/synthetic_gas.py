# Physics-based synthetic infrared gas set written by
#   python tools/dataset_converters/generate_synthetic_gas.py --out data/synthetic_gas
# (docs/synthetic_data.md): img_dir/ann_dir/{train,val,test,heldout}, 320x240
# grey PNG frames, masks 0 = background, 1 = gas. The IGS (GasSeg release)
# pipelines, evaluator and augmentation, with one addition: the grey frame's
# three input channels carry the frame, its local contrast and its local
# detail (LocalContrastEncoding, mmgas/datasets/transforms), computed on
# the network's input pixels after the geometric and photometric transforms.
# The test split is evaluated by test_dataloader; the held-out split by
#   tools/test.py CONFIG CKPT --cfg-options \
#     test_dataloader.dataset.data_prefix.img_path=img_dir/heldout \
#     test_dataloader.dataset.data_prefix.seg_map_path=ann_dir/heldout
_base_ = './igs.py'

data_root = 'data/synthetic_gas'
input_encoding = dict(type='LocalContrastEncoding', sigma=8.0)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(
        type='RandomResize',
        scale=(256, 256),
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=(256, 192), cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    input_encoding,
    dict(type='GenerateEdge', edge_width=4),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(256, 192), keep_ratio=True),
    input_encoding,
    # ground truth stays at the original size
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
tta_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='TestTimeAug',
        transforms=[[
            dict(type='RandomResize', scale=(256, 192), ratio_range=(r, r),
                 keep_ratio=True) for r in [0.75, 1.0, 1.25, 1.5]
        ], [
            dict(type='RandomFlip', prob=0., direction='horizontal'),
            dict(type='RandomFlip', prob=1., direction='horizontal')
        ], [input_encoding], [dict(type='LoadAnnotations')],
                    [dict(type='PackSegInputs')]])
]
train_dataloader = dict(
    num_workers=2,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        data_prefix=dict(
            img_path='img_dir/train', seg_map_path='ann_dir/train'),
        pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=2,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
        pipeline=test_pipeline))
test_dataloader = dict(
    num_workers=2,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        data_prefix=dict(
            img_path='img_dir/test', seg_map_path='ann_dir/test'),
        pipeline=test_pipeline))

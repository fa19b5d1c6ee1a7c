# Physics-based synthetic infrared gas set written by
#   python tools/dataset_converters/generate_synthetic_gas.py --out data/synthetic_gas
# (docs/synthetic_data.md): img_dir/ann_dir/{train,val,test}, 320x240 grey
# PNG frames, masks 0 = background, 1 = gas. Pipelines and evaluator are the
# IGS ones (GasSeg release); the test split is evaluated by test_dataloader.
_base_ = './igs.py'

data_root = 'data/synthetic_gas'
train_dataloader = dict(
    num_workers=2,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        data_prefix=dict(
            img_path='img_dir/train', seg_map_path='ann_dir/train')))
val_dataloader = dict(
    num_workers=2,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val')))
test_dataloader = dict(
    num_workers=2,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        data_prefix=dict(
            img_path='img_dir/test', seg_map_path='ann_dir/test')))

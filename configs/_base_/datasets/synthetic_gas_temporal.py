# The synthetic temporal set: 48-frame sequences of static (shaking) OGI
# cameras with leaks that start and stop, people, vehicles, swaying
# vegetation, steam and heat shimmer (docs/temporal.md), written by
#   python tools/dataset_converters/generate_synthetic_gas.py \
#       --out data/synthetic_gas_temporal --num-train 0 --num-val 0 \
#       --num-test 0 --num-heldout 0 --video-train 150 --video-val 12 \
#       --video-test 24 --video-frames 48
# Every labelled frame with a full history is a sample (TemporalGasDataset).
# The IGS pipelines with the temporal encoding at the frames' own size,
# before the geometric transforms, and with one display gain for a frame and
# its history instead of PhotoMetricDistortion (whose per-image draws would
# show as motion). A config changes the encoding by replacing
# `input_encoding` and the pipelines built from it.
_base_ = './igs.py'

dataset_type = 'TemporalGasDataset'
data_root = 'data/synthetic_gas_temporal'
input_encoding = dict(
    type='TemporalEncoding', background='median', window=8, lag=2, gain=4.0)
# every model is scored on the same frames: those with 8 earlier frames
history = 8
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='LoadFrameHistory'),
    dict(type='RandomDisplayGain'),
    input_encoding,
    *_base_.train_pipeline[2:5],  # RandomResize, RandomCrop, RandomFlip
    *_base_.train_pipeline[-2:]  # GenerateEdge, PackSegInputs
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFrameHistory'),
    input_encoding,
    *_base_.test_pipeline[1:]  # Resize, LoadAnnotations, PackSegInputs
]
tta_pipeline = None
train_dataloader = dict(
    num_workers=2,
    persistent_workers=False,
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        seq_dir='video/train',
        history=history,
        pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=2,
    persistent_workers=False,
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        seq_dir='video/val',
        history=history,
        pipeline=test_pipeline))
test_dataloader = dict(
    num_workers=2,
    persistent_workers=False,
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        seq_dir='video/test',
        history=history,
        pipeline=test_pipeline))

# The single-frame control of ./gasseg-s_1xb8-4k_synthetic-temporal-256x192.py
# (docs/temporal.md): the same frames, labels and samples of the temporal
# set, seen one at a time with the single-frame encoding of the synthetic
# image set (LocalContrastEncoding) and its PhotoMetricDistortion, so the
# comparison isolates what the history adds.
_base_ = './gasseg-s_1xb8-4k_synthetic-temporal-256x192.py'
input_encoding = dict(type='LocalContrastEncoding', sigma=8.0)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    *_base_.train_pipeline[5:8],  # RandomResize, RandomCrop, RandomFlip
    dict(type='PhotoMetricDistortion'),
    input_encoding,
    *_base_.train_pipeline[-2:]  # GenerateEdge, PackSegInputs
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    _base_.test_pipeline[3],  # Resize
    input_encoding,
    *_base_.test_pipeline[4:]  # LoadAnnotations, PackSegInputs
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

# tiny_segmentor.py with a test pipeline for tools/infer.py and mmgas.apis:
# frames are resized to 64x48 (keep ratio), as a static 64x48 ONNX export
# resizes them, and batches are not padded to a fixed size.
_base_ = ['./tiny_segmentor.py']
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(64, 48), keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
model = dict(data_preprocessor=dict(size=None))

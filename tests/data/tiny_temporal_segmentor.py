# tiny_video_segmentor.py made temporal: each frame is encoded with its two
# previous frames (TemporalEncoding) at its own size, then resized to 64x48
# (keep ratio), as a static 64x48 ONNX export resizes it.
_base_ = ['./tiny_video_segmentor.py']
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFrameHistory'),
    dict(type='TemporalEncoding', background='median', window=2, lag=1),
    dict(type='Resize', scale=(64, 48), keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]

# GasViT-xs + mmgas's all-MLP head (stock SegformerHead over strides 8/16/32)
# on IGS with the GasSeg release recipe, so the two compare like for like:
# same pipeline, crop 256x192 (h, w), batch 16, SGD 0.01 PolyLR over 120k
# iterations, seed 304, raw 0-255 input (no mean/std; docs/gasvit.md).
_base_ = [
    '../_base_/models/gasvit.py', '../_base_/datasets/igs.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_120k.py'
]
crop_size = (256, 192)
data_preprocessor = dict(size=crop_size)
model = dict(data_preprocessor=data_preprocessor)
randomness = dict(seed=304)

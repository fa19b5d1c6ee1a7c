# GasSeg-M (C = 32), the release recipe on one device: batch 16, 120k
# iterations, crop 256x192 (h, w), seed 304.
_base_ = [
    '../_base_/models/gasseg.py', '../_base_/datasets/igs.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_120k.py'
]
crop_size = (256, 192)
data_preprocessor = dict(size=crop_size)
model = dict(data_preprocessor=data_preprocessor)
randomness = dict(seed=304)

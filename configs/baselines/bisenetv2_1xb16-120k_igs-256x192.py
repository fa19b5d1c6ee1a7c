# BiSeNetV2 on IGS with GasSeg's release recipe (data, pipeline, 256x192
# crop, 120k SGD schedule, seed, evaluator), so that only the model differs
# (configs/gasseg/gasseg-s_1xb16-120k_igs-256x192.py). Trained from scratch.
_base_ = [
    '../_base_/models/baselines/bisenetv2.py',
    '../_base_/datasets/igs.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_120k.py',
]
crop_size = (256, 192)
# pads short random crops to the crop size, (h, w) like crop_size
data_preprocessor = dict(size=crop_size)
model = dict(data_preprocessor=data_preprocessor)
randomness = dict(seed=304)

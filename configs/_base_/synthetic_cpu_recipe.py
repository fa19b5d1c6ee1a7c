# The CPU recipe shared by every `*_1xb8-4k_synthetic-256x192.py` config
# (GasSeg-S, GasViT-xs and the baselines), so that only the model differs:
# the synthetic gas set with its pipelines and input encoding, 256x192
# (h, w) crops, batch 8, AdamW 2e-3 over 4k iterations, seed 304 and the
# IGS/synthetic evaluator. A config adds its model, the CE + Lovasz
# `semantic_loss` of ./models/cpu_semantic_loss.py on the model's main
# output, and `data_preprocessor = dict(size=_base_.crop_size)` (pads short
# random crops to the crop size).
_base_ = [
    './datasets/synthetic_gas.py', './default_runtime.py',
    './schedules/schedule_4k.py'
]
crop_size = (256, 192)
train_dataloader = dict(batch_size=8)
randomness = dict(seed=304)

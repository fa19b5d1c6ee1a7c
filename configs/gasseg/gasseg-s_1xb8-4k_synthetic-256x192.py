# GasSeg-S on the synthetic gas set, sized for a 2-core CPU (see
# docs/gasseg.md for the measured s/iter and accuracy): the release model
# with the paper's fixed Scharr kernels, the release data pipeline, batch 8
# and the CPU recipe (CE + Lovasz + boundary loss, AdamW over 4k
# iterations; ../_base_/models/gasseg-s_cpu.py, schedule_4k.py).
_base_ = [
    '../_base_/models/gasseg-s_cpu.py', '../_base_/datasets/synthetic_gas.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_4k.py'
]
randomness = dict(seed=304)
train_dataloader = dict(batch_size=8)

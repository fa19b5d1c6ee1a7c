# GasSeg-S on the synthetic gas set, sized for a 2-core CPU (see
# docs/gasseg.md for the measured s/iter): the release model and recipe
# with batch 8, 4k iterations and the paper's fixed Scharr kernels.
_base_ = [
    '../_base_/models/gasseg-s_cpu.py', '../_base_/datasets/synthetic_gas.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_4k.py'
]
randomness = dict(seed=304)
train_dataloader = dict(batch_size=8)

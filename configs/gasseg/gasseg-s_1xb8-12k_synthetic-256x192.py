# GasSeg-S on the synthetic gas set with the recipe of
# ./gasseg-s_1xb8-4k_synthetic-256x192.py run three times as long (12k
# iterations, ../_base_/schedules/schedule_12k.py): how far the CPU recipe
# takes GasSeg-S on the default set.
_base_ = [
    '../_base_/models/gasseg-s_cpu.py', '../_base_/datasets/synthetic_gas.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_12k.py'
]
randomness = dict(seed=304)
train_dataloader = dict(batch_size=8)

# The CPU recipe of ./synthetic_cpu_recipe.py (256x192 crops, batch 8, AdamW
# 2e-3 over 4k iterations, seed 304) on the synthetic temporal set
# (./datasets/synthetic_gas_temporal.py): the `*_synthetic-temporal-*`
# configs differ from their single-frame `*_synthetic-*` twins only in the
# data and the input encoding.
_base_ = [
    './datasets/synthetic_gas_temporal.py', './default_runtime.py',
    './schedules/schedule_4k.py'
]
crop_size = (256, 192)
train_dataloader = dict(batch_size=8)
randomness = dict(seed=304)

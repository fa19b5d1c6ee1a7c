# The CPU-sized schedule of the synthetic-set configs
# (configs/gasseg/gasseg-s_1xb8-4k_synthetic-256x192.py): the release's SGD
# and PolyLR over 4k iterations, validation and checkpoints every 1k, the
# last two checkpoints kept. Batch 8 and the seed are set by the configs.
_base_ = './schedule_120k.py'
iters = 4000
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=0,
        power=0.9,
        begin=0,
        end=iters,
        by_epoch=False)
]
train_cfg = dict(max_iters=iters, val_interval=iters // 4)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=iters // 4, max_keep_ckpts=2))

# The CPU schedule of ./schedule_4k.py (AdamW 2e-3, 50-iteration warm-up,
# PolyLR to 0) run three times as long: 12k iterations, validation and
# checkpoints every 2k. The 4k schedule stops while the validation score of
# every model that learns the synthetic set is still rising
# (docs/benchmark.md).
_base_ = './schedule_4k.py'
iters = 12000
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.1,
        by_epoch=False,
        begin=0,
        end=_base_.warmup),
    dict(
        type='PolyLR',
        eta_min=0,
        power=0.9,
        begin=_base_.warmup,
        end=iters,
        by_epoch=False)
]
train_cfg = dict(max_iters=iters, val_interval=2000)
default_hooks = dict(checkpoint=dict(interval=2000, max_keep_ckpts=2))

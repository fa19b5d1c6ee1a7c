# The CPU schedule of ./schedule_4k.py (AdamW 2e-3, 50-iteration warm-up,
# PolyLR to 0) run three times as long: 12k iterations, validation and
# checkpoints every 2k. The 4k schedule stops while the validation score of
# every model that learns the synthetic set is still rising
# (docs/benchmark.md).
_base_ = './schedule_4k.py'
iters = 12000
# the 4k warm-up as is, PolyLR stretched to the new length
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], end=iters)
]
train_cfg = dict(max_iters=iters, val_interval=2000)
default_hooks = dict(checkpoint=dict(interval=2000, max_keep_ckpts=2))

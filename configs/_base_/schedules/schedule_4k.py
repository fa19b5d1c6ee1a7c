# The CPU-sized schedule of the synthetic-set configs
# (configs/gasseg/gasseg-s_1xb8-4k_synthetic-256x192.py and the baselines'):
# AdamW (lr 2e-3, weight decay 0.01) with a 50-iteration linear warm-up and
# PolyLR to 0 over 4k iterations; validation and checkpoints every 1k, the
# last two checkpoints kept. Batch 8 and the seed are set by the configs.
# The release's SGD 0.01 (./schedule_120k.py) learns too slowly for a
# from-scratch model in 4k iterations at batch 8 (docs/gasseg.md).
_base_ = './schedule_120k.py'
iters = 4000
warmup = 50
optimizer = dict(
    _delete_=True, type='AdamW', lr=2e-3, betas=(0.9, 0.999),
    weight_decay=0.01)
optim_wrapper = dict(optimizer=optimizer)
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.1,
        by_epoch=False,
        begin=0,
        end=warmup),
    dict(
        type='PolyLR',
        eta_min=0,
        power=0.9,
        begin=warmup,
        end=iters,
        by_epoch=False)
]
train_cfg = dict(max_iters=iters, val_interval=iters // 4)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=iters // 4, max_keep_ckpts=2))

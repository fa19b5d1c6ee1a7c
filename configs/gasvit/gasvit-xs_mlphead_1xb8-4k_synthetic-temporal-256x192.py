# GasViT-xs on the synthetic temporal set: the model of
# ./gasvit-xs_mlphead_1xb8-4k_synthetic-256x192.py (with its auxiliary head)
# and the temporal CPU recipe: the frame, the frame minus the median of the
# 8 frames before it and the frame minus the frame 2 steps back
# (docs/temporal.md).
_base_ = [
    '../_base_/models/gasvit-xs_cpu.py',
    '../_base_/synthetic_temporal_cpu_recipe.py'
]

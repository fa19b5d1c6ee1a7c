# STDC1 on the synthetic temporal set: the model of
# ./stdc1_1xb8-4k_synthetic-256x192.py (CE + Lovasz on the main output,
# stock auxiliary and boundary losses) and the temporal CPU recipe
# (docs/temporal.md). Any mmseg model runs temporally this way.
_base_ = [
    '../_base_/models/baselines/stdc1.py',
    '../_base_/models/cpu_semantic_loss.py',
    '../_base_/synthetic_temporal_cpu_recipe.py'
]
# pads short random crops to the crop size, (h, w) like crop_size
data_preprocessor = dict(size=_base_.crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    decode_head=dict(loss_decode=_base_.semantic_loss))

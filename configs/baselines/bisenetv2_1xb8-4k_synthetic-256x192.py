# BiSeNetV2 on the synthetic gas set with the recipe of
# GasSeg-S and GasViT-xs, ../_base_/synthetic_cpu_recipe.py (data, pipeline,
# 256x192 crop, batch 8, 4k AdamW iterations, seed, evaluator, and CE + Lovasz
# on the main output), so that only the model differs; auxiliary and boundary
# losses stay stock. Trained from scratch.
_base_ = [
    '../_base_/models/baselines/bisenetv2.py',
    '../_base_/models/cpu_semantic_loss.py',
    '../_base_/synthetic_cpu_recipe.py'
]
# pads short random crops to the crop size, (h, w) like crop_size
data_preprocessor = dict(size=_base_.crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    decode_head=dict(loss_decode=_base_.semantic_loss))

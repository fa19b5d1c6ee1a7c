# GasViT-xs + mmgas's all-MLP head on the synthetic gas set with the CPU
# schedule shared by the GasSeg and baseline synthetic configs (AdamW 2e-3,
# 4k iterations, ../_base_/schedules/schedule_4k.py), the release pipeline
# and crop and batch 8: the GasViT entry of side-by-side comparisons. The loss
# is the CE + Lovasz of every synthetic-set config.
_base_ = [
    '../_base_/models/gasvit.py', '../_base_/models/cpu_semantic_loss.py',
    '../_base_/synthetic_cpu_recipe.py'
]
data_preprocessor = dict(size=_base_.crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    decode_head=dict(loss_decode=_base_.semantic_loss))

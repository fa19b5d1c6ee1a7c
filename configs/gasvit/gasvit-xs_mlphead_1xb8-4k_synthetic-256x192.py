# GasViT-xs + mmgas's all-MLP head on the synthetic gas set with the CPU
# schedule shared by the GasSeg and baseline synthetic configs (AdamW 2e-3,
# 4k iterations, ../_base_/schedules/schedule_4k.py), the release pipeline
# and crop and batch 8: the GasViT entry of side-by-side comparisons. The loss
# is the CE + Lovasz of every synthetic-set config.
_base_ = [
    '../_base_/models/gasvit.py', '../_base_/datasets/synthetic_gas.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_4k.py',
    '../_base_/models/cpu_semantic_loss.py'
]
crop_size = (256, 192)
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    decode_head=dict(loss_decode=_base_.semantic_loss))
train_dataloader = dict(batch_size=8)
randomness = dict(seed=304)

# GasViT-xs + mmgas's all-MLP head on the synthetic gas set with the CPU
# schedule shared by the GasSeg and baseline synthetic configs (AdamW 2e-3,
# 4k iterations, ../_base_/schedules/schedule_4k.py), the release pipeline
# and crop and batch 8: the GasViT entry of side-by-side comparisons. The loss
# is GasSeg-S's CPU semantic loss, CE + mmseg's Lovasz (a surrogate of the
# per-class IoU that weighs the rare gas class like the background).
_base_ = [
    '../_base_/models/gasvit.py', '../_base_/datasets/synthetic_gas.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_4k.py'
]
crop_size = (256, 192)
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    decode_head=dict(loss_decode=[
        dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
        dict(
            type='LovaszLoss',
            loss_type='multi_class',
            classes='present',
            per_image=False,
            reduction='none',
            loss_weight=1.0)
    ]))
train_dataloader = dict(batch_size=8)
randomness = dict(seed=304)

# BiSeNetV2 on the synthetic gas set with the recipe of
# configs/gasseg/gasseg-s_1xb8-4k_synthetic-256x192.py (data, pipeline,
# 256x192 crop, batch 8, 4k AdamW iterations, seed, evaluator), so that only
# the model differs. Trained from scratch.
_base_ = [
    '../_base_/models/baselines/bisenetv2.py',
    '../_base_/datasets/synthetic_gas.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_4k.py',
]
crop_size = (256, 192)
# pads short random crops to the crop size, (h, w) like crop_size
data_preprocessor = dict(size=crop_size)
# The semantic loss of the synthetic-set configs (as GasSeg-S's
# _base_/models/gasseg-s_cpu.py): CE + Lovasz on the main output, so that
# only the network differs; auxiliary and boundary losses stay stock.
semantic_loss = [
    dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
    dict(
        type='LovaszLoss',
        loss_type='multi_class',
        classes='present',
        per_image=False,
        reduction='none',
        loss_weight=1.0)
]
model = dict(
    data_preprocessor=data_preprocessor,
    decode_head=dict(loss_decode=semantic_loss))
train_dataloader = dict(batch_size=8)
randomness = dict(seed=304)

# GasSeg-M on 4 GPUs with 4 images each (the release's total batch of 16)
# and SyncBN, as the release config runs under distributed training:
#   bash tools/dist_train.sh configs/gasseg/gasseg-m_4xb4-120k_igs-256x192.py 4
# The stem and CAPPM keep plain BN, as in the release (stem_norm_cfg).
_base_ = './gasseg-m_1xb16-120k_igs-256x192.py'
norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    backbone=dict(norm_cfg=norm_cfg),
    decode_head=dict(norm_cfg=norm_cfg))
train_dataloader = dict(batch_size=4)

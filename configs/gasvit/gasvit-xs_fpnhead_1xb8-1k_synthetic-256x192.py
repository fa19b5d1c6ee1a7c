# The alternative head measured against mmgas's all-MLP head
# (docs/gasvit.md): mmseg's FPN neck + FPNHead on GasViT-xs's three outputs,
# everything else as in gasvit-xs_mlphead_1xb8-1k_synthetic-256x192.py.
_base_ = './gasvit-xs_mlphead_1xb8-1k_synthetic-256x192.py'
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    neck=dict(
        type='FPN', in_channels=[48, 64, 80], out_channels=64, num_outs=3),
    decode_head=dict(
        _delete_=True,
        type='FPNHead',
        in_channels=[64, 64, 64],
        in_index=[0, 1, 2],
        feature_strides=[8, 16, 32],
        channels=64,
        dropout_ratio=0.1,
        num_classes=2,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=_base_.semantic_loss))

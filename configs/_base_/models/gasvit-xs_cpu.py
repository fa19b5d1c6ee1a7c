# GasViT-xs + mmgas's all-MLP head as trained from scratch on a 2-core CPU
# with batch 8: the CE + Lovasz of ./cpu_semantic_loss.py on the main output
# and (x0.4) on an FCN auxiliary head over the stride-8 output, as mmseg's
# from-scratch configs supervise their early features. Without it GasViT-xs
# predicted only background for 2k iterations on the synthetic set (val gas
# IoU 0); with it, 18.37 at 1k (docs/gasvit.md, "Deep supervision"). Shared
# by the single-frame and temporal synthetic-set configs.
_base_ = ['./gasvit.py', './cpu_semantic_loss.py']
norm_cfg = dict(type='BN', requires_grad=True)
# pads short random crops to the 256x192 crop, (h, w) like crop_size
data_preprocessor = dict(size=(256, 192))
model = dict(
    data_preprocessor=data_preprocessor,
    decode_head=dict(loss_decode=_base_.semantic_loss),
    # training only: EncoderDecoder predicts with the decode head alone
    auxiliary_head=dict(
        type='FCNHead',
        in_channels=48,
        in_index=0,
        channels=64,
        num_convs=1,
        concat_input=False,
        dropout_ratio=0.1,
        num_classes=2,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=[
            dict(loss, loss_weight=0.4) for loss in _base_.semantic_loss
        ]))

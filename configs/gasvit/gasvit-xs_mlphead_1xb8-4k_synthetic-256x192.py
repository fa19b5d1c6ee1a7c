# GasViT-xs + mmgas's all-MLP head on the synthetic gas set with the CPU
# recipe shared by the GasSeg and baseline synthetic configs
# (../_base_/synthetic_cpu_recipe.py: AdamW 2e-3, 4k iterations, the release
# pipeline and crop, batch 8): the GasViT entry of side-by-side comparisons.
# The loss is the CE + Lovasz of every synthetic-set config, on the main
# output and (x0.4) on an FCN auxiliary head over the stride-8 output, as
# mmseg's from-scratch configs supervise their early features. Without it
# GasViT-xs predicted only background for 2k iterations on this set (val gas
# IoU 0); with it, 18.37 at 1k (docs/gasvit.md, "Deep supervision").
_base_ = [
    '../_base_/models/gasvit.py', '../_base_/models/cpu_semantic_loss.py',
    '../_base_/synthetic_cpu_recipe.py'
]
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(size=_base_.crop_size)
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

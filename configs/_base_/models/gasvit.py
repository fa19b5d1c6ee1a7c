# GasViT-xs (clean-room GasViT, H. Yu et al., Applied Soft Computing 2024)
# with mmgas's segmentation head. GasViT was published as a detection
# backbone without a segmentation head; the head here is mmgas's design:
# mmseg's stock all-MLP SegformerHead over the three outputs (strides 8, 16,
# 32), chosen against FPN + FPNHead on speed and accuracy (docs/gasvit.md).
norm_cfg = dict(type='BN', requires_grad=True)
# The identity normalisation (mean 0, std 1), as for GasSeg: the first
# GasConv is a 1x1 conv followed by BN, which absorbs any input scale and
# offset, and the same raw 0-255 input keeps GasViT and GasSeg comparable.
# mean/std are stated because mmdeploy's SDK export (`--dump-info`) reads
# them from this dict.
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[0.0, 0.0, 0.0],
    std=[1.0, 1.0, 1.0],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='GasViT',
        arch='xs',
        out_indices=(0, 1, 2),
        fusion='residual',
        norm_cfg=norm_cfg),
    decode_head=dict(
        type='SegformerHead',
        in_channels=[48, 64, 80],
        in_index=[0, 1, 2],
        channels=128,
        dropout_ratio=0.1,
        num_classes=2,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))

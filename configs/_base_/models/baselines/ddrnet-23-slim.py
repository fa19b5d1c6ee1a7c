# DDRNet-23-slim (Y. Hong et al., 2021; mmseg's implementation, Apache 2.0)
# for the two gas classes, trained from scratch. mmseg 1.2.2 ships DDRNet
# only as complete Cityscapes configs (no `_base_/models/ddrnet*.py`), and
# mmengine refuses two bases that define the same keys, so the stock model
# of `mmseg::ddrnet/ddrnet_23-slim_in1k-pre_2xb6-120k_cityscapes-1024x1024.py`
# is restated here with num_classes=2, no Cityscapes class weights, no
# ImageNet `init_cfg` (the download is not reachable) and BN instead of
# SyncBN (tests/test_configs/test_baseline_configs.py checks the rest is
# stock).
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
# OHEM's min_kept is counted over the whole batch: 131072 for batch 16,
# as in the stock config and GasSeg's release recipe
ohem_min_kept = 131072
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='DDRNet',
        in_channels=3,
        channels=32,
        ppm_channels=128,
        norm_cfg=norm_cfg,
        align_corners=False,
        init_cfg=None),
    decode_head=dict(
        type='DDRHead',
        in_channels=32 * 4,
        channels=64,
        dropout_ratio=0.,
        num_classes=2,
        align_corners=False,
        norm_cfg=norm_cfg,
        # main output, then the auxiliary (context branch) output
        loss_decode=[
            dict(
                type='OhemCrossEntropy',
                thres=0.9,
                min_kept=ohem_min_kept,
                loss_weight=1.0),
            dict(
                type='OhemCrossEntropy',
                thres=0.9,
                min_kept=ohem_min_kept,
                loss_weight=0.4),
        ]),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))

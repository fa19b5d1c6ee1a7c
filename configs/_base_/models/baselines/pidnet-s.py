# PIDNet-S (J. Xu et al., CVPR 2023; mmseg's implementation, Apache 2.0)
# for the two gas classes, trained from scratch. mmseg 1.2.2 ships PIDNet
# only as complete Cityscapes configs (no `_base_/models/pidnet*.py`), and
# mmengine refuses two bases that define the same keys (`Duplicate key is
# not allowed among bases`), so the stock model is restated here: the
# backbone and head of `mmseg::pidnet/pidnet-s_2xb6-120k_1024x1024-
# cityscapes.py` with num_classes=2, no Cityscapes class weights, no
# ImageNet `init_cfg` (the download is not reachable) and BN instead of
# SyncBN (tests/test_configs/test_baseline_configs.py checks the rest is
# stock).
# PIDHead's boundary loss needs `GenerateEdge` in the train pipeline, which
# the mmgas data bases have.
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
        type='PIDNet',
        in_channels=3,
        channels=32,
        ppm_channels=96,
        num_stem_blocks=2,
        num_branch_blocks=3,
        align_corners=False,
        norm_cfg=norm_cfg,
        act_cfg=dict(type='ReLU', inplace=True),
        init_cfg=None),
    decode_head=dict(
        type='PIDHead',
        in_channels=128,
        channels=128,
        num_classes=2,
        norm_cfg=norm_cfg,
        act_cfg=dict(type='ReLU', inplace=True),
        align_corners=True,
        # P branch CE, I branch OHEM, D branch boundary, boundary-aware OHEM
        loss_decode=[
            dict(
                type='CrossEntropyLoss', use_sigmoid=False, loss_weight=0.4),
            dict(
                type='OhemCrossEntropy',
                thres=0.9,
                min_kept=ohem_min_kept,
                loss_weight=1.0),
            dict(type='BoundaryLoss', loss_weight=20.0),
            dict(
                type='OhemCrossEntropy',
                thres=0.9,
                min_kept=ohem_min_kept,
                loss_weight=1.0)
        ]),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))

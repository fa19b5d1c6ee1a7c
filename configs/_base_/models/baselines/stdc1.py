# STDC1 (M. Fan et al., CVPR 2021; mmseg's `stdc` with STDCNet1, Apache 2.0)
# for the two gas classes, trained from scratch (the stock `stdc1_4xb12`
# config; its `-in1k-pre` variant needs an ImageNet download that is not
# reachable). mmseg's ImageNet mean/std kept; the stock base already uses BN.
_base_ = 'mmseg::_base_/models/stdc.py'
norm_cfg = dict(type='BN', requires_grad=True)
# OHEM as in the stock heads
ohem_sampler = dict(type='OHEMPixelSampler', thresh=0.7, min_kept=10000)
model = dict(
    pretrained=None,
    backbone=dict(init_cfg=None, backbone_cfg=dict(init_cfg=None)),
    decode_head=dict(num_classes=2),
    auxiliary_head=[
        # the stock FCN heads on the context path's outputs 2 and 1
        *[
            dict(
                type='FCNHead',
                in_channels=128,
                channels=64,
                num_convs=1,
                num_classes=2,
                in_index=in_index,
                norm_cfg=norm_cfg,
                concat_input=False,
                align_corners=False,
                sampler=ohem_sampler,
                loss_decode=dict(
                    type='CrossEntropyLoss',
                    use_sigmoid=False,
                    loss_weight=1.0)) for in_index in (2, 1)
        ],
        # the stock detail (boundary) head: two classes, edge or not, for
        # any data set
        dict(
            type='STDCHead',
            in_channels=256,
            channels=64,
            num_convs=1,
            num_classes=2,
            boundary_threshold=0.1,
            in_index=0,
            norm_cfg=norm_cfg,
            concat_input=False,
            align_corners=True,
            loss_decode=[
                dict(
                    type='CrossEntropyLoss',
                    loss_name='loss_ce',
                    use_sigmoid=True,
                    loss_weight=1.0),
                dict(
                    type='DiceLoss', loss_name='loss_dice', loss_weight=1.0)
            ]),
    ])

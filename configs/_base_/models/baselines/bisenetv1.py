# BiSeNetV1 with its ResNet-18 context path (C. Yu et al., ECCV 2018;
# mmseg's `bisenetv1_r18-d32`, Apache 2.0) for the two gas classes, trained
# from scratch: the stock `-in1k-pre` variant downloads ResNet-18 ImageNet
# weights, which are not reachable, so the context backbone gets no
# `init_cfg`. mmseg's ImageNet mean/std kept. BN instead of the stock SyncBN
# for one device.
_base_ = 'mmseg::_base_/models/bisenetv1_r18-d32.py'
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    pretrained=None,
    backbone=dict(
        backbone_cfg=dict(norm_cfg=norm_cfg, init_cfg=None),
        norm_cfg=norm_cfg,
        init_cfg=None),
    decode_head=dict(num_classes=2, norm_cfg=norm_cfg),
    # the two stock auxiliary FCN heads, on context outputs 1 and 2
    auxiliary_head=[
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
            loss_decode=dict(
                type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0))
        for in_index in (1, 2)
    ])

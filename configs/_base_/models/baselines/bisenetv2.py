# BiSeNetV2 (C. Yu et al., IJCV 2021; mmseg's implementation, Apache 2.0)
# for the two gas classes, from scratch (the stock model has no pretrained
# weights either); mmseg's ImageNet mean/std kept as in every stock BiSeNetV2
# config. BN instead of the stock SyncBN for one device.
_base_ = 'mmseg::_base_/models/bisenetv2.py'
norm_cfg = dict(type='BN', requires_grad=True)
# (in_channels, channels, in_index) of the four stock auxiliary FCN heads
aux_head_widths = [(16, 16, 1), (32, 64, 2), (64, 256, 3), (128, 1024, 4)]
model = dict(
    pretrained=None,
    backbone=dict(init_cfg=None),
    decode_head=dict(num_classes=2, norm_cfg=norm_cfg),
    auxiliary_head=[
        dict(
            type='FCNHead',
            in_channels=in_channels,
            channels=channels,
            num_convs=2,
            num_classes=2,
            in_index=in_index,
            norm_cfg=norm_cfg,
            concat_input=False,
            align_corners=False,
            loss_decode=dict(
                type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0))
        for in_channels, channels, in_index in aux_head_widths
    ])

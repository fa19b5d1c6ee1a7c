# GasSeg (H. Yu et al., Pattern Recognition 2026; release MIT licence) as
# released: EncoderDecoder, whole-image test, GasSeg-M width (channels=32;
# the S/M/L configs override `channels` and the head widths = 4 * channels).
# Plain BN: the release's SyncBN only makes sense on several devices
# (see gasseg-m_4xb4-120k_igs-256x192.py).
norm_cfg = dict(type='BN', requires_grad=True)
# The release normalises nothing and trains from scratch: raw 0-255 input,
# stated as the identity normalisation (mean 0, std 1; exact in float32) so
# that mmdeploy's SDK export (`--dump-info`), which reads mean/std from this
# dict, works with mmdeploy's own tools/deploy.py too.
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
        type='GasSeg',
        in_channels=3,
        channels=32,
        # trainable: as released, so released weights load and the release
        # recipe is reproduced; 'fixed' gives the paper's fixed kernels.
        scharr_mode='trainable',
        align_corners=False,
        norm_cfg=norm_cfg,
        act_cfg=dict(type='ReLU', inplace=True)),
    decode_head=dict(
        type='GasHead',
        in_channels=128,
        channels=128,
        num_classes=2,
        dropout_ratio=0.1,
        norm_cfg=norm_cfg,
        act_cfg=dict(type='ReLU', inplace=True),
        align_corners=True,
        loss_decode=[
            dict(
                type='OhemCrossEntropy',
                thres=0.9,
                min_kept=131072,
                loss_weight=1.0),
            dict(type='BoundaryLoss', loss_weight=30.0)
        ]),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))

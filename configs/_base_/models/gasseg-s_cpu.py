# GasSeg-S as trained from scratch on a 2-core CPU with batch 8: the release
# model (./gasseg.py) at width 16 with the paper's fixed Scharr kernels and
# OHEM's min_kept halved with the batch. Shared by the synthetic-set configs
# trained on masks and on boxes.
_base_ = './gasseg.py'
# pads short random crops to the 256x192 crop, (h, w) like crop_size
data_preprocessor = dict(size=(256, 192))
model = dict(
    data_preprocessor=data_preprocessor,
    # Trained from scratch, no released weights to load: the paper's fixed
    # gradient operators.
    backbone=dict(channels=16, scharr_mode='fixed'),
    decode_head=dict(
        in_channels=64,
        channels=64,
        loss_decode=[
            # min_kept halved with the batch: OHEM keeps at least the same
            # share of pixels as the release's 131072 of 16 crops.
            dict(
                type='OhemCrossEntropy',
                thres=0.9,
                min_kept=65536,
                loss_weight=1.0),
            dict(type='BoundaryLoss', loss_weight=30.0)
        ]))

# GasSeg-S as trained from scratch on a 2-core CPU with batch 8: the release
# model (./gasseg.py) at width 16 with the paper's fixed Scharr kernels. The
# semantic loss is the CE + Lovasz of ./cpu_semantic_loss.py instead of the
# release's OHEM CE: with OHEM, or CE alone, the model predicts only
# background for the first thousands of iterations at this batch size
# (docs/gasseg.md). The boundary loss is the release's. Shared by the
# synthetic-set configs trained on masks and on boxes.
_base_ = ['./gasseg.py', './cpu_semantic_loss.py']
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
            *_base_.semantic_loss,
            dict(type='BoundaryLoss', loss_weight=30.0)
        ]))

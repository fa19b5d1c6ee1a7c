# GasSeg-L (C = 64), the release recipe on one device.
_base_ = './gasseg-m_1xb16-120k_igs-256x192.py'
model = dict(
    backbone=dict(channels=64),
    decode_head=dict(in_channels=256, channels=256))

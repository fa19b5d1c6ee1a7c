# GasSeg-S (C = 16), the release recipe on one device.
_base_ = './gasseg-m_1xb16-120k_igs-256x192.py'
model = dict(
    backbone=dict(channels=16),
    decode_head=dict(in_channels=64, channels=64))

# SegFormer-B0 (E. Xie et al., NeurIPS 2021; mmseg's implementation, Apache
# 2.0) for the two gas classes, trained from scratch: no ImageNet download
# is reachable, so no `init_cfg`. mmseg's ImageNet mean/std are kept: the MiT
# patch embedding has no BN to absorb raw 0-255 inputs (GasSeg's stem has),
# so normalising is the fairer choice for this architecture. BN instead of
# the stock SyncBN for one device.
_base_ = 'mmseg::_base_/models/segformer_mit-b0.py'
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    pretrained=None,
    backbone=dict(init_cfg=None),
    decode_head=dict(num_classes=2, norm_cfg=norm_cfg))

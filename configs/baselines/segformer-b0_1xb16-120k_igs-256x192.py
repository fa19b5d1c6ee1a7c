# SegFormer-B0 (E. Xie et al., NeurIPS 2021; mmseg's implementation, Apache
# 2.0) as a GasSeg-paper baseline on IGS, with GasSeg's release recipe
# (data, 120k SGD schedule) so that only the model differs. Trained from
# scratch: no ImageNet download. mmseg's ImageNet mean/std are kept: the
# MiT patch embedding has no BN to absorb raw 0-255 inputs (GasSeg's stem
# has), so normalising is the fairer choice for this architecture.
_base_ = [
    'mmseg::_base_/models/segformer_mit-b0.py',
    '../_base_/datasets/igs.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_120k.py',
]
crop_size = (256, 192)
norm_cfg = dict(type='BN', requires_grad=True)
# pads short random crops to the crop size, (h, w) like crop_size
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(init_cfg=None),
    decode_head=dict(num_classes=2, norm_cfg=norm_cfg))

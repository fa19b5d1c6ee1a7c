"""GasHead: the decode head of GasSeg.

A clean-room re-implementation of the head of

    H. Yu et al., "GasSeg: A lightweight real-time infrared gas segmentation
    network for edge devices", Pattern Recognition 170:111931 (2026),
    doi:10.1016/j.patcog.2025.111931.

written from the project's description of the authors' release
(github.com/FisherYuuri/GasSeg, MIT licence); no code of that repository is
used. It is mmseg's PIDHead reduced to two outputs: the semantic head on the
fused feature and, in training only, the boundary head on the boundary
feature. Both reuse mmseg's :class:`BasePIDHead` (BN -> ReLU -> 3x3 conv ->
BN -> ReLU), so state-dict keys equal the release's.
"""
import inspect
from typing import Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn import fuse_conv_bn
from torch import Tensor
from torch.nn.modules.batchnorm import _BatchNorm

from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.decode_heads.pid_head import BasePIDHead
from mmseg.models.losses import accuracy
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, SampleList


@MODELS.register_module()
class GasHead(BaseDecodeHead):
    """Decode head of GasSeg.

    - ``c_head`` + ``cls_seg`` (dropout, 1x1 ``conv_seg``) turn the fused
      feature (N, in_channels, h, w) into semantic logits
      (N, num_classes, h, w);
    - ``e_head`` + ``e_cls_seg`` (training only) turn the boundary feature
      (N, in_channels, h, w) into a boundary logit (N, 1, h, w), with an
      ``in_channels // 4`` wide hidden layer.

    Losses (``loss_decode``; logits are resized bilinearly to the label size
    first): one or more semantic losses on ``gt_sem_seg``, then the boundary
    loss on ``gt_edge_map`` from ``GenerateEdge``, always last. The release
    uses ``[OhemCrossEntropy(thres=0.9, min_kept=131072),
    BoundaryLoss(loss_weight=30.0)]``; extra semantic losses (e.g. mmseg's
    ``LovaszLoss`` next to the CE) are logged under their ``loss_name``.

    Args:
        in_channels (int): Number of input channels (4C for GasSeg).
        channels (int): Width of the semantic head (4C in the release).
        num_classes (int): Number of classes (2 for gas segmentation).
        norm_cfg (dict): Normalization config.
            Default: dict(type='BN').
        act_cfg (dict): Activation config.
            Default: dict(type='ReLU', inplace=True).
        **kwargs: Other :class:`BaseDecodeHead` arguments, e.g.
            ``align_corners`` (True in the release), ``dropout_ratio``
            (0.1) and ``loss_decode`` (semantic losses + boundary loss).
    """

    def __init__(self,
                 in_channels: int,
                 channels: int,
                 num_classes: int,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU', inplace=True),
                 **kwargs):
        super().__init__(
            in_channels,
            channels,
            num_classes=num_classes,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg,
            **kwargs)
        if not isinstance(self.loss_decode, nn.ModuleList) or len(
                self.loss_decode) < 2:
            raise ValueError('GasHead needs loss_decode = [semantic loss, '
                             '..., boundary loss]')
        self.c_head = BasePIDHead(in_channels, channels, norm_cfg, act_cfg)
        self.e_head = BasePIDHead(in_channels, in_channels // 4, norm_cfg)
        self.e_cls_seg = nn.Conv2d(in_channels // 4, 1, kernel_size=1)
        self.deploy = False

    def init_weights(self):
        """Kaiming-initialise every conv (``conv_seg`` included) and reset
        norms, as the release does."""
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(
                    m.weight, mode='fan_out', nonlinearity='relu')
            elif isinstance(m, _BatchNorm):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def forward(
        self, inputs: Union[Tensor, Tuple[Tensor, Tensor]]
    ) -> Union[Tensor, Tuple[Tensor, Tensor]]:
        """Forward function.

        Args:
            inputs (Tensor | tuple[Tensor]): In training the backbone's
                ``(fused, boundary)`` features, in eval the fused feature,
                each (N, in_channels, h, w).

        Returns:
            Tensor | tuple[Tensor]: In training ``(semantic_logits,
            boundary_logit)`` of shapes (N, num_classes, h, w) and
            (N, 1, h, w); in eval the semantic logits only.
        """
        if self.training:
            if self.deploy:
                raise RuntimeError('GasHead was switched to deploy mode '
                                   '(BatchNorm folded) and cannot train.')
            x_c, x_e = inputs
            return (self.c_head(x_c, self.cls_seg),
                    self.e_head(x_e, self.e_cls_seg))
        return self.c_head(inputs, self.cls_seg)

    def _stack_batch_gt(self,
                        batch_data_samples: SampleList) -> Tuple[Tensor]:
        sem = torch.stack(
            [sample.gt_sem_seg.data for sample in batch_data_samples])
        if not all('gt_edge_map' in s for s in batch_data_samples):
            raise KeyError(
                'GasHead trains its boundary branch on gt_edge_map: add '
                "dict(type='GenerateEdge', edge_width=4) after the "
                'augmentations of the training pipeline (as the GasSeg '
                'configs do)')
        edge = torch.stack(
            [sample.gt_edge_map.data for sample in batch_data_samples])
        return sem, edge

    def loss_by_feat(self, seg_logits: Tuple[Tensor, Tensor],
                     batch_data_samples: SampleList) -> dict:
        """Semantic and boundary losses.

        Args:
            seg_logits (tuple[Tensor]): ``(semantic_logits, boundary_logit)``
                from :meth:`forward` in training mode.
            batch_data_samples (list[:obj:`SegDataSample`]): With
                ``gt_sem_seg`` and ``gt_edge_map``.

        Returns:
            dict[str, Tensor]: ``loss_sem`` (the first semantic loss), the
            other semantic losses by ``loss_name``, ``loss_bd`` and
            ``acc_seg``.
        """
        sem_logit, bd_logit = seg_logits
        sem_label, bd_label = self._stack_batch_gt(batch_data_samples)
        sem_logit = resize(
            sem_logit,
            size=sem_label.shape[2:],
            mode='bilinear',
            align_corners=self.align_corners)
        bd_logit = resize(
            bd_logit,
            size=bd_label.shape[2:],
            mode='bilinear',
            align_corners=self.align_corners)
        sem_label = sem_label.squeeze(1)
        bd_label = bd_label.squeeze(1)
        losses = dict()
        for i, sem_loss in enumerate(self.loss_decode[:-1]):
            # mmseg's CrossEntropyLoss/LovaszLoss take the ignore index per
            # call; OhemCrossEntropy has its own ignore_label.
            sem_kwargs = dict(ignore_index=self.ignore_index) if (
                'ignore_index' in inspect.signature(
                    sem_loss.forward).parameters) else {}
            name = 'loss_sem' if i == 0 else sem_loss.loss_name
            losses[name] = losses.get(name, 0) + sem_loss(
                sem_logit, sem_label, **sem_kwargs)
        losses['loss_bd'] = self.loss_decode[-1](bd_logit, bd_label)
        losses['acc_seg'] = accuracy(
            sem_logit, sem_label, ignore_index=self.ignore_index)
        return losses

    @torch.no_grad()
    def switch_to_deploy(self, channels_last: bool = True):
        """Prepare for inference: fold ``c_head``'s second BatchNorm into its
        3x3 conv.

        ``c_head`` is BN -> ReLU -> conv -> BN -> ReLU: only the BN after the
        conv can be folded (the first one is separated from the conv by a
        ReLU). The boundary head does not run in eval and is left as is.
        The module is put in eval mode and can no longer train.

        Args:
            channels_last (bool): Also store the weights channels-last (see
                :meth:`GasSeg.switch_to_deploy`). Default: True.
        """
        if self.deploy:
            return
        self.eval()
        head = self.c_head
        # fuse_conv_bn folds a norm into the conv listed before it; applied
        # to BasePIDHead directly it would fold the pre-activation norm.
        fused = fuse_conv_bn(nn.Sequential(head.conv.conv, head.norm))
        head.conv.conv, head.norm = fused[0], fused[1]
        if channels_last:
            self.to(memory_format=torch.channels_last)
        self.deploy = True

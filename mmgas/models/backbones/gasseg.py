"""GasSeg backbone.

A clean-room re-implementation of the backbone of

    H. Yu et al., "GasSeg: A lightweight real-time infrared gas segmentation
    network for edge devices", Pattern Recognition 170:111931 (2026),
    doi:10.1016/j.patcog.2025.111931.

written from the project's description of the authors' release
(github.com/FisherYuuri/GasSeg, MIT licence); no code of that repository is
used. State-dict key names equal the release's, so released checkpoints load
strictly. GasSeg is mmseg's PIDNet (Xu et al., CVPR 2023) without the detail
branch, with a Boundary-Aware Stem (Scharr gradients) and CAPPM, an SPPF
pyramid gated by Large Separable Kernel Attention (Lau et al., "Large
Separable Kernel Attention", arXiv:2309.01439), and the fusion
``up(CAPPM(context)) * sigmoid(boundary)``. The residual blocks are mmseg's
:class:`BasicBlock` and :class:`Bottleneck`.
"""
from typing import Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule, fuse_conv_bn
from mmengine.model import BaseModule
from torch import Tensor
from torch.nn.modules.batchnorm import _BatchNorm

from mmseg.models.utils import BasicBlock, Bottleneck
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptConfigType

#: Scharr derivative kernels; the stem sums both responses (signed, no
#: magnitude), as the release does.
SCHARR_Y = ((3., 10., 3.), (0., 0., 0.), (-3., -10., -3.))
SCHARR_X = tuple(zip(*SCHARR_Y))


def zero_pad_max_pool_2x2(x: Tensor) -> Tensor:
    """``ZeroPad2d((0, 1, 0, 1))`` followed by ``MaxPool2d(2, stride=1)``.

    Computed as two elementwise maxima of shifted views: the same values as
    the pooling layer, but on CPU an order of magnitude faster for NCHW
    tensors (PyTorch's max-pool kernel also computes indices).

    Args:
        x (Tensor): Input (N, C, H, W).

    Returns:
        Tensor: Output (N, C, H, W).
    """
    x = F.pad(x, (0, 1, 0, 1))
    x = torch.maximum(x[:, :, :-1], x[:, :, 1:])
    return torch.maximum(x[..., :-1], x[..., 1:])


class FixedDepthwiseConv(nn.Module):
    """A depthwise 3x3 convolution (padding 1, no bias) with a fixed kernel.

    The kernel is a persistent buffer named ``weight``: it is saved under the
    same state-dict key as the ``weight`` of the equivalent
    :class:`nn.Conv2d`, is not a parameter (no gradient, no weight decay) and
    is not an :class:`nn.Conv2d`, so Kaiming initialisation passes it by.

    Args:
        channels (int): Number of input (= output) channels.
        kernel (tuple[tuple[float]]): The 3x3 kernel, shared by all channels.
    """

    def __init__(self, channels: int, kernel: Tuple[Tuple[float]]):
        super().__init__()
        weight = torch.tensor(kernel).expand(channels, 1, 3, 3).contiguous()
        self.register_buffer('weight', weight)

    def forward(self, x: Tensor) -> Tensor:
        return F.conv2d(
            x, self.weight, padding=1, groups=self.weight.shape[0])


class ScharrBranch(BaseModule):
    """Depthwise Scharr gradients ``Gx * x + Gy * x`` of the stem.

    Args:
        channels (int): Number of input (= output) channels.
        scharr_mode (str): ``'fixed'``: the paper's fixed gradient operators,
            kept as non-trainable buffers that survive ``init_weights``.
            ``'trainable'``: the release behaviour, two ordinary depthwise
            :class:`nn.Conv2d` layers that start as Scharr kernels, are
            re-initialised (Kaiming) by ``init_weights`` like every other
            convolution and are trained. Both modes have the same state-dict
            keys, so checkpoints load strictly across modes.
            Default: 'fixed'.
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 channels: int,
                 scharr_mode: str = 'fixed',
                 init_cfg: OptConfigType = None):
        super().__init__(init_cfg)
        if scharr_mode not in ('fixed', 'trainable'):
            raise ValueError("scharr_mode must be 'fixed' or 'trainable', "
                             f'got {scharr_mode!r}')
        self.scharr_mode = scharr_mode
        self.deploy = False
        for name, kernel in (('scharr_kernel_x_conv2d', SCHARR_X),
                             ('scharr_kernel_y_conv2d', SCHARR_Y)):
            if scharr_mode == 'fixed':
                conv = FixedDepthwiseConv(channels, kernel)
            else:
                conv = nn.Conv2d(
                    channels,
                    channels,
                    kernel_size=3,
                    padding=1,
                    groups=channels,
                    bias=False)
                with torch.no_grad():
                    conv.weight.copy_(torch.tensor(kernel).expand_as(
                        conv.weight))
            self.add_module(name, conv)

    def forward(self, x: Tensor) -> Tensor:
        if self.deploy:
            return self.scharr_conv(x)
        return self.scharr_kernel_x_conv2d(x) + self.scharr_kernel_y_conv2d(x)

    @torch.no_grad()
    def switch_to_deploy(self):
        """Merge the two depthwise convolutions into one (their kernels sum,
        since both see the same input with the same padding)."""
        if self.deploy:
            return
        weight = (self.scharr_kernel_x_conv2d.weight +
                  self.scharr_kernel_y_conv2d.weight)
        self.scharr_conv = nn.Conv2d(
            weight.shape[0],
            weight.shape[0],
            kernel_size=3,
            padding=1,
            groups=weight.shape[0],
            bias=False).to(weight)
        self.scharr_conv.weight.copy_(weight)
        del self.scharr_kernel_x_conv2d, self.scharr_kernel_y_conv2d
        self.deploy = True


class BoundaryAwareStem(BaseModule):
    """Boundary-Aware Stem: stride 8, ``in_channels`` -> ``2 * channels``.

    ``conv1`` (3x3 s2) feeds a Scharr-gradient branch and a max-pool branch
    (``ZeroPad2d((0, 1, 0, 1))`` + ``MaxPool2d(2, stride=1)``, size
    preserving); their concatenation goes through ``conv2`` and ``conv3``
    (3x3 s2 each). Every conv is followed by ``norm_cfg`` and ``act_cfg``.

    Args:
        in_channels (int): Number of input channels.
        channels (int): Width ``C`` of the stem; the output has ``2 * C``.
        scharr_mode (str): See :class:`ScharrBranch`. Default: 'fixed'.
        norm_cfg (dict): Normalization config. Default: dict(type='BN').
        act_cfg (dict): Activation config. Default: dict(type='SiLU').
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 in_channels: int,
                 channels: int,
                 scharr_mode: str = 'fixed',
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='SiLU'),
                 init_cfg: OptConfigType = None):
        super().__init__(init_cfg)
        conv_args = dict(
            kernel_size=3,
            stride=2,
            padding=1,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.conv1 = ConvModule(in_channels, channels, **conv_args)
        self.scharr_branch = ScharrBranch(channels, scharr_mode)
        self.conv2 = ConvModule(channels * 2, channels, **conv_args)
        self.conv3 = ConvModule(channels, channels * 2, **conv_args)

    def forward(self, x: Tensor) -> Tensor:
        x = self.conv1(x)
        x = torch.cat([self.scharr_branch(x), zero_pad_max_pool_2x2(x)],
                      dim=1)
        return self.conv3(self.conv2(x))


class LSKA(BaseModule):
    """Large Separable Kernel Attention for an effective kernel size of 11.

    Depthwise 1x3 -> 3x1 -> 1x5 (dilation 2) -> 5x1 (dilation 2) -> 1x1
    conv, all with bias and without norm or activation; the result gates the
    input multiplicatively (no sigmoid).

    Args:
        channels (int): Number of input (= output) channels.
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self, channels: int, init_cfg: OptConfigType = None):
        super().__init__(init_cfg)
        dw = dict(groups=channels)
        self.conv0h = nn.Conv2d(channels, channels, (1, 3), padding=(0, 1),
                                **dw)
        self.conv0v = nn.Conv2d(channels, channels, (3, 1), padding=(1, 0),
                                **dw)
        self.conv_spatial_h = nn.Conv2d(
            channels, channels, (1, 5), padding=(0, 4), dilation=2, **dw)
        self.conv_spatial_v = nn.Conv2d(
            channels, channels, (5, 1), padding=(4, 0), dilation=2, **dw)
        self.conv1 = nn.Conv2d(channels, channels, 1)

    def forward(self, x: Tensor) -> Tensor:
        attn = self.conv0v(self.conv0h(x))
        attn = self.conv_spatial_v(self.conv_spatial_h(attn))
        return x * self.conv1(attn)


class CAPPM(BaseModule):
    """Contextual Attention Pyramid Pooling Module (SPPF + LSKA).

    ``cv1`` (1x1, ``in_channels`` -> ``out_channels``), three chained
    ``MaxPool2d(5, 1, 2)``, concatenation of the four maps
    (``4 * out_channels``), LSKA gating, then ``cv2`` (1x1 ->
    ``out_channels``).

    Args:
        in_channels (int): Number of input channels (16C in GasSeg).
        out_channels (int): Number of output channels (4C in GasSeg).
        norm_cfg (dict): Normalization config. Default: dict(type='BN').
        act_cfg (dict): Activation config. Default: dict(type='SiLU').
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='SiLU'),
                 init_cfg: OptConfigType = None):
        super().__init__(init_cfg)
        self.cv1 = ConvModule(
            in_channels, out_channels, 1, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.cv2 = ConvModule(
            out_channels * 4,
            out_channels,
            1,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.pool = nn.MaxPool2d(kernel_size=5, stride=1, padding=2)
        self.lska = LSKA(out_channels * 4)

    def forward(self, x: Tensor) -> Tensor:
        pyramid = [self.cv1(x)]
        for _ in range(3):
            pyramid.append(self.pool(pyramid[-1]))
        return self.cv2(self.lska(torch.cat(pyramid, dim=1)))


@MODELS.register_module()
class GasSeg(BaseModule):
    """GasSeg backbone: a context branch and a boundary branch at stride 8.

    Sizes differ by ``channels`` only: GasSeg-S 16, GasSeg-M 32, GasSeg-L 64
    (1.70 M / 6.79 M / 27.11 M parameters with :class:`GasHead`).
    For an input of shape (N, 3, H, W) and C = ``channels``:

    - stem: (N, 2C, H/8, W/8);
    - context branch: 3 BasicBlocks (2C -> 4C, H/16) + ReLU, 3 BasicBlocks
      (4C -> 8C, H/32) + ReLU, 2 Bottlenecks (8C -> 16C, H/64), CAPPM
      (-> 4C, H/64);
    - boundary branch at H/8: a BasicBlock (-> C), a Bottleneck (-> 2C) and
      a Bottleneck (-> 4C), after each of the first two the context feature
      is projected (``diff_1``/``diff_2``), upsampled and added;
    - fusion: ``up(CAPPM) * sigmoid(boundary)``, (N, 4C, H/8, W/8).

    Args:
        in_channels (int): Number of input channels. Default: 3.
        channels (int): Base width C. Default: 32.
        scharr_mode (str): ``'fixed'`` (paper: Scharr kernels as buffers) or
            ``'trainable'`` (release: ordinary convs, Kaiming-initialised by
            ``init_weights`` and learnt; needed to reproduce released
            weights). See :class:`ScharrBranch`. Default: 'fixed'.
        fusion (str): How the upsampled CAPPM output meets the boundary
            feature: ``'gate'`` (paper and release,
            ``up(CAPPM) * sigmoid(boundary)``) or ``'add'``
            (``up(CAPPM) + boundary``, an ablation: the gate all but zeroes
            the context wherever the boundary feature is strongly negative,
            and no detail branch carries it there, as PIDNet's Bag does).
            Both have the same parameters and state-dict keys.
            Default: 'gate'.
        align_corners (bool): align_corners of the bilinear upsampling to
            stride 8. Default: False.
        norm_cfg (dict): Normalization config of the residual blocks and of
            ``diff_1``/``diff_2``. Default: dict(type='BN',
            requires_grad=True).
        act_cfg (dict): Activation config of the residual blocks.
            Default: dict(type='ReLU', inplace=True).
        stem_norm_cfg (dict): Normalization config of the stem and CAPPM
            convs. The release hard-codes ``nn.BatchNorm2d`` there, so it
            stays plain BN even when ``norm_cfg`` is SyncBN.
            Default: dict(type='BN').
        stem_act_cfg (dict): Activation config of the stem and CAPPM convs.
            Default: dict(type='SiLU').
        init_cfg (dict, optional): Initialization config, e.g.
            ``dict(type='Pretrained', checkpoint=...)``; the release trains
            from scratch. Default: None.

    Returns (from ``forward``):
        Tensor | tuple[Tensor]: In eval mode the fused feature
        (N, 4C, H/8, W/8); in training mode ``(fused, boundary)`` with the
        boundary feature (N, 4C, H/8, W/8) for the boundary head.
    """

    def __init__(self,
                 in_channels: int = 3,
                 channels: int = 32,
                 scharr_mode: str = 'fixed',
                 fusion: str = 'gate',
                 align_corners: bool = False,
                 norm_cfg: ConfigType = dict(type='BN', requires_grad=True),
                 act_cfg: ConfigType = dict(type='ReLU', inplace=True),
                 stem_norm_cfg: ConfigType = dict(type='BN'),
                 stem_act_cfg: ConfigType = dict(type='SiLU'),
                 init_cfg: OptConfigType = None):
        super().__init__(init_cfg)
        if fusion not in ('gate', 'add'):
            raise ValueError("fusion must be 'gate' or 'add', "
                             f'got {fusion!r}')
        self.channels = channels
        self.fusion = fusion
        self.align_corners = align_corners
        self.norm_cfg = norm_cfg
        self.act_cfg = act_cfg
        self.deploy = False
        self.relu = nn.ReLU()

        self.stem = BoundaryAwareStem(in_channels, channels, scharr_mode,
                                      stem_norm_cfg, stem_act_cfg)
        self.c_branch_layers = nn.ModuleList([
            self._make_layer(BasicBlock, channels * 2, channels * 4, 3, 2),
            self._make_layer(BasicBlock, channels * 4, channels * 8, 3, 2),
            # The release builds the first block of a layer with the
            # block's default output activation, which mmseg's Bottleneck
            # does not have: no ReLU between these two Bottlenecks.
            self._make_layer(
                Bottleneck, channels * 8, channels * 8, 2, 2,
                inner_act=False),
        ])
        self.spp = CAPPM(channels * 16, channels * 4, stem_norm_cfg,
                         stem_act_cfg)
        self.e_branch_layers = nn.ModuleList([
            self._make_block(BasicBlock, channels * 2, channels),
            self._make_layer(Bottleneck, channels, channels, 1),
            self._make_layer(Bottleneck, channels * 2, channels * 2, 1),
        ])
        self.diff_1 = ConvModule(
            channels * 4,
            channels,
            kernel_size=3,
            padding=1,
            norm_cfg=norm_cfg,
            act_cfg=None)
        self.diff_2 = ConvModule(
            channels * 8,
            channels * 2,
            kernel_size=3,
            padding=1,
            norm_cfg=norm_cfg,
            act_cfg=None)

    def _downsample(self, block: type, in_channels: int, channels: int,
                    stride: int) -> Union[ConvModule, None]:
        if stride == 1 and in_channels == channels * block.expansion:
            return None
        return ConvModule(
            in_channels,
            channels * block.expansion,
            kernel_size=1,
            stride=stride,
            norm_cfg=self.norm_cfg,
            act_cfg=None)

    def _make_block(self,
                    block: type,
                    in_channels: int,
                    channels: int,
                    stride: int = 1,
                    act_cfg_out: OptConfigType = None) -> nn.Module:
        """One residual block (with a 1x1 projection where the shape
        changes); no output activation unless ``act_cfg_out``."""
        return block(
            in_channels,
            channels,
            stride,
            self._downsample(block, in_channels, channels, stride),
            norm_cfg=self.norm_cfg,
            act_cfg=self.act_cfg,
            act_cfg_out=act_cfg_out)

    def _make_layer(self,
                    block: type,
                    in_channels: int,
                    channels: int,
                    num_blocks: int,
                    stride: int = 1,
                    inner_act: bool = True) -> nn.Sequential:
        """``num_blocks`` blocks, the first with ``stride``; with
        ``inner_act`` every block but the last ends with ``act_cfg`` (the
        PIDNet convention), the last block never does."""
        layers = []
        for i in range(num_blocks):
            act_cfg_out = (
                self.act_cfg if inner_act and i < num_blocks - 1 else None)
            layers.append(
                self._make_block(block, in_channels, channels,
                                 stride if i == 0 else 1, act_cfg_out))
            in_channels = channels * block.expansion
        return nn.Sequential(*layers)

    def init_weights(self):
        """Kaiming-initialise every ``nn.Conv2d`` and reset norms, as the
        release does (training from scratch); a ``Pretrained`` init_cfg is
        loaded afterwards. Fixed Scharr kernels are buffers and survive."""
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(
                    m.weight, mode='fan_out', nonlinearity='relu')
            elif isinstance(m, _BatchNorm):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
        if self.init_cfg is not None:
            super().init_weights()

    def _up(self, x: Tensor, size: torch.Size) -> Tensor:
        return F.interpolate(
            x, size=size, mode='bilinear', align_corners=self.align_corners)

    def forward(self, x: Tensor) -> Union[Tensor, Tuple[Tensor, Tensor]]:
        """Forward function.

        Args:
            x (Tensor): Input images (N, in_channels, H, W).

        Returns:
            Tensor | tuple[Tensor]: The fused feature (N, 4C, H/8, W/8) in
            eval mode; ``(fused, boundary)`` in training mode.
        """
        x = self.stem(x)  # (N, 2C, H/8, W/8)
        x_c = self.relu(self.c_branch_layers[0](x))  # (N, 4C, H/16, W/16)
        x_e = self.e_branch_layers[0](x)  # (N, C, H/8, W/8)
        size = x_e.shape[2:]
        x_e = x_e + self._up(self.diff_1(x_c), size)

        x_c = self.relu(self.c_branch_layers[1](x_c))  # (N, 8C, H/32, W/32)
        x_e = self.e_branch_layers[1](self.relu(x_e))  # (N, 2C, H/8, W/8)
        x_e = x_e + self._up(self.diff_2(x_c), size)

        x_c = self.c_branch_layers[2](x_c)  # (N, 16C, H/64, W/64)
        x_e = self.e_branch_layers[2](self.relu(x_e))  # (N, 4C, H/8, W/8)

        context = self._up(self.spp(x_c), size)
        if self.fusion == 'gate':
            out = context * torch.sigmoid(x_e)
        else:
            out = context + x_e
        if self.training:
            if self.deploy:
                raise RuntimeError('GasSeg was switched to deploy mode '
                                   '(BatchNorm folded) and cannot train.')
            return out, x_e
        return out

    @torch.no_grad()
    def switch_to_deploy(self, channels_last: bool = True):
        """Prepare for inference: fold every BatchNorm into the convolution
        before it and merge the two Scharr convolutions into one.

        The eval-mode output is unchanged (up to float rounding); state-dict
        keys change, so load checkpoints first. The module is put in eval
        mode and can no longer train.

        Args:
            channels_last (bool): Also store the weights channels-last, the
                layout oneDNN's CPU convolutions are fastest with (inputs
                may stay NCHW). Default: True.
        """
        if self.deploy:
            return
        self.eval()
        # Every norm of the backbone directly follows its conv (order
        # conv -> norm -> act), which is the pattern fuse_conv_bn folds.
        fuse_conv_bn(self)
        self.stem.scharr_branch.switch_to_deploy()
        if channels_last:
            self.to(memory_format=torch.channels_last)
        self.deploy = True

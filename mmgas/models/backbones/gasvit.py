# Copyright (c) mmgas contributors. All rights reserved.
"""GasViT: a lightweight local-global backbone for infrared gas imagery.

Modified from the description of GasViT in

    H. Yu et al., "A lightweight network based on local-global feature fusion
    for real-time industrial invisible gas detection with infrared
    thermography", Applied Soft Computing 152:111138 (2024),
    doi 10.1016/j.asoc.2023.111138.

The authors' public model file is licensed CC BY-NC-SA 4.0 and does not run
as published. This module is a clean-room implementation written from a
textual description of that architecture (the project's ``docs/gasvit.md``);
no code was copied from it. The handling of inputs whose sides are not a
multiple of the patch size follows the approach of timm's MobileViT
(Apache-2.0): interpolate to the next multiple and back.

The macro layout (five stride-2 ``GasConv`` stages, GasViT blocks at strides
8, 16 and 32) and every block reproduce the parameter counts measured on the
published file exactly: 837,590 / 1,311,132 / 4,458,402 for the ``xs`` /
``s`` / ``base`` variants with the default residual fusion.
"""
import math
from typing import Dict, List, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule, build_activation_layer, build_norm_layer
from mmcv.cnn.bricks.transformer import FFN
from mmengine.model import BaseModule
from torch import Tensor
from torch.nn.modules.batchnorm import _BatchNorm

from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig


class _CoordSEAttention(BaseModule):
    """Coordinate attention multiplied by a squeeze-and-excitation gate.

    Coordinate attention (Hou et al., CVPR 2021) gates every row and every
    column; the SE gate (Hu et al., CVPR 2018) gates every channel. The three
    gates are multiplied onto the input:
    ``out = x * se(x) * a_w(x) * a_h(x)``.

    Pooling uses ``mean`` over one axis instead of adaptive pooling, which
    keeps the module exportable to ONNX at any input size.

    Args:
        channels (int): Input and output channels.
        reduction (int): Reduction ratio of the bottleneck width
            ``mip = max(min_channels, channels // reduction)``. Default: 4.
        min_channels (int): Lower bound of the bottleneck width. Default: 8.
        norm_cfg (dict): Config of the norm after the shared 1x1 conv.
            Default: dict(type='BN').
        act_cfg (dict): Config of the activation after the shared 1x1 conv.
            Default: dict(type='HSwish').
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 channels: int,
                 reduction: int = 4,
                 min_channels: int = 8,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='HSwish'),
                 init_cfg: OptMultiConfig = None):
        super().__init__(init_cfg)
        mip = max(min_channels, channels // reduction)
        # The published block keeps the conv bias in front of its norm (it is
        # part of the parameter count); plain layers rather than ConvModule,
        # which warns about such a bias.
        self.squeeze = nn.Sequential(
            nn.Conv2d(channels, mip, 1),
            build_norm_layer(norm_cfg, mip)[1],
            build_activation_layer(act_cfg))
        self.gate_h = nn.Conv2d(mip, channels, 1)
        self.gate_w = nn.Conv2d(mip, channels, 1)
        self.se = nn.Sequential(
            nn.Conv2d(channels, mip, 1, bias=False), nn.ReLU(inplace=True),
            nn.Conv2d(mip, channels, 1, bias=False), nn.Sigmoid())

    def forward(self, x: Tensor) -> Tensor:
        """Forward function.

        Args:
            x (Tensor): Shape (B, C, H, W).

        Returns:
            Tensor: Shape (B, C, H, W).
        """
        h, w = x.shape[2:]
        pooled_h = x.mean(dim=3, keepdim=True)  # (B, C, H, 1)
        # (B, C, 1, W) -> (B, C, W, 1)
        pooled_w = x.mean(dim=2, keepdim=True).permute(0, 1, 3, 2)
        # (B, C, H + W, 1) -> (B, mip, H + W, 1)
        y = self.squeeze(torch.cat([pooled_h, pooled_w], dim=2))
        y_h, y_w = torch.split(y, [h, w], dim=2)
        a_h = self.gate_h(y_h).sigmoid()  # (B, C, H, 1)
        # (B, mip, W, 1) -> (B, mip, 1, W) -> (B, C, 1, W)
        a_w = self.gate_w(y_w.permute(0, 1, 3, 2)).sigmoid()
        se = self.se(x.mean(dim=(2, 3), keepdim=True))  # (B, C, 1, 1)
        return x * se * a_w * a_h


class _MsFFA(BaseModule):
    """Multi-scale feature fusion attention (MsFFA).

    Parallel grouped convolutions with growing kernels each reduce the input
    to ``channels / num_branches`` channels (every output channel mixes a
    group of neighbouring input channels); one coordinate-SE attention module
    is shared by all branches; the branch outputs are concatenated back to
    ``channels``.

    Args:
        channels (int): Input and output channels; divisible by the number
            of branches.
        kernel_sizes (Sequence[int]): Kernel size of each branch.
            Default: (1, 3, 5, 7).
        norm_cfg (dict): Norm config of the attention. Default:
            dict(type='BN').
        act_cfg (dict): Activation config of the attention. Default:
            dict(type='HSwish').
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 channels: int,
                 kernel_sizes: Sequence[int] = (1, 3, 5, 7),
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='HSwish'),
                 init_cfg: OptMultiConfig = None):
        super().__init__(init_cfg)
        assert channels % len(kernel_sizes) == 0, (
            f'channels ({channels}) must be divisible by the number of '
            f'branches ({len(kernel_sizes)})')
        branch_channels = channels // len(kernel_sizes)
        self.branches = nn.ModuleList(
            nn.Conv2d(
                channels,
                branch_channels,
                k,
                padding=k // 2,
                groups=branch_channels) for k in kernel_sizes)
        self.attention = _CoordSEAttention(
            branch_channels, norm_cfg=norm_cfg, act_cfg=act_cfg)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function.

        Args:
            x (Tensor): Shape (B, C, H, W).

        Returns:
            Tensor: Shape (B, C, H, W).
        """
        # each branch: (B, C / num_branches, H, W)
        return torch.cat(
            [self.attention(branch(x)) for branch in self.branches], dim=1)


class _GasConvBlock(BaseModule):
    """GasConv: an inverted bottleneck with MsFFA and no residual.

    1x1 expand (BN, act) -> 3x3 depthwise with ``stride`` (BN) -> MsFFA ->
    act -> 1x1 project (BN, linear).

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Stride of the depthwise conv. Default: 2.
        expand_ratio (int): Hidden width as a multiple of ``in_channels``.
            Default: 4.
        norm_cfg (dict): Norm config. Default: dict(type='BN').
        act_cfg (dict): Activation config. Default: dict(type='HSwish').
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int = 2,
                 expand_ratio: int = 4,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='HSwish'),
                 init_cfg: OptMultiConfig = None):
        super().__init__(init_cfg)
        hidden = in_channels * expand_ratio
        self.expand = ConvModule(
            in_channels, hidden, 1, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.depthwise = ConvModule(
            hidden,
            hidden,
            3,
            stride=stride,
            padding=1,
            groups=hidden,
            norm_cfg=norm_cfg,
            act_cfg=None)
        self.msffa = _MsFFA(hidden, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.act = build_activation_layer(act_cfg)
        self.project = ConvModule(
            hidden, out_channels, 1, norm_cfg=norm_cfg, act_cfg=None)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function.

        Args:
            x (Tensor): Shape (B, C_in, H, W).

        Returns:
            Tensor: Shape (B, C_out, ceil(H / stride), ceil(W / stride)).
        """
        x = self.depthwise(self.expand(x))
        return self.project(self.act(self.msffa(x)))


class _MhLSa(BaseModule):
    """Multi-head linear self-attention (MhLSa).

    MobileViTv2's separable self-attention (Mehta & Rastegari, 2022) split
    into heads: per head, one query channel scored with a softmax over the
    tokens weights the keys into a single context vector, which gates
    ``ReLU(values)``. Cost is linear in the number of tokens.

    Args:
        embed_dims (int): Token width; divisible by ``num_heads``.
        num_heads (int): Number of heads. Default: 8.
        drop_rate (float): Dropout after the output projection.
            Default: 0.1.
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int = 8,
                 drop_rate: float = 0.1,
                 init_cfg: OptMultiConfig = None):
        super().__init__(init_cfg)
        assert embed_dims % num_heads == 0, (
            f'embed_dims ({embed_dims}) must be divisible by num_heads '
            f'({num_heads})')
        self.num_heads = num_heads
        self.head_dims = embed_dims // num_heads
        # per head: 1 query + head_dims keys + head_dims values, head-major
        self.qkv = nn.Linear(
            embed_dims, 2 * embed_dims + num_heads, bias=False)
        self.proj = nn.Linear(embed_dims, embed_dims)
        self.proj_drop = nn.Dropout(drop_rate)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function.

        Args:
            x (Tensor): Shape (B, P, N, C): P intra-patch positions, N
                tokens each.

        Returns:
            Tensor: Shape (B, P, N, C).
        """
        B, P, N, C = x.shape
        # (B, P, N, 2C + heads) -> (B, P, N, heads, 1 + 2 * C / heads)
        qkv = self.qkv(x).reshape(B, P, N, self.num_heads,
                                  1 + 2 * self.head_dims)
        q, k, v = torch.split(qkv, [1, self.head_dims, self.head_dims],
                              dim=-1)
        scores = q.softmax(dim=2)  # (B, P, N, heads, 1), over the tokens
        # (B, P, 1, heads, C / heads)
        context = (k * scores).sum(dim=2, keepdim=True)
        out = F.relu(v) * context  # (B, P, N, heads, C / heads)
        out = out.reshape(B, P, N, C)
        return self.proj_drop(self.proj(out))


class _TransformerLayer(BaseModule):
    """Pre-norm transformer layer: ``x + MhLSa(LN(x))``, ``x + FFN(LN(x))``.

    Args:
        embed_dims (int): Token width.
        feedforward_channels (int): Hidden width of the FFN.
        num_heads (int): Heads of the attention. Default: 8.
        drop_rate (float): Dropout of the attention output and inside the
            FFN. Default: 0.1.
        norm_cfg (dict): Token norm config. Default: dict(type='LN').
        act_cfg (dict): FFN activation config. Default: dict(type='ReLU').
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 embed_dims: int,
                 feedforward_channels: int,
                 num_heads: int = 8,
                 drop_rate: float = 0.1,
                 norm_cfg: ConfigType = dict(type='LN'),
                 act_cfg: ConfigType = dict(type='ReLU'),
                 init_cfg: OptMultiConfig = None):
        super().__init__(init_cfg)
        self.norm1 = build_norm_layer(norm_cfg, embed_dims)[1]
        self.attn = _MhLSa(embed_dims, num_heads, drop_rate)
        self.norm2 = build_norm_layer(norm_cfg, embed_dims)[1]
        self.ffn = FFN(
            embed_dims=embed_dims,
            feedforward_channels=feedforward_channels,
            act_cfg=act_cfg,
            ffn_drop=drop_rate)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function; ``x`` and the output have shape (B, P, N, C)."""
        x = x + self.attn(self.norm1(x))
        return self.ffn(self.norm2(x), identity=x)


class _GasViTBlock(BaseModule):
    """GasViT block: MobileViT-style local-global feature fusion.

    Local depthwise 3x3 + 1x1 convs lift the feature map to ``embed_dims``;
    it is cut into ``patch_size`` patches, tokens at the same intra-patch
    offset attend to each other through ``depth`` transformer layers; the
    map is folded back, projected to ``channels`` and fused with the block
    input.

    Sides that are not a multiple of the patch size are interpolated
    (bilinear) up to the next multiple before unfolding and back after
    folding. Unfold/fold are plain ``reshape``/``permute`` so the block
    exports to ONNX.

    Args:
        channels (int): Input and output channels.
        embed_dims (int): Token width; divisible by ``num_heads``.
        depth (int): Number of transformer layers.
        feedforward_channels (int): Hidden width of the FFNs.
        num_heads (int): Heads of the attention. Default: 8.
        patch_size (int): Side of the square patches. Default: 2.
        fusion (str): ``'residual'`` adds the block input to the output (the
            published code); ``'concat'`` interleaves the block input and the
            output channel by channel and fuses each pair with a grouped
            3x3 conv (``groups=channels``) + norm + act (the paper figure's
            concat + depthwise fusion). Default: 'residual'.
        drop_rate (float): Dropout inside the transformer. Default: 0.1.
        norm_cfg (dict): Norm config of the convs. Default: dict(type='BN').
        act_cfg (dict): Activation config of the convs. Default:
            dict(type='LeakyReLU').
        transformer_norm_cfg (dict): Token norm config. Default:
            dict(type='LN').
        ffn_act_cfg (dict): FFN activation config. Default:
            dict(type='ReLU').
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 channels: int,
                 embed_dims: int,
                 depth: int,
                 feedforward_channels: int,
                 num_heads: int = 8,
                 patch_size: int = 2,
                 fusion: str = 'residual',
                 drop_rate: float = 0.1,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='LeakyReLU'),
                 transformer_norm_cfg: ConfigType = dict(type='LN'),
                 ffn_act_cfg: ConfigType = dict(type='ReLU'),
                 init_cfg: OptMultiConfig = None):
        super().__init__(init_cfg)
        assert fusion in ('residual', 'concat'), \
            f"fusion must be 'residual' or 'concat', got {fusion!r}"
        self.patch_size = patch_size
        self.fusion = fusion
        self.local_dw = ConvModule(
            channels,
            channels,
            3,
            padding=1,
            groups=channels,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.local_pw = ConvModule(
            channels, embed_dims, 1, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.transformer = nn.Sequential(*[
            _TransformerLayer(
                embed_dims,
                feedforward_channels,
                num_heads=num_heads,
                drop_rate=drop_rate,
                norm_cfg=transformer_norm_cfg,
                act_cfg=ffn_act_cfg) for _ in range(depth)
        ])
        self.proj = ConvModule(
            embed_dims, channels, 1, norm_cfg=norm_cfg, act_cfg=act_cfg)
        if fusion == 'concat':
            self.fuse = ConvModule(
                2 * channels,
                channels,
                3,
                padding=1,
                groups=channels,
                norm_cfg=norm_cfg,
                act_cfg=act_cfg)

    def _unfold(self, x: Tensor) -> Tensor:
        """(B, C, H, W) -> (B, p * p, H * W / p^2, C); H, W multiples of p."""
        B, C, H, W = x.shape
        p = self.patch_size
        # (B, C, H / p, p, W / p, p)
        x = x.reshape(B, C, H // p, p, W // p, p)
        # (B, p, p, H / p, W / p, C)
        x = x.permute(0, 3, 5, 2, 4, 1)
        # (B, p * p, H * W / p^2, C)
        return x.reshape(B, p * p, (H // p) * (W // p), C)

    def _fold(self, x: Tensor, height: int, width: int) -> Tensor:
        """Inverse of :meth:`_unfold`: (B, p * p, N, C) -> (B, C, H, W)."""
        B, _, _, C = x.shape
        p = self.patch_size
        # (B, p, p, H / p, W / p, C)
        x = x.reshape(B, p, p, height // p, width // p, C)
        # (B, C, H / p, p, W / p, p)
        x = x.permute(0, 5, 3, 1, 4, 2)
        # (B, C, H, W)
        return x.reshape(B, C, height, width)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function.

        Args:
            x (Tensor): Shape (B, C, H, W), any H and W.

        Returns:
            Tensor: Shape (B, C, H, W).
        """
        identity = x
        x = self.local_pw(self.local_dw(x))  # (B, D, H, W)
        H, W = x.shape[2:]
        p = self.patch_size
        new_h = math.ceil(H / p) * p
        new_w = math.ceil(W / p) * p
        resized = new_h != H or new_w != W
        if resized:
            # (B, D, H', W'), H' and W' the next multiples of p
            x = F.interpolate(
                x, size=(new_h, new_w), mode='bilinear', align_corners=False)
        x = self._fold(self.transformer(self._unfold(x)), new_h, new_w)
        if resized:
            x = F.interpolate(
                x, size=(H, W), mode='bilinear', align_corners=False)
        x = self.proj(x)  # (B, C, H, W)
        if self.fusion == 'residual':
            return x + identity
        B, C = x.shape[:2]
        # (B, C, 2, H, W) -> (B, 2C, H, W), channels ordered
        # identity_0, x_0, identity_1, x_1, ... so that each group of the
        # grouped conv sees one input channel and its global counterpart.
        x = torch.stack([identity, x], dim=2).reshape(B, 2 * C, H, W)
        return self.fuse(x)


@MODELS.register_module()
class GasViT(BaseModule):
    """GasViT backbone.

    Clean-room implementation of GasViT (H. Yu et al., Applied Soft
    Computing 152:111138, 2024) from a description of the published model
    (whose file is CC BY-NC-SA 4.0 and is not used here); see the module
    docstring.

    Layout: three stride-2 ``GasConv`` blocks down to stride 8, then
    ``[GasViT block]``, ``[GasConv, GasViT block]``,
    ``[GasConv, GasViT block]``; the three GasViT block outputs are at
    strides 8, 16 and 32 with ``channels[2:]`` channels.

    Parameter counts with the default settings (residual fusion) equal
    those measured on the published file: xs 837,590, s 1,311,132,
    base 4,458,402. The ``'concat'`` fusion adds a grouped 3x3 conv and a
    norm per GasViT block (``20 * channels`` parameters each).

    Any input size works: each stride-2 stage rounds up
    (``ceil(H / 2)``), and GasViT blocks interpolate to an even size and
    back, so the published multiple-of-64 restriction does not apply.

    Args:
        arch (str | dict): ``'xs'``, ``'s'``, ``'base'`` or a dict with
            keys ``channels`` (5 ints: outputs of the five GasConv blocks),
            ``embed_dims`` (3 ints), ``depths`` (3 ints) and ``ffn_ratios``
            (3 ints: FFN hidden width / embed_dims). Default: 'xs'.
        in_channels (int): Input image channels. Default: 3.
        out_indices (Sequence[int]): Which of the three outputs (strides
            8, 16, 32) to return. Default: (0, 1, 2).
        fusion (str): GasViT block fusion, ``'residual'`` (published code)
            or ``'concat'`` (paper figure). Default: 'residual'.
        expand_ratio (int): Hidden width of GasConv blocks. Default: 4.
        num_heads (int): Heads of every MhLSa. Default: 8.
        patch_size (int): Patch side of the GasViT blocks. Default: 2.
        drop_rate (float): Dropout in the transformers. Default: 0.1.
        norm_cfg (dict): Norm config of all convs. Default: dict(type='BN',
            requires_grad=True).
        act_cfg (dict): Activation of the GasConv blocks and their
            attention. Default: dict(type='HSwish').
        vit_act_cfg (dict): Activation of the convs in GasViT blocks.
            Default: dict(type='LeakyReLU', negative_slope=0.01).
        ffn_act_cfg (dict): Activation inside the FFNs. Default:
            dict(type='ReLU').
        transformer_norm_cfg (dict): Token norm config. Default:
            dict(type='LN').
        norm_eval (bool): Keep BN layers in eval mode during training
            (freezes running statistics). Default: False.
        init_cfg (dict | list[dict], optional): Initialization config.
            Default: None, meaning Kaiming for convs, truncated normal
            (std 0.02) for linears and ones/zeros for norms.

    Example:
        >>> import torch
        >>> from mmgas.models.backbones import GasViT
        >>> model = GasViT(arch='xs').eval()
        >>> for out in model(torch.rand(1, 3, 192, 256)):
        ...     print(tuple(out.shape))
        (1, 48, 24, 32)
        (1, 64, 12, 16)
        (1, 80, 6, 8)
    """

    arch_settings: Dict[str, dict] = {
        'xs':
        dict(
            channels=(16, 32, 48, 64, 80),
            embed_dims=(64, 80, 96),
            depths=(2, 4, 3),
            ffn_ratios=(2, 4, 4)),
        's':
        dict(
            channels=(24, 48, 72, 96, 120),
            embed_dims=(72, 96, 120),
            depths=(2, 4, 3),
            ffn_ratios=(2, 4, 4)),
        'base':
        dict(
            channels=(32, 64, 96, 128, 160),
            embed_dims=(144, 192, 240),
            depths=(2, 4, 3),
            ffn_ratios=(2, 4, 4)),
    }

    def __init__(self,
                 arch: Union[str, dict] = 'xs',
                 in_channels: int = 3,
                 out_indices: Sequence[int] = (0, 1, 2),
                 fusion: str = 'residual',
                 expand_ratio: int = 4,
                 num_heads: int = 8,
                 patch_size: int = 2,
                 drop_rate: float = 0.1,
                 norm_cfg: ConfigType = dict(type='BN', requires_grad=True),
                 act_cfg: ConfigType = dict(type='HSwish'),
                 vit_act_cfg: ConfigType = dict(
                     type='LeakyReLU', negative_slope=0.01),
                 ffn_act_cfg: ConfigType = dict(type='ReLU'),
                 transformer_norm_cfg: ConfigType = dict(type='LN'),
                 norm_eval: bool = False,
                 init_cfg: OptMultiConfig = None):
        if init_cfg is None:
            init_cfg = [
                dict(type='Kaiming', layer='Conv2d'),
                dict(type='TruncNormal', layer='Linear', std=0.02, bias=0.),
                dict(
                    type='Constant',
                    val=1,
                    layer=['_BatchNorm', 'GroupNorm', 'LayerNorm'])
            ]
        super().__init__(init_cfg)
        if isinstance(arch, str):
            assert arch in self.arch_settings, (
                f'arch must be one of {sorted(self.arch_settings)} or a '
                f'dict, got {arch!r}')
            arch = self.arch_settings[arch]
        required = {'channels', 'embed_dims', 'depths', 'ffn_ratios'}
        assert isinstance(arch, dict) and required <= set(arch), (
            f'a custom arch needs the keys {sorted(required)}, got {arch!r}')
        channels = tuple(arch['channels'])
        embed_dims = tuple(arch['embed_dims'])
        depths = tuple(arch['depths'])
        ffn_ratios = tuple(arch['ffn_ratios'])
        assert len(channels) == 5 and len(embed_dims) == len(depths) == len(
            ffn_ratios) == 3, 'GasViT has 5 GasConv and 3 GasViT blocks'
        assert set(out_indices) <= {0, 1, 2} and len(out_indices) > 0, \
            f'out_indices must be a non-empty subset of (0, 1, 2), got ' \
            f'{out_indices}'
        # the outputs come in stage order, so must out_channels
        assert list(out_indices) == sorted(set(out_indices)), \
            f'out_indices must be increasing and unique, got {out_indices}'
        self.arch = arch
        self.out_indices = tuple(out_indices)
        self.norm_eval = norm_eval
        self.out_channels = [channels[2 + i] for i in self.out_indices]

        def gas_conv(cin, cout):
            return _GasConvBlock(
                cin,
                cout,
                expand_ratio=expand_ratio,
                norm_cfg=norm_cfg,
                act_cfg=act_cfg)

        def vit_block(i):
            return _GasViTBlock(
                channels[2 + i],
                embed_dims[i],
                depths[i],
                ffn_ratios[i] * embed_dims[i],
                num_heads=num_heads,
                patch_size=patch_size,
                fusion=fusion,
                drop_rate=drop_rate,
                norm_cfg=norm_cfg,
                act_cfg=vit_act_cfg,
                transformer_norm_cfg=transformer_norm_cfg,
                ffn_act_cfg=ffn_act_cfg)

        # stride 8
        self.stem = nn.Sequential(
            gas_conv(in_channels, channels[0]),
            gas_conv(channels[0], channels[1]),
            gas_conv(channels[1], channels[2]))
        self.stages = nn.ModuleList([
            nn.Sequential(vit_block(0)),  # stride 8
            nn.Sequential(gas_conv(channels[2], channels[3]),
                          vit_block(1)),  # stride 16
            nn.Sequential(gas_conv(channels[3], channels[4]),
                          vit_block(2)),  # stride 32
        ])

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Forward function.

        Args:
            x (Tensor): Images, shape (B, C_in, H, W), any H and W.

        Returns:
            tuple[Tensor]: One feature map per ``out_indices`` entry; index
            ``i`` has stride ``8 * 2**i`` (sides rounded up) and
            ``channels[2 + i]`` channels.
        """
        x = self.stem(x)
        outs: List[Tensor] = []
        # stages past the last requested output are kept (checkpoints stay
        # loadable) but not run
        for i in range(max(self.out_indices) + 1):
            x = self.stages[i](x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)

    def train(self, mode: bool = True) -> 'GasViT':
        """Switch train/eval mode, keeping BN in eval if ``norm_eval``."""
        super().train(mode)
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self

"""Tests for the GasViT backbone and its segmentation model config."""
from pathlib import Path

import pytest
import torch
import torch.nn as nn
from torch.nn.modules.batchnorm import _BatchNorm

import mmgas  # noqa: F401
from mmgas.models.backbones import GasViT
from mmseg.registry import MODELS
from ..contract import build_segmentor, check_logit_shape, check_onnx_parity

REPO_ROOT = Path(__file__).resolve().parents[3]

# Backbone parameters measured on the published GasViT file (bugs fixed),
# per block: GasConv 1-3, GasViT block 1, GasConv 4, GasViT block 2,
# GasConv 5, GasViT block 3.
PUBLISHED_BLOCK_PARAMS = {
    'xs': [1586, 10104, 24248, 66288, 43460, 298592, 67408, 325904],
    's': [1698, 17448, 45012, 86328, 83478, 432288, 132600, 512280],
    'base': [1810, 26328, 71536, 324096, 135688, 1687040, 218784, 1993120],
}
PUBLISHED_TOTAL = {'xs': 837_590, 's': 1_311_132, 'base': 4_458_402}
XS_CHANNELS = (48, 64, 80)


def _num_params(module):
    return sum(p.numel() for p in module.parameters())


def _blocks(model):
    return [*model.stem, *model.stages[0], *model.stages[1],
            *model.stages[2]]


@pytest.mark.parametrize('arch', ['xs', 's', 'base'])
def test_param_counts_match_published(arch):
    model = GasViT(arch=arch)
    total = _num_params(model)
    assert abs(total - PUBLISHED_TOTAL[arch]) <= 0.005 * PUBLISHED_TOTAL[arch]
    # the implementation is exact, block by block
    assert total == PUBLISHED_TOTAL[arch]
    assert [_num_params(b) for b in _blocks(model)
            ] == PUBLISHED_BLOCK_PARAMS[arch]


def test_build_from_registry_and_custom_arch():
    model = MODELS.build(dict(type='GasViT', arch='s'))
    assert isinstance(model, GasViT)
    assert model.out_channels == [72, 96, 120]

    custom = dict(
        channels=(8, 16, 16, 24, 32),
        embed_dims=(16, 24, 32),
        depths=(1, 1, 1),
        ffn_ratios=(2, 2, 2))
    model = GasViT(arch=custom).eval()
    outs = model(torch.rand(1, 3, 64, 64))
    assert [tuple(o.shape) for o in outs] == [(1, 16, 8, 8), (1, 24, 4, 4),
                                              (1, 32, 2, 2)]

    with pytest.raises(AssertionError, match='arch'):
        GasViT(arch='tiny')
    with pytest.raises(AssertionError, match='custom arch'):
        GasViT(arch=dict(channels=(8, 16, 16, 24, 32)))
    with pytest.raises(AssertionError, match='out_indices'):
        GasViT(out_indices=(3, ))
    with pytest.raises(AssertionError, match='increasing and unique'):
        GasViT(out_indices=(2, 0))
    with pytest.raises(AssertionError, match='fusion'):
        GasViT(fusion='add')


@pytest.mark.parametrize('out_indices', [(0, 1, 2), (0, ), (1, ), (2, ),
                                         (0, 2)])
def test_output_shapes_and_strides(out_indices):
    model = GasViT(arch='xs', out_indices=out_indices)
    model.train()
    h, w = 64, 128
    outs = model(torch.rand(2, 3, h, w))
    assert isinstance(outs, tuple)
    assert len(outs) == len(out_indices)
    assert model.out_channels == [XS_CHANNELS[i] for i in out_indices]
    for out, i in zip(outs, out_indices):
        stride = 8 * 2**i
        assert tuple(out.shape) == (2, XS_CHANNELS[i], h // stride,
                                    w // stride)


@pytest.mark.parametrize('size', [(192, 256), (240, 320), (191, 257),
                                  (65, 97)])
def test_any_input_size(size):
    """Sides that are not multiples of 64 (the published restriction) give
    ceil-divided outputs; 240x320 has an odd 15x20 map at stride 16 and
    191x257 odd maps at every GasViT block."""
    model = GasViT(arch='xs').eval()
    h, w = size
    with torch.no_grad():
        outs = model(torch.rand(1, 3, h, w))
    for i, out in enumerate(outs):
        exp_h, exp_w = h, w
        for _ in range(3 + i):
            exp_h, exp_w = -(-exp_h // 2), -(-exp_w // 2)
        assert tuple(out.shape) == (1, XS_CHANNELS[i], exp_h, exp_w)
        assert torch.isfinite(out).all()


def test_patch_unfold_fold_round_trip():
    block = GasViT(arch='xs').stages[0][0]
    x = torch.arange(2 * 3 * 4 * 6, dtype=torch.float32).reshape(2, 3, 4, 6)
    tokens = block._unfold(x)
    assert tuple(tokens.shape) == (2, 4, 6, 3)
    # tokens of one intra-patch offset: offset (0, 1) of every 2x2 patch
    torch.testing.assert_close(tokens[:, 1].reshape(2, 2, 3, 3),
                               x[:, :, 0::2, 1::2].permute(0, 2, 3, 1))
    torch.testing.assert_close(block._fold(tokens, 4, 6), x)


@pytest.mark.parametrize('fusion', ['residual', 'concat'])
def test_fusion_options(fusion):
    model = GasViT(arch='xs', fusion=fusion)
    extra = _num_params(model) - PUBLISHED_TOTAL['xs']
    # concat adds a grouped 3x3 conv (2C -> C, groups C) and a BN per block
    assert extra == (0 if fusion == 'residual' else 20 * sum(XS_CHANNELS))
    block = model.stages[0][0]
    assert hasattr(block, 'fuse') == (fusion == 'concat')

    model.train()
    outs = model(torch.rand(2, 3, 64, 64))
    sum(o.mean() for o in outs).backward()
    no_grad = [
        n for n, p in model.named_parameters()
        if p.grad is None or not torch.isfinite(p.grad).all()
    ]
    assert no_grad == []


def test_concat_fusion_pairs_each_channel_with_its_global_output():
    """Each group of the fusion conv sees channel i of the block input and
    channel i of the global branch, nothing else."""
    block = GasViT(arch='xs', fusion='concat').stages[0][0].eval()
    assert block.fuse.conv.groups == 48
    assert tuple(block.fuse.conv.weight.shape) == (48, 2, 3, 3)
    x = torch.rand(1, 48, 8, 8)
    x_changed = x.clone()
    x_changed[:, 5] += 1.0
    with torch.no_grad():
        block.local_dw.conv.weight.zero_()  # global branch sees no input
        delta = (block(x_changed) - block(x)).abs().amax(dim=(0, 2, 3))
    assert delta[5] > 0
    assert torch.count_nonzero(delta) == 1


def test_norm_and_act_cfg_are_plumbed():
    model = GasViT(
        arch='xs',
        norm_cfg=dict(type='BN', eps=1e-3, momentum=0.3),
        act_cfg=dict(type='ReLU6'),
        vit_act_cfg=dict(type='GELU'),
        ffn_act_cfg=dict(type='SiLU'),
        transformer_norm_cfg=dict(type='LN', eps=1e-5))
    bns = [m for m in model.modules() if isinstance(m, _BatchNorm)]
    assert bns and all(m.eps == 1e-3 and m.momentum == 0.3 for m in bns)
    types = {type(m) for m in model.modules()}
    assert nn.Hardswish not in types and nn.LeakyReLU not in types
    assert isinstance(model.stem[0].act, nn.ReLU6)
    assert isinstance(model.stem[0].msffa.attention.squeeze[2],
                      nn.ReLU6)
    block = model.stages[0][0]
    assert isinstance(block.local_dw.activate, nn.GELU)
    assert isinstance(block.proj.activate, nn.GELU)
    assert isinstance(block.transformer[0].ffn.layers[0][1], nn.SiLU)
    assert isinstance(block.transformer[0].norm1, nn.LayerNorm)

    model = GasViT(arch='xs', norm_cfg=dict(type='GN', num_groups=4))
    assert not any(isinstance(m, _BatchNorm) for m in model.modules())
    outs = model(torch.rand(1, 3, 64, 64))
    assert tuple(outs[2].shape) == (1, 80, 2, 2)


def test_norm_eval_and_init_weights():
    model = GasViT(arch='xs', norm_eval=True)
    model.init_weights()
    model.train()
    bns = [m for m in model.modules() if isinstance(m, _BatchNorm)]
    assert all(not m.training for m in bns)
    assert model.stages[0][0].transformer[0].training
    linear = model.stages[0][0].transformer[0].attn.proj
    assert linear.weight.std() < 0.03 and (linear.bias == 0).all()

    model = GasViT(
        arch='xs', init_cfg=dict(type='Constant', layer='Linear', val=0.5))
    model.init_weights()
    assert (model.stages[0][0].transformer[0].attn.qkv.weight == 0.5).all()


GASVIT_MODEL = REPO_ROOT / 'configs' / '_base_' / 'models' / 'gasvit.py'
GASVIT_CONFIGS = sorted((REPO_ROOT / 'configs' / 'gasvit').glob('gasvit-*.py'))


@pytest.mark.parametrize('config', GASVIT_CONFIGS, ids=lambda p: p.stem)
def test_segmentor_configs_keep_the_model_contract(config):
    model = build_segmentor(config)
    assert isinstance(model.backbone, GasViT)
    check_logit_shape(model, (96, 128), (12, 16))
    check_logit_shape(model, (191, 257), (24, 33))


# the traced graph is specific to the export size, which is intended
@pytest.mark.filterwarnings('ignore::torch.jit.TracerWarning')
def test_onnx_export_parity(tmp_path):
    """GasViT-xs + the chosen head, TorchScript exporter, onnxruntime."""
    pytest.importorskip('onnxruntime')
    model = build_segmentor(GASVIT_MODEL)
    torch.manual_seed(0)
    x = torch.rand(1, 3, 192, 256) * 255
    actual = check_onnx_parity(model, x, tmp_path / 'gasvit_xs.onnx')
    assert actual.shape == (1, 2, 24, 32)

"""GasSeg backbone: shapes per size and mode, the release's exact parameter
counts and state-dict keys, the two Scharr modes and the deploy path."""
import copy
import json

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.registry import init_default_scope
from torch.nn.modules.batchnorm import _BatchNorm

import mmgas  # noqa: F401
from mmgas.models.backbones import GasSeg
from mmgas.models.backbones.gasseg import (SCHARR_X, SCHARR_Y,
                                           zero_pad_max_pool_2x2)
from mmseg.registry import MODELS
from ...helpers import (REPO_ROOT, build_gasseg_release_segmentor,
                        gasseg_fixture)

SCHARR_KEYS = ('stem.scharr_branch.scharr_kernel_x_conv2d.weight',
               'stem.scharr_branch.scharr_kernel_y_conv2d.weight')


def setup_module():
    init_default_scope('mmseg')


@pytest.mark.parametrize('channels', [16, 32])
def test_gasseg_shapes(channels):
    model = GasSeg(channels=channels)
    x = torch.randn(2, 3, 64, 96)

    model.train()
    fused, boundary = model(x)
    assert fused.shape == (2, channels * 4, 8, 12)
    assert boundary.shape == (2, channels * 4, 8, 12)

    model.eval()
    with torch.no_grad():
        out = model(x)
    assert isinstance(out, torch.Tensor)
    assert out.shape == (2, channels * 4, 8, 12)
    # sizes not divisible by 64: the stride-8 map has ceil-ed sizes
    with torch.no_grad():
        assert model(torch.randn(1, 3, 70, 90)).shape == (1, channels * 4,
                                                          9, 12)


@pytest.mark.parametrize('size', ['s', 'm', 'l'])
def test_release_parameter_count_and_keys(size):
    shapes_file = gasseg_fixture('gasseg_release_state_dict_shapes.json')
    release = json.loads(shapes_file.read_text())
    model = build_gasseg_release_segmentor(size)
    assert model.backbone.channels == release[size]['channels']
    assert sum(p.numel() for p in model.parameters()) == \
        release[size]['num_parameters']
    shapes = {k: list(v.shape) for k, v in model.state_dict().items()}
    # same keys, shapes and order as the release saves them
    assert list(shapes.items()) == list(
        release[size]['state_dict_shapes'].items())


def test_zero_pad_max_pool_matches_pool_layers():
    x = torch.randn(2, 3, 7, 10) - 1  # negative values meet the zero pad
    pool = nn.Sequential(nn.ZeroPad2d((0, 1, 0, 1)), nn.MaxPool2d(2, 1))
    assert torch.equal(zero_pad_max_pool_2x2(x), pool(x))


def test_scharr_fixed_kernels_are_buffers_that_survive_init():
    model = GasSeg(channels=4, scharr_mode='fixed')
    model.init_weights()
    branch = model.stem.scharr_branch
    for conv, kernel in ((branch.scharr_kernel_x_conv2d, SCHARR_X),
                         (branch.scharr_kernel_y_conv2d, SCHARR_Y)):
        assert torch.equal(conv.weight,
                           torch.tensor(kernel).expand(4, 1, 3, 3))
        assert not isinstance(conv.weight, nn.Parameter)
    parameter_names = {name for name, _ in model.named_parameters()}
    assert not parameter_names & set(SCHARR_KEYS)
    # the output is Gx * x + Gy * x per channel
    x = torch.randn(1, 4, 5, 6)
    kernel = torch.tensor(SCHARR_X) + torch.tensor(SCHARR_Y)
    expected = nn.functional.conv2d(
        x, kernel.expand(4, 1, 3, 3), padding=1, groups=4)
    torch.testing.assert_close(branch(x), expected)


def test_scharr_trainable_is_release_behaviour():
    model = GasSeg(channels=4, scharr_mode='trainable')
    conv = model.stem.scharr_branch.scharr_kernel_x_conv2d
    assert isinstance(conv.weight, nn.Parameter)
    assert torch.equal(conv.weight.detach(),
                       torch.tensor(SCHARR_X).expand(4, 1, 3, 3))
    # as in the release, init_weights re-initialises it like any conv
    torch.manual_seed(0)
    model.init_weights()
    assert not torch.equal(conv.weight.detach(),
                           torch.tensor(SCHARR_X).expand(4, 1, 3, 3))
    model.train()
    fused, boundary = model(torch.randn(2, 3, 32, 32))
    (fused.sum() + boundary.sum()).backward()
    assert conv.weight.grad is not None and conv.weight.grad.abs().sum() > 0


def test_scharr_modes_share_state_dict_keys():
    fixed = GasSeg(channels=4, scharr_mode='fixed')
    trainable = GasSeg(channels=4, scharr_mode='trainable')
    trainable.init_weights()
    assert list(fixed.state_dict()) == list(trainable.state_dict())
    # strict loading works across modes and takes the stored kernels
    fixed.load_state_dict(trainable.state_dict(), strict=True)
    for key in SCHARR_KEYS:
        assert torch.equal(fixed.state_dict()[key],
                           trainable.state_dict()[key])
    fixed.eval()
    trainable.eval()
    x = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(fixed(x), trainable(x))


def test_invalid_scharr_mode():
    with pytest.raises(ValueError, match='scharr_mode'):
        GasSeg(channels=4, scharr_mode='magnitude')


def test_additive_fusion_ablation():
    torch.manual_seed(0)
    gate = GasSeg(channels=4)
    add = GasSeg(channels=4, fusion='add')
    add.load_state_dict(gate.state_dict(), strict=True)
    x = torch.randn(2, 3, 64, 64)
    # training mode returns the boundary feature too; with equal weights
    # both see the same context and boundary, so they must differ only in
    # how the two meet
    out_gate, boundary_gate = gate(x)
    out_add, boundary_add = add(x)
    torch.testing.assert_close(boundary_gate, boundary_add)
    context = out_add - boundary_add
    torch.testing.assert_close(out_gate,
                               context * torch.sigmoid(boundary_gate))
    assert out_add.shape == (2, 16, 8, 8)
    with pytest.raises(ValueError, match='fusion'):
        GasSeg(channels=4, fusion='concat')


def test_switch_to_deploy_same_outputs(gasseg_reference, release_threads):
    model = build_gasseg_release_segmentor('s')
    model.load_state_dict(gasseg_reference['state_dict'], strict=True)
    model.eval()
    deployed = copy.deepcopy(model)
    deployed.backbone.switch_to_deploy()
    deployed.decode_head.switch_to_deploy()

    backbone = deployed.backbone
    assert not any(isinstance(m, _BatchNorm) for m in backbone.modules())
    branch = backbone.stem.scharr_branch
    assert not hasattr(branch, 'scharr_kernel_x_conv2d')
    assert isinstance(branch.scharr_conv, nn.Conv2d)
    head_norm = deployed.decode_head.c_head.norm
    assert isinstance(head_norm, nn.Identity)

    x = gasseg_reference['input']
    with torch.no_grad():
        expected = model(x, mode='tensor')
        actual = deployed(x, mode='tensor')
    torch.testing.assert_close(
        expected, gasseg_reference['logits_eval'], rtol=1e-4, atol=1e-3)
    error = (actual - expected).abs().max()
    assert error <= 1e-4 * expected.abs().max()

    backbone.train()
    with pytest.raises(RuntimeError, match='deploy'):
        backbone(x)


@pytest.mark.parametrize(
    'name', sorted(p.name for p in (REPO_ROOT / 'configs' / 'gasseg').glob(
        'gasseg-*.py')))
def test_gasseg_configs(name):
    cfg = Config.fromfile(str(REPO_ROOT / 'configs' / 'gasseg' / name))
    assert 'mmgas' in cfg.custom_imports.imports
    assert cfg.default_scope == 'mmseg'
    preprocessor = cfg.model.data_preprocessor
    # the release's raw 0-255 input, stated for mmdeploy's SDK export
    assert preprocessor.mean == [0.0] * 3 and preprocessor.std == [1.0] * 3
    assert preprocessor.size == (256, 192) == cfg.crop_size
    assert cfg.model.test_cfg.mode == 'whole'
    assert cfg.randomness.seed == 304
    channels = cfg.model.backbone.channels
    assert cfg.model.decode_head.in_channels == channels * 4
    losses = [loss.type for loss in cfg.model.decode_head.loss_decode]
    if 'synthetic' in name:
        assert cfg.model.backbone.scharr_mode == 'fixed'
        # the CPU recipe (docs/gasseg.md): CE + Lovasz, AdamW
        assert losses == ['CrossEntropyLoss', 'LovaszLoss', 'BoundaryLoss']
        assert cfg.optim_wrapper.optimizer.type == 'AdamW'
    else:
        assert losses == ['OhemCrossEntropy', 'BoundaryLoss']
        # release reproduction: trainable Scharr, release recipe
        assert cfg.model.backbone.scharr_mode == 'trainable'
        assert cfg.train_cfg.max_iters == 120000
        num_gpus = int(name.split('_')[1].split('xb')[0])  # e.g. 4xb4
        assert num_gpus * cfg.train_dataloader.batch_size == 16
        norm = 'SyncBN' if num_gpus > 1 else 'BN'
        assert cfg.model.backbone.norm_cfg.type == norm
    model = MODELS.build(cfg.model)
    assert isinstance(model.backbone, GasSeg)

"""GasHead and the GasSeg segmentor: shapes and losses, strict loading of the
release's weights with logits parity, and ONNX export parity."""
import pytest
import torch
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData

import mmgas  # noqa: F401
from mmgas.models.decode_heads import GasHead
from mmseg.structures import SegDataSample
from ...helpers import build_gasseg_release_segmentor
from ..contract import (check_logit_shape, check_onnx_parity,
                        check_reference_logits)

LOSSES = [
    dict(type='OhemCrossEntropy', thres=0.9, min_kept=131072),
    dict(type='BoundaryLoss', loss_weight=30.0)
]


def setup_module():
    init_default_scope('mmseg')


def data_samples(n, h, w):
    samples = []
    for _ in range(n):
        sample = SegDataSample()
        sample.gt_sem_seg = PixelData(data=torch.randint(0, 2, (1, h, w)))
        sample.gt_edge_map = PixelData(data=torch.randint(0, 2, (1, h, w)))
        sample.set_metainfo(
            dict(img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w)))
        samples.append(sample)
    return samples


@pytest.mark.parametrize('in_channels', [64, 128])
def test_gas_head_shapes_and_losses(in_channels):
    head = GasHead(
        in_channels,
        in_channels,
        num_classes=2,
        align_corners=True,
        loss_decode=LOSSES)
    head.init_weights()
    fused = torch.randn(2, in_channels, 8, 12)
    boundary = torch.randn(2, in_channels, 8, 12)

    head.train()
    sem, edge = head((fused, boundary))
    assert sem.shape == (2, 2, 8, 12)
    assert edge.shape == (2, 1, 8, 12)
    losses = head.loss_by_feat((sem, edge), data_samples(2, 64, 96))
    assert set(losses) == {'loss_sem', 'loss_bd', 'acc_seg'}
    assert torch.isfinite(losses['loss_sem']) and losses['loss_sem'] > 0
    assert torch.isfinite(losses['loss_bd']) and losses['loss_bd'] > 0

    head.eval()
    with torch.no_grad():
        assert head(fused).shape == (2, 2, 8, 12)

    # a training pipeline without GenerateEdge: say so
    head.train()
    samples = data_samples(2, 64, 96)
    del samples[1].gt_edge_map
    with pytest.raises(KeyError, match='GenerateEdge'):
        head.loss_by_feat((sem, edge), samples)


def test_cross_entropy_semantic_loss_ignores_255():
    head = GasHead(
        64,
        64,
        num_classes=2,
        loss_decode=[
            dict(type='CrossEntropyLoss'),
            dict(type='BoundaryLoss', loss_weight=30.0)
        ])
    samples = data_samples(2, 32, 32)
    samples[0].gt_sem_seg.data[:, :8] = 255  # padding / ignore
    head.train()
    logits = head((torch.randn(2, 64, 4, 4), torch.randn(2, 64, 4, 4)))
    losses = head.loss_by_feat(logits, samples)
    assert torch.isfinite(losses['loss_sem'])


def test_extra_semantic_losses_are_logged_by_name():
    head = GasHead(
        64,
        64,
        num_classes=2,
        loss_decode=[
            dict(type='CrossEntropyLoss'),
            dict(
                type='LovaszLoss',
                loss_type='multi_class',
                per_image=False,
                reduction='none'),
            dict(type='BoundaryLoss', loss_weight=30.0)
        ])
    samples = data_samples(2, 32, 32)
    head.train()
    logits = head((torch.randn(2, 64, 4, 4), torch.randn(2, 64, 4, 4)))
    losses = head.loss_by_feat(logits, samples)
    assert set(losses) == {'loss_sem', 'loss_lovasz', 'loss_bd', 'acc_seg'}
    # the boundary loss is the last one, whatever comes before it
    only_ce = GasHead(
        64,
        64,
        num_classes=2,
        loss_decode=[
            dict(type='CrossEntropyLoss'),
            dict(type='BoundaryLoss', loss_weight=30.0)
        ])
    only_ce.load_state_dict(head.state_dict())
    only_ce.train()
    ref = only_ce.loss_by_feat(logits, samples)
    assert torch.allclose(ref['loss_bd'], losses['loss_bd'])
    assert torch.allclose(ref['loss_sem'], losses['loss_sem'])


def test_boundary_head_does_not_run_in_eval():
    head = GasHead(64, 64, num_classes=2, loss_decode=LOSSES)
    calls = []
    head.e_head.register_forward_hook(lambda *args: calls.append(1))
    head.eval()
    with torch.no_grad():
        head(torch.randn(1, 64, 4, 4))
    assert calls == []
    head.train()
    head((torch.randn(2, 64, 4, 4), torch.randn(2, 64, 4, 4)))
    assert calls == [1]


def test_gas_head_needs_a_semantic_and_a_boundary_loss():
    with pytest.raises(ValueError, match='loss_decode'):
        GasHead(64, 64, num_classes=2, loss_decode=LOSSES[:1])


def test_init_weights_is_kaiming_for_conv_seg():
    head = GasHead(64, 64, num_classes=2, loss_decode=LOSSES)
    torch.manual_seed(0)
    head.init_weights()
    # fan_out Kaiming for a 1x1 conv to 2 classes: std sqrt(2 / 2) = 1,
    # far from mmseg's default Normal(std=0.01) for conv_seg
    assert head.conv_seg.weight.std() > 0.5


def test_segmentor_loss_and_predict():
    model = build_gasseg_release_segmentor('s', scharr_mode='fixed')
    model.init_weights()
    inputs = torch.randn(2, 3, 64, 96) * 50 + 120
    model.train()
    losses = model.loss(inputs, data_samples(2, 64, 96))
    assert {'decode.loss_sem', 'decode.loss_bd'} <= set(losses)
    loss = losses['decode.loss_sem'] + losses['decode.loss_bd']
    loss.backward()
    assert model.backbone.stem.conv1.conv.weight.grad is not None

    model.eval()
    with torch.no_grad():
        results = model.predict(inputs, data_samples(2, 64, 96))
    assert results[0].pred_sem_seg.data.shape == (1, 64, 96)
    assert results[0].seg_logits.data.shape == (2, 64, 96)


@pytest.mark.parametrize('scharr_mode', ['trainable', 'fixed'])
def test_release_weights_reproduce_release_logits(gasseg_reference,
                                                  scharr_mode,
                                                  release_threads):
    model = build_gasseg_release_segmentor('s', scharr_mode)
    result = model.load_state_dict(gasseg_reference['state_dict'], strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    x = gasseg_reference['input']

    # eval first: the train-mode forward updates BatchNorm running stats
    model.eval()
    check_reference_logits(model, x, gasseg_reference['logits_eval'])

    model.train()
    model.decode_head.dropout.eval()
    with torch.no_grad():
        sem, edge = model.decode_head(model.backbone(x))
    torch.testing.assert_close(
        sem, gasseg_reference['logits_train_sem'], rtol=1e-4, atol=1e-3)
    torch.testing.assert_close(
        edge, gasseg_reference['logits_train_edge'], rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize('deploy', [False, True])
def test_onnx_export_matches_pytorch(gasseg_reference, tmp_path, deploy):
    pytest.importorskip('onnxruntime')
    model = build_gasseg_release_segmentor('s')
    model.load_state_dict(gasseg_reference['state_dict'], strict=True)
    model.eval()
    if deploy:
        model.backbone.switch_to_deploy()
        model.decode_head.switch_to_deploy()
    actual = check_onnx_parity(model, gasseg_reference['input'][:1],
                               tmp_path / 'gasseg-s.onnx')
    assert actual.shape == (1, 2, 24, 32)


@pytest.mark.parametrize('size,channels', [('s', 16), ('m', 32), ('l', 64)])
def test_release_configs_keep_the_model_contract(size, channels):
    model = build_gasseg_release_segmentor(size).eval()
    assert model.backbone.channels == channels
    check_logit_shape(model, (192, 256), (24, 32))
    check_logit_shape(model, (70, 90), (9, 12))

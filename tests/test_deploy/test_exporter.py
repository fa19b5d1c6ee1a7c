"""mmgas.deploy.torchscript_onnx_exporter forces dynamo=False only inside
its block."""
import pytest
import torch

from mmgas.deploy import torchscript_onnx_exporter


@pytest.fixture
def recorded_export(monkeypatch):
    calls = []

    def fake_export(*args, **kwargs):
        calls.append(kwargs)

    monkeypatch.setattr(torch.onnx, 'export', fake_export)
    return calls


def test_defaults_to_torchscript_inside_block_only(recorded_export):
    original = torch.onnx.export
    with torchscript_onnx_exporter():
        assert torch.onnx.export is not original
        torch.onnx.export(None, (), 'a.onnx')
        torch.onnx.export(None, (), 'b.onnx', dynamo=True)
    assert torch.onnx.export is original
    torch.onnx.export(None, (), 'c.onnx')
    assert [c.get('dynamo') for c in recorded_export] == [False, True, None]


def test_restores_on_error_and_nests(recorded_export):
    original = torch.onnx.export
    with pytest.raises(RuntimeError):
        with torchscript_onnx_exporter() as outer:
            with torchscript_onnx_exporter() as inner:
                assert inner is outer
            assert torch.onnx.export is outer
            raise RuntimeError('export failed')
    assert torch.onnx.export is original


def test_real_export_uses_torchscript(tmp_path):
    import onnx
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU())
    with torchscript_onnx_exporter():
        torch.onnx.export(
            model, (torch.rand(1, 3, 8, 8), ),
            str(tmp_path / 'm.onnx'),
            input_names=['input'],
            dynamic_axes={'input': {0: 'batch'}},
            opset_version=13)
    graph = onnx.load(str(tmp_path / 'm.onnx')).graph
    assert [n.op_type for n in graph.node] == ['Conv', 'Relu']
    assert graph.input[0].type.tensor_type.shape.dim[0].dim_param == 'batch'

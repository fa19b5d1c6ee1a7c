"""mmgas.deploy.onnxruntime_session: the one ONNX Runtime session factory."""
import pytest
import torch


@pytest.mark.parametrize('spinning', [False, True])
def test_onnxruntime_session_options(tmp_path, spinning):
    pytest.importorskip('onnxruntime')
    from mmgas.deploy import onnxruntime_session
    path = str(tmp_path / 'conv.onnx')
    conv = torch.nn.Conv2d(3, 2, 3, padding=1).eval()
    x = torch.randn(1, 3, 8, 8)
    torch.onnx.export(
        conv, (x, ),
        path,
        dynamo=False,
        opset_version=13,
        input_names=['input'],
        output_names=['logits'])
    session = onnxruntime_session(path, threads=1, spinning=spinning)
    options = session.get_session_options()
    assert options.intra_op_num_threads == 1
    assert options.inter_op_num_threads == 1
    if spinning:  # onnxruntime's default: no entry
        with pytest.raises(Exception, match='allow_spinning'):
            options.get_session_config_entry(
                'session.intra_op.allow_spinning')
    else:
        assert options.get_session_config_entry(
            'session.intra_op.allow_spinning') == '0'
    assert session.get_providers() == ['CPUExecutionProvider']
    (out, ) = session.run(None, {'input': x.numpy()})
    with torch.no_grad():
        torch.testing.assert_close(torch.from_numpy(out), conv(x),
                                   rtol=1e-5, atol=1e-5)

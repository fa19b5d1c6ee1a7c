"""The contract of an mmgas segmentation model, as checks that the GasSeg
and GasViT tests share.

A model keeps it when it builds from its shipped config, gives logits of
the expected shape for each variant and input size, reproduces reference
logits from reference weights, and exports to ONNX (the TorchScript
exporter mmdeploy uses) with the same logits in ONNX Runtime.
"""
import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmgas  # noqa: F401
from mmgas.benchmark import TensorMode
from mmseg.registry import MODELS


def build_segmentor(config, seed=0, **model_overrides):
    """Build ``config``'s segmentor in eval mode with initialised weights.

    Args:
        config (str | Path): The model config.
        seed (int): Seed of the initialisation. Default: 0.
        **model_overrides: Merged into ``cfg.model`` (e.g. ``backbone=``).
    """
    init_default_scope('mmseg')
    cfg = Config.fromfile(str(config))
    cfg.model.merge_from_dict(model_overrides) if model_overrides else None
    torch.manual_seed(seed)
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model.eval()


def check_logit_shape(model, input_hw, logit_hw, num_classes=2):
    """``mode='tensor'`` logits of one ``input_hw`` image are
    ``(1, num_classes, *logit_hw)``; returns them."""
    with torch.no_grad():
        logits = model(torch.rand(1, 3, *input_hw) * 255, mode='tensor')
    assert tuple(logits.shape) == (1, num_classes, *logit_hw), logits.shape
    return logits


def check_reference_logits(model, inputs, expected, rtol=1e-4, atol=1e-3):
    """Eval-mode logits of ``inputs`` equal the reference ``expected``."""
    with torch.no_grad():
        logits = model(inputs, mode='tensor')
    torch.testing.assert_close(logits, expected, rtol=rtol, atol=atol)


def check_onnx_parity(model, inputs, path, rel_tol=1e-4):
    """Export ``model`` (``mode='tensor'``) with the TorchScript exporter,
    opset 13, and run it in ONNX Runtime on ``inputs``: the logits agree
    with PyTorch's to ``rel_tol`` of their largest magnitude (the input is
    raw 0-255, so logits reach thousands).

    Returns:
        np.ndarray: The ONNX Runtime logits.
    """
    from mmgas.deploy import onnxruntime_session
    network = TensorMode(model).eval()
    with torch.no_grad():
        torch.onnx.export(
            network, (inputs, ),
            str(path),
            dynamo=False,
            opset_version=13,
            input_names=['input'],
            output_names=['logits'])
        expected = network(inputs).numpy()
    session = onnxruntime_session(str(path), threads=1)
    (actual, ) = session.run(None, {'input': inputs.numpy()})
    assert actual.shape == expected.shape
    scale = np.abs(expected).max()
    assert scale > 0
    assert np.abs(actual - expected).max() <= rel_tol * scale
    return actual

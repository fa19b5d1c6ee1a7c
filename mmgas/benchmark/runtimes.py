"""The runtimes a network is timed in besides eager PyTorch: its ONNX
export in ONNX Runtime, and how far their logits agree."""
import warnings

import torch

from .models import TensorMode


def onnxruntime_runner(model, inputs, onnx_path, threads):
    """Export a segmentor's network to ONNX and open it in onnxruntime.

    The export uses PyTorch's TorchScript exporter (``dynamo=False``, opset
    13, static shape of ``inputs``), the exporter of mmdeploy's path. The
    session is :func:`mmgas.deploy.onnxruntime_session`'s with thread
    spinning off.

    Args:
        model (nn.Module): A segmentor (exported in ``mode='tensor'``).
        inputs (Tensor): Example input, (N, 3, H, W), on the CPU.
        onnx_path (str): Where to write the ``.onnx`` file.
        threads (int): onnxruntime intra-op threads.

    Returns:
        tuple: ``(run, outputs)``: a zero-argument callable running the
        session on ``inputs`` and returning the logits as a numpy array,
        and the logits of a first run.
    """
    network = TensorMode(model).eval()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter('ignore')  # tracer warnings
        torch.onnx.export(
            network, (inputs.cpu(), ),
            onnx_path,
            opset_version=13,
            input_names=['input'],
            output_names=['logits'],
            dynamo=False)
    from mmgas.deploy import onnxruntime_session
    session = onnxruntime_session(onnx_path, threads, spinning=False)
    feed = {'input': inputs.cpu().numpy()}

    def run():
        return session.run(None, feed)[0]

    return run, run()


def relative_difference(reference, other):
    """max |other - reference| / max |reference| of two logit arrays."""
    reference = torch.as_tensor(reference).float().cpu()
    other = torch.as_tensor(other).float().cpu()
    if reference.shape != other.shape:
        raise ValueError(f'shapes differ: {tuple(reference.shape)} and '
                         f'{tuple(other.shape)}')
    scale = reference.abs().max().clamp_min(1e-12)
    return ((other - reference).abs().max() / scale).item()

"""Size and cost of a segmentor: parameters (all, and those inference
uses) and FLOPs."""
import logging
import warnings

import torch

from ._quiet import quiet_logger
from .models import TensorMode, random_images


def count_parameters(model):
    """Number of parameters (trainable or not) of ``model``."""
    return sum(p.numel() for p in model.parameters())


def inference_parameters(model, inputs):
    """Parameters that one ``mode='tensor'`` forward uses.

    Auxiliary heads, boundary heads and losses only act in training, yet
    count in :func:`count_parameters` (as in mmseg's ``get_flops``); for
    BiSeNetV2, whose stock auxiliary heads are wide, that is most of the
    total. This counts the parameters owned by the modules that the forward
    calls (each parameter once, shared ones included).

    Args:
        model (nn.Module): A segmentor.
        inputs (Tensor): Input images, (N, 3, H, W).

    Returns:
        int: Number of parameters used at inference.
    """
    called = set()
    handles = [
        module.register_forward_hook(
            lambda module, args, output: called.add(module))
        for module in model.modules()
    ]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(inputs, mode='tensor')
    finally:
        for handle in handles:
            handle.remove()
        model.train(was_training)
    used = {
        id(param): param
        for module in called
        for param in module.parameters(recurse=False)
    }
    return sum(param.numel() for param in used.values())


def model_complexity(model, shape):
    """FLOPs and activations of one ``mode='tensor'`` forward, with mmengine.

    Uses ``mmengine.analysis.get_model_complexity_info``, which traces the
    model with TorchScript and counts one fused multiply-add as one FLOP
    (so the figure equals the MAC count of conv/linear layers). Operators it
    has no handle for (element-wise additions, activations, resizes) count
    zero.

    Args:
        model (nn.Module): A segmentor.
        shape (tuple[int, int]): Input (H, W); batch 1, 3 channels.

    Returns:
        dict: ``flops``, ``activations`` and ``params`` (ints).
    """
    from mmengine.analysis import get_model_complexity_info
    device = next(model.parameters()).device
    inputs = random_images(1, shape, device)
    was_training = model.training
    model.eval()
    # the tracer's warnings and mmengine's "unsupported operator" notes
    # are about the counting, not about the model
    try:
        with torch.no_grad(), warnings.catch_warnings(), quiet_logger(
                logging.ERROR):
            warnings.simplefilter('ignore')
            info = get_model_complexity_info(
                TensorMode(model),
                inputs=(inputs, ),
                show_table=False,
                show_arch=False)
    finally:
        model.train(was_training)
    return dict(
        flops=int(info['flops']),
        activations=int(info['activations']),
        params=int(info['params']))

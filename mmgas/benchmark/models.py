"""Segmentors as the benchmarks run them: built from a config (optionally
with weights) and called on images alone, and random test images."""
import os.path as osp

import torch
import torch.nn as nn

from mmgas.utils import init_segmentor, load_config


class TensorMode(nn.Module):
    """The network part of a segmentor, images to logits.

    Args:
        segmentor (nn.Module): An mmseg segmentor (e.g. ``EncoderDecoder``).

    Shapes:
        input: (N, 3, H, W) images as the data preprocessor would pass them.
        output: (N, num_classes, H / s, W / s) logits at the head's stride s.
    """

    def __init__(self, segmentor):
        super().__init__()
        self.segmentor = segmentor

    def forward(self, inputs):
        return self.segmentor(inputs, mode='tensor')


def build_segmentor(config, checkpoint=None, device='cpu', cfg_options=None):
    """Build a segmentor in eval mode (mmseg's ``init_model``, strict
    weights: :func:`~mmgas.utils.init_segmentor`).

    Args:
        config (str | mmengine.Config): Config file or loaded config.
        checkpoint (str, optional): Checkpoint to load (through mmengine,
            weights-only). None keeps PyTorch's default initialisation,
            which is enough for size, FLOPs, latency and memory.
            Default: None.
        device (str): Device to put the model on. Default: 'cpu'.
        cfg_options (dict, optional): Overrides merged into the config.
            Default: None.

    Returns:
        nn.Module: The segmentor, with ``model.cfg`` set to its config.

    Raises:
        FileNotFoundError: If the config or the checkpoint does not exist;
            the message names the path.
        KeyError: If the config has no ``model``.
        CheckpointMismatchError: If the checkpoint's weights do not fit the
            model (keys listed).
    """
    if isinstance(config, str):
        config = load_config(config, cfg_options)
    elif cfg_options:
        config.merge_from_dict(cfg_options)
    if config.get('model') is None:
        raise KeyError(f'{config.filename}: the config defines no `model` '
                       '(a dataset or schedule base?)')
    if checkpoint is not None and not osp.isfile(checkpoint):
        raise FileNotFoundError(
            f'checkpoint not found: {osp.abspath(checkpoint)}')
    return init_segmentor(config, checkpoint, device=device)


def random_images(batch, shape, device='cpu', seed=0):
    """Images in [0, 255) of shape (batch, 3, H, W), reproducibly.

    Args:
        batch (int): Batch size N.
        shape (tuple[int, int]): (H, W).
        device (str): Device of the tensor. Default: 'cpu'.
        seed (int): Seed of the generator. Default: 0.
    """
    generator = torch.Generator().manual_seed(seed)
    return (torch.rand(batch, 3, *shape, generator=generator) *
            255).to(device)

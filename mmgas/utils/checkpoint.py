# Copyright (c) mmgas contributors. Licensed under the Apache License 2.0.
"""Strict checkpoint loading for evaluation and inference.

mmengine loads ``load_from`` and ``init_model`` checkpoints with
``strict=False``: a checkpoint of another model (GasSeg-M weights with a
GasSeg-S config, an unconverted release file) only logs warnings, and the
tools then report the accuracy or the predictions of random weights. Here
every parameter and buffer of the model must be in the checkpoint with its
shape, and nothing else may be; otherwise :class:`CheckpointMismatchError`
names the keys.
"""
import re

__all__ = [
    'CheckpointMismatchError', 'checkpoint_state_dict',
    'check_checkpoint_matches', 'init_segmentor'
]

#: how many keys of each kind an error message lists
_SHOWN_KEYS = 8


class CheckpointMismatchError(ValueError):
    """The checkpoint's weights do not fit the model built from the
    config."""


def checkpoint_state_dict(filename):
    """Read a checkpoint file (weights-only, see :mod:`mmgas.compat`).

    Args:
        filename (str): A ``.pth`` saved by mmengine (``state_dict`` and
            ``meta``) or a bare ``model.state_dict()``.

    Returns:
        tuple[dict, dict]: The state dict (a DDP ``module.`` prefix
        removed) and the checkpoint's ``meta`` (empty when it has none).
    """
    from mmengine.runner.checkpoint import _load_checkpoint

    checkpoint = _load_checkpoint(filename, map_location='cpu')
    if not isinstance(checkpoint, dict):
        raise CheckpointMismatchError(
            f'{filename} holds a {type(checkpoint).__name__}, not a state '
            'dict or an mmengine checkpoint')
    state_dict = checkpoint.get('state_dict', checkpoint)
    meta = checkpoint.get('meta') if 'state_dict' in checkpoint else None
    state_dict = {
        re.sub(r'^module\.', '', key): value
        for key, value in state_dict.items()
    }
    return state_dict, meta if isinstance(meta, dict) else {}


def _listed(title, keys):
    shown = ', '.join(keys[:_SHOWN_KEYS])
    more = f', ... ({len(keys) - _SHOWN_KEYS} more)' if len(
        keys) > _SHOWN_KEYS else ''
    return f'\n  {title} ({len(keys)}): {shown}{more}'


def check_checkpoint_matches(model, state_dict, filename='checkpoint',
                             config=None):
    """Raise unless ``state_dict`` fits ``model`` exactly.

    Args:
        model (torch.nn.Module): The model (a DDP wrapper is unwrapped).
        state_dict (dict): Weights, e.g. from :func:`checkpoint_state_dict`.
        filename (str): Checkpoint name for the message.
        config (str, optional): Config name for the message.

    Raises:
        CheckpointMismatchError: Missing, unexpected or mis-shaped keys,
            each listed.
    """
    model = getattr(model, 'module', model)
    expected = model.state_dict()
    missing = [k for k in expected if k not in state_dict]
    unexpected = [k for k in state_dict if k not in expected]
    misshaped = [
        f'{k} {tuple(state_dict[k].shape)} vs {tuple(v.shape)}'
        for k, v in expected.items() if k in state_dict
        and hasattr(state_dict[k], 'shape') and state_dict[k].shape != v.shape
    ]
    if not (missing or unexpected or misshaped):
        return
    against = f'the model of {config}' if config else 'the model'
    message = f'{filename} does not fit {against}:'
    if missing:
        message += _listed('missing keys', missing)
    if unexpected:
        message += _listed('unexpected keys', unexpected)
    if misshaped:
        message += _listed('shape mismatches (checkpoint vs model)',
                           misshaped)
    message += ('\nWas it trained with this config? The authors\' GasSeg '
                'release weights must first be converted with '
                'tools/model_converters/gasseg_release_to_mmgas.py.')
    raise CheckpointMismatchError(message)


def init_segmentor(config, checkpoint=None, device='cpu'):
    """mmseg's ``init_model`` with strict weights.

    Args:
        config (mmengine.Config): A loaded config.
        checkpoint (str, optional): Weights to load; None keeps the
            initialisation.
        device (str): Defaults to 'cpu'.

    Returns:
        torch.nn.Module: The segmentor in eval mode; ``dataset_meta`` is
        the checkpoint's (None when it records none, rather than mmseg's
        guess of a dataset from the number of classes).
    """
    from mmseg.apis import init_model

    model = init_model(config, None, device=device)
    if checkpoint is None:
        return model
    state_dict, meta = checkpoint_state_dict(checkpoint)
    check_checkpoint_matches(model, state_dict, checkpoint,
                             getattr(config, 'filename', None))
    model.load_state_dict(state_dict, strict=True)
    model.dataset_meta = meta.get('dataset_meta')
    return model

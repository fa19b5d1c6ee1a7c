"""Convert a released GasSeg checkpoint into an mmgas weights-only checkpoint.

The GasSeg release (github.com/FisherYuuri/GasSeg, MIT licence; H. Yu et al.,
Pattern Recognition 2026) saves mmengine training checkpoints:
``{'meta', 'state_dict', 'optimizer', 'message_hub', ...}``. mmgas's GasSeg
uses the release's state-dict key names, so converting means: load the file
safely (weights-only, :func:`mmgas.compat.safe_load_checkpoint`), check that
its keys and shapes are exactly those of a GasSeg of that width (refusing the
file, with the keys named, otherwise) and write ``{'meta', 'state_dict'}`` of
plain tensors, with GasDataset's classes and palette in
``meta['dataset_meta']``. The result loads strictly into
``configs/gasseg/gasseg-{s,m,l}_1xb16-120k_igs-256x192.py`` (Scharr mode
``'trainable'``, as released), e.g. with ``mmseg.apis.init_model`` or
``tools/test.py``.

Usage::

    python tools/model_converters/gasseg_release_to_mmgas.py IN.pth OUT.pth
"""
import argparse
import os.path as osp
import sys
from collections import OrderedDict

import torch


import mmgas  # noqa: F401  (registers GasSeg/GasHead, installs shims)
from mmgas.compat import safe_load_checkpoint

#: Width ``channels`` of each released size.
SIZES = {16: 's', 32: 'm', 64: 'l'}
#: GasDataset's metainfo, used when the release's meta has none usable.
GAS_DATASET_META = dict(
    classes=('background', 'gas'), palette=[[0, 0, 0], [255, 255, 255]])
_WIDTH_KEY = 'backbone.stem.conv1.conv.weight'
_CLASSES_KEY = 'decode_head.conv_seg.weight'


class ReleaseKeyError(ValueError):
    """The checkpoint is not a GasSeg release checkpoint of any width."""


def expected_shapes(channels, num_classes=2):
    """State-dict key -> shape of the segmentor with a GasSeg backbone of
    width ``channels`` and a GasHead (the release's training-time model).

    Args:
        channels (int): Backbone width C (16, 32 or 64 as released).
        num_classes (int): Number of classes. Default: 2.

    Returns:
        OrderedDict[str, torch.Size]: Keys as an mmseg EncoderDecoder saves
        them (``backbone.…``, ``decode_head.…``).
    """
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS
    init_default_scope('mmseg')
    modules = dict(
        backbone=MODELS.build(
            dict(type='GasSeg', channels=channels,
                 scharr_mode='trainable')),
        decode_head=MODELS.build(
            dict(
                type='GasHead',
                in_channels=channels * 4,
                channels=channels * 4,
                num_classes=num_classes,
                loss_decode=[
                    dict(type='OhemCrossEntropy'),
                    dict(type='BoundaryLoss')
                ])))
    return OrderedDict((f'{prefix}.{key}', value.shape)
                       for prefix, module in modules.items()
                       for key, value in module.state_dict().items())


def _dataset_meta(meta, num_classes):
    """The release's dataset_meta if it names ``num_classes`` classes with a
    palette, reduced to plain lists; else GasDataset's."""
    dataset_meta = (meta or {}).get('dataset_meta') or {}
    classes = dataset_meta.get('classes')
    palette = dataset_meta.get('palette')
    try:
        classes = tuple(str(c) for c in classes)
        palette = [[int(v) for v in colour] for colour in palette]
    except TypeError:
        classes = palette = None
    if (classes is None or len(classes) != num_classes
            or len(palette) != num_classes):
        return dict(GAS_DATASET_META)
    return dict(classes=classes, palette=palette)


def convert(checkpoint, source=None):
    """Turn a loaded release checkpoint into an mmgas weights-only one.

    Args:
        checkpoint (dict): ``{'state_dict': ..., 'meta': ..., ...}`` as the
            release saves it, or a bare state dict.
        source (str, optional): Name of the input file, recorded in
            ``meta['mmgas']``. Default: None.

    Returns:
        dict: ``{'meta': {'dataset_meta', 'mmgas'}, 'state_dict'}`` with
        plain tensors in the canonical key order.

    Raises:
        ReleaseKeyError: If keys are missing or unexpected, or shapes differ
            from a GasSeg of the checkpoint's width; the message names them.
    """
    state_dict = checkpoint.get('state_dict', checkpoint)
    not_tensors = sorted(
        k for k, v in state_dict.items() if not isinstance(v, torch.Tensor))
    if not_tensors:
        raise ReleaseKeyError(
            f'not a state dict: non-tensor entries {not_tensors}')
    if _WIDTH_KEY not in state_dict:
        raise ReleaseKeyError(
            f'not a GasSeg release checkpoint: missing key {_WIDTH_KEY!r} '
            f'(first keys: {list(state_dict)[:5]})')
    channels = state_dict[_WIDTH_KEY].shape[0]
    num_classes = (
        state_dict[_CLASSES_KEY].shape[0]
        if _CLASSES_KEY in state_dict else 2)
    expected = expected_shapes(channels, num_classes)
    missing = [k for k in expected if k not in state_dict]
    unexpected = [k for k in state_dict if k not in expected]
    mismatched = [
        f'{k}: {tuple(state_dict[k].shape)} != {tuple(shape)}'
        for k, shape in expected.items()
        if k in state_dict and state_dict[k].shape != shape
    ]
    if missing or unexpected or mismatched:
        problems = []
        for title, keys in (('missing keys', missing),
                            ('unexpected keys', unexpected),
                            ('shape mismatches', mismatched)):
            if keys:
                problems.append(f'{title} ({len(keys)}): ' + ', '.join(keys))
        raise ReleaseKeyError(
            f'the checkpoint does not match GasSeg with channels={channels}'
            f', num_classes={num_classes}: ' + '; '.join(problems))
    size = SIZES.get(channels)
    return dict(
        meta=dict(
            dataset_meta=_dataset_meta(checkpoint.get('meta'), num_classes),
            mmgas=dict(
                converted_from=source,
                arch=f'gasseg-{size}' if size else f'gasseg-c{channels}',
                channels=channels,
                scharr_mode='trainable')),
        state_dict=OrderedDict(
            (k, state_dict[k].detach().clone().contiguous())
            for k in expected))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert a released GasSeg checkpoint into an mmgas '
        'weights-only checkpoint (keys checked strictly).')
    parser.add_argument('src', help='released checkpoint (.pth)')
    parser.add_argument('dst', help='output checkpoint (.pth)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    checkpoint = safe_load_checkpoint(args.src, map_location='cpu')
    try:
        converted = convert(checkpoint, source=osp.basename(args.src))
    except ReleaseKeyError as error:
        sys.exit(f'error: refusing {args.src}: {error}')
    torch.save(converted, args.dst)
    info = converted['meta']['mmgas']
    config = (f'configs/gasseg/{info["arch"]}_1xb16-120k_igs-256x192.py'
              if info['channels'] in SIZES else 'a GasSeg config with '
              f'channels={info["channels"]}')
    print(f'{args.dst}: {info["arch"]}, {len(converted["state_dict"])} '
          f'tensors; load it with {config}')


if __name__ == '__main__':
    main()

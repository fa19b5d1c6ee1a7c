"""Can a config fit one batch? A sanity check of the training path.

When a model predicts only background after thousands of iterations, the
first question is whether it can learn at all: a network, loss and optimiser
that work drive the loss on one fixed batch towards zero within a few
hundred steps. This script takes the first ``--batch`` samples of the
config's train set through the config's train pipeline once, builds the
config's optimiser (its base learning rate, without the schedule) and calls
``train_step`` on that same batch ``--iters`` times. It prints the losses as
it goes and, at the end, the IoU of every class on that batch (arg-max of
the logits at the padded input size, pixels labelled ``ignore_index``
skipped). It says nothing about generalisation.

Example::

    python tools/analysis_tools/fit_one_batch.py \\
        configs/gasvit/gasvit-xs_mlphead_1xb8-4k_synthetic-256x192.py
"""
import argparse
import math

import torch


import mmgas  # noqa: F401
from mmengine.config import DictAction
from mmengine.dataset import pseudo_collate
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

from mmgas.evaluation import class_scores
from mmgas.utils import load_config
from mmseg.evaluation import IoUMetric
from mmseg.registry import DATASETS, MODELS


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Train a config on one fixed batch and report its fit')
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--batch',
        type=int,
        help='samples in the batch (default: the config\'s train batch)')
    parser.add_argument(
        '--iters', type=int, default=150, help='steps (default: 150)')
    parser.add_argument(
        '--log-interval',
        type=int,
        default=25,
        help='print the losses every N steps (default: 25)')
    parser.add_argument(
        '--threads', type=int, default=2, help='torch threads (default: 2)')
    parser.add_argument('--seed', type=int, default=0, help='torch seed')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        metavar='KEY=VALUE',
        help='overrides of the config, e.g. '
        'train_dataloader.dataset.data_root=data/synthetic_gas')
    args = parser.parse_args(argv)
    for name in ('batch', 'iters', 'log_interval', 'threads'):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f'--{name.replace("_", "-")} must be at least 1')
    return args


def batch_iou(logits, data_samples, num_classes, ignore_index):
    """Per-class IoU (%) of the arg-max of ``logits`` (N, C, h, w), resized
    to the labels, on one batch (mmseg's areas, mmgas's ``class_scores``);
    None for a class absent from both."""
    labels = torch.stack([s.gt_sem_seg.data[0] for s in data_samples])
    logits = torch.nn.functional.interpolate(
        logits, labels.shape[-2:], mode='bilinear', align_corners=False)
    areas = [
        IoUMetric.intersect_and_union(pred, label, num_classes, ignore_index)
        for pred, label in zip(logits.argmax(1), labels)
    ]
    return [
        None if math.isnan(iou) else float(iou)
        for iou in class_scores(areas)['IoU']
    ]


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    cfg = load_config(args.config, args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    torch.manual_seed(args.seed)
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.train()
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    size = args.batch or cfg.train_dataloader.batch_size
    if len(dataset) < size:
        raise ValueError(f'the train set of {args.config} has '
                         f'{len(dataset)} samples, fewer than --batch {size}')
    batch = pseudo_collate([dataset[i] for i in range(size)])
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    print(f'{size} samples, {args.iters} steps of '
          f'{type(optim_wrapper.optimizer).__name__} at lr '
          f'{optim_wrapper.get_lr()["lr"][0]:g} (no schedule)')
    for step in range(1, args.iters + 1):
        losses = model.train_step(batch, optim_wrapper)
        if step == 1 or step % args.log_interval == 0 or step == args.iters:
            text = '  '.join(f'{k}: {v.item():.4f}' for k, v in losses.items()
                             if 'loss' in k)
            print(f'step {step:4d}  {text}', flush=True)

    model.eval()
    with torch.no_grad():
        # training-mode preprocessing pads the crops to one size, as the
        # train step saw them
        data = model.data_preprocessor(batch, True)
        logits = model(data['inputs'], data['data_samples'], mode='tensor')
    classes = dataset.metainfo['classes']
    ious = batch_iou(logits, data['data_samples'], len(classes),
                     model.decode_head.ignore_index)
    for name, iou in zip(classes, ious):
        print(f'IoU on the batch, {name}: '
              f'{"absent" if iou is None else f"{iou:.2f}"}')
    return dict(losses={k: v.item()
                        for k, v in losses.items()}, ious=ious)


if __name__ == '__main__':
    main()

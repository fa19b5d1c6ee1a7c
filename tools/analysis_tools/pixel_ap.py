"""Threshold-free pixel metrics of one class (average precision and the best
IoU over all probability thresholds) and how many images the argmax finds
the class in.

``tools/test.py`` scores the argmax. Early in training, or on faint targets,
the argmax is often all background (gas IoU 0 for every checkpoint) while
the class probability already ranks gas pixels above background ones; the
pixel AP (area under the precision-recall curve, chance level = the class's
pixel share) shows whether and how much a model has learnt before the argmax
does.

The config's test dataloader (pipeline, data root, split) is used; the
probabilities are the softmax of ``model.predict``'s logits at the original
image size, as ``tools/test.py`` sees them. Pixels labelled
``ignore_index`` are skipped. Probabilities are binned (``--bins``).

A second line counts images, which is what a leak alarm sees: of the images
that contain the class, those in which the argmax (as ``tools/test.py``
scores it) covers at least ``--min-found`` of the labelled pixels; of the
images without it, those with any pixel predicted as the class.

Example::

    python tools/analysis_tools/pixel_ap.py \\
        configs/gasvit/gasvit-xs_mlphead_1xb8-1k_synthetic-256x192.py \\
        work_dirs/gasvit-xs_mlphead_1xb8-1k_synthetic-256x192/iter_1000.pth
"""
import argparse

import numpy as np
import torch


import mmgas  # noqa: F401
from mmengine.config import DictAction
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from mmgas.utils import (check_checkpoint_matches,
                         checkpoint_state_dict, load_config)
from mmseg.registry import DATASETS, MODELS


def parse_args():
    parser = argparse.ArgumentParser(
        description='Pixel AP and best IoU of one class over thresholds')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--class-index',
        type=int,
        default=1,
        help='class to score (default: 1, gas)')
    parser.add_argument(
        '--bins',
        type=int,
        default=1000,
        help='probability bins (default: 1000)')
    parser.add_argument(
        '--min-found',
        type=float,
        default=0.1,
        help='share of an image\'s labelled pixels the argmax must cover '
        'for the image to count as found (default: 0.1)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings in the config, e.g. '
        'test_dataloader.dataset.data_root=data/other')
    args = parser.parse_args()
    if not 0 < args.min_found <= 1:
        parser.error(f'--min-found must be in (0, 1], got {args.min_found}')
    return args


def pixel_ap(pos_hist, neg_hist):
    """AP and best IoU from histograms of the class probability.

    Args:
        pos_hist (np.ndarray): Counts of class pixels per probability bin.
        neg_hist (np.ndarray): Counts of other pixels per bin.

    Returns:
        tuple[float, float, float]: AP, best IoU and the lower bin edge of
        the threshold that gives it (predict the class where p >= it).
    """
    # thresholds from high to low
    tp = np.cumsum(pos_hist[::-1])
    fp = np.cumsum(neg_hist[::-1])
    num_pos = pos_hist.sum()
    precision = tp / np.maximum(tp + fp, 1)
    recall = tp / max(num_pos, 1)
    ap = float(np.sum(np.diff(np.concatenate([[0.], recall])) * precision))
    iou = tp / np.maximum(num_pos + fp, 1)
    best = int(iou.argmax())
    bins = len(pos_hist)
    return ap, float(iou[best]), 1. - (best + 1) / bins


def image_found(pred, label, class_index, ignore_index, min_found):
    """Whether an image has the class and whether the prediction finds it.

    Args:
        pred (np.ndarray): Predicted class per pixel, shape (H, W).
        label (np.ndarray): Labelled class per pixel, shape (H, W).
        class_index (int): The class.
        ignore_index (int): Label of pixels to skip.
        min_found (float): Share of the labelled pixels that must be
            predicted as the class for the image to count as found.

    Returns:
        tuple[bool, bool]: ``(has_class, hit)``. For an image with the
        class, ``hit`` means at least ``min_found`` of its pixels are
        found; for one without, that some valid pixel is predicted as the
        class (a false alarm).
    """
    valid = label != ignore_index
    is_class = (label == class_index) & valid
    predicted = (pred == class_index) & valid
    if not is_class.any():
        return False, bool(predicted.any())
    found = (predicted & is_class).sum() / is_class.sum()
    return True, bool(found >= min_found)


def main():
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model = MODELS.build(cfg.model)
    state_dict, _ = checkpoint_state_dict(args.checkpoint)
    check_checkpoint_matches(model, state_dict, args.checkpoint, args.config)
    model.load_state_dict(state_dict)
    model.eval()
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    ignore_index = dataset.ignore_index

    pos_hist = np.zeros(args.bins)
    neg_hist = np.zeros(args.bins)
    # [images without, with the class] x [not hit, hit]
    image_counts = np.zeros((2, 2), dtype=np.int64)
    for i in range(len(dataset)):
        with torch.no_grad():
            (sample, ) = model.test_step(pseudo_collate([dataset[i]]))
        prob = sample.seg_logits.data.softmax(0)[args.class_index].numpy()
        label = sample.gt_sem_seg.data[0].numpy()
        valid = label != ignore_index
        idx = np.clip((prob[valid] * args.bins).astype(np.int64), 0,
                      args.bins - 1)
        is_pos = label[valid] == args.class_index
        pos_hist += np.bincount(idx[is_pos], minlength=args.bins)
        neg_hist += np.bincount(idx[~is_pos], minlength=args.bins)
        has_class, hit = image_found(sample.pred_sem_seg.data[0].numpy(),
                                     label, args.class_index, ignore_index,
                                     args.min_found)
        image_counts[int(has_class), int(hit)] += 1

    ap, best_iou, threshold = pixel_ap(pos_hist, neg_hist)
    share = pos_hist.sum() / max(pos_hist.sum() + neg_hist.sum(), 1)
    name = dataset.metainfo['classes'][args.class_index]
    print(f'{len(dataset)} images, class {args.class_index} ({name}): '
          f'pixel AP {ap * 100:.2f} (chance {share * 100:.2f}), '
          f'best IoU {best_iou * 100:.2f} at p >= {threshold:.3f}')
    with_class, without = image_counts[1].sum(), image_counts[0].sum()
    print(f'images with {name}: {with_class}, found (>= '
          f'{args.min_found:g} of its pixels) in {image_counts[1, 1]}; '
          f'images without: {without}, {name} predicted in '
          f'{image_counts[0, 1]}')


if __name__ == '__main__':
    main()

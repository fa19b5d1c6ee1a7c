"""Pixel average precision of one class: does its probability rank the
class's pixels above the others, before any threshold?

A model that predicts only background has a gas IoU of 0 whether it has
learnt nothing or ranks gas pixels well just below the arg-max threshold.
:class:`PixelAPMetric` tells the two apart: the average precision of the
class probability over all pixels (chance = the class's pixel share), the
best IoU any probability threshold would give, and on how many images the
arg-max finds the class (and raises it on images without it).
Add it to a test evaluator (``test_evaluator = [dict(type='ClassIoUMetric',
...), dict(type='PixelAPMetric')]``) or run
``tools/analysis_tools/pixel_ap.py CONFIG CHECKPOINT``.
"""
import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmseg.registry import METRICS


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


@METRICS.register_module()
class PixelAPMetric(BaseMetric):
    """Pixel AP, best IoU over thresholds and image-level finding of one
    class.

    Args:
        class_index (int): The class to score. Default: 1 (gas).
        bins (int): Probability histogram bins. Default: 1000.
        min_found (float): Share of an image's labelled pixels the arg-max
            must cover for the image to count as found. Default: 0.1.
        ignore_index (int): Label of pixels to skip. Default: 255.
        collect_device (str): As for mmengine's ``BaseMetric``.
            Default: 'cpu'.
        prefix (str, optional): As for mmengine's ``BaseMetric``.
            Default: None.

    Returned metrics (%, except counts and the threshold): ``pixel_ap``,
    ``chance`` (the class's pixel share, the AP of a random ranking),
    ``best_iou`` and ``best_threshold`` (predict the class where
    ``p >= best_threshold``), ``images_with``/``images_found`` and
    ``images_without``/``images_false``.
    """

    default_prefix = 'pixel'

    def __init__(self,
                 class_index=1,
                 bins=1000,
                 min_found=0.1,
                 ignore_index=255,
                 collect_device='cpu',
                 prefix=None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if not 0 < min_found <= 1:
            raise ValueError(f'min_found must be in (0, 1], got {min_found}')
        self.class_index = class_index
        self.bins = bins
        self.min_found = min_found
        self.ignore_index = ignore_index

    def process(self, data_batch, data_samples):
        """Histogram one batch's class probabilities by label."""
        for sample in data_samples:
            logits = sample['seg_logits']['data'].float()
            if logits.shape[0] == 1:  # binary mode: one sigmoid logit
                prob = torch.sigmoid(logits[0])
            else:
                prob = logits.softmax(0)[self.class_index]
            prob = prob.cpu().numpy()
            label = sample['gt_sem_seg']['data'][0].cpu().numpy()
            pred = sample['pred_sem_seg']['data'][0].cpu().numpy()
            valid = label != self.ignore_index
            idx = np.clip((prob[valid] * self.bins).astype(np.int64), 0,
                          self.bins - 1)
            is_pos = label[valid] == self.class_index
            has_class, hit = image_found(pred, label, self.class_index,
                                         self.ignore_index, self.min_found)
            self.results.append(
                (np.bincount(idx[is_pos], minlength=self.bins),
                 np.bincount(idx[~is_pos], minlength=self.bins), has_class,
                 hit))

    def compute_metrics(self, results):
        """Pool the histograms and image counts of all images."""
        pos_hist = sum(r[0] for r in results)
        neg_hist = sum(r[1] for r in results)
        ap, best_iou, threshold = pixel_ap(pos_hist, neg_hist)
        share = pos_hist.sum() / max(pos_hist.sum() + neg_hist.sum(), 1)
        with_class = [r[3] for r in results if r[2]]
        without = [r[3] for r in results if not r[2]]
        return dict(
            ap=ap * 100,
            chance=float(share) * 100,
            best_iou=best_iou * 100,
            best_threshold=threshold,
            images_with=len(with_class),
            images_found=int(sum(with_class)),
            images_without=len(without),
            images_false=int(sum(without)))

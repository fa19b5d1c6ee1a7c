"""Whether a segmentor's errors on a synthetic set lie on gas the frame
shows: label noise or missed evidence, or clutter taken for gas.

A mask is a decision about which gas counts as visible. When a model marks
pixels outside it, they may still carry gas a stricter rule left out (the
label's fault), or carry none at all (the model's); when it misses labelled
pixels, the frame may show the gas there plainly, or not at all (a filled
outline). The generator knows the answer: re-rendering a frame of a set it
wrote gives the gas's own displayed contrast per pixel, free of noise.
:class:`VisibilityErrorMetric` splits the wrong pixels by it:

- **false positives on per-pixel visible gas** (contrast above the label's
  visibility threshold): outline disagreements, not hallucinations;
- **false positives on faint gas** (at least one grey level, below the
  threshold), and **on no gas** (under one grey level: clutter, equipment,
  sky, steam taken for gas);
- **false negatives on per-pixel visible gas** (evidence the model missed)
  and on gas the frame does not show per pixel (inside an outline).

Only sets written by :func:`mmgas.datasets.synthetic.generate_dataset` with
the installed generator version can be scored (the frames are re-rendered
and checked against the files). Run
``tools/analysis_tools/error_sources.py CONFIG CHECKPOINT``.
"""
import os.path as osp
import re

import numpy as np
from mmengine.evaluator import BaseMetric
from mmseg.registry import METRICS

from mmgas.datasets.synthetic import rerender_image

_NAME = re.compile(r'^([a-z]+)_(\d+)$')


def visibility_errors(pred, label, abs_contrast, threshold, grey_level,
                      class_index=1, ignore_index=255):
    """Count one image's wrong gas pixels by the gas the frame shows there.

    Args:
        pred (np.ndarray): (H, W) predicted class per pixel.
        label (np.ndarray): (H, W) labelled class per pixel.
        abs_contrast (np.ndarray): (H, W) magnitude of the gas's displayed
            contrast (K).
        threshold (np.ndarray | float): The label's per-pixel visibility
            threshold (K).
        grey_level (float): One displayed grey level (K).
        class_index (int): The gas class. Default: 1.
        ignore_index (int): Label of pixels to skip. Default: 255.

    Returns:
        dict: Pixel counts ``tp``, ``fp``, ``fn``; ``fp_visible``,
        ``fp_faint`` (false positives on gas above the threshold, on gas of
        at least one grey level below it); ``fn_visible``, ``fn_faint``
        (the same for false negatives); ``labelled``,
        ``labelled_visible``; ``visible_unlabelled`` (per-pixel visible gas
        outside the labels) and ``predicted_visible_unlabelled``.
    """
    valid = label != ignore_index
    truth = (label == class_index) & valid
    predicted = (pred == class_index) & valid
    visible = abs_contrast > threshold
    faint = (abs_contrast >= grey_level) & ~visible
    fp = predicted & ~truth
    fn = truth & ~predicted
    unlabelled = visible & ~truth & valid
    return dict(
        tp=int((truth & predicted).sum()),
        fp=int(fp.sum()),
        fn=int(fn.sum()),
        fp_visible=int((fp & visible).sum()),
        fp_faint=int((fp & faint).sum()),
        fn_visible=int((fn & visible).sum()),
        fn_faint=int((fn & faint).sum()),
        labelled=int(truth.sum()),
        labelled_visible=int((truth & visible).sum()),
        visible_unlabelled=int(unlabelled.sum()),
        predicted_visible_unlabelled=int((unlabelled & predicted).sum()))


def split_item(img_path):
    """``(data_root, split, index)`` of a generated set's image path
    (``<root>/img_dir/<split>/<split>_<index>.png``)."""
    name = osp.splitext(osp.basename(img_path))[0]
    match = _NAME.match(name)
    split_dir = osp.dirname(img_path)
    root = osp.dirname(osp.dirname(split_dir))
    if match is None or match.group(1) != osp.basename(split_dir) or \
            osp.basename(osp.dirname(split_dir)) != 'img_dir':
        raise ValueError(
            f'{img_path} is not an image of a generated synthetic set '
            '(<root>/img_dir/<split>/<split>_<index>.png)')
    return root, match.group(1), int(match.group(2))


@METRICS.register_module()
class VisibilityErrorMetric(BaseMetric):
    """Wrong gas pixels split by whether the frame shows gas there (see the
    module docstring). For sets written by the synthetic generator only.

    Args:
        class_index (int): The gas class. Default: 1.
        ignore_index (int): Label of pixels to skip. Default: 255.
        collect_device (str): Default: 'cpu'.
        prefix (str, optional): Metric name prefix. Default: None
            (``visibility``).
    """
    default_prefix = 'visibility'

    def __init__(self,
                 class_index=1,
                 ignore_index=255,
                 collect_device='cpu',
                 prefix=None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.class_index = class_index
        self.ignore_index = ignore_index

    def process(self, data_batch, data_samples):
        for sample in data_samples:
            frame = rerender_image(*split_item(sample['img_path']))
            lo, hi = frame['agc']
            pred = sample['pred_sem_seg']['data'].squeeze(0).cpu().numpy()
            label = sample['gt_sem_seg']['data'].squeeze(0).cpu().numpy()
            if pred.shape != frame['contrast'].shape:
                raise ValueError(
                    f'{sample["img_path"]}: prediction {pred.shape} is not '
                    f'at the frame\'s size {frame["contrast"].shape}')
            self.results.append(
                visibility_errors(pred, label, np.abs(frame['contrast']),
                                  frame['threshold'], (hi - lo) / 255.0,
                                  self.class_index, self.ignore_index))

    def compute_metrics(self, results):
        if not results:
            raise ValueError('VisibilityErrorMetric: no images were scored')
        total = {key: sum(r[key] for r in results) for key in results[0]}

        def share(part, whole):
            return 100. * total[part] / max(total[whole], 1)

        fp_no_gas = total['fp'] - total['fp_visible'] - total['fp_faint']
        return dict(
            iou=100. * total['tp'] /
            max(total['tp'] + total['fp'] + total['fn'], 1),
            fp_visible=share('fp_visible', 'fp'),
            fp_faint=share('fp_faint', 'fp'),
            fp_no_gas=100. * fp_no_gas / max(total['fp'], 1),
            fn_visible=share('fn_visible', 'fn'),
            fn_faint=share('fn_faint', 'fn'),
            labelled_visible=share('labelled_visible', 'labelled'),
            visible_unlabelled=share('visible_unlabelled', 'labelled'),
            predicted_visible_unlabelled=share('predicted_visible_unlabelled',
                                               'visible_unlabelled'))

"""mmseg's IoU metric with each class's scores returned, not only logged.

mmseg's ``IoUMetric`` prints a per-class table but returns only the means
(``mIoU``, ``mFscore``, ...). For a two-class task the mean hides the one
number that matters: with 96 % background pixels, a model that predicts
only background has an mIoU of about 48 and an mFscore of about 98 (the
background's alone, mmseg leaves the never-predicted class out of it).
:class:`ClassIoUMetric` returns ``IoU.<class>``, ``Precision.<class>``,
``Recall.<class>`` and ``F1.<class>`` beside the means, so they appear in
the training log, in ``tools/test.py``'s summary and in checkpoints'
``best`` selection (``save_best='IoU.gas'``).
"""
import numpy as np
from mmseg.evaluation import IoUMetric
from mmseg.registry import METRICS


def describe_gas_iou(gas_iou):
    """One line on what a detector with this gas IoU (%) is good for.

    The bands are rules of thumb for pixel IoU on a test split like the
    training data; they say nothing about other cameras or scenes.
    """
    if gas_iou is None or np.isnan(gas_iou):
        return 'no gas in the test split: gas IoU is undefined'
    if gas_iou >= 70:
        use = ('outlines visible plumes closely; ready for fine-tuning and '
               'evaluation on your own labelled footage')
    elif gas_iou >= 50:
        use = ('finds most visible plumes with rough outlines; a detector '
               'to screen frames and a starting point for fine-tuning, '
               'not a measuring tool')
    elif gas_iou >= 30:
        use = ('flags clear plumes but misses faint ones and marks '
               'non-gas; use it only with an alarm that needs persistence')
    else:
        use = 'not yet a leak detector: train longer or on more data'
    return f'gas IoU {gas_iou:.2f}: {use}'


def class_scores(results):
    """Each class's IoU, precision, recall and F1 (%) from the areas an
    ``IoUMetric`` accumulates.

    Args:
        results (list[tuple]): Per image, the (intersection, union,
            predicted, labelled) area tensors of each class.

    Returns:
        dict[str, np.ndarray]: ``IoU``, ``Precision``, ``Recall``, ``F1``,
        one value per class. A class never predicted has precision and F1
        0 when it is labelled; a class neither predicted nor labelled has
        nan scores.
    """
    intersection, union, predicted, labelled = (
        sum(parts).numpy().astype(np.float64) for parts in zip(*results))
    with np.errstate(divide='ignore', invalid='ignore'):
        precision = intersection / predicted
        precision[(predicted == 0) & (labelled > 0)] = 0.0
        return dict(
            IoU=100 * intersection / union,
            Precision=100 * precision,
            Recall=100 * intersection / labelled,
            F1=100 * 2 * intersection / (predicted + labelled))


@METRICS.register_module()
class ClassIoUMetric(IoUMetric):
    """``IoUMetric`` that also returns the scores of each class.

    Args:
        **kwargs: :class:`mmseg.evaluation.IoUMetric` arguments
            (``iou_metrics``, ``ignore_index``, ``nan_to_num``, ...).

    Returns (of :meth:`compute_metrics`):
        dict: mmseg's means plus, per class name, ``IoU.<name>``,
        ``Precision.<name>``, ``Recall.<name>`` and ``F1.<name>`` in
        percent. A class never predicted has precision and F1 0 when it is
        labelled (mmseg's table shows nan); a class neither predicted nor
        labelled has nan scores.
    """

    def compute_metrics(self, results):
        metrics = super().compute_metrics(results)
        for key, values in class_scores(results).items():
            for name, value in zip(self.dataset_meta['classes'], values):
                metrics[f'{key}.{name}'] = float(np.round(value, 2))
        return metrics

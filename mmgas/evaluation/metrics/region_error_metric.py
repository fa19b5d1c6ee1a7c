"""Where a segmentor's gas IoU goes: missed plumes, false regions or
outlines drawn too small or too large.

The gas IoU ``TP / (TP + FP + FN)`` mixes errors that call for different
cures. :class:`RegionErrorMetric` splits them by connected region:

- **missed**: false negatives in labelled regions of which the prediction
  covers less than ``min_found`` (the plume is not detected at all);
- **short extent**: the other false negatives (a found plume outlined too
  small);
- **false regions**: false positives in predicted regions that touch no
  labelled gas (hot equipment, sky, steam taken for gas);
- **long extent**: the other false positives (a found plume outlined too
  large).

For each kind it reports the gas IoU the model would reach without it,
and how many labelled regions of each size it finds: small plumes are
common in real footage (tens to hundreds of pixels) and the first to go.

Add it to a test evaluator (``test_evaluator = [dict(type='ClassIoUMetric',
...), dict(type='RegionErrorMetric')]``) or run
``tools/analysis_tools/region_errors.py CONFIG CHECKPOINT``.
"""
import numpy as np
from mmengine.evaluator import BaseMetric
from mmseg.registry import METRICS

from mmgas.utils.regions import connected_regions, region_means

#: Upper edges of the region-area bins (px; the last bin is open).
DEFAULT_AREA_EDGES = (50, 200, 800, 3000)


def region_errors(pred, label, class_index=1, ignore_index=255,
                  min_found=0.1):
    """Split one image's errors of a class by connected region.

    Args:
        pred (np.ndarray): (H, W) predicted class per pixel.
        label (np.ndarray): (H, W) labelled class per pixel.
        class_index (int): The class. Default: 1.
        ignore_index (int): Label of pixels to skip. Default: 255.
        min_found (float): Share of a labelled region the prediction must
            cover for the region to count as found. Default: 0.1.

    Returns:
        tuple[dict, np.ndarray, np.ndarray]: Pixel counts ``tp``, ``fp``,
        ``fn``, ``fn_missed`` and ``fp_false``; the (N, ) areas of the
        labelled regions and whether each is found.
    """
    valid = label != ignore_index
    truth = (label == class_index) & valid
    predicted = (pred == class_index) & valid
    labelled = connected_regions(truth, min_area=0)
    covered = np.rint(region_means(labelled, predicted) *
                      labelled.areas).astype(np.int64)
    found = covered >= min_found * labelled.areas
    marked = connected_regions(predicted, min_area=0)
    on_gas = region_means(marked, truth) > 0
    counts = dict(
        tp=int((truth & predicted).sum()),
        fp=int((predicted & ~truth).sum()),
        fn=int((truth & ~predicted).sum()),
        fn_missed=int((labelled.areas - covered)[~found].sum()),
        fp_false=int(marked.areas[~on_gas].sum()))
    return counts, labelled.areas, found


@METRICS.register_module()
class RegionErrorMetric(BaseMetric):
    """Gas IoU split into missed regions, false regions and extent errors,
    and region recall by region area.

    Args:
        class_index (int): The class to score. Default: 1 (gas).
        min_found (float): Share of a labelled region the arg-max must
            cover for the region to count as found. Default: 0.1.
        area_edges (Sequence[int]): Upper edges of the region-area bins
            (px). Default: :data:`DEFAULT_AREA_EDGES`.
        ignore_index (int): Label of pixels to skip. Default: 255.
        collect_device (str): Default: 'cpu'.
        prefix (str, optional): Metric name prefix. Default: None
            (``region``).
    """
    default_prefix = 'region'

    def __init__(self,
                 class_index=1,
                 min_found=0.1,
                 area_edges=DEFAULT_AREA_EDGES,
                 ignore_index=255,
                 collect_device='cpu',
                 prefix=None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if not 0 < min_found <= 1:
            raise ValueError(f'min_found must be in (0, 1], got {min_found}')
        if list(area_edges) != sorted(area_edges):
            raise ValueError(f'area_edges must be increasing: {area_edges}')
        self.class_index = class_index
        self.min_found = min_found
        self.area_edges = tuple(area_edges)
        self.ignore_index = ignore_index

    def process(self, data_batch, data_samples):
        for sample in data_samples:
            pred = sample['pred_sem_seg']['data'].squeeze(0).cpu().numpy()
            label = sample['gt_sem_seg']['data'].squeeze(0).cpu().numpy()
            counts, areas, found = region_errors(pred, label,
                                                 self.class_index,
                                                 self.ignore_index,
                                                 self.min_found)
            counts['regions'] = list(zip(areas.tolist(), found.tolist()))
            self.results.append(counts)

    def compute_metrics(self, results):
        total = {
            key: sum(r[key] for r in results)
            for key in ('tp', 'fp', 'fn', 'fn_missed', 'fp_false')
        }
        tp, fp, fn = total['tp'], total['fp'], total['fn']

        def iou(fp_left, fn_left):
            return 100. * tp / max(tp + fp_left + fn_left, 1)

        wrong = dict(
            fn_missed=total['fn_missed'],
            fn_short=fn - total['fn_missed'],
            fp_false=total['fp_false'],
            fp_long=fp - total['fp_false'])
        scores = dict(
            iou=iou(fp, fn),
            iou_no_missed=iou(fp, wrong['fn_short']),
            iou_no_short=iou(fp, wrong['fn_missed']),
            iou_no_false=iou(wrong['fp_long'], fn),
            iou_no_long=iou(wrong['fp_false'], fn),
            **{
                f'share_{key}': 100. * px / max(fp + fn, 1)
                for key, px in wrong.items()
            })
        regions = [r for res in results for r in res['regions']]
        scores['regions'] = len(regions)
        scores['regions_found'] = sum(found for _, found in regions)
        edges = (0, ) + self.area_edges + (np.inf, )
        for low, high in zip(edges[:-1], edges[1:]):
            found = [hit for px, hit in regions if low <= px < high]
            name = f'area_{low:g}-{high:g}'
            scores[f'{name}_regions'] = len(found)
            scores[f'{name}_found'] = sum(found)
        return scores

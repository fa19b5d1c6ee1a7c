"""Box-level scores of a segmentor: COCO AP and recall of its gas regions.

A segmentor trained on box-labelled data (or on masks) is judged against
gas boxes by turning its output into detections: the predicted gas mask is
split into connected regions
(:func:`mmgas.utils.regions.connected_regions`), each region's bounding
box is a detection, and its score is the mean gas
probability (softmax of ``seg_logits``) over the region's pixels. The
detections are scored against the ground-truth boxes with pycocotools'
``COCOeval`` (the reference COCO implementation), so the numbers mean what
they mean for detectors: AP over IoU 0.50:0.95, AP50, AP75, AR and the
recall at IoU 0.5. Definitions: ``docs/box_labels.md``.
"""
import contextlib
import io
from collections import OrderedDict

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmseg.registry import METRICS

from mmgas.utils.regions import (DEFAULT_MIN_REGION_AREA, connected_regions,
                                 region_means)

try:
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
except ImportError:  # reported when the metric is built
    COCO = COCOeval = None

_PIP_HINT = ('pip install pycocotools==2.0.11 (pinned in '
             'requirements/runtime.txt; a binary wheel, no compiler needed)')


def mask_to_detections(pred_mask,
                       gas_prob,
                       min_area=DEFAULT_MIN_REGION_AREA,
                       connectivity=8):
    """Detections from a predicted gas mask.

    Args:
        pred_mask (np.ndarray): (H, W) bool, True where gas is predicted.
        gas_prob (np.ndarray): (H, W) gas probability.
        min_area (int): Smaller regions are not detections.
            Default: :data:`~mmgas.utils.regions.DEFAULT_MIN_REGION_AREA` (16).
        connectivity (int): 8 or 4. Default: 8.

    Returns:
        np.ndarray: (N, 5) float64 rows ``[x, y, w, h, score]``, boxes in
        COCO's ``[x, y, w, h]`` pixel convention, score the region's mean
        gas probability.
    """
    regions = connected_regions(pred_mask, min_area, connectivity)
    scores = region_means(regions, gas_prob)
    return np.concatenate([regions.boxes, scores[:, None]], axis=1)


@METRICS.register_module()
class BoxAPMetric(BaseMetric):
    """COCO box AP and recall of the gas regions a segmentor predicts.

    Needs, per data sample, ``pred_sem_seg`` and ``seg_logits`` (set by
    every mmseg segmentor at the original image size) and the ground-truth
    boxes as the metainfo ``gt_boxes`` ((N, 4) ``[x1, y1, x2, y2]`` pixels
    of the original image): use :class:`~mmgas.datasets.IIGDataset` and add
    ``'gt_boxes'`` to ``PackSegInputs``' ``meta_keys``. It sits next to
    ``IoUMetric`` in an evaluator list where masks exist.

    Results, in percent like mmseg's metrics: ``box_AP`` (AP over IoU
    0.50:0.05:0.95), ``box_AP50``, ``box_AP75``, ``box_AR`` (recall over
    IoU 0.50:0.95 with at most ``max_dets`` detections per image) and
    ``box_R50`` (recall at IoU 0.5). NaN when the set holds no gas box.

    Args:
        gas_class (int): Class index of gas in the segmentor's output.
            Default: 1.
        min_area (int): Predicted regions with fewer pixels are not
            detections. Default: 16, the area below which the synthetic
            COCO writer drops ground-truth regions.
        connectivity (int): Pixel connectivity of a region, 8 or 4.
            Default: 8.
        max_dets (int): Detections kept per image, highest scores first
            (COCO's maxDets). Default: 100.
        collect_device (str): Device for collecting results across ranks.
            Default: ``'cpu'``.
        prefix (str, optional): Prefix of the result names. Default: None.
    """

    default_prefix = None

    def __init__(self,
                 gas_class=1,
                 min_area=DEFAULT_MIN_REGION_AREA,
                 connectivity=8,
                 max_dets=100,
                 collect_device='cpu',
                 prefix=None,
                 **kwargs):
        if COCOeval is None:
            raise ImportError(
                f'{type(self).__name__} scores boxes with pycocotools, which '
                f'is not installed: {_PIP_HINT}')
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.gas_class = gas_class
        self.min_area = min_area
        self.connectivity = connectivity
        self.max_dets = max_dets

    def process(self, data_batch, data_samples):
        """Box the predicted gas regions of a batch; keep boxes only."""
        for sample in data_samples:
            img = sample.get('img_path')
            if sample.get('gt_boxes') is None:
                raise ValueError(
                    f'{type(self).__name__}: no "gt_boxes" in the data '
                    f'sample of {img}; load the data with IIGDataset and add '
                    "'gt_boxes' to PackSegInputs' meta_keys")
            if 'seg_logits' not in sample:
                raise ValueError(
                    f'{type(self).__name__}: no "seg_logits" in the data '
                    f'sample of {img}; the detection scores need the '
                    "segmentor's logits")
            logits = sample['seg_logits']['data'].float()
            pred = sample['pred_sem_seg']['data'][0]
            if logits.shape[0] == 1:
                # one-channel heads: mmseg already applied the sigmoid
                gas_prob = logits[0]
            else:
                gas_prob = torch.softmax(logits, dim=0)[self.gas_class]
            dets = mask_to_detections(
                (pred == self.gas_class).cpu().numpy(),
                gas_prob.cpu().numpy(), self.min_area, self.connectivity)
            gt = np.asarray(sample['gt_boxes'], np.float64).reshape(-1, 4)
            height, width = pred.shape
            self.results.append(
                dict(gt_boxes=gt, dets=dets, width=width, height=height))

    def compute_metrics(self, results):
        """Score all images at once with ``COCOeval``.

        Returns:
            dict[str, float]: ``box_AP``, ``box_AP50``, ``box_AP75``,
            ``box_AR`` and ``box_R50`` in percent.
        """
        names = ('box_AP', 'box_AP50', 'box_AP75', 'box_AR', 'box_R50')
        gt, dt = _to_coco(results, self.max_dets)
        if not gt['annotations']:
            # COCOeval cannot summarise without ground truth
            print_log(
                f'{type(self).__name__}: the evaluated images hold no gas '
                'box; box metrics are NaN', logger='current', level=30)
            return {k: float('nan') for k in names}
        with contextlib.redirect_stdout(io.StringIO()) as log:
            coco_gt, coco_dt = COCO(), COCO()
            coco_gt.dataset, coco_dt.dataset = gt, dt
            coco_gt.createIndex()
            coco_dt.createIndex()
            evaluator = COCOeval(coco_gt, coco_dt, iouType='bbox')
            evaluator.params.maxDets = [1, 10, self.max_dets]
            evaluator.evaluate()
            evaluator.accumulate()
            evaluator.summarize()
        summary = [
            line for line in log.getvalue().splitlines()
            if line.lstrip().startswith('Average')
        ]
        print_log(
            'COCOeval of the predicted gas regions:\n' + '\n'.join(summary),
            logger='current')
        stats = evaluator.stats
        # recall[iou, category, area range 'all', maxDets = max_dets]
        recall50 = evaluator.eval['recall'][0, 0, 0, -1]
        values = OrderedDict(
            zip(names, (stats[0], stats[1], stats[2], stats[8], recall50)))
        return {k: round(float(v) * 100, 2) for k, v in values.items()}


def _to_coco(results, max_dets):
    """COCO ground-truth and detection dicts of the processed images.

    Ids start at 1: COCOeval marks matches by the matched annotation id,
    so an id of 0 would count as unmatched.
    """
    category = [dict(id=1, name='gas')]
    images, gts, dets = [], [], []
    for image_id, res in enumerate(results, 1):
        images.append(
            dict(id=image_id, width=res['width'], height=res['height']))
        for x1, y1, x2, y2 in res['gt_boxes']:
            w, h = x2 - x1, y2 - y1
            gts.append(
                dict(id=len(gts) + 1, image_id=image_id, category_id=1,
                     bbox=[x1, y1, w, h], area=w * h, iscrowd=0))
        order = np.argsort(-res['dets'][:, 4], kind='stable')[:max_dets]
        for x, y, w, h, score in res['dets'][order]:
            dets.append(
                dict(id=len(dets) + 1, image_id=image_id, category_id=1,
                     bbox=[x, y, w, h], area=w * h, score=score,
                     iscrowd=0))
    gt = dict(images=images, categories=category, annotations=gts)
    dt = dict(images=images, categories=category, annotations=dets)
    return gt, dt

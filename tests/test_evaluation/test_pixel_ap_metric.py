"""PixelAPMetric: the AP and per-image arithmetic, and one evaluator pass.
"""
import numpy as np
import pytest
import torch

from mmgas.evaluation import PixelAPMetric, image_found, pixel_ap


def test_pixel_ap_arithmetic():
    # perfectly separated: positives in the top bins only
    pos = np.array([0, 0, 0, 5, 5], dtype=float)
    neg = np.array([7, 3, 0, 0, 0], dtype=float)
    ap, iou, threshold = pixel_ap(pos, neg)
    assert ap == 1.0 and iou == 1.0
    assert threshold == 0.6  # bins 3 and 4 of 5: p >= 0.6
    # uninformative: same distribution for both, AP = positive share
    pos = np.full(10, 1.0)
    neg = np.full(10, 9.0)
    ap, iou, _ = pixel_ap(pos, neg)
    assert abs(ap - 0.1) < 1e-9
    assert abs(iou - 0.1) < 1e-9  # best: predict everything positive


def test_image_found():
    label = np.zeros((4, 5), dtype=np.uint8)
    label[0, :] = 1  # 5 gas pixels
    label[3, 4] = 255
    pred = np.zeros_like(label)
    assert image_found(pred, label, 1, 255, 0.1) == (True, False)
    pred[0, 0] = 1  # 1 of 5 found
    assert image_found(pred, label, 1, 255, 0.2) == (True, True)
    assert image_found(pred, label, 1, 255, 0.21) == (True, False)
    # no gas: a prediction on an ignored pixel is not a false alarm
    empty = np.where(label == 255, 255, 0).astype(np.uint8)
    pred = np.zeros_like(label)
    pred[3, 4] = 1
    assert image_found(pred, empty, 1, 255, 0.1) == (False, False)
    pred[2, 2] = 1
    assert image_found(pred, empty, 1, 255, 0.1) == (False, True)


def test_metric_in_an_evaluator_pass():
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample

    def sample(gas_logit, label, pred):
        s = SegDataSample()
        logits = torch.stack([torch.zeros_like(gas_logit), gas_logit])
        s.seg_logits = PixelData(data=logits)
        s.gt_sem_seg = PixelData(data=label[None])
        s.pred_sem_seg = PixelData(data=pred[None])
        return s.to_dict()

    label = torch.zeros(4, 4, dtype=torch.long)
    label[:2] = 1
    ranked = torch.where(label == 1, 1.0, -1.0)  # gas scored higher
    metric = PixelAPMetric(bins=100)
    metric.dataset_meta = dict(classes=('background', 'gas'))
    metric.process(None, [
        sample(ranked, label, label),
        sample(-torch.ones(4, 4), torch.zeros_like(label),
               torch.zeros_like(label))
    ])
    scores = metric.evaluate(2)
    assert scores['pixel/ap'] == pytest.approx(100.0)
    assert scores['pixel/chance'] == pytest.approx(25.0)
    assert scores['pixel/best_iou'] == pytest.approx(100.0)
    assert (scores['pixel/images_with'], scores['pixel/images_found'],
            scores['pixel/images_without'],
            scores['pixel/images_false']) == (1, 1, 1, 0)
    with pytest.raises(ValueError, match='min_found'):
        PixelAPMetric(min_found=0)

"""BoxAPMetric: predicted gas regions -> boxes scored by their mean gas
probability -> COCO AP/recall (pycocotools) against the ground-truth
boxes."""
import math

import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

import mmgas  # noqa: F401
from mmgas.evaluation import BoxAPMetric, mask_to_detections
from mmgas.evaluation.metrics import box_metric
from mmseg.registry import METRICS

H, W = 40, 60


def sample(prob, gt_boxes, channels=2):
    """A data sample as a segmentor returns it, for a gas probability map:
    logits whose softmax (or, for one channel, the map itself) is ``prob``
    and the prediction ``prob > 0.5``."""
    prob = torch.as_tensor(prob, dtype=torch.float32)
    if channels == 2:
        logits = torch.stack(
            [torch.zeros_like(prob), torch.logit(prob, eps=1e-6)])
    else:
        logits = prob[None]  # mmseg stores sigmoid outputs for 1 channel
    ds = SegDataSample(metainfo=dict(
        img_path='x.png', ori_shape=(H, W),
        gt_boxes=np.asarray(gt_boxes, np.float32).reshape(-1, 4)))
    ds.seg_logits = PixelData(data=logits)
    ds.pred_sem_seg = PixelData(data=(prob > 0.5).long()[None])
    return ds.to_dict()


def prob_map(*regions):
    """Probability map with rectangles ``(x1, y1, x2, y2, p)``."""
    prob = np.full((H, W), 0.05, np.float32)
    for x1, y1, x2, y2, p in regions:
        prob[y1:y2, x1:x2] = p
    return prob


def evaluate(samples, **kwargs):
    metric = METRICS.build(dict(type='BoxAPMetric', **kwargs))
    metric.process(None, samples)
    return metric.evaluate(len(samples))


def test_detections_are_region_boxes_scored_by_mean_probability():
    prob = prob_map((2, 3, 12, 8, 0.9), (30, 10, 40, 30, 0.7))
    prob[5, 5] = 0.6  # the first region's mean drops a little
    dets = mask_to_detections(prob > 0.5, prob, min_area=1)
    np.testing.assert_allclose(dets[:, :4], [[2, 3, 10, 5], [30, 10, 10, 20]])
    np.testing.assert_allclose(dets[:, 4], [(49 * 0.9 + 0.6) / 50, 0.7],
                               rtol=1e-6)
    # regions under min_area are not detections
    assert len(mask_to_detections(prob > 0.5, prob, min_area=60)) == 1


def test_perfect_prediction_scores_100():
    prob = prob_map((2, 3, 12, 8, 0.9), (30, 10, 40, 30, 0.8))
    result = evaluate([sample(prob, [[2, 3, 12, 8], [30, 10, 40, 30]])])
    assert set(result) == {
        'box_AP', 'box_AP50', 'box_AP75', 'box_AR', 'box_R50'
    }
    assert all(v == 100.0 for v in result.values()), result


@pytest.mark.parametrize('p_true, p_false, ap50', [(0.6, 0.9, 50.0),
                                                   (0.9, 0.6, 100.0)])
def test_ranking_follows_mean_gas_probability(p_true, p_false, ap50):
    # one true region on the gas box, one false alarm: the AP depends on
    # which of the two the scores rank first
    prob = prob_map((5, 5, 25, 20, p_true), (40, 25, 55, 35, p_false))
    result = evaluate([sample(prob, [[5, 5, 25, 20]])])
    assert result['box_AP50'] == ap50
    assert result['box_R50'] == 100.0


def test_missed_and_loose_boxes_lower_recall_and_strict_ap():
    # box 1 found by a loose region (IoU 320 / 500 = 0.64), box 2 missed
    gt = [[0, 0, 20, 25], [40, 20, 60, 40]]
    prob = prob_map((0, 0, 20, 16, 0.9))
    result = evaluate([sample(prob, gt)])
    assert result['box_R50'] == 50.0
    # COCO interpolates precision at 101 recall points: precision 1 up to
    # recall 0.5 covers 51 of them
    assert result['box_AP50'] == round(100 * 51 / 101, 2)
    assert result['box_AP75'] == 0.0
    # AR averages the recall over IoU 0.50:0.05:0.95; 0.64 passes 3 of 10
    assert result['box_AR'] == pytest.approx(100 * 0.5 * 3 / 10, abs=0.01)


def test_one_channel_heads_and_images_without_gas():
    prob = prob_map((5, 5, 25, 20, 0.8))
    empty = prob_map()
    result = evaluate([sample(prob, [[5, 5, 25, 20]], channels=1),
                       sample(empty, [])])
    assert result['box_AP50'] == 100.0
    # no prediction at all: AP 0, not an error
    assert evaluate([sample(empty, [[5, 5, 25, 20]])])['box_AP'] == 0.0
    # no gas box anywhere: undefined
    assert all(math.isnan(v) for v in evaluate([sample(prob, [])]).values())
    # no image at all (an empty split): undefined, not a COCOeval error
    assert all(math.isnan(v) for v in evaluate([]).values())


def test_max_dets_keeps_the_best_scored_regions():
    regions = [(4 * i, 0, 4 * i + 3, 6, 0.6) for i in range(5)]
    regions.append((0, 20, 20, 40, 0.95))
    prob = prob_map(*regions)
    result = evaluate([sample(prob, [[0, 20, 20, 40]])], max_dets=1,
                      min_area=1)
    assert result['box_AP50'] == 100.0


def test_clear_errors_for_missing_inputs(monkeypatch):
    prob = prob_map((5, 5, 25, 20, 0.8))
    no_boxes = sample(prob, [])
    no_boxes.pop('gt_boxes')
    with pytest.raises(ValueError, match="'gt_boxes' to PackSegInputs"):
        evaluate([no_boxes])
    no_logits = sample(prob, [])
    no_logits.pop('seg_logits')
    with pytest.raises(ValueError, match='seg_logits'):
        evaluate([no_logits])
    monkeypatch.setattr(box_metric, 'COCOeval', None)
    with pytest.raises(ImportError, match='pip install pycocotools=='):
        BoxAPMetric()

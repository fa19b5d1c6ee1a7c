"""RegionErrorMetric: the split of a gas IoU's errors by region and one
evaluator pass."""
import numpy as np
import pytest
import torch

from mmgas.evaluation import RegionErrorMetric, region_errors


def _two_plumes():
    label = np.zeros((40, 60), np.uint8)
    label[5:15, 5:15] = 1  # plume A, 100 px
    label[25:35, 40:50] = 1  # plume B, 100 px
    label[0, 59] = 255
    return label


def test_region_errors_split():
    label = _two_plumes()
    pred = np.zeros_like(label)
    # half of A (50 px, 50 short) and 20 px beyond it: long extent
    pred[5:15, 10:17] = 1
    pred[30:36, 0:5] = 1  # 30 px on empty ground: a false region
    pred[0, 59] = 1  # ignored
    counts, areas, found = region_errors(pred, label, min_found=0.1)
    assert counts == dict(tp=50, fp=50, fn=150, fn_missed=100, fp_false=30)
    assert found.tolist() == [True, False]
    assert areas.tolist() == [100, 100]
    # a stricter finding rule turns A into a missed region too
    counts, _, _ = region_errors(pred, label, min_found=0.6)
    assert counts['fn_missed'] == 150


def test_metric_in_an_evaluator_pass():
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample

    label = _two_plumes()
    label[30:32, 2:4] = 1  # plume C, 4 px
    pred = np.zeros_like(label)
    pred[5:15, 5:15] = 1  # A exactly
    pred[20:22, 20:30] = 1  # 20 px false region
    sample = SegDataSample()
    sample.gt_sem_seg = PixelData(data=torch.from_numpy(label)[None])
    sample.pred_sem_seg = PixelData(data=torch.from_numpy(pred)[None])
    metric = RegionErrorMetric(area_edges=(10, ))
    metric.dataset_meta = dict(classes=('background', 'gas'))
    metric.process(None, [sample.to_dict()])
    scores = metric.evaluate(1)
    # TP 100, FP 20 (all false regions), FN 104 (all missed)
    assert scores['region/iou'] == pytest.approx(100 * 100 / 224)
    assert scores['region/iou_no_missed'] == pytest.approx(100 * 100 / 120)
    assert scores['region/iou_no_false'] == pytest.approx(100 * 100 / 204)
    assert scores['region/iou_no_short'] == pytest.approx(
        scores['region/iou'])
    assert scores['region/share_fn_missed'] == pytest.approx(
        100 * 104 / 124)
    assert scores['region/share_fp_false'] == pytest.approx(100 * 20 / 124)
    assert (scores['region/regions'], scores['region/regions_found']) == (3,
                                                                          1)
    assert (scores['region/area_0-10_regions'],
            scores['region/area_0-10_found']) == (1, 0)
    assert (scores['region/area_10-inf_regions'],
            scores['region/area_10-inf_found']) == (2, 1)
    with pytest.raises(ValueError, match='min_found'):
        RegionErrorMetric(min_found=0)
    with pytest.raises(ValueError, match='increasing'):
        RegionErrorMetric(area_edges=(800, 50))

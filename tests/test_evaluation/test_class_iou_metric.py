import math

import pytest
import torch

from mmgas.evaluation import ClassIoUMetric, describe_gas_iou


def _result(intersection, union, predicted, labelled):
    return tuple(
        torch.tensor(v, dtype=torch.float64)
        for v in (intersection, union, predicted, labelled))


def _metric():
    metric = ClassIoUMetric(iou_metrics=['mIoU', 'mFscore'])
    metric.dataset_meta = dict(classes=('background', 'gas'))
    return metric


def test_gas_scores_are_returned_beside_the_means():
    # two images: gas 30 of 40 labelled px found, 20 false px
    results = [
        _result([900, 20], [930, 40], [910, 30], [920, 30]),
        _result([950, 10], [965, 20], [955, 20], [960, 10]),
    ]
    metrics = _metric().compute_metrics(results)
    assert metrics['IoU.gas'] == pytest.approx(100 * 30 / 60, abs=0.01)
    assert metrics['Precision.gas'] == pytest.approx(100 * 30 / 50, abs=0.01)
    assert metrics['Recall.gas'] == pytest.approx(100 * 30 / 40, abs=0.01)
    assert metrics['F1.gas'] == pytest.approx(100 * 60 / 90, abs=0.01)
    assert metrics['IoU.background'] == pytest.approx(
        100 * 1850 / 1895, abs=0.01)
    # mmseg's means are still there and agree with the classes
    assert metrics['mIoU'] == pytest.approx(
        (metrics['IoU.gas'] + metrics['IoU.background']) / 2, abs=0.02)


def test_all_background_model_scores_zero_gas_not_nan():
    """mmseg's mFscore is the background's alone here (about 98): the gas
    scores say what the means hide."""
    results = [_result([960, 0], [1000, 40], [1000, 0], [960, 40])]
    metrics = _metric().compute_metrics(results)
    assert metrics['IoU.gas'] == 0.0
    assert metrics['Precision.gas'] == 0.0
    assert metrics['F1.gas'] == 0.0
    assert metrics['mFscore'] > 95


def test_a_class_neither_labelled_nor_predicted_is_nan():
    results = [_result([1000, 0], [1000, 0], [1000, 0], [1000, 0])]
    metrics = _metric().compute_metrics(results)
    assert math.isnan(metrics['IoU.gas'])
    assert 'undefined' in describe_gas_iou(metrics['IoU.gas'])


@pytest.mark.parametrize('iou,word', [(80.0, 'closely'), (55.0, 'most'),
                                      (35.0, 'clear plumes'),
                                      (10.0, 'not yet')])
def test_describe_gas_iou_bands(iou, word):
    line = describe_gas_iou(iou)
    assert line.startswith(f'gas IoU {iou:.2f}') and word in line

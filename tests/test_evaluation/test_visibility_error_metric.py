"""VisibilityErrorMetric: wrong gas pixels split by the gas the frame shows
there, on frames re-rendered from a generated set."""
import json
import shutil

import cv2
import numpy as np
import pytest
import torch

from mmgas.datasets.synthetic import generate_dataset, rerender_image
from mmgas.evaluation import VisibilityErrorMetric, visibility_errors
from mmgas.evaluation.metrics import split_item


def test_visibility_errors_counts_by_contrast():
    label = np.array([[1, 1, 0, 0, 0, 255]])
    pred = np.array([[1, 0, 1, 1, 1, 1]])
    contrast = np.array([[3.0, 2.5, 2.5, 0.5, 0.01, 3.0]])
    counts = visibility_errors(pred, label, contrast, threshold=2.0,
                               grey_level=0.1)
    assert counts == dict(
        tp=1, fp=3, fn=1, fp_visible=1, fp_faint=1, fn_visible=1,
        fn_faint=0, labelled=2, labelled_visible=2, visible_unlabelled=1,
        predicted_visible_unlabelled=1)


def test_split_item_parses_generated_layout():
    assert split_item('/d/set/img_dir/heldout/heldout_000012.png') == (
        '/d/set', 'heldout', 12)
    with pytest.raises(ValueError, match='not an image of a generated'):
        split_item('/d/set/img_dir/test/000012.png')
    with pytest.raises(ValueError, match='not an image of a generated'):
        split_item('/d/set/img_dir/val/test_000012.png')


@pytest.fixture(scope='module')
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp('vis') / 'syn'
    generate_dataset(str(root), num_train=0, num_val=0, num_test=3,
                     size=(96, 72), workers=1, log=lambda *a: None)
    return root


def _sample(root, index, pred):
    path = root / 'img_dir' / 'test' / f'test_{index:06d}.png'
    frame = rerender_image(str(root), 'test', index)
    label = torch.from_numpy(frame['mask'].astype(np.int64))[None]
    return dict(img_path=str(path), gt_sem_seg=dict(data=label),
                pred_sem_seg=dict(data=pred(label)))


def test_metric_on_a_generated_set(generated):
    perfect = VisibilityErrorMetric()
    everything = VisibilityErrorMetric()
    for i in range(3):
        perfect.process(None, [_sample(generated, i, lambda y: y.clone())])
        everything.process(
            None, [_sample(generated, i, lambda y: torch.ones_like(y))])
    scores = perfect.compute_metrics(perfect.results)
    assert scores['fp_visible'] == scores['fn_visible'] == 0
    # marking every pixel: each false positive lies on visible, faint or no
    # gas, and the unlabelled visible gas is all predicted
    scores = everything.compute_metrics(everything.results)
    assert scores['iou'] < 100
    assert scores['fp_visible'] + scores['fp_faint'] + scores[
        'fp_no_gas'] == pytest.approx(100)
    assert scores['fp_no_gas'] > 50
    assert scores['predicted_visible_unlabelled'] in (0, 100)
    assert scores['fn_visible'] == scores['fn_faint'] == 0


def test_rerender_refuses_edited_or_foreign_sets(generated, tmp_path):
    with pytest.raises(ValueError, match='no image 3'):
        rerender_image(str(generated), 'test', 3)
    with pytest.raises(FileNotFoundError, match='manifest.json not found'):
        rerender_image(str(tmp_path), 'test', 0)
    edited = tmp_path / 'edited'
    shutil.copytree(generated, edited)
    path = edited / 'img_dir' / 'test' / 'test_000001.png'
    img = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    cv2.imwrite(str(path), 255 - img)
    with pytest.raises(ValueError, match='differs from its re-rendering'):
        rerender_image(str(edited), 'test', 1)
    manifest = json.loads((edited / 'manifest.json').read_text())
    manifest['params']['generator_version'] = '0.9'
    (edited / 'manifest.json').write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match='written by generator 0.9'):
        rerender_image(str(edited), 'test', 0)
    metric = VisibilityErrorMetric()
    with pytest.raises(ValueError, match='no images were scored'):
        metric.compute_metrics(metric.results)

"""tools/analysis_tools/pixel_ap.py: the AP and per-image arithmetic and
one CLI run."""
import re

import numpy as np
import torch

from ..helpers import REPO_ROOT, load_tool, run_tool

TOOL = REPO_ROOT / 'tools' / 'analysis_tools' / 'pixel_ap.py'


def _load_tool():
    return load_tool(TOOL)


def test_pixel_ap_arithmetic():
    pixel_ap = _load_tool().pixel_ap
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
    image_found = _load_tool().image_found
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


def test_pixel_ap_cli(tiny_dataset, tmp_path):
    config = REPO_ROOT / 'configs' / 'gasvit' / \
        'gasvit-xs_mlphead_1xb8-1k_synthetic-256x192.py'
    from mmengine.registry import init_default_scope

    from mmgas.utils import load_config
    from mmseg.registry import MODELS
    init_default_scope('mmseg')
    model = MODELS.build(load_config(str(config)).model)
    ckpt = tmp_path / 'random.pth'
    torch.save({'state_dict': model.state_dict()}, ckpt)
    result = run_tool([
        TOOL, config, ckpt, '--cfg-options',
        f'test_dataloader.dataset.data_root={tiny_dataset}',
        'test_dataloader.dataset.data_prefix.img_path=img_dir/val',
        'test_dataloader.dataset.data_prefix.seg_map_path=ann_dir/val'
    ])
    line, images = result.stdout.strip().splitlines()[-2:]
    match = re.match(
        r'2 images, class 1 \(gas\): pixel AP (\d+\.\d+) '
        r'\(chance (\d+\.\d+)\), best IoU (\d+\.\d+) at p >= (\d\.\d+)',
        line)
    assert match, line
    ap, chance, iou = (float(match.group(i)) for i in (1, 2, 3))
    assert 0 < chance < 100 and 0 <= ap <= 100 and 0 <= iou <= 100
    match = re.match(
        r'images with gas: (\d+), found \(>= 0.1 of its pixels\) in (\d+); '
        r'images without: (\d+), gas predicted in (\d+)$', images)
    assert match, images
    with_gas, found, without, alarms = map(int, match.groups())
    assert with_gas + without == 2
    assert found <= with_gas and alarms <= without


def test_pixel_ap_rejects_min_found_out_of_range():
    result = run_tool([TOOL, 'c.py', 'k.pth', '--min-found', '0'],
                      check=False)
    assert result.returncode == 2
    assert '--min-found must be in (0, 1]' in result.stderr

"""tools/analysis_tools/pixel_ap.py: one CLI run and its argument check (the
metric itself: tests/test_evaluation/test_pixel_ap_metric.py)."""
import re

from ..helpers import REPO_ROOT, run_tool, save_random_checkpoint

TOOL = REPO_ROOT / 'tools' / 'analysis_tools' / 'pixel_ap.py'


def test_pixel_ap_cli(tiny_dataset, tmp_path):
    config = REPO_ROOT / 'configs' / 'gasvit' / \
        'gasvit-xs_mlphead_1xb8-1k_synthetic-256x192.py'
    ckpt = save_random_checkpoint(config, tmp_path / 'random.pth')
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

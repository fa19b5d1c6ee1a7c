"""tools/analysis_tools/region_errors.py: one CLI run and its argument check
(the metric itself: tests/test_evaluation/test_region_error_metric.py)."""
import re

from ..helpers import REPO_ROOT, run_tool, save_random_checkpoint

TOOL = REPO_ROOT / 'tools' / 'analysis_tools' / 'region_errors.py'


def test_region_errors_cli(tiny_dataset, tmp_path):
    config = REPO_ROOT / 'configs' / 'gasseg' / \
        'gasseg-s_1xb8-4k_synthetic-256x192.py'
    ckpt = save_random_checkpoint(config, tmp_path / 'random.pth')
    result = run_tool([
        TOOL, config, ckpt, '--cfg-options',
        f'test_dataloader.dataset.data_root={tiny_dataset}',
        'test_dataloader.dataset.data_prefix.img_path=img_dir/val',
        'test_dataloader.dataset.data_prefix.seg_map_path=ann_dir/val'
    ])
    lines = result.stdout.strip().splitlines()
    head = next(i for i, line in enumerate(lines)
                if line.startswith('2 images, gas IoU'))
    shares = re.findall(r'(\d+\.\d) %', lines[head])
    assert len(shares) == 4
    # the four kinds of wrong pixels add up to all of them (or none)
    assert abs(sum(map(float, shares)) - 100) < 0.3 or not any(
        float(s) for s in shares)
    assert lines[head + 1].startswith('gas IoU without missed regions')
    match = re.match(r'labelled regions found: (\d+) of (\d+); by area',
                     lines[head + 2])
    assert match, lines[head + 2]
    found, total = map(int, match.groups())
    bins = [re.search(r'(\d+) of +(\d+) found', line).groups()
            for line in lines[head + 3:]]
    assert len(bins) == 5
    assert sum(int(t) for _, t in bins) == total
    assert sum(int(f) for f, _ in bins) == found <= total


def test_region_errors_rejects_min_found_out_of_range():
    result = run_tool([TOOL, 'c.py', 'k.pth', '--min-found', '1.5'],
                      check=False)
    assert result.returncode == 2
    assert '--min-found must be in (0, 1]' in result.stderr

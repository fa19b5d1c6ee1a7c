"""tools/analysis_tools/error_sources.py: one CLI run on a generated set and
its refusal of a set the generator did not write (the metric itself:
tests/test_evaluation/test_visibility_error_metric.py)."""
import re

import pytest

from ..helpers import REPO_ROOT, run_tool, save_random_checkpoint

TOOL = REPO_ROOT / 'tools' / 'analysis_tools' / 'error_sources.py'
CONFIG = REPO_ROOT / 'configs' / 'gasseg' / \
    'gasseg-s_1xb8-4k_synthetic-256x192.py'


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    return save_random_checkpoint(
        CONFIG, tmp_path_factory.mktemp('ckpt') / 'random.pth')


def _run(root, checkpoint):
    return run_tool([
        TOOL, CONFIG, checkpoint, '--cfg-options',
        f'test_dataloader.dataset.data_root={root}',
        'test_dataloader.dataset.data_prefix.img_path=img_dir/test',
        'test_dataloader.dataset.data_prefix.seg_map_path=ann_dir/test'
    ])


def test_error_sources_cli(tmp_path, checkpoint):
    from mmgas.datasets.synthetic import generate_dataset
    root = tmp_path / 'syn'
    generate_dataset(str(root), num_train=0, num_val=0, num_test=2,
                     size=(96, 72), workers=1, log=lambda *a: None)
    lines = _run(root, checkpoint).stdout.strip().splitlines()
    head = next(i for i, line in enumerate(lines)
                if line.startswith('2 images, gas IoU'))
    fp = [float(x) for x in re.findall(r'(\d+\.\d) %', lines[head + 1])]
    assert len(fp) == 3
    # every false positive lies on visible, fainter or no gas (or none is)
    assert abs(sum(fp) - 100) < 0.2 or not any(fp)
    assert lines[head + 2].startswith('false negatives on gas visible')
    assert lines[head + 3].startswith('labelled pixels visible per pixel')


def test_error_sources_refuses_a_set_without_manifest(tiny_dataset,
                                                      checkpoint):
    result = run_tool([
        TOOL, CONFIG, checkpoint, '--cfg-options',
        f'test_dataloader.dataset.data_root={tiny_dataset}',
        'test_dataloader.dataset.data_prefix.img_path=img_dir/val',
        'test_dataloader.dataset.data_prefix.seg_map_path=ann_dir/val'
    ], check=False)
    assert result.returncode != 0
    assert 'not an image of a generated synthetic set' in result.stderr

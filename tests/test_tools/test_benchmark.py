"""tools/analysis_tools/benchmark.py on a test set smaller than warm-up +
log interval: every rate is a positive number, never nan."""
import json
import re

import pytest
import torch

from ..helpers import REPO_ROOT, run_tool, write_tiny_gas_dataset

pytestmark = pytest.mark.slow

BENCHMARK = REPO_ROOT / 'tools' / 'analysis_tools' / 'benchmark.py'
TINY = REPO_ROOT / 'tests' / 'data' / 'tiny_segmentor.py'


def _checkpoint(path):
    import mmgas  # noqa: F401
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS
    init_default_scope('mmseg')
    model = MODELS.build(Config.fromfile(str(TINY)).model)
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, path)
    return path


def test_benchmark_small_test_set_gives_numbers(tmp_path):
    # 2 test images; 5 warm-up + 12 timed steps cycle through them 8 times
    data_root = write_tiny_gas_dataset(tmp_path / 'tiny',
                                       splits=(('val', 2), ))
    log_dir = tmp_path / 'logs'
    result = run_tool([
        BENCHMARK, TINY,
        _checkpoint(tmp_path / 'tiny.pth'), '--num-warmup', '5',
        '--num-iters', '12', '--log-interval', '4', '--repeat-times', '2',
        '--threads', '1', '--device', 'cpu', '--log-dir', log_dir,
        '--cfg-options', f'test_dataloader.dataset.data_root={data_root}'
    ])
    out = result.stdout
    assert 'nan' not in out.lower(), out
    running = re.findall(r'Done image \[(\d+)\s*/12\], fps: ([\d.]+)', out)
    assert [int(n) for n, _ in running] == [4, 8, 12] * 2
    overall = [
        float(v) for v in re.findall(r'Overall fps: ([\d.]+) img / s', out)
    ]
    assert len(overall) == 2 and all(v > 0 for v in overall)
    average = float(
        re.search(r'Average fps of 2 evaluations: ([\d.]+)', out).group(1))
    assert min(overall) - 0.01 <= average <= max(overall) + 0.01

    (record, ) = log_dir.glob('benchmark_*.json')
    saved = json.loads(record.read_text())
    assert saved['num_iters'] == 12 and len(saved['runs']) == 2
    assert saved['average_fps'] == sum(
        run['fps'] for run in saved['runs']) / 2
    for run in saved['runs']:
        assert 0 < run['latency_ms_q1'] <= run['latency_ms_median'] <= run[
            'latency_ms_q3']


def test_benchmark_missing_checkpoint_names_it(tmp_path):
    result = run_tool([BENCHMARK, TINY, tmp_path / 'nope.pth'], check=False)
    assert result.returncode != 0
    assert 'checkpoint not found' in result.stderr
    assert 'nope.pth' in result.stderr

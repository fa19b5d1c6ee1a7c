"""tools/analysis_tools/compare.py on two small models (a tiny ResNet FCN
and GasSeg-S) at a small input: the Markdown table, CSV and plot exist and
hold consistent numbers, with and without checkpoints (no timing claims)."""
import csv
import re

import pytest
import torch

from ..helpers import REPO_ROOT, run_tool, write_tiny_gas_dataset

pytestmark = pytest.mark.slow

COMPARE = REPO_ROOT / 'tools' / 'analysis_tools' / 'compare.py'
TINY = REPO_ROOT / 'tests' / 'data' / 'tiny_segmentor.py'
GASSEG_S = (REPO_ROOT / 'configs' / 'gasseg' /
            'gasseg-s_1xb8-4k_synthetic-256x192.py')
CONFIGS = (TINY, GASSEG_S)
NAMES = ['tiny_segmentor', 'gasseg-s_1xb8-4k_synthetic-256x192']
FAST = ['--shape', '64', '96', '--threads', '1', '--rounds', '3',
        '--warmup', '1', '--batch', '2']


def _build(config, seed=0):
    import mmgas  # noqa: F401
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS
    init_default_scope('mmseg')
    torch.manual_seed(seed)
    model = MODELS.build(Config.fromfile(str(config)).model)
    model.init_weights()
    return model


def _read(out_dir):
    with open(out_dir / 'compare.csv', newline='') as f:
        rows = list(csv.DictReader(f))
    return rows, (out_dir / 'compare.md').read_text()


def _check_common(rows, table, out_dir):
    assert [row['model'] for row in rows] == NAMES
    for row, config in zip(rows, CONFIGS):
        assert int(row['params']) == sum(
            p.numel() for p in _build(config).parameters())
        assert 0 < int(row['inference_params']) <= int(row['params'])
        assert int(row['flops']) > 0 and int(row['activations']) > 0
        q1, median, q3 = (float(row[f'torch_ms_{k}'])
                          for k in ('q1', 'median', 'q3'))
        assert 0 < q1 <= median <= q3
        assert float(row['throughput_img_s']) > 0
        assert float(row['peak_memory_mib']) > 0
        assert (f"| {row['model']} | {int(row['params']) / 1e6:.3f} / "
                f"{int(row['inference_params']) / 1e6:.3f} |") in table
    # the tiny FCN uses all its weights; GasSeg-S's boundary head trains only
    assert rows[0]['inference_params'] == rows[0]['params']
    assert int(rows[1]['inference_params']) < int(rows[1]['params'])
    # GasSeg-S is the larger network on every count
    assert int(rows[1]['flops']) > int(rows[0]['flops'])
    assert float(rows[1]['peak_memory_mib']) > float(
        rows[0]['peak_memory_mib'])
    assert 'GFLOPs @64x96' in table and '; 1 thread (' in table
    png = (out_dir / 'compare.png').read_bytes()
    assert png[:8] == b'\x89PNG\r\n\x1a\n' and len(png) > 10000


def test_compare_without_checkpoints(tmp_path):
    out_dir = tmp_path / 'out'
    result = run_tool(
        [COMPARE, *CONFIGS, *FAST, '--out-dir', out_dir], timeout=300)
    rows, table = _read(out_dir)
    _check_common(rows, table, out_dir)
    for row in rows:
        q1, median, q3 = (float(row[f'ort_ms_{k}'])
                          for k in ('q1', 'median', 'q3'))
        assert 0 < q1 <= median <= q3
        # the exported network computes what PyTorch computes, to float32
        # rounding of ORT's fused kernels: 1.7e-5 to 1.3e-4 of the largest
        # logit for GasSeg-S's raw-input logits over random initialisations
        assert float(row['ort_rel_diff']) < 1e-3
        assert row['mIoU'] == row['mF1'] == row['gas_IoU'] == ''
        assert row['gas_F1'] == ''
    assert table in result.stdout


def test_compare_deploy_runtime_shuffled(tmp_path):
    """What benchmark_gasseg.py did: eager, deployed and onnxruntime, in a
    new order every round; the deployed GasSeg computes the same logits,
    the tiny FCN has no deploy mode."""
    out_dir = tmp_path / 'out'
    result = run_tool([
        COMPARE, *CONFIGS, *FAST, '--runtimes', 'deploy', 'onnxruntime',
        '--shuffle', '--out-dir', out_dir
    ], timeout=300)
    rows, table = _read(out_dir)
    assert 'no switch_to_deploy()' in result.stdout
    assert rows[0]['deploy_ms_median'] == rows[0]['deploy_rel_diff'] == ''
    q1, median, q3 = (float(rows[1][f'deploy_ms_{k}'])
                      for k in ('q1', 'median', 'q3'))
    assert 0 < q1 <= median <= q3
    assert float(rows[1]['deploy_rel_diff']) < 1e-3
    assert float(rows[1]['ort_rel_diff']) < 1e-3
    assert 'PyTorch deploy ms, median (IQR)' in table
    assert '(shuffled)' in table and 'pytorch, deploy, onnxruntime' in table


def test_compare_end_to_end_scope(tmp_path):
    """--scope end2end times the inference path of tools/infer.py (a frame
    to its gas mask): slower than the network alone, in every runtime."""
    times = {}
    for scope in ('network', 'end2end'):
        out_dir = tmp_path / scope
        run_tool([
            COMPARE, GASSEG_S, *FAST, '--runtimes', 'deploy', 'onnxruntime',
            '--scope', scope, '--out-dir', out_dir
        ], timeout=300)
        rows, table = _read(out_dir)
        times[scope] = {
            key: float(rows[0][f'{key}_ms_median'])
            for key in ('torch', 'deploy', 'ort')
        }
        assert ('end to end' in table) == (scope == 'end2end')
    for key in ('torch', 'deploy', 'ort'):
        assert times['end2end'][key] > 0 and times['network'][key] > 0


@pytest.fixture
def checkpoints(tmp_path):
    paths = []
    for i, config in enumerate(CONFIGS):
        path = tmp_path / f'model{i}.pth'
        torch.save({'state_dict': _build(config, seed=i).state_dict(),
                    'meta': {}}, path)
        paths.append(path)
    return paths


def test_compare_with_checkpoints_matches_test_py(tmp_path, checkpoints):
    data_root = write_tiny_gas_dataset(
        tmp_path / 'tiny', splits=(('val', 2), ('test', 2)))
    # tiny_segmentor tests on val, the GasSeg config on test
    options = [
        '--cfg-options', f'test_dataloader.dataset.data_root={data_root}',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'
    ]
    out_dir = tmp_path / 'out'
    run_tool([
        COMPARE, *CONFIGS, '--checkpoints', *checkpoints, *FAST, '--no-onnx',
        '--out-dir', out_dir, *options
    ], timeout=300)
    rows, table = _read(out_dir)
    _check_common(rows, table, out_dir)
    for row in rows:
        assert row['ort_ms_median'] == ''
        for key in ('mIoU', 'mF1', 'gas_IoU', 'gas_F1'):
            assert 0 <= float(row[key]) <= 100, (key, row[key])
        # mIoU averages background and gas IoU (each in [0, 100], rounded
        # to 0.01 by mmseg)
        gas_iou = float(row['gas_IoU'])
        # over the same areas F1 = 2 IoU / (1 + IoU), also when no gas is
        # predicted (both 0), where mmseg's per-class Fscore is nan
        assert float(row['gas_F1']) == pytest.approx(
            200 * gas_iou / (100 + gas_iou), abs=0.02)
        assert gas_iou / 2 - 0.01 <= float(row['mIoU']) <= (
            gas_iou + 100) / 2 + 0.01

    # the same checkpoint through mmengine's Runner (tools/test.py)
    result = run_tool([
        REPO_ROOT / 'tools' / 'test.py', TINY, checkpoints[0], '--work-dir',
        tmp_path / 'test_py', *options
    ], timeout=300)
    summary = result.stdout.strip().splitlines()[-1]
    for key, column in (('mIoU', 'mIoU'), ('mFscore', 'mF1')):
        expected = float(re.search(rf'\b{key}: ([\d.]+)', summary).group(1))
        assert float(rows[0][column]) == pytest.approx(expected, abs=0.01)


def test_compare_with_an_untrained_model(tmp_path, checkpoints):
    """`none` keeps a model without a checkpoint in the speed columns."""
    data_root = write_tiny_gas_dataset(
        tmp_path / 'tiny', splits=(('val', 2), ))
    out_dir = tmp_path / 'out'
    run_tool([
        COMPARE, *CONFIGS, '--checkpoints', checkpoints[0], 'none', *FAST,
        '--no-onnx', '--out-dir', out_dir, '--cfg-options',
        f'test_dataloader.dataset.data_root={data_root}',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'
    ], timeout=300)
    rows, table = _read(out_dir)
    _check_common(rows, table, out_dir)
    assert 0 <= float(rows[0]['mIoU']) <= 100
    assert rows[1]['checkpoint'] == rows[1]['mIoU'] == rows[1]['gas_IoU'] == ''
    assert 'Accuracy: each config' in table


def test_compare_rejects_misaligned_checkpoints(tmp_path):
    result = run_tool(
        [COMPARE, *CONFIGS, '--checkpoints', tmp_path / 'only_one.pth'],
        check=False)
    assert result.returncode == 2
    assert 'got 1 for 2 configs' in result.stderr


def _write_metrics(path, gas_iou, miou):
    """A metrics JSON as tools/test.py writes it with ClassIoUMetric."""
    import json
    gas_f1 = 200 * gas_iou / (100 + gas_iou)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        'aAcc': 97.0, 'mIoU': miou, 'mAcc': 70.0, 'mFscore': 70.5,
        'IoU.background': 2 * miou - gas_iou, 'IoU.gas': gas_iou,
        'F1.gas': gas_f1, 'step': 4000
    }))
    return path


def test_compare_with_results_of_test_py(tmp_path):
    """--results fills the accuracy columns from earlier tools/test.py runs
    (models trained in different sessions); `none` leaves one out, and the
    plot shows gas IoU against latency for the others."""
    results = _write_metrics(tmp_path / 'w' / 'ts' / 'ts.json', 27.28, 61.18)
    out_dir = tmp_path / 'out'
    run_tool([
        COMPARE, *CONFIGS, '--results', 'none', results, *FAST, '--no-onnx',
        '--out-dir', out_dir
    ], timeout=300)
    rows, table = _read(out_dir)
    _check_common(rows, table, out_dir)
    assert rows[0]['results'] == rows[0]['gas_IoU'] == rows[0]['mIoU'] == ''
    assert rows[1]['results'] == str(results)
    assert float(rows[1]['gas_IoU']) == 27.28
    assert float(rows[1]['mIoU']) == 61.18
    assert float(rows[1]['mF1']) == 70.5
    assert float(rows[1]['gas_F1']) == pytest.approx(42.87, abs=0.01)
    assert '| 61.18 | 70.50 | 27.28 | 42.87 |' in table
    assert 'measured before this run' in table


@pytest.mark.parametrize('content, message', [
    (None, 'results file not found'),
    ('{"mIoU": 50.0', 'not a JSON file'),
    ('{"mIoU": 50.0, "mFscore": 60.0}', 'no IoU.gas, F1.gas'),
])
def test_compare_rejects_bad_results(tmp_path, content, message):
    path = tmp_path / 'metrics.json'
    if content is not None:
        path.write_text(content)
    result = run_tool([COMPARE, GASSEG_S, '--results', path, *FAST],
                      check=False)
    assert result.returncode != 0
    assert message in result.stderr


def test_compare_takes_checkpoints_or_results(tmp_path):
    result = run_tool([
        COMPARE, GASSEG_S, '--checkpoints', tmp_path / 'a.pth', '--results',
        tmp_path / 'a.json'
    ], check=False)
    assert result.returncode == 2
    assert 'not both' in result.stderr

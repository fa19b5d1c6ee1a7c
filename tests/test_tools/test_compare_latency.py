"""Smoke test of tools/analysis_tools/compare_latency.py (no timing claims)."""
import re

from ..helpers import REPO_ROOT, run_tool

CONFIG = REPO_ROOT / 'configs' / '_base_' / 'models' / 'gasvit.py'


def test_compare_latency_reports_each_model_and_runtime():
    result = run_tool([
        REPO_ROOT / 'tools' / 'analysis_tools' / 'compare_latency.py',
        CONFIG, CONFIG, '--shape', '64', '96', '--threads', '1',
        '--rounds', '3', '--warmup', '1', '--onnxruntime'
    ])
    lines = [
        line for line in result.stdout.splitlines() if 'median' in line
    ]
    assert lines[0].startswith('input 1x3x64x96, 1 threads')
    rows = lines[1:]
    assert [r.split(':')[0] for r in rows] == [
        'gasvit [torch]', 'gasvit [onnxruntime]', 'gasvit#2 [torch]',
        'gasvit#2 [onnxruntime]'
    ], lines
    for row in rows:
        assert re.search(r'median \d+\.\d+ ms', row), row
        assert '0.913 M params' in row, row

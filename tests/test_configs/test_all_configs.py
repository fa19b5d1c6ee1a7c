"""Every shipped config loads and builds its model in a fresh interpreter
that has not imported mmgas: this is what `mim train mmseg CONFIG`, mmseg's
own tools and mmdeploy's export subprocess do."""
import json
import subprocess
import sys

import pytest

from ..helpers import REPO_ROOT

pytestmark = pytest.mark.slow

CONFIGS = sorted(
    str(p.relative_to(REPO_ROOT))
    for p in (REPO_ROOT / 'configs').rglob('*.py')
    if '_base_' not in p.parts and 'deploy' not in p.parts)

BUILD_ALL = r'''
import json, sys
from mmengine.config import Config
from mmengine.registry import init_default_scope
report = {}
for path in sys.argv[1:]:
    cfg = Config.fromfile(path)  # custom_imports registers mmgas
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    from mmseg.registry import MODELS
    model = MODELS.build(cfg.model)
    report[path] = dict(
        imports=cfg.get('custom_imports', {}).get('imports', []),
        scope=cfg.get('default_scope'),
        params=sum(p.numel() for p in model.parameters()))
print('REPORT' + json.dumps(report))
'''


def test_configs_exist():
    assert any('gasseg' in c for c in CONFIGS), CONFIGS


def test_every_config_builds_in_fresh_interpreter():
    result = subprocess.run(
        [sys.executable, '-c', BUILD_ALL, *CONFIGS],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.split('REPORT', 1)[1])
    assert sorted(report) == CONFIGS
    for path, info in report.items():
        assert 'mmgas' in info['imports'], path
        assert info['scope'] == 'mmseg', path
        assert info['params'] > 0, path


@pytest.mark.parametrize('config', CONFIGS[:1])
def test_first_config_registers_mmgas_itself(config):
    code = ('import sys; from mmengine.config import Config; '
            f'Config.fromfile({config!r}); '
            "assert 'mmgas' in sys.modules")
    subprocess.run([sys.executable, '-c', code], cwd=REPO_ROOT, check=True)


def test_12k_synthetic_schedule_only_lengthens_the_4k_one():
    from mmengine.config import Config
    gasseg = REPO_ROOT / 'configs' / 'gasseg'
    short = Config.fromfile(
        str(gasseg / 'gasseg-s_1xb8-4k_synthetic-256x192.py'))
    long = Config.fromfile(
        str(gasseg / 'gasseg-s_1xb8-12k_synthetic-256x192.py'))
    length_keys = {'iters', 'param_scheduler', 'train_cfg', 'default_hooks'}
    assert set(short) == set(long)
    for key in set(short) - length_keys:
        assert long[key] == short[key], key
    assert long.train_cfg.max_iters == 12000
    warmup, poly = long.param_scheduler
    assert (warmup.end, poly.begin, poly.end) == (50, 50, 12000)
    assert [s.type for s in long.param_scheduler] == [
        s.type for s in short.param_scheduler]
    assert long.optim_wrapper == short.optim_wrapper

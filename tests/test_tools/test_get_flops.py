"""tools/analysis_tools/get_flops.py: parameter counts equal the built
model's, and a fully convolutional model's FLOPs scale with the pixels."""
import re

import pytest

from ..helpers import REPO_ROOT, run_tool

GET_FLOPS = REPO_ROOT / 'tools' / 'analysis_tools' / 'get_flops.py'
TINY = REPO_ROOT / 'tests' / 'data' / 'tiny_segmentor.py'


def _flops(config, *shape):
    out = run_tool([GET_FLOPS, config, '--shape', *shape]).stdout
    flops = int(re.search(r'GFLOPs \((\d+) FLOPs', out).group(1))
    params = int(re.search(r'\((\d+) parameters;', out).group(1))
    return flops, params, out


def test_get_flops_scales_with_input_area():
    import mmgas  # noqa: F401
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS
    init_default_scope('mmseg')
    expected = sum(
        p.numel()
        for p in MODELS.build(Config.fromfile(str(TINY)).model).parameters())

    small, params, out = _flops(TINY, '64', '96')
    assert params == expected
    # no auxiliary head: the forward uses every parameter
    assert f'used at inference: {expected})' in out
    assert 'Input shape: (1, 3, 64, 96)' in out
    # one size means a square input
    square, _, out = _flops(TINY, '128')
    assert 'Input shape: (1, 3, 128, 128)' in out
    # convolutions only: FLOPs proportional to the pixel count
    assert square == pytest.approx(small * 128 * 128 / (64 * 96), rel=0.01)


@pytest.mark.parametrize('config', [
    'configs/gasseg/gasseg-s_1xb16-120k_igs-256x192.py',
    'configs/baselines/pidnet-s_1xb8-4k_synthetic-256x192.py'
])
def test_get_flops_on_shipped_configs(config):
    flops, params, _ = _flops(REPO_ROOT / config, '192', '256')
    assert flops > 5 * 10**7 and params > 10**6


def test_get_flops_bad_shape_is_refused():
    result = run_tool([GET_FLOPS, TINY, '--shape', '1', '2', '3'],
                      check=False)
    assert result.returncode == 2
    assert '--shape' in result.stderr

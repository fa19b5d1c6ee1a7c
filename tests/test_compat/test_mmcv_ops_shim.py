import subprocess
import sys

import pytest
import torch

from mmgas import compat


def test_mmseg_imports_and_point_sample_work():
    import mmgas  # noqa: F401
    import mmseg.apis  # noqa: F401
    import mmseg.models  # noqa: F401
    from mmcv.ops import point_sample
    from mmseg.models.utils.point_sample import \
        point_sample as mmseg_point_sample

    feats = torch.arange(16.).view(1, 1, 4, 4)
    points = torch.tensor([[[0.5, 0.5]]])
    assert point_sample is mmseg_point_sample
    # the centre of a 4x4 ramp, bilinearly sampled
    assert point_sample(feats, points).item() == pytest.approx(7.5)


@pytest.mark.skipif(not compat.MMCV_OPS_SHIMMED, reason='full mmcv present')
def test_compiled_ops_raise_module_not_found():
    import mmcv.ops
    with pytest.raises(ModuleNotFoundError, match='mmcv._ext'):
        mmcv.ops.CrissCrossAttention
    with pytest.raises(ModuleNotFoundError, match='compiled mmcv ops'):
        mmcv.ops.sigmoid_focal_loss(torch.zeros(1), torch.zeros(1))
    # mmseg's own fallback took over: CCHead says it needs full mmcv
    from mmseg.registry import MODELS
    with pytest.raises(RuntimeError, match='mmcv'):
        MODELS.build(
            dict(type='CCHead', in_channels=8, channels=4, num_classes=2))


def test_shim_is_noop_with_compiled_mmcv(monkeypatch):
    monkeypatch.setattr(compat, 'MMCV_OPS_SHIMMED', False)
    monkeypatch.setattr(compat, '_mmcv_has_compiled_ops', lambda: True)
    before = dict(sys.modules)
    assert compat.install_mmcv_ops_shim() is False
    assert sys.modules.get('mmcv.ops') is before.get('mmcv.ops')


def test_fresh_interpreter_imports_mmseg_after_mmgas():
    code = ('import mmgas, mmseg.models, mmseg.apis, mmseg.datasets; '
            'from mmseg.registry import MODELS; '
            "assert MODELS.get('FocalLoss') is not None")
    subprocess.run([sys.executable, '-c', code], check=True)

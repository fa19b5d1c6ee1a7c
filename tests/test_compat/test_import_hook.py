"""mmgas.compat's import hook and the fixes it applies after an import.

The end-to-end side (stock scripts in fresh interpreters) is in
tests/test_tools/test_stock_tools.py."""
import sys

import pytest
import torch

from mmgas import compat


def test_hook_answers_mmcv_ops_only_for_stock_importers(monkeypatch):
    hook = compat._ImportHook()
    monkeypatch.setattr(compat, 'MMCV_OPS_SHIMMED', False)
    monkeypatch.setattr(compat, '_mmcv_has_compiled_ops', lambda: False)
    spec = hook.find_spec('mmcv.ops')
    assert spec is not None and spec.submodule_search_locations == []
    # no mmseg/mmdeploy/mmgas in the process: the normal import path
    monkeypatch.setattr(compat, '_STOCK_IMPORTERS', ('no_such_importer', ))
    assert hook.find_spec('mmcv.ops') is None
    assert hook.find_spec('mmengine.analysis') is None


def test_hook_leaves_full_mmcv_and_other_modules_alone(monkeypatch):
    hook = compat._ImportHook()
    monkeypatch.setattr(compat, 'MMCV_OPS_SHIMMED', False)
    monkeypatch.setattr(compat, '_mmcv_has_compiled_ops', lambda: True)
    assert hook.find_spec('mmcv.ops') is None
    for name in ('numpy', 'mmcv', 'mmcv.cnn', 'mmdeploy', 'torch.onnx'):
        assert hook.find_spec(name) is None


def test_hook_wraps_the_loader_of_post_import_modules():
    spec = compat._ImportHook().find_spec('mmengine.analysis',
                                          sys.modules['mmengine'].__path__)
    assert isinstance(spec.loader, compat._RunAfterLoader)
    assert spec.name == 'mmengine.analysis'


def test_install_import_hook_once():
    compat.install_import_hook()
    assert compat.install_import_hook() is False
    hooks = [f for f in sys.meta_path if type(f).__name__ == '_ImportHook']
    assert len(hooks) == 1


def test_complexity_fix_only_changes_the_refused_call():
    import mmengine.analysis as analysis
    assert compat.install_complexity_inputs_fix()
    model = torch.nn.Conv2d(3, 4, 3, padding=1)
    x = torch.rand(1, 3, 8, 8)
    both = analysis.get_model_complexity_info(
        model, (3, 8, 8), inputs=(x, ), show_table=False, show_arch=False)
    alone = analysis.get_model_complexity_info(
        model, inputs=(x, ), show_table=False, show_arch=False)
    assert both['flops'] == alone['flops'] == 3 * 4 * 9 * 64
    with pytest.raises(ValueError, match='should be set'):
        analysis.get_model_complexity_info(model)

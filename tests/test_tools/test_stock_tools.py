"""The stock OpenMMLab entry points run mmgas configs.

Each test starts a fresh interpreter outside the checkout (no
``PYTHONPATH``), so mmgas is found only as the installed package, with its
start-up import hook (:mod:`mmgas.compat`). mmseg's scripts are the ones in
the installed wheel (``mmseg/.mim/tools``, what ``mim`` runs); mmdeploy's
export is called exactly as mmdeploy 1.3.1's ``tools/deploy.py`` calls it
(that script is not in mmdeploy's wheel).
"""
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch

from ..helpers import (REPO_ROOT, write_not_checkpoints,
                       write_tiny_gas_dataset)

pytestmark = pytest.mark.slow

MMSEG_TOOLS = Path(__import__('mmseg').__file__).parent / '.mim' / 'tools'
GASSEG_S = REPO_ROOT / 'configs/gasseg/gasseg-s_1xb8-4k_synthetic-256x192.py'
GASVIT_XS = (REPO_ROOT /
             'configs/gasvit/gasvit-xs_mlphead_1xb8-4k_synthetic-256x192.py')
STATIC_DEPLOY = (REPO_ROOT /
                 'configs/deploy/segmentation_onnxruntime_static-256x192.py')
MMCV_LITE = not (Path(__import__('mmcv').__file__).parent / '_ext').exists() \
    and not any(Path(__import__('mmcv').__file__).parent.glob('_ext*'))


def run_installed(args, cwd, env=None, check=True, timeout=600):
    """``python ARGS`` in ``cwd`` with the installed mmgas only."""
    environ = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    environ.setdefault('OMP_NUM_THREADS', '1')
    environ.update(env or {})
    result = subprocess.run([sys.executable] + [str(a) for a in args],
                            cwd=cwd, env=environ, capture_output=True,
                            text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(
            f'{args} exited {result.returncode}\nstdout:\n'
            f'{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}')
    return result


def tiny_gasseg_config(tmp_path):
    """GasSeg-S's synthetic-set config on a tiny data set, 2 iterations;
    200 test images, the number mmseg's ``benchmark.py`` times."""
    data_root = write_tiny_gas_dataset(
        tmp_path / 'tiny', splits=(('train', 4), ('val', 2), ('test', 200)))
    path = tmp_path / 'gasseg-s_tiny.py'
    path.write_text(textwrap.dedent(f"""\
        _base_ = [{str(GASSEG_S)!r}]
        _data = dict(data_root={str(data_root)!r})
        train_dataloader = dict(batch_size=2, num_workers=0, dataset=_data)
        val_dataloader = dict(num_workers=0, dataset=_data)
        test_dataloader = dict(num_workers=0, dataset=dict(
            data_root={str(data_root)!r},
            data_prefix=dict(img_path='img_dir/test',
                             seg_map_path='ann_dir/test')))
        train_cfg = dict(max_iters=2, val_interval=2)
        default_hooks = dict(logger=dict(interval=1),
                             checkpoint=dict(interval=2))
        """))
    return path


def test_stock_get_flops_imports_mmseg_before_the_config():
    # get_flops.py imports mmseg.models before it reads the config, so the
    # mmcv.ops stand-in must come from the start-up hook
    out = run_installed([
        MMSEG_TOOLS / 'analysis_tools' / 'get_flops.py', GASSEG_S, '--shape',
        '192', '256'
    ], cwd=REPO_ROOT.parent).stdout
    flops = re.search(r'Flops: ([\d.]+)G', out)
    params = re.search(r'Params: ([\d.]+)M', out)
    assert flops and params, out[-2000:]
    import mmgas  # noqa: F401
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS
    init_default_scope('mmseg')
    model = MODELS.build(Config.fromfile(str(GASSEG_S)).model)
    expected = sum(p.numel() for p in model.parameters()) / 1e6
    assert float(params.group(1)) == pytest.approx(expected, abs=0.01)
    assert float(flops.group(1)) > 0


def test_mmseg_utils_first_then_an_mmgas_config(tmp_path):
    # the import order of mmseg's current tools/train.py: mmseg.utils (and
    # with it mmseg.models) before the config loads mmgas
    code = textwrap.dedent(f"""\
        import mmseg.utils
        import torch
        from mmengine.config import Config
        from mmengine.registry import init_default_scope
        from mmseg.registry import MODELS
        cfg = Config.fromfile({str(GASVIT_XS)!r})
        init_default_scope('mmseg')
        model = MODELS.build(cfg.model).eval()
        with torch.no_grad():
            out = model(torch.zeros(1, 3, 64, 64), mode='tensor')
        print(type(model.backbone).__name__, tuple(out.shape))
        """)
    out = run_installed(['-c', code], cwd=tmp_path).stdout
    assert 'GasViT (1, 2, 8, 8)' in out


def test_stock_train_test_and_benchmark(tmp_path):
    config = tiny_gasseg_config(tmp_path)
    work_dir = tmp_path / 'work'
    run_installed([MMSEG_TOOLS / 'train.py', config, '--work-dir', work_dir],
                  cwd=tmp_path)
    checkpoint = work_dir / 'iter_2.pth'
    assert checkpoint.is_file()
    result = run_installed([
        MMSEG_TOOLS / 'test.py', config, checkpoint, '--work-dir',
        tmp_path / 'test'
    ], cwd=tmp_path)
    output = result.stdout + result.stderr
    # mmgas's ClassIoUMetric, reached through the stock script
    assert re.search(r'IoU\.gas: \d+\.\d+', output), output[-2000:]
    result = run_installed([
        MMSEG_TOOLS / 'analysis_tools' / 'benchmark.py', config, checkpoint,
        '--work-dir', tmp_path / 'bench'
    ], cwd=tmp_path)
    assert re.search(r'Overall fps: [\d.]+ img / s',
                     result.stdout + result.stderr)


@pytest.mark.skipif(not MMCV_LITE, reason='full mmcv has compiled ops')
def test_import_hook_leaves_other_importers_alone(tmp_path):
    # mmcv.ops imported by code that is not mmseg/mmdeploy/mmgas: stock error
    result = run_installed(['-c', 'import mmcv.ops'], cwd=tmp_path,
                           check=False)
    assert result.returncode != 0
    assert "No module named 'mmcv._ext'" in result.stderr
    # opting out of the start-up step gives mmseg's own failure back, and
    # `import mmgas` still installs the stand-in
    opt_out = {'MMGAS_NO_IMPORT_HOOK': '1'}
    result = run_installed(['-c', 'import mmseg.models'], cwd=tmp_path,
                           env=opt_out, check=False)
    assert "No module named 'mmcv._ext'" in result.stderr
    run_installed(['-c', 'import mmgas, mmseg.models'], cwd=tmp_path,
                  env=opt_out)
    # a plain interpreter loads only mmgas/compat.py (stdlib), never torch
    out = run_installed([
        '-c', "import sys; print(sorted(m for m in sys.modules if "
        "m.startswith(('mmgas', 'torch', 'mmseg', 'mmcv'))))"
    ], cwd=tmp_path).stdout
    assert out.strip() == "['mmgas.compat']"


def test_mmdeploy_rewriter_scoped_to_mmdeploy_exports():
    import mmgas  # noqa: F401
    from mmdeploy.core import FUNCTION_REWRITER

    from mmgas import compat
    if not compat._onnx_export_defaults_to_dynamo():
        pytest.skip('torch.onnx.export does not default to dynamo here')
    assert compat.install_mmdeploy_export_rewriter()
    registered = FUNCTION_REWRITER._registry._rewrite_records
    assert 'torch.onnx.export' in registered
    # outside mmdeploy's RewriterContext torch's default is untouched
    import inspect
    assert inspect.signature(
        torch.onnx.export).parameters['dynamo'].default is True
    assert not hasattr(torch.onnx.export, 'origin_func')


# mmdeploy 1.3.1 tools/deploy.py, its calls for the onnxruntime backend:
# torch2onnx runs in a spawned process (PIPELINE_MANAGER), export2SDK,
# to_backend and visualize_model in the main one (the visualiser saves
# output_onnxruntime.jpg as output_onnxruntime_0.png).
MMDEPLOY_DEPLOY_PY_STEPS = """\
import logging
import os.path as osp
import sys

from torch.multiprocessing import set_start_method

from mmdeploy.apis import (create_calib_input_data, extract_model,
                           torch2onnx, torch2torchscript, visualize_model)
from mmdeploy.apis.core import PIPELINE_MANAGER
from mmdeploy.apis.utils import to_backend
from mmdeploy.backend.sdk.export_info import export2SDK
from mmdeploy.utils import (get_backend, get_ir_config, get_root_logger,
                            load_config)

if __name__ == '__main__':
    deploy_cfg_path, model_cfg_path, checkpoint, img, work_dir = sys.argv[1:]
    set_start_method('spawn', force=True)
    logger = get_root_logger()
    log_level = logging.getLevelName('INFO')
    logger.setLevel(log_level)
    pipeline_funcs = [
        torch2onnx, torch2torchscript, extract_model, create_calib_input_data
    ]
    PIPELINE_MANAGER.enable_multiprocess(True, pipeline_funcs)
    PIPELINE_MANAGER.set_log_level(log_level, pipeline_funcs)
    deploy_cfg, model_cfg = load_config(deploy_cfg_path, model_cfg_path)
    export2SDK(deploy_cfg, model_cfg, work_dir, pth=checkpoint, device='cpu')
    ir_save_file = get_ir_config(deploy_cfg)['save_file']
    torch2onnx(img, work_dir, ir_save_file, deploy_cfg_path, model_cfg_path,
               checkpoint, device='cpu')
    backend = get_backend(deploy_cfg)
    backend_files = to_backend(
        backend, [osp.join(work_dir, ir_save_file)], work_dir=work_dir,
        deploy_cfg=deploy_cfg, log_level=log_level, device='cpu')
    visualize_model(model_cfg_path, deploy_cfg_path, backend_files, img,
                    'cpu', backend=backend,
                    output_file=osp.join(work_dir,
                                         f'output_{backend.value}.jpg'),
                    show_result=False)
    print('All process success.')
"""


def test_mmdeploy_export_as_its_deploy_py_calls_it(tmp_path):
    import cv2
    import onnxruntime as ort

    import mmgas  # noqa: F401
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS
    init_default_scope('mmseg')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(str(GASSEG_S)).model).eval()
    checkpoint = tmp_path / 'gasseg-s.pth'
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, checkpoint)
    rng = np.random.default_rng(0)
    frame = rng.normal(120, 20, (192, 256)).clip(0, 255).astype(np.uint8)
    img = tmp_path / 'frame.png'
    cv2.imwrite(str(img), np.repeat(frame[..., None], 3, axis=2))
    script = tmp_path / 'mmdeploy_deploy_steps.py'
    script.write_text(MMDEPLOY_DEPLOY_PY_STEPS)
    work_dir = tmp_path / 'work'
    work_dir.mkdir()
    out = run_installed(
        [script, STATIC_DEPLOY, GASSEG_S, checkpoint, img, work_dir],
        cwd=tmp_path).stdout
    assert 'All process success.' in out
    for name in ('end2end.onnx', 'deploy.json', 'pipeline.json',
                 'output_onnxruntime_0.png'):
        assert (work_dir / name).is_file(), name
    # the graph computes the model: same logits for the same input tensor
    x = torch.from_numpy(rng.normal(128, 40, (1, 3, 192, 256))).float()
    session = ort.InferenceSession(
        str(work_dir / 'end2end.onnx'), providers=['CPUExecutionProvider'])
    ort_out = session.run(None, {session.get_inputs()[0].name: x.numpy()})[0]
    with torch.no_grad():
        logits = model.encode_decode(x, [dict(img_shape=(192, 256))])
    # the deploy config keeps the logits (codebase_config with_argmax=False)
    assert ort_out.shape == (1, 2, 192, 256)
    # random raw-input weights give logits of ~1e5: float32 agreement is
    # relative to their scale, as in mmgas's own parity check
    scale = np.abs(logits.numpy()).max()
    assert np.abs(ort_out - logits.numpy()).max() <= 1e-4 * scale


UNREADABLE = 'UnreadableCheckpointError: cannot read checkpoint'


def test_not_a_checkpoint_same_error_in_process(tmp_path):
    import mmgas  # noqa: F401
    from mmdeploy.apis import torch2onnx
    from mmseg.apis import init_model

    from mmgas.apis import LeakDetector
    from mmgas.compat import UnreadableCheckpointError
    paths = write_not_checkpoints(tmp_path)
    for kind in ('an image', 'a text', 'truncated'):
        path = paths[kind]
        loaders = {
            'mmseg init_model':
            lambda: init_model(str(GASSEG_S), str(path), device='cpu'),
            'LeakDetector':
            lambda: LeakDetector(str(GASSEG_S), str(path)),
            'mmdeploy torch2onnx':
            lambda: torch2onnx(
                np.zeros((192, 256, 3), np.uint8), str(tmp_path),
                'end2end.onnx', str(STATIC_DEPLOY), str(GASSEG_S), str(path),
                device='cpu'),
        }
        for where, load in loaders.items():
            with pytest.raises(UnreadableCheckpointError,
                               match='cannot read checkpoint'):
                load()
            print(kind, where, 'ok')


@pytest.mark.parametrize('kind', ['an image', 'truncated'])
def test_not_a_checkpoint_same_error_in_tools(tmp_path, kind):
    path = write_not_checkpoints(tmp_path)[kind]
    config = tiny_gasseg_config(tmp_path)
    frame = tmp_path / 'tiny' / 'img_dir' / 'val' / '000.png'
    commands = {
        'tools/infer.py': [
            REPO_ROOT / 'tools' / 'infer.py', config, path, frame, '--out',
            tmp_path / 'infer'
        ],
        'tools/test.py':
        [REPO_ROOT / 'tools' / 'test.py', config, path],
        'mmseg test.py': [MMSEG_TOOLS / 'test.py', config, path],
        'mmseg train.py, load_from': [
            MMSEG_TOOLS / 'train.py', config, '--work-dir',
            tmp_path / 'train', '--cfg-options', f'load_from={path}'
        ],
    }
    for where, command in commands.items():
        result = run_installed(command, cwd=tmp_path, check=False)
        assert result.returncode != 0, where
        assert UNREADABLE in result.stderr, (where, result.stderr[-2000:])

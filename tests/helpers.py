"""Helpers shared by the tests: repository paths, a tiny gas data set, the
GasSeg release reference, and runners for the command-line tools. Fixtures
built on them live in conftest.py."""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / 'shared'
#: Tensors and shapes computed with the authors' released GasSeg code
#: (described in its README.md).
GASSEG_FIXTURES = SHARED_DIR / 'fixtures' / 'gasseg'
#: The release-reproduction configs, ``.format(size)`` with 's', 'm' or 'l'.
GASSEG_RELEASE_CONFIG = str(REPO_ROOT / 'configs' / 'gasseg' /
                            'gasseg-{}_1xb16-120k_igs-256x192.py')


def write_tiny_gas_dataset(root, splits=(('train', 6), ('val', 2)), size=64,
                           seed=0):
    """Write a few noisy grey images with one bright/dark blob each and 0/1
    masks in the mmseg layout ``img_dir/{split}``/``ann_dir/{split}``."""
    rng = np.random.default_rng(seed)
    root = Path(root)
    yy, xx = np.mgrid[:size, :size]
    for split, count in splits:
        (root / 'img_dir' / split).mkdir(parents=True, exist_ok=True)
        (root / 'ann_dir' / split).mkdir(parents=True, exist_ok=True)
        for i in range(count):
            cy, cx = rng.uniform(size * 0.25, size * 0.75, 2)
            radius = rng.uniform(size * 0.1, size * 0.25)
            mask = ((yy - cy)**2 + (xx - cx)**2 < radius**2).astype(np.uint8)
            img = rng.normal(120, 8, (size, size))
            img += mask * rng.choice([-40, 40])
            img = np.clip(img, 0, 255).astype(np.uint8)
            cv2.imwrite(str(root / 'img_dir' / split / f'{i:03d}.png'),
                        np.repeat(img[..., None], 3, axis=2))
            cv2.imwrite(str(root / 'ann_dir' / split / f'{i:03d}.png'), mask)
    return root


def build_gasseg_release_segmentor(size='s', scharr_mode='trainable'):
    """The segmentor of a release-reproduction config (``size`` 's', 'm' or
    'l'), its Scharr kernels ``'trainable'`` (the release) or ``'fixed'``.
    Needs the 'mmseg' default scope."""
    from mmengine.config import Config

    import mmgas  # noqa: F401  (registers GasSeg and GasHead)
    from mmseg.registry import MODELS
    cfg = Config.fromfile(GASSEG_RELEASE_CONFIG.format(size))
    cfg.model.backbone.scharr_mode = scharr_mode
    return MODELS.build(cfg.model)


def gasseg_fixture(name):
    """Path of a GasSeg reference file; fails (never skips: the exactness
    tests must run in CI) with what to do when ``../shared`` is missing."""
    path = GASSEG_FIXTURES / name
    if not path.is_file():
        pytest.fail(f'GasSeg reference fixture {path} not found: the tests '
                    "expect the project's shared/ directory beside the "
                    'checkout (../shared/fixtures/gasseg/)')
    return path


def save_random_checkpoint(config, path):
    """Save the randomly initialised model of ``config`` as a checkpoint
    (a ``state_dict`` only) to ``path``; returns ``path``."""
    import torch
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS

    from mmgas.utils import load_config
    init_default_scope('mmseg')
    model = MODELS.build(load_config(str(config)).model)
    torch.save({'state_dict': model.state_dict()}, path)
    return path


def load_tool(relative_path):
    """Import a command-line tool (``'tools/infer.py'``) as a module, to
    test its functions in this process."""
    path = REPO_ROOT / relative_path
    spec = importlib.util.spec_from_file_location(
        'mmgas_tool_' + path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_tool(args, cwd=REPO_ROOT, timeout=600, check=True):
    """Run ``python ARGS`` (or ``bash ARGS`` for .sh) in a fresh interpreter
    with the repository importable; returns the CompletedProcess."""
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [str(REPO_ROOT), env.get('PYTHONPATH', '')]).rstrip(os.pathsep)
    env.setdefault('OMP_NUM_THREADS', '1')
    env['PYTHON'] = sys.executable
    args = [str(a) for a in args]
    launcher = ['bash'] if args[0].endswith('.sh') else [sys.executable]
    result = subprocess.run(
        launcher + args,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(
            f'{args} exited {result.returncode}\nstdout:\n'
            f'{result.stdout[-4000:]}\nstderr:\n{result.stderr[-4000:]}')
    return result


def write_not_checkpoints(directory):
    """Files that are not checkpoints, by kind: ``empty``, ``truncated``
    (a checkpoint cut short, as by an interrupted copy), ``a config``,
    ``an image`` (PNG) and ``a text``; returns ``{kind: path}``."""
    import torch
    directory = Path(directory)
    whole = directory / 'whole.pth'
    torch.save({'state_dict': {'w': torch.arange(1000.)}}, whole)
    contents = {
        'empty': b'',
        'truncated': whole.read_bytes()[:500],
        'a config': b"_base_ = ['x.py']\nmodel = dict()\n",
        'an image': cv2.imencode('.png', np.zeros((8, 8), np.uint8))[1],
        'a text': b'e' * 64,
    }
    paths = {}
    for kind, data in contents.items():
        path = directory / f'not_a_checkpoint_{kind.replace(" ", "_")}.pth'
        path.write_bytes(bytes(data))
        paths[kind] = path
    return paths

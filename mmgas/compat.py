"""Compatibility shims for mmgas's pinned stack.

This is the only module of mmgas that adapts third-party behaviour. Each shim
is a no-op where the problem it fixes is absent; the first two are installed
by ``import mmgas`` (README, "Compatibility shims"):

1. :func:`install_mmcv_ops_shim` - mmseg 1.2.2 imports ``mmcv.ops``
   unconditionally in a few modules, but mmcv-lite has no compiled
   ``mmcv._ext``. When (and only when) ``mmcv._ext`` is missing, a small
   ``mmcv.ops`` module is registered that provides mmcv-lite's pure PyTorch
   ``point_sample``/``bilinear_grid_sample`` and raises
   :class:`ModuleNotFoundError` for every compiled op, so mmseg's own
   ``try/except`` fallbacks keep working. Full mmcv is left untouched.
2. :func:`install_safe_checkpoint_loader` - torch >= 2.6 loads checkpoints
   with ``weights_only=True``, which refuses mmengine's own training
   checkpoints (their message hub pickles ``HistoryBuffer`` and numpy
   arrays). Instead of switching weights-only loading off for every
   ``torch.load`` in the process (torch's environment override), mmengine's
   loader for local files is replaced by one that
   keeps ``weights_only=True`` and admits, for the duration of that one
   load, exactly the extra types a training checkpoint holds. The
   ``builtins.getattr`` such a checkpoint uses (``getattr(HistoryBuffer,
   'min')``) is served by a restricted getattr that only resolves the
   statistics methods of ``HistoryBuffer``. Anything else - a pickled
   ``os.system``, ``eval`` or an arbitrary class - is refused with
   :class:`UnsafeCheckpointError`. Resume, ``load_from``,
   ``mmseg.apis.init_model`` and ``tools/test.py`` all go through it.
3. :func:`prepare_cpu_distributed` - called by ``tools/train.py`` and
   ``tools/test.py``: mmengine's ``pytorch`` launcher assumes CUDA; without
   CUDA the process group is set up with gloo and DDP wraps a CPU model;
   :func:`finish_cpu_distributed` destroys that group when the run ends
   (:func:`cpu_distributed` does both around a run).
"""
import contextlib
import importlib.util
import os.path as osp
import pickle
import sys
import types

import torch
from packaging.version import parse as parse_version

__all__ = [
    'install_mmcv_ops_shim', 'install_safe_checkpoint_loader',
    'prepare_cpu_distributed', 'finish_cpu_distributed', 'cpu_distributed',
    'safe_load_checkpoint', 'UnsafeCheckpointError',
    'UnreadableCheckpointError',
    'MMCV_OPS_SHIMMED'
]

#: Whether the pure-PyTorch ``mmcv.ops`` stand-in is active.
MMCV_OPS_SHIMMED = False


def _mmcv_has_compiled_ops():
    try:
        return importlib.util.find_spec('mmcv._ext') is not None
    except (ImportError, ValueError):
        return False


def _unavailable_op(name):

    def op(*args, **kwargs):
        raise ModuleNotFoundError(
            f'mmcv.ops.{name} needs the compiled mmcv ops, but mmcv-lite is '
            'installed (no mmcv._ext). Build full mmcv 2.1.0 from source to '
            'use it.')

    op.__name__ = name
    return op


def install_mmcv_ops_shim():
    """Register a pure-PyTorch ``mmcv.ops`` when mmcv's compiled ops are
    missing.

    Returns:
        bool: True if the shim is active (mmcv-lite), False if full mmcv is
        installed and nothing was changed.
    """
    global MMCV_OPS_SHIMMED
    if MMCV_OPS_SHIMMED:
        return True
    if _mmcv_has_compiled_ops():
        return False
    import mmcv

    # mmcv-lite ships ops/point_sample.py, which is pure PyTorch, but its
    # package __init__ imports the compiled ops; load the file on its own.
    path = osp.join(osp.dirname(mmcv.__file__), 'ops', 'point_sample.py')
    spec = importlib.util.spec_from_file_location('mmcv.ops.point_sample',
                                                  path)
    point_sample_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(point_sample_module)

    ops = types.ModuleType(
        'mmcv.ops', 'mmgas stand-in for mmcv.ops under mmcv-lite: pure '
        'PyTorch point_sample/bilinear_grid_sample only.')
    ops.__path__ = []  # a package, so `mmcv.ops.point_sample` resolves
    ops.point_sample = point_sample_module.point_sample
    ops.bilinear_grid_sample = point_sample_module.bilinear_grid_sample
    # mmseg's FocalLoss imports this name unconditionally but calls it on
    # CUDA only; on CPU it uses its own Python implementation.
    ops.sigmoid_focal_loss = _unavailable_op('sigmoid_focal_loss')

    def __getattr__(name):
        if name.startswith('__'):
            raise AttributeError(name)
        raise ModuleNotFoundError(
            f"mmcv.ops.{name} is not available: mmcv-lite has no compiled "
            "ops (No module named 'mmcv._ext'). Build full mmcv 2.1.0 to "
            'use it.',
            name='mmcv._ext')

    ops.__getattr__ = __getattr__
    sys.modules['mmcv.ops'] = ops
    sys.modules['mmcv.ops.point_sample'] = point_sample_module
    mmcv.ops = ops
    MMCV_OPS_SHIMMED = True
    return True


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds objects that weights-only loading must not
    create."""


class UnreadableCheckpointError(RuntimeError):
    """A checkpoint file is empty, truncated or not a PyTorch file."""


_HISTORY_BUFFER_STATISTICS = ('min', 'max', 'current', 'mean')


def _training_state_globals():
    """Types an mmengine 0.10.x training checkpoint holds beyond tensors.

    ``builtins.getattr`` is mapped to :func:`_history_buffer_getattr`, which
    can only fetch the statistics methods of ``HistoryBuffer``.
    """
    import numpy as np
    from mmengine.logging.history_buffer import HistoryBuffer

    multiarray = getattr(np, '_core', None) or np.core
    safe = [
        HistoryBuffer,
        np.ndarray,
        np.dtype,
        (multiarray.multiarray._reconstruct,
         f'{multiarray.__name__}.multiarray._reconstruct'),
        (multiarray.multiarray.scalar,
         f'{multiarray.__name__}.multiarray.scalar'),
        (_history_buffer_getattr, 'builtins.getattr'),
    ]
    # numpy >= 1.25 pickles dtypes by their class (numpy.dtypes.Float64DType).
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is not None:
        safe += [
            getattr(dtypes, name) for name in dir(dtypes)
            if name.endswith('DType')
        ]
    return safe


def _history_buffer_getattr(obj, name):
    from mmengine.logging.history_buffer import HistoryBuffer
    if obj is HistoryBuffer and name in _HISTORY_BUFFER_STATISTICS:
        return getattr(obj, name)
    raise UnsafeCheckpointError(
        f'refusing getattr({obj!r}, {name!r}) in a checkpoint: only '
        f'HistoryBuffer statistics {_HISTORY_BUFFER_STATISTICS} are allowed')


def safe_load_checkpoint(filename, map_location=None):
    """Load a local checkpoint with ``weights_only=True``.

    Plain weight files and mmengine training checkpoints (with optimizer,
    schedulers and message hub) load; a file that would create any other
    object while unpickling raises :class:`UnsafeCheckpointError`.

    Args:
        filename (str): Path of the ``.pth`` file.
        map_location (str | torch.device | callable, optional): As for
            :func:`torch.load`. Default: None.

    Returns:
        dict: The loaded checkpoint.

    Raises:
        FileNotFoundError: No such file.
        UnreadableCheckpointError: Empty, truncated or not a checkpoint.
        UnsafeCheckpointError: It would create other objects.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint {filename} can not be found.')
    unreadable = (f'cannot read checkpoint {filename}: it is empty, '
                  'truncated (an interrupted save or copy?) or not a PyTorch '
                  'checkpoint')
    # torch files are zip archives (b'PK'), or (before torch 1.6) pickles
    # that start with the PROTO opcode; anything else (an image, a config
    # given as the checkpoint) would reach the unpickler and fail with
    # whatever its first bytes mean as opcodes (e.g. KeyError: 101). A
    # damaged zip still fails in torch.load, below.
    with open(filename, 'rb') as f:
        head = f.read(2)
    if head and head[:1] != b'\x80' and head != b'PK':
        raise UnreadableCheckpointError(unreadable)
    with torch.serialization.safe_globals(_training_state_globals()):
        try:
            return torch.load(
                filename, map_location=map_location, weights_only=True)
        except EOFError:
            raise UnreadableCheckpointError(unreadable) from None
        except RuntimeError as error:
            if 'PytorchStreamReader' not in str(error):
                raise  # e.g. a CUDA checkpoint without map_location
            raise UnreadableCheckpointError(
                f'{unreadable} ({error})'.split('\n')[0]) from None
        except pickle.UnpicklingError as error:
            if 'Unsupported operand' in str(error):
                # a pickle opcode torch does not know: not a pickle at all
                raise UnreadableCheckpointError(unreadable) from None
            raise UnsafeCheckpointError(
                f'Refusing to load {filename}: it contains objects that are '
                'neither weights nor mmengine training state, and loading '
                'it could run code from the file. Only load such a file if '
                'you trust it, with torch.load(path, weights_only=False) in '
                f'your own code. Reason: {error}') from None


def install_safe_checkpoint_loader():
    """Route mmengine's loading of local checkpoint files through
    :func:`safe_load_checkpoint`.

    A no-op for torch < 2.6, where ``torch.load`` did not default to
    weights-only loading and mmengine loads its checkpoints unchanged.

    Returns:
        bool: True if the loader was installed.
    """
    if parse_version(torch.__version__.split('+')[0]) < parse_version('2.6'):
        return False
    from mmengine.runner.checkpoint import CheckpointLoader

    # force=True replaces mmengine's loader registered for the empty prefix
    # (local paths) through mmengine's public registration API.
    CheckpointLoader.register_scheme(
        prefixes='', loader=safe_load_checkpoint, force=True)
    return True


#: whether :func:`prepare_cpu_distributed` created the process group
_OWN_PROCESS_GROUP = False


def prepare_cpu_distributed(cfg):
    """Make a ``launcher='pytorch'`` config train on CPUs with gloo.

    mmengine 0.10.7 initialises torch.distributed through
    ``torch.cuda.set_device`` (fails without CUDA) and wraps the model in DDP
    with ``device_ids=[LOCAL_RANK]`` (invalid for CPU modules). On a machine
    without CUDA this initialises the process group with gloo itself, so the
    runner skips its own initialisation, and asks for CPU DDP. The same
    config keeps nccl on GPUs: this is a no-op when CUDA is available or the
    run is not distributed.

    Args:
        cfg (mmengine.Config): The config; modified in place.

    Returns:
        bool: True if the CPU/gloo set-up was applied.
    """
    import torch.distributed as dist

    global _OWN_PROCESS_GROUP
    if cfg.get('launcher', 'none') != 'pytorch' or torch.cuda.is_available():
        return False
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
        _OWN_PROCESS_GROUP = True
    # ConfigDict copies a dict on assignment, so set the key on the copy
    cfg.env_cfg.setdefault('dist_cfg', {})
    cfg.env_cfg.dist_cfg['backend'] = 'gloo'
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel', broadcast_buffers=False)
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    return True


def finish_cpu_distributed(barrier=True):
    """Destroy the gloo process group that :func:`prepare_cpu_distributed`
    created, once the run is over.

    Left to die with the interpreter, gloo's worker threads can abort the
    process at exit ("terminate called without an active exception",
    SIGABRT) after a run that succeeded; seen on a loaded 2-core machine.
    A no-op when this module did not create the group.

    Args:
        barrier (bool): Wait for the other ranks first. False after an
            error, when they may never arrive. Default: True.

    Returns:
        bool: True if a process group was destroyed.
    """
    import torch.distributed as dist

    global _OWN_PROCESS_GROUP
    if not (_OWN_PROCESS_GROUP and dist.is_initialized()):
        return False
    if barrier:
        dist.barrier()
    dist.destroy_process_group()
    _OWN_PROCESS_GROUP = False
    return True


@contextlib.contextmanager
def cpu_distributed(cfg):
    """:func:`prepare_cpu_distributed` on entry, :func:`finish_cpu_distributed`
    on exit, also when the run raises (then without the barrier).

    Args:
        cfg (mmengine.Config): The config; modified in place.
    """
    prepare_cpu_distributed(cfg)
    try:
        yield
    except BaseException:
        finish_cpu_distributed(barrier=False)
        raise
    finish_cpu_distributed()

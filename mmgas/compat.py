"""Compatibility shims for mmgas's pinned stack.

This is the only module of mmgas that adapts third-party behaviour. Each shim
is a no-op where the problem it fixes is absent (README, "Compatibility
shims"). The module imports nothing but the standard library at import time:
an installed mmgas loads it at interpreter start-up (below) and must not slow
down, or change, Python processes that never use mmseg or mmdeploy.

1. The ``mmcv.ops`` stand-in - mmseg 1.2.2 imports ``mmcv.ops``
   unconditionally in a few modules, but mmcv-lite has no compiled
   ``mmcv._ext``. When (and only when) ``mmcv._ext`` is missing, a small
   ``mmcv.ops`` module is provided that holds mmcv-lite's pure PyTorch
   ``point_sample``/``bilinear_grid_sample`` and raises
   :class:`ModuleNotFoundError` for every compiled op, so mmseg's own
   ``try/except`` fallbacks keep working. Full mmcv is left untouched.
   It must be in place before mmseg is first imported, also by stock
   scripts that import mmseg before a config's ``custom_imports`` can load
   mmgas (mmseg's ``get_flops.py``, the current ``tools/train.py``). So
   ``pip install`` puts ``mmgas-import-hook.pth`` into site-packages: at
   interpreter start-up it loads this file (nothing else of mmgas) and
   calls :func:`install_import_hook`, which adds a finder to
   ``sys.meta_path``. The finder answers only the import of ``mmcv.ops``
   while mmseg or mmdeploy is being imported; any other import, and
   ``mmcv.ops`` imported by other code, take the normal path. Set
   ``MMGAS_NO_IMPORT_HOOK=1`` to skip the start-up step; ``import mmgas``
   still installs the stand-in (:func:`install_mmcv_ops_shim`).
2. :func:`install_mmdeploy_export_rewriter` - torch >= 2.9 makes
   ``torch.onnx.export`` default to the ``torch.export`` (dynamo) exporter,
   but mmdeploy 1.3.1 rewrites the TorchScript exporter's internals and
   fails under dynamo (``KeyError: -1``). An mmdeploy function rewriter
   (mmdeploy's own extension point) makes ``torch.onnx.export`` default to
   ``dynamo=False`` inside mmdeploy's ``RewriterContext`` only, i.e. during
   mmdeploy's exports; anyone else's ``torch.onnx.export`` keeps torch's
   default. Registered when ``mmdeploy.core`` is imported (through the
   finder above) or by ``import mmgas`` if it already is, so mmdeploy's own
   ``tools/deploy.py`` works unchanged. A no-op for older torch.
3. :func:`install_complexity_inputs_fix` - mmseg 1.2.2's ``get_flops.py``
   passes both ``input_shape`` and ``inputs`` to mmengine's
   ``get_model_complexity_info``, which mmengine 0.10 refuses. Only that
   refused call is retried with the ``inputs`` alone; installed when
   ``mmengine.analysis`` is imported while mmseg is in use.
4. :func:`install_safe_checkpoint_loader` - torch >= 2.6 loads checkpoints
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
   :class:`UnsafeCheckpointError`; a file that is not a checkpoint at all
   raises :class:`UnreadableCheckpointError`. Resume, ``load_from``,
   ``mmseg.apis.init_model``, mmdeploy and ``tools/test.py`` all go through
   it.
5. :func:`prepare_cpu_distributed` - called by ``tools/train.py`` and
   ``tools/test.py``: mmengine's ``pytorch`` launcher assumes CUDA; without
   CUDA the process group is set up with gloo and DDP wraps a CPU model;
   :func:`finish_cpu_distributed` destroys that group when the run ends
   (:func:`cpu_distributed` does both around a run).
"""
import contextlib
import importlib.machinery
import importlib.util
import os.path as osp
import pickle
import sys
import types

__all__ = [
    'install_import_hook', 'install_mmcv_ops_shim',
    'install_mmdeploy_export_rewriter', 'install_complexity_inputs_fix',
    'install_fixes_for_imported_modules', 'install_safe_checkpoint_loader',
    'prepare_cpu_distributed', 'finish_cpu_distributed', 'cpu_distributed',
    'safe_load_checkpoint', 'UnsafeCheckpointError',
    'UnreadableCheckpointError', 'MMCV_OPS_SHIMMED'
]

#: Whether the pure-PyTorch ``mmcv.ops`` stand-in is active.
MMCV_OPS_SHIMMED = False

#: The importers for whom the ``mmcv.ops`` stand-in is provided.
_STOCK_IMPORTERS = ('mmseg', 'mmdeploy', 'mmgas')


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


def _missing_op(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise ModuleNotFoundError(
        f"mmcv.ops.{name} is not available: mmcv-lite has no compiled "
        "ops (No module named 'mmcv._ext'). Build full mmcv 2.1.0 to "
        'use it.',
        name='mmcv._ext')


def _fill_mmcv_ops_stand_in(ops):
    """Give the module ``ops`` the attributes of the ``mmcv.ops``
    stand-in."""
    global MMCV_OPS_SHIMMED
    spec = importlib.util.find_spec('mmcv')
    # mmcv-lite ships ops/point_sample.py, which is pure PyTorch, but its
    # package __init__ imports the compiled ops; load the file on its own.
    path = osp.join(spec.submodule_search_locations[0], 'ops',
                    'point_sample.py')
    point_sample_spec = importlib.util.spec_from_file_location(
        'mmcv.ops.point_sample', path)
    point_sample_module = importlib.util.module_from_spec(point_sample_spec)
    point_sample_spec.loader.exec_module(point_sample_module)
    sys.modules['mmcv.ops.point_sample'] = point_sample_module

    ops.__doc__ = ('mmgas stand-in for mmcv.ops under mmcv-lite: pure '
                   'PyTorch point_sample/bilinear_grid_sample only.')
    ops.point_sample = point_sample_module.point_sample
    ops.bilinear_grid_sample = point_sample_module.bilinear_grid_sample
    # mmseg's FocalLoss imports this name unconditionally but calls it on
    # CUDA only; on CPU it uses its own Python implementation.
    ops.sigmoid_focal_loss = _unavailable_op('sigmoid_focal_loss')
    ops.__getattr__ = _missing_op
    MMCV_OPS_SHIMMED = True


def install_mmcv_ops_shim():
    """Register a pure-PyTorch ``mmcv.ops`` now when mmcv's compiled ops are
    missing (``import mmgas`` calls it).

    Returns:
        bool: True if the shim is active (mmcv-lite), False if full mmcv is
        installed and nothing was changed.
    """
    if MMCV_OPS_SHIMMED:
        return True
    if _mmcv_has_compiled_ops():
        return False
    import mmcv

    ops = types.ModuleType('mmcv.ops')
    ops.__path__ = []  # a package, so `mmcv.ops.point_sample` resolves
    _fill_mmcv_ops_stand_in(ops)
    sys.modules['mmcv.ops'] = ops
    mmcv.ops = ops
    return True


class _StandInLoader:
    """Executes the ``mmcv.ops`` stand-in for :class:`_ImportHook`."""

    def create_module(self, spec):
        return None  # the default module object

    def exec_module(self, module):
        _fill_mmcv_ops_stand_in(module)


class _RunAfterLoader:
    """Wraps a loader to call ``callback()`` once the module has run."""

    def __init__(self, loader, callback):
        self._loader = loader
        self._callback = callback

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._callback()

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _ImportHook:
    """A ``sys.meta_path`` finder that answers three imports, only while a
    stock importer (mmseg, mmdeploy, mmgas) is loaded or being loaded, and
    leaves every other import alone (no ``importlib.abc`` base: importing it
    costs more start-up time than the whole hook).

    ``mmcv.ops`` when mmcv has no compiled ops: the stand-in.
    ``mmdeploy.core`` and ``mmengine.analysis``: the real module, followed by
    :func:`install_mmdeploy_export_rewriter` or
    :func:`install_complexity_inputs_fix`.
    """

    def find_spec(self, fullname, path=None, target=None):
        if fullname == 'mmcv.ops':
            if MMCV_OPS_SHIMMED or _mmcv_has_compiled_ops() or not any(
                    name in sys.modules for name in _STOCK_IMPORTERS):
                return None
            return importlib.util.spec_from_loader(
                fullname, _StandInLoader(), is_package=True)
        after = _RUN_AFTER_IMPORT.get(fullname)
        if after is None or not any(name in sys.modules
                                    for name in _STOCK_IMPORTERS):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _RunAfterLoader(spec.loader, after)
        return spec


_COMPLEXITY_FIX_INSTALLED = False


def install_complexity_inputs_fix():
    """Let ``mmengine.analysis.get_model_complexity_info`` take ``inputs``
    together with ``input_shape``, as mmseg 1.2.2's ``get_flops.py`` passes
    them.

    mmengine >= 0.8 raises ``ValueError`` when both are set. The wrapper
    calls mmengine's function unchanged and, only for that refused call,
    again with ``input_shape=None`` (the given ``inputs`` define the shape,
    as in the mmengine that script was written for). Every call mmengine
    accepts behaves as before, so this is a no-op where it is not needed.

    Returns:
        bool: True if the wrapper is in place.
    """
    global _COMPLEXITY_FIX_INSTALLED
    if _COMPLEXITY_FIX_INSTALLED:
        return True
    import functools

    import mmengine.analysis as analysis
    original = analysis.get_model_complexity_info

    @functools.wraps(original)
    def get_model_complexity_info(model, input_shape=None, inputs=None,
                                  *args, **kwargs):
        try:
            return original(model, input_shape, inputs, *args, **kwargs)
        except ValueError as error:
            if input_shape is None or inputs is None or \
                    'cannot be both set' not in str(error):
                raise
        return original(model, None, inputs, *args, **kwargs)

    analysis.get_model_complexity_info = get_model_complexity_info
    _COMPLEXITY_FIX_INSTALLED = True
    return True


#: module -> what to call right after it is imported (see _ImportHook)
_RUN_AFTER_IMPORT = {
    'mmdeploy.core': lambda: install_mmdeploy_export_rewriter(),
    'mmengine.analysis': lambda: install_complexity_inputs_fix(),
}


def install_fixes_for_imported_modules():
    """Apply now the after-import fixes of :class:`_ImportHook` whose module
    was imported before the hook was in place (``import mmgas`` calls it).
    """
    for name, fix in _RUN_AFTER_IMPORT.items():
        if name in sys.modules:
            fix()


def install_import_hook():
    """Put :class:`_ImportHook` on ``sys.meta_path`` (once).

    Called at interpreter start-up by ``mmgas-import-hook.pth`` and by
    ``import mmgas``.

    Returns:
        bool: True if the hook was added by this call.
    """
    if any(type(finder).__name__ == '_ImportHook'
           and type(finder).__module__ == __name__
           for finder in sys.meta_path):
        return False
    sys.meta_path.insert(0, _ImportHook())
    return True


#: Whether :func:`install_mmdeploy_export_rewriter` registered its rewriter.
_EXPORT_REWRITER_INSTALLED = False


def _onnx_export_defaults_to_dynamo():
    import inspect

    import torch.onnx
    dynamo = inspect.signature(torch.onnx.export).parameters.get('dynamo')
    return dynamo is not None and dynamo.default is True


def install_mmdeploy_export_rewriter():
    """Make mmdeploy's exports use torch's TorchScript ONNX exporter.

    Registers an mmdeploy function rewriter of ``torch.onnx.export`` that
    adds ``dynamo=False`` unless the caller passes ``dynamo``. mmdeploy
    applies its rewriters only inside its ``RewriterContext`` (around its
    ``export``), so ``torch.onnx.export`` keeps torch's own default
    everywhere else. A no-op where ``torch.onnx.export`` does not default to
    the dynamo exporter (torch < 2.9) or mmdeploy is not installed.

    Returns:
        bool: True if the rewriter is registered.
    """
    global _EXPORT_REWRITER_INSTALLED
    if _EXPORT_REWRITER_INSTALLED:
        return True
    if importlib.util.find_spec('mmdeploy') is None or \
            not _onnx_export_defaults_to_dynamo():
        return False
    from mmdeploy.core import FUNCTION_REWRITER

    @FUNCTION_REWRITER.register_rewriter(func_name='torch.onnx.export')
    def torch_onnx_export__torchscript(*args, **kwargs):
        """mmdeploy rewrites the TorchScript exporter, so use that one."""
        kwargs.setdefault('dynamo', False)
        return FUNCTION_REWRITER.get_context().origin_func(*args, **kwargs)

    _EXPORT_REWRITER_INSTALLED = True
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
    import torch

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
    import torch
    from packaging.version import parse as parse_version

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
    import torch
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

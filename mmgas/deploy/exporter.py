"""Scoped choice of PyTorch's ONNX exporter for mmdeploy.

Recent torch (2.13 here) makes ``torch.onnx.export`` default to the
``torch.export`` (dynamo) exporter. mmdeploy 1.3.1 rewrites functions
through the TorchScript exporter's internals
(``torch.onnx.utils._model_to_graph`` and symbolic functions) and passes
``dynamic_axes``; under the dynamo exporter its export fails with
``Detected mismatch between the structure of inputs and dynamic_shapes``
(masked by ``KeyError: -1``). See docs/deploy.md.

:func:`torchscript_onnx_exporter` swaps ``torch.onnx.export`` for a wrapper
that defaults ``dynamo=False`` for the duration of a ``with`` block only, so
the rest of the process (and any user code calling ``torch.onnx.export``
afterwards) keeps torch's own default.
"""
import contextlib
import functools
import threading

import torch
import torch.onnx

_LOCK = threading.RLock()


@contextlib.contextmanager
def torchscript_onnx_exporter():
    """Make ``torch.onnx.export`` use the TorchScript exporter in a block.

    Inside the block, calls to ``torch.onnx.export`` that do not pass
    ``dynamo`` get ``dynamo=False``; an explicit ``dynamo=...`` is honoured.
    The original function is restored on exit, also when the block raises.
    Nested use is safe. The swap is process-wide while the block runs
    (``torch.onnx.export`` is a module attribute): other threads calling
    ``torch.onnx.export`` meanwhile also get the TorchScript default, and
    other threads entering the block wait until it is left.

    Examples:
        >>> from mmdeploy.apis import torch2onnx
        >>> with torchscript_onnx_exporter():
        ...     torch2onnx(img, work_dir, 'end2end.onnx', deploy_cfg,
        ...                model_cfg, checkpoint, device='cpu')

    Yields:
        Callable: The wrapped ``torch.onnx.export`` in effect in the block.
    """
    with _LOCK:
        original = torch.onnx.export
        if getattr(original, '_mmgas_torchscript_default', False):
            # already inside an outer block
            yield original
            return

        @functools.wraps(original)
        def export(*args, **kwargs):
            kwargs.setdefault('dynamo', False)
            return original(*args, **kwargs)

        export._mmgas_torchscript_default = True
        torch.onnx.export = export
        try:
            yield export
        finally:
            torch.onnx.export = original

"""mmgas: infrared gas-leak segmentation for MMSegmentation 1.x.

``import mmgas`` installs the compatibility shims of :mod:`mmgas.compat`
(before anything imports ``mmseg.models``) and registers mmgas's models,
datasets, transforms and metrics into mmseg's registries.
"""
from .compat import install_mmcv_ops_shim, install_safe_checkpoint_loader
from .version import __version__

install_mmcv_ops_shim()
install_safe_checkpoint_loader()

from . import datasets, evaluation, models, utils  # noqa: E402,F401

__all__ = ['__version__']

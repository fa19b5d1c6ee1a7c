"""mmgas: infrared gas-leak segmentation for MMSegmentation 1.x.

``import mmgas`` installs the compatibility shims of :mod:`mmgas.compat`
(before anything imports ``mmseg.models``) and registers mmgas's models,
datasets, transforms and metrics into mmseg's registries. An installed
mmgas has usually loaded :mod:`mmgas.compat` already, at interpreter
start-up (``mmgas-import-hook.pth``), so that stock scripts which import
mmseg first work too.
"""
# bound explicitly: the start-up hook may have loaded the module already
from . import compat
from .version import __version__

compat.install_import_hook()
compat.install_mmcv_ops_shim()
compat.install_safe_checkpoint_loader()
compat.install_fixes_for_imported_modules()

from . import datasets, evaluation, models, utils  # noqa: E402,F401

__all__ = ['__version__']

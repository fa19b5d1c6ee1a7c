"""Config loading for mmgas's command-line tools."""
import difflib
import glob
import os.path as osp

from mmengine.config import Config


def load_config(path, cfg_options=None):
    """Load a config file, failing with the path and near matches if absent.

    Args:
        path (str): Path of the config file.
        cfg_options (dict, optional): ``--cfg-options`` overrides to merge.
            Default: None.

    Returns:
        mmengine.Config: The loaded config.

    Raises:
        FileNotFoundError: If ``path`` is not a file; the message names the
            path and suggests shipped configs with similar names.
    """
    if not osp.isfile(path):
        message = f'config file not found: {osp.abspath(path)}'
        config_root = osp.join(osp.dirname(osp.dirname(osp.dirname(
            osp.abspath(__file__)))), 'configs')
        shipped = glob.glob(osp.join(config_root, '**', '*.py'),
                            recursive=True)
        names = {osp.basename(p): p for p in shipped if '_base_' not in p}
        close = difflib.get_close_matches(
            osp.basename(path), list(names), n=3, cutoff=0.6)
        if close:
            message += '. Did you mean: ' + ', '.join(
                osp.relpath(names[n]) for n in close) + '?'
        raise FileNotFoundError(message)
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg

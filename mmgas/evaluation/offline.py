"""Score a checkpoint with one metric over a config's test split, outside
the runner: what the analysis tools (``pixel_ap.py``, ``region_errors.py``,
``error_sources.py``) share. The checkpoint is loaded strictly and
weights-only."""
import argparse

import torch
from mmengine.config import DictAction
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from mmgas.utils import (check_checkpoint_matches, checkpoint_state_dict,
                         load_config)


def checkpoint_arg_parser(description):
    """An argument parser with what every such tool takes: ``config``,
    ``checkpoint`` and ``--cfg-options``; tools add their own options."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings in the config, e.g. '
        'test_dataloader.dataset.data_prefix.img_path=img_dir/heldout')
    return parser


def evaluate_checkpoint(config, checkpoint, metric, cfg_options=None):
    """Run ``metric`` on the predictions of a checkpoint over the config's
    test dataloader's data set, one image at a time.

    Args:
        config (str): Config file.
        checkpoint (str): Checkpoint file.
        metric (mmengine.evaluator.BaseMetric): A fresh metric; its
            ``ignore_index`` is set to the data set's.
        cfg_options (dict, optional): Config overrides (``--cfg-options``).

    Returns:
        tuple[dict, BaseDataset]: The metric's scores and the data set.
    """
    from mmseg.registry import DATASETS, MODELS
    cfg = load_config(config, cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model = MODELS.build(cfg.model)
    state_dict, _ = checkpoint_state_dict(checkpoint)
    check_checkpoint_matches(model, state_dict, checkpoint, config)
    model.load_state_dict(state_dict)
    model.eval()
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    metric.ignore_index = dataset.ignore_index
    for i in range(len(dataset)):
        with torch.no_grad():
            samples = model.test_step(pseudo_collate([dataset[i]]))
        metric.process(None, [s.to_dict() for s in samples])
    return metric.compute_metrics(metric.results), dataset

"""Accuracy of a segmentor on its config's test split, in the process
that times it."""

import torch

from ._quiet import quiet_logger


def build_test_dataloader(cfg):
    """The config's ``test_dataloader``, built as mmengine's Runner would.

    Raises:
        KeyError: If the config has no ``test_dataloader``.
    """
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner
    if cfg.get('test_dataloader') is None:
        raise KeyError(f'{cfg.filename}: no test_dataloader in the config')
    # the dataset and transforms live in the config's scope (mmseg)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    return Runner.build_dataloader(cfg.test_dataloader)


def evaluate_segmentor(model, dataloader, evaluator_cfg, on_batch=None,
                       foreground='gas'):
    """Evaluate a segmentor on a data loader with a config's evaluator.

    Runs ``model.test_step`` on every batch (the mmseg inference path:
    preprocessing, the config's ``test_cfg`` mode, resize to the original
    size) and feeds the config's evaluator, as mmengine's ``TestLoop`` does.
    The per-class IoU of an ``IoUMetric`` is read from the areas it
    accumulated (mmseg only logs it as a table).

    Args:
        model (nn.Module): Segmentor in eval mode.
        dataloader (DataLoader): Test data loader.
        evaluator_cfg (dict | list): The config's ``test_evaluator``.
        on_batch (callable, optional): Called after every batch.
            Default: None.
        foreground (str): Class whose IoU and F1 are reported as
            ``foreground_IoU`` and ``foreground_F1``. Default: 'gas'.

    Returns:
        dict: The evaluator's metrics (mmseg's ``mIoU``, ``mFscore``, ...,
        in percent) plus ``IoU.<class>`` and ``F1.<class>`` per class and
        ``foreground_IoU``/``foreground_F1`` when the evaluator has an
        ``IoUMetric`` and the class exists. ``F1.<class>`` is
        2·TP / (predicted + labelled), 0 for a labelled class that is never
        predicted, where mmseg's per-class Fscore is nan and its
        ``mFscore`` averages the other classes only.
    """
    from mmengine.evaluator import Evaluator
    from mmseg.evaluation import IoUMetric

    from mmgas.evaluation import class_scores

    evaluator = Evaluator(evaluator_cfg)
    evaluator.dataset_meta = dataloader.dataset.metainfo
    model.eval()
    with torch.no_grad():
        for data_batch in dataloader:
            outputs = model.test_step(data_batch)
            evaluator.process(data_samples=outputs, data_batch=data_batch)
            if on_batch is not None:
                on_batch()

    per_class = {}
    classes = list(dataloader.dataset.metainfo.get('classes', ()))
    for metric in evaluator.metrics:
        if isinstance(metric, IoUMetric) and metric.results:
            scores = class_scores(metric.results)
            for key in ('IoU', 'F1'):
                for name, value in zip(classes, scores[key]):
                    per_class[f'{key}.{name}'] = float(value)
            break
    with quiet_logger():
        metrics = evaluator.evaluate(len(dataloader.dataset))
    metrics = {key: float(value) for key, value in metrics.items()}
    metrics.update(per_class)
    if f'IoU.{foreground}' in per_class:
        metrics['foreground_IoU'] = per_class[f'IoU.{foreground}']
        metrics['foreground_F1'] = per_class[f'F1.{foreground}']
    return metrics

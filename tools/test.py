"""Test (evaluate) a segmentor with mmgas registered (mmseg's flags).

Examples::

    python tools/test.py CONFIG CHECKPOINT
    python tools/test.py CONFIG CHECKPOINT --show-dir vis --tta
    bash tools/dist_test.sh CONFIG CHECKPOINT 2
"""
import argparse
import numbers
import os
import os.path as osp

import mmgas  # noqa: F401  (shims + registries before anything builds)
from mmengine.config import DictAction
from mmengine.runner import Runner

from mmgas.compat import cpu_distributed
from mmgas.evaluation import describe_gas_iou
from mmgas.utils import (check_checkpoint_matches, checkpoint_state_dict,
                         load_config)


def parse_args():
    parser = argparse.ArgumentParser(
        description='Test (and evaluate) a segmentor')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir', help='the dir to save the evaluation metrics')
    parser.add_argument(
        '--out',
        type=str,
        help='dir to save the predicted label maps (as PNG)')
    parser.add_argument(
        '--show', action='store_true', help='show prediction results')
    parser.add_argument(
        '--show-dir',
        help='directory (under the work dir) to save painted predictions')
    parser.add_argument(
        '--wait-time', type=float, default=2, help='the interval of show (s)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings in the config, key=value pairs')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument(
        '--tta', action='store_true', help='test time augmentation')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def enable_visualization(cfg, args):
    """Switch on SegVisualizationHook for ``--show``/``--show-dir``."""
    hook = cfg.default_hooks.get('visualization')
    if hook is None:
        raise RuntimeError(
            '--show/--show-dir need default_hooks.visualization '
            "(type='SegVisualizationHook') in the config")
    hook['draw'] = True
    if args.show:
        hook['show'] = True
        hook['wait_time'] = args.wait_time
    if args.show_dir:
        cfg.visualizer['save_dir'] = cfg.work_dir
        hook['img_save_dir'] = args.show_dir


def main():
    args = parse_args()
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(
            f'checkpoint not found: {osp.abspath(args.checkpoint)}')
    cfg = load_config(args.config, args.cfg_options)
    cfg.launcher = args.launcher

    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = args.checkpoint

    if args.show or args.show_dir:
        enable_visualization(cfg, args)
    if args.tta:
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model
    if args.out is not None:
        evaluators = cfg.test_evaluator if isinstance(
            cfg.test_evaluator, (list, tuple)) else [cfg.test_evaluator]
        iou_metrics = [
            e for e in evaluators
            if e.get('type') in ('IoUMetric', 'ClassIoUMetric')
        ]
        if not iou_metrics:
            raise ValueError('--out writes the predicted masks of an '
                             "IoUMetric; this config's test_evaluator has "
                             'none')
        for metric in iou_metrics:
            metric['output_dir'] = args.out
            metric['keep_results'] = True

    with cpu_distributed(cfg):
        runner = Runner.from_cfg(cfg)
        # mmengine loads `load_from` with strict=False: weights of another
        # model would only log warnings and score random weights
        state_dict, _ = checkpoint_state_dict(args.checkpoint)
        check_checkpoint_matches(runner.model, state_dict, args.checkpoint,
                                 args.config)
        del state_dict
        metrics = runner.test()
    if metrics:
        summary = '  '.join(f'{k}: {float(v):.2f}'
                            for k, v in metrics.items()
                            if isinstance(v, numbers.Real))
        print(f'{osp.basename(args.config)}: {summary}')
        if 'IoU.gas' in metrics:
            print(describe_gas_iou(float(metrics['IoU.gas'])))


if __name__ == '__main__':
    main()

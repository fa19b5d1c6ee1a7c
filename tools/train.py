"""Train a segmentor with mmgas registered (mmseg's ``tools/train.py`` flags).

Examples::

    python tools/train.py configs/gasseg/gasseg-s_1xb8-4k_synthetic-256x192.py
    python tools/train.py CONFIG --work-dir work_dirs/run --resume
    bash tools/dist_train.sh CONFIG 2
"""
import argparse
import logging
import os
import os.path as osp

import mmgas  # noqa: F401  (shims + registries before anything builds)
from mmengine.config import DictAction
from mmengine.logging import print_log
from mmengine.runner import Runner

from mmgas.compat import cpu_distributed
from mmgas.utils import load_config


def parse_args():
    parser = argparse.ArgumentParser(description='Train a segmentor')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        action='store_true',
        help='resume from the latest checkpoint in the work_dir')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='enable automatic-mixed-precision training')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings in the config, key=value pairs, e.g. '
        'train_cfg.max_iters=100 "model.backbone.channels=32"')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    # torchrun passes --local-rank (older launchers --local_rank)
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main():
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    cfg.launcher = args.launcher

    # work_dir priority: CLI > config > ./work_dirs/<config name>
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])

    if args.amp:
        if cfg.optim_wrapper.type == 'AmpOptimWrapper':
            print_log(
                'AMP training is already enabled in your config.',
                logger='current',
                level=logging.WARNING)
        else:
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.loss_scale = 'dynamic'

    cfg.resume = args.resume
    with cpu_distributed(cfg):
        runner = Runner.from_cfg(cfg)
        runner.train()


if __name__ == '__main__':
    main()

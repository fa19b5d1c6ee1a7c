"""Inference speed of a segmentor on its test images (mmseg's flags).

Times ``model.test_step`` on batches of one image from the config's test
split: the data preprocessor (normalise, pad), the network, the config's
``test_cfg`` mode, resizing the logits to the original image size and the
arg-max; loading and the test pipeline are not timed. The test set is
cycled, so ``--num-warmup`` + ``--num-iters`` may exceed its size: the
figures never come out as ``nan`` for a small set (mmseg's own script times
only as many images as the set holds, mmseg issues #2559 and #3572).

Prints the running rate every ``--log-interval`` timed images, the overall
rate and median latency of each of ``--repeat-times`` runs, and their mean
and spread; with ``--log-dir`` also writes them as JSON.

Examples::

    python tools/analysis_tools/benchmark.py \\
        configs/gasseg/gasseg-s_1xb8-4k_synthetic-256x192.py CKPT
    python tools/analysis_tools/benchmark.py CONFIG CKPT --repeat-times 3 \\
        --threads 2 --log-dir work_dirs/benchmark
"""
import argparse
import os.path as osp
import statistics
import time


import mmgas  # noqa: F401
import torch
from mmengine.config import DictAction
from mmengine.fileio import dump
from mmengine.utils import mkdir_or_exist

from mmgas.benchmark import (TimingSummary, build_segmentor,
                             build_test_dataloader, synchronized)
from mmgas.utils import load_config


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Inference speed of a segmentor on its test images')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--log-dir', help='directory for the JSON record of the results')
    parser.add_argument(
        '--repeat-times',
        type=int,
        default=1,
        help='independent runs to average (default: 1)')
    parser.add_argument(
        '--num-iters',
        type=int,
        default=200,
        help='timed images per run (default: 200)')
    parser.add_argument(
        '--num-warmup',
        type=int,
        default=5,
        help='untimed images before them (default: 5)')
    parser.add_argument(
        '--log-interval',
        type=int,
        default=50,
        help='print the running rate every N timed images (default: 50)')
    parser.add_argument(
        '--threads',
        type=int,
        default=None,
        help='torch.set_num_threads (default: torch\'s own choice)')
    parser.add_argument(
        '--device', default=None, help='default: cuda if available, else cpu')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings in the config, key=value pairs')
    args = parser.parse_args(argv)
    for name in ('repeat_times', 'num_iters', 'log_interval'):
        if getattr(args, name) < 1:
            parser.error(f'--{name.replace("_", "-")} must be at least 1')
    if args.num_warmup < 0:
        parser.error('--num-warmup must not be negative')
    return args


def endless(dataloader):
    """Yield the loader's batches round and round (a small test set is
    reused instead of running out)."""
    while True:
        empty = True
        for batch in dataloader:
            empty = False
            yield batch
        if empty:
            raise RuntimeError('the test dataloader yields no batches')


def time_run(model, batches, args, device):
    """One run: warm-up, then ``num_iters`` timed test steps; returns the
    per-image times in seconds."""
    times = []
    with torch.no_grad():
        for i in range(args.num_warmup + args.num_iters):
            batch = next(batches)
            step = synchronized(lambda: model.test_step(batch), device)
            start = time.perf_counter()
            step()
            elapsed = time.perf_counter() - start
            if i < args.num_warmup:
                continue
            times.append(elapsed)
            if len(times) % args.log_interval == 0:
                print(f'Done image [{len(times):<3}/{args.num_iters}], '
                      f'fps: {len(times) / sum(times):.2f} img / s')
    return times


def main(argv=None):
    args = parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    device = args.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(
            f'checkpoint not found: {osp.abspath(args.checkpoint)}')
    cfg = load_config(args.config, args.cfg_options)
    # one image per step, loaded in this process: what is timed is the
    # model, and loader workers would compete for the cores
    cfg.test_dataloader.batch_size = 1
    cfg.test_dataloader.num_workers = 0
    cfg.test_dataloader.persistent_workers = False
    model = build_segmentor(cfg, args.checkpoint, device=device)
    batches = endless(build_test_dataloader(cfg))

    print(f'{osp.basename(args.config)}: model.test_step per image '
          f'(preprocess + network + resize to the image + arg-max; loading '
          f'not timed), batch 1, {device}, {torch.get_num_threads()} '
          f'threads, {args.num_warmup} warm-up + {args.num_iters} timed '
          f'images per run')
    runs = []
    for run in range(args.repeat_times):
        if args.repeat_times > 1:
            print(f'Run {run + 1}/{args.repeat_times}')
        times = time_run(model, batches, args, device)
        latency = TimingSummary.from_samples([t * 1e3 for t in times])
        fps = len(times) / sum(times)
        runs.append(
            dict(
                fps=fps,
                latency_ms_median=latency.median,
                latency_ms_q1=latency.q1,
                latency_ms_q3=latency.q3))
        print(f'Overall fps: {fps:.2f} img / s, latency median '
              f'{latency.median:.2f} ms (IQR {latency.q1:.2f}-'
              f'{latency.q3:.2f})')
    fps_all = [r['fps'] for r in runs]
    result = dict(
        config=args.config,
        checkpoint=args.checkpoint,
        device=device,
        threads=torch.get_num_threads(),
        num_warmup=args.num_warmup,
        num_iters=args.num_iters,
        runs=runs,
        average_fps=statistics.mean(fps_all),
        fps_stdev=statistics.stdev(fps_all) if len(fps_all) > 1 else 0.0)
    print(f'Average fps of {len(runs)} evaluations: '
          f'{result["average_fps"]:.2f} img / s')
    print(f'The standard deviation of {len(runs)} evaluations: '
          f'{result["fps_stdev"]:.2f} img / s')
    if args.log_dir:
        mkdir_or_exist(args.log_dir)
        stamp = time.strftime('%Y%m%d_%H%M%S', time.localtime())
        dump(result, osp.join(args.log_dir, f'benchmark_{stamp}.json'))
    return result


if __name__ == '__main__':
    main()

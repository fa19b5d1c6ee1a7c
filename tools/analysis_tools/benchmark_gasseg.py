"""Eval latency of GasSeg-S/M/L in eager PyTorch, deployed PyTorch and
ONNX Runtime, interleaved in one process.

Scope of every number: one forward of ``mode='tensor'`` (backbone + decode
head in eval mode, logits at stride 8; no pre-processing, no resize to the
image size, no argmax), fp32, batch 1, on the CPU, with
``torch.set_num_threads(THREADS)`` and ONNX Runtime's
``intra_op_num_threads=THREADS``. Weights are the release configs' own
initialisation (latency does not depend on them) unless ``--checkpoint``
gives one. The runtimes are:

- ``eager``: the model as built from ``configs/gasseg/gasseg-{s,m,l}_1xb16-
  120k_igs-256x192.py``;
- ``deploy``: the same after ``backbone.switch_to_deploy()`` and
  ``decode_head.switch_to_deploy()`` (BatchNorm folded into the convs, the
  two Scharr convs merged, channels-last weights);
- ``onnxruntime``: the deployed model exported with the TorchScript
  exporter (``dynamo=False``, opset 13) and run by ONNX Runtime (all graph
  optimisations, CPU provider).

CPU timings drift by tens of percent between runs on shared machines, so
every round times one forward of each (model, runtime) pair, in a new random
order each round, after a warm-up, and the median, the interquartile range
and the ratio to eager are reported. ONNX Runtime's thread spinning is
switched off so that its idle workers do not slow the next PyTorch forward.
Before timing, each runtime's output is checked against eager PyTorch.

Example::

    python tools/analysis_tools/benchmark_gasseg.py --threads 2 \\
        --shape 192 256 --warmup 20 --rounds 200
"""
import argparse
import copy
import os
import os.path as osp
import tempfile

import torch

import mmgas  # noqa: F401
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmgas.benchmark import (TimingSummary, cpu_name, interleaved_timings,
                             onnxruntime_runner, relative_difference)
from mmseg.registry import MODELS

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

CONFIG = osp.join(REPO_ROOT, 'configs', 'gasseg',
                  'gasseg-{}_1xb16-120k_igs-256x192.py')
RUNTIMES = ('eager', 'deploy', 'onnxruntime')


def parse_args():
    parser = argparse.ArgumentParser(
        description='Interleaved eval latency of GasSeg S/M/L in eager '
        'PyTorch, deployed PyTorch and ONNX Runtime.')
    parser.add_argument(
        '--sizes', nargs='+', default=['s', 'm', 'l'], choices='sml')
    parser.add_argument(
        '--runtimes', nargs='+', default=list(RUNTIMES), choices=RUNTIMES)
    parser.add_argument(
        '--shape', nargs=2, type=int, default=[192, 256],
        metavar=('H', 'W'), help='input height and width')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--warmup', type=int, default=20)
    parser.add_argument('--rounds', type=int, default=200)
    parser.add_argument(
        '--checkpoint',
        nargs='+',
        default=None,
        help='one checkpoint per size (same order as --sizes)')
    args = parser.parse_args()
    if args.rounds < 1 or args.threads < 1 or args.warmup < 0:
        parser.error('--rounds and --threads must be at least 1, --warmup '
                     'at least 0')
    if args.checkpoint and len(args.checkpoint) != len(args.sizes):
        parser.error(f'{len(args.checkpoint)} --checkpoint file(s) for '
                     f'{len(args.sizes)} --sizes: give one per size')
    return args


def build(size, checkpoint=None):
    model = MODELS.build(Config.fromfile(CONFIG.format(size)).model)
    if checkpoint:
        from mmengine.runner import load_checkpoint
        load_checkpoint(model, checkpoint, map_location='cpu', strict=True)
    else:
        model.backbone.init_weights()
        model.decode_head.init_weights()
    return model.eval()


def make_runners(args, x, work_dir):
    runners = {}
    for i, size in enumerate(args.sizes):
        checkpoint = args.checkpoint[i] if args.checkpoint else None
        eager = build(size, checkpoint)
        deployed = copy.deepcopy(eager)
        deployed.backbone.switch_to_deploy()
        deployed.decode_head.switch_to_deploy()
        with torch.inference_mode():
            reference = eager(x, mode='tensor')
        candidates = dict(
            eager=lambda m=eager: m(x, mode='tensor'),
            deploy=lambda m=deployed: m(x, mode='tensor'))
        if 'onnxruntime' in args.runtimes:
            candidates['onnxruntime'], _ = onnxruntime_runner(
                deployed, x, osp.join(work_dir, f'gasseg-{size}.onnx'),
                args.threads)
        for runtime in args.runtimes:
            run = candidates[runtime]
            with torch.inference_mode():
                error = relative_difference(reference, run())
            if error > 1e-4:
                raise RuntimeError(f'gasseg-{size} {runtime}: outputs differ'
                                   f' from eager (relative {error:.2e})')
            runners[(size, runtime)] = (run, error)
    return runners


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    init_default_scope('mmseg')
    torch.manual_seed(0)
    x = torch.rand(1, 3, *args.shape) * 255
    with tempfile.TemporaryDirectory() as work_dir:
        runners = make_runners(args, x, work_dir)
        # a new order every round: no runtime always follows another
        times = interleaved_timings(
            {key: run
             for key, (run, _) in runners.items()},
            args.rounds,
            args.warmup,
            shuffle=True)

    import onnxruntime
    print(f'GasSeg eval latency, input 1x3x{args.shape[0]}x{args.shape[1]}, '
          f'batch 1, fp32, {args.threads} threads (torch.set_num_threads, '
          f'ORT intra_op), warm-up {args.warmup}, {args.rounds} interleaved '
          f'rounds; torch {torch.__version__}, onnxruntime '
          f'{onnxruntime.__version__}, {cpu_name()} '
          f'({os.cpu_count()} logical CPUs)')
    print()
    print('| model | runtime | median ms | IQR ms (p25-p75) | min ms | '
          'speed-up vs eager | max rel. diff vs eager |')
    print('|---|---|---|---|---|---|---|')
    for (size, runtime), (_, error) in runners.items():
        summary = TimingSummary.from_samples(times[(size, runtime)])
        eager = TimingSummary.from_samples(times[(size, 'eager')]).median if (
            size, 'eager') in times else float('nan')
        print(f'| GasSeg-{size.upper()} | {runtime} | {summary.median:.2f} | '
              f'{summary.q1:.2f}-{summary.q3:.2f} | {summary.minimum:.2f} | '
              f'{eager / summary.median:.2f}x | {error:.1e} |')


if __name__ == '__main__':
    main()

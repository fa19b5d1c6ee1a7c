"""Compare the inference latency of segmentors, interleaved in one process.

CPU timings drift by tens of percent between runs on shared machines, so
the models are timed round-robin (one forward of each per round) in the
same process, and the median over rounds is reported with the ratio to the
first model. ``tools/analysis_tools/compare.py`` measures the same and
more (FLOPs, throughput, memory, accuracy; table, CSV and plot); both use
:mod:`mmgas.benchmark`.

Scope of every number: eager PyTorch (and, with ``--onnxruntime``, the
model exported with the TorchScript exporter and run by onnxruntime),
``mode='tensor'`` (backbone + decode head, logits at the head's stride; no
resize to the image size, no argmax, no data preprocessing), fp32, random
weights (latency does not depend on them), one input of the given batch and
size.

Example::

    python tools/analysis_tools/compare_latency.py \\
        configs/gasvit/gasvit-xs_mlphead_1xb8-1k_synthetic-256x192.py \\
        configs/gasvit/gasvit-xs_fpnhead_1xb8-1k_synthetic-256x192.py \\
        --shape 192 256 --threads 2 --rounds 200
"""
import argparse
import os.path as osp
import tempfile


def parse_args():
    parser = argparse.ArgumentParser(
        description='Interleaved latency of segmentor configs')
    parser.add_argument('configs', nargs='+', help='config files')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        default=[192, 256],
        metavar=('H', 'W'),
        help='input height and width (default: 192 256)')
    parser.add_argument(
        '--batch', type=int, default=1, help='batch size (default: 1)')
    parser.add_argument(
        '--threads',
        type=int,
        default=2,
        help='intra-op threads for torch and onnxruntime (default: 2)')
    parser.add_argument(
        '--rounds',
        type=int,
        default=200,
        help='timed rounds, one forward per model each (default: 200)')
    parser.add_argument(
        '--warmup', type=int, default=20, help='untimed rounds (default: 20)')
    parser.add_argument(
        '--onnxruntime',
        action='store_true',
        help='also time each model exported to ONNX (opset 13) in '
        'onnxruntime')
    return parser.parse_args()


def main():
    args = parse_args()
    import torch

    from mmgas.benchmark import (TimingSummary, build_segmentor,
                                 count_parameters, interleaved_timings,
                                 onnxruntime_runner, random_images)
    torch.set_num_threads(args.threads)
    x = random_images(args.batch, args.shape)

    runners = {}  # name [runtime] -> zero-argument callable, one forward
    params = {}
    tmp_dir = tempfile.TemporaryDirectory()
    for path in args.configs:
        name = osp.splitext(osp.basename(path))[0]
        if name in params:  # the same config twice: a noise estimate
            name = f'{name}#{len(params) + 1}'
        model = build_segmentor(path)
        params[name] = count_parameters(model)
        runners[f'{name} [torch]'] = (
            lambda model=model: model(x, mode='tensor'))
        if args.onnxruntime:
            runners[f'{name} [onnxruntime]'], _ = onnxruntime_runner(
                model, x, osp.join(tmp_dir.name, f'{name}.onnx'),
                args.threads)

    times = interleaved_timings(runners, args.rounds, args.warmup)
    print(f'input {args.batch}x3x{args.shape[0]}x{args.shape[1]}, '
          f'{args.threads} threads, fp32, median of {args.rounds} '
          f'interleaved rounds after {args.warmup} warm-up rounds, '
          f'torch {torch.__version__}')
    base = None
    for key, values in times.items():
        summary = TimingSummary.from_samples(values)
        base = base or summary.median
        name = key.rsplit(' [', 1)[0]
        print(f'{key}: median {summary.median:.2f} ms (IQR '
              f'{summary.q1:.2f}-{summary.q3:.2f}), '
              f'x{summary.median / base:.2f} of the first, '
              f'{params[name] / 1e6:.3f} M params')
    tmp_dir.cleanup()


if __name__ == '__main__':
    main()

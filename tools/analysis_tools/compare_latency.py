"""Compare the inference latency of segmentors, interleaved in one process.

CPU timings drift by tens of percent between runs on shared machines, so
the models are timed round-robin (one forward of each per round) in the
same process, and the median over rounds is reported with the ratio to the
first model.

Scope of every number: eager PyTorch (and, with ``--onnxruntime``, the
model exported with the TorchScript exporter and run by onnxruntime),
``mode='tensor'`` (backbone + decode head, logits at the head's stride; no
resize to the image size, no argmax, no data preprocessing), fp32, random
weights (latency does not depend on them), one input of the given batch and
size.

Example::

    python tools/analysis_tools/compare_latency.py \\
        configs/gasvit/gasvit-xs_mlphead_1xb8-2k_synthetic-256x192.py \\
        configs/gasvit/gasvit-xs_fpnhead_1xb8-2k_synthetic-256x192.py \\
        --shape 192 256 --threads 2 --rounds 200
"""
import argparse
import os
import os.path as osp
import statistics
import sys
import tempfile
import time

# run from a checkout without `pip install -e .`
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, REPO_ROOT)


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
    # before torch creates its thread pools
    os.environ.setdefault('OMP_NUM_THREADS', str(args.threads))
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    import mmgas  # noqa: F401
    from mmseg.registry import MODELS

    torch.set_num_threads(args.threads)
    init_default_scope('mmseg')
    x = torch.rand(args.batch, 3, *args.shape) * 255

    runners = {}  # name -> zero-argument callable running one forward
    params = {}
    tmp_dir = tempfile.TemporaryDirectory()
    for path in args.configs:
        name = osp.splitext(osp.basename(path))[0]
        if name in params:  # the same config twice: a noise estimate
            name = f'{name}#{len(params) + 1}'
        cfg = Config.fromfile(path)
        model = MODELS.build(cfg.model).eval()
        params[name] = sum(p.numel() for p in model.parameters())

        def run_torch(model=model):
            with torch.no_grad():
                model(x, mode='tensor')

        runners[f'{name} [torch]'] = run_torch
        if args.onnxruntime:
            import onnxruntime as ort
            onnx_path = osp.join(tmp_dir.name, f'{name}.onnx')
            with torch.no_grad():
                torch.onnx.export(
                    model, (x, ),
                    onnx_path,
                    dynamo=False,
                    opset_version=13,
                    input_names=['input'])
            options = ort.SessionOptions()
            options.intra_op_num_threads = args.threads
            options.inter_op_num_threads = 1
            # spinning threads would steal the cores from the next model
            options.add_session_config_entry(
                'session.intra_op.allow_spinning', '0')
            session = ort.InferenceSession(
                onnx_path, options, providers=['CPUExecutionProvider'])
            feed = {'input': x.numpy()}

            def run_ort(session=session, feed=feed):
                session.run(None, feed)

            runners[f'{name} [onnxruntime]'] = run_ort

    times = {key: [] for key in runners}
    for i in range(args.warmup + args.rounds):
        for key, run in runners.items():
            start = time.perf_counter()
            run()
            if i >= args.warmup:
                times[key].append((time.perf_counter() - start) * 1000)

    print(f'input {args.batch}x3x{args.shape[0]}x{args.shape[1]}, '
          f'{args.threads} threads, fp32, median of {args.rounds} '
          f'interleaved rounds after {args.warmup} warm-up rounds, '
          f'torch {torch.__version__}')
    base = None
    for key, values in times.items():
        median = statistics.median(values)
        base = base or median
        name = key.rsplit(' [', 1)[0]
        q1, _, q3 = statistics.quantiles(values, n=4)
        print(f'{key}: median {median:.2f} ms (IQR {q1:.2f}-{q3:.2f}), '
              f'x{median / base:.2f} of the first, '
              f'{params[name] / 1e6:.3f} M params')
    tmp_dir.cleanup()


if __name__ == '__main__':
    main()

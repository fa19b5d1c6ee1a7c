"""Latency of exported segmentation models on ONNX Runtime (and PyTorch).

mmgas's version of mmdeploy's ``tools/profiler.py`` (not in its wheel)::

    python tools/profiler.py DEPLOY_CFG MODEL_CFG IMG_DIR \
        --model W/end2end.onnx [W2/end2end.onnx ...] --shape 192x256 \
        [--checkpoint CKPT] [--threads 2] [--num-iter 100] [--warmup 10]

Every model is timed on the same images in interleaved rounds (one call of
each model and scope per round, in a new random order each round:
:func:`mmgas.benchmark.interleaved_timings`, as ``compare.py``), so drift of
a shared machine affects all of them alike. ``compare.py`` times models
built from configs; this tool times exported (and quantised) ``.onnx``
files, and the end-to-end scope. Two scopes are reported per model, batch 1:

* ``network``: one ONNX Runtime ``run`` (or the PyTorch model's
  ``inference``) on an already preprocessed 1x3xHxW float tensor;
* ``end2end``: from a decoded BGR uint8 frame (as from a camera; no file
  reading) to the label map at the frame's size: resize to the input size,
  BGR->RGB, the config's mean/std, HWC->NCHW, the network, arg-max and a
  nearest resize of the labels back to the frame size.

``--shape`` is H x W, as in mmdeploy. Results (median and mean ms, FPS from
the median) are printed as a Markdown table and saved with ``--out``.
"""
import argparse
import glob
import json
import os
import os.path as osp
import platform
import statistics

# Busy-waiting OpenMP workers (torch) and ONNX Runtime workers timed in
# turns on few cores starve each other (PyTorch measured 10-40x slower);
# must be set before torch loads its OpenMP runtime.
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')

import cv2  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Interleaved latency of ONNX Runtime / PyTorch models.')
    parser.add_argument('deploy_cfg', help='deploy config path')
    parser.add_argument('model_cfg', help='model config path')
    parser.add_argument('image_dir', help='directory of test images')
    parser.add_argument(
        '--model', nargs='+', required=True, help='ONNX model file(s)')
    parser.add_argument(
        '--checkpoint',
        default=None,
        help='also time the PyTorch model (eager) with this checkpoint')
    parser.add_argument(
        '--shape',
        default=None,
        help='input size HxW (default: the deploy config input_shape)')
    parser.add_argument('--threads', type=int, default=2,
                        help='intra-op threads for ONNX Runtime and torch')
    parser.add_argument('--num-iter', type=int, default=100,
                        help='timed rounds')
    parser.add_argument('--warmup', type=int, default=10,
                        help='untimed rounds first')
    parser.add_argument('--img-ext', nargs='+',
                        default=['.png', '.jpg', '.jpeg', '.bmp'])
    parser.add_argument('--device', default='cpu',
                        help='only cpu is supported')
    parser.add_argument(
        '--ort-spinning', action='store_true',
        help='let ONNX Runtime worker threads spin between runs (its '
        'default; faster alone, unfair when interleaved with other models)')
    parser.add_argument('--out', default=None, help='save results as JSON')
    args = parser.parse_args(argv)
    if args.device != 'cpu':
        parser.error('only --device cpu is supported')
    if args.num_iter < 1 or args.warmup < 0 or args.threads < 1:
        parser.error('--num-iter and --threads must be at least 1, '
                     '--warmup at least 0')
    return args


def load_frames(image_dir, exts, limit=32):
    """Decoded BGR frames from ``image_dir`` (at most ``limit``)."""
    paths = sorted(p for p in glob.glob(osp.join(image_dir, '**', '*'),
                                        recursive=True)
                   if osp.splitext(p)[1].lower() in exts)
    if not paths:
        raise SystemExit(f'no images with extensions {exts} under '
                         f'{osp.abspath(image_dir)}')
    return [cv2.imread(p, cv2.IMREAD_COLOR) for p in paths[:limit]]


def onnx_runner(path, threads, spinning=False):
    from mmgas.deploy import onnxruntime_session
    session = onnxruntime_session(path, threads, spinning)
    input_name = session.get_inputs()[0].name
    return lambda x: session.run(None, {input_name: x})[0]


def torch_runner(model_cfg, checkpoint, threads):
    import torch

    from mmgas.benchmark import build_segmentor
    torch.set_num_threads(threads)
    model = build_segmentor(model_cfg, checkpoint, device='cpu')

    def run(x):
        with torch.no_grad():
            tensor = torch.from_numpy(x)
            meta = dict(img_shape=tuple(x.shape[2:]),
                        ori_shape=tuple(x.shape[2:]))
            return model.inference(tensor, [meta]).numpy()

    return run


def profile(runners, frames, preprocess, num_iter, warmup):
    """Both scopes of every model, timed in the interleaved rounds of
    :func:`mmgas.benchmark.interleaved_timings` (a new random order and the
    next frame each round); returns {name: {scope: [ms, ...]}}."""
    from mmgas.benchmark import interleaved_timings
    from mmgas.deploy.preprocess import labels_from_logits
    inputs = [preprocess(f) for f in frames]
    current = [0]  # the frame of this round

    def network(run):
        return lambda: run(inputs[current[0]])

    def end2end(run):

        def call():
            frame = frames[current[0]]
            return labels_from_logits(run(preprocess(frame)), frame.shape)

        return call

    timed = {}
    for name, run in runners.items():
        timed[(name, 'network')] = network(run)
        timed[(name, 'end2end')] = end2end(run)

    def next_frame():
        current[0] = (current[0] + 1) % len(frames)

    times = interleaved_timings(
        timed, num_iter, warmup, shuffle=True, on_round=next_frame)
    return {
        name: dict(network=times[(name, 'network')],
                   end2end=times[(name, 'end2end')])
        for name in runners
    }


def main(argv=None):
    args = parse_args(argv)
    from mmdeploy.utils import get_input_shape

    import mmgas  # noqa: F401
    from mmgas.utils import load_config

    from mmgas.datasets.transforms import input_encoding
    from mmgas.deploy.preprocess import FramePreprocessor
    deploy_cfg = load_config(args.deploy_cfg)
    model_cfg = load_config(args.model_cfg)
    if args.shape:
        size_hw = tuple(int(v) for v in args.shape.lower().split('x'))
    else:
        input_shape = get_input_shape(deploy_cfg)
        if input_shape is None:
            raise SystemExit('dynamic deploy config: pass --shape HxW')
        size_hw = (input_shape[1], input_shape[0])
    frames = load_frames(args.image_dir, args.img_ext)
    preprocess = FramePreprocessor(model_cfg.model.data_preprocessor,
                                   size_hw, input_encoding(model_cfg))
    runners = {}
    for path in args.model:
        runners[f'onnxruntime:{path}'] = onnx_runner(path, args.threads,
                                                     args.ort_spinning)
    if args.checkpoint:
        runners[f'pytorch:{args.checkpoint}'] = torch_runner(
            model_cfg, args.checkpoint, args.threads)
    times = profile(runners, frames, preprocess, args.num_iter, args.warmup)

    import onnxruntime
    import torch
    results = dict(
        setting=dict(
            threads=args.threads,
            input_hw=list(size_hw),
            batch=1,
            num_iter=args.num_iter,
            warmup=args.warmup,
            frame_hw=list(frames[0].shape[:2]),
            onnxruntime=onnxruntime.__version__,
            torch=torch.__version__,
            cpu=platform.processor() or platform.machine()),
        models={})
    print(f'threads {args.threads}, input {size_hw[0]}x{size_hw[1]} (HxW), '
          f'batch 1, {args.num_iter} interleaved rounds after '
          f'{args.warmup} warm-up\n')
    print('| model | scope | median ms | mean ms | FPS (median) |')
    print('|---|---|---|---|---|')
    for name, scopes in times.items():
        results['models'][name] = {}
        for scope, values in scopes.items():
            median = statistics.median(values)
            mean = statistics.fmean(values)
            results['models'][name][scope] = dict(
                median_ms=median, mean_ms=mean, fps=1000.0 / median)
            print(f'| {name} | {scope} | {median:.2f} | {mean:.2f} | '
                  f'{1000.0 / median:.1f} |')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(results, f, indent=2)
    return results


if __name__ == '__main__':
    main()

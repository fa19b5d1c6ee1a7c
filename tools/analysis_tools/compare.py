"""Compare segmentors in one process: size, speed, memory and accuracy.

For every config (models built from the configs; weights from
``--checkpoints`` when given, else PyTorch's default initialisation, which
speed does not depend on), in one process:

- parameters (all, as mmseg counts them, and those the inference forward
  uses: auxiliary heads and losses only train), and FLOPs and activations
  of one forward at ``--shape``
  (``mmengine.analysis.get_model_complexity_info``; one multiply-add = one
  FLOP);
- batch-1 latency in the ``--runtimes`` (default ``pytorch onnxruntime``):
  ``pytorch``, the model as built (eager); ``deploy``, the same after
  ``switch_to_deploy()`` of its backbone and decode head where they have one
  (GasSeg: BatchNorm folded into the convs, the Scharr convs merged; other
  models get no deploy figures); ``onnxruntime``, the network exported with
  the TorchScript exporter (opset 13, static shape; the deployed model when
  ``deploy`` is timed) in onnxruntime. Every runtime's logits are checked
  against eager PyTorch. Also batch-``--batch`` throughput in PyTorch; all
  timed **interleaved**: every round runs each (model, runtime) once (in a
  new random order with ``--shuffle``), so load drift hits all alike;
  medians and interquartile ranges over ``--rounds``;
- peak memory of one batch-``--batch`` forward (tensors PyTorch allocates
  during it; on the CPU replayed from ``torch.profiler``'s allocator
  events, see :func:`mmgas.benchmark.peak_forward_memory`);
- with ``--checkpoints``, mIoU, mF1 (mmseg's mFscore), gas IoU and F1 on the
  config's test split with the config's test evaluator; or, with
  ``--results``, the same four read from the metrics file ``tools/test.py``
  wrote for each config (``WORK_DIR/TIMESTAMP/TIMESTAMP.json``), so models
  trained and tested at different times share one table and plot.

Scope of every timing: ``mode='tensor'`` (backbone + decode head in eval
mode; no preprocessing, no resize to the image size, no arg-max), fp32,
random input of ``--shape``, ``--threads`` threads for PyTorch
(``torch.set_num_threads``) and onnxruntime (intra-op), on ``--device``
(onnxruntime always on the CPU).

Writes ``compare.md`` (the table), ``compare.csv`` and ``compare.png``
(accuracy against PyTorch latency with checkpoints, else latency against
parameters) to ``--out-dir``, and prints the table.

Examples::

    python tools/analysis_tools/compare.py \\
        configs/gasseg/gasseg-s_1xb8-4k_synthetic-256x192.py \\
        configs/baselines/*_1xb8-4k_synthetic-256x192.py \\
        --shape 192 256 --threads 2 --rounds 100 --out-dir work_dirs/compare
    # GasSeg-S/M/L eager, deployed and in onnxruntime (latency only)
    python tools/analysis_tools/compare.py \\
        configs/gasseg/gasseg-{s,m,l}_1xb16-120k_igs-256x192.py \\
        --runtimes pytorch deploy onnxruntime --shuffle --warmup 20 \\
        --rounds 200 --out-dir work_dirs/compare_gasseg

``--scope end2end`` times the inference path of ``tools/infer.py`` instead
of the network alone: a decoded uint8 frame of ``--shape`` to the gas mask
at its size (:mod:`mmgas.apis` runtimes). Files exported by mmdeploy (and
quantised ones) are timed by ``tools/profiler.py``, mmdeploy's profiler's
counterpart, with the same interleaved rounds.
"""
import argparse
import copy
import csv
import os
import os.path as osp
import tempfile

import numpy as np


import mmgas  # noqa: F401
import torch
from mmengine.config import DictAction
from mmengine.utils import ProgressBar, mkdir_or_exist

from mmgas.benchmark import (TimingSummary, build_segmentor,
                             build_test_dataloader, count_parameters,
                             cpu_name, evaluate_segmentor,
                             inference_parameters, interleaved_timings,
                             model_complexity, onnxruntime_runner,
                             peak_forward_memory, random_images,
                             relative_difference, synchronized)
from mmgas.utils import load_config

RUNTIMES = ('pytorch', 'deploy', 'onnxruntime')
# CSV column -> key of the test metrics (ClassIoUMetric, in percent)
ACCURACY_KEYS = (('mIoU', 'mIoU'), ('mF1', 'mFscore'), ('gas_IoU', 'IoU.gas'),
                 ('gas_F1', 'F1.gas'))
# runtime -> (timing key, CSV prefix, table heading)
RUNTIME_COLUMNS = {
    'pytorch': ('torch', 'torch_ms', 'PyTorch'),
    'deploy': ('deploy', 'deploy_ms', 'PyTorch deploy'),
    'onnxruntime': ('ort', 'ort_ms', 'onnxruntime'),
}
CSV_FIELDS = ('model', 'config', 'checkpoint', 'results', 'params',
              'inference_params', 'flops',
              'activations', 'torch_ms_median', 'torch_ms_q1',
              'torch_ms_q3', 'deploy_ms_median', 'deploy_ms_q1',
              'deploy_ms_q3', 'deploy_rel_diff', 'ort_ms_median',
              'ort_ms_q1', 'ort_ms_q3', 'ort_rel_diff', 'throughput_img_s',
              'peak_memory_mib', 'mIoU', 'mF1', 'gas_IoU', 'gas_F1')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Compare segmentors in one process: parameters, FLOPs, '
        'interleaved latency (PyTorch, onnxruntime), throughput, memory and '
        'accuracy; writes a Markdown table, a CSV and a plot')
    parser.add_argument('configs', nargs='+', help='config files')
    parser.add_argument(
        '--checkpoints',
        nargs='+',
        help='one checkpoint per config, same order: also evaluates mIoU, '
        'mF1 and gas IoU on each config\'s test split; `none` for a config '
        'without one (speed and size only)')
    parser.add_argument(
        '--results',
        nargs='+',
        help='instead of --checkpoints: one metrics JSON of tools/test.py '
        '(WORK_DIR/TIMESTAMP/TIMESTAMP.json) per config, same order, whose '
        'mIoU, mFscore, IoU.gas and F1.gas fill the accuracy columns; '
        '`none` for a config without one')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        default=[192, 256],
        metavar=('H', 'W'),
        help='input height and width (default: 192 256)')
    parser.add_argument(
        '--batch',
        type=int,
        default=8,
        help='batch size of the throughput and memory figures (default: 8)')
    parser.add_argument(
        '--threads',
        type=int,
        default=2,
        help='intra-op threads for torch and onnxruntime (default: 2)')
    parser.add_argument(
        '--rounds',
        type=int,
        default=100,
        help='timed rounds, each runs every model and runtime once '
        '(default: 100)')
    parser.add_argument(
        '--warmup', type=int, default=10, help='untimed rounds (default: 10)')
    parser.add_argument(
        '--runtimes',
        nargs='+',
        choices=RUNTIMES,
        default=['pytorch', 'onnxruntime'],
        help='runtimes to time; pytorch (eager) is always timed, as the '
        'reference (default: pytorch onnxruntime)')
    parser.add_argument(
        '--no-onnx',
        action='store_true',
        help='skip the onnxruntime export and timings (drops onnxruntime '
        'from --runtimes)')
    parser.add_argument(
        '--scope',
        choices=('network', 'end2end'),
        default='network',
        help='what the batch-1 latencies time: network, mode=\'tensor\' on '
        'a preprocessed tensor; end2end, a decoded uint8 frame of --shape to '
        'the gas mask at its size, as tools/infer.py runs it (default: '
        'network; throughput and memory are always network figures)')
    parser.add_argument(
        '--shuffle',
        action='store_true',
        help='time the (model, runtime) pairs in a new random order every '
        'round (default: the same order)')
    parser.add_argument(
        '--device',
        default='cpu',
        help='device of the PyTorch measurements (default: cpu)')
    parser.add_argument(
        '--out-dir',
        default='work_dirs/compare',
        help='where compare.md/.csv/.png go (default: work_dirs/compare)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        metavar='KEY=VALUE',
        help='overrides applied to every config, e.g. '
        'test_dataloader.dataset.data_root=data/synthetic_gas')
    args = parser.parse_args(argv)
    if args.checkpoints and args.results:
        parser.error('give --checkpoints (evaluate now) or --results '
                     '(metrics measured before), not both')
    for option in ('checkpoints', 'results'):
        paths = getattr(args, option)
        if paths and len(paths) != len(args.configs):
            parser.error(f'--{option}: got {len(paths)} for '
                         f'{len(args.configs)} configs; give one per config')
    for name in ('batch', 'threads', 'rounds'):
        if getattr(args, name) < 1:
            parser.error(f'--{name} must be at least 1')
    if args.warmup < 0:
        parser.error('--warmup must not be negative')
    runtimes = set(args.runtimes) | {'pytorch'}
    if args.no_onnx:
        runtimes.discard('onnxruntime')
    args.runtimes = [r for r in RUNTIMES if r in runtimes]
    return args


def model_names(configs):
    """Config file stems; a repeated config gets ``#2``, ``#3`` (running
    one config twice estimates the noise of the comparison)."""
    names = []
    for path in configs:
        name = osp.splitext(osp.basename(path))[0]
        if name in names:
            name = f'{name}#{len(names) + 1}'
        names.append(name)
    return names


def _threads(count):
    return f'{count} thread' + ('s' if count != 1 else '')


def _fmt(value, digits=2):
    if value is None or value != value:  # None or nan
        return '-'
    return f'{value:.{digits}f}'


def markdown_table(rows, args, header):
    """The comparison as Markdown: scope lines, then one row per model."""
    h, w = args.shape
    columns = [RUNTIME_COLUMNS[r] for r in args.runtimes]
    latency_heads = ''.join(f'{heading} ms, median (IQR) | '
                            for _, _, heading in columns)
    lines = [
        '# Segmentor comparison', '', *header, '',
        f'| model | params (M), all / inference | GFLOPs @{h}x{w} | '
        f'{latency_heads}batch-{args.batch} img/s '
        f'| peak MiB (batch {args.batch}) | mIoU | mF1 | gas IoU | gas F1 |',
        '|---|---:|---:|' + '---:|' * len(columns) +
        '---:|---:|---:|---:|---:|---:|'
    ]
    for row in rows:
        latencies = ''
        for _, prefix, _ in columns:
            latencies += '- | ' if row[f'{prefix}_median'] is None else (
                f"{_fmt(row[f'{prefix}_median'])} "
                f"({_fmt(row[f'{prefix}_q1'])}-"
                f"{_fmt(row[f'{prefix}_q3'])}) | ")
        lines.append(
            f"| {row['model']} | {row['params'] / 1e6:.3f} / "
            f"{row['inference_params'] / 1e6:.3f} | "
            f"{row['flops'] / 1e9:.3f} | {latencies}"
            f"{_fmt(row['throughput_img_s'], 1)} | "
            f"{_fmt(row['peak_memory_mib'], 1)} | {_fmt(row['mIoU'])} | "
            f"{_fmt(row['mF1'])} | {_fmt(row['gas_IoU'])} | "
            f"{_fmt(row['gas_F1'])} |")
    return '\n'.join(lines) + '\n'


def write_csv(rows, path):
    with open(path, 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({
                key: '' if row[key] is None else row[key]
                for key in CSV_FIELDS
            })


def plot(rows, path, title):
    """Gas IoU against PyTorch latency (with accuracy), else PyTorch latency
    against inference parameters; error bars span the latency IQR. The gas
    IoU, not the mIoU: on gas frames the background's IoU is above 90 for
    any model and the mIoU mostly restates the gas IoU at half its range."""
    import matplotlib
    matplotlib.use('Agg')  # files only, no display
    import matplotlib.pyplot as plt

    # models without accuracy (no checkpoint or results) are left out of an
    # accuracy plot
    with_accuracy = any(row['gas_IoU'] is not None for row in rows)
    # the model part of mmseg-style config names, when it tells them apart
    labels = [row['model'].split('_')[0] for row in rows]
    if len(set(labels)) < len(labels):
        labels = [row['model'] for row in rows]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for row, label in zip(rows, labels):
        if with_accuracy and row['gas_IoU'] is None:
            continue
        latency = row['torch_ms_median']
        spread = [[latency - row['torch_ms_q1']],
                  [row['torch_ms_q3'] - latency]]
        if with_accuracy:
            x, y = latency, row['gas_IoU']
            ax.errorbar(x, y, xerr=spread, fmt='o', capsize=3)
        else:
            x, y = row['inference_params'] / 1e6, latency
            ax.errorbar(x, y, yerr=spread, fmt='o', capsize=3)
        ax.annotate(
            label, (x, y),
            textcoords='offset points',
            xytext=(4, 4),
            fontsize=7)
    if with_accuracy:
        ax.set_xlabel('PyTorch latency, batch 1 (ms, median; bars: IQR)')
        ax.set_ylabel('gas IoU (%)')
    else:
        ax.set_xlabel('parameters used at inference (M)')
        ax.set_ylabel('PyTorch latency, batch 1 (ms, median; bars: IQR)')
    ax.set_title(title, fontsize=8)
    ax.margins(x=0.15, y=0.1)  # room for the labels
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def prepare_model(name, path, cfg, checkpoint, args, single, batch,
                  work_dir):
    """Build one model, measure what needs no timing, and make its timed
    callables.

    Returns:
        tuple: ``(model, row, runners)``: the segmentor, its CSV row with
        sizes, FLOPs, memory and the deploy/ONNX parity filled in, and
        ``{(name, runtime): callable}`` for ``torch`` (batch 1), ``batch``
        (batch ``args.batch``) and, as ``--runtimes`` asks, ``deploy`` and
        ``ort``.
    """
    # the same initial weights in every run (checked parities reproduce)
    torch.manual_seed(0)
    model = build_segmentor(cfg, checkpoint, device=args.device)
    complexity = model_complexity(model, args.shape)
    row = dict.fromkeys(CSV_FIELDS)
    row.update(
        model=name,
        config=path,
        checkpoint=checkpoint or '',
        params=count_parameters(model),
        inference_params=inference_parameters(model, single),
        flops=complexity['flops'],
        activations=complexity['activations'])

    def forward(inputs=single):
        return model(inputs, mode='tensor')

    def forward_batch(inputs=batch):
        return model(inputs, mode='tensor')

    runners = {
        (name, 'torch'): synchronized(forward, args.device),
        (name, 'batch'): synchronized(forward_batch, args.device)
    }
    row['peak_memory_mib'] = peak_forward_memory(forward_batch,
                                                 args.device) / 2**20
    with torch.inference_mode():
        reference = forward()
    exported = model
    if 'deploy' in args.runtimes:
        deployed = deployed_copy(model)
        if deployed is None:
            print(f'\n{name}: no switch_to_deploy() in its backbone or '
                  'decode head, no deploy figures')
        else:
            exported = deployed

            def forward_deployed(inputs=single, deployed=deployed):
                return deployed(inputs, mode='tensor')

            with torch.inference_mode():
                row['deploy_rel_diff'] = relative_difference(
                    reference, forward_deployed())
            runners[(name, 'deploy')] = synchronized(forward_deployed,
                                                     args.device)
    if 'onnxruntime' in args.runtimes:
        try:
            run_ort, ort_out = onnxruntime_runner(
                exported.cpu(), single.cpu(),
                osp.join(work_dir, f'{name}.onnx'), args.threads)
        except Exception as error:  # e.g. an op the exporter lacks
            print(f'\n{name}: ONNX export or onnxruntime failed, no '
                  f'onnxruntime figures: {type(error).__name__}: {error}')
        else:
            row['ort_rel_diff'] = relative_difference(reference, ort_out)
            runners[(name, 'ort')] = run_ort
        model.to(args.device)
        exported.to(args.device)
    if args.scope == 'end2end':
        end_to_end_runners(name, model, exported, cfg, runners, work_dir,
                           args)
    return model, row, runners


def end_to_end_runners(name, model, exported, cfg, runners, work_dir, args):
    """Replace the batch-1 latency runners by the inference path of
    ``tools/infer.py``: a decoded uint8 BGR frame of ``--shape`` to the gas
    mask at the frame's size (the config's test pipeline, or the same
    preprocessing for ONNX; the network; softmax, resize, arg-max), through
    :mod:`mmgas.apis`'s runtimes. The ONNX graph is exported at the size
    the test pipeline gives the network, so both runtimes do the same work.
    """
    from mmgas.apis import OnnxRuntime, PyTorchRuntime
    rng = np.random.default_rng(0)
    frame = rng.integers(0, 256, (*args.shape, 3), dtype=np.uint8)
    runtimes = {'torch': PyTorchRuntime.from_model(model, cfg)}
    if (name, 'deploy') in runners:
        # prepare_model's deployed copy, the model it exported
        runtimes['deploy'] = PyTorchRuntime.from_model(exported, cfg)
    if (name, 'ort') in runners:
        packed = runtimes['torch'].pipeline(dict(img=frame))
        network_hw = tuple(packed['inputs'].shape[-2:])
        path = osp.join(work_dir, f'{name}_end2end.onnx')
        onnxruntime_runner(exported.cpu(),
                           random_images(1, network_hw), path, args.threads)
        exported.to(args.device)
        runtimes['ort'] = OnnxRuntime(
            path, model_cfg=cfg, threads=args.threads, spinning=False)
    for key, runtime in runtimes.items():
        runners[(name, key)] = synchronized(
            lambda runtime=runtime: runtime([frame]), args.device)


def deployed_copy(model):
    """A copy of ``model`` after ``switch_to_deploy()`` of its backbone and
    decode head, or None when neither has one."""
    if not any(
            hasattr(getattr(model, part, None), 'switch_to_deploy')
            for part in ('backbone', 'decode_head')):
        return None
    deployed = copy.deepcopy(model)
    for part in ('backbone', 'decode_head'):
        module = getattr(deployed, part, None)
        if hasattr(module, 'switch_to_deploy'):
            module.switch_to_deploy()
    return deployed.eval()


def add_timings(rows, times, batch_size):
    """Fill the rows' latency and throughput columns from the timings."""
    for row in rows:
        name = row['model']
        for runtime, prefix, _ in RUNTIME_COLUMNS.values():
            if (name, runtime) not in times:
                continue
            summary = TimingSummary.from_samples(times[(name, runtime)])
            row.update({
                f'{prefix}_median': summary.median,
                f'{prefix}_q1': summary.q1,
                f'{prefix}_q3': summary.q3
            })
        batch_ms = TimingSummary.from_samples(times[(name, 'batch')]).median
        row['throughput_img_s'] = batch_size * 1e3 / batch_ms


def scope_lines(args):
    """What every number in the table means, for its header."""
    import onnxruntime
    h, w = args.shape
    if args.scope == 'end2end':
        scope = ('latency end to end (a decoded uint8 BGR frame to the gas '
                 'mask at its size: preprocessing, network, softmax, resize, '
                 'arg-max, as tools/infer.py); throughput and peak memory '
                 '`mode=\'tensor\'`')
    else:
        scope = ('`mode=\'tensor\'` (backbone + decode head; no '
                 'preprocessing, resize or arg-max)')
    lines = [
        f'Input {h}x{w}, fp32, {scope}; latency batch 1, throughput '
        f'and peak memory batch {args.batch}; {_threads(args.threads)} '
        '(torch.set_num_threads, onnxruntime intra-op); median and IQR of '
        f'{args.rounds} interleaved rounds'
        f'{" (shuffled)" if args.shuffle else ""} after {args.warmup} '
        f'warm-up rounds; PyTorch on {args.device}, onnxruntime on the CPU; '
        f'runtimes: {", ".join(args.runtimes)}.',
        f'torch {torch.__version__}, onnxruntime {onnxruntime.__version__}, '
        f'{cpu_name()} ({os.cpu_count()} logical CPUs).',
        'FLOPs: mmengine get_model_complexity_info (one multiply-add = one '
        'FLOP). Peak memory: tensors allocated during one forward beyond '
        'weights and input (CPU: torch.profiler allocator events; CUDA: '
        'max_memory_allocated).',
    ]
    if any(path.lower() != 'none' for path in args.results or ()):
        lines.append('Accuracy: read from the metrics that tools/test.py '
                     'wrote for each config (the `results` column of '
                     'compare.csv), measured before this run; mF1 is '
                     'mmseg\'s mFscore, gas IoU and gas F1 those of class '
                     '`gas`.')
    if any(path.lower() != 'none' for path in args.checkpoints or ()):
        lines.append('Accuracy: each config\'s test split and test '
                     'evaluator; mF1 is mmseg\'s mFscore, which averages '
                     'only the classes with a defined F1 (a model that '
                     'predicts no gas gets the background F1); gas IoU and '
                     'gas F1 are those of class `gas` (F1 = 2TP / '
                     '(predicted + labelled), 0 when no gas is predicted).')
    return lines


def optional_paths(paths, count):
    """One path or None (given as `none`) per config; all None when the
    option was not given."""
    return [
        None if path.lower() == 'none' else path
        for path in paths or ['none'] * count
    ]


def read_test_metrics(path):
    """The accuracy columns from a metrics JSON of ``tools/test.py``.

    Args:
        path (str): ``WORK_DIR/TIMESTAMP/TIMESTAMP.json`` of a test run
            with mmgas's ``ClassIoUMetric`` (mmengine writes the evaluator's
            metrics there, e.g. ``{"mIoU": 61.2, "IoU.gas": 27.3, ...}``).

    Returns:
        dict: ``mIoU``, ``mF1``, ``gas_IoU`` and ``gas_F1``, in percent.

    Raises:
        FileNotFoundError: If ``path`` does not exist.
        ValueError: If it is not such a JSON or lacks one of the metrics.
    """
    import json
    if not osp.isfile(path):
        raise FileNotFoundError(f'results file not found: {osp.abspath(path)}')
    try:
        with open(path) as f:
            metrics = json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f'{path}: not a JSON file ({error})') from error
    missing = [key for _, key in ACCURACY_KEYS
               if not isinstance(metrics, dict) or key not in metrics]
    if missing:
        raise ValueError(
            f'{path}: no {", ".join(missing)}; expected the metrics JSON '
            'that tools/test.py writes to WORK_DIR/TIMESTAMP/ for a config '
            'whose test evaluator is ClassIoUMetric')
    return {column: float(metrics[key]) for column, key in ACCURACY_KEYS}


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    names = model_names(args.configs)
    checkpoints = optional_paths(args.checkpoints, len(args.configs))
    results = optional_paths(args.results, len(args.configs))
    # read first: a wrong path fails before minutes of timing
    accuracies = [
        None if path is None else read_test_metrics(path) for path in results
    ]
    cfgs = [load_config(path, args.cfg_options) for path in args.configs]
    for checkpoint in checkpoints:
        if checkpoint is not None and not osp.isfile(checkpoint):
            raise FileNotFoundError(
                f'checkpoint not found: {osp.abspath(checkpoint)}')
    # built first: a wrong data root fails before minutes of timing
    dataloaders = [
        None if checkpoint is None else build_test_dataloader(cfg)
        for cfg, checkpoint in zip(cfgs, checkpoints)
    ]

    single = random_images(1, args.shape, args.device)
    batch = random_images(args.batch, args.shape, args.device, seed=1)
    progress = ProgressBar(
        len(cfgs) + args.warmup + args.rounds +
        sum(len(loader) for loader in dataloaders if loader is not None))
    rows, runners, models = [], {}, []
    with tempfile.TemporaryDirectory() as work_dir:
        for name, path, cfg, checkpoint in zip(names, args.configs, cfgs,
                                               checkpoints):
            model, row, model_runners = prepare_model(
                name, path, cfg, checkpoint, args, single, batch, work_dir)
            models.append(model)
            rows.append(row)
            runners.update(model_runners)
            progress.update()
        times = interleaved_timings(
            runners,
            args.rounds,
            args.warmup,
            shuffle=args.shuffle,
            on_round=progress.update)
    add_timings(rows, times, args.batch)
    for row, path, accuracy in zip(rows, results, accuracies):
        if accuracy is not None:
            row.update(accuracy, results=path)

    for row, model, cfg, loader in zip(rows, models, cfgs, dataloaders):
        if loader is None:
            continue
        metrics = evaluate_segmentor(
            model, loader, cfg.test_evaluator, on_batch=progress.update)
        # mmseg reports its metrics rounded to 2 decimals
        row.update({
            key: None if metrics.get(source) is None else round(
                metrics[source], 2)
            for key, source in (('mIoU', 'mIoU'), ('mF1', 'mFscore'),
                                ('gas_IoU', 'foreground_IoU'),
                                ('gas_F1', 'foreground_F1'))
        })
    print()

    h, w = args.shape
    table = markdown_table(rows, args, scope_lines(args))
    mkdir_or_exist(args.out_dir)
    with open(osp.join(args.out_dir, 'compare.md'), 'w') as f:
        f.write(table)
    write_csv(rows, osp.join(args.out_dir, 'compare.csv'))
    plot(rows, osp.join(args.out_dir, 'compare.png'),
         f'{h}x{w}, batch 1, {_threads(args.threads)}, {cpu_name()}')
    print(table)
    print(f'wrote compare.md, compare.csv and compare.png to '
          f'{osp.abspath(args.out_dir)}')
    return rows


if __name__ == '__main__':
    main()

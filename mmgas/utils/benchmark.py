"""Measuring segmentors: size, FLOPs, interleaved latency, memory, accuracy.

Shared by ``tools/analysis_tools/{compare,compare_latency,benchmark,
get_flops}.py``, which only parse arguments and print. The scope of the
network measurements is mmseg's ``mode='tensor'``: backbone and decode head
in eval mode, images in, logits at the head's stride out (no data
preprocessing, no resize to the image size, no arg-max), fp32.

Timings on shared CPUs drift by tens of percent within minutes, so
:func:`interleaved_timings` times every candidate once per round, round
after round, and reports medians and quartiles: a load change hits all
candidates alike instead of whichever happened to run at the time.

Heavy or optional imports (onnxruntime, the profiler, mmseg's evaluation)
happen inside the functions: ``import mmgas`` imports this module.
"""
import contextlib
import logging
import os
import os.path as osp
import platform
import random
import statistics
import sys
import time
import warnings
from dataclasses import dataclass

import torch
import torch.nn as nn

from .checkpoint import init_segmentor
from .config import load_config


class TensorMode(nn.Module):
    """The network part of a segmentor, images to logits.

    Args:
        segmentor (nn.Module): An mmseg segmentor (e.g. ``EncoderDecoder``).

    Shapes:
        input: (N, 3, H, W) images as the data preprocessor would pass them.
        output: (N, num_classes, H / s, W / s) logits at the head's stride s.
    """

    def __init__(self, segmentor):
        super().__init__()
        self.segmentor = segmentor

    def forward(self, inputs):
        return self.segmentor(inputs, mode='tensor')


def build_segmentor(config, checkpoint=None, device='cpu', cfg_options=None):
    """Build a segmentor in eval mode (mmseg's ``init_model``, strict
    weights: :func:`~mmgas.utils.init_segmentor`).

    Args:
        config (str | mmengine.Config): Config file or loaded config.
        checkpoint (str, optional): Checkpoint to load (through mmengine,
            weights-only). None keeps PyTorch's default initialisation,
            which is enough for size, FLOPs, latency and memory.
            Default: None.
        device (str): Device to put the model on. Default: 'cpu'.
        cfg_options (dict, optional): Overrides merged into the config.
            Default: None.

    Returns:
        nn.Module: The segmentor, with ``model.cfg`` set to its config.

    Raises:
        FileNotFoundError: If the config or the checkpoint does not exist;
            the message names the path.
        KeyError: If the config has no ``model``.
        CheckpointMismatchError: If the checkpoint's weights do not fit the
            model (keys listed).
    """
    if isinstance(config, str):
        config = load_config(config, cfg_options)
    elif cfg_options:
        config.merge_from_dict(cfg_options)
    if config.get('model') is None:
        raise KeyError(f'{config.filename}: the config defines no `model` '
                       '(a dataset or schedule base?)')
    if checkpoint is not None and not osp.isfile(checkpoint):
        raise FileNotFoundError(
            f'checkpoint not found: {osp.abspath(checkpoint)}')
    return init_segmentor(config, checkpoint, device=device)


def count_parameters(model):
    """Number of parameters (trainable or not) of ``model``."""
    return sum(p.numel() for p in model.parameters())


def inference_parameters(model, inputs):
    """Parameters that one ``mode='tensor'`` forward uses.

    Auxiliary heads, boundary heads and losses only act in training, yet
    count in :func:`count_parameters` (as in mmseg's ``get_flops``); for
    BiSeNetV2, whose stock auxiliary heads are wide, that is most of the
    total. This counts the parameters owned by the modules that the forward
    calls (each parameter once, shared ones included).

    Args:
        model (nn.Module): A segmentor.
        inputs (Tensor): Input images, (N, 3, H, W).

    Returns:
        int: Number of parameters used at inference.
    """
    called = set()
    handles = [
        module.register_forward_hook(
            lambda module, args, output: called.add(module))
        for module in model.modules()
    ]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(inputs, mode='tensor')
    finally:
        for handle in handles:
            handle.remove()
        model.train(was_training)
    used = {
        id(param): param
        for module in called
        for param in module.parameters(recurse=False)
    }
    return sum(param.numel() for param in used.values())


def random_images(batch, shape, device='cpu', seed=0):
    """Images in [0, 255) of shape (batch, 3, H, W), reproducibly.

    Args:
        batch (int): Batch size N.
        shape (tuple[int, int]): (H, W).
        device (str): Device of the tensor. Default: 'cpu'.
        seed (int): Seed of the generator. Default: 0.
    """
    generator = torch.Generator().manual_seed(seed)
    return (torch.rand(batch, 3, *shape, generator=generator) *
            255).to(device)


def model_complexity(model, shape):
    """FLOPs and activations of one ``mode='tensor'`` forward, with mmengine.

    Uses ``mmengine.analysis.get_model_complexity_info``, which traces the
    model with TorchScript and counts one fused multiply-add as one FLOP
    (so the figure equals the MAC count of conv/linear layers). Operators it
    has no handle for (element-wise additions, activations, resizes) count
    zero.

    Args:
        model (nn.Module): A segmentor.
        shape (tuple[int, int]): Input (H, W); batch 1, 3 channels.

    Returns:
        dict: ``flops``, ``activations`` and ``params`` (ints).
    """
    from mmengine.analysis import get_model_complexity_info
    device = next(model.parameters()).device
    inputs = random_images(1, shape, device)
    was_training = model.training
    model.eval()
    # the tracer's warnings and mmengine's "unsupported operator" notes
    # are about the counting, not about the model
    try:
        with torch.no_grad(), warnings.catch_warnings(), _quiet_logger(
                logging.ERROR):
            warnings.simplefilter('ignore')
            info = get_model_complexity_info(
                TensorMode(model),
                inputs=(inputs, ),
                show_table=False,
                show_arch=False)
    finally:
        model.train(was_training)
    return dict(
        flops=int(info['flops']),
        activations=int(info['activations']),
        params=int(info['params']))


@dataclass
class TimingSummary:
    """Robust summary of repeated timings, in milliseconds.

    Attributes:
        median (float): Median.
        q1 (float): First quartile (25th percentile).
        q3 (float): Third quartile (75th percentile).
        minimum (float): Fastest sample.
        count (int): Number of samples.
    """
    median: float
    q1: float
    q3: float
    minimum: float
    count: int

    @classmethod
    def from_samples(cls, samples):
        """Summarise a non-empty sequence of times in ms."""
        samples = list(samples)
        if not samples:
            raise ValueError('no timing samples to summarise')
        if len(samples) == 1:
            q1 = q3 = samples[0]
        else:
            # 'inclusive': quartiles stay within the observed range
            q1, _, q3 = statistics.quantiles(
                samples, n=4, method='inclusive')
        return cls(
            median=statistics.median(samples),
            q1=q1,
            q3=q3,
            minimum=min(samples),
            count=len(samples))


def cpu_name():
    """The CPU model from /proc/cpuinfo, else what :mod:`platform` knows
    (stated with every timing: the figures mean nothing without it)."""
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def synchronized(fn, device):
    """Wrap ``fn`` so that it returns only once the device has finished."""
    if not str(device).startswith('cuda'):
        return fn

    def run():
        out = fn()
        torch.cuda.synchronize(device)
        return out

    return run


def interleaved_timings(runners, rounds, warmup=0, shuffle=False, seed=0,
                        on_round=None):
    """Time several callables round-robin, one call of each per round.

    Args:
        runners (dict): Key -> zero-argument callable doing one unit of
            work (e.g. one forward); it must be synchronous.
        rounds (int): Timed rounds.
        warmup (int): Untimed rounds before them. Default: 0.
        shuffle (bool): Visit the callables in a new random order every
            round, so that none always runs right after another (caches,
            thread pools waking up). Default: False (the dict's order).
        seed (int): Seed of the shuffling. Default: 0.
        on_round (callable, optional): Called with no argument after every
            round, warm-up included (e.g. ``ProgressBar.update``).
            Default: None.

    Returns:
        dict: Key -> list of ``rounds`` wall-clock times in ms.
    """
    if rounds < 1:
        raise ValueError(f'rounds must be at least 1, got {rounds}')
    rng = random.Random(seed)
    order = list(runners)
    times = {key: [] for key in order}
    with torch.inference_mode():
        for i in range(warmup + rounds):
            if shuffle:
                rng.shuffle(order)
            for key in order:
                start = time.perf_counter()
                runners[key]()
                elapsed = (time.perf_counter() - start) * 1e3
                if i >= warmup:
                    times[key].append(elapsed)
            if on_round is not None:
                on_round()
    return times


def onnxruntime_runner(model, inputs, onnx_path, threads):
    """Export a segmentor's network to ONNX and open it in onnxruntime.

    The export uses PyTorch's TorchScript exporter (``dynamo=False``, opset
    13, static shape of ``inputs``), the exporter of mmdeploy's path. The
    session is :func:`mmgas.deploy.onnxruntime_session`'s with thread
    spinning off.

    Args:
        model (nn.Module): A segmentor (exported in ``mode='tensor'``).
        inputs (Tensor): Example input, (N, 3, H, W), on the CPU.
        onnx_path (str): Where to write the ``.onnx`` file.
        threads (int): onnxruntime intra-op threads.

    Returns:
        tuple: ``(run, outputs)``: a zero-argument callable running the
        session on ``inputs`` and returning the logits as a numpy array,
        and the logits of a first run.
    """
    network = TensorMode(model).eval()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter('ignore')  # tracer warnings
        torch.onnx.export(
            network, (inputs.cpu(), ),
            onnx_path,
            opset_version=13,
            input_names=['input'],
            output_names=['logits'],
            dynamo=False)
    from mmgas.deploy import onnxruntime_session
    session = onnxruntime_session(onnx_path, threads, spinning=False)
    feed = {'input': inputs.cpu().numpy()}

    def run():
        return session.run(None, feed)[0]

    return run, run()


def relative_difference(reference, other):
    """max |other - reference| / max |reference| of two logit arrays."""
    reference = torch.as_tensor(reference).float().cpu()
    other = torch.as_tensor(other).float().cpu()
    if reference.shape != other.shape:
        raise ValueError(f'shapes differ: {tuple(reference.shape)} and '
                         f'{tuple(other.shape)}')
    scale = reference.abs().max().clamp_min(1e-12)
    return ((other - reference).abs().max() / scale).item()


def peak_forward_memory(fn, device='cpu'):
    """Peak memory that one call of ``fn`` allocates, in bytes.

    On CUDA this is ``torch.cuda.max_memory_allocated`` during the call,
    minus what was allocated before. On the CPU there is no allocator
    statistic, and neither tracemalloc (it sees Python's allocator, not
    PyTorch's) nor the process's peak RSS (a high-water mark of the whole
    process, so only the largest model would register) measure one
    forward; the call is run under ``torch.profiler`` with
    ``profile_memory=True`` and the allocation and free events of PyTorch's
    CPU allocator are replayed in time order. Either way the figure is the
    peak of tensors alive during the call beyond those that existed before
    it: activations and workspaces, not the weights nor the input.

    Args:
        fn (callable): Zero-argument callable, e.g. one forward.
        device (str): 'cpu' or a CUDA device. Default: 'cpu'.

    Returns:
        int: Peak bytes.
    """
    if str(device).startswith('cuda'):
        torch.cuda.synchronize(device)
        before = torch.cuda.memory_allocated(device)
        torch.cuda.reset_peak_memory_stats(device)
        with torch.inference_mode():
            fn()
        torch.cuda.synchronize(device)
        return torch.cuda.max_memory_allocated(device) - before
    from torch.profiler import ProfilerActivity, profile
    with torch.inference_mode(), _stderr_to_devnull(), profile(
            activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        fn()
    events = [
        event for event in prof.profiler.kineto_results.events()
        if event.name() == '[memory]' and event.device_type() ==
        torch.autograd.DeviceType.CPU
    ]
    current = peak = 0
    for event in sorted(events, key=lambda e: e.start_ns()):
        current += event.nbytes()
        peak = max(peak, current)
    return peak


@contextlib.contextmanager
def _stderr_to_devnull():
    """Send file descriptor 2 to /dev/null inside the block: the profiler's
    C++ back end (Kineto) prints start/stop notes there that no setting
    switches off. Python exceptions still propagate."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


@contextlib.contextmanager
def _quiet_logger(level=logging.WARNING):
    """Raise mmengine's current logger to ``level`` inside the block
    (mmseg's per-class table and the FLOP counter's notes about operators
    it does not count would interleave with a progress bar)."""
    from mmengine.logging import MMLogger
    logger = MMLogger.get_current_instance()
    previous = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(previous)


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
    with _quiet_logger():
        metrics = evaluator.evaluate(len(dataloader.dataset))
    metrics = {key: float(value) for key, value in metrics.items()}
    metrics.update(per_class)
    if f'IoU.{foreground}' in per_class:
        metrics['foreground_IoU'] = per_class[f'IoU.{foreground}']
        metrics['foreground_F1'] = per_class[f'F1.{foreground}']
    return metrics

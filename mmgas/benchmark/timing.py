"""Timing on shared CPUs: interleaved rounds, medians and quartiles.

Timings on shared CPUs drift by tens of percent within minutes, so
:func:`interleaved_timings` times every candidate once per round, round
after round, and reports medians and quartiles: a load change hits all
candidates alike instead of whichever happened to run at the time.
"""
import platform
import random
import statistics
import time
from dataclasses import dataclass

import torch


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

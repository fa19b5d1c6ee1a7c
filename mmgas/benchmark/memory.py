"""Peak memory of a forward pass (the PyTorch profiler's allocations)."""

import torch

from ._quiet import stderr_to_devnull


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
    with torch.inference_mode(), stderr_to_devnull(), profile(
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

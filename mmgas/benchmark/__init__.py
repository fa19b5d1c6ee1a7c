"""Measuring segmentors: size, FLOPs, interleaved latency in PyTorch and ONNX
Runtime, memory and accuracy, in one process.

Used by ``tools/analysis_tools/{compare,benchmark,get_flops}.py`` and the
other measuring tools, which only parse arguments and print. The scope of
the network measurements is mmseg's ``mode='tensor'``: backbone and decode
head in eval mode, images in, logits at the head's stride out (no data
preprocessing, no resize to the image size, no arg-max), fp32.

Not imported by ``import mmgas``; heavy or optional imports (onnxruntime,
the profiler, mmseg's evaluation) happen inside the functions.
"""
from .complexity import (count_parameters, inference_parameters,
                         model_complexity)
from .evaluation import build_test_dataloader, evaluate_segmentor
from .memory import peak_forward_memory
from .models import TensorMode, build_segmentor, random_images
from .runtimes import onnxruntime_runner, relative_difference
from .timing import (TimingSummary, cpu_name, interleaved_timings,
                     synchronized)

__all__ = [
    'count_parameters', 'inference_parameters', 'model_complexity',
    'build_test_dataloader', 'evaluate_segmentor', 'peak_forward_memory',
    'TensorMode', 'build_segmentor', 'random_images', 'onnxruntime_runner',
    'relative_difference', 'TimingSummary', 'cpu_name',
    'interleaved_timings', 'synchronized'
]

from .benchmark import (TensorMode, TimingSummary, build_segmentor,
                        build_test_dataloader, count_parameters, cpu_name,
                        evaluate_segmentor, inference_parameters,
                        interleaved_timings, model_complexity,
                        onnxruntime_runner,
                        peak_forward_memory, random_images,
                        relative_difference, synchronized)
from .checkpoint import (CheckpointMismatchError, check_checkpoint_matches,
                         checkpoint_state_dict, init_segmentor)
from .config import load_config

__all__ = [
    'load_config', 'CheckpointMismatchError', 'check_checkpoint_matches',
    'checkpoint_state_dict', 'init_segmentor', 'TensorMode', 'TimingSummary', 'build_segmentor',
    'build_test_dataloader', 'count_parameters', 'cpu_name',
    'evaluate_segmentor', 'inference_parameters', 'interleaved_timings',
    'model_complexity', 'onnxruntime_runner',
    'peak_forward_memory', 'random_images', 'relative_difference',
    'synchronized'
]

"""Deployment helpers: mmdeploy's configs and SDK files, parity checks, the
ONNX Runtime session factory.

Imported by ``tools/deploy.py`` and ``tools/deploy_test.py``; not imported
by ``import mmgas`` because training and testing do not need mmdeploy.
"""
from .config import load_deploy_configs
from .parity import pytorch_logits, sdk_model_config, segmentation_parity
from .session import onnxruntime_session
from .preprocess import (FramePreprocessor, add_input_encoding_to_sdk_pipeline,
                         labels_from_logits)

__all__ = [
    'load_deploy_configs', 'pytorch_logits',
    'sdk_model_config',
    'segmentation_parity', 'FramePreprocessor', 'labels_from_logits',
    'add_input_encoding_to_sdk_pipeline', 'onnxruntime_session'
]

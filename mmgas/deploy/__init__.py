"""Deployment helpers: mmdeploy export under recent torch, parity checks.

Imported by ``tools/deploy.py`` and ``tools/deploy_test.py``; not imported
by ``import mmgas`` because training and testing do not need mmdeploy.
"""
from .config import load_deploy_configs
from .exporter import torchscript_onnx_exporter
from .parity import pytorch_logits, sdk_model_config, segmentation_parity
from .preprocess import (FramePreprocessor, add_input_encoding_to_sdk_pipeline,
                         labels_from_logits)

__all__ = [
    'load_deploy_configs', 'torchscript_onnx_exporter', 'pytorch_logits',
    'sdk_model_config',
    'segmentation_parity', 'FramePreprocessor', 'labels_from_logits',
    'add_input_encoding_to_sdk_pipeline'
]

"""Numpy/OpenCV preprocessing of camera frames for exported models.

The same steps as a static export's SDK pipeline (``pipeline.json``) and
mmseg's test pipeline + ``SegDataPreProcessor`` for mmgas configs, without
mmcv transforms, so that latency measurements and INT8 calibration see what
an edge application would run.
"""
import functools
import json
import os.path as osp

import cv2
import numpy as np


class FramePreprocessor:
    """Turn a decoded BGR uint8 frame into a 1x3xHxW float32 input.

    Resize to the input size without keeping the ratio (what a static export
    and mmdeploy's SDK pipeline do), the config's input encoding if it has
    one (:class:`mmgas.datasets.transforms.LocalContrastEncoding`, after
    the resize as in the test pipeline), BGR -> RGB if the model was
    trained on RGB, subtract ``mean`` and divide by ``std``, HWC -> NCHW.

    Args:
        data_preprocessor (dict): The model's ``SegDataPreProcessor``
            config; missing ``mean``/``std`` mean no normalisation.
        size_hw (tuple[int]): Network input (height, width).
        encoding (dict, optional): The ``LocalContrastEncoding`` transform
            config of the test pipeline; None: the frame as it is.
    """

    def __init__(self, data_preprocessor, size_hw, encoding=None):
        self.height, self.width = size_hw
        self.encoding = None
        if encoding is not None:
            from mmgas.datasets.transforms import local_contrast_channels
            self.encoding = functools.partial(
                local_contrast_channels,
                **{k: v
                   for k, v in encoding.items() if k != 'type'})
        mean = data_preprocessor.get('mean') or [0.0, 0.0, 0.0]
        std = data_preprocessor.get('std') or [1.0, 1.0, 1.0]
        self.mean = np.asarray(mean, np.float32).reshape(3, 1, 1)
        self.inv_std = 1.0 / np.asarray(std, np.float32).reshape(3, 1, 1)
        self.to_rgb = bool(data_preprocessor.get('bgr_to_rgb', False))

    def __call__(self, frame):
        """Args: frame (ndarray): HxWx3 uint8 BGR. Returns: 1x3xhxw float32."""
        img = cv2.resize(frame, (self.width, self.height),
                         interpolation=cv2.INTER_LINEAR)
        if self.encoding is not None:
            img = self.encoding(img)
        if self.to_rgb:
            img = img[..., ::-1]
        img = img.transpose(2, 0, 1).astype(np.float32)
        img = (img - self.mean) * self.inv_std
        return np.ascontiguousarray(img[None])


def labels_from_logits(logits, frame_shape):
    """Arg-max of (1, C, h, w) logits, resized (nearest) to the frame.

    Args:
        logits (ndarray): Network output, shape (1, C, h, w).
        frame_shape (tuple[int]): The frame's (H, W, ...) shape.

    Returns:
        ndarray: uint8 label map of shape (H, W).
    """
    labels = logits[0].argmax(0).astype(np.uint8)
    return cv2.resize(labels, (frame_shape[1], frame_shape[0]),
                      interpolation=cv2.INTER_NEAREST)


def add_input_encoding_to_sdk_pipeline(work_dir, model_cfg):
    """Write a model config's input encoding into an SDK ``pipeline.json``.

    mmdeploy's segmentation SDK export keeps only the loader and the
    ``Resize`` of the test pipeline (then ``Normalize``), so a model trained
    on :class:`~mmgas.datasets.transforms.LocalContrastEncoding` input
    would be fed plain frames by anything that reads ``pipeline.json``.
    This puts the transform back after ``Resize``, where the test pipeline
    has it; :class:`mmgas.apis.LeakDetector` applies it from there. Does
    nothing for configs without an encoding.

    Args:
        work_dir (str): Directory holding ``pipeline.json``.
        model_cfg (mmengine.Config): The model config.

    Returns:
        bool: Whether the file was changed.
    """
    from mmgas.datasets.transforms import input_encoding
    encoding = input_encoding(model_cfg)
    path = osp.join(work_dir, 'pipeline.json')
    if encoding is None or not osp.isfile(path):
        return False
    with open(path) as f:
        pipeline = json.load(f)
    transforms = pipeline['pipeline']['tasks'][0]['transforms']
    if any(t.get('type') == encoding['type'] for t in transforms):
        return False
    after = next((i + 1 for i, t in enumerate(transforms)
                  if t.get('type') == 'Resize'), 1)
    transforms.insert(after, dict(encoding))
    with open(path, 'w') as f:
        json.dump(pipeline, f, indent=4)
    return True

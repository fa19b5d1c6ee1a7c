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
    and mmdeploy's SDK pipeline do), the config's input encoding where the
    test pipeline has it (a
    :class:`~mmgas.datasets.transforms.LocalContrastEncoding` after the
    resize; a :class:`~mmgas.datasets.transforms.TemporalEncoding` of the
    frame and its history before it, at the frames' resolution), BGR -> RGB
    if the model was trained on RGB, subtract ``mean`` and divide by
    ``std``, HWC -> NCHW.

    Args:
        data_preprocessor (dict): The model's ``SegDataPreProcessor``
            config; missing ``mean``/``std`` mean no normalisation.
        size_hw (tuple[int]): Network input (height, width).
        encoding (dict, optional): The encoding transform config of the
            test pipeline (``input_encoding(cfg)``); None: the frame as it
            is.
    """

    def __init__(self, data_preprocessor, size_hw, encoding=None):
        from mmgas.datasets.transforms import (is_temporal,
                                               local_contrast_channels,
                                               temporal_channels)
        self.height, self.width = size_hw
        self.encoding = self.temporal = None
        if encoding is not None:
            kwargs = {k: v for k, v in encoding.items() if k != 'type'}
            if is_temporal(encoding):
                self.temporal = functools.partial(temporal_channels,
                                                  **kwargs)
            else:
                self.encoding = functools.partial(local_contrast_channels,
                                                  **kwargs)
        mean = data_preprocessor.get('mean') or [0.0, 0.0, 0.0]
        std = data_preprocessor.get('std') or [1.0, 1.0, 1.0]
        self.mean = np.asarray(mean, np.float32).reshape(3, 1, 1)
        self.inv_std = 1.0 / np.asarray(std, np.float32).reshape(3, 1, 1)
        self.to_rgb = bool(data_preprocessor.get('bgr_to_rgb', False))

    def __call__(self, frame, history=()):
        """Preprocess one frame.

        Args:
            frame (ndarray): HxWx3 uint8 BGR.
            history (Sequence[ndarray]): Its earlier frames, oldest first,
                for a temporal encoding (ignored otherwise). Default: none.

        Returns:
            ndarray: 1x3xhxw float32.
        """
        if self.temporal is not None:
            frame = self.temporal(frame, history)
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
    on encoded input would be fed plain frames by anything that reads
    ``pipeline.json``. This puts the transform back where the test pipeline
    has it: a ``LocalContrastEncoding`` after ``Resize``, a
    ``TemporalEncoding`` before it; :class:`mmgas.apis.LeakDetector`
    applies it from there. Does nothing for configs without an encoding.

    Args:
        work_dir (str): Directory holding ``pipeline.json``.
        model_cfg (mmengine.Config): The model config.

    Returns:
        bool: Whether the file was changed.
    """
    from mmgas.datasets.transforms import input_encoding, is_temporal
    encoding = input_encoding(model_cfg)
    path = osp.join(work_dir, 'pipeline.json')
    if encoding is None or not osp.isfile(path):
        return False
    with open(path) as f:
        pipeline = json.load(f)
    transforms = pipeline['pipeline']['tasks'][0]['transforms']
    if any(t.get('type') == encoding['type'] for t in transforms):
        return False
    resize = next((i for i, t in enumerate(transforms)
                   if t.get('type') == 'Resize'), None)
    if resize is None:
        where = 1  # after the loader
    else:
        where = resize if is_temporal(encoding) else resize + 1
    transforms.insert(where, dict(encoding))
    with open(path, 'w') as f:
        json.dump(pipeline, f, indent=4)
    return True

"""Runtimes: batched gas segmentation of camera frames, one interface for
PyTorch and ONNX Runtime.

A :class:`SegmentationRuntime` takes decoded ``H x W x 3`` uint8 BGR frames
(see :mod:`mmgas.apis.frames`) and returns, per frame, the gas mask and the
gas probability at the frame's size (:class:`GasPrediction`). Two
implementations:

* :class:`PyTorchRuntime`: an mmseg model (config + checkpoint; the
  config's test pipeline and ``model.test_step`` on the batch);
* :class:`OnnxRuntime`: an ``end2end.onnx`` exported by ``tools/deploy.py``
  (preprocessing read from the ``pipeline.json`` that ``--dump-info``
  writes next to it, or from a model config), in a session of
  :func:`mmgas.deploy.onnxruntime_session`, the factory the benchmarks use.

:func:`build_runtime` picks one from the model file and checks the
arguments.
"""
import copy
import json
import os.path as osp
from typing import NamedTuple, Optional

import cv2
import numpy as np

BACKENDS = ('pytorch', 'onnxruntime')
# Transforms of a test pipeline that need ground truth or a file path.
_GT_TRANSFORMS = ('LoadAnnotations', 'GenerateEdge')
# Transforms that read files besides the frame; runtimes get the history
# in memory instead.
_FILE_TRANSFORMS = _GT_TRANSFORMS + ('LoadFrameHistory', )


class GasPrediction(NamedTuple):
    """One frame's prediction, at the frame's size.

    Attributes:
        mask (np.ndarray): ``H x W`` bool, pixels whose predicted class is
            gas.
        gas_prob (np.ndarray, optional): ``H x W`` float32 softmax (or
            sigmoid) probability of gas; None for an ONNX model exported
            with ``with_argmax=True`` (labels only).
    """
    mask: np.ndarray
    gas_prob: Optional[np.ndarray]


def _softmax(logits, axis):
    shifted = logits - logits.max(axis=axis, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=axis, keepdims=True)


def logits_to_prediction(logits, gas_index=1, threshold=0.5):
    """Gas mask and probability from one frame's ``C x H x W`` logits.

    Args:
        logits (np.ndarray): ``C x H x W``; ``C == 1`` is a sigmoid logit
            of gas (mmseg's binary mode).
        gas_index (int): Class index of gas when ``C > 1``. Default: 1.
        threshold (float): Sigmoid threshold when ``C == 1``. Default: 0.5.

    Returns:
        GasPrediction: The mask and probability.
    """
    logits = np.asarray(logits, dtype=np.float32)
    if logits.shape[0] == 1:
        prob = 1.0 / (1.0 + np.exp(-logits[0]))
        return GasPrediction(prob > threshold, prob.astype(np.float32))
    probs = _softmax(logits, axis=0)
    mask = probs.argmax(axis=0) == gas_index
    return GasPrediction(mask, probs[gas_index].astype(np.float32))


def _equal_shape_runs(shapes, limit=None):
    """``(start, stop)`` of consecutive runs of equal shapes, each at most
    ``limit`` long: the batches a model can take in one call."""
    start = 0
    while start < len(shapes):
        stop = start + 1
        while (stop < len(shapes) and stop - start < (limit or len(shapes))
               and shapes[stop] == shapes[start]):
            stop += 1
        yield start, stop
        start = stop


def test_pipeline_for_arrays(cfg):
    """The model config's test pipeline, fed with in-memory frames.

    Takes ``cfg.test_pipeline`` (or the test dataloader's pipeline), swaps
    the file loader for ``LoadImageFromNDArray`` and drops the transforms
    that need ground truth (``LoadAnnotations``, ``GenerateEdge``) or read
    a frame history from files (``LoadFrameHistory``: a runtime passes the
    history in memory).

    Args:
        cfg (mmengine.Config): The model config.

    Returns:
        list[dict]: Transform configs.

    Raises:
        ValueError: If the config has no test pipeline.
    """
    pipeline = cfg.get('test_pipeline')
    if pipeline is None:
        pipeline = cfg.get('test_dataloader', {}).get('dataset',
                                                      {}).get('pipeline')
    if not pipeline:
        raise ValueError('the model config has neither test_pipeline nor '
                         'test_dataloader.dataset.pipeline')
    out = []
    for transform in copy.deepcopy(list(pipeline)):
        if transform['type'] in _FILE_TRANSFORMS:
            continue
        if transform['type'] == 'LoadImageFromFile':
            transform = dict(type='LoadImageFromNDArray')
        out.append(transform)
    return out


def _gas_index(classes, default=1):
    if classes:
        names = [str(c).lower() for c in classes]
        if 'gas' in names:
            return names.index('gas')
    return default


class SegmentationRuntime:
    """The interface of a runtime: segment a batch of frames.

    Subclasses set :attr:`backend` (and :attr:`history_length` for a
    temporal model) and implement :meth:`predict`.
    """

    #: ``'pytorch'`` or ``'onnxruntime'``
    backend = None
    #: the model file: config (PyTorch) or ``.onnx``
    model_file = None
    #: earlier frames a temporal model's input encoding uses; 0: one frame
    history_length = 0

    def __call__(self, frames, histories=None):
        """Segment a batch of frames.

        Args:
            frames (list[np.ndarray]): ``H x W x 3`` uint8 BGR frames (sizes
                may differ).
            histories (list[list[np.ndarray]], optional): For a temporal
                model, each frame's earlier frames, oldest first (at most
                :attr:`history_length` are used). Default: None (none: the
                first frame of a stream).

        Returns:
            list[GasPrediction]: One per frame, at the frame's size.
        """
        if not frames:
            return []
        if histories is None:
            histories = [[] for _ in frames]
        return self.predict(frames, histories)

    def predict(self, frames, histories):
        """:meth:`__call__` for a non-empty batch."""
        raise NotImplementedError


class PyTorchRuntime(SegmentationRuntime):
    """An mmseg segmentor from its config and checkpoint.

    Args:
        config (str): Model config (``.py``).
        checkpoint (str): Its checkpoint; loaded strictly, weights-only.
        device (str): PyTorch device. Default: 'cpu'.
        gas_index (int, optional): Class index of gas. Default: None (the
            index of the class named ``gas``, else 1).
    """

    backend = 'pytorch'

    def __init__(self, config, checkpoint, device='cpu', gas_index=None):
        import mmgas  # noqa: F401  (shims before mmseg.models, registries)
        from mmgas.utils import init_segmentor, load_config

        cfg = load_config(config)
        self._setup(
            init_segmentor(cfg, checkpoint, device=device), cfg, gas_index)
        self.model_file = str(config)

    @classmethod
    def from_model(cls, model, cfg, gas_index=None):
        """A runtime around a segmentor already built (e.g. by a
        benchmark), with ``cfg``'s test pipeline.

        Args:
            model (BaseSegmentor): The segmentor, in eval mode.
            cfg (mmengine.Config): Its config.
            gas_index (int, optional): As for the constructor.
        """
        runtime = cls.__new__(cls)
        runtime._setup(model, cfg, gas_index)
        return runtime

    def _setup(self, model, cfg, gas_index):
        from mmengine.dataset import Compose

        from mmgas.datasets.transforms import history_length, input_encoding

        self.model = model
        self.pipeline = Compose(test_pipeline_for_arrays(cfg))
        self.history_length = history_length(input_encoding(cfg))
        self._gas_index = gas_index
        if self._gas_index is None:
            # init_model sets dataset_meta; a model built otherwise has none
            meta = getattr(self.model, 'dataset_meta', None) or {}
            self._gas_index = _gas_index(meta.get('classes'))
        self._threshold = getattr(self.model.decode_head, 'threshold',
                                  None) or 0.5

    def predict(self, frames, histories):
        import torch
        from mmengine.dataset import pseudo_collate

        if self.history_length:
            packed = [
                self.pipeline(dict(img=f, history=list(h)))
                for f, h in zip(frames, histories)
            ]
        else:
            packed = [self.pipeline(dict(img=f)) for f in frames]
        outputs = []
        # a keep-ratio resize gives frames of other aspect ratios other
        # sizes, and mmseg's preprocessor batches only equal sizes
        for start, stop in _equal_shape_runs(
                [tuple(p['inputs'].shape) for p in packed]):
            with torch.no_grad():
                samples = self.model.test_step(
                    pseudo_collate(packed[start:stop]))
            outputs += [self._from_data_sample(s) for s in samples]
        return outputs

    def _from_data_sample(self, sample):
        # seg_logits are at the frame's size (mmseg's postprocess_result)
        logits = sample.seg_logits.data.float().cpu().numpy()
        if logits.shape[0] == 1:
            # mmseg's postprocess_result has applied the sigmoid already
            prob = logits[0].astype(np.float32)
            return GasPrediction(prob > self._threshold, prob)
        return logits_to_prediction(logits, self._gas_index, self._threshold)


class OnnxRuntime(SegmentationRuntime):
    """An exported ``end2end.onnx`` in ONNX Runtime (CPU).

    Args:
        onnx_file (str): The ``.onnx`` file.
        model_cfg (str | mmengine.Config, optional): The model config to
            take the preprocessing from when no ``pipeline.json`` lies next
            to the ``.onnx`` (or to override it). Default: None.
        gas_index (int, optional): Class index of gas. Default: None (1).
        threads (int, optional): Intra-op threads. Default: None (ONNX
            Runtime's choice).
        spinning (bool): Let idle intra-op workers spin (ONNX Runtime's
            default; benchmarks that interleave models turn it off).
            Default: True.
    """

    backend = 'onnxruntime'

    def __init__(self,
                 onnx_file,
                 model_cfg=None,
                 gas_index=None,
                 threads=None,
                 spinning=True):
        from mmgas.datasets.transforms import history_length
        from mmgas.deploy import onnxruntime_session

        self.model_file = str(onnx_file)
        self.session = onnxruntime_session(onnx_file, threads, spinning)
        node = self.session.get_inputs()[0]
        self._input_name = node.name
        # fixed dims are ints, dynamic ones names or None
        self._fixed_batch = node.shape[0] if isinstance(node.shape[0],
                                                        int) else None
        fixed_hw = [d if isinstance(d, int) else None for d in node.shape[2:]]
        prep = self._onnx_preprocessing(onnx_file, model_cfg)
        self._norm = dict(
            mean=prep['mean'], std=prep['std'], bgr_to_rgb=prep['to_rgb'])
        self._encoding = prep['encoding']
        self.history_length = history_length(self._encoding)
        if all(fixed_hw):
            # static export: the graph's size wins over any pipeline
            self._size_wh, self._keep_ratio = (fixed_hw[1], fixed_hw[0]), False
        else:
            self._size_wh, self._keep_ratio = prep['size_wh'], prep[
                'keep_ratio']
        self._gas_index = 1 if gas_index is None else gas_index
        self._preprocessors = {}

    @staticmethod
    def _onnx_preprocessing(onnx_file, model_cfg):
        """Resize, input encoding and normalisation of an exported model:
        the SDK's ``pipeline.json`` next to it, else the model config."""
        from mmgas.datasets.transforms import ENCODINGS, input_encoding
        pipeline_json = osp.join(
            osp.dirname(osp.abspath(onnx_file)), 'pipeline.json')
        if model_cfg is None and osp.isfile(pipeline_json):
            try:
                with open(pipeline_json) as f:
                    tasks = json.load(f)['pipeline']['tasks']
                transforms = {t['type']: t for t in tasks[0]['transforms']}
                resize, norm = transforms.get('Resize'), transforms.get(
                    'Normalize')
                if norm is None:
                    raise KeyError('no Normalize step')
                return dict(
                    mean=norm['mean'],
                    std=norm['std'],
                    to_rgb=bool(norm.get('to_rgb', False)),
                    size_wh=tuple(resize['size']) if resize else None,
                    keep_ratio=bool(resize.get('keep_ratio'))
                    if resize else False,
                    encoding=next((transforms[name] for name in ENCODINGS
                                   if name in transforms), None))
            except (ValueError, KeyError, IndexError, TypeError) as e:
                raise ValueError(
                    f'{pipeline_json} is not an mmdeploy SDK pipeline '
                    f'({type(e).__name__}: {e}); re-export with '
                    'tools/deploy.py --dump-info, or pass the model config '
                    '(--model-cfg)') from None
        if model_cfg is None:
            raise ValueError(
                f'no pipeline.json next to {onnx_file} to read the '
                'preprocessing from: export with tools/deploy.py '
                '--dump-info, or pass the model config (--model-cfg)')
        from mmengine.config import Config

        from mmgas.utils import load_config
        cfg = model_cfg if isinstance(model_cfg, Config) else load_config(
            model_cfg)
        data_pre = cfg.model.get('data_preprocessor', {})
        size_wh, keep_ratio = None, False
        for t in test_pipeline_for_arrays(cfg):
            if t['type'] == 'Resize':
                size_wh, keep_ratio = tuple(t['scale']), bool(
                    t.get('keep_ratio', False))
        return dict(
            encoding=input_encoding(cfg),
            mean=data_pre.get('mean') or [0.0] * 3,
            std=data_pre.get('std') or [1.0] * 3,
            to_rgb=bool(data_pre.get('bgr_to_rgb', False)),
            size_wh=size_wh,
            keep_ratio=keep_ratio)

    def _input_size_hw(self, frame_hw):
        if self._size_wh is None:
            return frame_hw
        if not self._keep_ratio:
            return self._size_wh[1], self._size_wh[0]
        from mmcv.image import rescale_size

        # the same arithmetic as mmcv's keep-ratio Resize
        w, h = rescale_size((frame_hw[1], frame_hw[0]), self._size_wh)
        return h, w

    def _preprocess(self, frame, history):
        from mmgas.deploy.preprocess import FramePreprocessor

        size_hw = self._input_size_hw(frame.shape[:2])
        if size_hw not in self._preprocessors:
            self._preprocessors[size_hw] = FramePreprocessor(
                self._norm, size_hw, self._encoding)
        return self._preprocessors[size_hw](frame, history)

    def predict(self, frames, histories):
        # each 1x3xhxw
        inputs = [self._preprocess(f, h) for f, h in zip(frames, histories)]
        outputs = [None] * len(frames)
        # one run per group of equally sized inputs (one per frame for a
        # graph with a fixed batch of 1)
        for start, stop in _equal_shape_runs([x.shape for x in inputs],
                                             self._fixed_batch):
            batch = np.concatenate(inputs[start:stop])
            result = self.session.run(None, {self._input_name: batch})[0]
            for k in range(start, stop):
                outputs[k] = self._postprocess(result[k - start],
                                               frames[k].shape[:2])
        return outputs

    def _postprocess(self, output, frame_hw):
        h, w = frame_hw
        if np.issubdtype(output.dtype, np.integer):
            # exported with_argmax=True: labels only
            labels = cv2.resize(
                output.reshape(output.shape[-2:]).astype(np.uint8), (w, h),
                interpolation=cv2.INTER_NEAREST)
            return GasPrediction(labels == self._gas_index, None)
        if output.shape[1:] != (h, w):
            # logits, resized bilinearly like mmseg's postprocess_result
            output = cv2.resize(
                np.ascontiguousarray(output.transpose(1, 2, 0)), (w, h),
                interpolation=cv2.INTER_LINEAR)
            output = output.reshape(h, w, -1).transpose(2, 0, 1)
        return logits_to_prediction(output, self._gas_index)


def build_runtime(model,
                  checkpoint=None,
                  backend=None,
                  device='cpu',
                  model_cfg=None,
                  gas_index=None,
                  threads=None):
    """The runtime for a model file, its arguments checked.

    The arguments and errors are :class:`~mmgas.apis.LeakDetector`'s, which
    documents them.

    Returns:
        SegmentationRuntime: A :class:`PyTorchRuntime` or
        :class:`OnnxRuntime`.
    """
    model = str(model)
    is_onnx = model.lower().endswith('.onnx')
    if backend is None:
        backend = 'onnxruntime' if is_onnx else 'pytorch'
    if backend not in BACKENDS:
        raise ValueError(f'unknown backend {backend!r}; choose from '
                         f'{BACKENDS}')
    if backend == 'onnxruntime' and not is_onnx:
        raise ValueError(
            f'the onnxruntime backend runs an .onnx file, not {model}; '
            'export the model first (tools/deploy.py ... --dump-info) '
            'and pass W/end2end.onnx')
    if backend == 'pytorch' and is_onnx:
        raise ValueError(f'{model} is an ONNX model: use the '
                         'onnxruntime backend (or pass the model config '
                         'and checkpoint for pytorch)')
    for path in (model, checkpoint, model_cfg):
        if path is not None and not osp.isfile(path):
            raise FileNotFoundError(f'file not found: {osp.abspath(path)}')
    if backend == 'pytorch':
        if checkpoint is None:
            raise ValueError(f'the pytorch backend needs a checkpoint '
                             f'for {model}')
        return PyTorchRuntime(model, checkpoint, device, gas_index)
    if checkpoint is not None:
        raise ValueError(
            f'{model} is an ONNX model with its weights inside; it '
            f'takes no checkpoint (got {checkpoint})')
    return OnnxRuntime(model, model_cfg, gas_index, threads)

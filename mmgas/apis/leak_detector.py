"""The leak detector: the runtime a model calls for, behind one name.

:class:`LeakDetector` is what ``tools/infer.py`` and user code call: it
builds a :class:`~mmgas.apis.runtimes.PyTorchRuntime` for a config and
checkpoint or an :class:`~mmgas.apis.runtimes.OnnxRuntime` for an
``end2end.onnx`` (:func:`~mmgas.apis.runtimes.build_runtime`) and segments
batches of frames with it. For a temporal model (a config or
``pipeline.json`` with a ``TemporalEncoding``) it also keeps the stream's
last frames, so that every frame is encoded with its own history.
"""
from collections import deque

from .runtimes import build_runtime


class LeakDetector:
    """Gas segmentation of batches of frames.

    A temporal detector treats the frames of consecutive calls as one
    stream, in order: frame ``t`` is encoded with the frames before it (at
    most :attr:`history_length`), whether they came in the same call or in
    earlier ones. The first frames of a stream have a shorter history (none
    at all for the very first: no motion seen yet, see
    :func:`~mmgas.datasets.transforms.temporal_channels`). :meth:`reset`
    starts a new stream; ``stream=False`` segments frames that are not
    consecutive (a folder of unrelated images) each without history.

    Args:
        model (str): A model config (``.py``) for the PyTorch backend, or an
            ``.onnx`` file for ONNX Runtime.
        checkpoint (str, optional): Checkpoint of the PyTorch model.
        backend (str, optional): ``'pytorch'`` or ``'onnxruntime'``.
            Default: None (from ``model``'s suffix).
        device (str): PyTorch device. Default: 'cpu'.
        model_cfg (str, optional): For ONNX: the model config to take the
            preprocessing from when no ``pipeline.json`` lies next to the
            ``.onnx``. Default: None.
        gas_index (int, optional): Class index of gas. Default: None (the
            index of the class named ``gas``, else 1).
        threads (int, optional): ONNX Runtime intra-op threads. Default:
            None (ONNX Runtime's choice).

    Raises:
        FileNotFoundError: If a file does not exist (named).
        ValueError: For an unknown or mismatched backend, or ONNX
            preprocessing that cannot be determined.

    Examples:
        >>> detector = LeakDetector('work_dirs/gasseg-s/end2end.onnx')
        >>> prediction, = detector([frame])  # H x W x 3 uint8 BGR
        >>> prediction.mask.shape == frame.shape[:2]
        True
        >>> for frame in camera:  # live, frame by frame
        ...     prediction, = detector([frame])
    """

    def __init__(self,
                 model,
                 checkpoint=None,
                 backend=None,
                 device='cpu',
                 model_cfg=None,
                 gas_index=None,
                 threads=None):
        self.runtime = build_runtime(model, checkpoint, backend, device,
                                     model_cfg, gas_index, threads)
        self._history = deque(maxlen=max(self.history_length, 1))

    @property
    def backend(self):
        """str: ``'pytorch'`` or ``'onnxruntime'``."""
        return self.runtime.backend

    @property
    def history_length(self):
        """int: Earlier frames the model's input encoding uses (0: a
        single-frame model)."""
        return self.runtime.history_length

    def reset(self):
        """Forget the stream's frames: the next frame starts a new one."""
        self._history.clear()

    @property
    def model_file(self):
        """str: The model config or ``.onnx`` file."""
        return self.runtime.model_file

    def __call__(self, frames, stream=True):
        """Segment a batch of frames.

        Args:
            frames (list[np.ndarray]): ``H x W x 3`` uint8 BGR frames (sizes
                may differ; a temporal model needs one size per stream).
            stream (bool): The frames continue the stream of earlier calls
                (a temporal model encodes each with its history). False:
                unrelated frames, each without history; the stream is not
                touched. Default: True.

        Returns:
            list[GasPrediction]: One per frame, at the frame's size.
        """
        if not self.history_length or not stream:
            return self.runtime(frames)
        histories = []
        for frame in frames:
            histories.append(list(self._history))
            self._history.append(frame)
        return self.runtime(frames, histories)

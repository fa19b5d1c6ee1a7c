"""The leak detector: the runtime a model calls for, behind one name.

:class:`LeakDetector` is what ``tools/infer.py`` and user code call: it
builds a :class:`~mmgas.apis.runtimes.PyTorchRuntime` for a config and
checkpoint or an :class:`~mmgas.apis.runtimes.OnnxRuntime` for an
``end2end.onnx`` (:func:`~mmgas.apis.runtimes.build_runtime`) and segments
batches of frames with it.
"""
from .runtimes import build_runtime


class LeakDetector:
    """Gas segmentation of batches of frames.

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

    @property
    def backend(self):
        """str: ``'pytorch'`` or ``'onnxruntime'``."""
        return self.runtime.backend

    @property
    def model_file(self):
        """str: The model config or ``.onnx`` file."""
        return self.runtime.model_file

    def __call__(self, frames):
        """Segment a batch of frames.

        Args:
            frames (list[np.ndarray]): ``H x W x 3`` uint8 BGR frames (sizes
                may differ).

        Returns:
            list[GasPrediction]: One per frame, at the frame's size.
        """
        return self.runtime(frames)

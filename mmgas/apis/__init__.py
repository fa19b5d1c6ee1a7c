"""Leak detection on images, folders and infrared video.

Not imported by ``import mmgas``: use ``from mmgas.apis import ...``.
:mod:`.frames` reads and normalises input, :mod:`.runtimes` runs a
PyTorch or ONNX Runtime model on batches of frames behind one interface
(:class:`LeakDetector` picks one), :mod:`.detection` is the loop of
``tools/infer.py`` (:func:`detect_leaks`), :mod:`.regions` turns
masks into per-frame records and :mod:`.alarm` raises leak alarms on video
(scored by :mod:`mmgas.evaluation.alarm`, whose functions are re-exported
here).
"""
from mmgas.evaluation.alarm import (false_alarm_frames, match_events,
                                    merge_intervals, summarise_matches)
from .alarm import AlarmEvent, LeakAlarm, alarm_events
from .detection import OutputWriter, describe_run, detect_leaks
from .frames import (DEFAULT_PERCENTILES, Frame, FrameError, FrameSource,
                     InputError, normalise_frame, percentile_stretch,
                     read_image)
from .leak_detector import LeakDetector
from .runtimes import (GasPrediction, OnnxRuntime, PyTorchRuntime,
                       SegmentationRuntime, build_runtime,
                       logits_to_prediction)
from .overlay import draw_overlay
from .regions import frame_record, gas_regions

__all__ = [
    'AlarmEvent', 'LeakAlarm', 'alarm_events', 'false_alarm_frames',
    'match_events',
    'merge_intervals',
    'summarise_matches', 'DEFAULT_PERCENTILES', 'Frame', 'FrameError',
    'FrameSource', 'InputError', 'normalise_frame', 'percentile_stretch',
    'read_image', 'GasPrediction', 'LeakDetector', 'logits_to_prediction',
    'SegmentationRuntime', 'PyTorchRuntime', 'OnnxRuntime', 'build_runtime',
    'frame_record', 'gas_regions', 'draw_overlay', 'OutputWriter',
    'describe_run', 'detect_leaks'
]

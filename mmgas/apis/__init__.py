"""Leak detection on images, folders and infrared video.

Not imported by ``import mmgas``: use ``from mmgas.apis import ...``.
:mod:`.frames` reads and normalises input, :mod:`.leak_detector` runs a
PyTorch or ONNX Runtime model on batches of frames, :mod:`.regions` turns
masks into per-frame records and :mod:`.alarm` raises leak alarms on video.
"""
from .alarm import (AlarmEvent, LeakAlarm, alarm_events, false_alarm_frames,
                    match_events, merge_intervals,
                    summarise_matches)
from .frames import (DEFAULT_PERCENTILES, Frame, FrameError, FrameSource,
                     InputError, normalise_frame, percentile_stretch,
                     read_image)
from .leak_detector import GasPrediction, LeakDetector, logits_to_prediction
from .overlay import draw_overlay
from .regions import frame_record, gas_regions

__all__ = [
    'AlarmEvent', 'LeakAlarm', 'alarm_events', 'false_alarm_frames',
    'match_events',
    'merge_intervals',
    'summarise_matches', 'DEFAULT_PERCENTILES', 'Frame', 'FrameError',
    'FrameSource', 'InputError', 'normalise_frame', 'percentile_stretch',
    'read_image', 'GasPrediction', 'LeakDetector', 'logits_to_prediction',
    'frame_record', 'gas_regions', 'draw_overlay'
]

"""Leak alarm for video: N-of-M persistence with hysteresis, and its scoring.

A segmentation model flickers: a faint plume is found in some frames and
missed in others, and noise or a distractor gives a false blob now and
then. An operator wants one alarm per leak, raised when gas *persists* and
cleared when it has stopped. :class:`LeakAlarm` raises when at least
``min_frames`` of the last ``window`` frames show at least ``min_area`` gas
pixels, and clears when at most ``clear_frames`` of them do (by default
``window - min_frames``: as many gas-free frames are needed to clear as
gas frames to raise). Raising needs more positives than clearing allows,
so a count hovering at the threshold does not toggle the alarm.

Scoring alarm events against ground truth is evaluation:
:mod:`mmgas.evaluation.alarm`.
"""
from collections import deque
from dataclasses import asdict, dataclass
from typing import Optional


@dataclass
class AlarmEvent:
    """One leak alarm. Frame intervals are half-open ``[start, end)``.

    Attributes:
        start_frame (int): First gas frame of the window that raised the
            alarm (the onset estimate).
        end_frame (int): One past the last gas frame before the alarm
            cleared (the end estimate).
        raised_frame (int): Frame at which the alarm was raised.
        cleared_frame (int, optional): Frame at which it was cleared; None
            if it was still raised when the stream ended.
        peak_area (int): Largest gas area (pixels) seen during the event.
        fps (float, optional): Frame rate for the ``*_time`` fields.
    """
    start_frame: int
    end_frame: int
    raised_frame: int
    cleared_frame: Optional[int]
    peak_area: int
    fps: Optional[float] = None

    def _time(self, frame):
        if frame is None or not self.fps:
            return None
        return round(frame / self.fps, 3)

    @property
    def interval(self):
        """tuple[int, int]: ``(start_frame, end_frame)``."""
        return self.start_frame, self.end_frame

    def to_dict(self):
        """JSON-friendly dict with ``start_time``/``end_time``/
        ``raised_time``/``cleared_time`` in seconds (None without fps)."""
        out = asdict(self)
        for key in ('start', 'end', 'raised', 'cleared'):
            out[f'{key}_time'] = self._time(out[f'{key}_frame'])
        return out


class LeakAlarm:
    """N-of-M persistence alarm over per-frame gas areas.

    Feed one :meth:`update` per frame, in order, then call :meth:`finish`.

    Args:
        window (int): M, the number of most recent frames considered.
            Default: 15 (1 s at 15 fps).
        min_frames (int): N, gas frames in the window that raise the alarm.
            Default: 10.
        min_area (int): Gas pixels for a frame to count as a gas frame.
            Default: 25.
        clear_frames (int, optional): The alarm clears when at most this
            many of the window's frames are gas frames; must be less than
            ``min_frames``. Default: None (``window - min_frames``).
        fps (float, optional): Frame rate, for event times. Default: None.

    Examples:
        >>> alarm = LeakAlarm(window=4, min_frames=3, min_area=10)
        >>> for area in [0, 50, 50, 50, 0, 0, 0, 0]:
        ...     _ = alarm.update(area)
        >>> [e.interval for e in alarm.finish()]
        [(1, 4)]
    """

    def __init__(self,
                 window=15,
                 min_frames=10,
                 min_area=25,
                 clear_frames=None,
                 fps=None):
        if window < 1:
            raise ValueError(f'window must be >= 1, got {window}')
        if not 1 <= min_frames <= window:
            raise ValueError(f'min_frames must be in [1, window={window}], '
                             f'got {min_frames}')
        if clear_frames is None:
            clear_frames = window - min_frames
        if not 0 <= clear_frames < min_frames:
            raise ValueError(
                f'clear_frames must be in [0, min_frames={min_frames}); got '
                f'{clear_frames} (with window={window}, min_frames='
                f'{min_frames} the default window - min_frames is '
                f'{window - min_frames}: use min_frames > window / 2 or '
                'pass clear_frames)')
        self.window = int(window)
        self.min_frames = int(min_frames)
        self.min_area = min_area
        self.clear_frames = int(clear_frames)
        self.fps = fps
        self.reset()

    def reset(self):
        """Forget all frames and events."""
        # (frame index, is gas frame, area) of the last `window` frames
        self._recent = deque(maxlen=self.window)
        self._frame = 0
        self._open = None  # dict of the raised event, or None
        self._last_gas = None
        self._cleared = -1  # frame at which the last event was cleared
        self.events = []

    @property
    def active(self):
        """bool: Whether the alarm is raised."""
        return self._open is not None

    def update(self, gas_area, frame_index=None):
        """Take the next frame.

        Args:
            gas_area (int, optional): Gas pixels in the frame; None for a
                frame that was skipped (unreadable): it counts as a frame
                without gas.
            frame_index (int, optional): The frame's index; must not go
                back. Default: one after the previous frame.

        Returns:
            bool: Whether the alarm is raised after this frame.
        """
        if frame_index is None:
            frame_index = self._frame
        elif frame_index < self._frame:
            raise ValueError(f'frame {frame_index} comes after frame '
                             f'{self._frame - 1}; frames must be in order')
        # frames never passed in are missing frames
        for missing in range(self._frame, frame_index):
            self._push(missing, None)
        self._push(frame_index, gas_area)
        self._frame = frame_index + 1
        return self.active

    def _push(self, index, area):
        is_gas = area is not None and area >= self.min_area
        self._recent.append((index, is_gas, area or 0))
        if is_gas:
            self._last_gas = index
        count = sum(g for _, g, _ in self._recent)
        if self._open is None:
            if count >= self.min_frames:
                # gas frames up to the previous clearing belong to the
                # previous event; this frame is a gas frame (the count
                # only grows on one), so there is one after it
                start = next(i for i, g, _ in self._recent
                             if g and i > self._cleared)
                self._open = dict(
                    start_frame=start,
                    raised_frame=index,
                    peak_area=max(a for _, g, a in self._recent if g))
        else:
            if is_gas:
                self._open['peak_area'] = max(self._open['peak_area'], area)
            if count <= self.clear_frames:
                self._close(index)

    def _close(self, cleared_frame):
        if cleared_frame is not None:
            self._cleared = cleared_frame
        self.events.append(
            AlarmEvent(
                end_frame=self._last_gas + 1,
                cleared_frame=cleared_frame,
                fps=self.fps,
                **self._open))
        self._open = None

    def finish(self):
        """End the stream: an alarm still raised becomes an event with
        ``cleared_frame=None``.

        Returns:
            list[AlarmEvent]: All events, in order.
        """
        if self._open is not None:
            self._close(None)
        return list(self.events)


def alarm_events(areas, **kwargs):
    """Run a :class:`LeakAlarm` over a sequence of per-frame gas areas.

    Args:
        areas (Sequence[int | None]): Gas pixels per frame (None: skipped).
        **kwargs: :class:`LeakAlarm` arguments.

    Returns:
        list[AlarmEvent]: The events.
    """
    alarm = LeakAlarm(**kwargs)
    for area in areas:
        alarm.update(area)
    return alarm.finish()

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

:func:`match_events` scores alarm events against ground-truth leak
intervals (event precision and recall; an alarm raised well before a leak
began does not count as detecting it) and :func:`false_alarm_frames`
counts the time an alarm is up outside every leak.
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


def _as_interval(item):
    if isinstance(item, AlarmEvent):
        return item.interval
    start, end = item
    return int(start), int(end)


def merge_intervals(intervals, max_gap):
    """Merge ``[start, end)`` intervals separated by fewer than ``max_gap``
    frames into one episode.

    A faint plume drops below visibility for a few frames now and then;
    to an operator that is still one leak, and an alarm with hysteresis
    rightly reports it as one event.

    Args:
        intervals (Sequence[tuple[int, int]]): Sorted or unsorted intervals.
        max_gap (int): Gaps shorter than this are closed.

    Returns:
        list[tuple[int, int]]: Sorted, merged intervals.
    """
    merged = []
    for start, end in sorted(_as_interval(i) for i in intervals):
        if merged and start - merged[-1][1] < max_gap:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _raised(item):
    """The frame an alarm was raised at (an interval's start)."""
    if isinstance(item, AlarmEvent):
        return item.raised_frame
    return _as_interval(item)[0]


def _active(item, num_frames):
    """``[raised, cleared)``: the frames an alarm was up (to the end of the
    stream when it never cleared)."""
    if isinstance(item, AlarmEvent):
        end = item.cleared_frame
        return item.raised_frame, num_frames if end is None else end
    return _as_interval(item)


def match_events(predicted, ground_truth, min_overlap=1,
                 early_tolerance=None):
    """Event precision and recall of alarms against true leak intervals.

    Predicted events and ground-truth intervals are matched one to one,
    greedily by largest overlap (in frames); a pair matches when it
    overlaps by at least ``min_overlap`` frames and, with
    ``early_tolerance``, the alarm was raised no more than that many frames
    before the true onset: an alarm up before the leak began did not detect
    it. Unmatched predictions are false alarms (also a second alarm for
    the same leak: fragmentation is a nuisance to an operator too),
    unmatched intervals are missed leaks.

    Args:
        predicted (Sequence[AlarmEvent | tuple[int, int]]): Alarm events or
            ``[start, end)`` frame intervals.
        ground_truth (Sequence[tuple[int, int]]): True ``[start, end)``
            leak intervals, e.g. ``gas_visible_intervals`` of a synthetic
            ``sequence.json``.
        min_overlap (int): Frames of overlap for a match. Default: 1.
        early_tolerance (int, optional): Frames an alarm may be raised
            before the true onset and still match; None: any (an overlap
            is enough). Default: None.

    Returns:
        dict: ``tp``, ``fp``, ``fn``, ``precision`` (1.0 when nothing was
        predicted), ``recall`` (1.0 when there is nothing to find) and
        ``matches`` (list of ``(predicted index, ground-truth index)``).
    """
    pred = [_as_interval(p) for p in predicted]
    gt = [_as_interval(g) for g in ground_truth]
    pairs = []
    raised = [_raised(p) for p in predicted]
    for i, (ps, pe) in enumerate(pred):
        for j, (gs, ge) in enumerate(gt):
            overlap = min(pe, ge) - max(ps, gs)
            early = early_tolerance is not None and \
                raised[i] < gs - early_tolerance
            if overlap >= min_overlap and not early:
                pairs.append((overlap, i, j))
    used_pred, used_gt, matches = set(), set(), []
    for _, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if i not in used_pred and j not in used_gt:
            used_pred.add(i)
            used_gt.add(j)
            matches.append((i, j))
    tp = len(matches)
    return dict(
        tp=tp,
        fp=len(pred) - tp,
        fn=len(gt) - tp,
        precision=tp / len(pred) if pred else 1.0,
        recall=tp / len(gt) if gt else 1.0,
        matches=sorted(matches))


def false_alarm_frames(predicted, ground_truth, num_frames):
    """Frames during which an alarm was up outside every true interval.

    Args:
        predicted (Sequence[AlarmEvent | tuple[int, int]]): Alarm events
            (up from ``raised_frame`` to ``cleared_frame``) or
            ``[start, end)`` intervals.
        ground_truth (Sequence[tuple[int, int]]): True ``[start, end)``
            intervals.
        num_frames (int): Frames in the stream (an alarm still up at the
            end counts until then).

    Returns:
        int: The number of such frames.
    """
    up = [False] * num_frames
    for item in predicted:
        start, end = _active(item, num_frames)
        for t in range(max(start, 0), min(end, num_frames)):
            up[t] = True
    for start, end in (_as_interval(g) for g in ground_truth):
        for t in range(max(start, 0), min(end, num_frames)):
            up[t] = False
    return sum(up)


def summarise_matches(results):
    """Pool :func:`match_events` results of several sequences.

    Returns:
        dict: Summed ``tp``/``fp``/``fn`` with the pooled ``precision`` and
        ``recall`` (same conventions as :func:`match_events`), and
        ``false_alarm_s_per_min`` when every result has ``false_alarm_s``
        and ``duration_s``.
    """
    tp = sum(r['tp'] for r in results)
    fp = sum(r['fp'] for r in results)
    fn = sum(r['fn'] for r in results)
    out = dict(
        tp=tp,
        fp=fp,
        fn=fn,
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0)
    if results and all('false_alarm_s' in r and 'duration_s' in r
                       for r in results):
        # alarm time outside any leak, seconds per minute of video
        duration = sum(r['duration_s'] for r in results)
        out['false_alarm_s_per_min'] = 60.0 * sum(
            r['false_alarm_s'] for r in results) / duration if duration \
            else 0.0
    return out

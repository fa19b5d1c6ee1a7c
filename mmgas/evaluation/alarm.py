"""Scoring leak alarms against ground-truth leak intervals.

:func:`match_events` scores alarm events (:class:`mmgas.apis.AlarmEvent`s
or ``(start, end)`` frame intervals) against ground-truth leak intervals:
event precision and recall, and the latency of each hit; an alarm raised
well before a leak began does not count as detecting it.
:func:`false_alarm_frames` counts the time an alarm is up outside every
leak; :func:`score_events` does both for one video and
:func:`summarise_matches` pools the scores of several
(``tools/analysis_tools/alarm_eval.py``, ``video_eval.py``).
"""


def _as_interval(item):
    if hasattr(item, 'interval'):  # an AlarmEvent
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
    if hasattr(item, 'raised_frame'):  # an AlarmEvent
        return item.raised_frame
    return _as_interval(item)[0]


def _active(item, num_frames):
    """``[raised, cleared)``: the frames an alarm was up (to the end of the
    stream when it never cleared)."""
    if hasattr(item, 'cleared_frame'):  # an AlarmEvent
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


def score_events(events, truth, num_frames, fps, merge_gap=0,
                 early_tolerance=5):
    """Score one video's alarm events strictly against its true intervals.

    Args:
        events (Sequence[AlarmEvent | tuple[int, int]]): The alarm's events.
        truth (Sequence[tuple[int, int]]): True ``[start, end)`` intervals
            (gas visible, or the source emitting).
        num_frames (int): Frames in the video.
        fps (float): Its frame rate.
        merge_gap (int): True intervals closer than this many frames are one
            leak episode (:func:`merge_intervals`). Default: 0.
        early_tolerance (int): See :func:`match_events`. Default: 5.

    Returns:
        dict: ``truth`` (merged), ``tp``/``fp``/``fn``, ``latency_frames``
        (raised frame minus true onset, per hit), ``false_alarm_frames``,
        ``false_alarm_s`` and ``duration_s``: what :func:`summarise_matches`
        pools.
    """
    truth = [list(i) for i in merge_intervals(truth, merge_gap)]
    match = match_events(events, truth, early_tolerance=early_tolerance)
    raised = [_raised(e) for e in events]
    false_frames = false_alarm_frames(events, truth, num_frames)
    return dict(
        truth=truth,
        tp=match['tp'],
        fp=match['fp'],
        fn=match['fn'],
        latency_frames=[
            raised[i] - truth[j][0] for i, j in match['matches']
        ],
        false_alarm_frames=false_frames,
        false_alarm_s=false_frames / fps,
        duration_s=num_frames / fps)


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

"""mmgas.evaluation.alarm: scoring alarm events against leak intervals
(event matching, early alarms, false-alarm time, merging, one video's
scores)."""
import pytest

from mmgas.apis import AlarmEvent
from mmgas.evaluation import (false_alarm_frames, match_events,
                              merge_intervals, score_events,
                              summarise_matches)


def _event(raised, cleared, start=None, end=None):
    return AlarmEvent(
        start_frame=raised if start is None else start,
        end_frame=(cleared or 90) if end is None else end,
        raised_frame=raised,
        cleared_frame=cleared,
        peak_area=100)


def test_match_events():
    gt = [(10, 30), (50, 60)]
    result = match_events([(12, 31), (70, 80)], gt)
    assert (result['tp'], result['fp'], result['fn']) == (1, 1, 1)
    assert result['precision'] == 0.5 and result['recall'] == 0.5
    assert result['matches'] == [(0, 0)]
    # a fragmented alarm: the second piece is a false alarm
    result = match_events([(10, 18), (20, 30)], [(10, 30)])
    assert (result['tp'], result['fp'], result['fn']) == (1, 1, 0)
    # the larger overlap wins the interval
    assert match_events([(0, 12), (11, 30)], [(10, 30)])['matches'] == [(1, 0)]
    # touching half-open intervals do not overlap
    assert match_events([(0, 10)], [(10, 20)])['tp'] == 0
    assert match_events([], [])['precision'] == 1.0
    assert match_events([], [(0, 5)])['recall'] == 0.0


def test_an_alarm_raised_before_the_leak_did_not_detect_it():
    """The demo's old case: raised at frame 9 for a leak from frame 65."""
    early = _event(9, None)
    leak = [(65, 90)]
    # an overlap alone counts as a hit (the lenient rule) ...
    assert match_events([early], leak)['tp'] == 1
    # ... the strict rule calls it a false alarm and the leak missed
    strict = match_events([early], leak, early_tolerance=5)
    assert (strict['tp'], strict['fp'], strict['fn']) == (0, 1, 1)
    # within the tolerance it is a detection
    assert match_events([_event(61, None)], leak,
                        early_tolerance=5)['tp'] == 1
    # intervals are judged by their start
    assert match_events([(50, 90)], leak, early_tolerance=5)['tp'] == 0


def test_false_alarm_frames_count_alarm_time_outside_every_leak():
    leak = [(10, 30)]
    # up from its raise to its clearing: 25 frames after the leak ended
    assert false_alarm_frames([_event(15, 55)], leak, 90) == 25
    # still up at the end of the stream: counted to the end
    assert false_alarm_frames([_event(15, None)], leak, 90) == 60
    # raised early: the frames before the onset count too
    assert false_alarm_frames([_event(2, 30)], leak, 90) == 8
    assert false_alarm_frames([_event(12, 30)], leak, 90) == 0
    assert false_alarm_frames([], leak, 90) == 0
    assert false_alarm_frames([(0, 5), (40, 45)], [], 90) == 10


def test_merge_intervals_closes_short_gaps_only():
    assert merge_intervals([], 5) == []
    assert merge_intervals([(9, 24), (0, 4), (26, 33)], 6) == [(0, 33)]
    # a gap of exactly max_gap frames stays a gap
    assert merge_intervals([(0, 4), (9, 12)], 5) == [(0, 4), (9, 12)]
    assert merge_intervals([(0, 10), (5, 8)], 0) == [(0, 10)]


def test_score_events_of_one_video():
    # two visible stretches 4 frames apart are one leak episode; one alarm
    # raised 3 frames after its onset stays up 10 frames past its end, a
    # second one is raised on nothing
    events = [_event(23, 70, start=20, end=58), _event(80, 88)]
    scores = score_events(events, [(20, 40), (44, 60)], 90, 15.0,
                          merge_gap=5)
    assert scores['truth'] == [[20, 60]]
    assert (scores['tp'], scores['fp'], scores['fn']) == (1, 1, 0)
    assert scores['latency_frames'] == [3]
    assert scores['false_alarm_frames'] == 10 + 8
    assert scores['false_alarm_s'] == pytest.approx(18 / 15.0)
    assert scores['duration_s'] == pytest.approx(6.0)
    # kept apart, the second stretch is missed and the gap between them
    # is alarm time outside any leak
    apart = score_events(events, [(20, 40), (44, 60)], 90, 15.0)
    assert (apart['tp'], apart['fn']) == (1, 1)
    assert apart['false_alarm_frames'] == 18 + 4
    pooled = summarise_matches([scores, apart])
    assert pooled['false_alarm_s_per_min'] == pytest.approx(
        60.0 * (18 + 22) / 15.0 / 12.0)

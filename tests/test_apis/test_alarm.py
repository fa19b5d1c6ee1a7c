"""mmgas.apis.alarm: the N-of-M leak alarm and event matching, and the
alarm on synthetic video sequences with known leak intervals."""
import json

import pytest

from mmgas.apis import (AlarmEvent, LeakAlarm, alarm_events,
                        false_alarm_frames, match_events, merge_intervals)
from mmgas.datasets.synthetic import generate_dataset

from ..helpers import load_tool

GAS, NONE = 100, 0


def _load_alarm_eval():
    return load_tool('tools/analysis_tools/alarm_eval.py')


def test_raise_and_clear_with_times():
    areas = [NONE] * 5 + [GAS] * 10 + [NONE] * 10
    events = alarm_events(areas, window=5, min_frames=3, min_area=50, fps=10)
    assert len(events) == 1
    event = events[0].to_dict()
    assert (event['start_frame'], event['end_frame']) == (5, 15)
    assert event['raised_frame'] == 7  # the 3rd gas frame
    assert event['cleared_frame'] == 17  # at most 5 - 3 = 2 of 5 are gas
    assert (event['start_time'], event['end_time']) == (0.5, 1.5)
    assert event['raised_time'] == 0.7 and event['peak_area'] == GAS


def test_small_areas_and_isolated_blips_raise_nothing():
    below = [40] * 30  # gas, but under min_area
    assert alarm_events(below, window=5, min_frames=3, min_area=50) == []
    blips = [GAS if t % 3 == 0 else NONE for t in range(30)]  # 2 of 5
    assert alarm_events(blips, window=5, min_frames=3, min_area=50) == []


def test_hysteresis_keeps_a_flickering_leak_one_event():
    # a leak found in 4 of every 6 frames: 9 to 11 gas frames in any 15,
    # around N = 10
    pattern = ('GGG.G.' * 25)[:150]
    areas = [GAS if c == 'G' else NONE for c in pattern]
    events = alarm_events(areas + [NONE] * 15, window=15, min_frames=10)
    assert [(e.start_frame, e.end_frame, e.cleared_frame) for e in events] \
        == [(0, 149, 155)]
    # without hysteresis (clear as soon as fewer than N) it toggles
    toggling = alarm_events(areas, window=15, min_frames=10, clear_frames=9)
    assert len(toggling) > 10


def test_skipped_frames_and_open_event():
    alarm = LeakAlarm(window=4, min_frames=3, min_area=1, fps=2)
    for t in range(3):
        alarm.update(GAS, t)
    assert alarm.active
    alarm.update(None, 3)  # a corrupt frame counts as gas-free
    alarm.update(GAS, 6)  # frames 4 and 5 never came: gas-free too
    assert not alarm.active  # window 3..6 holds one gas frame
    with pytest.raises(ValueError, match='frames must be in order'):
        alarm.update(GAS, 5)
    for t in range(7, 10):
        alarm.update(GAS, t)
    events = alarm.finish()
    assert [(e.start_frame, e.end_frame, e.cleared_frame) for e in events] \
        == [(0, 3, 5), (6, 10, None)]
    assert events[1].to_dict()['cleared_time'] is None


def test_a_new_event_starts_after_the_previous_clearing():
    # frames 14 and 15 are in the window that raises the second alarm at
    # frame 18, but they came before the first one cleared (frame 16)
    pattern = 'GGGG.G.GGGG...GG.GG....'
    areas = [GAS if c == 'G' else NONE for c in pattern]
    events = alarm_events(areas, window=6, min_frames=4, clear_frames=2)
    assert [(e.start_frame, e.end_frame, e.raised_frame, e.cleared_frame)
            for e in events] == [(0, 16, 3, 16), (17, 19, 18, 21)]


@pytest.mark.parametrize('kwargs, message', [
    (dict(window=0), 'window'),
    (dict(window=5, min_frames=6), 'min_frames'),
    (dict(window=10, min_frames=4), 'clear_frames'),
])
def test_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LeakAlarm(**kwargs)


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


def _event(raised, cleared, start=None, end=None):
    return AlarmEvent(
        start_frame=raised if start is None else start,
        end_frame=(cleared or 90) if end is None else end,
        raised_frame=raised,
        cleared_frame=cleared,
        peak_area=100)


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


@pytest.fixture(scope='module')
def synthetic_videos(tmp_path_factory):
    root = tmp_path_factory.mktemp('videos')
    generate_dataset(
        str(root),
        num_train=0,
        num_val=0,
        num_test=0,
        size=(96, 72),
        num_videos=8,
        video_frames=60,
        workers=1,
        log=lambda *a: None)
    return root


def test_alarm_on_synthetic_sequences(synthetic_videos):
    """Driven by the true masks of sequences with known leak intervals:
    perfect with clean masks, still good with 15 % missed gas frames and
    5 % false blobs."""
    tool = _load_alarm_eval()
    metas = [
        json.loads(p.read_text())
        for p in sorted(synthetic_videos.glob('video/seq_*/sequence.json'))
    ]
    assert len(metas) == 8
    # the set has leaks that start, stop or persist, so events have ends
    assert len({m['scenario'] for m in metas}) >= 3
    clean = tool.main([str(synthetic_videos), '--min-area', '10'])['total']
    # visibility gaps shorter than the alarm window are one leak episode
    num_true = sum(
        len(merge_intervals(m['gas_visible_intervals'], 15)) for m in metas)
    assert clean['tp'] == num_true and clean['fp'] == 0
    # an alarm driven by the true masks is up only while gas shows, but
    # for the frames it takes to clear
    assert 0 <= clean['false_alarm_s_per_min'] < 6
    noisy = tool.main([
        str(synthetic_videos), '--min-area', '10', '--miss-rate', '0.15',
        '--false-rate', '0.05', '--seed', '1'
    ])['total']
    assert noisy['precision'] >= 0.75 and noisy['recall'] >= 0.75
    # the false blobs alone never persist long enough to raise an alarm
    rows = tool.main(
        [str(synthetic_videos), '--min-area', '10', '--false-rate',
         '0.1'])['sequences']
    none = [r for r in rows if not r['truth']]
    assert all(r['fp'] == 0 and r['false_alarm_frames'] == 0 for r in none)
    # a detector that sees gas in every frame raises at once: an early
    # alarm is a false alarm, and its time outside the leaks is counted
    always = tool.main([
        str(synthetic_videos), '--min-area', '10', '--false-rate', '1.0'
    ])
    late_onsets = [
        r for r in always['sequences']
        if r['truth'] and r['truth'][0][0] > 20
    ]
    assert late_onsets and all(r['tp'] == 0 for r in late_onsets)
    assert always['total']['false_alarm_s_per_min'] > \
        clean['false_alarm_s_per_min']


def test_merge_intervals_closes_short_gaps_only():
    assert merge_intervals([], 5) == []
    assert merge_intervals([(9, 24), (0, 4), (26, 33)], 6) == [(0, 33)]
    # a gap of exactly max_gap frames stays a gap
    assert merge_intervals([(0, 4), (9, 12)], 5) == [(0, 4), (9, 12)]
    assert merge_intervals([(0, 10), (5, 8)], 0) == [(0, 10)]

"""mmgas.apis.alarm: the N-of-M leak alarm, and the alarm on synthetic video
sequences with known leak intervals (scoring: tests/test_evaluation)."""
import json

import pytest

from mmgas.apis import LeakAlarm, alarm_events
from mmgas.evaluation import merge_intervals
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

"""Event precision/recall of the leak alarm on synthetic video sequences.

::

    python tools/analysis_tools/alarm_eval.py DATA_ROOT \
        [--pred-dir DIR] [--miss-rate 0.2] [--false-rate 0.05] [--seed 0] \
        [--window 15 --min-frames 10 --min-area 25] [--truth visible|leak]

``DATA_ROOT`` holds ``video/seq_<k>/`` from
``generate_synthetic_gas.py --video N``. Each sequence's per-frame gas area
drives :class:`mmgas.apis.LeakAlarm`, and its events are matched to the
sequence's true intervals (:func:`mmgas.apis.match_events`):
``gas_visible_intervals`` (``--truth visible``, what a camera can see) or
``leak_intervals`` (``--truth leak``, when the source emits). Visible
intervals separated by fewer than ``--merge-gap`` frames (default: the
alarm window) are one leak episode: a faint plume that drops out of view
for a few frames is still one leak to an operator.

Scoring is strict: an alarm raised more than ``--early-tolerance`` frames
before a leak's onset did not detect it (it is a false alarm), and the
time an alarm is up outside every true interval is reported as false-alarm
seconds per minute of video, beside event precision, recall and latency.

The areas come from

* the ground-truth masks (default), made imperfect like a detector: each
  gas frame is missed with probability ``--miss-rate`` and each frame gets
  a false blob of ``min-area``-``4 x min-area`` pixels with probability
  ``--false-rate``; this measures the alarm logic alone;
* or a model's predictions: ``--pred-dir DIR`` with
  ``DIR/seq_<k>/frames.jsonl`` written by
  ``tools/infer.py ... video/seq_<k>/seq_<k>.mp4 --out DIR/seq_<k>``.
"""
import argparse
import glob
import json
import os.path as osp

import cv2
import numpy as np


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Event precision/recall of the leak alarm on synthetic '
        'video sequences')
    parser.add_argument('data_root', help='set with video/seq_<k>/')
    parser.add_argument(
        '--pred-dir',
        default=None,
        help='tools/infer.py outputs, DIR/seq_<k>/frames.jsonl')
    parser.add_argument('--miss-rate', type=float, default=0.0)
    parser.add_argument('--false-rate', type=float, default=0.0)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--window', type=int, default=15)
    parser.add_argument('--min-frames', type=int, default=10)
    parser.add_argument('--clear-frames', type=int, default=None)
    parser.add_argument('--min-area', type=int, default=25)
    parser.add_argument(
        '--truth', choices=['visible', 'leak'], default='visible')
    parser.add_argument(
        '--merge-gap',
        type=int,
        default=None,
        help='merge true intervals closer than this many frames '
        '(default: --window; 0 keeps them apart)')
    parser.add_argument(
        '--early-tolerance',
        type=int,
        default=5,
        help='frames an alarm may be raised before the true onset and '
        'still count as detecting it; earlier alarms are false alarms '
        '(default: 5)')
    parser.add_argument(
        '--seq-dir',
        default='video',
        help="folder of the sequences under DATA_ROOT (default: 'video'; "
        "'video/test' for a temporal set's test split)")
    parser.add_argument('--out', default=None, help='save results as JSON')
    return parser.parse_args(argv)


def mask_areas(seq_dir):
    """Gas pixels of each ground-truth mask of a sequence, in frame order."""
    paths = sorted(glob.glob(osp.join(seq_dir, 'masks', '*.png')))
    areas = []
    for path in paths:
        mask = cv2.imread(path, cv2.IMREAD_UNCHANGED)
        if mask is None:
            raise ValueError(f'cannot read mask {path}')
        areas.append(int(np.count_nonzero(mask == 1)))
    return areas


def predicted_areas(jsonl_path, num_frames):
    """Gas areas from an infer.py ``frames.jsonl``; skipped frames: None."""
    if not osp.isfile(jsonl_path):
        raise FileNotFoundError(f'no predictions: {jsonl_path}')
    areas = [None] * num_frames
    with open(jsonl_path) as f:
        for line in f:
            record = json.loads(line)
            if record['frame'] < num_frames:
                areas[record['frame']] = record.get('gas_area')
    return areas


def perturb_areas(areas, rng, miss_rate, false_rate, min_area):
    """Make ground-truth areas imperfect like a detector.

    Args:
        areas (list[int]): True gas pixels per frame.
        rng (np.random.Generator): Random source.
        miss_rate (float): Probability that a gas frame is missed (area 0).
        false_rate (float): Probability that a frame gains a false blob of
            ``min_area`` to ``4 * min_area`` pixels.
        min_area (int): The alarm's ``min_area``.

    Returns:
        list[int]: The perturbed areas.
    """
    out = []
    for area in areas:
        if area and rng.random() < miss_rate:
            area = 0
        if rng.random() < false_rate:
            area += int(rng.integers(max(min_area, 1), 4 * max(min_area, 1)))
        out.append(area)
    return out


def evaluate(args):
    from mmgas.apis import LeakAlarm
    from mmgas.evaluation import score_events, summarise_matches

    seq_dirs = sorted(
        glob.glob(osp.join(args.data_root, args.seq_dir, 'seq_*')))
    seq_dirs = [
        d for d in seq_dirs if osp.isfile(osp.join(d, 'sequence.json'))
    ]
    if not seq_dirs:
        raise SystemExit(
            f'no sequences in {osp.join(args.data_root, args.seq_dir)} '
            '(expected '
            'seq_<k>/sequence.json from generate_synthetic_gas.py --video N)')
    rng = np.random.default_rng(args.seed)
    rows = []
    for seq_dir in seq_dirs:
        with open(osp.join(seq_dir, 'sequence.json')) as f:
            meta = json.load(f)
        name = meta['name']
        if args.pred_dir:
            areas = predicted_areas(
                osp.join(args.pred_dir, name, 'frames.jsonl'),
                meta['num_frames'])
        else:
            areas = perturb_areas(
                mask_areas(seq_dir), rng, args.miss_rate, args.false_rate,
                args.min_area)
        alarm = LeakAlarm(
            window=args.window,
            min_frames=args.min_frames,
            min_area=args.min_area,
            clear_frames=args.clear_frames,
            fps=meta['fps'])
        for area in areas:
            alarm.update(area)
        events = alarm.finish()
        truth = meta['gas_visible_intervals' if args.truth ==
                     'visible' else 'leak_intervals']
        merge_gap = args.window if args.merge_gap is None else args.merge_gap
        rows.append(
            dict(
                name=name,
                scenario=meta['scenario'],
                events=[e.interval for e in events],
                **score_events(events, truth, len(areas), meta['fps'],
                               merge_gap, args.early_tolerance)))
    total = summarise_matches(rows)
    latencies = [v for r in rows for v in r['latency_frames']]
    total['mean_latency_frames'] = (
        float(np.mean(latencies)) if latencies else None)
    return dict(sequences=rows, total=total)


def main(argv=None):
    args = parse_args(argv)
    result = evaluate(args)
    print('| sequence | scenario | true intervals | alarm events | TP | FP '
          '| FN | false-alarm frames |')
    print('|---|---|---|---|---|---|---|---|')
    for r in result['sequences']:
        print(f'| {r["name"]} | {r["scenario"]} | {r["truth"]} | '
              f'{[list(e) for e in r["events"]]} | {r["tp"]} | {r["fp"]} | '
              f'{r["fn"]} | {r["false_alarm_frames"]} |')
    t = result['total']
    latency = ('n/a' if t['mean_latency_frames'] is None else
               f'{t["mean_latency_frames"]:.1f} frames')
    print(f'event precision {t["precision"]:.3f}, recall {t["recall"]:.3f} '
          f'(TP {t["tp"]}, FP {t["fp"]}, FN {t["fn"]}); mean alarm '
          f'latency after the true onset {latency}; false-alarm time '
          f'{t["false_alarm_s_per_min"]:.1f} s per minute of video (alarms '
          f'up outside every leak, or raised > {args.early_tolerance} '
          'frames before it began, are false)')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(result, args=vars(args)), f, indent=1)
    return result


if __name__ == '__main__':
    main()

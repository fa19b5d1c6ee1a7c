"""Score a leak detector on labelled video sequences: masks and alarms.

::

    python tools/analysis_tools/video_eval.py CONFIG CHECKPOINT DATA_ROOT \
        [--seq-dir video/test] [--out result.json] [alarm options]
    python tools/analysis_tools/video_eval.py W/end2end.onnx DATA_ROOT ...

Every sequence ``DATA_ROOT/SEQ_DIR/<sequence>/frames/*.png`` (with
``masks/`` and the generator's ``sequence.json``) runs through the same
path as ``tools/infer.py`` on a folder of frames at the sequence's frame
rate (:func:`mmgas.apis.detect_leaks`): a temporal model keeps its own
history from the first frame on, as on a live stream, and a single-frame
model sees each frame alone. It reports

* pixel scores over all labelled frames: gas IoU, precision and recall
  (pooled, as mmseg's IoUMetric pools), of the masks ``infer.py`` writes
  (connected regions below ``--min-region-area`` dropped);
* false positives on frames without gas: mean false gas pixels per frame
  and the share of such frames with a false region;
* alarms (:class:`mmgas.apis.LeakAlarm` on each frame's gas area) scored
  strictly against the sequence's ``gas_visible_intervals``
  (:func:`mmgas.evaluation.score_events`): event precision and recall,
  latency after the onset and false-alarm seconds per minute of video;
* the same, split by what else moves in the generator's sequences
  (``sequence.json``'s ``motion``): a hand-held camera, walking people,
  vehicles, swaying vegetation, or none of these.

A sequence without ``sequence.json`` (real footage) needs ``--fps``; its
alarm truth is then the frames whose mask has gas.
"""
import argparse
import itertools
import json
import os
import os.path as osp
import sys
import tempfile

import cv2
import numpy as np


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Pixel and alarm scores of a leak detector on labelled '
        'video sequences')
    parser.add_argument(
        'model', help='model config (.py) or exported end2end.onnx')
    parser.add_argument(
        'checkpoint',
        nargs='?',
        default=None,
        help='checkpoint (PyTorch models only)')
    parser.add_argument('data_root', help='folder holding SEQ_DIR')
    parser.add_argument(
        '--seq-dir',
        default='video/test',
        help='folder of the sequences under DATA_ROOT (default: '
        "'video/test', a temporal set's test split)")
    parser.add_argument(
        '--fps',
        type=float,
        default=None,
        help='frame rate of sequences without sequence.json')
    parser.add_argument(
        '--model-cfg',
        default=None,
        help='ONNX only: model config for the preprocessing when there is '
        'no pipeline.json next to the .onnx')
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument(
        '--min-region-area',
        type=int,
        default=None,
        help="as tools/infer.py's (default: its default)")
    parser.add_argument('--window', type=int, default=15)
    parser.add_argument('--min-frames', type=int, default=10)
    parser.add_argument('--clear-frames', type=int, default=None)
    parser.add_argument('--min-area', type=int, default=25)
    parser.add_argument(
        '--merge-gap',
        type=int,
        default=None,
        help='merge true intervals closer than this many frames '
        '(default: --window)')
    parser.add_argument('--early-tolerance', type=int, default=5)
    parser.add_argument(
        '--work-dir',
        default=None,
        help="keep infer.py's outputs per sequence here (default: a "
        'temporary folder)')
    parser.add_argument('--out', default=None, help='save results as JSON')
    return parser.parse_args(argv)


def _read_mask(path):
    mask = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if mask is None:
        raise ValueError(f'cannot read mask {path}')
    return mask


def _sequence_meta(seq_dir, fps):
    meta_path = osp.join(seq_dir, 'sequence.json')
    if osp.isfile(meta_path):
        with open(meta_path) as f:
            return json.load(f)
    if fps is None:
        raise SystemExit(f'{seq_dir} has no sequence.json: give --fps')
    return dict(name=osp.basename(seq_dir), fps=fps, scenario=None)


def _visible_intervals(has_gas):
    """``[start, end)`` runs of frames with gas."""
    out, t = [], 0
    for gas, run in itertools.groupby(has_gas):
        n = len(list(run))
        if gas:
            out.append([t, t + n])
        t += n
    return out


def evaluate_sequence(detector, seq_dir, out_dir, args):
    """Run one sequence through ``detect_leaks`` and score it."""
    from mmgas.apis import FrameSource, LeakAlarm, detect_leaks
    from mmgas.evaluation import score_events

    meta = _sequence_meta(seq_dir, args.fps)
    source = FrameSource(osp.join(seq_dir, 'frames'), fps=meta['fps'])
    alarm = LeakAlarm(
        window=args.window,
        min_frames=args.min_frames,
        min_area=args.min_area,
        clear_frames=args.clear_frames,
        fps=meta['fps'])
    summary = detect_leaks(
        source,
        detector,
        out_dir,
        alarm=alarm,
        batch_size=args.batch_size,
        min_region_area=args.min_region_area,
        overlay=False,
        progress=False)
    if summary['frames_skipped']:
        raise SystemExit(f'{seq_dir}: {summary["frames_skipped"]} frame(s) '
                         f'could not be read: {summary["skipped"][:3]}')
    num_frames = summary['frames_processed']
    pixels = dict(inter=0, pred=0, true=0, free_frames=0, free_false_px=0,
                  free_frames_with_false=0)
    has_gas = []
    for name in sorted(os.listdir(osp.join(out_dir, 'masks'))):
        gt_path = osp.join(seq_dir, 'masks', name)
        if not osp.isfile(gt_path):
            continue  # an unlabelled frame
        pred = _read_mask(osp.join(out_dir, 'masks', name)) == 1
        gt = _read_mask(gt_path)
        valid = gt != 255
        truth = (gt == 1) & valid
        pred &= valid
        pixels['inter'] += int((pred & truth).sum())
        pixels['pred'] += int(pred.sum())
        pixels['true'] += int(truth.sum())
        has_gas.append(bool(truth.any()))
        if not truth.any():
            pixels['free_frames'] += 1
            pixels['free_false_px'] += int(pred.sum())
            pixels['free_frames_with_false'] += int(pred.any())
    truth = meta.get('gas_visible_intervals', _visible_intervals(has_gas))
    merge_gap = args.window if args.merge_gap is None else args.merge_gap
    scores = score_events(
        [_Event(e) for e in summary['events']], truth, num_frames,
        meta['fps'], merge_gap, args.early_tolerance)
    return dict(
        name=meta['name'],
        scenario=meta.get('scenario'),
        conditions=motion_conditions(meta.get('motion')),
        events=[[e['start_frame'], e['end_frame']]
                for e in summary['events']],
        pixels=pixels,
        **scores)


class _Event:
    """An ``events.json`` record as :func:`score_events` reads an
    :class:`~mmgas.apis.AlarmEvent`."""

    def __init__(self, record):
        self.raised_frame = record['raised_frame']
        self.cleared_frame = record['cleared_frame']
        self.interval = (record['start_frame'], record['end_frame'])


def motion_conditions(motion):
    """The names of what else moves in a generated sequence.

    Args:
        motion (dict | None): ``sequence.json``'s ``motion`` record, None
            for real footage.

    Returns:
        list[str]: some of ``'hand-held camera'``, ``'people'``,
        ``'vehicles'`` and ``'vegetation'``, or ``['nothing else']``; an
        empty list when ``motion`` is None.
    """
    if motion is None:
        return []
    kinds = {mover['kind'] for mover in motion.get('movers', [])}
    found = [
        name for name, present in (
            ('hand-held camera', motion.get('shake', {}).get('handheld')),
            ('people', 'person' in kinds),
            ('vehicles', 'vehicle' in kinds),
            ('vegetation', bool(motion.get('vegetation'))))
        if present
    ]
    return found or ['nothing else']


def summarise_by_condition(rows):
    """:func:`summarise` over the sequences with each motion condition."""
    names = sorted({c for r in rows for c in r.get('conditions', [])})
    return {
        name: dict(
            sequences=sum(name in r['conditions'] for r in rows),
            **summarise([r for r in rows if name in r['conditions']]))
        for name in names
    }


def summarise(rows):
    """Pool the sequences' pixel and alarm scores."""
    from mmgas.evaluation import summarise_matches

    px = {k: sum(r['pixels'][k] for r in rows) for k in rows[0]['pixels']}
    union = px['pred'] + px['true'] - px['inter']
    alarms = summarise_matches(rows)
    latencies = [v for r in rows for v in r['latency_frames']]
    return dict(
        gas_iou=100.0 * px['inter'] / union if union else None,
        gas_precision=100.0 * px['inter'] / px['pred'] if px['pred'] else
        None,
        gas_recall=100.0 * px['inter'] / px['true'] if px['true'] else None,
        gas_free_frames=px['free_frames'],
        false_px_per_gas_free_frame=(px['free_false_px'] / px['free_frames']
                                     if px['free_frames'] else None),
        gas_free_frames_with_false_gas=(100.0 *
                                        px['free_frames_with_false'] /
                                        px['free_frames']
                                        if px['free_frames'] else None),
        mean_latency_frames=float(np.mean(latencies)) if latencies else None,
        **alarms)


def main(argv=None):
    args = parse_args(argv)
    from mmgas.apis import LeakDetector

    root = osp.join(args.data_root, args.seq_dir)
    if not osp.isdir(root):
        raise SystemExit(f'no sequence folder {root}')
    seq_dirs = sorted(
        osp.join(root, d) for d in os.listdir(root)
        if osp.isdir(osp.join(root, d, 'frames')))
    if not seq_dirs:
        raise SystemExit(f'no <sequence>/frames/ folder under {root}')
    detector = LeakDetector(args.model, args.checkpoint,
                            model_cfg=args.model_cfg)
    with tempfile.TemporaryDirectory() as tmp:
        work_dir = args.work_dir or tmp
        rows = [
            evaluate_sequence(detector, d,
                              osp.join(work_dir, osp.basename(d)), args)
            for d in seq_dirs
        ]
    total = summarise(rows)
    by_condition = summarise_by_condition(rows)

    def fmt(v, spec='.2f'):
        return 'n/a' if v is None else format(v, spec)

    print(f'{len(rows)} sequences, {args.model} '
          f'(history {detector.history_length} frames)')
    print(f'pixels: gas IoU {fmt(total["gas_iou"])} (P '
          f'{fmt(total["gas_precision"])} / R {fmt(total["gas_recall"])}); '
          f'{total["gas_free_frames"]} frames without gas: '
          f'{fmt(total["false_px_per_gas_free_frame"], ".1f")} false gas px '
          f'per frame, {fmt(total["gas_free_frames_with_false_gas"], ".1f")}'
          ' % with a false region')
    print(f'alarms: precision {total["precision"]:.3f}, recall '
          f'{total["recall"]:.3f} (TP {total["tp"]}, FP {total["fp"]}, FN '
          f'{total["fn"]}), mean latency '
          f'{fmt(total["mean_latency_frames"], ".1f")} frames, false-alarm '
          f'time {total["false_alarm_s_per_min"]:.1f} s per minute')
    for name, part in by_condition.items():
        print(f'  {name} ({part["sequences"]} sequences): gas IoU '
              f'{fmt(part["gas_iou"])}, '
              f'{fmt(part["false_px_per_gas_free_frame"], ".1f")} false px '
              f'per gas-free frame, false-alarm time '
              f'{part["false_alarm_s_per_min"]:.1f} s per minute')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(
                dict(
                    total=total,
                    by_condition=by_condition,
                    sequences=rows,
                    args=vars(args)),
                f,
                indent=1)
    return total


if __name__ == '__main__':
    sys.exit(0 if main() is not None else 1)

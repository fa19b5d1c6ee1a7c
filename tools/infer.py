"""Gas-leak detection on an image, a folder of images or an infrared video.

::

    python tools/infer.py CONFIG CHECKPOINT INPUT --out DIR [options]
    python tools/infer.py W/end2end.onnx INPUT --out DIR [options]

``INPUT`` is an image, a folder of images or a video file. The model is a
config and checkpoint (PyTorch) or an ``end2end.onnx`` from
``tools/deploy.py`` (ONNX Runtime; preprocessing from the ``pipeline.json``
next to it, or ``--model-cfg``). Frames are segmented in batches of
``--batch-size``. Under ``DIR`` it writes

* ``masks/<name>.png``: the gas mask, 0 = background, 1 = gas (the mmseg
  label convention; ``<name>`` is the file stem, or the 6-digit frame
  number of a video);
* ``overlays/<name>.jpg`` (images) or ``overlay.mp4`` (video): the frame
  with gas tinted red, region boxes and confidences, and the alarm banner;
* ``frames.jsonl``: one JSON record per frame (gas area, boxes of the
  connected regions, mean confidence, alarm state; or why it was skipped);
* ``events.json``: leak alarm events with start/end frames and times
  (videos, and folders given ``--fps``);
* ``summary.json``: counts, skipped frames, input problems, throughput.

Unreadable frames (corrupt, wrong channel count) are skipped and reported;
the run fails only when no frame could be used. 16-bit and float
(radiometric) images are normalised by a per-frame percentile stretch, the
camera's automatic gain (``--percentiles``, docs/inference.md).
"""
import argparse
import json
import os
import os.path as osp
import sys
import time


import cv2


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Segment gas in an image, a folder or a video; write '
        'masks, overlays, per-frame records and leak alarm events.')
    parser.add_argument(
        'model', help='model config (.py) or exported end2end.onnx')
    parser.add_argument(
        'checkpoint',
        nargs='?',
        default=None,
        help='checkpoint (PyTorch models only)')
    parser.add_argument('input', help='image, folder of images or video')
    parser.add_argument('--out', required=True, help='output directory')
    parser.add_argument(
        '--backend',
        choices=['pytorch', 'onnxruntime'],
        default=None,
        help='default: onnxruntime for .onnx, else pytorch')
    parser.add_argument(
        '--model-cfg',
        default=None,
        help='ONNX only: model config for the preprocessing when there is '
        'no pipeline.json next to the .onnx')
    parser.add_argument('--device', default='cpu', help='PyTorch device')
    parser.add_argument(
        '--batch-size', type=int, default=8, help='frames per model call')
    parser.add_argument(
        '--threads',
        type=int,
        default=None,
        help='ONNX Runtime intra-op threads (default: its own choice)')
    parser.add_argument(
        '--fps',
        type=float,
        default=None,
        help='frame rate of a folder of frames (makes it a sequence with '
        'alarm events), or of a video whose header has none')
    alarm = parser.add_argument_group('leak alarm (sequences)')
    alarm.add_argument(
        '--window',
        type=int,
        default=15,
        help='M: frames considered (default 15)')
    alarm.add_argument(
        '--min-frames',
        type=int,
        default=10,
        help='N: gas frames among the last M that raise the alarm '
        '(default 10)')
    alarm.add_argument(
        '--clear-frames',
        type=int,
        default=None,
        help='the alarm clears when at most this many of the last M '
        'frames have gas (default M - N)')
    alarm.add_argument(
        '--min-area',
        type=int,
        default=25,
        help='gas pixels for a frame to count as a gas frame (default 25)')
    parser.add_argument(
        '--min-region-area',
        type=int,
        default=None,
        help='drop connected gas regions smaller than this (pixels) from '
        'masks and records (default: mmgas.utils.regions.'
        'DEFAULT_MIN_REGION_AREA, 16, as the box metric)')
    parser.add_argument(
        '--percentiles',
        type=float,
        nargs=2,
        default=(1.0, 99.0),
        metavar=('LOW', 'HIGH'),
        help='percentile stretch of 16-bit/float frames (default 1 99)')
    parser.add_argument(
        '--opacity', type=float, default=0.5, help='gas tint opacity')
    parser.add_argument(
        '--no-overlay',
        action='store_true',
        help='do not write overlays (faster)')
    args = parser.parse_args(argv)
    if args.batch_size < 1:
        parser.error('--batch-size must be >= 1')
    low, high = args.percentiles
    if not 0 <= low < high <= 100:
        parser.error('--percentiles needs 0 <= LOW < HIGH <= 100')
    return args


class OutputWriter:
    """Writes masks, overlays and records of processed frames."""

    def __init__(self, out_dir, source, opacity, overlay=True):
        self.out_dir = out_dir
        self.source = source
        self.opacity = opacity
        self.overlay = overlay
        self.mask_dir = osp.join(out_dir, 'masks')
        os.makedirs(self.mask_dir, exist_ok=True)
        if overlay and source.kind != 'video':
            os.makedirs(osp.join(out_dir, 'overlays'), exist_ok=True)
        self.video = None
        self.records = open(osp.join(out_dir, 'frames.jsonl'), 'w')

    def write(self, frame, mask, record, alarm):
        from mmgas.apis import draw_overlay

        cv2.imwrite(
            osp.join(self.mask_dir, frame.name + '.png'), mask.astype('uint8'))
        if self.overlay:
            painted = draw_overlay(frame.image, mask, record, alarm,
                                   frame.time, self.opacity)
            if self.source.kind == 'video':
                self._video_frame(painted)
            else:
                cv2.imwrite(
                    osp.join(self.out_dir, 'overlays', frame.name + '.jpg'),
                    painted)
        self.records.write(json.dumps(record) + '\n')

    def skip(self, record):
        self.records.write(json.dumps(record) + '\n')

    def _video_frame(self, painted):
        if self.video is None:
            h, w = painted.shape[:2]
            path = osp.join(self.out_dir, 'overlay.mp4')
            self.video = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'),
                                         self.source.fps, (w, h))
            if not self.video.isOpened():
                raise OSError(f'cannot write {path} (no mp4v encoder)')
        self.video.write(painted)

    def close(self):
        self.records.close()
        if self.video is not None:
            self.video.release()


def build(args):
    """The frame source, the alarm (sequences only) and the detector.

    Raises:
        InputError, FileNotFoundError, ValueError: Bad input or options;
            the message names the file or option.
    """
    from mmgas.apis import FrameSource, LeakAlarm, LeakDetector

    source = FrameSource(
        args.input, fps=args.fps, percentiles=args.percentiles)
    alarm = None
    if source.is_sequence:
        alarm = LeakAlarm(
            window=args.window,
            min_frames=args.min_frames,
            min_area=args.min_area,
            clear_frames=args.clear_frames,
            fps=source.fps)
    detector = LeakDetector(
        args.model,
        args.checkpoint,
        backend=args.backend,
        device=args.device,
        model_cfg=args.model_cfg,
        threads=args.threads)
    return source, alarm, detector


def run(args, source, alarm, detector):
    """Run the detection; returns the summary dict."""
    import mmengine

    from mmgas.apis import frame_record
    from mmgas.utils.regions import DEFAULT_MIN_REGION_AREA

    min_region_area = args.min_region_area
    if min_region_area is None:
        min_region_area = DEFAULT_MIN_REGION_AREA

    os.makedirs(args.out, exist_ok=True)
    writer = OutputWriter(args.out, source, args.opacity, not args.no_overlay)

    skipped, processed, model_seconds = [], 0, 0.0
    progress = mmengine.utils.ProgressBar(len(source))
    start = time.perf_counter()

    def flush(pending):
        nonlocal processed, model_seconds
        usable = [f for f in pending if f.image is not None]
        tic = time.perf_counter()
        predictions = iter(detector([f.image for f in usable]))
        model_seconds += time.perf_counter() - tic
        for frame in pending:  # in order, skipped ones included
            base = dict(
                frame=frame.index,
                name=frame.name,
                time=None if frame.time is None else round(frame.time, 4))
            if frame.image is None:
                skipped.append(dict(base, error=frame.error))
                writer.skip(dict(base, skipped=frame.error))
                if alarm is not None:
                    alarm.update(None, frame.index)
            else:
                pred = next(predictions)
                record, mask = frame_record(pred.mask, pred.gas_prob,
                                            min_region_area)
                state = None
                if alarm is not None:
                    state = alarm.update(record['gas_area'], frame.index)
                    record['alarm'] = state
                writer.write(frame, mask, dict(base, **record), state)
                processed += 1
            progress.update()

    pending = []
    try:
        for frame in source:
            pending.append(frame)
            if sum(f.image is not None for f in pending) >= args.batch_size:
                flush(pending)
                pending = []
        flush(pending)
    finally:
        writer.close()
    elapsed = time.perf_counter() - start
    print()

    summary = dict(
        input=args.input,
        kind=source.kind,
        model=args.model,
        backend=detector.backend,
        fps=source.fps,
        frames_processed=processed,
        frames_skipped=len(skipped),
        skipped=skipped,
        problems=source.problems,
        seconds=round(elapsed, 3),
        frames_per_second=round(processed / max(elapsed, 1e-9), 2),
        detector_frames_per_second=round(processed / max(model_seconds, 1e-9),
                                         2),
        batch_size=args.batch_size)
    if alarm is not None:
        events = [e.to_dict() for e in alarm.finish()]
        summary['alarm'] = dict(
            window=alarm.window,
            min_frames=alarm.min_frames,
            clear_frames=alarm.clear_frames,
            min_area=alarm.min_area)
        summary['events'] = events
        with open(osp.join(args.out, 'events.json'), 'w') as f:
            json.dump(
                dict(summary['alarm'], fps=source.fps, events=events),
                f,
                indent=1)
    with open(osp.join(args.out, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    return summary


def report(summary, out_dir):
    """Print what happened, problems first."""
    for item in summary['skipped']:
        print(f'skipped frame {item["frame"]} ({item["name"]}): '
              f'{item["error"]}')
    for problem in summary['problems']:
        print(f'warning: {problem}')
    print(f'{summary["frames_processed"]} frame(s) processed, '
          f'{summary["frames_skipped"]} skipped; '
          f'{summary["frames_per_second"]} frames/s end to end '
          f'({summary["detector_frames_per_second"]} frames/s in the '
          f'detector: preprocessing, {summary["backend"]} model, '
          f'postprocessing; batch {summary["batch_size"]}); '
          f'results in {out_dir}')
    if 'events' in summary:
        events = summary['events']
        print(f'{len(events)} leak alarm event(s):')
        for i, e in enumerate(events):
            end = ('still raised at the end' if e['cleared_frame'] is None else
                   f'cleared at frame {e["cleared_frame"]}')
            print(f'  #{i}: gas frames {e["start_frame"]}-'
                  f'{e["end_frame"] - 1} ({e["start_time"]:.2f}-'
                  f'{e["end_time"]:.2f} s), raised at frame '
                  f'{e["raised_frame"]}, {end}, peak {e["peak_area"]} px')


def main(argv=None):
    args = parse_args(argv)
    from mmgas.apis import InputError
    try:
        parts = build(args)
    except (InputError, FileNotFoundError, ValueError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    summary = run(args, *parts)
    report(summary, args.out)
    if summary['frames_processed'] == 0:
        print(
            f'error: no usable frame in {args.input}; see the skipped '
            'frames above',
            file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())

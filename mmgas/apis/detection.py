"""Leak detection on an image, a folder of images or a video: the loop of
``tools/infer.py``.

:func:`detect_leaks` reads frames from a :class:`~mmgas.apis.FrameSource`,
segments them in batches with a :class:`~mmgas.apis.LeakDetector` (which
keeps a temporal model's history), turns masks into per-frame records,
raises alarms with a :class:`~mmgas.apis.LeakAlarm` and writes everything
with :class:`OutputWriter`.
"""
import json
import os
import os.path as osp
import time

import cv2

from mmgas.utils.regions import DEFAULT_MIN_REGION_AREA
from .overlay import draw_overlay
from .regions import frame_record


class OutputWriter:
    """Writes masks, overlays and per-frame records of a detection run.

    Args:
        out_dir (str): Output directory (created).
        source (FrameSource): The input, for its kind and frame rate.
        opacity (float): Gas tint opacity of the overlays.
        overlay (bool): Write overlays (``overlays/<name>.jpg``, or
            ``overlay.mp4`` for a video). Default: True.
    """

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
        """Write a processed frame's mask, overlay and record."""
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
        """Record a frame that could not be used."""
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
        """Flush the records and finish the video."""
        self.records.close()
        if self.video is not None:
            self.video.release()


def detect_leaks(source,
                 detector,
                 out_dir,
                 alarm=None,
                 batch_size=8,
                 min_region_area=None,
                 opacity=0.5,
                 overlay=True,
                 progress=True):
    """Segment every frame of ``source``, raise alarms, write the results.

    Frames go to ``detector`` in batches of ``batch_size`` usable frames;
    unreadable ones are recorded as skipped (and count as no-gas frames
    for the alarm). Writes ``masks/``, overlays, ``frames.jsonl``,
    ``events.json`` (with an alarm) and ``summary.json`` under ``out_dir``
    (tools/infer.py lists them).

    Args:
        source (FrameSource): The frames.
        detector (LeakDetector): Segments batches; a temporal one keeps
            the history of a sequence (a video, or a folder with ``fps``)
            and sees the images of a plain folder each on its own.
        out_dir (str): Output directory (created).
        alarm (LeakAlarm, optional): Raised on sequences. Default: None.
        batch_size (int): Usable frames per detector call. Default: 8.
        min_region_area (int, optional): Smaller connected gas regions are
            dropped. Default: None (``DEFAULT_MIN_REGION_AREA``).
        opacity (float): Gas tint opacity of the overlays. Default: 0.5.
        overlay (bool): Write overlays. Default: True.
        progress (bool): Show a progress bar. Default: True.

    Returns:
        dict: The summary (also in ``summary.json``): counts, skipped
        frames, input problems, throughput and, with an alarm, its events.
    """
    import mmengine

    if min_region_area is None:
        min_region_area = DEFAULT_MIN_REGION_AREA

    os.makedirs(out_dir, exist_ok=True)
    detector.reset()  # a new source is a new stream
    writer = OutputWriter(out_dir, source, opacity, overlay)

    skipped, processed, model_seconds = [], 0, 0.0
    bar = mmengine.utils.ProgressBar(len(source)) if progress else None
    start = time.perf_counter()

    def flush(pending):
        nonlocal processed, model_seconds
        usable = [f for f in pending if f.image is not None]
        tic = time.perf_counter()
        predictions = iter(
            detector([f.image for f in usable], stream=source.is_sequence))
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
            if bar is not None:
                bar.update()

    pending = []
    try:
        for frame in source:
            pending.append(frame)
            if sum(f.image is not None for f in pending) >= batch_size:
                flush(pending)
                pending = []
        flush(pending)
    finally:
        writer.close()
    elapsed = time.perf_counter() - start
    if bar is not None:
        print()

    summary = dict(
        input=source.path,
        kind=source.kind,
        model=detector.model_file,
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
        batch_size=batch_size)
    if alarm is not None:
        events = [e.to_dict() for e in alarm.finish()]
        summary['alarm'] = dict(
            window=alarm.window,
            min_frames=alarm.min_frames,
            clear_frames=alarm.clear_frames,
            min_area=alarm.min_area)
        summary['events'] = events
        with open(osp.join(out_dir, 'events.json'), 'w') as f:
            json.dump(
                dict(summary['alarm'], fps=source.fps, events=events),
                f,
                indent=1)
    with open(osp.join(out_dir, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    return summary


def describe_run(summary, out_dir):
    """What a run of :func:`detect_leaks` did, problems first.

    Args:
        summary (dict): Its summary.
        out_dir (str): Where it wrote the results.

    Returns:
        list[str]: Lines to print.
    """
    lines = []
    for item in summary['skipped']:
        lines.append(f'skipped frame {item["frame"]} ({item["name"]}): '
                     f'{item["error"]}')
    for problem in summary['problems']:
        lines.append(f'warning: {problem}')
    lines.append(f'{summary["frames_processed"]} frame(s) processed, '
                 f'{summary["frames_skipped"]} skipped; '
                 f'{summary["frames_per_second"]} frames/s end to end '
                 f'({summary["detector_frames_per_second"]} frames/s in the '
                 f'detector: preprocessing, {summary["backend"]} model, '
                 f'postprocessing; batch {summary["batch_size"]}); '
                 f'results in {out_dir}')
    if 'events' in summary:
        events = summary['events']
        lines.append(f'{len(events)} leak alarm event(s):')
        for i, e in enumerate(events):
            end = ('still raised at the end' if e['cleared_frame'] is None else
                   f'cleared at frame {e["cleared_frame"]}')
            lines.append(f'  #{i}: gas frames {e["start_frame"]}-'
                         f'{e["end_frame"] - 1} ({e["start_time"]:.2f}-'
                         f'{e["end_time"]:.2f} s), raised at frame '
                         f'{e["raised_frame"]}, {end}, '
                         f'peak {e["peak_area"]} px')
    return lines

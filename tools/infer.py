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
import sys


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


def main(argv=None):
    args = parse_args(argv)
    from mmgas.apis import InputError, describe_run, detect_leaks
    try:
        source, alarm, detector = build(args)
    except (InputError, FileNotFoundError, ValueError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    summary = detect_leaks(
        source,
        detector,
        args.out,
        alarm=alarm,
        batch_size=args.batch_size,
        min_region_area=args.min_region_area,
        opacity=args.opacity,
        overlay=not args.no_overlay)
    print('\n'.join(describe_run(summary, args.out)))
    if summary['frames_processed'] == 0:
        print(
            f'error: no usable frame in {args.input}; see the skipped '
            'frames above',
            file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())

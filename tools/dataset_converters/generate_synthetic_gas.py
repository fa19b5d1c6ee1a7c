"""Generate the physics-based synthetic infrared gas data set.

Writes the mmseg layout (``img_dir``/``ann_dir``/``meta`` per split, and
optionally ``video/``) that ``configs/_base_/datasets/synthetic_gas.py``
reads. See ``docs/synthetic_data.md`` for the physics and the parameters.

Examples::

    # the default set (1000/200/200/200 train/val/test/held-out images at
    # 320x240, 2 workers)
    python tools/dataset_converters/generate_synthetic_gas.py \\
        --out data/synthetic_gas
    # the temporal set of configs/*/*temporal* (docs/temporal.md)
    python tools/dataset_converters/generate_synthetic_gas.py \\
        --out data/synthetic_gas_temporal --num-train 0 --num-val 0 \\
        --num-test 0 --num-heldout 0 --video-train 150 --video-val 12 \\
        --video-test 24 --video-frames 48
    # a small hard set with videos, a contact sheet and statistics
    python tools/dataset_converters/generate_synthetic_gas.py \\
        --out data/syn_hard \\
        --difficulty hard --num-train 200 --num-val 50 --num-test 50 \\
        --video 4 --contact-sheet syn_hard.png --stats syn_hard.md

Running the same command again is a no-op (``manifest.json`` records the
parameters) unless ``--overwrite`` is given; a non-empty directory made
with other parameters is refused without it. ``--contact-sheet``,
``--stats`` and ``--coco`` (COCO gas boxes in
``annotations/instances_<split>.json``, see ``docs/box_labels.md``) also
work on an existing set made with the same parameters (which is then kept
as it is).
"""
import argparse
import json
import sys


from mmgas.datasets.synthetic import (generate_dataset,
                                      make_contact_sheet, write_stats)
from mmgas.datasets.synthetic.coco import write_coco_annotations  # noqa


def parse_size(text):
    try:
        w, h = (int(v) for v in text.lower().split('x'))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'--size takes WxH, e.g. 320x240, not {text!r}')
    if w < 32 or h < 24:
        raise argparse.ArgumentTypeError('--size must be at least 32x24')
    return w, h


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description='Generate synthetic optical-gas-imaging frames and masks')
    p.add_argument('--out', default='data/synthetic_gas',
                   help='output directory (default: data/synthetic_gas)')
    p.add_argument('--seed', type=int, default=0, help='master seed')
    p.add_argument('--num-train', type=int, default=1000)
    p.add_argument('--num-val', type=int, default=200)
    p.add_argument('--num-test', type=int, default=200)
    p.add_argument('--num-heldout', type=int, default=None,
                   help='images of the held-out split (scenes and cameras '
                   'the other splits never contain); default 200 for the '
                   "'default' difficulty, the only one that defines it")
    p.add_argument('--size', type=parse_size, default=(320, 240),
                   help='WxH (default 320x240, native OGI; 256x192 is '
                   "GasSeg's test size)")
    p.add_argument('--difficulty', default='default',
                   choices=['easy', 'default', 'hard', 'strong'],
                   help="'strong' is not physical (opacity 0.6-0.9): a set "
                   'that models learn on a CPU schedule')
    p.add_argument('--video', type=int, default=0, metavar='N',
                   help='also write N video sequences (default 0)')
    for split in ('train', 'val', 'test'):
        p.add_argument(f'--video-{split}', type=int, default=0, metavar='N',
                       help=f'write N sequences to video/{split}/ (a '
                       'temporal set for TemporalGasDataset, default 0)')
    p.add_argument('--video-frames', type=int, default=60)
    p.add_argument('--fps', type=float, default=15.0)
    p.add_argument('--workers', type=int, default=2)
    p.add_argument('--overwrite', action='store_true',
                   help='regenerate: replace an existing set, also one made '
                   'with the same parameters')
    p.add_argument('--set', metavar='KEY=JSON', action='append',
                   default=[], dest='overrides',
                   help='change a preset value for an ablation, e.g. '
                   "--set label.outline=null (dotted key, JSON value); "
                   'recorded in manifest.json')
    p.add_argument('--contact-sheet', metavar='PNG',
                   help='write a contact sheet (frames, masks, overlays)')
    p.add_argument('--stats', metavar='MD',
                   help='write a Markdown table of the set statistics')
    p.add_argument('--coco', action='store_true',
                   help='also write COCO gas boxes (one per connected mask '
                   'region) to annotations/instances_<split>.json')
    args = p.parse_args(argv)
    for flag, value, least in (
            ('--num-train', args.num_train, 0), ('--num-val', args.num_val, 0),
            ('--num-test', args.num_test, 0), ('--video', args.video, 0),
            ('--video-train', args.video_train, 0),
            ('--video-val', args.video_val, 0),
            ('--video-test', args.video_test, 0),
            ('--video-frames', args.video_frames, 1),
            ('--workers', args.workers, 1)):
        if value < least:
            p.error(f'{flag} must be at least {least}, got {value}')
    if not args.fps > 0:
        p.error(f'--fps must be positive, got {args.fps}')
    if args.num_heldout is None:
        args.num_heldout = 200 if args.difficulty == 'default' else 0
    if args.num_heldout < 0:
        p.error(f'--num-heldout must be at least 0, got {args.num_heldout}')
    try:
        args.overrides = parse_overrides(args.overrides)
    except ValueError as e:
        p.error(str(e))
    return args


def parse_overrides(items):
    """``['label.outline=null', ...]`` -> ``{'label': {'outline': None}}``
    (None when empty)."""
    out = {}
    for item in items:
        key, sep, value = item.partition('=')
        if not sep or not key:
            raise ValueError(f'--set takes KEY=JSON, not {item!r}')
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise ValueError(f'--set {key}: {value!r} is not JSON (strings '
                             'need quotes: \'"text"\')')
        node = out
        *parents, leaf = key.split('.')
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out or None


def main(argv=None):
    args = parse_args(argv)
    try:
        generate_dataset(
            args.out,
            seed=args.seed,
            num_train=args.num_train,
            num_val=args.num_val,
            num_test=args.num_test,
            num_heldout=args.num_heldout,
            size=args.size,
            difficulty=args.difficulty,
            num_videos=args.video,
            video_splits=dict(train=args.video_train, val=args.video_val,
                              test=args.video_test),
            video_frames=args.video_frames,
            fps=args.fps,
            workers=args.workers,
            overwrite=args.overwrite,
            overrides=args.overrides)
    except (FileExistsError, KeyError, ValueError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    if args.contact_sheet:
        split = 'val' if args.num_val else 'train'
        make_contact_sheet(args.out, args.contact_sheet, split=split)
        print(f'contact sheet: {args.contact_sheet}')
    if args.stats:
        write_stats(args.out, args.stats)
        print(f'statistics: {args.stats}')
    if args.coco:
        write_coco_annotations(args.out)
    return 0


if __name__ == '__main__':
    sys.exit(main())

"""Where a model's gas IoU goes: missed plumes, false regions, outlines too
small or too large, and which plumes it finds by their size.

``tools/test.py`` gives one gas IoU. This tool splits its errors by
connected region (:class:`mmgas.evaluation.RegionErrorMetric`): the gas IoU
without each kind of error, each kind's share of all wrong pixels, and the
labelled regions found per area bin. The config's test dataloader is used
(pipeline, data root, split); ``--cfg-options`` selects another split.

Example::

    python tools/analysis_tools/region_errors.py \\
        configs/gasseg/gasseg-s_1xb8-4k_synthetic-256x192.py \\
        work_dirs/demo_gasseg-s_synthetic/iter_4000.pth
"""
import mmgas  # noqa: F401

from mmgas.evaluation import RegionErrorMetric
from mmgas.evaluation.offline import (checkpoint_arg_parser,
                                      evaluate_checkpoint)


def parse_args():
    parser = checkpoint_arg_parser(
        'Split the gas IoU into missed, false and extent errors')
    parser.add_argument(
        '--min-found',
        type=float,
        default=0.1,
        help='share of a labelled region the argmax must cover for the '
        'region to count as found (default: 0.1)')
    args = parser.parse_args()
    if not 0 < args.min_found <= 1:
        parser.error(f'--min-found must be in (0, 1], got {args.min_found}')
    return args


def report(scores, num_images):
    """The metric's scores as a few lines of text."""
    lines = [
        f'{num_images} images, gas IoU {scores["iou"]:.2f}; wrong pixels: '
        f'missed regions {scores["share_fn_missed"]:.1f} %, short extent '
        f'{scores["share_fn_short"]:.1f} %, false regions '
        f'{scores["share_fp_false"]:.1f} %, long extent '
        f'{scores["share_fp_long"]:.1f} %',
        f'gas IoU without missed regions {scores["iou_no_missed"]:.2f}, '
        f'without short extent {scores["iou_no_short"]:.2f}, without false '
        f'regions {scores["iou_no_false"]:.2f}, without long extent '
        f'{scores["iou_no_long"]:.2f}',
        f'labelled regions found: {scores["regions_found"]} of '
        f'{scores["regions"]}; by area (px):'
    ]
    for key in scores:
        if key.endswith('_regions') and key.startswith('area_'):
            name = key[:-len('_regions')]
            count = scores[key]
            found = scores[f'{name}_found']
            share = 100. * found / max(count, 1)
            lines.append(f'  {name[5:]:>10} px: {found:4d} of {count:4d} '
                         f'found ({share:5.1f} %)')
    return '\n'.join(lines)


def main():
    args = parse_args()
    metric = RegionErrorMetric(min_found=args.min_found)
    scores, dataset = evaluate_checkpoint(args.config, args.checkpoint,
                                          metric, args.cfg_options)
    print(report(scores, len(dataset)))


if __name__ == '__main__':
    main()

"""Threshold-free pixel metrics of one class (average precision and the best
IoU over all probability thresholds) and how many images the argmax finds
the class in.

``tools/test.py`` scores the argmax. Early in training, or on faint targets,
the argmax is often all background (gas IoU 0 for every checkpoint) while
the class probability already ranks gas pixels above background ones; the
pixel AP (area under the precision-recall curve, chance level = the class's
pixel share) shows whether and how much a model has learnt before the argmax
does.

The config's test dataloader (pipeline, data root, split) is used; the
probabilities are the softmax of ``model.predict``'s logits at the original
image size, as ``tools/test.py`` sees them. Pixels labelled
``ignore_index`` are skipped. Probabilities are binned (``--bins``).

A second line counts images, which is what a leak alarm sees: of the images
that contain the class, those in which the argmax (as ``tools/test.py``
scores it) covers at least ``--min-found`` of the labelled pixels; of the
images without it, those with any pixel predicted as the class.

Example::

    python tools/analysis_tools/pixel_ap.py \\
        configs/gasvit/gasvit-xs_mlphead_1xb8-1k_synthetic-256x192.py \\
        work_dirs/gasvit-xs_mlphead_1xb8-1k_synthetic-256x192/iter_1000.pth
"""
import mmgas  # noqa: F401

from mmgas.evaluation import PixelAPMetric
from mmgas.evaluation.offline import (checkpoint_arg_parser,
                                      evaluate_checkpoint)


def parse_args():
    parser = checkpoint_arg_parser(
        'Pixel AP and best IoU of one class over thresholds')
    parser.add_argument(
        '--class-index',
        type=int,
        default=1,
        help='class to score (default: 1, gas)')
    parser.add_argument(
        '--bins',
        type=int,
        default=1000,
        help='probability bins (default: 1000)')
    parser.add_argument(
        '--min-found',
        type=float,
        default=0.1,
        help='share of an image\'s labelled pixels the argmax must cover '
        'for the image to count as found (default: 0.1)')
    args = parser.parse_args()
    if not 0 < args.min_found <= 1:
        parser.error(f'--min-found must be in (0, 1], got {args.min_found}')
    return args


def main():
    args = parse_args()
    metric = PixelAPMetric(
        class_index=args.class_index,
        bins=args.bins,
        min_found=args.min_found)
    scores, dataset = evaluate_checkpoint(args.config, args.checkpoint,
                                          metric, args.cfg_options)

    name = dataset.metainfo['classes'][args.class_index]
    print(f'{len(dataset)} images, class {args.class_index} ({name}): '
          f'pixel AP {scores["ap"]:.2f} (chance {scores["chance"]:.2f}), '
          f'best IoU {scores["best_iou"]:.2f} at p >= '
          f'{scores["best_threshold"]:.3f}')
    print(f'images with {name}: {scores["images_with"]}, found (>= '
          f'{args.min_found:g} of its pixels) in {scores["images_found"]}; '
          f'images without: {scores["images_without"]}, {name} predicted '
          f'in {scores["images_false"]}')


if __name__ == '__main__':
    main()

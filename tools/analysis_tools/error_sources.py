"""Whether a model's wrong gas pixels on a synthetic set lie on gas the
frames show: label noise and missed evidence, or clutter taken for gas.

Re-renders every frame of the config's test split (a set written by
``tools/dataset_converters/generate_synthetic_gas.py`` with the installed
generator; each frame is checked against its file) to read the gas's own
displayed contrast, and splits the false positives and false negatives by
it (:class:`mmgas.evaluation.VisibilityErrorMetric`). ``--cfg-options``
selects another split.

Example::

    python tools/analysis_tools/error_sources.py \\
        configs/gasseg/gasseg-s_1xb8-4k_synthetic-256x192.py \\
        work_dirs/demo_gasseg-s_synthetic/iter_4000.pth
"""
import mmgas  # noqa: F401

from mmgas.evaluation import VisibilityErrorMetric
from mmgas.evaluation.offline import (checkpoint_arg_parser,
                                      evaluate_checkpoint)


def parse_args():
    parser = checkpoint_arg_parser(
        'Split wrong gas pixels by the gas the frames show')
    return parser.parse_args()


def report(scores, num_images):
    """The metric's scores as a few lines of text."""
    return '\n'.join([
        f'{num_images} images, gas IoU {scores["iou"]:.2f}',
        f'false positives on gas visible per pixel {scores["fp_visible"]:.1f}'
        f' %, on fainter gas (>= 1 grey level) {scores["fp_faint"]:.1f} %, '
        f'on no gas (< 1 grey level) {scores["fp_no_gas"]:.1f} %',
        f'false negatives on gas visible per pixel {scores["fn_visible"]:.1f}'
        f' %, on fainter gas (>= 1 grey level) {scores["fn_faint"]:.1f} %',
        f'labelled pixels visible per pixel {scores["labelled_visible"]:.1f}'
        ' %; visible gas outside the labels '
        f'{scores["visible_unlabelled"]:.1f} % of the labelled area, '
        'predicted there '
        f'{scores["predicted_visible_unlabelled"]:.1f} %',
    ])


def main():
    args = parse_args()
    scores, dataset = evaluate_checkpoint(args.config, args.checkpoint,
                                          VisibilityErrorMetric(),
                                          args.cfg_options)
    print(report(scores, len(dataset)))


if __name__ == '__main__':
    main()

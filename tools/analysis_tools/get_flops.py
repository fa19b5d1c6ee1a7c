"""FLOPs and parameters of a segmentor config (mmseg's get_flops flags).

Counts one forward of ``mode='tensor'`` (backbone + decode head in eval
mode: no data preprocessing, no resize of the logits to the image size, no
arg-max) on a batch-1, 3-channel input of ``--shape`` with
``mmengine.analysis.get_model_complexity_info``. mmengine counts one fused
multiply-add as one FLOP (the figure equals the MAC count of convolutions
and linear layers, as in most segmentation papers) and counts operators it
has no handle for (element-wise additions, activations, resizes) as zero.
``Params`` counts every parameter, as mmseg does; the parameters that the
inference forward uses (without auxiliary heads) are printed beside it.
Works for every mmgas config (GasSeg, GasViT, the stock baselines).

Examples::

    python tools/analysis_tools/get_flops.py \\
        configs/gasseg/gasseg-s_1xb16-120k_igs-256x192.py --shape 192 256
    python tools/analysis_tools/get_flops.py CONFIG --shape 512   # 512x512
"""
import argparse


import mmgas  # noqa: F401
from mmengine.config import DictAction

from mmgas.benchmark import (build_segmentor, count_parameters,
                             inference_parameters, model_complexity,
                             random_images)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='FLOPs and parameters of a segmentor')
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--shape',
        type=int,
        nargs='+',
        default=[192, 256],
        metavar='SIZE',
        help='input size: H W, or one value for a square input '
        '(default: 192 256)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings in the config, key=value pairs')
    args = parser.parse_args(argv)
    if len(args.shape) == 1:
        args.shape = args.shape * 2
    if len(args.shape) != 2 or min(args.shape) < 1:
        parser.error(f'--shape: expected H W or one size, got {args.shape}')
    return args


def main(argv=None):
    args = parse_args(argv)
    model = build_segmentor(args.config, cfg_options=args.cfg_options)
    info = model_complexity(model, tuple(args.shape))
    params = count_parameters(model)
    used = inference_parameters(model, random_images(1, args.shape))
    h, w = args.shape
    split_line = '=' * 30
    print(f'{split_line}\n'
          f'Config: {args.config}\n'
          f'Input shape: (1, 3, {h}, {w})\n'
          f'Scope: mode=\'tensor\' (backbone + decode head, eval mode; no '
          f'preprocessing, resize or arg-max)\n'
          f'Flops: {info["flops"] / 1e9:.3f} GFLOPs ({info["flops"]} '
          f'FLOPs; one multiply-add = one FLOP)\n'
          f'Activations: {info["activations"] / 1e6:.3f} M\n'
          f'Params: {params / 1e6:.3f} M ({params} parameters; used at '
          f'inference: {used})\n'
          f'{split_line}')
    return dict(info, params=params, inference_params=used)


if __name__ == '__main__':
    main()

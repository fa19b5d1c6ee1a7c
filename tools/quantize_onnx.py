"""INT8 post-training static quantisation of an exported ONNX model.

Calibrates ONNX Runtime's ``quantize_static`` on images preprocessed exactly
as at inference (:class:`mmgas.deploy.FramePreprocessor`)::

    python tools/quantize_onnx.py DEPLOY_CFG MODEL_CFG \
        --model W/end2end.onnx --calib-img-dir data/IGS/img_dir/train \
        --out W/end2end_int8.onnx [--num-calib 64] [--no-per-channel]

The INT8 file drops in wherever ``end2end.onnx`` goes
(``tools/deploy_test.py --model W/end2end_int8.onnx`` for its mIoU,
``tools/profiler.py --model W/end2end.onnx W/end2end_int8.onnx`` for its
speed); measure both before shipping it (docs/deploy.md).
"""
import argparse
import glob
import os.path as osp
import random
import tempfile


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='INT8 static quantisation (ONNX Runtime) of an export.')
    parser.add_argument('deploy_cfg', help='deploy config path')
    parser.add_argument('model_cfg', help='model config path')
    parser.add_argument('--model', required=True, help='fp32 ONNX file')
    parser.add_argument('--out', required=True, help='INT8 ONNX file')
    parser.add_argument(
        '--calib-img-dir', required=True,
        help='calibration images (e.g. the training images)')
    parser.add_argument('--num-calib', type=int, default=64,
                        help='number of calibration images')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the calibration image sample')
    parser.add_argument(
        '--no-per-channel', action='store_true',
        help='per-tensor instead of per-channel weight scales')
    parser.add_argument(
        '--calibrate-method', default='MinMax',
        choices=['MinMax', 'Entropy', 'Percentile'],
        help='activation range estimation')
    parser.add_argument(
        '--quant-format', default='QDQ', choices=['QDQ', 'QOperator'],
        help='graph format (QDQ is ONNX Runtime\'s recommended one)')
    return parser.parse_args(argv)


class FrameReader:
    """``CalibrationDataReader`` over preprocessed image files."""

    def __init__(self, paths, preprocess, input_name):
        import cv2
        self._batches = iter([{
            input_name: preprocess(cv2.imread(p, cv2.IMREAD_COLOR))
        } for p in paths])

    def get_next(self):
        return next(self._batches, None)


def main(argv=None):
    args = parse_args(argv)
    from mmdeploy.utils import get_input_shape
    from onnxruntime.quantization import (CalibrationMethod, QuantFormat,
                                          QuantType, quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process

    import mmgas  # noqa: F401
    from mmgas.datasets.transforms import input_encoding
    from mmgas.deploy import FramePreprocessor, onnxruntime_session
    from mmgas.utils import load_config

    deploy_cfg = load_config(args.deploy_cfg)
    model_cfg = load_config(args.model_cfg)
    input_shape = get_input_shape(deploy_cfg)
    if input_shape is None:
        raise SystemExit('INT8 calibration needs a static deploy config '
                         '(input_shape set), e.g. '
                         'segmentation_onnxruntime_static-256x192.py')
    paths = sorted(
        p for p in glob.glob(
            osp.join(args.calib_img_dir, '**', '*'), recursive=True)
        if osp.splitext(p)[1].lower() in ('.png', '.jpg', '.jpeg', '.bmp'))
    if not paths:
        raise SystemExit(
            f'no calibration images under {osp.abspath(args.calib_img_dir)}')
    random.Random(args.seed).shuffle(paths)
    paths = paths[:args.num_calib]
    preprocess = FramePreprocessor(model_cfg.model.data_preprocessor,
                                   (input_shape[1], input_shape[0]),
                                   input_encoding(model_cfg))
    input_name = onnxruntime_session(args.model).get_inputs()[0].name
    with tempfile.TemporaryDirectory() as tmp:
        # shape inference + fusions first, as ONNX Runtime recommends
        prepared = osp.join(tmp, 'prepared.onnx')
        quant_pre_process(args.model, prepared)
        quantize_static(
            prepared,
            args.out,
            FrameReader(paths, preprocess, input_name),
            quant_format=getattr(QuantFormat, args.quant_format),
            per_channel=not args.no_per_channel,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=getattr(CalibrationMethod, args.calibrate_method))
    print(f'INT8 model ({len(paths)} calibration images from '
          f'{args.calib_img_dir}): {args.out}')
    return args.out


if __name__ == '__main__':
    main()

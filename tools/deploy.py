"""Export an mmgas (or any mmseg) model with mmdeploy and check the export.

mmdeploy's own ``tools/deploy.py`` is not in its wheel; this is mmgas's
equivalent for the ONNX Runtime backend, with mmdeploy's command line::

    python tools/deploy.py DEPLOY_CFG MODEL_CFG CKPT IMG \
        --work-dir W --device cpu [--dump-info] [--test-img IMG ...] [--show]

It writes ``W/end2end.onnx`` (``onnx_config.save_file``), with
``--dump-info`` the SDK files ``deploy.json``, ``pipeline.json`` and
``detail.json``, then runs the ONNX Runtime model and the PyTorch model on
``--test-img`` (default IMG) and prints and saves to ``W/parity.json`` their
agreement: pixel label agreement (%) and the max abs logit difference at the
network input resolution. Visualisations of both predictions go to
``W/output_onnxruntime.jpg`` and ``W/output_pytorch.jpg`` (first test image).

The export is mmdeploy's own ``torch2onnx``; mmdeploy's ``tools/deploy.py``
exports mmgas configs as well (README, "Stock OpenMMLab tools"). This script
adds the parity check and the input encoding in ``pipeline.json``.
"""
import argparse
import json
import logging
import os
import os.path as osp


SUPPORTED_BACKENDS = ('onnxruntime', )


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Export a model with mmdeploy (ONNX Runtime) and report '
        'its agreement with PyTorch.')
    parser.add_argument('deploy_cfg', help='deploy config path')
    parser.add_argument('model_cfg', help='model config path')
    parser.add_argument('checkpoint', help='model checkpoint path')
    parser.add_argument('img', help='image used to convert the model')
    parser.add_argument(
        '--test-img',
        nargs='+',
        default=None,
        help='image(s) used to compare backend and PyTorch (default: img)')
    parser.add_argument(
        '--work-dir',
        default=os.getcwd(),
        help='directory for the backend files, SDK files and parity.json')
    parser.add_argument(
        '--calib-dataset-cfg',
        default=None,
        help='not supported: mmdeploy uses it for TensorRT INT8 '
        'calibration; for ONNX Runtime INT8 use tools/quantize_onnx.py')
    parser.add_argument(
        '--device', default='cpu', help='device used for conversion')
    parser.add_argument(
        '--log-level',
        default='INFO',
        choices=list(logging._nameToLevel.keys()),
        help='logging level')
    parser.add_argument(
        '--show',
        action='store_true',
        help='also display the two visualisations in a window')
    parser.add_argument(
        '--dump-info',
        action='store_true',
        help='write the SDK files deploy.json, pipeline.json, detail.json')
    parser.add_argument(
        '--quant-image-dir',
        default=None,
        help='not supported (mmdeploy: ncnn/pplnn quantisation)')
    parser.add_argument(
        '--quant',
        action='store_true',
        help='not supported (mmdeploy: ncnn/pplnn quantisation); for ONNX '
        'Runtime INT8 use tools/quantize_onnx.py')
    parser.add_argument(
        '--uri', default=None, help='not supported (remote backends)')
    args = parser.parse_args(argv)
    unsupported = dict(
        calib_dataset_cfg='--calib-dataset-cfg',
        quant_image_dir='--quant-image-dir',
        quant='--quant',
        uri='--uri')
    for dest, flag in unsupported.items():
        if getattr(args, dest):
            parser.error(f'{flag} is not supported by mmgas\'s deploy.py '
                         '(ONNX Runtime only); see docs/deploy.md. '
                         'For INT8 run tools/quantize_onnx.py on the '
                         'exported end2end.onnx.')
    return args


def export(deploy_cfg, model_cfg, checkpoint, img, work_dir, device='cpu',
           dump_info=False):
    """Export a model to ONNX with mmdeploy and optionally dump SDK info.

    Args:
        deploy_cfg (mmengine.Config): Deploy config.
        model_cfg (mmengine.Config): Model config.
        checkpoint (str): Checkpoint path.
        img (str): Image used to trace the model.
        work_dir (str): Output directory.
        device (str): Device used for the PyTorch model. Default: 'cpu'.
        dump_info (bool): Write deploy.json, pipeline.json and detail.json.
            Default: False.

    Returns:
        str: Path of the ONNX file.
    """
    from mmdeploy.apis import torch2onnx
    from mmdeploy.utils import get_ir_config

    from mmgas.deploy import (add_input_encoding_to_sdk_pipeline,
                              sdk_model_config)

    save_file = get_ir_config(deploy_cfg)['save_file']
    torch2onnx(img, work_dir, save_file, deploy_cfg, model_cfg, checkpoint,
               device)
    if dump_info:
        from mmdeploy.backend.sdk.export_info import export2SDK
        export2SDK(
            deploy_cfg,
            sdk_model_config(model_cfg),
            work_dir,
            pth=checkpoint,
            device=device)
        add_input_encoding_to_sdk_pipeline(work_dir, model_cfg)
    return osp.join(work_dir, save_file)


def draw_prediction(img, data_sample, name, out_file, model_cfg, show=False):
    """Paint a prediction over its image into ``out_file``.

    A visualizer of its own per call (not mmdeploy's ``visualize``, whose
    shared visualizer instances write later images to the current
    directory).
    """
    import mmcv
    import numpy as np
    from mmseg.visualization import SegLocalVisualizer

    visualizer = SegLocalVisualizer(
        name=f'mmgas_deploy_{name}_{id(data_sample)}', alpha=0.5)
    dataset_cfg = model_cfg.test_dataloader.dataset
    metainfo = dict(dataset_cfg.get('metainfo') or {})
    if 'classes' not in metainfo:
        from mmseg.registry import DATASETS
        dataset_cls = DATASETS.get(dataset_cfg.type)
        metainfo = dict(getattr(dataset_cls, 'METAINFO', {}))
    classes = metainfo.get('classes')
    if classes is not None:
        palette = metainfo.get('palette')
        if palette is None or len(palette) != len(classes):
            rng = np.random.default_rng(0)
            palette = rng.integers(0, 256, (len(classes), 3)).tolist()
        visualizer.set_dataset_meta(classes=classes, palette=palette)
    visualizer.add_datasample(
        name,
        mmcv.imread(img, channel_order='rgb'),
        data_sample=data_sample.cpu(),
        draw_gt=False,
        show=show,
        out_file=out_file)


def check_parity(deploy_cfg, model_cfg, checkpoint, backend_files, images,
                 work_dir, device='cpu', show=False):
    """Run the backend and PyTorch models on images and compare them.

    Args:
        deploy_cfg (mmengine.Config): Deploy config.
        model_cfg (mmengine.Config): Model config.
        checkpoint (str): Checkpoint path.
        backend_files (list[str]): Backend model files.
        images (list[str]): Test images.
        work_dir (str): Where visualisations are written.
        device (str): Device. Default: 'cpu'.
        show (bool): Display the visualisations. Default: False.

    Returns:
        dict: ``images`` (per-image parity dicts, see
        :func:`mmgas.deploy.segmentation_parity`, plus ``img`` and
        ``input_shape``) and the worst case over them in ``summary``.
    """
    import torch
    from mmdeploy.apis.utils import build_task_processor
    from mmdeploy.utils import get_input_shape

    from mmgas.deploy import pytorch_logits, segmentation_parity

    task_processor = build_task_processor(model_cfg, deploy_cfg, device)
    torch_model = task_processor.build_pytorch_model(checkpoint)
    backend_model = task_processor.build_backend_model(
        backend_files,
        data_preprocessor_updater=task_processor.update_data_preprocessor)
    input_shape = get_input_shape(deploy_cfg)
    per_image = []
    for i, img in enumerate(images):
        data, inputs = task_processor.create_input(
            img, input_shape, data_preprocessor=torch_model.data_preprocessor)
        if isinstance(inputs, (list, tuple)):
            inputs = inputs[0]
        samples = data['data_samples']
        with torch.no_grad():
            backend_out = backend_model.wrapper(
                {backend_model.input_name: inputs})
        backend_logits = backend_out[backend_model.output_names[0]]
        result = segmentation_parity(
            pytorch_logits(torch_model, inputs, samples), backend_logits)
        result.update(img=img, input_shape=list(inputs.shape))
        per_image.append(result)
        if i == 0:
            with torch.no_grad():
                predictions = dict(
                    onnxruntime=backend_model.test_step(
                        dict(inputs=[inputs[0]], data_samples=samples)),
                    pytorch=torch_model.predict(inputs, samples))
            for name, pred in predictions.items():
                draw_prediction(img, pred[0], name,
                                osp.join(work_dir, f'output_{name}.jpg'),
                                model_cfg, show)
    summary = dict(
        label_agreement=min(r['label_agreement'] for r in per_image),
        max_abs_logit_diff=max(r['max_abs_logit_diff'] for r in per_image),
        rel_logit_diff=max(r['rel_logit_diff'] for r in per_image))
    return dict(images=per_image, summary=summary)


def main(argv=None):
    args = parse_args(argv)

    import mmengine
    from mmdeploy.utils import get_backend, get_root_logger

    import mmgas  # noqa: F401  (registers the plugin in this process)
    from mmgas.deploy import load_deploy_configs

    logger = get_root_logger()
    logger.setLevel(args.log_level)
    deploy_cfg, model_cfg = load_deploy_configs(args.deploy_cfg,
                                                args.model_cfg)
    backend = get_backend(deploy_cfg).value
    if backend not in SUPPORTED_BACKENDS:
        raise SystemExit(
            f'backend {backend!r} of {args.deploy_cfg} is not supported by '
            f'mmgas\'s deploy.py (supported: {SUPPORTED_BACKENDS}); use '
            'mmdeploy\'s repository tools/deploy.py for other backends.')
    for path in [args.checkpoint, args.img] + (args.test_img or []):
        if not osp.isfile(path):
            raise SystemExit(f'file not found: {osp.abspath(path)}')
    work_dir = osp.abspath(args.work_dir)
    mmengine.mkdir_or_exist(work_dir)

    onnx_file = export(deploy_cfg, model_cfg, args.checkpoint, args.img,
                       work_dir, args.device, args.dump_info)
    logger.info(f'ONNX model: {onnx_file}')

    report = check_parity(deploy_cfg, model_cfg, args.checkpoint,
                          [onnx_file], args.test_img or [args.img], work_dir,
                          args.device, args.show)
    report.update(
        deploy_cfg=args.deploy_cfg,
        model_cfg=args.model_cfg,
        checkpoint=args.checkpoint,
        backend=backend,
        backend_files=[onnx_file])
    with open(osp.join(work_dir, 'parity.json'), 'w') as f:
        json.dump(report, f, indent=2)
    summary = report['summary']
    print(f'{backend} vs PyTorch on {len(report["images"])} image(s): '
          f'label agreement {summary["label_agreement"]:.4f} %, '
          f'max abs logit diff {summary["max_abs_logit_diff"]:.3g} '
          f'(relative {summary["rel_logit_diff"]:.3g}); '
          f'saved to {osp.join(work_dir, "parity.json")}')
    return report


if __name__ == '__main__':
    main()

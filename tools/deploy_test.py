"""Evaluate an exported (ONNX Runtime) model on the config's test set.

mmgas's equivalent of mmdeploy's ``tools/test.py`` (not in the mmdeploy
wheel), with its command line::

    python tools/deploy_test.py DEPLOY_CFG MODEL_CFG --model W/end2end.onnx \
        --device cpu [--speed-test] [--warmup N] [--log-interval N] \
        [--cfg-options k=v ...] [--compare-checkpoint CKPT]

The backend model is evaluated by mmdeploy's ``build_test_runner`` with the
config's ``test_dataloader`` and ``test_evaluator`` (mIoU, mFscore for
mmgas configs). ``--compare-checkpoint`` also evaluates the PyTorch model
through the same runner and data and prints both results and their
difference. ``--speed-test`` reports mmdeploy's backend-only timing (the
ONNX Runtime ``run`` call; no data loading, preprocessing or resizing of
the prediction); for end-to-end FPS use ``tools/profiler.py``.

With a static deploy config the test pipeline's ``Resize`` is set to the
export size without keeping the ratio (what mmdeploy's SDK pipeline does),
so that every image fits the fixed input.
"""
import argparse
import copy
import json
import logging
import os.path as osp


from mmengine.config import DictAction


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Evaluate a deployed model (mmdeploy, ONNX Runtime).')
    parser.add_argument('deploy_cfg', help='deploy config path')
    parser.add_argument('model_cfg', help='model config path')
    parser.add_argument(
        '--model', type=str, nargs='+', required=True,
        help='backend model file(s), e.g. W/end2end.onnx')
    parser.add_argument('--device', default='cpu', help='device')
    parser.add_argument(
        '--work-dir',
        default='./work_dir',
        help='directory for logs and the metrics JSON')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the model config, key=value')
    parser.add_argument(
        '--show', action='store_true', help='show results in a window')
    parser.add_argument(
        '--show-dir', help='directory where painted images are saved')
    parser.add_argument(
        '--interval', type=int, default=1,
        help='visualise every N-th image')
    parser.add_argument(
        '--wait-time', type=float, default=2, help='--show wait time (s)')
    parser.add_argument(
        '--log2file', type=str, default=None, help='also log to this file')
    parser.add_argument(
        '--speed-test', action='store_true',
        help='time the backend inference (mmdeploy TimeCounter)')
    parser.add_argument(
        '--warmup', type=int, default=10,
        help='iterations excluded from --speed-test timing')
    parser.add_argument(
        '--log-interval', type=int, default=100,
        help='--speed-test log interval')
    parser.add_argument(
        '--batch-size', type=int, default=1, help='test batch size')
    parser.add_argument(
        '--compare-checkpoint',
        default=None,
        help='also evaluate this PyTorch checkpoint on the same data')
    parser.add_argument(
        '--log-level',
        default='INFO',
        choices=list(logging._nameToLevel.keys()))
    parser.add_argument(
        '--uri', default=None, help='not supported (remote backends)')
    args = parser.parse_args(argv)
    if args.uri:
        parser.error('--uri is not supported by mmgas\'s deploy_test.py '
                     '(ONNX Runtime only); see docs/deploy.md')
    return args


def fit_static_input(model_cfg, deploy_cfg):
    """Resize test images to a static export's input size.

    Args:
        model_cfg (mmengine.Config): Model config, changed in place.
        deploy_cfg (mmengine.Config): Deploy config.

    Returns:
        tuple | None: The (w, h) input size, or None for dynamic exports.
    """
    from mmdeploy.utils import get_input_shape, is_dynamic_shape

    input_shape = get_input_shape(deploy_cfg)
    if is_dynamic_shape(deploy_cfg) or input_shape is None:
        return None
    pipeline = model_cfg.test_dataloader.dataset.pipeline
    for transform in pipeline:
        if transform['type'] == 'Resize':
            transform['scale'] = tuple(input_shape)
            transform['keep_ratio'] = False
    model_cfg.test_pipeline = pipeline
    return tuple(input_shape)


def evaluate(task_processor, model, model_cfg, work_dir, args, name):
    """Run mmdeploy's test runner on ``model`` and return its metrics."""
    from mmdeploy.utils.timer import TimeCounter

    dataloader = copy.deepcopy(model_cfg.test_dataloader)
    dataloader['batch_size'] = args.batch_size
    dataloader['dataset'] = task_processor.build_dataset(
        dataloader['dataset'])
    dataloader = task_processor.build_dataloader(dataloader)
    runner = task_processor.build_test_runner(
        model,
        osp.join(work_dir, name),
        log_file=args.log2file,
        show=args.show,
        show_dir=args.show_dir,
        wait_time=args.wait_time,
        interval=args.interval,
        dataloader=dataloader)
    if args.speed_test and name == 'backend':
        with TimeCounter.activate(
                warmup=args.warmup,
                log_interval=args.log_interval,
                with_sync=args.device != 'cpu',
                file=args.log2file,
                batch_size=args.batch_size):
            metrics = runner.test()
    else:
        metrics = runner.test()
    return {k: float(v) for k, v in metrics.items()}


def main(argv=None):
    args = parse_args(argv)

    import mmengine
    from mmdeploy.apis.utils import build_task_processor
    from mmdeploy.utils import get_root_logger

    import mmgas  # noqa: F401
    from mmgas.deploy import load_deploy_configs

    logger = get_root_logger()
    logger.setLevel(args.log_level)
    deploy_cfg, model_cfg = load_deploy_configs(
        args.deploy_cfg, args.model_cfg, args.cfg_options)
    for path in args.model:
        if not osp.isfile(path):
            raise SystemExit(f'model file not found: {osp.abspath(path)}')
    input_shape = fit_static_input(model_cfg, deploy_cfg)
    if input_shape is not None:
        logger.info(f'static export: test images resized to {input_shape} '
                    '(w, h) without keeping the ratio')
    work_dir = osp.abspath(args.work_dir)
    mmengine.mkdir_or_exist(work_dir)

    task_processor = build_task_processor(model_cfg, deploy_cfg, args.device)
    model = task_processor.build_backend_model(
        args.model, task_processor.update_data_preprocessor)
    results = dict(backend=evaluate(task_processor, model, model_cfg,
                                    work_dir, args, 'backend'))
    if hasattr(model, 'destroy'):
        model.destroy()
    if args.compare_checkpoint:
        torch_model = task_processor.build_pytorch_model(
            args.compare_checkpoint)
        results['pytorch'] = evaluate(task_processor, torch_model, model_cfg,
                                      work_dir, args, 'pytorch')
        results['difference'] = {
            k: results['backend'][k] - results['pytorch'][k]
            for k in results['backend'] if k in results['pytorch']
        }
    report = dict(
        deploy_cfg=args.deploy_cfg,
        model_cfg=args.model_cfg,
        model=args.model,
        compare_checkpoint=args.compare_checkpoint,
        static_input_shape=input_shape,
        num_images=len(
            task_processor.build_dataset(model_cfg.test_dataloader.dataset)),
        **results)
    out_file = osp.join(work_dir, 'deploy_test.json')
    with open(out_file, 'w') as f:
        json.dump(report, f, indent=2)
    for name in ('backend', 'pytorch', 'difference'):
        if name in results:
            print(f'{name}: ' + ', '.join(
                f'{k} {v:.4f}' for k, v in results[name].items()))
    print(f'saved to {out_file}')
    return report


if __name__ == '__main__':
    main()

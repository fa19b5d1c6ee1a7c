"""mmdeploy export of mmgas models through tools/deploy.py and
tools/deploy_test.py: ONNX Runtime agrees with PyTorch (randomly initialised
weights with random BatchNorm statistics, saved to a temporary checkpoint)."""
import json

import cv2
import numpy as np
import pytest
import torch

from ..helpers import REPO_ROOT, load_tool

pytestmark = pytest.mark.slow

STATIC = (REPO_ROOT /
          'configs/deploy/segmentation_onnxruntime_static-256x192.py')
DYNAMIC = REPO_ROOT / 'configs/deploy/segmentation_onnxruntime_dynamic.py'
GASSEG_S = REPO_ROOT / 'configs/gasseg/gasseg-s_1xb16-120k_igs-256x192.py'
GASVIT_XS = (REPO_ROOT /
             'configs/gasvit/gasvit-xs_mlphead_1xb16-120k_igs-256x192.py')


def _load_tool(name):
    return load_tool(f'tools/{name}.py')


def _random_checkpoint(config, path, seed=0):
    import mmgas  # noqa: F401
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS
    init_default_scope('mmseg')
    torch.manual_seed(seed)
    model = MODELS.build(Config.fromfile(str(config)).model)
    model.init_weights()
    for module in model.modules():
        # eval-mode BatchNorm must be exported with its statistics
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.running_mean.uniform_(-1, 1)
            module.running_var.uniform_(0.5, 2)
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, path)
    return path


def _image(path, height=192, width=256, seed=0):
    rng = np.random.default_rng(seed)
    img = rng.normal(120, 30, (height, width, 1)).clip(0, 255)
    cv2.imwrite(str(path), np.repeat(img.astype(np.uint8), 3, axis=2))
    return path


def _assert_same_prediction(a, b):
    # random weights with random BatchNorm statistics give logits of
    # thousands: a few pixels differ by float rounding, none by input
    diff = np.abs(a.gas_prob - b.gas_prob)
    assert (diff > 1e-3).mean() < 1e-3 and np.median(diff) < 1e-5
    assert (a.mask == b.mask).mean() > 0.999


@pytest.fixture(scope='module')
def deploy_tool():
    return _load_tool('deploy')


@pytest.mark.parametrize('config', [GASSEG_S, GASVIT_XS],
                         ids=['gasseg-s', 'gasvit-xs'])
def test_export_static_parity(config, deploy_tool, tmp_path):
    ckpt = _random_checkpoint(config, tmp_path / 'model.pth')
    img = _image(tmp_path / 'frame.png')
    other = _image(tmp_path / 'other.png', height=240, width=320, seed=1)
    work_dir = tmp_path / 'work'
    report = deploy_tool.main([
        str(STATIC), str(config), str(ckpt), str(img), '--work-dir',
        str(work_dir), '--device', 'cpu', '--dump-info', '--test-img',
        str(img), str(other)
    ])
    for name in ('end2end.onnx', 'deploy.json', 'pipeline.json',
                 'detail.json', 'parity.json'):
        assert (work_dir / name).is_file(), name
    saved = json.loads((work_dir / 'parity.json').read_text())
    assert saved['summary'] == report['summary']
    assert len(saved['images']) == 2
    for result in saved['images']:
        assert result['input_shape'] == [1, 3, 192, 256]
        assert result['label_agreement'] == 100.0
        assert result['rel_logit_diff'] <= 1e-4
    # the SDK pipeline states the identity normalisation of raw 0-255 input
    pipeline = json.loads((work_dir / 'pipeline.json').read_text())
    transforms = pipeline['pipeline']['tasks'][0]['transforms']
    normalize = [t for t in transforms if t['type'] == 'Normalize'][0]
    assert normalize['mean'] == [0.0, 0.0, 0.0]
    assert normalize['std'] == [1.0, 1.0, 1.0]
    assert {'type': 'Resize', 'keep_ratio': False,
            'size': [256, 192]}.items() <= transforms[1].items()
    # logits out (with_argmax=False): one channel per class
    import onnx
    graph = onnx.load(str(work_dir / 'end2end.onnx')).graph
    dims = [d.dim_value for d in graph.output[0].type.tensor_type.shape.dim]
    assert dims == [1, 2, 192, 256]


def test_export_dynamic_runs_other_sizes(deploy_tool, tmp_path):
    ckpt = _random_checkpoint(GASSEG_S, tmp_path / 'model.pth')
    img = _image(tmp_path / 'frame.png')
    work_dir = tmp_path / 'work'
    deploy_tool.main([
        str(DYNAMIC), str(GASSEG_S), str(ckpt), str(img), '--work-dir',
        str(work_dir)
    ])
    import onnxruntime as ort
    session = ort.InferenceSession(
        str(work_dir / 'end2end.onnx'), providers=['CPUExecutionProvider'])
    x = np.random.default_rng(0).uniform(0, 255, (2, 3, 128, 160))
    out = session.run(None, {'input': x.astype(np.float32)})[0]
    assert out.shape == (2, 2, 128, 160)


def test_unsupported_flags_are_rejected(deploy_tool, capsys):
    for flag in (['--quant'], ['--calib-dataset-cfg', 'x.py'],
                 ['--uri', '1.2.3.4:50051']):
        with pytest.raises(SystemExit):
            deploy_tool.parse_args(['d.py', 'm.py', 'c.pth', 'i.png'] + flag)
        assert 'not supported' in capsys.readouterr().err


def test_deploy_test_matches_pytorch(deploy_tool, tiny_dataset, tmp_path):
    ckpt = _random_checkpoint(GASSEG_S, tmp_path / 'model.pth', seed=1)
    img = next((tiny_dataset / 'img_dir' / 'val').glob('*.png'))
    work_dir = tmp_path / 'work'
    deploy_tool.main([
        str(STATIC), str(GASSEG_S), str(ckpt), str(img), '--work-dir',
        str(work_dir)
    ])
    # mmseg's plain dataset class keeps this test about deployment only
    model_cfg = tmp_path / 'gasseg-s_tiny.py'
    model_cfg.write_text(
        f'_base_ = {str(GASSEG_S)!r}\n'
        'test_dataloader = dict(num_workers=0, persistent_workers=False, '
        'dataset=dict(type=\'BaseSegDataset\', '
        f'data_root={str(tiny_dataset)!r}, '
        'img_suffix=\'.png\', seg_map_suffix=\'.png\', '
        'metainfo=dict(classes=(\'background\', \'gas\'), '
        'palette=[[0, 0, 0], [255, 255, 255]])))\n')
    report = _load_tool('deploy_test').main([
        str(STATIC), str(model_cfg), '--model',
        str(work_dir / 'end2end.onnx'), '--device', 'cpu', '--work-dir',
        str(tmp_path / 'test'), '--compare-checkpoint', str(ckpt)
    ])
    assert report['num_images'] == 2
    assert tuple(report['static_input_shape']) == (256, 192)
    for key in ('mIoU', 'mFscore'):
        assert key in report['backend']
        assert abs(report['difference'][key]) <= 0.1


SYNTHETIC_GASSEG = (REPO_ROOT /
                    'configs/gasseg/gasseg-s_1xb8-4k_synthetic-256x192.py')
# exported at the synthetic configs' test scale, as `make demo` does
STATIC_SYNTHETIC = (
    REPO_ROOT / 'configs/deploy/segmentation_onnxruntime_static-448x336.py')


def test_encoded_input_survives_export(deploy_tool, tmp_path):
    """A model trained on LocalContrastEncoding input: the SDK pipeline
    written by --dump-info carries the encoding (mmdeploy's alone drops
    it), and the exported model run through LeakDetector from that
    pipeline.json predicts what the PyTorch model predicts."""
    from mmgas.apis import LeakDetector
    ckpt = _random_checkpoint(SYNTHETIC_GASSEG, tmp_path / 'model.pth')
    # at the export size: no resize on either side, the encoding alone
    img = _image(tmp_path / 'frame.png', height=336, width=448)
    work_dir = tmp_path / 'work'
    deploy_tool.main([
        str(STATIC_SYNTHETIC), str(SYNTHETIC_GASSEG), str(ckpt), str(img),
        '--work-dir', str(work_dir), '--device', 'cpu', '--dump-info'
    ])
    pipeline = json.loads((work_dir / 'pipeline.json').read_text())
    types = [t['type'] for t in pipeline['pipeline']['tasks'][0]['transforms']]
    assert types.index('LocalContrastEncoding') == types.index('Resize') + 1
    frame = cv2.imread(str(img))
    from_onnx = LeakDetector(str(work_dir / 'end2end.onnx'))([frame])[0]
    from_torch = LeakDetector(str(SYNTHETIC_GASSEG), str(ckpt))([frame])[0]
    _assert_same_prediction(from_onnx, from_torch)
    # fed plain frames (what mmdeploy's pipeline alone describes), the
    # model sees other input: the encoding matters
    import shutil
    plain_dir = tmp_path / 'plain'
    plain_dir.mkdir()
    shutil.copy(work_dir / 'end2end.onnx', plain_dir)
    tasks = pipeline['pipeline']['tasks'][0]
    tasks['transforms'] = [
        t for t in tasks['transforms'] if t['type'] != 'LocalContrastEncoding'
    ]
    (plain_dir / 'pipeline.json').write_text(json.dumps(pipeline))
    plain = LeakDetector(str(plain_dir / 'end2end.onnx'))([frame])[0]
    assert (np.abs(plain.gas_prob - from_torch.gas_prob) > 1e-3).mean() > 0.01


SYNTHETIC_TEMPORAL_GASSEG = (
    REPO_ROOT /
    'configs/gasseg/gasseg-s_1xb8-4k_synthetic-temporal-256x192.py')


def test_temporal_model_exports_with_its_encoding(deploy_tool, tmp_path):
    """A temporal config through tools/deploy.py --dump-info (mmdeploy's
    SDK export expects Resize right after the loader): pipeline.json has
    the TemporalEncoding before Resize, and the ONNX model streamed from
    it predicts what the PyTorch model streamed predicts."""
    from mmgas.apis import LeakDetector
    ckpt = _random_checkpoint(SYNTHETIC_TEMPORAL_GASSEG,
                              tmp_path / 'model.pth')
    scene = _image(tmp_path / 'scene.png', seed=1)
    frames = []
    for t in range(4):  # a warm blob drifting across a static scene
        frame = cv2.imread(str(scene))
        cv2.circle(frame, (60 + 20 * t, 90), 25, (180, 180, 180), -1)
        frames.append(frame)
    work_dir = tmp_path / 'work'
    deploy_tool.main([
        str(STATIC),
        str(SYNTHETIC_TEMPORAL_GASSEG),
        str(ckpt),
        str(scene), '--work-dir',
        str(work_dir), '--device', 'cpu', '--dump-info'
    ])
    pipeline = json.loads((work_dir / 'pipeline.json').read_text())
    types = [t['type'] for t in pipeline['pipeline']['tasks'][0]['transforms']]
    assert types.index('TemporalEncoding') == types.index('Resize') - 1
    from_onnx = LeakDetector(str(work_dir / 'end2end.onnx'))
    from_torch = LeakDetector(str(SYNTHETIC_TEMPORAL_GASSEG), str(ckpt))
    assert from_onnx.history_length == from_torch.history_length > 0
    for frame in frames:
        _assert_same_prediction(from_onnx([frame])[0], from_torch([frame])[0])

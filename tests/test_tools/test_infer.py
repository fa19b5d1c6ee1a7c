"""tools/infer.py end to end on a tiny synthetic video, with the tiny
randomly initialised segmentor on PyTorch and exported to ONNX Runtime, and
its handling of bad input."""
import json
import re

import cv2
import numpy as np
import pytest
import torch

from ..helpers import REPO_ROOT, load_tool, run_tool

TINY_CFG = REPO_ROOT / 'tests' / 'data' / 'tiny_video_segmentor.py'
STATIC = (
    REPO_ROOT / 'configs/deploy/segmentation_onnxruntime_static-256x192.py')


@pytest.fixture(scope='module')
def infer_tool():
    return load_tool('tools/infer.py')


@pytest.fixture(scope='module')
def assets(tmp_path_factory):
    """A 40-frame synthetic video, a random checkpoint of the tiny model
    and its static 64x48 ONNX export (with pipeline.json)."""
    import mmgas  # noqa: F401
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS

    from mmgas.datasets.synthetic import generate_dataset

    root = tmp_path_factory.mktemp('infer')
    generate_dataset(
        str(root / 'syn'),
        num_train=0,
        num_val=0,
        num_test=0,
        size=(64, 48),
        num_videos=1,
        video_frames=40,
        workers=1,
        log=lambda *a: None)
    init_default_scope('mmseg')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(str(TINY_CFG)).model)
    model.init_weights()
    ckpt = root / 'tiny.pth'
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, ckpt)
    deploy_cfg = root / 'deploy_static-64x48.py'
    deploy_cfg.write_text(f'_base_ = [{str(STATIC)!r}]\n'
                          'onnx_config = dict(input_shape=[64, 48])\n')
    seq = root / 'syn' / 'video' / 'seq_0000'
    load_tool('tools/deploy.py').main([
        str(deploy_cfg),
        str(TINY_CFG),
        str(ckpt),
        str(seq / 'frames' / '000000.png'), '--work-dir',
        str(root / 'ort'), '--dump-info'
    ])
    return dict(
        video=seq / 'seq_0000.mp4',
        frames=seq / 'frames',
        ckpt=ckpt,
        onnx=root / 'ort' / 'end2end.onnx')


def _records(out_dir):
    lines = (out_dir / 'frames.jsonl').read_text().splitlines()
    return [json.loads(line) for line in lines]


def test_video_both_backends(assets, infer_tool, tmp_path):
    out = {}
    # PyTorch through the real command line, ONNX Runtime in-process
    result = run_tool([
        REPO_ROOT / 'tools' / 'infer.py', TINY_CFG, assets['ckpt'],
        assets['video'], '--out', tmp_path / 'pytorch', '--batch-size', '4',
        '--min-area', '1'
    ])
    assert 'leak alarm event(s)' in result.stdout
    assert infer_tool.main([
        str(assets['onnx']),
        str(assets['video']), '--out',
        str(tmp_path / 'ort'), '--min-area', '1'
    ]) == 0
    for backend in ('pytorch', 'ort'):
        out_dir = tmp_path / backend
        records = _records(out_dir)
        assert [r['frame'] for r in records] == list(range(40))
        assert records[3]['time'] == pytest.approx(3 / 15)
        for key in ('gas_area', 'mean_confidence', 'regions', 'alarm'):
            assert key in records[0]
        masks = sorted((out_dir / 'masks').glob('*.png'))
        assert len(masks) == 40
        mask = cv2.imread(str(masks[5]), cv2.IMREAD_UNCHANGED)
        assert mask.shape == (48, 64) and set(np.unique(mask)) <= {0, 1}
        assert int(mask.sum()) == records[5]['gas_area']
        video = cv2.VideoCapture(str(out_dir / 'overlay.mp4'))
        assert video.get(cv2.CAP_PROP_FRAME_COUNT) == 40
        video.release()
        events = json.loads((out_dir / 'events.json').read_text())
        summary = json.loads((out_dir / 'summary.json').read_text())
        assert summary['frames_processed'] == 40
        assert summary['events'] == events['events']
        out[backend] = records
    # the export computes what PyTorch computes
    torch_areas = np.array([r['gas_area'] for r in out['pytorch']])
    ort_areas = np.array([r['gas_area'] for r in out['ort']])
    assert np.abs(torch_areas - ort_areas).max() <= 0.01 * 64 * 48
    # the alarm state in the records agrees with the events
    events = json.loads((tmp_path / 'ort' / 'events.json').read_text())
    raised = {
        t
        for e in events['events']
        for t in range(e['raised_frame'], e['cleared_frame'] or 40)
    }
    assert {r['frame'] for r in out['ort'] if r['alarm']} == raised


def test_folder_with_bad_frames(assets, infer_tool, tmp_path):
    folder = tmp_path / 'frames'
    folder.mkdir()
    for i in range(3):
        (folder / f'{i:06d}.png').write_bytes(
            (assets['frames'] / f'{i:06d}.png').read_bytes())
    # a 16-bit radiometric frame and a truncated one
    counts = np.random.default_rng(0).integers(2000, 9000, (48, 64))
    cv2.imwrite(str(folder / '000003.png'), counts.astype(np.uint16))
    (folder / '000004.png').write_bytes(
        (folder / '000000.png').read_bytes()[:50])
    out_dir = tmp_path / 'out'
    assert infer_tool.main([
        str(assets['onnx']),
        str(folder), '--out',
        str(out_dir), '--fps', '5', '--batch-size', '2'
    ]) == 0
    records = _records(out_dir)
    assert [r['frame'] for r in records] == [0, 1, 2, 3, 4]
    assert records[4]['skipped'].startswith(str(folder / '000004.png'))
    assert 'gas_area' in records[3]
    assert len(list((out_dir / 'overlays').glob('*.jpg'))) == 4
    summary = json.loads((out_dir / 'summary.json').read_text())
    assert summary['frames_skipped'] == 1
    assert summary['fps'] == 5.0 and 'events' in summary
    # without --fps a folder is a set of images: no alarm
    assert infer_tool.main(
        [str(assets['onnx']),
         str(folder), '--out',
         str(tmp_path / 'images')]) == 0
    assert not (tmp_path / 'images' / 'events.json').exists()
    assert 'alarm' not in _records(tmp_path / 'images')[0]


def test_bad_input_messages(assets, infer_tool, tmp_path, capsys):
    empty = tmp_path / 'empty'
    empty.mkdir()
    cut = tmp_path / 'cut.mp4'
    cut.write_bytes(assets['video'].read_bytes()[:2000])
    broken = tmp_path / 'broken'
    broken.mkdir()
    (broken / 'a.png').write_bytes(b'not a png')
    odd_sdk = tmp_path / 'odd_sdk'
    odd_sdk.mkdir()
    (odd_sdk / 'end2end.onnx').write_bytes(assets['onnx'].read_bytes())
    (odd_sdk / 'pipeline.json').write_text('{"pipeline": {}}')
    cases = [
        ([str(odd_sdk / 'end2end.onnx'),
          str(assets['video'])], 2, 'not an mmdeploy SDK pipeline'),
        ([str(assets['onnx']), str(empty)], 2, 'no images in folder'),
        ([str(assets['onnx']), str(cut)], 2, 'cannot open video'),
        ([str(TINY_CFG),
          str(tmp_path / 'x.pth'),
          str(assets['video'])], 2, 'file not found: .*x.pth'),
        ([str(TINY_CFG), str(assets['video'])], 2, 'needs a checkpoint'),
        ([str(assets['onnx']),
          str(assets['ckpt']),
          str(assets['video'])], 2, 'takes no checkpoint'),
        ([str(assets['onnx']), str(broken)], 1, 'no usable frame'),
    ]
    for argv, code, message in cases:
        assert infer_tool.main(argv + ['--out', str(tmp_path / 'o')]) == code
        err = capsys.readouterr().err
        assert len(re.findall(message, err)) == 1, (argv, err)


def test_pytorch_batch_of_frames_with_other_aspect_ratios(assets):
    """The keep-ratio resize gives a 4:3 and a 1:1 frame different input
    sizes; one call still predicts each as it would alone."""
    from mmgas.apis import LeakDetector

    detector = LeakDetector(str(TINY_CFG), str(assets['ckpt']))
    rng = np.random.default_rng(0)
    frames = [
        rng.integers(0, 255, shape, dtype=np.uint8)
        for shape in ((48, 64, 3), (48, 48, 3), (48, 48, 3), (96, 128, 3))
    ]
    together = detector(frames)
    for frame, prediction in zip(frames, together):
        alone, = detector([frame])
        assert prediction.mask.shape == frame.shape[:2]
        np.testing.assert_allclose(prediction.gas_prob, alone.gas_prob,
                                   atol=1e-5)


def test_pytorch_binary_head_probabilities_are_not_squashed_twice(assets):
    """With one output channel mmseg's postprocess_result returns the
    sigmoid already; the detector must threshold it as it is."""
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample

    from mmgas.apis import LeakDetector

    detector = LeakDetector(str(TINY_CFG), str(assets['ckpt']))
    sample = SegDataSample()
    prob = torch.tensor([[[0.1, 0.4], [0.6, 0.9]]])
    sample.seg_logits = PixelData(data=prob)
    prediction = detector.runtime._from_data_sample(sample)
    np.testing.assert_allclose(prediction.gas_prob, prob[0].numpy())
    assert prediction.mask.tolist() == [[False, False], [True, True]]

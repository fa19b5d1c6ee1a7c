"""A temporal model in LeakDetector: each frame of a stream is encoded
with its own history, across calls and within a batch, in PyTorch and
ONNX Runtime alike; reset, unrelated frames, and pipeline.json."""
import json

import numpy as np
import pytest
import torch

from mmgas.apis import LeakDetector
from ..helpers import REPO_ROOT

TEMPORAL_CFG = REPO_ROOT / 'tests' / 'data' / 'tiny_temporal_segmentor.py'


def drifting_plume(num_frames=5, size=(60, 80)):
    rng = np.random.default_rng(0)
    background = rng.integers(60, 190, size).astype(np.int16)
    yy, xx = np.mgrid[:size[0], :size[1]]
    frames = []
    for t in range(num_frames):
        blob = (yy - 30)**2 + (xx - 15 - 8 * t)**2 < 64
        grey = np.clip(background + 25 * blob, 0, 255).astype(np.uint8)
        frames.append(np.repeat(grey[..., None], 3, axis=2))
    return frames


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    from mmgas.benchmark import build_segmentor
    torch.manual_seed(0)
    model = build_segmentor(str(TEMPORAL_CFG))
    path = tmp_path_factory.mktemp('ckpt') / 'tiny_temporal.pth'
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, path)
    return path


def probs(predictions):
    return [p.gas_prob for p in predictions]


def test_stream_history_across_calls_and_within_a_batch(checkpoint):
    frames = drifting_plume()
    detector = LeakDetector(str(TEMPORAL_CFG), str(checkpoint))
    assert detector.history_length == 2
    streamed = probs(detector([frames[0]]) + detector([frames[1]]) +
                     detector(frames[2:]))
    histories = [[], frames[:1], frames[:2], frames[1:3], frames[2:4]]
    explicit = probs(detector.runtime(frames, histories))
    for a, b in zip(streamed, explicit):
        np.testing.assert_allclose(a, b, atol=1e-6)
    # (batches and single frames differ by float rounding only)
    # the history changes the prediction: frame 4 alone is the first frame
    detector.reset()
    (alone, ) = probs(detector([frames[4]]))
    assert np.abs(alone - streamed[4]).max() > 1e-4
    np.testing.assert_allclose(
        alone, probs(detector.runtime([frames[4]]))[0], atol=1e-6)
    # unrelated frames: none has a history, and the stream is kept
    detector.reset()
    detector([frames[0]])
    unrelated = probs(detector(frames[1:3], stream=False))
    np.testing.assert_allclose(
        unrelated[1], probs(detector.runtime([frames[2]]))[0], atol=1e-6)
    np.testing.assert_allclose(
        probs(detector([frames[1]]))[0], streamed[1], atol=1e-6)


@pytest.mark.filterwarnings('ignore::torch.jit.TracerWarning')
def test_onnx_stream_matches_pytorch(checkpoint, tmp_path):
    from mmgas.benchmark import TensorMode, build_segmentor
    from mmgas.deploy import add_input_encoding_to_sdk_pipeline
    from mmgas.utils import load_config
    model = build_segmentor(str(TEMPORAL_CFG), str(checkpoint))
    onnx_file = tmp_path / 'end2end.onnx'
    torch.onnx.export(
        TensorMode(model).eval(), (torch.rand(1, 3, 48, 64), ),
        str(onnx_file),
        dynamo=False,
        opset_version=13,
        input_names=['input'],
        output_names=['logits'])
    frames = drifting_plume()
    torch_detector = LeakDetector(str(TEMPORAL_CFG), str(checkpoint))
    ort_detector = LeakDetector(str(onnx_file), model_cfg=str(TEMPORAL_CFG))
    assert ort_detector.history_length == 2
    expected = probs(torch_detector(frames[:2]) + torch_detector(frames[2:]))
    actual = probs(ort_detector(frames[:3]) + ort_detector(frames[3:]))
    for a, b in zip(actual, expected):
        np.testing.assert_allclose(a, b, atol=1e-4)

    # pipeline.json: the encoding goes before Resize, where the test
    # pipeline has it, and the ONNX runtime reads it from there
    sdk = dict(pipeline=dict(tasks=[dict(transforms=[
        dict(type='LoadImageFromFile'),
        dict(type='Resize', size=[64, 48], keep_ratio=False),
        dict(type='Normalize', mean=[128.0] * 3, std=[64.0] * 3,
             to_rgb=True)
    ])]))
    (tmp_path / 'pipeline.json').write_text(json.dumps(sdk))
    assert add_input_encoding_to_sdk_pipeline(tmp_path,
                                              load_config(str(TEMPORAL_CFG)))
    written = json.loads((tmp_path / 'pipeline.json').read_text())
    types = [t['type'] for t in written['pipeline']['tasks'][0]['transforms']]
    assert types == [
        'LoadImageFromFile', 'TemporalEncoding', 'Resize', 'Normalize'
    ]
    from_json = LeakDetector(str(onnx_file))
    assert from_json.history_length == 2
    for a, b in zip(probs(from_json(frames)), expected):
        np.testing.assert_allclose(a, b, atol=1e-4)

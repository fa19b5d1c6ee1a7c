"""tools/profiler.py: an exported model and its PyTorch checkpoint timed in
both scopes, in one run (no timing assertions beyond positivity)."""
import json

import cv2
import numpy as np
import pytest
import torch

from ..helpers import REPO_ROOT, run_tool

pytestmark = pytest.mark.slow

PROFILER = REPO_ROOT / 'tools' / 'profiler.py'
TINY = REPO_ROOT / 'tests' / 'data' / 'tiny_segmentor.py'
STATIC = (REPO_ROOT /
          'configs/deploy/segmentation_onnxruntime_static-256x192.py')


def test_profiler_times_onnx_and_pytorch_in_both_scopes(tmp_path):
    import mmgas  # noqa: F401
    from mmgas.benchmark import TensorMode, build_segmentor
    model = build_segmentor(str(TINY))
    checkpoint = tmp_path / 'tiny.pth'
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, checkpoint)
    onnx_file = tmp_path / 'end2end.onnx'
    torch.onnx.export(
        TensorMode(model).eval(), (torch.rand(1, 3, 64, 64), ),
        str(onnx_file),
        dynamo=False,
        opset_version=13,
        input_names=['input'],
        output_names=['logits'])
    frames = tmp_path / 'frames'
    frames.mkdir()
    rng = np.random.default_rng(0)
    for i in range(3):
        cv2.imwrite(str(frames / f'{i}.png'),
                    rng.integers(0, 255, (48, 80, 3), dtype=np.uint8))
    out = tmp_path / 'prof.json'
    result = run_tool([
        PROFILER, STATIC, TINY, frames, '--model', onnx_file, '--checkpoint',
        checkpoint, '--shape', '64x64', '--threads', '1', '--num-iter', '4',
        '--warmup', '1', '--out', out
    ])
    saved = json.loads(out.read_text())
    assert saved['setting']['input_hw'] == [64, 64]
    assert saved['setting']['frame_hw'] == [48, 80]
    assert len(saved['models']) == 2
    for name, scopes in saved['models'].items():
        assert set(scopes) == {'network', 'end2end'}
        for scope in scopes.values():
            assert scope['median_ms'] > 0 and scope['fps'] > 0
        assert f'| {name} | end2end |' in result.stdout

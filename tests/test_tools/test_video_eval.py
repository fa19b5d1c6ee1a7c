"""tools/analysis_tools/video_eval.py: pixel and strict alarm scores of a
detector on labelled sequences, through tools/infer.py's path. An oracle
detector scores perfectly, a blind one finds nothing, and real temporal
and single-frame models run from their configs."""
import json
import shutil

import cv2
import numpy as np
import pytest
import torch

from mmgas.apis import GasPrediction
from mmgas.datasets.synthetic import generate_dataset
from mmgas.evaluation import merge_intervals
from ..helpers import REPO_ROOT, load_tool

TOOL = 'tools/analysis_tools/video_eval.py'
CONFIGS = dict(
    temporal=REPO_ROOT / 'tests' / 'data' / 'tiny_temporal_segmentor.py',
    single=REPO_ROOT / 'tests' / 'data' / 'tiny_video_segmentor.py')


@pytest.fixture(scope='module')
def video_set(tmp_path_factory):
    root = tmp_path_factory.mktemp('temporal')
    generate_dataset(str(root), num_train=0, num_val=0, num_test=0,
                     size=(96, 72), video_splits=dict(test=3),
                     video_frames=30, workers=1, log=lambda *a: None)
    return root


class _MaskReader:
    """A stand-in detector that answers each frame with a given mask."""

    history_length = 0
    backend = 'pytorch'
    model_file = 'oracle'

    def __init__(self, masks):
        self.masks = iter(masks)

    def reset(self):
        pass

    def __call__(self, frames, stream=True):
        return [GasPrediction(next(self.masks), None) for _ in frames]


def _score(tool, video_set, masks_of, tmp_path):
    args = tool.parse_args(['oracle', str(video_set), '--min-region-area',
                            '0'])
    rows = []
    for seq in sorted((video_set / 'video' / 'test').iterdir()):
        truth = [
            cv2.imread(str(p), cv2.IMREAD_UNCHANGED) == 1
            for p in sorted((seq / 'masks').glob('*.png'))
        ]
        rows.append(
            tool.evaluate_sequence(_MaskReader(masks_of(truth)), str(seq),
                                   str(tmp_path / seq.name), args))
    return rows, tool.summarise(rows)


def test_an_oracle_scores_perfectly_and_a_blind_detector_finds_nothing(
        video_set, tmp_path):
    tool = load_tool(TOOL)
    rows, total = _score(tool, video_set, lambda truth: truth,
                         tmp_path / 'oracle')
    meta = [
        json.loads((video_set / 'video' / 'test' / r['name'] /
                    'sequence.json').read_text()) for r in rows
    ]
    assert any(m['gas_visible_intervals'] for m in meta)
    assert total['gas_iou'] == pytest.approx(100.0)
    assert total['false_px_per_gas_free_frame'] in (None, 0.0)
    # (its alarms may still be up for the clearing frames after a leak
    # ends: strict scoring counts that time as false-alarm time)
    assert total['fp'] == 0 and total['tp'] >= 1
    blind_rows, blind = _score(
        tool, video_set, lambda truth: [np.zeros_like(m) for m in truth],
        tmp_path / 'blind')
    assert blind['gas_iou'] == 0.0 and blind['gas_precision'] is None
    assert blind['tp'] == 0 and blind['fp'] == 0
    assert blind['fn'] == total['tp'] + total['fn']
    # everywhere gas: every gas-free frame is a false region
    _, flood = _score(tool, video_set,
                      lambda truth: [np.ones_like(m) for m in truth],
                      tmp_path / 'flood')
    if flood['gas_free_frames']:
        assert flood['gas_free_frames_with_false_gas'] == 100.0
        assert flood['false_px_per_gas_free_frame'] == 96 * 72


@pytest.mark.parametrize('kind', ['temporal', 'single'])
def test_models_from_their_configs(kind, video_set, tmp_path, capsys):
    from mmgas.benchmark import build_segmentor
    tool = load_tool(TOOL)
    torch.manual_seed(0)
    model = build_segmentor(str(CONFIGS[kind]))
    checkpoint = tmp_path / 'tiny.pth'
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, checkpoint)
    out = tmp_path / 'result.json'
    total = tool.main([
        str(CONFIGS[kind]),
        str(checkpoint),
        str(video_set), '--out',
        str(out), '--work-dir',
        str(tmp_path / 'work')
    ])
    printed = capsys.readouterr().out
    assert f'(history {2 if kind == "temporal" else 0} frames)' in printed
    assert 'false-alarm time' in printed
    saved = json.loads(out.read_text())
    assert saved['total'] == json.loads(json.dumps(total))
    assert len(saved['sequences']) == 3
    # every sequence is in the split of each motion condition it shows
    for name, part in saved['by_condition'].items():
        assert part['sequences'] == sum(
            name in r['conditions'] for r in saved['sequences']) > 0
        assert f'  {name} ({part["sequences"]} sequences)' in printed
    # infer.py's outputs are kept per sequence
    assert len(list((tmp_path / 'work' / 'seq_0000' /
                     'masks').glob('*.png'))) == 30


def test_motion_conditions_split_the_sequences():
    tool = load_tool(TOOL)
    assert tool.motion_conditions(None) == []
    still = dict(shake=dict(handheld=False), movers=[], vegetation=[])
    assert tool.motion_conditions(still) == ['nothing else']
    busy = dict(
        shake=dict(handheld=True),
        movers=[dict(kind='person'), dict(kind='person')],
        vegetation=[dict(kind='bush')])
    assert tool.motion_conditions(busy) == [
        'hand-held camera', 'people', 'vegetation'
    ]
    rows = []
    for conditions, (inter, pred, true) in (
            (['people'], (5, 10, 10)), (['nothing else'], (0, 0, 10)),
            (['people', 'vegetation'], (10, 10, 10))):
        rows.append(
            dict(conditions=conditions, tp=0, fp=0, fn=0, latency_frames=[],
                 pixels=dict(inter=inter, pred=pred, true=true,
                             free_frames=0, free_false_px=0,
                             free_frames_with_false=0)))
    parts = tool.summarise_by_condition(rows)
    assert {k: v['sequences'] for k, v in parts.items()} == {
        'nothing else': 1, 'people': 2, 'vegetation': 1}
    assert parts['people']['gas_iou'] == pytest.approx(100 * 15 / 25)
    assert parts['nothing else']['gas_iou'] == 0.0


def test_missing_sequences_are_named(tmp_path):
    tool = load_tool(TOOL)
    with pytest.raises(SystemExit, match='no sequence folder'):
        tool.main([str(CONFIGS['single']), str(tmp_path)])


def test_real_footage_without_sequence_json(video_set, tmp_path):
    tool = load_tool(TOOL)
    seq = tmp_path / 'real' / 'clip'
    shutil.copytree(video_set / 'video' / 'test' / 'seq_0000', seq)
    meta = json.loads((seq / 'sequence.json').read_text())
    (seq / 'sequence.json').unlink()
    truth = [
        cv2.imread(str(p), cv2.IMREAD_UNCHANGED) == 1
        for p in sorted((seq / 'masks').glob('*.png'))
    ]
    args = tool.parse_args(['oracle', str(tmp_path / 'real'), '--fps', '15'])
    row = tool.evaluate_sequence(_MaskReader(truth), str(seq),
                                 str(tmp_path / 'out'), args)
    # the alarm's truth is the frames whose mask has gas: what the
    # generator recorded as the visible intervals
    expected = meta['gas_visible_intervals']
    assert row['truth'] == [
        list(i) for i in merge_intervals(expected, args.window)
    ]
    assert row['name'] == 'clip' and row['scenario'] is None
    with pytest.raises(SystemExit, match='--fps'):
        tool.evaluate_sequence(
            _MaskReader(truth), str(seq), str(tmp_path / 'out2'),
            tool.parse_args(['oracle', str(tmp_path / 'real')]))

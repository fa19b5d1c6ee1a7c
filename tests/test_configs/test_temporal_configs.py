"""The temporal configs: each is its single-frame twin's model and recipe on
the temporal set, with the encoding before the geometric transforms and no
per-image photometric change of a frame's history; the encoding ablation and
the single-frame control change only the input."""
import pytest
from mmengine.config import Config

from mmgas.datasets.transforms import history_length, input_encoding
from ..helpers import REPO_ROOT

TEMPORAL = sorted((REPO_ROOT / 'configs').glob(
    '*/*_1xb8-4k_synthetic-temporal-256x192.py'))
RECIPE_KEYS = ('optim_wrapper', 'param_scheduler', 'train_cfg', 'randomness',
               'crop_size', 'test_evaluator', 'default_hooks')


def _types(pipeline):
    return [t['type'] for t in pipeline]


def test_gasseg_gasvit_and_a_baseline_ship_temporal_configs():
    names = [p.name.split('_')[0] for p in TEMPORAL]
    assert {'gasseg-s', 'gasvit-xs', 'stdc1'} <= set(names), names


@pytest.mark.parametrize('path', TEMPORAL, ids=[p.parent.name for p in
                                                TEMPORAL])
def test_temporal_config_is_its_twin_on_temporal_input(path):
    cfg = Config.fromfile(str(path))
    twin = Config.fromfile(
        str(path).replace('synthetic-temporal', 'synthetic'))
    assert cfg.model == twin.model
    for key in RECIPE_KEYS:
        assert cfg.get(key) == twin.get(key), key
    train = cfg.train_dataloader.dataset
    assert train.type == 'TemporalGasDataset'
    assert train.seq_dir == 'video/train'
    assert cfg.test_dataloader.dataset.seq_dir == 'video/test'
    types = _types(train.pipeline)
    assert types[:5] == ['LoadImageFromFile', 'LoadAnnotations',
                         'LoadFrameHistory', 'RandomDisplayGain',
                         'TemporalEncoding']
    assert 'PhotoMetricDistortion' not in types
    assert types.index('RandomResize') > types.index('TemporalEncoding')
    test_types = _types(cfg.test_dataloader.dataset.pipeline)
    assert test_types.index('TemporalEncoding') < test_types.index('Resize')
    # the samples carry the history the encoding reads
    encoding = input_encoding(cfg)
    assert train.history >= history_length(encoding) > 0


def test_encoding_ablation_and_single_frame_control_change_only_the_input():
    gasseg = REPO_ROOT / 'configs' / 'gasseg'
    median = Config.fromfile(
        str(gasseg / 'gasseg-s_1xb8-4k_synthetic-temporal-256x192.py'))
    ema = Config.fromfile(
        str(gasseg / 'gasseg-s_1xb8-4k_synthetic-temporal-ema-256x192.py'))
    single = Config.fromfile(
        str(gasseg / 'gasseg-s_1xb8-4k_synthetic-video-frames-256x192.py'))
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        a, b = median[key].dataset, ema[key].dataset
        for pa, pb in zip(a.pipeline, b.pipeline):
            if pa['type'] == 'TemporalEncoding':
                assert (pa['background'], pb['background']) == (
                    'median', 'ema')
                assert {k: v for k, v in pa.items() if k != 'background'} \
                    == {k: v for k, v in pb.items() if k != 'background'}
            else:
                assert pa == pb
        # the control sees the same samples, one frame at a time
        c = single[key].dataset
        assert {k: v for k, v in c.items() if k != 'pipeline'} == \
            {k: v for k, v in a.items() if k != 'pipeline'}
        assert 'TemporalEncoding' not in _types(c.pipeline)
        assert 'LocalContrastEncoding' in _types(c.pipeline)
    for key in ('model', ) + RECIPE_KEYS:
        assert median.get(key) == ema.get(key) == single.get(key), key
    assert history_length(input_encoding(single)) == 0

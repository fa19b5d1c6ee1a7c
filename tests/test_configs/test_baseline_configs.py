"""The stock-mmseg baselines of configs/baselines/: the GasSeg recipe with
only the model changed, trained from scratch for two classes, and each model
trains and predicts on CPU with mmcv-lite."""
import math

import pytest
import torch

from ..helpers import REPO_ROOT, write_tiny_gas_dataset

BASELINES = ('segformer-b0', 'bisenetv1', 'bisenetv2', 'pidnet-s',
             'ddrnet-23-slim', 'stdc1')
# baseline config suffix -> the GasSeg config whose recipe it must share
RECIPES = {
    '1xb16-120k_igs-256x192': 'gasseg-s_1xb16-120k_igs-256x192.py',
    '1xb8-4k_synthetic-256x192': 'gasseg-s_1xb8-4k_synthetic-256x192.py',
}
SHARED_KEYS = ('crop_size', 'train_dataloader', 'val_dataloader',
               'test_dataloader', 'val_evaluator', 'test_evaluator',
               'tta_pipeline', 'optim_wrapper', 'param_scheduler',
               'train_cfg', 'val_cfg', 'test_cfg', 'default_hooks',
               'randomness', 'env_cfg', 'custom_imports', 'default_scope')
CONFIGS = [(model, suffix) for model in BASELINES for suffix in RECIPES]


def _load(path):
    from mmengine.config import Config
    return Config.fromfile(str(path))


def _baseline(model, suffix):
    return REPO_ROOT / 'configs' / 'baselines' / f'{model}_{suffix}.py'


def _walk(node, path=''):
    """Yield (dotted path, key, value) for every key of nested dicts/lists."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield f'{path}.{key}', key, value
            yield from _walk(value, f'{path}.{key}')
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _walk(value, f'{path}[{i}]')


def test_every_baseline_has_both_recipes():
    shipped = {
        p.name
        for p in (REPO_ROOT / 'configs' / 'baselines').glob('*.py')
    }
    expected = {_baseline(m, s).name for m, s in CONFIGS}
    assert expected <= shipped, sorted(expected - shipped)


@pytest.mark.parametrize('model,suffix', CONFIGS,
                         ids=[f'{m}_{s}' for m, s in CONFIGS])
def test_baseline_shares_the_gasseg_recipe(model, suffix):
    cfg = _load(_baseline(model, suffix))
    gasseg = _load(REPO_ROOT / 'configs' / 'gasseg' / RECIPES[suffix])
    for key in SHARED_KEYS:
        assert cfg.get(key) == gasseg.get(key), key
    assert (cfg.model.data_preprocessor.size ==
            gasseg.model.data_preprocessor.size == (256, 192))


# where a multi-output head keeps the loss of its main (inference) output
MAIN_OUTPUT_LOSS = {'ddrnet-23-slim': 0, 'pidnet-s': 1}


@pytest.mark.parametrize('model', BASELINES)
def test_synthetic_baseline_has_the_gasseg_cpu_semantic_loss(model):
    """On the synthetic set every model's main output is trained with
    GasSeg-S's CE + Lovasz, so that only the network differs."""
    suffix = '1xb8-4k_synthetic-256x192'
    losses = _load(_baseline(model, suffix)).model.decode_head.loss_decode
    gasseg = _load(REPO_ROOT / 'configs' / 'gasseg' / RECIPES[suffix])
    *semantic, boundary = gasseg.model.decode_head.loss_decode
    assert boundary.type == 'BoundaryLoss'
    if model in MAIN_OUTPUT_LOSS:
        main = losses[MAIN_OUTPUT_LOSS[model]]
        assert main.type == 'SumOfLosses'
        assert main.losses == semantic
    else:
        assert losses == semantic


@pytest.mark.parametrize('model,suffix', CONFIGS,
                         ids=[f'{m}_{s}' for m, s in CONFIGS])
def test_baseline_is_from_scratch_with_two_classes(model, suffix):
    cfg = _load(_baseline(model, suffix))
    num_classes = []
    for path, key, value in _walk(cfg.model.to_dict(), 'model'):
        if key in ('pretrained', 'init_cfg', 'checkpoint', 'class_weight'):
            assert value is None, f'{path} = {value!r}'
        if key == 'type':
            assert value != 'SyncBN', path
        if key == 'num_classes':
            num_classes.append(value)
    assert num_classes and set(num_classes) == {2}, num_classes


@pytest.mark.parametrize('model,stock', [
    ('pidnet-s', 'pidnet/pidnet-s_2xb6-120k_1024x1024-cityscapes.py'),
    ('ddrnet-23-slim',
     'ddrnet/ddrnet_23-slim_in1k-pre_2xb6-120k_cityscapes-1024x1024.py'),
])
def test_restated_model_is_the_stock_one(model, stock):
    """PIDNet/DDRNet have no mmseg model base; ours differs from the stock
    Cityscapes model only where the docstring of the base says."""
    ours = _load(REPO_ROOT / 'configs' / '_base_' / 'models' / 'baselines' /
                 f'{model}.py').model.to_dict()
    from mmengine.hub import get_config
    reference = get_config(f'mmseg::{stock}').model.to_dict()
    reference['pretrained'] = None
    reference['data_preprocessor'].pop('size')
    reference['backbone']['init_cfg'] = None
    reference['decode_head']['num_classes'] = 2
    for node in (reference['backbone'], reference['decode_head']):
        node['norm_cfg'] = dict(type='BN', requires_grad=True)
    for loss in reference['decode_head']['loss_decode']:
        loss.pop('class_weight', None)
    assert ours == reference


@pytest.fixture(scope='module')
def tiny_root(tmp_path_factory):
    return write_tiny_gas_dataset(
        tmp_path_factory.mktemp('tiny'), splits=(('train', 2), ('val', 1)))


@pytest.mark.parametrize('model,suffix', CONFIGS,
                         ids=[f'{m}_{s}' for m, s in CONFIGS])
def test_baseline_trains_and_predicts_on_cpu(model, suffix, tiny_root):
    """Two SGD steps through the config's own train pipeline (random
    resize/crop, edges for PIDNet's boundary loss), then inference."""
    import mmgas  # noqa: F401
    from mmengine.dataset import pseudo_collate
    from mmengine.optim import OptimWrapper
    from mmengine.registry import init_default_scope
    from mmseg.registry import DATASETS, MODELS

    cfg = _load(_baseline(model, suffix))
    init_default_scope('mmseg')
    torch.manual_seed(0)
    segmentor = MODELS.build(cfg.model)
    segmentor.init_weights()
    optim_wrapper = OptimWrapper(
        torch.optim.SGD(segmentor.parameters(), lr=0.01, momentum=0.9))
    datasets = {}
    for split in ('train', 'val'):
        dataset_cfg = cfg[f'{split}_dataloader'].dataset.copy()
        dataset_cfg.data_root = str(tiny_root)
        datasets[split] = DATASETS.build(dataset_cfg)

    segmentor.train()
    batch = pseudo_collate([datasets['train'][i] for i in range(2)])
    before = [p.detach().clone() for p in segmentor.parameters()]
    for _ in range(2):
        losses = segmentor.train_step(batch, optim_wrapper)
        assert all(math.isfinite(v.item()) for v in losses.values()), losses
    assert any(not torch.equal(a, b)
               for a, b in zip(before, segmentor.parameters()))

    segmentor.eval()
    with torch.no_grad():
        (result, ) = segmentor.test_step(
            pseudo_collate([datasets['val'][0]]))
        logits = segmentor(torch.rand(1, 3, 192, 256) * 255, mode='tensor')
    # predictions come back at the size of the original 64x64 image
    assert result.pred_sem_seg.data.shape == (1, 64, 64)
    assert set(result.pred_sem_seg.data.unique().tolist()) <= {0, 1}
    assert logits.shape[:2] == (1, 2)


def test_synthetic_cpu_configs_are_the_recipe_plus_a_model():
    configs = sorted(
        (REPO_ROOT / 'configs').glob('*/*_1xb8-4k_synthetic-256x192.py'))
    assert len(configs) == 8, configs  # GasSeg-S, GasViT-xs, 6 baselines
    recipe = _load(REPO_ROOT / 'configs/_base_/synthetic_cpu_recipe.py')
    for path in configs:
        assert "'../_base_/synthetic_cpu_recipe.py'" in path.read_text(), path
        cfg = _load(path)
        for key in ('train_dataloader', 'train_cfg', 'optim_wrapper',
                    'param_scheduler', 'randomness', 'crop_size',
                    'test_evaluator'):
            assert cfg.get(key) == recipe.get(key), (path.name, key)

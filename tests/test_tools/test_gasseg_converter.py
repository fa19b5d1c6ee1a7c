"""tools/model_converters/gasseg_release_to_mmgas.py: a fake release
checkpoint (mmengine layout, built from the fixture's release state dict)
converts into a weights-only checkpoint that ``mmseg.apis.init_model`` loads
into the release-reproduction config and that reproduces the release's
logits; files with wrong keys are refused with the keys named."""

import pytest
import torch

import mmgas  # noqa: F401
from ..helpers import GASSEG_RELEASE_CONFIG, REPO_ROOT, load_tool, run_tool

TOOL = REPO_ROOT / 'tools' / 'model_converters' / 'gasseg_release_to_mmgas.py'
CONFIG = GASSEG_RELEASE_CONFIG.format('s')


def _load_tool():
    return load_tool(TOOL)


def fake_release_checkpoint(state_dict):
    """What the release's mmengine runner saves (plain-type parts only)."""
    first = next(iter(state_dict.values()))
    return dict(
        meta=dict(
            seed=304,
            iter=120000,
            mmseg_version='1.2.2',
            dataset_meta=dict(
                classes=('background', 'gas'),
                palette=[[0, 0, 0], [255, 255, 255]])),
        state_dict=state_dict,
        optimizer=dict(
            state={0: dict(momentum_buffer=torch.zeros_like(first))},
            param_groups=[dict(lr=0.01, momentum=0.9, params=[0])]),
        param_schedulers=[dict(last_step=120000)])


def test_convert_release_checkpoint(gasseg_reference, tmp_path,
                                    release_threads):
    src, dst = tmp_path / 'release.pth', tmp_path / 'gasseg-s.pth'
    torch.save(fake_release_checkpoint(gasseg_reference['state_dict']), src)
    result = run_tool([TOOL, src, dst])
    assert 'gasseg-s' in result.stdout

    converted = torch.load(dst, weights_only=True)
    assert set(converted) == {'meta', 'state_dict'}
    assert converted['meta']['dataset_meta']['classes'] == ('background',
                                                            'gas')
    assert list(converted['state_dict']) == list(
        gasseg_reference['state_dict'])
    for key, value in converted['state_dict'].items():
        assert type(value) is torch.Tensor
        assert torch.equal(value, gasseg_reference['state_dict'][key])

    from mmseg.apis import init_model
    model = init_model(str(CONFIG), str(dst), device='cpu')
    assert model.dataset_meta['classes'] == ('background', 'gas')
    assert set(model.state_dict()) == set(converted['state_dict'])
    with torch.no_grad():
        logits = model(gasseg_reference['input'], mode='tensor')
    torch.testing.assert_close(
        logits, gasseg_reference['logits_eval'], rtol=1e-4, atol=1e-3)


def test_wrong_keys_are_refused_with_their_names(gasseg_reference, tmp_path):
    state_dict = dict(gasseg_reference['state_dict'])
    del state_dict['backbone.spp.lska.conv1.bias']
    state_dict['backbone.p_branch_layers.0.weight'] = torch.zeros(1)
    state_dict['decode_head.e_cls_seg.weight'] = torch.zeros(1, 8, 1, 1)
    src = tmp_path / 'bad.pth'
    torch.save(fake_release_checkpoint(state_dict), src)

    tool = _load_tool()
    with pytest.raises(SystemExit) as error:
        tool.main([str(src), str(tmp_path / 'out.pth')])
    message = str(error.value)
    assert 'missing keys (1): backbone.spp.lska.conv1.bias' in message
    assert 'unexpected keys (1): backbone.p_branch_layers.0.weight' in message
    assert 'decode_head.e_cls_seg.weight: (1, 8, 1, 1)' in message
    assert not (tmp_path / 'out.pth').exists()


def test_bare_state_dict_and_foreign_checkpoint(gasseg_reference):
    tool = _load_tool()
    converted = tool.convert(
        dict(gasseg_reference['state_dict']), source='bare')
    assert converted['meta']['mmgas']['arch'] == 'gasseg-s'
    # no usable dataset_meta in the input: GasDataset's classes
    assert converted['meta']['dataset_meta']['classes'] == ('background',
                                                            'gas')
    with pytest.raises(tool.ReleaseKeyError, match='not a GasSeg release'):
        tool.convert({'state_dict': {'conv.weight': torch.zeros(1)}})

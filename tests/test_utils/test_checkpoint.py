"""Strict checkpoint loading: weights that do not fit the config's model are
refused with the keys named, instead of mmengine's warnings and random
weights."""
import pytest
import torch

from mmgas.utils import (CheckpointMismatchError, check_checkpoint_matches,
                         checkpoint_state_dict, init_segmentor, load_config)

from ..helpers import REPO_ROOT

TINY_CONFIG = str(REPO_ROOT / 'tests' / 'data' / 'tiny_segmentor.py')
META = dict(dataset_meta=dict(classes=('background', 'gas')))


@pytest.fixture(scope='module')
def trained_state():
    """The tiny segmentor's weights, perturbed so that a load is visible."""
    torch.manual_seed(0)
    model = init_segmentor(load_config(TINY_CONFIG))
    return {k: v + 1 if v.is_floating_point() else v
            for k, v in model.state_dict().items()}


def test_runner_and_bare_checkpoints_load_strictly(tmp_path, trained_state):
    runner_ckpt = tmp_path / 'runner.pth'
    torch.save(dict(state_dict=trained_state, meta=META), runner_ckpt)
    bare_ckpt = tmp_path / 'bare.pth'
    # as saved from a DDP-wrapped model
    torch.save({'module.' + k: v for k, v in trained_state.items()},
               bare_ckpt)
    key = 'decode_head.conv_seg.weight'
    for path, meta in ((runner_ckpt, META['dataset_meta']), (bare_ckpt, None)):
        model = init_segmentor(load_config(TINY_CONFIG), str(path))
        assert torch.equal(model.state_dict()[key], trained_state[key])
        assert model.dataset_meta == meta
        assert not model.training


def test_mismatch_names_missing_unexpected_and_misshaped_keys(
        tmp_path, trained_state):
    state = dict(trained_state)
    state['decode_head.renamed.weight'] = state.pop(
        'decode_head.conv_seg.weight')
    state['decode_head.conv_seg.bias'] = torch.zeros(3)
    path = tmp_path / 'other_model.pth'
    torch.save(dict(state_dict=state, meta=META), path)

    with pytest.raises(CheckpointMismatchError) as error:
        init_segmentor(load_config(TINY_CONFIG), str(path))
    message = str(error.value)
    assert str(path) in message and 'tiny_segmentor.py' in message
    assert 'missing keys (1): decode_head.conv_seg.weight' in message
    assert 'unexpected keys (1): decode_head.renamed.weight' in message
    assert 'decode_head.conv_seg.bias (3,) vs (2,)' in message
    assert 'gasseg_release_to_mmgas.py' in message


def test_long_key_lists_are_cut(trained_state):
    model = init_segmentor(load_config(TINY_CONFIG))
    with pytest.raises(CheckpointMismatchError, match=r'\.\.\. \(\d+ more\)'):
        check_checkpoint_matches(model, {})
    # the exact weights pass
    check_checkpoint_matches(model, trained_state)


def test_a_checkpoint_that_is_not_a_dict_is_refused(tmp_path):
    path = tmp_path / 'tensor.pth'
    torch.save(torch.zeros(2), path)
    with pytest.raises(CheckpointMismatchError, match='holds a Tensor'):
        checkpoint_state_dict(str(path))

import os
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.runner.checkpoint import _load_checkpoint

import mmgas  # noqa: F401
from mmgas.compat import (UnreadableCheckpointError, UnsafeCheckpointError,
                          safe_load_checkpoint)

from ..helpers import write_not_checkpoints


def _training_checkpoint():
    """What mmengine's runner saves besides weights: message hub with
    HistoryBuffers (numpy arrays inside), numpy scalars in meta."""
    hub = MessageHub.get_instance('mmgas-test-checkpoint')
    for step in range(3):
        hub.update_scalar('train/loss', 1.0 / (step + 1))
    return dict(
        meta=dict(iter=3, seed=np.int64(304), hist=np.arange(3.)),
        state_dict={'w': torch.ones(2)},
        message_hub=hub.state_dict())


def test_weights_only_file_loads(tmp_path):
    path = tmp_path / 'weights.pth'
    torch.save({'state_dict': {'w': torch.arange(3.)}}, path)
    ckpt = _load_checkpoint(str(path), map_location='cpu')
    assert torch.equal(ckpt['state_dict']['w'], torch.arange(3.))


def test_training_checkpoint_loads_through_mmengine(tmp_path):
    path = tmp_path / 'iter_3.pth'
    torch.save(_training_checkpoint(), path)
    # plain torch.load (weights_only default) refuses it ...
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)
    # ... mmengine's loader (resume/load_from/init_model) accepts it
    ckpt = _load_checkpoint(str(path), map_location='cpu')
    hub = ckpt['message_hub']
    buffer = hub['log_scalars']['train/loss']
    assert buffer.current() == pytest.approx(1 / 3)
    assert buffer.mean() == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)
    assert ckpt['meta']['seed'] == 304
    # the extra globals were admitted for that load only
    assert not any('HistoryBuffer' in repr(g)
                   for g in torch.serialization.get_safe_globals())


class _RunsCode:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def test_checkpoint_with_pickled_callable_is_refused(tmp_path):
    marker = tmp_path / 'pwned'
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {}, 'payload': _RunsCode(marker)}, path)
    with pytest.raises(UnsafeCheckpointError, match='Refusing to load'):
        _load_checkpoint(str(path), map_location='cpu')
    assert not marker.exists()


class _GetAttr:
    """Pickles as ``getattr(owner, name)``: a general getattr would let a file
    walk from an allowed class to anything (``ndarray.tofile``, ...)."""

    def __init__(self, owner, name):
        self.owner, self.name = owner, name

    def __reduce__(self):
        return (getattr, (self.owner, self.name))


@pytest.mark.parametrize('owner,name', [(np.ndarray, 'tofile'),
                                        ('HistoryBuffer', '__init__')])
def test_getattr_is_restricted_to_history_buffer_statistics(
        tmp_path, owner, name):
    from mmengine.logging.history_buffer import HistoryBuffer
    owner = HistoryBuffer if owner == 'HistoryBuffer' else owner
    path = tmp_path / 'getattr.pth'
    torch.save({'f': _GetAttr(owner, name)}, path)
    with pytest.raises(UnsafeCheckpointError, match=name):
        safe_load_checkpoint(str(path))


def test_missing_file_names_path(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        safe_load_checkpoint(str(tmp_path / 'nope.pth'))


@pytest.mark.parametrize(
    'content', ['empty', 'truncated', 'a config', 'an image', 'a text'])
def test_unreadable_file_is_named_and_not_called_unsafe(tmp_path, content):
    """Whatever the file is, not a checkpoint gets the same named error
    (an image used to reach the unpickler: ``KeyError: 101``)."""
    path = write_not_checkpoints(tmp_path)[content]
    with pytest.raises(UnreadableCheckpointError,
                       match=f'cannot read checkpoint .*{path.name}'):
        safe_load_checkpoint(str(path))


def test_weights_only_is_not_disabled_process_wide():
    assert 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD' not in os.environ

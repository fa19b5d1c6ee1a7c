"""pytest fixtures shared by the tests; the plain helpers they use are in
tests/helpers.py."""
import pytest
import torch

from .helpers import gasseg_fixture, write_tiny_gas_dataset


@pytest.fixture
def tiny_dataset(tmp_path):
    return write_tiny_gas_dataset(tmp_path / 'tiny')


@pytest.fixture(scope='module')
def gasseg_reference():
    """The GasSeg-S release reference: a dict with the release
    ``state_dict``, an ``input`` batch (2x3x192x256, raw 0-255) and the
    release's ``logits_eval``, ``logits_train_sem`` and
    ``logits_train_edge`` for it."""
    return torch.load(
        gasseg_fixture('gasseg_s_release_reference.pt'), weights_only=True)


@pytest.fixture
def release_threads():
    """Run with the 2 intra-op threads the release reference was computed
    with: the input is not normalised and logits reach ~2,000, so float32
    summation order shows at the 1e-3 level (1 thread: 1.8e-3 max abs
    difference; the reference itself is 1.9e-2 from a float64 forward)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(threads)

"""mmgas.benchmark: timing statistics, round-robin order, memory."""
import pytest
import torch

from mmgas.benchmark import (TimingSummary, inference_parameters,
                             interleaved_timings, peak_forward_memory,
                             relative_difference)


def test_timing_summary_quartiles():
    summary = TimingSummary.from_samples([5.0, 1.0, 3.0, 2.0, 4.0])
    assert (summary.median, summary.q1, summary.q3) == (3.0, 2.0, 4.0)
    assert (summary.minimum, summary.count) == (1.0, 5)
    single = TimingSummary.from_samples([7.5])
    assert single.q1 == single.median == single.q3 == 7.5
    with pytest.raises(ValueError, match='no timing samples'):
        TimingSummary.from_samples([])


@pytest.mark.parametrize('shuffle', [False, True])
def test_interleaved_timings_run_each_once_per_round(shuffle):
    calls = []
    runners = {key: (lambda key=key: calls.append(key)) for key in 'abc'}
    rounds_seen = []
    times = interleaved_timings(
        runners, rounds=4, warmup=2, shuffle=shuffle,
        on_round=lambda: rounds_seen.append(len(calls)))
    assert rounds_seen == [3, 6, 9, 12, 15, 18]
    # every round holds each callable exactly once
    for start in range(0, len(calls), 3):
        assert sorted(calls[start:start + 3]) == ['a', 'b', 'c']
    if not shuffle:
        assert calls[:3] == ['a', 'b', 'c']
    assert {key: len(v) for key, v in times.items()} == dict(a=4, b=4, c=4)
    assert all(t >= 0 for v in times.values() for t in v)


def test_peak_forward_memory_sees_transient_tensors():
    mib = 2**20

    def forward():
        # 8 MiB alive at once at the peak, 4 MiB returned
        a = torch.ones(mib)  # 4 MiB of float32
        b = a * 2
        return b

    peak = peak_forward_memory(forward)
    assert 8 * mib <= peak < 9 * mib


def test_relative_difference():
    reference = torch.tensor([[1.0, -4.0], [2.0, 0.5]])
    assert relative_difference(reference, reference) == 0
    assert relative_difference(reference, reference + 0.04) == (
        pytest.approx(0.01))
    with pytest.raises(ValueError, match='shapes differ'):
        relative_difference(reference, reference[0])


class _WithAuxiliary(torch.nn.Module):
    """A 'segmentor' whose auxiliary head only trains, sharing a layer."""

    def __init__(self):
        super().__init__()
        self.backbone = torch.nn.Conv2d(3, 4, 3)  # 112 parameters
        self.head = torch.nn.Conv2d(4, 2, 1)  # 10
        self.auxiliary = torch.nn.Sequential(
            torch.nn.Conv2d(4, 8, 1), self.head)  # 40 + the shared head

    def forward(self, inputs, mode='tensor'):
        return self.head(self.backbone(inputs))


def test_inference_parameters_skip_training_only_modules():
    model = _WithAuxiliary()
    assert sum(p.numel() for p in model.parameters()) == 162
    assert inference_parameters(model, torch.rand(1, 3, 8, 8)) == 122
    assert model.training  # the mode is restored

import pytest
import torch

import mmgas  # noqa: F401
from mmseg.registry import MODELS

CE = dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)
LOVASZ = dict(
    type='LovaszLoss',
    loss_type='multi_class',
    classes='present',
    per_image=False,
    reduction='none',
    loss_weight=1.0)


def _inputs():
    torch.manual_seed(0)
    logits = torch.randn(2, 2, 8, 12)
    labels = torch.randint(0, 2, (2, 8, 12))
    labels[:, :, -3:] = 255  # padding
    return logits, labels


def test_is_the_sum_of_its_losses_and_ignores_padding():
    logits, labels = _inputs()
    loss = MODELS.build(dict(type='SumOfLosses', losses=[CE, LOVASZ]))
    parts = [MODELS.build(cfg)(logits, labels, ignore_index=255)
             for cfg in (CE, LOVASZ)]
    torch.testing.assert_close(loss(logits, labels), parts[0] + parts[1])
    # padding pixels do not count: changing their logits changes nothing
    changed = logits.clone()
    changed[..., -3:] = 10.0
    torch.testing.assert_close(loss(changed, labels), loss(logits, labels))
    assert loss.loss_name == 'loss_sum'


def test_ignore_index_of_the_head_wins():
    logits, labels = _inputs()
    loss = MODELS.build(dict(type='SumOfLosses', losses=[CE]))
    labels[labels == 255] = 0
    expected = MODELS.build(CE)(logits, labels, ignore_index=1)
    torch.testing.assert_close(loss(logits, labels, ignore_index=1), expected)


def test_without_losses_fails_clearly():
    with pytest.raises(ValueError, match='at least one loss'):
        MODELS.build(dict(type='SumOfLosses', losses=[]))

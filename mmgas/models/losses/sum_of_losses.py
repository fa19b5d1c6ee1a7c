# Copyright (c) mmgas contributors. Licensed under the Apache License 2.0.
"""A loss that sums several mmseg losses on the same prediction."""
from typing import List, Optional

import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class SumOfLosses(nn.Module):
    """Sum of several losses evaluated on one prediction.

    mmseg's ``BaseDecodeHead`` already sums a list of ``loss_decode``
    configs, but heads with several outputs (``DDRHead``, ``PIDHead``) give
    each output one fixed position in that list. Wrapping a list here puts
    e.g. CE + Lovász on the main output of such a head, as the synthetic-set
    configs do for every model so that only the network differs.

    Args:
        losses (list[dict]): Loss configs built from the ``MODELS`` registry.
            Each is called with the arguments the head passes, so each must
            accept them (e.g. ``ignore_index`` where the head gives one).
        ignore_index (int, optional): Label ignored by every loss when the
            head does not pass one: ``DDRHead`` and ``PIDHead`` call their
            main-output loss without it, and mmseg's ``CrossEntropyLoss``
            would then count the padding label 255. None passes nothing.
            Defaults to 255.
        loss_name (str): Name of the summed term in the log; only used by
            heads that name terms after their losses. Defaults to
            'loss_sum'.

    Example:
        >>> loss = SumOfLosses([
        ...     dict(type='CrossEntropyLoss'),
        ...     dict(type='LovaszLoss', reduction='none')])
    """

    def __init__(self,
                 losses: List[dict],
                 ignore_index: Optional[int] = 255,
                 loss_name: str = 'loss_sum'):
        super().__init__()
        if not losses:
            raise ValueError('SumOfLosses needs at least one loss config')
        self.losses = nn.ModuleList(MODELS.build(cfg) for cfg in losses)
        self.ignore_index = ignore_index
        self._loss_name = loss_name

    def forward(self, *args, **kwargs) -> Tensor:
        """Sum of every loss called with ``*args, **kwargs``."""
        if self.ignore_index is not None:
            kwargs.setdefault('ignore_index', self.ignore_index)
        return sum(loss(*args, **kwargs) for loss in self.losses)

    @property
    def loss_name(self) -> str:
        return self._loss_name

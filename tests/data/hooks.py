"""Hooks that let tests crash a training run and inspect every rank."""
import os
import os.path as osp
import signal

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmseg.registry import HOOKS


@HOOKS.register_module()
class KillAtIterHook(Hook):
    """SIGKILL the process after iteration ``kill_at`` (1-based), after the
    checkpoint hook ran: a hard crash, nothing flushed or cleaned up."""

    priority = 'LOWEST'

    def __init__(self, kill_at):
        self.kill_at = kill_at

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


@HOOKS.register_module()
class DumpRankWeightsHook(Hook):
    """Save every rank's parameters to ``work_dir/rank{R}_params.pth``."""

    def after_train(self, runner):
        model = runner.model
        if is_model_wrapper(model):
            model = model.module
        params = {
            name: p.detach().cpu().clone()
            for name, p in model.named_parameters()
        }
        torch.save(params,
                   osp.join(runner.work_dir, f'rank{get_rank()}_params.pth'))

"""The CPU/gloo distributed shim: it sets up a process group only for a
distributed config without CUDA, and tears down only what it set up."""
import socket

import pytest
import torch
import torch.distributed as dist
from mmengine.config import Config

from mmgas.compat import (cpu_distributed, finish_cpu_distributed,
                          prepare_cpu_distributed)


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_not_distributed_is_a_no_op():
    cfg = Config(dict(launcher='none', env_cfg=dict()))
    assert prepare_cpu_distributed(cfg) is False
    assert 'model_wrapper_cfg' not in cfg
    assert finish_cpu_distributed() is False


def _single_process_group_env(monkeypatch):
    for key, value in dict(
            RANK='0', LOCAL_RANK='0', WORLD_SIZE='1',
            MASTER_ADDR='127.0.0.1', MASTER_PORT=str(_free_port())).items():
        monkeypatch.setenv(key, value)


@pytest.mark.skipif(
    torch.cuda.is_available(), reason='CPU set-up only; GPUs keep nccl')
def test_gloo_group_set_up_and_torn_down(monkeypatch):
    _single_process_group_env(monkeypatch)
    assert not dist.is_initialized()
    cfg = Config(dict(launcher='pytorch', env_cfg=dict()))
    try:
        assert prepare_cpu_distributed(cfg) is True
        assert dist.get_backend() == 'gloo'
        assert cfg.model_wrapper_cfg.device_ids is None
        assert cfg.env_cfg.dist_cfg.backend == 'gloo'
        assert finish_cpu_distributed() is True
        assert not dist.is_initialized()
        assert finish_cpu_distributed() is False
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()


@pytest.mark.skipif(
    torch.cuda.is_available(), reason='CPU set-up only; GPUs keep nccl')
def test_group_is_torn_down_when_the_run_raises(monkeypatch):
    _single_process_group_env(monkeypatch)
    cfg = Config(dict(launcher='pytorch', env_cfg=dict()))
    try:
        with pytest.raises(RuntimeError, match='run failed'):
            with cpu_distributed(cfg):
                assert dist.is_initialized()
                raise RuntimeError('run failed')
        assert not dist.is_initialized()
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()

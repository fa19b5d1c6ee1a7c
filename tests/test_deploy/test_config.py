"""mmgas.deploy.load_deploy_configs: the two configs of an mmdeploy run."""
import pytest
from mmengine.config import Config

from mmgas.deploy import load_deploy_configs
from ..helpers import REPO_ROOT

DEPLOY_CFG = str(REPO_ROOT /
                 'configs/deploy/segmentation_onnxruntime_static-256x192.py')
MODEL_CFG = str(REPO_ROOT /
                'configs/gasseg/gasseg-s_1xb16-120k_igs-256x192.py')


def test_loads_both_with_model_overrides():
    pytest.importorskip('mmdeploy')
    deploy_cfg, model_cfg = load_deploy_configs(
        DEPLOY_CFG, MODEL_CFG, {'model.backbone.scharr_mode': 'fixed'})
    assert isinstance(deploy_cfg, Config) and isinstance(model_cfg, Config)
    assert deploy_cfg.backend_config.type == 'onnxruntime'
    assert model_cfg.model.backbone.type == 'GasSeg'
    assert model_cfg.model.backbone.scharr_mode == 'fixed'


def test_missing_config_is_named(tmp_path):
    pytest.importorskip('mmdeploy')
    missing = tmp_path / 'no_such_deploy.py'
    with pytest.raises(FileNotFoundError, match='no_such_deploy.py'):
        load_deploy_configs(str(missing), MODEL_CFG)

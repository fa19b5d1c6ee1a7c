"""Loading the two configs of an mmdeploy run."""


def load_deploy_configs(deploy_cfg, model_cfg, cfg_options=None):
    """Load a deploy config and a model config for mmdeploy.

    Both files go through :func:`mmgas.utils.load_config` (a missing file
    is reported by path, with shipped configs of similar names) and then
    through mmdeploy's own ``load_config``, as its tools do.

    Args:
        deploy_cfg (str): Deploy config path.
        model_cfg (str): Model config path.
        cfg_options (dict, optional): Overrides of the model config
            (``--cfg-options``). Default: None.

    Returns:
        tuple[mmengine.Config, mmengine.Config]: ``(deploy_cfg, model_cfg)``.
    """
    from mmdeploy.utils import load_config as mmdeploy_load_config

    from mmgas.utils import load_config
    return mmdeploy_load_config(
        load_config(deploy_cfg), load_config(model_cfg, cfg_options))

"""Agreement between a PyTorch segmentor and its exported backend model.

Used by ``tools/deploy.py`` (and its tests) to state how faithful an export
is: pixel label agreement and the largest logit difference, measured on the
same preprocessed input at the network's input resolution.
"""
import copy

import torch


def segmentation_parity(torch_logits, backend_logits):
    """Compare two batches of segmentation logits.

    Args:
        torch_logits (Tensor): Reference logits, shape (N, C, H, W).
        backend_logits (Tensor): Logits of the exported model, same shape
            (a C = 1 output is treated as a sigmoid logit, as mmseg does).

    Returns:
        dict: ``label_agreement`` (percentage of pixels whose arg-max label
        is equal), ``max_abs_logit_diff``, ``max_abs_logit`` (of the
        reference) and ``rel_logit_diff`` (their ratio), all plain floats.

    Raises:
        ValueError: If the shapes differ.
    """
    torch_logits = torch_logits.detach().float().cpu()
    backend_logits = backend_logits.detach().float().cpu()
    if torch_logits.shape != backend_logits.shape:
        raise ValueError('logit shapes differ: PyTorch '
                         f'{tuple(torch_logits.shape)} vs backend '
                         f'{tuple(backend_logits.shape)}')
    if torch_logits.shape[1] == 1:
        torch_labels = torch_logits > 0
        backend_labels = backend_logits > 0
    else:
        torch_labels = torch_logits.argmax(dim=1)
        backend_labels = backend_logits.argmax(dim=1)
    agreement = (torch_labels == backend_labels).float().mean().item()
    max_diff = (torch_logits - backend_logits).abs().max().item()
    max_logit = torch_logits.abs().max().item()
    return dict(
        label_agreement=100.0 * agreement,
        max_abs_logit_diff=max_diff,
        max_abs_logit=max_logit,
        rel_logit_diff=max_diff / max(max_logit, 1e-12))


def sdk_model_config(model_cfg):
    """Return a copy of ``model_cfg`` that mmdeploy's SDK export accepts.

    mmdeploy's ``Segmentation.get_preprocess`` reads ``mean``/``std`` from
    the top-level ``data_preprocessor`` and fails when a config, like
    GasSeg's and GasViT's, normalises nothing. The identity normalisation
    (mean 0, std 1) written in their place describes exactly what those
    models' ``SegDataPreProcessor`` does. It also asserts that ``Resize``
    follows the loader, which a temporal config's history loading and
    encoding (before ``Resize``) break: they are left out of the copy, and
    :func:`~mmgas.deploy.add_input_encoding_to_sdk_pipeline` writes the
    encoding back into ``pipeline.json``.

    Args:
        model_cfg (mmengine.Config): The model config.

    Returns:
        mmengine.Config: A deep copy with ``mean``/``std`` filled in and
        ``Resize`` right after the loader.
    """
    cfg = copy.deepcopy(model_cfg)
    pipeline = cfg.get('test_pipeline') or []
    resize = next((i for i, t in enumerate(pipeline)
                   if t.get('type') == 'Resize'), None)
    if resize is not None and resize > 1:
        cfg.test_pipeline = [pipeline[0], *pipeline[resize:]]
    for holder in (cfg.get('data_preprocessor'),
                   cfg.model.get('data_preprocessor')):
        if holder is None:
            continue
        if holder.get('mean') is None:
            holder['mean'] = [0.0, 0.0, 0.0]
        if holder.get('std') is None:
            holder['std'] = [1.0, 1.0, 1.0]
    if cfg.get('data_preprocessor') is None:
        cfg['data_preprocessor'] = cfg.model.data_preprocessor
    return cfg


@torch.no_grad()
def pytorch_logits(model, inputs, data_samples):
    """Logits of an mmseg segmentor at the network's input resolution.

    Mirrors what mmdeploy exports (its ``BaseSegmentor.forward`` rewrite):
    ``img_shape`` is the input tensor's size and no crop or resize to the
    original image size is applied.

    Args:
        model (BaseSegmentor): The PyTorch model in eval mode.
        inputs (Tensor): Preprocessed batch, shape (N, 3, H, W).
        data_samples (list[SegDataSample]): Their data samples.

    Returns:
        Tensor: Logits of shape (N, num_classes, H, W).
    """
    metas = []
    for sample in data_samples:
        meta = dict(sample.metainfo)
        meta['img_shape'] = tuple(inputs.shape[2:])
        metas.append(meta)
    return model.inference(inputs, metas)

"""Which input encoding a model config uses, for code that preprocesses
frames outside mmseg's pipeline (exported models, benchmarks)."""
from .contrast_encoding import LocalContrastEncoding
from .temporal_encoding import TemporalEncoding

#: The encoding transforms, by type name.
ENCODINGS = (LocalContrastEncoding.__name__, TemporalEncoding.__name__)


def input_encoding(cfg):
    """The input encoding transform of a model config's test pipeline.

    An exported model's preprocessing must repeat it
    (:class:`mmgas.deploy.FramePreprocessor`).

    Args:
        cfg (mmengine.Config): The model config.

    Returns:
        dict | None: The ``LocalContrastEncoding`` or ``TemporalEncoding``
        transform config, or None without one.
    """
    pipeline = cfg.get('test_pipeline') or cfg.get('test_dataloader', {}).get(
        'dataset', {}).get('pipeline') or []
    for transform in pipeline:
        if transform.get('type') in ENCODINGS:
            return dict(transform)
    return None


def is_temporal(encoding):
    """Whether an encoding config (or None) needs the frame's history."""
    return bool(encoding) and encoding.get('type') == TemporalEncoding.__name__


def history_length(encoding):
    """Earlier frames an encoding config uses: 0 for a single-frame one."""
    if not is_temporal(encoding):
        return 0
    kwargs = {k: v for k, v in encoding.items() if k != 'type'}
    return TemporalEncoding(**kwargs).history_length

"""The numpy preprocessing of exported models repeats the config's test
pipeline and data preprocessor, input encoding included."""
import numpy as np
import pytest
import torch

from ..helpers import REPO_ROOT

SYNTHETIC_GASSEG = (REPO_ROOT /
                    'configs/gasseg/gasseg-s_1xb8-4k_synthetic-256x192.py')
IGS_GASSEG = REPO_ROOT / 'configs/gasseg/gasseg-s_1xb16-120k_igs-256x192.py'


def _pytorch_input(cfg, frame):
    """What the model receives in PyTorch: the test pipeline on an array,
    then the data preprocessor."""
    import mmgas  # noqa: F401
    from mmcv.transforms import Compose
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS

    from mmgas.apis.runtimes import test_pipeline_for_arrays
    init_default_scope('mmseg')
    packed = Compose(test_pipeline_for_arrays(cfg))(dict(img=frame))
    data_pre = MODELS.build(cfg.model.data_preprocessor)
    batch = data_pre(dict(inputs=[packed['inputs']],
                          data_samples=[packed['data_samples']]))
    return batch['inputs'].numpy()


# the synthetic configs test at 448x336, the IGS ones at 256x192 (h, w here)
@pytest.mark.parametrize('config,encoded,size_hw',
                         [(SYNTHETIC_GASSEG, True, (336, 448)),
                          (IGS_GASSEG, False, (192, 256))],
                         ids=['synthetic', 'igs'])
def test_frame_preprocessor_matches_the_test_pipeline(config, encoded,
                                                      size_hw):
    from mmgas.datasets.transforms import input_encoding
    from mmgas.deploy import FramePreprocessor
    from mmgas.utils import load_config
    cfg = load_config(str(config))
    assert (input_encoding(cfg) is not None) == encoded
    rng = np.random.default_rng(0)
    grey = rng.normal(120, 25, (192, 256)).clip(0, 255).astype(np.uint8)
    frame = np.repeat(grey[..., None], 3, axis=2)
    expected = _pytorch_input(cfg, frame)
    got = FramePreprocessor(cfg.model.data_preprocessor, size_hw,
                            input_encoding(cfg))(frame)
    assert got.shape == expected.shape == (1, 3, *size_hw)
    np.testing.assert_allclose(got, expected, atol=1e-5)
    # the three channels differ only when the config encodes its input
    assert (not np.allclose(got[0, 0], got[0, 1])) == encoded
    assert torch.from_numpy(got).dtype == torch.float32

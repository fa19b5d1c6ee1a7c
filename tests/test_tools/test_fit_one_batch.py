"""tools/analysis_tools/fit_one_batch.py: a working model fits one batch,
and the report is the IoU of that batch."""
import pytest
import torch

from ..helpers import REPO_ROOT, load_tool, write_tiny_gas_dataset

TOOL = 'tools/analysis_tools/fit_one_batch.py'
TINY = REPO_ROOT / 'tests' / 'data' / 'tiny_segmentor.py'
GASSEG_S = (REPO_ROOT / 'configs' / 'gasseg' /
            'gasseg-s_1xb8-4k_synthetic-256x192.py')


def _options(root):
    return ['--cfg-options', f'train_dataloader.dataset.data_root={root}']


def test_batch_iou_counts_only_labelled_pixels():
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    tool = load_tool(TOOL)
    labels = torch.tensor([[[0, 1], [1, 255]]])
    sample = SegDataSample(gt_sem_seg=PixelData(data=labels))
    logits = torch.zeros(1, 2, 2, 2)
    logits[0, 1, 0, 1] = 1  # gas at (0, 1) only; (1, 1) is ignored
    logits[0, 1, 1, 1] = 1
    background, gas = tool.batch_iou(logits, [sample], 2, 255)
    assert background == pytest.approx(100 / 2)  # (0,0) hit, (1,0) missed
    assert gas == pytest.approx(100 / 2)


def test_gasseg_fits_one_batch_and_a_frozen_one_does_not(tmp_path):
    root = write_tiny_gas_dataset(tmp_path / 'tiny', splits=(('train', 4), ))
    args = [str(GASSEG_S), '--batch', '4', '--iters', '60', '--threads', '1']
    tool = load_tool(TOOL)
    fitted = tool.main(args + _options(root))
    # blobs of +-40 grey levels on noise of 8: memorised in 60 AdamW steps
    background, gas = fitted['ious']
    assert gas > 80 and background > 95, fitted
    # the control: with lr 0 nothing is learnt and the report says so
    frozen = tool.main(args + _options(root) +
                       ['optim_wrapper.optimizer.lr=0'])
    assert frozen['ious'][1] < 50, frozen
    assert frozen['losses']['loss'] > 2 * fitted['losses']['loss']


def test_too_small_a_set_fails_clearly(tmp_path):
    root = write_tiny_gas_dataset(tmp_path / 'tiny', splits=(('train', 2), ))
    with pytest.raises(ValueError, match='2 samples, fewer than --batch 4'):
        load_tool(TOOL).main([str(TINY), '--batch', '4', *_options(root)])

"""End-to-end tests of tools/train.py, tools/test.py and dist_train.sh on a
seconds-fast segmentor (tests/data/tiny_segmentor.py)."""
import re

import pytest
import torch

from ..helpers import REPO_ROOT, run_tool

pytestmark = pytest.mark.slow

TINY_CONFIG = REPO_ROOT / 'tests' / 'data' / 'tiny_segmentor.py'


def write_config(tmp_path, data_root, name='cfg.py', **overrides):
    """A config inheriting the tiny segmentor with its data root moved and
    ``overrides`` (python source of top-level assignments) added."""
    lines = [
        f'_base_ = [{str(TINY_CONFIG)!r}]',
        f'_data = dict(data_root={str(data_root)!r})',
        'train_dataloader = dict(dataset=_data)',
        'val_dataloader = dict(dataset=_data)',
        'test_dataloader = dict(dataset=_data)',
    ] + [f'{key} = {value}' for key, value in overrides.items()]
    path = tmp_path / name
    path.write_text('\n'.join(lines) + '\n')
    return path


def final_params(checkpoint):
    state = torch.load(checkpoint, map_location='cpu', weights_only=False)
    return state['state_dict'], state


def test_train_test_and_init_model(tmp_path, tiny_dataset):
    config = write_config(tmp_path, tiny_dataset)
    work_dir = tmp_path / 'work'
    run_tool(['tools/train.py', config, '--work-dir', work_dir])
    checkpoint = work_dir / 'iter_8.pth'
    assert checkpoint.is_file()

    result = run_tool([
        'tools/test.py', config, checkpoint, '--work-dir', tmp_path / 'test'
    ])
    output = result.stdout + result.stderr
    assert re.search(r'mIoU: \d+\.\d+', output), output[-2000:]
    assert 'mFscore' in output

    # weights of another model: refused with the key named, not evaluated
    saved, state = final_params(checkpoint)
    state['state_dict'] = {
        k: v for k, v in saved.items() if k != 'decode_head.conv_seg.bias'
    }
    wrong = tmp_path / 'wrong_keys.pth'
    torch.save(state, wrong)
    result = run_tool(['tools/test.py', config, wrong, '--work-dir',
                       tmp_path / 'test_wrong'], check=False)
    assert result.returncode != 0
    assert 'CheckpointMismatchError' in result.stderr
    assert 'missing keys (1): decode_head.conv_seg.bias' in result.stderr

    # a full runner checkpoint loads through mmgas's weights-only loader
    import mmgas  # noqa: F401
    from mmseg.apis import init_model
    model = init_model(str(config), str(checkpoint), device='cpu')
    saved, _ = final_params(checkpoint)
    assert torch.equal(model.state_dict()['decode_head.conv_seg.weight'],
                       saved['decode_head.conv_seg.weight'])


def test_resume_after_hard_kill_matches_uninterrupted_run(
        tmp_path, tiny_dataset):
    config = write_config(tmp_path, tiny_dataset)
    reference_dir = tmp_path / 'reference'
    run_tool(['tools/train.py', config, '--work-dir', reference_dir])

    crash_config = write_config(
        tmp_path, tiny_dataset, name='crash.py',
        custom_hooks="[dict(type='KillAtIterHook', kill_at=5)]")
    work_dir = tmp_path / 'crashed'
    crashed = run_tool(['tools/train.py', crash_config, '--work-dir',
                        work_dir], check=False)
    assert crashed.returncode != 0  # SIGKILLed after iteration 5
    assert (work_dir / 'iter_4.pth').is_file()
    assert not (work_dir / 'iter_6.pth').exists()

    resumed = run_tool(
        ['tools/train.py', config, '--work-dir', work_dir, '--resume'])
    log = resumed.stdout + resumed.stderr
    assert 'resumed epoch: 0, iter: 4' in log
    # iterations 1-4 are not trained again
    assert 'Iter(train) [5/8]' in log and 'Iter(train) [1/8]' not in log

    expected, expected_ckpt = final_params(reference_dir / 'iter_8.pth')
    actual, actual_ckpt = final_params(work_dir / 'iter_8.pth')
    for key in expected:
        torch.testing.assert_close(actual[key], expected[key])
    # optimizer state and LR schedule continued where they stopped
    assert (actual_ckpt['param_schedulers'] ==
            expected_ckpt['param_schedulers'])
    for group_a, group_b in zip(actual_ckpt['optimizer']['param_groups'],
                                expected_ckpt['optimizer']['param_groups']):
        assert group_a['lr'] == pytest.approx(group_b['lr'])
    momentum_a = actual_ckpt['optimizer']['state'][0]['momentum_buffer']
    momentum_b = expected_ckpt['optimizer']['state'][0]['momentum_buffer']
    torch.testing.assert_close(momentum_a, momentum_b)


def test_dist_train_two_processes_identical_weights(tmp_path, tiny_dataset):
    config = write_config(
        tmp_path, tiny_dataset,
        custom_hooks="[dict(type='DumpRankWeightsHook')]",
        train_cfg='dict(max_iters=4, val_interval=4)')
    work_dir = tmp_path / 'dist'
    result = run_tool(
        ['tools/dist_train.sh', config, '2', '--work-dir', work_dir],
        timeout=600)
    log = result.stdout + result.stderr
    assert 'Distributed training: True' in log or 'distributed: True' in log
    assert 'gloo' in log or torch.cuda.is_available()
    rank0 = torch.load(work_dir / 'rank0_params.pth')
    rank1 = torch.load(work_dir / 'rank1_params.pth')
    assert rank0.keys() == rank1.keys()
    for key in rank0:
        torch.testing.assert_close(rank0[key], rank1[key], rtol=0, atol=0)
    # the ranks really trained (weights moved away from the checkpoint at
    # iteration 2)
    early, _ = final_params(work_dir / 'iter_2.pth')
    assert not torch.equal(early['decode_head.conv_seg.weight'],
                           rank0['decode_head.conv_seg.weight'])


def test_wrong_config_path_names_it(tmp_path):
    result = run_tool(['tools/train.py', 'configs/gasseg/no-such-config.py'],
                      check=False)
    assert result.returncode != 0
    assert 'no-such-config.py' in result.stderr
    assert 'config file not found' in result.stderr


def test_missing_data_root_names_it(tmp_path):
    missing = tmp_path / 'not-there'
    config = write_config(tmp_path, missing)
    result = run_tool(
        ['tools/train.py', config, '--work-dir', tmp_path / 'w'], check=False)
    assert result.returncode != 0
    assert str(missing) in result.stderr


def test_empty_dataset_names_path_and_suffix(tmp_path):
    empty = tmp_path / 'empty'
    for sub in ('img_dir/train', 'ann_dir/train', 'img_dir/val',
                'ann_dir/val'):
        (empty / sub).mkdir(parents=True)
    config = write_config(tmp_path, empty)
    result = run_tool(
        ['tools/train.py', config, '--work-dir', tmp_path / 'w'], check=False)
    assert result.returncode != 0
    assert str(empty / 'img_dir' / 'train') in result.stderr
    assert '.png' in result.stderr

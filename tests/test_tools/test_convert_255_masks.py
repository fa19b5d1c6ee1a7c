"""tools/dataset_converters/convert_255_masks.py turns 0/255 masks into
0/1 in place or into a mirrored directory, leaves 0/1 masks alone, refuses
anti-aliased masks unless given --threshold, and the result loads in
GasDataset."""
from pathlib import Path

import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

import mmgas  # noqa: F401
from mmgas.datasets import GasDataset
from ..helpers import load_tool, run_tool, write_tiny_gas_dataset

TOOL = Path(__file__).parents[2] / 'tools' / 'dataset_converters' / \
    'convert_255_masks.py'


def _load_tool():
    return load_tool(TOOL)


def to_255(ann_dir):
    originals = {}
    for path in sorted(Path(ann_dir).rglob('*.png')):
        m = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        originals[path.relative_to(ann_dir)] = m
        cv2.imwrite(str(path), m * 255)
    return originals


@pytest.fixture
def tiny(tmp_path):
    return write_tiny_gas_dataset(tmp_path / 'tiny')


def test_in_place(tiny):
    tool = _load_tool()
    originals = to_255(tiny / 'ann_dir')
    counts = tool.convert_dir(str(tiny / 'ann_dir'), log=lambda *a: None)
    assert counts == dict(converted=8, unchanged=0)
    for rel, m in originals.items():
        np.testing.assert_array_equal(
            cv2.imread(str(tiny / 'ann_dir' / rel), cv2.IMREAD_UNCHANGED), m)
    init_default_scope('mmseg')
    ds = GasDataset(data_root=str(tiny), data_prefix=dict(
        img_path='img_dir/train', seg_map_path='ann_dir/train'))
    assert len(ds) == 6
    # idempotent: a second run finds 0/1 masks
    assert tool.convert_dir(str(tiny / 'ann_dir'), log=lambda *a: None) == \
        dict(converted=0, unchanged=8)


def test_to_new_directory_mirrors_tree(tiny, tmp_path):
    tool = _load_tool()
    originals = to_255(tiny / 'ann_dir')
    out = tmp_path / 'converted'
    tool.convert_dir(str(tiny / 'ann_dir'), str(out), log=lambda *a: None)
    for rel, m in originals.items():
        np.testing.assert_array_equal(
            cv2.imread(str(out / rel), cv2.IMREAD_UNCHANGED), m)
        # the input is untouched
        assert cv2.imread(str(tiny / 'ann_dir' / rel),
                          cv2.IMREAD_UNCHANGED).max() in (0, 255)
    assert not list(out.rglob('*.tmp.png'))


def test_convert_mask_rules():
    tool = _load_tool()
    m = np.array([[0, 255], [255, 0]], np.uint8)
    new, changed = tool.convert_mask(m)
    assert changed and new.tolist() == [[0, 1], [1, 0]]
    # already 0/1 (255 = ignore kept)
    m01 = np.array([[0, 1], [255, 0]], np.uint8)
    new, changed = tool.convert_mask(m01)
    assert not changed and new.tolist() == m01.tolist()
    # grey replicated over 3 channels
    new, changed = tool.convert_mask(np.repeat(m[..., None], 3, axis=2))
    assert changed and new.ndim == 2 and new.max() == 1
    # anti-aliased: refused, unless thresholded
    aa = np.array([[0, 128], [255, 30]], np.uint8)
    with pytest.raises(tool.MaskError, match='--threshold'):
        tool.convert_mask(aa)
    new, _ = tool.convert_mask(aa, threshold=128)
    assert new.tolist() == [[0, 1], [1, 0]]


def test_cli(tiny, tmp_path):
    to_255(tiny / 'ann_dir')
    path = sorted((tiny / 'ann_dir' / 'val').glob('*.png'))[0]
    m = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    m[0, 0] = 77
    cv2.imwrite(str(path), m)
    bad = run_tool([TOOL, tiny / 'ann_dir'], check=False)
    assert bad.returncode == 1
    assert path.name in bad.stderr and '--threshold' in bad.stderr
    ok = run_tool([TOOL, tiny / 'ann_dir', tmp_path / 'out', '--threshold',
                   '128'])
    assert '8 masks converted' in ok.stdout
    missing = run_tool([TOOL, tmp_path / 'nope'], check=False)
    assert missing.returncode == 1 and 'nope' in missing.stderr


def test_palette_masks_are_read_as_indices(tiny):
    """Palette PNGs (VOC-style tools) are decoded as mmseg decodes them:
    indices 0/1 are already converted, indices 0/255 are converted."""
    from PIL import Image
    tool = _load_tool()
    paths = sorted((tiny / 'ann_dir' / 'train').glob('*.png'))
    for k, path in enumerate(paths):
        labels = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        image = Image.fromarray(labels * (255 if k % 2 else 1), mode='P')
        image.putpalette([0, 0, 0] + [255, 0, 0] * 255)
        image.save(path)
    counts = tool.convert_dir(str(tiny / 'ann_dir' / 'train'))
    assert counts == dict(converted=len(paths) // 2,
                          unchanged=len(paths) - len(paths) // 2)
    assert not list((tiny / 'ann_dir').rglob('*.partial'))


def test_threshold_outside_grey_levels_is_refused(tiny):
    bad = run_tool([TOOL, tiny / 'ann_dir', '--threshold', '0'], check=False)
    assert bad.returncode == 2 and '1..255' in bad.stderr

"""COCO gas boxes derived from masks (mmgas.datasets.synthetic.coco) and
the generator's ``--coco`` flag, on a fresh and on an existing set."""
import json

import cv2
import numpy as np
import pytest

from mmgas.datasets.synthetic import generate_dataset
from mmgas.datasets.synthetic.coco import masks_to_coco, write_coco_annotations
from mmgas.utils.regions import connected_regions
from ..helpers import run_tool, write_tiny_gas_dataset


def test_one_box_per_region_and_tiny_regions_dropped(tmp_path):
    (tmp_path / 'img').mkdir()
    (tmp_path / 'ann').mkdir()
    mask = np.zeros((30, 40), np.uint8)
    mask[2:8, 3:13] = 1        # 6 x 10 region
    mask[20:29, 30:32] = 1     # 9 x 2 region, 18 px
    mask[20:21, 30:34] = 1     # joins it (8-connected), 2 more px
    mask[15:18, 15:18] = 1     # 9 px: under the default 16
    mask[0:10, 35:40] = 255    # ignore, not gas
    cv2.imwrite(str(tmp_path / 'ann' / 'f.png'), mask)
    cv2.imwrite(str(tmp_path / 'img' / 'f.png'), mask * 0)
    coco = masks_to_coco(str(tmp_path / 'img'), str(tmp_path / 'ann'))
    assert coco['images'] == [
        dict(id=1, file_name='f.png', width=40, height=30)
    ]
    assert [a['bbox'] for a in coco['annotations']] == [[3, 2, 10, 6],
                                                        [30, 20, 4, 9]]
    assert [a['area'] for a in coco['annotations']] == [60, 20]
    assert [a['id'] for a in coco['annotations']] == [1, 2]
    assert coco['categories'][0]['name'] == 'gas'
    small = masks_to_coco(str(tmp_path / 'img'), str(tmp_path / 'ann'),
                          min_area=1)
    assert len(small['annotations']) == 3

    (tmp_path / 'img' / 'f.png').unlink()
    with pytest.raises(FileNotFoundError, match=r'ann/f\.png has no image'):
        masks_to_coco(str(tmp_path / 'img'), str(tmp_path / 'ann'))


def test_write_coco_annotations_matches_the_masks(tmp_path):
    root = write_tiny_gas_dataset(tmp_path / 'tiny')
    written = write_coco_annotations(str(root), log=lambda m: None)
    assert sorted(written) == ['train', 'val']  # no test split in the set
    coco = json.loads((root / 'annotations' / 'instances_train.json')
                      .read_text())
    assert len(coco['images']) == 6
    for image in coco['images']:
        mask = cv2.imread(str(root / 'ann_dir' / 'train' / image['file_name']),
                          cv2.IMREAD_UNCHANGED)
        boxes = [a['bbox'] for a in coco['annotations']
                 if a['image_id'] == image['id']]
        expected = connected_regions(mask == 1).boxes.tolist()
        assert boxes == expected and len(boxes) == 1
    with pytest.raises(FileNotFoundError, match='nothing to annotate'):
        write_coco_annotations(str(tmp_path / 'none'), log=lambda m: None)


def test_generator_cli_coco_on_existing_set(tmp_path):
    out = tmp_path / 'syn'
    params = dict(num_train=3, num_val=1, num_test=0, size=(64, 48),
                  workers=1, log=lambda m: None)
    generate_dataset(str(out), **params)
    assert not (out / 'annotations').exists()
    # the generating command with --coco keeps the set and adds the boxes
    result = run_tool([
        'tools/dataset_converters/generate_synthetic_gas.py', '--out', out,
        '--num-train', 3, '--num-val', 1, '--num-test', 0, '--num-heldout',
        0, '--size', '64x48', '--workers', 1, '--coco'
    ])
    assert 'nothing to do' in result.stdout
    train = json.loads((out / 'annotations' / 'instances_train.json')
                       .read_text())
    assert [i['file_name'] for i in train['images']] == [
        f'train_{i:06d}.png' for i in range(3)
    ]
    assert (out / 'annotations' / 'instances_val.json').is_file()
    assert not (out / 'annotations' / 'instances_test.json').exists()
    # regenerating with other parameters removes the stale boxes
    generate_dataset(str(out), seed=1, overwrite=True, **params)
    assert not (out / 'annotations').exists()

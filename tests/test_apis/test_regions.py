"""mmgas.apis.regions: per-frame records of predicted gas masks."""
import numpy as np

from mmgas.apis import frame_record, gas_regions


def test_regions_boxes_and_confidence():
    mask = np.zeros((20, 30), bool)
    mask[2:6, 3:11] = True  # 32 px
    mask[10:19, 20:29] = True  # 81 px
    mask[0, 29] = True  # a 1-px speck
    prob = np.where(mask, 0.9, 0.1).astype(np.float32)
    prob[10:19, 20:29] = 0.6
    regions, kept = gas_regions(mask, prob, min_area=2)
    assert [r['area'] for r in regions] == [81, 32]  # largest first
    assert regions[0]['box'] == [20, 10, 9, 9]  # COCO x, y, w, h
    assert regions[1]['box'] == [3, 2, 8, 4]
    assert regions[0]['mean_confidence'] == 0.6
    assert regions[1]['mean_confidence'] == 0.9
    assert not kept[0, 29] and kept.sum() == 113


def test_frame_record():
    mask = np.zeros((10, 10), bool)
    mask[:5, :4] = True
    prob = np.full((10, 10), 0.2, np.float32)
    prob[:5, :4] = np.linspace(0.6, 1.0, 20).reshape(5, 4)
    record, kept = frame_record(mask, prob, min_region_area=0)
    assert record['gas_area'] == 20 and record['num_regions'] == 1
    assert record['gas_fraction'] == 0.2
    assert record['mean_confidence'] == 0.8
    assert (kept == mask).all()
    # speckle below the default minimum region area is dropped
    record, kept = frame_record(mask)
    assert record['gas_area'] == 20
    small = np.zeros((10, 10), bool)
    small[0, :3] = True
    record, kept = frame_record(small, prob)
    assert record == dict(
        gas_area=0,
        gas_fraction=0.0,
        mean_confidence=None,
        num_regions=0,
        regions=[])
    assert not kept.any()

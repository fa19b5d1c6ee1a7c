"""mmgas.utils.regions: connected regions of a mask, their boxes and the
mean of a per-pixel map over each of them."""
import numpy as np
import pytest

from mmgas.utils.regions import connected_regions, region_means


def test_region_means_per_region_in_box_order():
    mask = np.zeros((20, 30), bool)
    prob = np.zeros((20, 30))
    mask[2:6, 3:11] = True  # 32 px, first in raster order
    prob[2:6, 3:11] = 0.9
    mask[10:19, 20:29] = True  # 81 px, half 0.2 and half-ish 0.8
    prob[10:19, 20:29] = 0.2
    prob[10:19, 20:24] = 0.8
    regions = connected_regions(mask, min_area=1)
    assert regions.boxes.tolist() == [[3, 2, 8, 4], [20, 10, 9, 9]]
    means = region_means(regions, prob)
    assert means.dtype == np.float64
    np.testing.assert_allclose(means, [0.9, (36 * 0.8 + 45 * 0.2) / 81])


def test_region_means_without_regions_and_bad_shape():
    regions = connected_regions(np.zeros((8, 8), np.uint8))
    assert region_means(regions, np.ones((8, 8))).shape == (0, )
    with pytest.raises(ValueError, match=r'\(8, 8\).*\(8, 9\)'):
        region_means(regions, np.ones((8, 9)))

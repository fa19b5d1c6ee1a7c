"""Connected regions of a binary mask, as boxes.

One definition serves both directions of the box workflow, so that ground
truth and predictions are boxed the same way: the synthetic generator's
COCO writer boxes the gas regions of its masks
(:mod:`mmgas.datasets.synthetic.coco`), :class:`~mmgas.evaluation.
BoxAPMetric` boxes the gas regions a segmentor predicts, and
:mod:`mmgas.apis.regions` boxes them for ``tools/infer.py``'s records. The
last two score a region by its mean gas probability (:func:`region_means`).
"""
from typing import NamedTuple

import cv2
import numpy as np

#: Regions smaller than this many pixels are dropped by default: a 4x4
#: speck is below what an annotator boxes, and on a 320x240 frame it is
#: 0.02 % of the image.
DEFAULT_MIN_REGION_AREA = 16


class Regions(NamedTuple):
    """Connected regions of a mask.

    Attributes:
        boxes (np.ndarray): (N, 4) float64 boxes ``[x, y, w, h]`` in pixels,
            COCO's convention: the box covers columns ``x .. x + w - 1``.
        areas (np.ndarray): (N, ) int64 pixel counts of the regions.
        label_map (np.ndarray): (H, W) int32 map, 0 outside the kept
            regions and ``i + 1`` on region ``i``.
    """
    boxes: np.ndarray
    areas: np.ndarray
    label_map: np.ndarray


def connected_regions(mask, min_area=DEFAULT_MIN_REGION_AREA, connectivity=8):
    """Split a binary mask into connected regions and box each one.

    Args:
        mask (np.ndarray): (H, W) mask; non-zero pixels are foreground.
        min_area (int): Regions with fewer pixels are dropped (and are 0 in
            ``label_map``). Default: :data:`DEFAULT_MIN_REGION_AREA` (16).
        connectivity (int): 8 (diagonal neighbours join a region) or 4.
            Default: 8.

    Returns:
        Regions: Boxes, areas and label map of the kept regions, ordered
        by their first pixel in raster order.
    """
    if mask.ndim != 2:
        raise ValueError(f'expected an (H, W) mask, got shape {mask.shape}')
    if connectivity not in (4, 8):
        raise ValueError(f'connectivity must be 4 or 8, not {connectivity}')
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        (mask != 0).astype(np.uint8), connectivity=connectivity,
        ltype=cv2.CV_32S)
    # row 0 of stats is the background
    stats = stats[1:count].astype(np.int64)
    keep = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] >= min_area)
    # relabel so that the kept regions are 1..K and dropped ones vanish
    lut = np.zeros(count, np.int32)
    lut[keep + 1] = np.arange(1, keep.size + 1, dtype=np.int32)
    kept = stats[keep]
    boxes = kept[:, [cv2.CC_STAT_LEFT, cv2.CC_STAT_TOP, cv2.CC_STAT_WIDTH,
                     cv2.CC_STAT_HEIGHT]].astype(np.float64)
    return Regions(
        boxes=boxes.reshape(-1, 4),
        areas=kept[:, cv2.CC_STAT_AREA].copy(),
        label_map=lut[labels])


def region_means(regions, values):
    """Mean of a per-pixel map over each region, e.g. a region's mean gas
    probability (its detection score).

    Args:
        regions (Regions): Regions from :func:`connected_regions`.
        values (np.ndarray): (H, W) map, the shape of ``regions.label_map``.

    Returns:
        np.ndarray: (N, ) float64 means, in the order of ``regions.boxes``.
    """
    values = np.asarray(values, np.float64)
    if values.shape != regions.label_map.shape:
        raise ValueError(f'expected an {regions.label_map.shape} map of '
                         f'values for the regions, got shape {values.shape}')
    # sums over all regions in one pass; label 0 (no region) is dropped
    sums = np.bincount(
        regions.label_map.ravel(),
        weights=values.ravel(),
        minlength=len(regions.areas) + 1)[1:]
    return sums / regions.areas

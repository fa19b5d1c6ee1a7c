"""Per-frame record of a predicted gas mask: regions, boxes, confidence.

The record that ``tools/infer.py`` writes as one JSON line per frame. The
regions and boxes come from :func:`mmgas.utils.regions.connected_regions`,
the definition the box metric and the synthetic COCO writer use too, so a
box here means the same as a box there (COCO ``[x, y, w, h]``); a region's
confidence is :func:`~mmgas.utils.regions.region_means` of the gas
probability, the box metric's detection score.
"""
import numpy as np

from mmgas.utils.regions import (DEFAULT_MIN_REGION_AREA, connected_regions,
                                 region_means)


def gas_regions(mask, gas_prob=None, min_area=DEFAULT_MIN_REGION_AREA):
    """Connected gas regions of a mask, largest first.

    Args:
        mask (np.ndarray): ``H x W`` bool or 0/1 gas mask.
        gas_prob (np.ndarray, optional): ``H x W`` gas probability (0-1),
            for each region's mean confidence. Default: None.
        min_area (int): Regions with fewer pixels are dropped (speckle).
            Default: :data:`~mmgas.utils.regions.DEFAULT_MIN_REGION_AREA`.

    Returns:
        tuple[list[dict], np.ndarray]: The regions, each ``dict(box=[x, y,
        w, h], area=int, mean_confidence=float or None)`` (COCO box: it
        covers columns ``x .. x + w - 1``), and the ``H x W`` bool mask of
        the kept regions.
    """
    regions = connected_regions(np.asarray(mask), min_area=min_area)
    conf = [None] * len(regions.areas)
    if gas_prob is not None:
        conf = [round(float(m), 4) for m in region_means(regions, gas_prob)]
    out = [
        dict(box=[int(v) for v in box], area=int(area), mean_confidence=c)
        for box, area, c in zip(regions.boxes, regions.areas, conf)
    ]
    out.sort(key=lambda r: -r['area'])
    return out, regions.label_map > 0


def frame_record(mask, gas_prob=None, min_region_area=DEFAULT_MIN_REGION_AREA):
    """Summarise one frame's prediction.

    Args:
        mask (np.ndarray): ``H x W`` gas mask.
        gas_prob (np.ndarray, optional): ``H x W`` gas probability.
        min_region_area (int): ``min_area`` of :func:`gas_regions`.
            Default: :data:`~mmgas.utils.regions.DEFAULT_MIN_REGION_AREA`.

    Returns:
        tuple[dict, np.ndarray]: ``dict(gas_area, gas_fraction,
        mean_confidence, num_regions, regions)`` and the mask of the kept
        regions. ``gas_area`` counts the pixels of the kept regions;
        ``mean_confidence`` is the mean gas probability over them (None
        without gas or without ``gas_prob``).
    """
    regions, kept = gas_regions(mask, gas_prob, min_region_area)
    area = int(kept.sum())
    mean_conf = None
    if gas_prob is not None and area:
        mean_conf = round(float(np.asarray(gas_prob)[kept].mean()), 4)
    record = dict(
        gas_area=area,
        gas_fraction=round(area / kept.size, 6),
        mean_confidence=mean_conf,
        num_regions=len(regions),
        regions=regions)
    return record, kept

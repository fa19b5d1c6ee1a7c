"""Training masks from gas boxes.

Box-labelled infrared gas sets (IIG, most collections users own) say where
a plume is, not which pixels are gas. :class:`LoadBoxAnnotationsAsMask`
turns the boxes that :class:`~mmgas.datasets.IIGDataset` carries in the data
info into the ``gt_seg_map`` mmseg's transforms, losses and metrics expect,
so no mask files are written. A plume never fills its box, so a band inside
each box border can be marked ignore (255) instead of gas: the pixels that
are least likely to be gas then neither count as gas nor as background.
"""
import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS


def _band_width(width, height, ignore_band, ignore_band_ratio):
    """Ignore band of one box in whole pixels, leaving a core >= 1 px."""
    band = max(float(ignore_band), ignore_band_ratio * min(width, height))
    band = int(round(band))
    return max(0, min(band, (min(width, height) - 1) // 2))


def rasterize_boxes(boxes,
                    shape,
                    ignore_band=0,
                    ignore_band_ratio=0.,
                    gas_label=1,
                    ignore_index=255):
    """Paint boxes into a label map.

    A pixel belongs to a box when it touches it: box ``[x1, y1, x2, y2]``
    covers columns ``floor(x1) .. ceil(x2) - 1`` (at least one), so an
    integer COCO box ``[x, y, w, h]`` covers exactly ``w`` x ``h`` pixels.
    With a band, the outer ``b`` pixels of each box become ``ignore_index``
    and its core ``gas_label``; where boxes overlap, a core beats a band
    (the band of one box inside another box's core stays gas) and a band
    beats background.

    Args:
        boxes (np.ndarray): (N, 4) boxes ``[x1, y1, x2, y2]`` in pixels.
        shape (tuple[int, int]): (H, W) of the label map.
        ignore_band (int): Band width in pixels. Default: 0.
        ignore_band_ratio (float): Band width as a fraction of each box's
            shorter side; the band is the larger of the two. Default: 0.
        gas_label (int): Label of gas pixels. Default: 1.
        ignore_index (int): Label of the band. Default: 255.

    Returns:
        np.ndarray: (H, W) uint8 label map, 0 = background.
    """
    if ignore_band < 0 or not 0 <= ignore_band_ratio < 0.5:
        raise ValueError(
            'ignore_band must be >= 0 and ignore_band_ratio in [0, 0.5), '
            f'got {ignore_band} and {ignore_band_ratio}')
    h, w = shape
    seg_map = np.zeros((h, w), np.uint8)
    cores = []
    for x1, y1, x2, y2 in np.asarray(boxes, np.float64).reshape(-1, 4):
        c1 = min(max(int(np.floor(x1)), 0), w - 1)
        r1 = min(max(int(np.floor(y1)), 0), h - 1)
        c2 = min(max(int(np.ceil(x2)), c1 + 1), w)
        r2 = min(max(int(np.ceil(y2)), r1 + 1), h)
        band = _band_width(c2 - c1, r2 - r1, ignore_band, ignore_band_ratio)
        if band:
            box = seg_map[r1:r2, c1:c2]
            box[box == 0] = ignore_index
        cores.append((r1 + band, r2 - band, c1 + band, c2 - band))
    for r1, r2, c1, c2 in cores:
        seg_map[r1:r2, c1:c2] = gas_label
    return seg_map


@TRANSFORMS.register_module()
class LoadBoxAnnotationsAsMask(BaseTransform):
    """Rasterise the gas boxes of a sample into ``gt_seg_map``.

    Put it where ``LoadAnnotations`` would be, right after
    ``LoadImageFromFile``: the boxes are in the coordinates of the image as
    loaded, so a resize or crop before it is refused.

    Required Keys:

    - gt_boxes (np.ndarray): (N, 4) ``[x1, y1, x2, y2]`` in pixels, set by
      :class:`~mmgas.datasets.IIGDataset`.
    - img_shape, ori_shape

    Added Keys:

    - gt_seg_map (np.uint8): 0 background, ``gas_label`` gas,
      ``ignore_index`` in the ignore band.
    - seg_fields

    Args:
        ignore_band (int): Width in pixels of the band inside each box
            border that is marked ``ignore_index``. Default: 0 (filled
            boxes).
        ignore_band_ratio (float): The same as a fraction of each box's
            shorter side, in [0, 0.5); the wider of the two bands is used,
            and every box keeps a core of at least one pixel. Default: 0.
        gas_label (int): Label of the box cores. Default: 1.
        ignore_index (int): Label of the band. Default: 255.
    """

    def __init__(self,
                 ignore_band=0,
                 ignore_band_ratio=0.,
                 gas_label=1,
                 ignore_index=255):
        # validates the band arguments once, at pipeline build time
        rasterize_boxes(np.zeros((0, 4)), (1, 1), ignore_band,
                        ignore_band_ratio)
        self.ignore_band = ignore_band
        self.ignore_band_ratio = ignore_band_ratio
        self.gas_label = gas_label
        self.ignore_index = ignore_index

    def transform(self, results):
        if 'gt_boxes' not in results:
            raise KeyError(
                f'{type(self).__name__} needs the "gt_boxes" of the data '
                f'info (image {results.get("img_path")}); use it with '
                'IIGDataset, which carries the boxes of each image')
        shape = tuple(results['img_shape'][:2])
        if shape != tuple(results['ori_shape'][:2]):
            raise RuntimeError(
                f'{type(self).__name__} got an image resized from '
                f'{results["ori_shape"][:2]} to {shape}: put it right after '
                'LoadImageFromFile, before any geometric transform')
        results['gt_seg_map'] = rasterize_boxes(
            results['gt_boxes'], shape, self.ignore_band,
            self.ignore_band_ratio, self.gas_label, self.ignore_index)
        results.setdefault('seg_fields', []).append('gt_seg_map')
        return results

    def __repr__(self):
        return (f'{type(self).__name__}(ignore_band={self.ignore_band}, '
                f'ignore_band_ratio={self.ignore_band_ratio}, '
                f'gas_label={self.gas_label}, '
                f'ignore_index={self.ignore_index})')

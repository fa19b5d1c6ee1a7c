"""COCO box annotations for a set written in the mmseg layout.

Derives one gas box per connected gas region of each mask (8-connected,
pixels labelled 1; regions under ``min_area`` pixels are dropped, see
:data:`~mmgas.utils.regions.DEFAULT_MIN_REGION_AREA`) and writes, per split::

    annotations/instances_<split>.json

a COCO instances file whose ``file_name`` are relative to
``img_dir/<split>``, read by :class:`~mmgas.datasets.IIGDataset`. This is
how the synthetic generator's sets (``generate_synthetic_gas.py --coco``)
become box-labelled data, so box training and the box metric can be run
and tested without real data; it works on any ``img_dir``/``ann_dir`` set
with 0/1 masks (IGS too).
"""
import json
import os
import os.path as osp

import cv2

from mmgas.utils.regions import DEFAULT_MIN_REGION_AREA, connected_regions

SPLITS = ('train', 'val', 'test')
CATEGORIES = [dict(id=1, name='gas', supercategory='gas')]


def masks_to_coco(img_dir,
                  ann_dir,
                  min_area=DEFAULT_MIN_REGION_AREA,
                  gas_label=1,
                  img_suffix='.png',
                  seg_map_suffix='.png'):
    """A COCO instances dict with the boxes of the gas regions of masks.

    Args:
        img_dir (str): Directory of the images (``file_name`` is relative
            to it).
        ann_dir (str): Directory of the masks, same names as the images.
        min_area (int): Regions with fewer pixels get no box.
            Default: 16.
        gas_label (int): Mask value of gas (255 = ignore is not gas).
            Default: 1.
        img_suffix (str): Image suffix. Default: ``'.png'``.
        seg_map_suffix (str): Mask suffix. Default: ``'.png'``.

    Returns:
        dict: ``info``, ``images`` (ids from 1, in file-name order),
        ``annotations`` (``bbox`` ``[x, y, w, h]``, ``area`` = the region's
        pixel count) and ``categories`` (one: gas).

    Raises:
        FileNotFoundError: No mask in ``ann_dir``, or a mask without its
            image.
        ValueError: A mask that cannot be read.
    """
    names = sorted(
        f for f in os.listdir(ann_dir) if f.endswith(seg_map_suffix))
    if not names:
        raise FileNotFoundError(
            f'no masks ending in {seg_map_suffix!r} in {ann_dir}')
    images, annotations = [], []
    for image_id, name in enumerate(names, 1):
        file_name = name[:-len(seg_map_suffix)] + img_suffix
        if not osp.isfile(osp.join(img_dir, file_name)):
            raise FileNotFoundError(
                f'mask {osp.join(ann_dir, name)} has no image '
                f'{osp.join(img_dir, file_name)}')
        mask = cv2.imread(osp.join(ann_dir, name), cv2.IMREAD_GRAYSCALE)
        if mask is None:
            raise ValueError(f'cannot read mask {osp.join(ann_dir, name)}')
        height, width = mask.shape
        images.append(
            dict(id=image_id, file_name=file_name, width=width,
                 height=height))
        regions = connected_regions(mask == gas_label, min_area)
        for box, area in zip(regions.boxes, regions.areas):
            annotations.append(
                dict(id=len(annotations) + 1, image_id=image_id,
                     category_id=1, bbox=[int(v) for v in box],
                     area=int(area), iscrowd=0))
    info = dict(
        description='gas boxes of the connected gas regions of the masks '
        f'(8-connected, regions under {min_area} px dropped)',
        masks=ann_dir, min_area=int(min_area))
    return dict(info=info, images=images, annotations=annotations,
                categories=CATEGORIES)


def write_coco_annotations(data_root,
                           splits=SPLITS,
                           min_area=DEFAULT_MIN_REGION_AREA,
                           log=print):
    """Write ``annotations/instances_<split>.json`` for a mmseg-layout set.

    Splits without an ``ann_dir/<split>`` directory, or without masks in it,
    are skipped. Running it again rewrites the files (same masks, same
    bytes).

    Args:
        data_root (str): The set's root (``img_dir``, ``ann_dir``).
        splits (Sequence[str]): Splits to annotate.
            Default: ``('train', 'val', 'test')``.
        min_area (int): Regions with fewer pixels get no box. Default: 16.
        log (callable): Progress messages. Default: print.

    Returns:
        dict[str, str]: The written file of each split.
    """
    written = {}
    os.makedirs(osp.join(data_root, 'annotations'), exist_ok=True)
    for split in splits:
        ann_dir = osp.join(data_root, 'ann_dir', split)
        if not osp.isdir(ann_dir) or not any(
                f.endswith('.png') for f in os.listdir(ann_dir)):
            continue
        coco = masks_to_coco(
            osp.join(data_root, 'img_dir', split), ann_dir, min_area)
        coco['info']['masks'] = f'ann_dir/{split}'
        path = osp.join(data_root, 'annotations', f'instances_{split}.json')
        with open(path, 'w') as f:
            json.dump(coco, f, sort_keys=True)
            f.write('\n')
        written[split] = path
        log(f'{path}: {len(coco["annotations"])} gas boxes on '
            f'{len(coco["images"])} images')
    if not written:
        raise FileNotFoundError(
            f'no masks under {osp.join(data_root, "ann_dir")}/'
            f'{{{",".join(splits)}}}; nothing to annotate')
    return written

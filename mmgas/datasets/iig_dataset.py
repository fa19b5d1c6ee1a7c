"""Box-labelled infrared gas data (IIG and the like) for segmentation.

IIG, the set GasViT was trained on (H. Yu et al., Applied Soft Computing
152:111138, 2024: 5,569 infrared images, 11,186 gas boxes), and most real
gas collections are labelled with boxes in the COCO or YOLO format, not
with masks. :class:`IIGDataset` reads either format and carries each
image's boxes in its data info (``gt_boxes``), where
:class:`~mmgas.datasets.transforms.LoadBoxAnnotationsAsMask` turns them
into training masks and :class:`~mmgas.evaluation.BoxAPMetric` scores
against them. Every box is gas, whatever its category or class id. The
layouts are in ``docs/box_labels.md``.

Annotation files are checked when the data set is built; a fault raises
:class:`BoxAnnotationError` (or ``FileNotFoundError``) naming the file, the
annotation id (COCO) or the line (YOLO).
"""
import json
import os.path as osp

import numpy as np
from mmengine.fileio import list_dir_or_file
from mmseg.registry import DATASETS

from .gas_dataset import GasDataError, GasDataset, _image_size

#: Image suffixes searched for YOLO sets (COCO files name their images).
IMG_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff')


class BoxAnnotationError(GasDataError):
    """A box annotation file is empty, malformed or inconsistent."""


@DATASETS.register_module()
class IIGDataset(GasDataset):
    """Binary gas segmentation (``background``, ``gas``) from gas boxes.

    COCO (``ann_format='coco'``): ``ann_file`` is a COCO instances file
    whose ``images[].file_name`` are relative to ``data_prefix.img_path``
    and whose ``annotations[].bbox`` are ``[x, y, w, h]`` in pixels.

    YOLO (``ann_format='yolo'``): every image under
    ``data_prefix.img_path`` (recursively, any of ``img_suffix``) has its
    labels at the same relative path under ``data_prefix.box_path`` with
    the suffix ``.txt``, one box per line: ``class cx cy w h`` normalised to
    [0, 1]. An image without a label file, or with an empty one, has no gas
    (YOLO's convention for background images).

    With ``data_prefix.seg_map_path`` set as well, the images also get
    their masks (checked as by :class:`GasDataset`), so ``LoadAnnotations``
    can load real masks next to the boxes, e.g. to train on boxes and
    validate on masks.

    Each data info holds ``gt_boxes``: an (N, 4) float32 array of
    ``[x1, y1, x2, y2]`` in pixels of the image as stored. Add
    ``'gt_boxes'`` to ``PackSegInputs``' ``meta_keys`` in evaluation
    pipelines for :class:`~mmgas.evaluation.BoxAPMetric`.

    Args:
        ann_file (str): COCO instances JSON, relative to ``data_root``.
            Required for COCO, unused for YOLO. Default: ``''``.
        ann_format (str): ``'coco'`` or ``'yolo'``. Default: ``'coco'``.
        img_suffix (str | tuple[str]): Image suffixes of a YOLO set.
            Default: :data:`IMG_SUFFIXES`.
        box_tolerance (float): How far, in pixels, a box may reach past
            the image border before it is an error; boxes within it are
            clipped (annotation tools round outwards). Default: 1.0.
        **kwargs: Passed to :class:`GasDataset` (``seg_map_suffix``,
            ``validate``, ...) and :class:`mmseg.datasets.BaseSegDataset`.
    """

    def __init__(self,
                 ann_file='',
                 ann_format='coco',
                 img_suffix=IMG_SUFFIXES,
                 box_tolerance=1.0,
                 **kwargs):
        if ann_format not in ('coco', 'yolo'):
            raise ValueError(
                f"ann_format must be 'coco' or 'yolo', not {ann_format!r}")
        self.ann_format = ann_format
        self.box_tolerance = float(box_tolerance)
        if isinstance(img_suffix, list):
            img_suffix = tuple(img_suffix)
        super().__init__(ann_file=ann_file, img_suffix=img_suffix, **kwargs)

    def load_data_list(self):
        """Read the boxes of every image and pair the masks, if any.

        Raises:
            FileNotFoundError: The annotation file, a directory, an image
                named by the annotations or a mask is missing.
            BoxAnnotationError: An empty or malformed annotation file, a
                box outside its image or of zero size, an image whose size
                differs from the one its annotations give.
        """
        img_dir = self.data_prefix.get('img_path') or self.data_root or ''
        if not osp.isdir(img_dir):
            raise FileNotFoundError(
                f'{type(self).__name__}: image directory {img_dir} does not '
                f'exist (data_root={self.data_root!r}, '
                f'data_prefix={self.data_prefix!r})')
        if self.ann_format == 'coco':
            data_list = self._load_coco(img_dir)
        else:
            data_list = self._load_yolo(img_dir)
        seg_dir = self.data_prefix.get('seg_map_path')
        for info in data_list:
            if seg_dir:
                stem = osp.splitext(info.pop('rel_path'))[0]
                info['seg_map_path'] = osp.join(
                    seg_dir, stem + self.seg_map_suffix)
            else:
                info.pop('rel_path')
                info['seg_map_path'] = None
            info.update(
                label_map=self.label_map,
                reduce_zero_label=self.reduce_zero_label,
                seg_fields=[])
        if seg_dir and self.validate:
            if not osp.isdir(seg_dir):
                raise FileNotFoundError(
                    f'{type(self).__name__}: annotation directory {seg_dir} '
                    'does not exist')
            self._validate(data_list)
        return data_list

    # COCO ------------------------------------------------------------------

    def _load_coco(self, img_dir):
        path = self.ann_file
        if not path:
            raise ValueError(
                f'{type(self).__name__}: ann_format="coco" needs ann_file, '
                'the COCO instances JSON (e.g. annotations/'
                'instances_train.json)')
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'{type(self).__name__}: COCO annotation file {path} does '
                f'not exist (data_root={self.data_root!r})')
        with open(path, 'rb') as f:
            text = f.read()
        if not text.strip():
            raise BoxAnnotationError(f'COCO annotation file {path} is empty')
        try:
            coco = json.loads(text)
        except (ValueError, UnicodeDecodeError) as e:
            raise BoxAnnotationError(
                f'COCO annotation file {path} is not valid JSON: {e}') from e
        if not isinstance(coco, dict) or not isinstance(
                coco.get('images'), list):
            raise BoxAnnotationError(
                f'COCO annotation file {path} has no "images" list; '
                'expected a COCO instances file')
        if not coco['images']:
            raise BoxAnnotationError(
                f'COCO annotation file {path} lists no images')
        annotations = coco.get('annotations', [])
        if not isinstance(annotations, list):
            raise BoxAnnotationError(
                f'COCO annotation file {path}: "annotations" is not a list')

        infos = {}
        for image in coco['images']:
            try:
                image_id, file_name = image['id'], image['file_name']
            except (KeyError, TypeError):
                raise BoxAnnotationError(
                    f'COCO annotation file {path}: image entry {image!r} '
                    'lacks "id" or "file_name"') from None
            if image_id in infos:
                raise BoxAnnotationError(
                    f'COCO annotation file {path}: image id {image_id} '
                    'appears twice')
            img_path = osp.join(img_dir, file_name)
            if not osp.isfile(img_path):
                raise FileNotFoundError(
                    f'COCO annotation file {path} names image {file_name} '
                    f'(id {image_id}), which is not at {img_path}')
            size = _image_size(img_path)
            given = (image.get('width'), image.get('height'))
            if None not in given and tuple(given) != size:
                raise BoxAnnotationError(
                    f'COCO annotation file {path}: image {file_name} (id '
                    f'{image_id}) is {size[0]}x{size[1]} on disk but '
                    f'{given[0]}x{given[1]} in the file')
            infos[image_id] = dict(
                img_path=img_path, rel_path=file_name, width=size[0],
                height=size[1], boxes=[])
        for ann in annotations:
            where = (f'COCO annotation file {path}: annotation id '
                     f'{ann.get("id") if isinstance(ann, dict) else ann!r}')
            if not isinstance(ann, dict) or ann.get('image_id') not in infos:
                raise BoxAnnotationError(
                    f'{where} refers to image id '
                    f'{ann.get("image_id") if isinstance(ann, dict) else None}'
                    ', which is not in "images"')
            info = infos[ann['image_id']]
            bbox = ann.get('bbox')
            if not (isinstance(bbox, (list, tuple)) and len(bbox) == 4 and all(
                    isinstance(v, (int, float)) for v in bbox)):
                raise BoxAnnotationError(
                    f'{where}: "bbox" must be [x, y, w, h] numbers, got '
                    f'{bbox!r}')
            x, y, w, h = (float(v) for v in bbox)
            info['boxes'].append(
                self._checked_box((x, y, x + w, y + h), info, where))
        return [self._finish(info) for info in infos.values()]

    # YOLO ------------------------------------------------------------------

    def _load_yolo(self, img_dir):
        box_dir = self.data_prefix.get('box_path')
        if not box_dir:
            raise ValueError(
                f'{type(self).__name__}: ann_format="yolo" needs '
                "data_prefix['box_path'], the directory of the .txt labels")
        if not osp.isdir(box_dir):
            raise FileNotFoundError(
                f'{type(self).__name__}: YOLO label directory {box_dir} does '
                f'not exist (data_root={self.data_root!r})')
        suffixes = self.img_suffix if isinstance(self.img_suffix, tuple) \
            else (self.img_suffix, )
        images = sorted(
            rel for rel in list_dir_or_file(
                img_dir, list_dir=False, recursive=True)
            if rel.lower().endswith(tuple(s.lower() for s in suffixes)))
        if not images:
            raise FileNotFoundError(
                f'{type(self).__name__}: no images ending in {suffixes} '
                f'under {img_dir} (searched recursively)')
        labels = set(
            list_dir_or_file(
                box_dir, list_dir=False, suffix='.txt', recursive=True))
        if not labels:
            raise FileNotFoundError(
                f'{type(self).__name__}: no .txt label files under {box_dir};'
                " check data_prefix['box_path']")
        stems = {}
        for rel in images:
            other = stems.setdefault(osp.splitext(rel)[0], rel)
            if other != rel:
                raise BoxAnnotationError(
                    f'images {osp.join(img_dir, other)} and {rel} share the '
                    f'YOLO label file {osp.splitext(rel)[0]}.txt; rename one')
        data_list = []
        for rel in images:
            label_rel = osp.splitext(rel)[0] + '.txt'
            img_path = osp.join(img_dir, rel)
            size = _image_size(img_path)
            info = dict(img_path=img_path, rel_path=rel, width=size[0],
                        height=size[1], boxes=[])
            if label_rel in labels:
                labels.discard(label_rel)
                self._read_yolo(osp.join(box_dir, label_rel), info)
            data_list.append(self._finish(info))
        if labels:
            orphan = sorted(labels)
            raise FileNotFoundError(
                f'YOLO label file {osp.join(box_dir, orphan[0])} has no image'
                f' {osp.splitext(orphan[0])[0]}{{{",".join(suffixes)}}} under'
                f' {img_dir} ({len(orphan)} label file(s) without an image)')
        return data_list

    def _read_yolo(self, path, info):
        w, h = info['width'], info['height']
        with open(path) as f:
            lines = f.read().splitlines()
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f'YOLO label file {path}, line {number}'
            fields = line.split()
            if len(fields) != 5:
                raise BoxAnnotationError(
                    f'{where}: expected 5 values "class cx cy w h", got '
                    f'{len(fields)}: {line.strip()!r}')
            try:
                cls = float(fields[0])
                cx, cy, bw, bh = (float(v) for v in fields[1:])
            except ValueError:
                raise BoxAnnotationError(
                    f'{where}: non-numeric value in {line.strip()!r}'
                ) from None
            if cls < 0 or cls != int(cls):
                raise BoxAnnotationError(
                    f'{where}: class id {fields[0]!r} is not a non-negative '
                    'integer')
            if not all(np.isfinite((cx, cy, bw, bh))):
                raise BoxAnnotationError(
                    f'{where}: non-finite value in {line.strip()!r}')
            box = ((cx - bw / 2) * w, (cy - bh / 2) * h, (cx + bw / 2) * w,
                   (cy + bh / 2) * h)
            info['boxes'].append(self._checked_box(
                box, info, where, normalised=(cx, cy, bw, bh)))

    # shared ----------------------------------------------------------------

    def _checked_box(self, box, info, where, normalised=None):
        """Refuse empty boxes and boxes outside the image; clip the rest."""
        x1, y1, x2, y2 = box
        w, h = info['width'], info['height']
        given = (f' (normalised {list(normalised)})'
                 if normalised is not None else '')
        if not all(np.isfinite(box)) or x2 <= x1 or y2 <= y1:
            raise BoxAnnotationError(
                f'{where}: box [x1, y1, x2, y2] = {_fmt(box)}{given} has no '
                f'area (image {info["img_path"]})')
        tol = self.box_tolerance
        if x1 < -tol or y1 < -tol or x2 > w + tol or y2 > h + tol:
            raise BoxAnnotationError(
                f'{where}: box [x1, y1, x2, y2] = {_fmt(box)}{given} lies '
                f'outside the {w}x{h} image {info["img_path"]} (tolerance '
                f'{tol:g} px)')
        x1, x2 = min(max(x1, 0.), w), min(max(x2, 0.), w)
        y1, y2 = min(max(y1, 0.), h), min(max(y2, 0.), h)
        if x2 <= x1 or y2 <= y1:
            raise BoxAnnotationError(
                f'{where}: box {_fmt(box)}{given} has no area inside the '
                f'{w}x{h} image {info["img_path"]}')
        return x1, y1, x2, y2

    @staticmethod
    def _finish(info):
        info['gt_boxes'] = np.asarray(info.pop('boxes'),
                                      np.float32).reshape(-1, 4)
        return info


def _fmt(box):
    return '[' + ', '.join(f'{v:g}' for v in box) + ']'

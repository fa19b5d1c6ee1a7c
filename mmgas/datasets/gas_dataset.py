"""Infrared gas segmentation data sets (IGS, synthetic) in the mmseg layout.

The class, palette and suffixes follow GasSeg's ``GasDataset`` (H. Yu et
al., Pattern Recognition 170:111931, 2026; release
github.com/FisherYuuri/GasSeg, MIT): two classes, masks with 0 =
background, 1 = gas, 255 = ignore, ``reduce_zero_label=False``. This is a
clean re-implementation that adds what the release lacks: bad data fails
when the data set is loaded, with the path at fault, instead of training
silently on nothing (0 images found, or 0/255 masks that turn every gas
pixel into "ignore" and give a gas IoU of 0).
"""
import os.path as osp

import numpy as np
from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS
from PIL import Image, UnidentifiedImageError

CONVERTER = 'python tools/dataset_converters/convert_255_masks.py'


class GasDataError(ValueError):
    """A gas data set on disk is missing, empty or malformed."""


def read_label_image(path):
    """A mask as mmseg's ``LoadAnnotations`` decodes it (pillow): a
    palette PNG gives its indices, not its colours.

    Raises:
        GasDataError: The file cannot be decoded (the path is named).
    """
    try:
        with Image.open(path) as image:
            return np.asarray(image)
    except (OSError, UnidentifiedImageError, ValueError) as e:
        raise GasDataError(f'cannot read mask {path}: {e}') from None


def _image_size(path):
    """(W, H) of an image from its header (no decoding)."""
    try:
        with Image.open(path) as im:
            return im.size
    except (OSError, UnidentifiedImageError) as e:
        raise GasDataError(f'cannot read image {path}: {e}') from e


@DATASETS.register_module()
class GasDataset(BaseSegDataset):
    """Binary gas segmentation (``background``, ``gas``) from PNG pairs.

    Layout: ``data_root/img_dir/<split>/xxx.png`` with the mask
    ``data_root/ann_dir/<split>/xxx.png``; masks are single-channel with
    0 = background, 1 = gas and 255 = ignore.

    When ``validate`` is True, :meth:`load_data_list` checks, for local
    files, that the directories exist and hold images, that every image
    has a readable mask of its size, and that mask values are in
    {0, 1, 255}; a set whose masks hold 0/255 but never 1 (gas stored as
    255, which mmseg would ignore) is refused with the converter command
    that fixes it. Masks are decoded in full (about 1 s per 1,000 masks of
    320x240); images only have their header read.

    Args:
        img_suffix (str): Image suffix. Default: ``'.png'``.
        seg_map_suffix (str): Mask suffix. Default: ``'.png'``.
        reduce_zero_label (bool): Must stay False for 0/1 masks (True
            raises ValueError).
            Default: False.
        validate (bool): Check the data when it is loaded. Default: True.
        **kwargs: Passed to :class:`mmseg.datasets.BaseSegDataset`.
    """

    METAINFO = dict(
        classes=('background', 'gas'), palette=[[0, 0, 0], [255, 255, 255]])

    def __init__(self,
                 img_suffix='.png',
                 seg_map_suffix='.png',
                 reduce_zero_label=False,
                 validate=True,
                 **kwargs):
        if reduce_zero_label:
            raise ValueError(
                f'{type(self).__name__}: reduce_zero_label=True would turn '
                'background into "ignore" and gas into class 0; gas masks '
                'are 0 = background, 1 = gas, 255 = ignore')
        self.validate = validate
        super().__init__(
            img_suffix=img_suffix,
            seg_map_suffix=seg_map_suffix,
            reduce_zero_label=reduce_zero_label,
            **kwargs)

    def _local(self):
        return not self.backend_args or self.backend_args.get(
            'backend', 'local') == 'local'

    def load_data_list(self):
        """Collect image/mask pairs and (optionally) validate them.

        Raises:
            FileNotFoundError: A directory is missing, holds no image with
                ``img_suffix``, or an image has no mask.
            GasDataError: Unreadable file, size mismatch, multi-channel
                mask, label values outside {0, 1, 255}, or 0/255 masks.
        """
        img_dir = self.data_prefix.get('img_path', None)
        ann_dir = self.data_prefix.get('seg_map_path', None)
        check = self.validate and self._local()
        if check:
            for what, path in (('image', img_dir), ('annotation', ann_dir)):
                if path and not osp.isdir(path):
                    raise FileNotFoundError(
                        f'{type(self).__name__}: {what} directory {path} '
                        f'does not exist (data_root={self.data_root!r}, '
                        f'data_prefix={self.data_prefix!r})')
        data_list = super().load_data_list()
        if check and not data_list:
            raise FileNotFoundError(
                f'{type(self).__name__}: no images ending in '
                f'{self.img_suffix!r} under {img_dir} (searched recursively'
                f'{", listed in " + self.ann_file if self.ann_file else ""});'
                ' check data_root, data_prefix and img_suffix')
        if check and ann_dir:
            self._validate(data_list)
        return data_list

    def _validate(self, data_list):
        seen = np.zeros(256, np.int64)  # files holding each label value
        for info in data_list:
            img_path, seg_path = info['img_path'], info['seg_map_path']
            if not osp.isfile(seg_path):
                raise FileNotFoundError(
                    f'{type(self).__name__}: no mask {seg_path} for image '
                    f'{img_path} (seg_map_suffix={self.seg_map_suffix!r})')
            mask = read_label_image(seg_path)
            if mask.ndim != 2:
                raise GasDataError(
                    f'mask {seg_path} has {mask.shape[2]} channels; masks '
                    'must be single-channel label images (0 background, 1 '
                    'gas, 255 ignore)')
            if mask.dtype != np.uint8:
                raise GasDataError(
                    f'mask {seg_path} is {mask.dtype}; masks must be 8-bit')
            w, h = _image_size(img_path)
            if (h, w) != mask.shape:
                raise GasDataError(
                    f'size mismatch: image {img_path} is {w}x{h}, mask '
                    f'{seg_path} is {mask.shape[1]}x{mask.shape[0]}')
            counts = np.bincount(mask.ravel(), minlength=256)
            bad = np.flatnonzero(counts[2:255]) + 2
            if bad.size:
                raise GasDataError(
                    f'mask {seg_path} holds label values {bad[:8].tolist()}'
                    f'{"..." if bad.size > 8 else ""}; GasDataset masks use '
                    '0 = background, 1 = gas, 255 = ignore. For 0/255 masks '
                    f'(anti-aliased ones with --threshold 128) run: '
                    f'{CONVERTER} {osp.dirname(seg_path)}')
            seen += counts > 0
        if seen[255] and not seen[1]:
            raise GasDataError(
                f'the masks under {self.data_prefix.get("seg_map_path")} '
                'hold 0 and 255 but never 1: gas stored as 255 would be '
                'ignored by mmseg (gas IoU 0). If 255 marks gas, convert '
                f'them to 0/1 with: {CONVERTER} '
                f'{self.data_prefix.get("seg_map_path")} [OUT_DIR]. If 255 '
                'really is "ignore" in a split without gas, build the '
                'dataset with validate=False.')

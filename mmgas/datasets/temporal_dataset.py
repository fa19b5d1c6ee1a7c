"""Video sequences for temporal gas segmentation: frame ``t`` with the
frames before it.

A temporal model sees a frame and its history (:mod:`.transforms.
temporal_encoding`), so a sample is a labelled frame plus the paths of the
``history`` frames before it. One layout serves the synthetic generator's
videos and real footage::

    data_root/[seq_dir/]<sequence>/frames/<name>.png   every frame
    data_root/[seq_dir/]<sequence>/masks/<name>.png    labelled frames only

Frames are ordered by name. The generator writes ``video/seq_<k>/`` with a
mask for every frame (``seq_dir='video'``); for real footage, extract the
frames of each video into its own folder and label any subset of them.
"""
import os
import os.path as osp
import re

from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from .gas_dataset import _image_size
from .transforms.temporal_encoding import TemporalDataError

_IMAGE_SUFFIXES = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff')


@DATASETS.register_module()
class TemporalGasDataset(BaseSegDataset):
    """Labelled frames of video sequences, each with its earlier frames.

    Every labelled frame with at least ``min_history`` earlier frames is a
    sample; its ``history_paths`` are the up to ``history`` frames just
    before it, oldest first. Masks are 0 = background, 1 = gas, 255 =
    ignore, as for :class:`~mmgas.datasets.GasDataset`.

    Args:
        history (int): Earlier frames a sample carries: the
            ``max(window, lag)`` of the pipeline's ``TemporalEncoding``.
            Default: 8.
        min_history (int, optional): Labelled frames with fewer earlier
            frames are left out. Default: None (``history``: full histories
            only). 0 keeps the first frames of a video, with the short
            history a live stream has when it starts.
        seq_dir (str): Folder of the sequences under ``data_root``.
            Default: '' (``'video'`` for the generator's output).
        validate (bool): Check the sequences when they are loaded (frame
            sizes from the headers, gaps in numbered frames, masks without
            frames). Default: True.
        **kwargs: Passed to :class:`mmseg.datasets.BaseSegDataset`
            (``data_root``, ``pipeline``, ...).

    Raises:
        FileNotFoundError: No sequence folder, or none with frames.
        TemporalDataError: A sequence has too few frames for
            ``min_history``, a numbered frame is missing, a mask has no
            frame, or the frames of a sequence differ in size.
    """

    METAINFO = dict(
        classes=('background', 'gas'), palette=[[0, 0, 0], [255, 255, 255]])

    def __init__(self,
                 history=8,
                 min_history=None,
                 seq_dir='',
                 validate=True,
                 **kwargs):
        if history < 1:
            raise ValueError(f'history must be at least 1, got {history}')
        min_history = history if min_history is None else min_history
        if not 0 <= min_history <= history:
            raise ValueError(f'min_history must be in [0, history={history}]'
                             f', got {min_history}')
        self.history = int(history)
        self.min_history = int(min_history)
        self.seq_dir = seq_dir
        self.validate = validate
        super().__init__(img_suffix='.png', seg_map_suffix='.png', **kwargs)

    def _sequence_root(self):
        return osp.join(self.data_root or '', self.seq_dir)

    def load_data_list(self):
        """One sample per labelled frame with enough history."""
        root = self._sequence_root()
        if not osp.isdir(root):
            raise FileNotFoundError(
                f'{type(self).__name__}: sequence folder {root} does not '
                f'exist (data_root={self.data_root!r}, seq_dir='
                f'{self.seq_dir!r})')
        sequences = sorted(
            d for d in os.listdir(root)
            if osp.isdir(osp.join(root, d, 'frames')))
        if not sequences:
            raise FileNotFoundError(
                f'{type(self).__name__}: no <sequence>/frames/ folder under '
                f'{root}')
        data_list = []
        for name in sequences:
            data_list += self._sequence_samples(osp.join(root, name), name)
        return data_list

    def _sequence_samples(self, seq_path, name):
        frame_dir = osp.join(seq_path, 'frames')
        mask_dir = osp.join(seq_path, 'masks')
        frames = sorted(
            f for f in os.listdir(frame_dir)
            if f.lower().endswith(_IMAGE_SUFFIXES))
        stems = [osp.splitext(f)[0] for f in frames]
        masks = {}
        if osp.isdir(mask_dir):
            masks = {
                osp.splitext(f)[0]: osp.join(mask_dir, f)
                for f in os.listdir(mask_dir) if f.lower().endswith('.png')
            }
        if self.validate:
            self._check_sequence(seq_path, frame_dir, frames, stems, masks)
        samples = []
        for t, stem in enumerate(stems):
            if stem not in masks or t < self.min_history:
                continue
            samples.append(
                dict(
                    img_path=osp.join(frame_dir, frames[t]),
                    seg_map_path=masks[stem],
                    history_paths=[
                        osp.join(frame_dir, f)
                        for f in frames[max(0, t - self.history):t]
                    ],
                    sequence=name,
                    frame_index=t,
                    label_map=self.label_map,
                    reduce_zero_label=False,
                    seg_fields=[]))
        return samples

    def _check_sequence(self, seq_path, frame_dir, frames, stems, masks):
        if len(frames) < self.min_history + 1:
            raise TemporalDataError(
                f'sequence {seq_path} has {len(frames)} frame(s); '
                f'min_history={self.min_history} needs at least '
                f'{self.min_history + 1}')
        unmatched = sorted(set(masks) - set(stems))
        if unmatched:
            raise TemporalDataError(
                f'sequence {seq_path}: mask(s) without a frame: '
                f'{unmatched[:5]} (frames are in {frame_dir})')
        if all(re.fullmatch(r'\d+', s) for s in stems):
            numbers = [int(s) for s in stems]
            gaps = [
                n + 1 for n, m in zip(numbers, numbers[1:]) if m != n + 1
            ]
            if gaps:
                raise TemporalDataError(
                    f'sequence {seq_path}: frame {gaps[0]} is missing '
                    f'(numbered frames {numbers[0]}-{numbers[-1]} have '
                    f'gaps); a history must be consecutive frames')
        sizes = {}
        for f in frames:
            sizes.setdefault(_image_size(osp.join(frame_dir, f)), f)
        if len(sizes) > 1:
            (size_a, first), (size_b, other) = list(sizes.items())[:2]
            raise TemporalDataError(
                f'sequence {seq_path}: frames {first} ({size_a[0]}x'
                f'{size_a[1]}) and {other} ({size_b[0]}x{size_b[1]}) differ '
                'in size; a sequence needs one frame size')

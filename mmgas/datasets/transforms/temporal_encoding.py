"""Temporal input encoding: the frame and how it changes.

Camera operators, and the cameras' own high-sensitivity modes, find faint
gas by its motion against a static scene: a frame minus a background
estimate shows a plume that one frame hides in the scene's texture. The
models take three input channels; this transform fills them with

* channel 0: the frame as it is (grey);
* channel 1: the frame minus the background, the median (or the
  exponential average) of the last ``window`` frames, times ``gain``
  around grey 128: everything that differs from the static scene (a plume,
  people, vehicles, steam);
* channel 2: the frame minus the frame ``lag`` steps back, times ``gain``
  around 128: what moves now (turbulent gas) as opposed to slow changes
  (clouds, gain drift).

A static scene gives 128 in both motion channels. Before the history
fills, the background is estimated from the frames there are and the lag
frame is the oldest one; with no history at all both motion channels are
128 (no motion seen yet). No model changes, so every model runs temporally
and exports to ONNX as it is.

:class:`LoadFrameHistory` reads the history a temporal data set lists
(``history_paths``, oldest first); :class:`TemporalEncoding` runs right
after it, at the frames' own resolution, before any geometric transform
(which then moves the three channels together). Photometric augmentation
must change the frame and its history alike (:class:`RandomDisplayGain`),
or the motion channels would show the augmentation as motion.
"""
import os.path as osp

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

BACKGROUNDS = ('median', 'ema')


class TemporalDataError(ValueError):
    """A frame history is missing, too short or of unequal frame sizes."""


def _grey(image):
    image = np.asarray(image)
    if image.ndim == 3:
        channels = [image[..., c] for c in range(image.shape[2])]
        if not all(np.array_equal(channels[0], c) for c in channels[1:]):
            return image.astype(np.float32).mean(axis=2)
        # a grey frame read in colour (OGI frames are): its mean over
        # channels is any channel, exactly, at a quarter of the cost
        image = channels[0]
    return image.astype(np.float32)


def temporal_channels(frame, history, background='median', window=8, lag=2,
                      gain=4.0):
    """Encode a grey frame and its history as (frame, frame - background,
    frame - frame ``lag`` steps back).

    Args:
        frame (np.ndarray): (H, W) or (H, W, C) frame; a colour frame is
            reduced to its mean over channels.
        history (Sequence[np.ndarray]): Earlier frames of the same size,
            oldest first (may be empty).
        background (str): ``'median'`` of the last ``window`` frames, or
            ``'ema'``, their exponential average with weight
            ``2 / (window + 1)`` on the newest. Default: 'median'.
        window (int): Frames the background is estimated from. Default: 8.
        lag (int): Steps back of the frame in channel 2. Default: 2.
        gain (float): Grey levels per grey level of difference. Default: 4.

    Returns:
        np.ndarray: (H, W, 3) uint8.

    Raises:
        TemporalDataError: A history frame's size differs from the frame's.
    """
    if background not in BACKGROUNDS:
        raise ValueError(f'background must be one of {BACKGROUNDS}, got '
                         f'{background!r}')
    grey = _grey(frame)
    past = [_grey(f) for f in list(history)[-max(window, lag):]]
    for i, earlier in enumerate(past):
        if earlier.shape != grey.shape:
            raise TemporalDataError(
                f'history frame {i} has size {earlier.shape[::-1]}, the '
                f'frame {grey.shape[::-1]}: a sequence needs one frame size')
    out = np.empty(grey.shape + (3, ), np.float32)
    out[..., 0] = grey
    if not past:
        out[..., 1:] = 128.0
    else:
        recent = past[-window:]
        if background == 'median':
            estimate = np.median(np.stack(recent), axis=0)
        else:
            alpha = 2.0 / (window + 1)
            estimate = recent[0]
            for earlier in recent[1:]:
                estimate = (1 - alpha) * estimate + alpha * earlier
        out[..., 1] = 128.0 + gain * (grey - estimate)
        out[..., 2] = 128.0 + gain * (grey - past[-min(lag, len(past))])
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


@TRANSFORMS.register_module()
class LoadFrameHistory(BaseTransform):
    """Read the frames listed in ``results['history_paths']``.

    Required keys: ``img``, ``history_paths``. Added keys: ``history``
    (list of (H, W, 3) uint8 BGR frames, oldest first).

    Raises:
        TemporalDataError: A history frame is missing or unreadable, or its
            size differs from the frame's (the path is named).
    """

    def transform(self, results):
        shape = results['img'].shape[:2]
        history = []
        for path in results.get('history_paths', []):
            if not osp.isfile(path):
                raise TemporalDataError(f'history frame {path} not found')
            try:
                image = mmcv.imread(path, 'color')
            except Exception as e:  # cv2 decoding errors vary
                raise TemporalDataError(
                    f'cannot read history frame {path}: {e}') from None
            if image is None:
                raise TemporalDataError(f'cannot read history frame {path}')
            if image.shape[:2] != shape:
                raise TemporalDataError(
                    f'history frame {path} is {image.shape[1]}x'
                    f'{image.shape[0]}, the frame {shape[1]}x{shape[0]}: '
                    'a sequence needs one frame size')
            history.append(image)
        results['history'] = history
        return results


@TRANSFORMS.register_module()
class RandomDisplayGain(BaseTransform):
    """Another display gain and level, the same for a frame and its
    history: what a different AGC span and level would have shown.

    ``grey' = 128 + contrast * (grey - 128) + brightness``, clipped to
    0-255, with ``contrast`` and ``brightness`` drawn once per sample. It
    replaces mmseg's ``PhotoMetricDistortion`` for temporal pipelines, whose
    per-image draws (and hue/saturation changes) would differ between the
    frame and its history and so appear as motion.

    Required keys: ``img``, ``history``. Modified keys: ``img``,
    ``history``.

    Args:
        contrast_range (tuple[float, float]): Range of the contrast
            factor. Default: (0.5, 1.5), as ``PhotoMetricDistortion``.
        brightness_delta (float): Largest brightness change in grey levels.
            Default: 32, as ``PhotoMetricDistortion``.
        prob (float): Probability of applying it. Default: 0.5.
    """

    def __init__(self, contrast_range=(0.5, 1.5), brightness_delta=32.0,
                 prob=0.5):
        if not 0 < contrast_range[0] <= contrast_range[1]:
            raise ValueError(f'contrast_range must be 0 < low <= high, got '
                             f'{contrast_range}')
        self.contrast_range = tuple(float(v) for v in contrast_range)
        self.brightness_delta = float(brightness_delta)
        self.prob = float(prob)

    def transform(self, results):
        if np.random.rand() >= self.prob:
            return results
        contrast = np.random.uniform(*self.contrast_range)
        brightness = np.random.uniform(-self.brightness_delta,
                                       self.brightness_delta)

        def apply(image):
            out = 128.0 + contrast * (image.astype(np.float32) - 128.0) + \
                brightness
            return np.clip(np.rint(out), 0, 255).astype(np.uint8)

        results['img'] = apply(results['img'])
        results['history'] = [apply(f) for f in results.get('history', [])]
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(contrast_range='
                f'{self.contrast_range}, brightness_delta='
                f'{self.brightness_delta}, prob={self.prob})')


@TRANSFORMS.register_module()
class TemporalEncoding(BaseTransform):
    """Replace ``results['img']`` by :func:`temporal_channels` of the frame
    and ``results['history']`` (then dropped).

    Required keys: ``img``, ``history``. Modified keys: ``img`` (H, W, 3)
    uint8. Removed keys: ``history``.

    Args:
        background (str): ``'median'`` or ``'ema'``. Default: 'median'.
        window (int): Frames of the background estimate. Default: 8.
        lag (int): Steps back of the difference frame. Default: 2.
        gain (float): Grey levels per grey level of difference. Default: 4.
    """

    def __init__(self, background='median', window=8, lag=2, gain=4.0):
        if background not in BACKGROUNDS:
            raise ValueError(f'background must be one of {BACKGROUNDS}, '
                             f'got {background!r}')
        if window < 1 or lag < 1:
            raise ValueError(f'window and lag must be at least 1, got '
                             f'{window} and {lag}')
        self.kwargs = dict(background=background, window=int(window),
                           lag=int(lag), gain=float(gain))

    @property
    def history_length(self):
        """int: Earlier frames the encoding uses, ``max(window, lag)``."""
        return max(self.kwargs['window'], self.kwargs['lag'])

    def transform(self, results):
        results['img'] = temporal_channels(results['img'],
                                           results.pop('history'),
                                           **self.kwargs)
        return results

    def __repr__(self):
        args = ', '.join(f'{k}={v!r}' for k, v in self.kwargs.items())
        return f'{self.__class__.__name__}({args})'

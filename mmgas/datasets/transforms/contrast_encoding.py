"""Single-frame input encoding: the frame and its local contrast.

An optical-gas-imaging frame spends its 8 bits on the scene: pipes, sky and
hot equipment span the automatic gain, and a plume is a change of a few to
a few tens of grey levels over a background whose own texture is about as
strong. Operators look at such frames through a local contrast stretch
(the cameras' high-sensitivity modes, CLAHE). The models take three input
channels, and a grey frame fills them with three copies of one value; this
transform fills them with what an operator looks at instead, so no model
changes:

* channel 0: the frame as it is;
* channel 1: local contrast, the frame minus its local mean divided by its
  local standard deviation (Gaussian window ``sigma`` px), scaled by
  ``contrast_gain`` around grey 128: scene-independent, a faint plume on
  flat sky is as strong as a dense one on textured ground;
* channel 2: local detail at the display's own scale, the frame minus its
  local mean times ``detail_gain`` around 128: keeps the absolute contrast
  that channel 1 normalises away.

It runs after the geometric and photometric transforms, on the network's
input pixels, so ``sigma`` means the same at training and test time.
"""
import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS


def local_contrast_channels(image, sigma=8.0, contrast_gain=32.0,
                            detail_gain=4.0, min_std=2.0):
    """Encode a grey frame as (frame, local contrast, local detail).

    Args:
        image (np.ndarray): (H, W) or (H, W, C) uint8 or float frame; a
            colour frame is reduced to its mean over channels.
        sigma (float): Local window (Gaussian sigma, px). Default: 8.
        contrast_gain (float): Grey levels per local standard deviation in
            channel 1. Default: 32.
        detail_gain (float): Gain of the local detail in channel 2.
            Default: 4.
        min_std (float): Floor of the local standard deviation (grey
            levels), so flat regions do not amplify quantisation noise.
            Default: 2.

    Returns:
        np.ndarray: (H, W, 3) uint8.
    """
    grey = image.astype(np.float32)
    if grey.ndim == 3:
        grey = grey.mean(axis=2)
    blur = lambda x: cv2.GaussianBlur(  # noqa: E731
        x, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)
    detail = grey - blur(grey)
    std = np.sqrt(np.maximum(blur(detail * detail), 0.0))
    contrast = detail / np.maximum(std, np.float32(min_std))
    out = np.empty(grey.shape + (3, ), np.float32)
    out[..., 0] = grey
    out[..., 1] = 128.0 + contrast_gain * contrast
    out[..., 2] = 128.0 + detail_gain * detail
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


@TRANSFORMS.register_module()
class LocalContrastEncoding(BaseTransform):
    """Replace ``results['img']`` by :func:`local_contrast_channels`.

    Required keys: ``img``. Modified keys: ``img`` (H, W, 3) uint8.

    Args:
        sigma (float): Local window (Gaussian sigma, px). Default: 8.
        contrast_gain (float): Grey levels per local standard deviation.
            Default: 32.
        detail_gain (float): Gain of the local detail. Default: 4.
        min_std (float): Floor of the local standard deviation (grey
            levels). Default: 2.
    """

    def __init__(self, sigma=8.0, contrast_gain=32.0, detail_gain=4.0,
                 min_std=2.0):
        if sigma <= 0 or min_std <= 0:
            raise ValueError('sigma and min_std must be positive, got '
                             f'{sigma} and {min_std}')
        self.kwargs = dict(sigma=float(sigma),
                           contrast_gain=float(contrast_gain),
                           detail_gain=float(detail_gain),
                           min_std=float(min_std))

    def transform(self, results):
        results['img'] = local_contrast_channels(results['img'],
                                                 **self.kwargs)
        return results

    def __repr__(self):
        args = ', '.join(f'{k}={v}' for k, v in self.kwargs.items())
        return f'{self.__class__.__name__}({args})'

"""Frames from an image, a folder of images or a video, ready for a model.

Every frame comes out as an ``H x W x 3`` uint8 BGR array, whatever was on
disk: 8-bit grey or colour images and videos as they are, and radiometric
frames (16-bit or floating-point PNG/TIFF: raw counts or temperatures) by a
per-frame percentile stretch, the automatic gain control (AGC) of an
optical-gas-imaging camera and of mmgas's synthetic sensor model
(:meth:`mmgas.datasets.synthetic.sensor.Sensor.gain`).

Problems with the input as a whole (a missing path, an empty folder, a
video OpenCV cannot open) raise :class:`InputError` naming the path; a
frame that cannot be read or has the wrong number of channels is yielded
with ``image=None`` and an ``error``, so a caller can skip and report it.
"""
import collections
import os
import os.path as osp
import re
from dataclasses import dataclass
from typing import Optional

import cv2
import numpy as np

#: File suffixes read as still images (case-insensitive).
IMAGE_SUFFIXES = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff')
#: File suffixes read as videos through OpenCV (FFmpeg).
VIDEO_SUFFIXES = ('.mp4', '.avi', '.mov', '.mkv', '.m4v', '.mpg', '.mpeg',
                  '.wmv', '.webm')
#: AGC percentiles of :func:`normalise_frame`: the middle of the synthetic
#: sensor's ranges (low 0.5-2 %, high 98-99.5 %).
DEFAULT_PERCENTILES = (1.0, 99.0)


class InputError(ValueError):
    """The input path as a whole cannot be used (the message names it)."""


class FrameError(ValueError):
    """One frame cannot be used (the message names the frame)."""


@dataclass
class Frame:
    """One frame of an input.

    Attributes:
        index (int): Position in the input: the frame number of a video,
            the index in name order of a folder's files, 0 for an image.
        name (str): File stem for images, ``'%06d' % index`` for video.
        time (float, optional): ``index / fps`` in seconds; None when the
            input has no frame rate (a single image or an unordered
            folder).
        image (np.ndarray, optional): ``H x W x 3`` uint8 BGR; None when the
            frame could not be used.
        error (str, optional): Why ``image`` is None.
    """
    index: int
    name: str
    time: Optional[float] = None
    image: Optional[np.ndarray] = None
    error: Optional[str] = None


def percentile_stretch(data, percentiles=DEFAULT_PERCENTILES, min_span=0.0):
    """Map radiometric values to 0-255 like a camera's AGC (white-hot).

    ``lo`` and ``hi`` are the given percentiles of the frame's finite
    values; ``lo`` maps to 0 and ``hi`` to 255, values outside are clipped,
    warmer (larger) is brighter. As in the synthetic sensor model, a span
    narrower than ``min_span`` is widened around its middle, so a flat
    scene becomes mid grey rather than stretched noise.

    Args:
        data (np.ndarray): ``H x W`` or ``H x W x C`` numbers of any dtype
            (counts or temperatures). Non-finite pixels become 0.
        percentiles (tuple[float, float]): Low and high percentile.
            Default: (1.0, 99.0).
        min_span (float): Smallest ``hi - lo``, in the data's units.
            Default: 0.0.

    Returns:
        np.ndarray: uint8 array of the same shape.

    Raises:
        FrameError: If no value is finite.
    """
    low, high = percentiles
    values = np.asarray(data, dtype=np.float64)
    finite = np.isfinite(values)
    if not finite.any():
        raise FrameError('no finite pixel value (all NaN/inf)')
    # order statistics, not interpolated: the sensor model's AGC exactly
    lo, hi = np.percentile(values[finite], (low, high), method='lower')
    if hi - lo < min_span or hi <= lo:
        mid = 0.5 * (lo + hi)
        # relative to the values, or the span vanishes in float64 for
        # 14/16-bit counts and the frame turns black
        half = max(min_span, 1e-6 * max(1.0, abs(mid))) / 2
        lo, hi = mid - half, mid + half
    scaled = (values - lo) * (255.0 / (hi - lo))
    scaled[~finite] = 0
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def normalise_frame(image, percentiles=DEFAULT_PERCENTILES):
    """Turn a decoded image into the ``H x W x 3`` uint8 BGR a model takes.

    * 1 channel (grey): replicated to 3 channels, as the data sets store
      infrared frames;
    * 3 channels: taken as BGR (OpenCV's order);
    * 4 channels: BGRA, the alpha channel is dropped;
    * uint8 values are kept; any other dtype (16-bit counts, float
      temperatures) is put through :func:`percentile_stretch` first.

    Args:
        image (np.ndarray): ``H x W`` or ``H x W x C`` as decoded by
            ``cv2.imread(path, cv2.IMREAD_UNCHANGED)``.
        percentiles (tuple[float, float]): AGC percentiles for non-8-bit
            data. Default: (1.0, 99.0).

    Returns:
        np.ndarray: ``H x W x 3`` uint8, C-contiguous.

    Raises:
        FrameError: For a channel count other than 1, 3 or 4, or an image
            that is not 2-D.
    """
    if image.ndim == 2:
        image = image[..., None]
    if image.ndim != 3 or min(image.shape[:2]) < 1:
        raise FrameError(f'unexpected image shape {image.shape}; expected '
                         'H x W or H x W x C')
    channels = image.shape[2]
    if channels not in (1, 3, 4):
        raise FrameError(f'{channels} channels; expected 1 (grey or '
                         'radiometric), 3 (BGR) or 4 (BGRA)')
    if channels == 4:
        image = image[..., :3]
    if image.dtype != np.uint8:
        image = percentile_stretch(image, percentiles)
    if image.shape[2] == 1:
        image = np.repeat(image, 3, axis=2)
    return np.ascontiguousarray(image)


def read_image(path, percentiles=DEFAULT_PERCENTILES):
    """Read and normalise one image file (see :func:`normalise_frame`).

    Raises:
        FrameError: If the file cannot be decoded or has a wrong channel
            count; the message names the file.
    """
    # IMREAD_UNCHANGED keeps 16-bit and float data and the channel count.
    image = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if image is None:
        # OpenCV also refuses images with more than 4 channels here
        raise FrameError(f'{path}: cannot decode the image (corrupt, '
                         'truncated, not an image, or more than 4 '
                         'channels)')
    try:
        return normalise_frame(image, percentiles)
    except FrameError as e:
        raise FrameError(f'{path}: {e}') from None


def _natural_key(name):
    # frame_2 before frame_10
    return [
        int(t) if t.isdigit() else t.lower() for t in re.split(r'(\d+)', name)
    ]


class FrameSource:
    """Iterate the frames of an image, a folder of images or a video file.

    Args:
        path (str): Image file, folder of images or video file.
        fps (float, optional): Frame rate of a folder of frames (its files
            are then a sequence in natural name order: ``frame_2`` before
            ``frame_10``), or the rate to use for a video whose header has
            none. Default: None.
        percentiles (tuple[float, float]): AGC percentiles for 16-bit and
            float images. Default: (1.0, 99.0).
        max_bad_reads (int): Consecutive failed video reads after which the
            stream is taken to have ended (truncated). Default: 5.

    Attributes:
        kind (str): ``'image'``, ``'folder'`` or ``'video'``.
        fps (float, optional): Frame rate; None for an image or a folder
            without ``fps``.
        num_frames (int): Expected number of frames (a video's header
            count, 0 when the header has none).
        problems (list[str]): Input-level warnings found while reading,
            e.g. a video that ended before its header's frame count.

    Raises:
        InputError: If ``path`` does not exist, is a folder without
            images, has an unknown suffix, or is a video OpenCV cannot open.
    """

    def __init__(self,
                 path,
                 fps=None,
                 percentiles=DEFAULT_PERCENTILES,
                 max_bad_reads=5):
        self.path = str(path)
        self.percentiles = tuple(percentiles)
        self.max_bad_reads = int(max_bad_reads)
        self.problems = []
        if fps is not None and fps <= 0:
            raise InputError(f'fps must be positive, got {fps}')
        if not osp.exists(self.path):
            raise InputError(f'input not found: {osp.abspath(self.path)}')
        suffix = osp.splitext(self.path)[1].lower()
        if osp.isdir(self.path):
            self.kind = 'folder'
            names = [
                n for n in os.listdir(self.path)
                if osp.splitext(n)[1].lower() in IMAGE_SUFFIXES
                and osp.isfile(osp.join(self.path, n))
            ]
            if not names:
                raise InputError(
                    f'no images in folder {osp.abspath(self.path)} '
                    f'(searched for {", ".join(IMAGE_SUFFIXES)})')
            self.files = [
                osp.join(self.path, n)
                for n in sorted(names, key=_natural_key)
            ]
            self.fps = fps
            self.num_frames = len(self.files)
        elif suffix in IMAGE_SUFFIXES:
            self.kind = 'image'
            self.files = [self.path]
            self.fps = None
            self.num_frames = 1
        elif suffix in VIDEO_SUFFIXES:
            self.kind = 'video'
            self._open_video(fps)
        else:
            raise InputError(
                f'{self.path}: unknown input type {suffix!r}; expected an '
                f'image ({", ".join(IMAGE_SUFFIXES)}), a video '
                f'({", ".join(VIDEO_SUFFIXES)}) or a folder of images')

    @property
    def is_sequence(self):
        """Whether frames have times (a video, or a folder with ``fps``)."""
        return self.fps is not None

    def _open_video(self, fps):
        capture = cv2.VideoCapture(self.path)
        if not capture.isOpened():
            raise InputError(
                f'cannot open video {osp.abspath(self.path)}: OpenCV '
                '(FFmpeg) cannot decode it; the file is corrupt, truncated '
                '(an MP4 cut short loses its index, the "moov atom") or not '
                'a video')
        header_fps = capture.get(cv2.CAP_PROP_FPS)
        self.num_frames = max(int(capture.get(cv2.CAP_PROP_FRAME_COUNT)), 0)
        capture.release()
        if fps is not None:
            self.fps = float(fps)
        elif header_fps and header_fps > 0:
            self.fps = float(header_fps)
        else:
            self.fps = 15.0
            self.problems.append(
                f'{self.path}: the header has no frame rate; assuming 15 '
                'fps (pass --fps to set it)')

    def __len__(self):
        return self.num_frames

    def __iter__(self):
        if self.kind == 'video':
            yield from self._video_frames()
            return
        stems = [osp.splitext(osp.basename(p))[0] for p in self.files]
        repeated = {s for s, n in collections.Counter(stems).items() if n > 1}
        for index, path in enumerate(self.files):
            name = stems[index]
            if name in repeated:
                # x.png and x.jpg: keep both outputs apart
                name = osp.basename(path).replace('.', '_')
            time = index / self.fps if self.fps else None
            try:
                image = read_image(path, self.percentiles)
            except FrameError as e:
                yield Frame(index, name, time, error=str(e))
            else:
                yield Frame(index, name, time, image=image)

    def _video_frames(self):
        capture = cv2.VideoCapture(self.path)
        index = 0
        bad_reads = 0  # consecutive failures not yet known to be frames
        try:
            while True:
                ok, image = capture.read()
                if not ok:
                    bad_reads += 1
                    if bad_reads > self.max_bad_reads or (self.num_frames
                                                          and index + bad_reads
                                                          > self.num_frames):
                        break
                    continue
                # a frame decoded after failures: those were corrupt frames
                for _ in range(bad_reads):
                    yield Frame(
                        index,
                        f'{index:06d}',
                        index / self.fps,
                        error=f'{self.path}: frame {index}: cannot '
                        'decode (corrupt)')
                    index += 1
                bad_reads = 0
                try:
                    image = normalise_frame(image, self.percentiles)
                except FrameError as e:
                    yield Frame(
                        index,
                        f'{index:06d}',
                        index / self.fps,
                        error=f'{self.path}: frame {index}: {e}')
                else:
                    yield Frame(
                        index, f'{index:06d}', index / self.fps, image=image)
                index += 1
        finally:
            capture.release()
        if self.num_frames and index < self.num_frames:
            self.problems.append(
                f'{self.path}: decoded {index} of the {self.num_frames} '
                'frames its header declares; the file is truncated or has '
                'corrupt frames')
        self.num_decoded = index

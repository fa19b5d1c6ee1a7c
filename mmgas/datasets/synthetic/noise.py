"""Multi-octave (fractal) noise fields that can be advected and evolved.

Each octave is white noise on a coarse grid, smoothed so the field is
isotropic, then resampled to the image with bicubic interpolation through
an affine map. The map may stretch the field along a direction (turbulent
filaments drawn out along the flow); its offset advects the field (Taylor's
frozen turbulence: structures drift with the mean wind), and a second grid
per octave lets the field evolve: ``n(t) = A cos(w t) + B sin(w t)`` keeps
unit variance. Small scales evolve faster than large ones, as in
turbulence.
"""
import math

import cv2
import numpy as np


class FractalNoise:
    """A unit-variance multi-octave noise field.

    Args:
        rng (np.random.Generator): Source of the random grids.
        shape (tuple[int, int]): Output (H, W).
        base_cell (float): Cell size in pixels of the coarsest octave
            (roughly its feature size across the stretch direction).
        octaves (int): Number of octaves; each halves the cell size. Octaves
            whose cells would be smaller than ``min_cell`` are dropped.
            Default: 4.
        persistence (float): Amplitude ratio between successive octaves.
            Default: 0.6.
        drift (float): Largest displacement in pixels (any direction) the
            field will be sampled at, so the grids cover it. Default: 0.
        evolving (bool): Whether to draw the second grid per octave that
            :meth:`sample` needs for ``t != 0``. Default: False.
        evolution_rate (float): Angular rate (rad per frame) of the coarsest
            octave. Default: 0.05.
        stretch (float): Elongation of the features along ``angle``.
            Default: 1 (isotropic).
        angle (float): Direction of the elongation in radians (image axes,
            y down). Default: 0.
        min_cell (float): Smallest cell size in pixels. Default: 1.5.
    """

    def __init__(self,
                 rng,
                 shape,
                 base_cell,
                 octaves=4,
                 persistence=0.6,
                 drift=0.0,
                 evolving=False,
                 evolution_rate=0.05,
                 stretch=1.0,
                 angle=0.0,
                 min_cell=1.5):
        self.shape = tuple(int(s) for s in shape)
        h, w = self.shape
        c, s = math.cos(angle), math.sin(angle)
        rot = np.array([[c, -s], [s, c]])
        # image -> unit-cell coordinates: shrink along the stretch axis
        self.base = rot @ np.diag([1.0 / stretch, 1.0]) @ rot.T
        d = abs(float(drift))
        corners = np.array([[-d, -d], [w + d, -d], [-d, h + d],
                            [w + d, h + d]]).T
        unit = self.base @ corners
        self.origin = unit.min(axis=1)
        extent = unit.max(axis=1) - self.origin
        self.layers = []
        amps = []
        cell = float(base_cell)
        for k in range(octaves):
            if cell < min_cell:
                break
            # 3 cells of margin: the bicubic kernel and the smoothing reach
            # two cells beyond the last sample.
            gw = int(np.ceil(extent[0] / cell)) + 6
            gh = int(np.ceil(extent[1] / cell)) + 6
            grids = [self._grid(rng, gh, gw)]
            if evolving:
                grids.append(self._grid(rng, gh, gw))
            amp = persistence**k
            amps.append(amp)
            # Small eddies turn over faster: omega ~ cell^(-2/3).
            rate = evolution_rate * (base_cell / cell)**(2.0 / 3.0)
            self.layers.append((cell, amp, rate, grids))
            cell /= 2.0
        self.norm = 1.0 / np.sqrt(np.sum(np.square(amps))) if amps else 0.0

    @staticmethod
    def _grid(rng, gh, gw):
        grid = rng.standard_normal((gh, gw)).astype(np.float32)
        # Smoothing on the grid removes the square look of value noise.
        grid = cv2.GaussianBlur(grid, (0, 0), 0.8,
                                borderType=cv2.BORDER_REFLECT)
        grid /= max(float(grid.std()), 1e-6)
        return grid

    def sample(self, t=0.0, offset=(0.0, 0.0)):
        """Return the field at time ``t`` shifted by ``offset``.

        Args:
            t (float): Time in frames (evolution). Default: 0.
            offset (tuple[float, float]): (dx, dy) in pixels; the pattern
                moves by ``offset`` (a positive dx moves it to the right).

        Returns:
            np.ndarray: float32 field of shape (H, W), about unit variance.
        """
        h, w = self.shape
        out = np.zeros((h, w), np.float32)
        # Image pixel p shows world point p - offset.
        shift = -(self.base @ np.asarray(offset, float)) - self.origin
        for cell, amp, rate, grids in self.layers:
            if t and len(grids) > 1:
                grid = grids[0] * np.float32(math.cos(rate * t)) + \
                    grids[1] * np.float32(math.sin(rate * t))
            else:
                grid = grids[0]
            # grid index = (base @ p + shift) / cell + 3
            mat = np.hstack([self.base / cell,
                             (shift / cell + 3.0)[:, None]]).astype(
                                 np.float32)
            out += amp * cv2.warpAffine(
                grid,
                mat, (w, h),
                flags=cv2.INTER_CUBIC | cv2.WARP_INVERSE_MAP,
                borderMode=cv2.BORDER_REFLECT)
        out *= self.norm
        return out

"""Camera model: optics blur, temporal and fixed-pattern noise, 8-bit AGC.

Figures from the physics notes (``docs/synthetic_data.md``):

* temporal noise, the noise-equivalent temperature difference (NETD):
  cooled MWIR 10-20 mK, uncooled LWIR 30-60 mK (vendor data sheets),
  quoted for a 30 degC scene. Cold scenes are noisier in kelvin: the
  radiance changes less per kelvin there, and a photon-limited (cooled
  MWIR) detector's radiance noise goes as the square root of the flux, so
  clear sky shows more grain than warm equipment;
* fixed-pattern noise: row and column stripes of 0.2-1 x NETD and a slow,
  smooth offset drift (non-uniformity correction residue);
* optics: a Gaussian point-spread function of about a pixel;
* display: automatic gain control, a percentile stretch of the scene to 8
  bits (a 5-40 K span, so one grey level is about 20-150 mK), white-hot or
  black-hot;
* what real footage also carries (the physics notes, "How real labelled OGI
  frames look"): vignetting, a residual radial fall-off the non-uniformity
  correction leaves (static, darker corners), and camera overlays burned
  into the video output (a logo, temperature and mode read-outs, a colour
  scale bar, a centre cross-hair).
"""
import cv2
import numpy as np

from .noise import FractalNoise
from .radiometry import BAND_WAVELENGTH_UM, planck, planck_slope

#: Scene temperature (K) at which data sheets quote the NETD.
NETD_REFERENCE_K = 303.15


def sample_sensor(rng, cfg):
    """Sample a camera spec.

    Args:
        rng (np.random.Generator): Random source.
        cfg (dict): The ``sensor`` part of a preset.

    Returns:
        dict: JSON-friendly camera spec for :class:`Sensor`.
    """
    cooled = rng.random() >= cfg['uncooled_prob']
    netd = rng.uniform(*(cfg['netd_cooled'] if cooled else
                         cfg['netd_uncooled'])) / 1000.0
    spec = dict(
        band='mwir' if cooled else 'lwir',
        netd=round(float(netd), 5),
        row_fpn=round(float(netd * rng.uniform(*cfg['fpn_factor'])), 5),
        col_fpn=round(float(netd * rng.uniform(*cfg['fpn_factor'])), 5),
        drift=round(float(netd * rng.uniform(0.0, 2.0)), 5),
        psf_sigma=round(float(rng.uniform(*cfg['psf_sigma'])), 3),
        tau_atm=round(float(rng.uniform(*cfg['tau_atm'])), 4),
        agc_low=round(float(rng.uniform(*cfg.get('agc_low', (0.5, 2.0)))),
                      3),
        agc_high=round(
            float(rng.uniform(*cfg.get('agc_high', (98.0, 99.5)))), 3),
        min_span=float(cfg['min_span']),
        polarity='black_hot' if rng.random() < cfg['black_hot_prob'] else
        'white_hot',
        fps=float(cfg['fps']),
        seed=int(rng.integers(2**31 - 1)))
    # Drawn last, and only when the preset asks, so presets without a
    # region-of-interest AGC, vignetting or overlays keep their random
    # streams.
    if cfg.get('agc_roi_prob', 0) > 0:
        spec['agc_roi'] = round(float(rng.uniform(*cfg['agc_roi_size'])),
                                3) if rng.random() < cfg['agc_roi_prob'] \
            else None
    if 'vignetting' in cfg:
        spec['vignetting'] = round(float(rng.uniform(*cfg['vignetting'])),
                                   4)
    if cfg.get('overlay_prob', 0) > 0:
        spec['overlay'] = int(rng.integers(2**31 - 1)) \
            if rng.random() < cfg['overlay_prob'] else None
    return spec


def burn_overlay(image, seed):
    """Burn camera overlays into an 8-bit frame (in place), as OGI cameras
    do in their video output: a maker's logo, temperature / mode / time
    read-outs, a vertical colour scale bar and a centre cross-hair, each
    present at random. Overlays hide the scene but not the gas an
    annotator outlines, so masks are unchanged.

    Args:
        image (np.ndarray): (H, W) uint8 frame.
        seed (int): Overlay seed (the sensor spec's ``overlay``).
    """
    rng = np.random.default_rng(seed)
    h, w = image.shape
    scale = w / 320.0
    font = cv2.FONT_HERSHEY_SIMPLEX
    ink = int(rng.choice((255, 0), p=(0.8, 0.2)))

    def text(s, x, y, size):
        # an outline in the opposite shade keeps text legible on any scene
        cv2.putText(image, s, (int(x), int(y)), font, size * scale,
                    255 - ink, max(int(3 * scale), 2), cv2.LINE_AA)
        cv2.putText(image, s, (int(x), int(y)), font, size * scale, ink,
                    max(int(scale), 1), cv2.LINE_AA)

    if rng.random() < 0.6:
        logo = str(rng.choice(('FLIR', 'OGI', 'IR-CAM', 'GF320', 'VOC')))
        text(logo, rng.uniform(4, 20) * scale,
             h - rng.uniform(6, 14) * scale, rng.uniform(0.4, 0.6))
    if rng.random() < 0.7:
        text(f'{rng.uniform(-10, 45):.1f} C', rng.uniform(4, 12) * scale,
             rng.uniform(14, 22) * scale, rng.uniform(0.35, 0.5))
    if rng.random() < 0.4:
        text(str(rng.choice(('HSM', 'AUTO', 'MAN', 'REC', 'x2'))),
             w - rng.uniform(40, 60) * scale, rng.uniform(14, 22) * scale,
             rng.uniform(0.35, 0.5))
    if rng.random() < 0.4:
        text(f'{int(rng.integers(0, 24)):02d}:{int(rng.integers(0, 60)):02d}'
             f':{int(rng.integers(0, 60)):02d}', w * rng.uniform(0.35, 0.5),
             h - rng.uniform(5, 10) * scale, 0.35)
    if rng.random() < 0.4:
        bar_w = max(int(rng.uniform(5, 10) * scale), 2)
        x0 = w - bar_w - int(rng.uniform(2, 8) * scale)
        y0, y1 = int(h * 0.2), int(h * 0.8)
        image[y0:y1, x0:x0 + bar_w] = np.linspace(
            255, 0, y1 - y0).astype(np.uint8)[:, None]
    if rng.random() < 0.3:
        cx, cy, r = w // 2, h // 2, max(int(8 * scale), 3)
        cv2.line(image, (cx - r, cy), (cx + r, cy), ink, 1)
        cv2.line(image, (cx, cy - r), (cx, cy + r), ink, 1)
    return image


class Sensor:
    """Turns noise-free apparent temperature into 8-bit frames.

    The fixed pattern (stripes, drift) is drawn once at construction from
    ``spec['seed']``, so all frames of a video share it; temporal noise is
    drawn per frame from the ``rng`` passed to :meth:`expose`.

    Args:
        spec (dict): From :func:`sample_sensor`.
        shape (tuple[int, int]): Image (H, W).
    """

    def __init__(self, spec, shape):
        self.spec = spec
        h, w = shape
        rng = np.random.default_rng(spec['seed'])
        self.fixed = (
            spec['row_fpn'] * rng.standard_normal((h, 1)) +
            spec['col_fpn'] * rng.standard_normal((1, w))).astype(np.float32)
        if spec['drift'] > 0:
            self.fixed += spec['drift'] * FractalNoise(
                rng, shape, max(h, w) / 2.0, octaves=2).sample()
        if spec.get('vignetting', 0) > 0:
            # darker towards the corners, quadratic in the field angle
            y, x = np.ogrid[:h, :w]
            r2 = ((x - (w - 1) / 2)**2 + (y - (h - 1) / 2)**2) / (
                ((w - 1) / 2)**2 + ((h - 1) / 2)**2)
            self.fixed -= np.float32(spec['vignetting']) * r2.astype(
                np.float32)
        self.agc_range = None

    def blur(self, image):
        """Optics point-spread function (Gaussian)."""
        s = self.spec['psf_sigma']
        if s <= 0:
            return image
        return cv2.GaussianBlur(image, (0, 0), s,
                                borderType=cv2.BORDER_REFLECT)

    def netd_map(self, apparent):
        """Temporal noise (K, one sigma) at each pixel's apparent temperature.

        The radiance noise is constant for a detector-limited (uncooled
        LWIR) camera and grows as the square root of the radiance for a
        photon-limited (cooled MWIR) one; dividing by the slope of the
        Planck curve turns it into kelvin. Equals ``netd`` at 30 degC.
        """
        lam = BAND_WAVELENGTH_UM[self.spec['band']]
        t0 = NETD_REFERENCE_K
        ratio = planck_slope(t0, lam) / planck_slope(apparent, lam)
        if self.spec['band'] == 'mwir':
            ratio = ratio * np.sqrt(planck(apparent, lam) / planck(t0, lam))
        return (self.spec['netd'] * np.clip(ratio, 0.2, 5.0)).astype(
            np.float32)

    def expose(self, clean, rng, netd=None):
        """Add fixed-pattern and temporal noise (Kelvin).

        Args:
            clean (np.ndarray): Noise-free apparent temperature (H, W).
            rng (np.random.Generator): Temporal noise source.
            netd (np.ndarray, optional): Per-pixel noise from
                :meth:`netd_map`; computed when not given.
        """
        if netd is None:
            netd = self.netd_map(clean)
        noise = rng.standard_normal(clean.shape, dtype=np.float32)
        return clean + self.fixed + netd * noise

    def gain(self, noisy, roi=None):
        """Percentile-stretch limits (lo, hi) in Kelvin of a frame.

        Args:
            noisy (np.ndarray): The exposed frame (K).
            roi (tuple[slice, slice], optional): The part of the frame the
                gain is computed on (the camera's AGC region of interest);
                default the whole frame.
        """
        flat = (noisy if roi is None else noisy[roi]).ravel()
        n = flat.size
        k_lo = int(np.clip(self.spec['agc_low'] / 100 * (n - 1), 0, n - 1))
        k_hi = int(np.clip(self.spec['agc_high'] / 100 * (n - 1), 0, n - 1))
        part = np.partition(flat, (k_lo, k_hi))
        lo, hi = float(part[k_lo]), float(part[k_hi])
        # A real AGC has a minimum span: flat scenes are not stretched into
        # pure noise.
        if hi - lo < self.spec['min_span']:
            mid = 0.5 * (lo + hi)
            lo, hi = mid - self.spec['min_span'] / 2, mid + \
                self.spec['min_span'] / 2
        return lo, hi

    def to_8bit(self, noisy, agc_range=None, roi=None):
        """Quantise to uint8 with the given (or this frame's) AGC limits.

        ``roi`` is passed to :meth:`gain` when no ``agc_range`` is given.

        Returns:
            tuple[np.ndarray, tuple[float, float]]: The (H, W) uint8 frame
            and the (lo, hi) limits used.
        """
        lo, hi = agc_range if agc_range is not None else self.gain(
            noisy, roi)
        scaled = (noisy - np.float32(lo)) * np.float32(255.0 / (hi - lo))
        if self.spec['polarity'] == 'black_hot':
            scaled = 255.0 - scaled
        image = np.clip(np.rint(scaled), 0, 255).astype(np.uint8)
        if self.spec.get('overlay') is not None:
            burn_overlay(image, self.spec['overlay'])
        return image, (lo, hi)

"""Gas (and steam/exhaust) plumes as streaklines of Gaussian puffs.

A leak emits puffs continuously. Each puff moves with the wind, its own
buoyancy, the momentum of the leak jet and a random turbulent velocity (an
Ornstein-Uhlenbeck process, i.e. a Blackadar-style random walk), and widens
with its dispersion distance:

* in the jet (up to ``jet_length``) as a cone of half-angle 10-15 degrees:
  the plume's visible edge, taken at 2 sigma, grows by ``tan(half_angle)``
  per pixel; the jet slows as 1/width, which keeps the column along its
  core constant;
* beyond, as a Gaussian plume with Pasquill-Gifford widths
  ``sigma_y = a * x^0.894`` (Turner's fit, x in km, sigma in m) for the
  stability class (A very unstable ... F stable), continued from the jet's
  width through a virtual origin; puffs take the instantaneous (relative)
  width, the meander of the streakline supplies the rest (Gifford's
  fluctuating plume).

The wind direction and speed fluctuate (shared by all plumes of a frame),
so the streakline meanders and sways. The mean column density ``CL`` is the
sum of the puffs (resampled along the streakline so it is continuous);
turbulence is a multiplicative log-normal field from advected multi-octave
noise whose strength grows downwind: coherent near the source, ragged and
intermittent far away. Opacity follows Beer-Lambert, ``a = 1 - exp(-k CL)``
with ``k`` set by the peak opacity of the jet core.

References (see ``docs/synthetic_data.md``): F. Pasquill (1961), F. A.
Gifford (1959, 1961), D. B. Turner (1970) Workbook of Atmospheric Dispersion
Estimates; A. K. Blackadar (1997) Turbulence and Diffusion in the
Atmosphere; G. I. Taylor (1921) Diffusion by continuous movements.
"""
import math

import numpy as np

from .noise import FractalNoise

#: Turner's sigma_y = a * x_km^0.894 (m) coefficients per stability class.
PG_COEFF = dict(A=213.0, B=156.0, C=104.0, D=68.0, E=50.5, F=34.0)
PG_EXPONENT = 0.894
#: Turbulence intensity sigma_u / u per stability class (order of magnitude).
TURBULENCE_INTENSITY = dict(A=0.35, B=0.28, C=0.2, D=0.14, E=0.1, F=0.07)


class WindField:
    """Spatially uniform wind whose direction and speed fluctuate in time.

    Args:
        rng (np.random.Generator): Random source for the fluctuations.
        speed (float): Mean in-plane speed, pixels per frame.
        direction (float): Mean direction in radians (image axes, y down).
        direction_std (float): Std of the direction fluctuation (rad).
        speed_std (float): Std of the speed fluctuation as a fraction of
            ``speed``.
        timescale (float): Correlation time of the fluctuations in frames.
    """

    def __init__(self, rng, speed, direction, direction_std, speed_std,
                 timescale):
        self.rng = rng
        self.speed, self.direction = speed, direction
        self.direction_std, self.speed_std = direction_std, speed_std
        self.phi = math.exp(-1.0 / max(timescale, 1.0))
        self.d_dir = rng.normal(0.0, direction_std)
        self.d_speed = rng.normal(0.0, speed_std)
        self.offset = np.zeros(2)  # cumulative displacement (advection)

    @property
    def vector(self):
        """Current (vx, vy) in pixels per frame."""
        ang = self.direction + self.d_dir
        spd = self.speed * max(1.0 + self.d_speed, 0.1)
        return np.array([spd * math.cos(ang), spd * math.sin(ang)])

    def step(self):
        """Advance one frame."""
        k = math.sqrt(1.0 - self.phi**2)
        self.d_dir = self.phi * self.d_dir + k * self.rng.normal(
            0.0, self.direction_std)
        self.d_speed = self.phi * self.d_speed + k * self.rng.normal(
            0.0, self.speed_std)
        self.offset += self.vector


def pg_sigma_px(x_px, stability, pixel_m):
    """Pasquill-Gifford crosswind sigma (pixels) at downwind distance x."""
    x_km = np.maximum(x_px, 0.0) * pixel_m / 1000.0
    return PG_COEFF[stability] * x_km**PG_EXPONENT / pixel_m


def pg_virtual_distance(sigma_px, stability, pixel_m):
    """Distance (pixels) at which the PG sigma equals ``sigma_px``."""
    x_km = (sigma_px * pixel_m / PG_COEFF[stability])**(1.0 / PG_EXPONENT)
    return x_km * 1000.0 / pixel_m


def plume_sigma(travel, spec):
    """Puff width (pixels) after ``travel`` pixels: jet cone, then PG.

    Args:
        travel (np.ndarray): Mean-flow path length travelled, pixels.
        spec (dict): Plume spec (``sigma0``, ``half_angle``,
            ``jet_length``, ``stability``, ``pixel_m`` and
            ``relative_width``, the instantaneous puff width as a fraction
            of the time-averaged PG width; meander makes up the rest).

    Returns:
        np.ndarray: sigma in pixels, same shape as ``travel``.
    """
    slope = math.tan(math.radians(spec['half_angle'])) / 2.0
    lj = spec['jet_length']
    rel = spec.get('relative_width', 1.0)
    sig_jet = spec['sigma0'] + slope * np.minimum(travel, lj)
    sig_end = spec['sigma0'] + slope * lj
    xv = pg_virtual_distance(sig_end / rel, spec['stability'],
                             spec['pixel_m'])
    far = rel * pg_sigma_px(xv + np.maximum(travel - lj, 0.0),
                            spec['stability'], spec['pixel_m'])
    return np.where(travel <= lj, sig_jet, far)


def splat_gaussians(shape, xs, ys, sigmas, masses, values=None):
    """Sum isotropic Gaussians of given mass; each cut at 4 sigma.

    Args:
        shape (tuple[int, int]): (H, W) of the output.
        xs, ys, sigmas, masses (np.ndarray): Per-puff centre, width and
            mass, shape (N,).
        values (np.ndarray, optional): Per-puff value; when given, the
            mass-weighted sum of values is returned as well.

    Returns:
        tuple[np.ndarray, np.ndarray | None]: The density (H, W) float32
        (mass per pixel) and the weighted value sum or None.
    """
    h, w = shape
    dens = np.zeros((h, w), np.float32)
    acc = np.zeros((h, w), np.float32) if values is not None else None
    for i in range(len(xs)):
        x, y, s, m = xs[i], ys[i], sigmas[i], masses[i]
        r = 4.0 * s + 1.0
        kx = np.arange(int(x - r), int(x + r) + 2)
        ky = np.arange(int(y - r), int(y + r) + 2)
        x0, x1 = max(kx[0], 0), min(kx[-1] + 1, w)
        y0, y1 = max(ky[0], 0), min(ky[-1] + 1, h)
        if x0 >= x1 or y0 >= y1:
            continue
        # Kernels tapered to zero at the cut-off (no square edges at low
        # levels) and normalised discretely (sub-pixel puffs keep their
        # mass).
        edge = math.exp(-0.5 * (r / s)**2)
        gx = np.maximum(np.exp(-0.5 * ((kx + 0.5 - x) / s)**2) - edge, 0)
        gy = np.maximum(np.exp(-0.5 * ((ky + 0.5 - y) / s)**2) - edge, 0)
        norm = m / (gx.sum() * gy.sum())
        gx = gx[x0 - kx[0]:x1 - kx[0]]
        gy = gy[y0 - ky[0]:y1 - ky[0]] * norm
        blk = np.outer(gy, gx).astype(np.float32)
        dens[y0:y1, x0:x1] += blk
        if acc is not None:
            acc[y0:y1, x0:x1] += blk * np.float32(values[i])
    return dens, acc


def _resample_chain(xs, ys, sig, tr, mass, step=1.2):
    """Resample a streakline of puffs (oldest first) to even spacing.

    Gaussians spaced ``step`` widths apart sum to a smooth ridge (the
    ripple is about ``2 exp(-2 pi^2 / step^2)``, 3e-6 at 1.2).

    Puff ``i`` carries ``mass[i]`` spread uniformly along the segment to
    puff ``i + 1``; the newest puff keeps its own mass as a point.

    Returns:
        tuple[np.ndarray]: x, y, sigma, travel, mass of the new puffs.
    """
    if len(xs) < 2:
        return xs, ys, sig, tr, mass
    seg = np.hypot(np.diff(xs), np.diff(ys)) / np.minimum(sig[:-1], sig[1:])
    coord = np.r_[0.0, np.cumsum(seg)]
    cmass = np.r_[0.0, np.cumsum(mass[:-1])]
    n = max(int(math.ceil(coord[-1] / step)), 1)
    edges = np.linspace(0.0, coord[-1], n + 1)
    mid = 0.5 * (edges[:-1] + edges[1:])
    m = np.diff(np.interp(edges, coord, cmass))
    out = [np.interp(mid, coord, v) for v in (xs, ys, sig, tr)] + [m]
    return [np.r_[o, v[-1]] for o, v in zip(out, (xs, ys, sig, tr, mass))]


class PuffPlume:
    """A leak (or steam/exhaust source) as a streakline of puffs over time.

    The source emits ``n_sub`` puffs per frame (enough to resolve the bend
    of the jet). A puff emitted at time ``t_e`` is, at time ``T``
    (age ``a = T - t_e``), at::

        source + jet_dir * s_jet(a) + (C(T) - C(t_e)) + buoyancy * a + D

    where ``s_jet`` is the distance a round momentum jet covers in still air
    (speed ~ 1 / width, slowing to the ambient flow at ``jet_length`` and
    fading beyond), ``C`` the cumulative displacement by the (fluctuating,
    shared) wind and ``D`` the puff's own turbulent random walk (an
    Ornstein-Uhlenbeck velocity). Widths follow the dispersion distance
    ``s_jet(a) + |flow| a`` (Taylor: dispersion grows with travel time).
    Puff mass is the emission time it stands for, so the column density of
    a steady leak is its line density ``1 / speed`` spread over the width.
    Older puffs are thinned to one per frame; everything is vectorised, so
    establishing a plume costs the same as one frame.

    Args:
        spec (dict): From :func:`make_plume_spec`. Lengths in pixels, speeds
            in pixels per frame, temperatures in Kelvin.
        shape (tuple[int, int]): Image (H, W).
        rng (np.random.Generator): Random source (turbulent velocities and
            the noise field).
        max_frames (int): Frames the plume will be rendered for after its
            warm-up (sizes the advected noise). Default: 1.
    """

    def __init__(self, spec, shape, rng, max_frames=1):
        self.spec = spec
        self.shape = shape
        self.rng = rng
        drift = spec['wind_speed'] * 1.6 * max_frames + 4
        # Filaments are drawn out along the flow.
        self.noise = FractalNoise(
            rng, shape, spec['noise_cell'], octaves=spec['noise_octaves'],
            persistence=spec['noise_persistence'], drift=drift,
            evolving=max_frames > 1, evolution_rate=spec['evolution_rate'],
            stretch=spec['noise_stretch'], angle=spec['wind_dir'])
        self.jet_dir = np.array(
            [math.cos(spec['jet_dir']), math.sin(spec['jet_dir'])])
        self.kappa = math.tan(math.radians(spec['half_angle'])) / 2.0
        self.max_age = spec['max_age']
        s0, lj, v0 = spec['sigma0'], spec['jet_length'], spec['jet_speed']
        self.ambient = max(math.hypot(spec['wind_speed'], spec['buoyancy']),
                           0.3)
        # s_jet(t) from t(s) = integral of ds / v_jet(s).
        self._s_grid = np.linspace(0.0, 8.0 * lj, 512)
        v = v0 * s0 / (s0 + self.kappa * self._s_grid) * np.exp(
            -np.maximum(self._s_grid - lj, 0.0) / lj)
        inv = 1.0 / v
        self._t_grid = np.r_[0.0, np.cumsum(
            0.5 * (inv[1:] + inv[:-1]) * np.diff(self._s_grid))]
        self.young_age = min(
            float(np.interp(3.0 * lj, self._s_grid, self._t_grid)),
            float(self.max_age))
        self.n_sub = int(min(max(math.ceil(
            4.0 * (v0 + spec['wind_speed']) / lj), 1), 16))
        # A momentum jet keeps its axial column (line density ~ width), so
        # the nozzle's column is the column along the whole jet core, where
        # the peak opacity is reached; fixed for the plume's life so a video
        # keeps one leak rate.
        wx = spec['wind_speed'] * math.cos(spec['wind_dir'])
        wy = spec['wind_speed'] * math.sin(spec['wind_dir']) + \
            spec['buoyancy']
        v_src = math.hypot(v0 * self.jet_dir[0] + wx,
                           v0 * self.jet_dir[1] + wy)
        cl_ref = 1.0 / (math.sqrt(2 * math.pi) * s0 * max(v_src, 0.1))
        self.k = spec['optical_depth'] / cl_ref
        self.phi = math.exp(-1.0 / spec['turb_timescale'])
        # state: emission time, cumulative wind at emission, turbulent
        # velocity and displacement, whether the puff survives thinning
        self.te = np.zeros(0)
        self.ce = np.zeros((0, 2))
        self.vel = np.zeros((0, 2))
        self.disp = np.zeros((0, 2))
        self.coarse = np.zeros(0, bool)
        self.now = 0.0
        self.c_now = np.zeros(2)
        self.emitting = False

    def jet_distance(self, age):
        """Distance (px) the jet carries gas in still air after ``age``."""
        return np.interp(age, self._t_grid, self._s_grid)

    def _turb_std(self, age):
        # From 0 at the nozzle (momentum dominated) to the ambient level.
        return self.spec['turb_std'] * (1.0 - np.exp(-age / 3.0))

    def warm_up(self, winds):
        """Establish the plume: it has leaked for ``len(winds)`` frames.

        Args:
            winds (np.ndarray): (K, 2) wind vectors of the K past frames,
                oldest first; the plume is then at time K.
        """
        winds = np.asarray(winds, float).reshape(-1, 2)
        k = len(winds)
        cum = np.vstack([np.zeros((1, 2)), np.cumsum(winds, axis=0)])
        n = self.n_sub
        # fine emission times while young, one per frame once old
        young = max(k - self.young_age - 1.0, 0.0)
        te_fine = np.arange(math.floor(young) * n, k * n) / n
        te_old = np.arange(max(k - self.max_age, 0), math.floor(young))
        te = np.r_[te_old, te_fine].astype(float)
        idx = np.minimum(te.astype(int), k - 1)
        frac = te - np.floor(te)
        ce = cum[idx] + frac[:, None] * winds[idx]
        age = k - te
        # integrated Ornstein-Uhlenbeck statistics of a puff of this age
        tau = self.spec['turb_timescale']
        sig = self._turb_std(age)[:, None]
        dvar = 2 * tau * tau * (age / tau - 1 + np.exp(-age / tau))
        self.disp = sig * np.sqrt(dvar)[:, None] * \
            self.rng.standard_normal((len(te), 2))
        self.vel = sig * np.sqrt(1 - np.exp(-2 * age / tau))[:, None] * \
            self.rng.standard_normal((len(te), 2))
        self.te, self.ce = te, ce
        self.coarse = np.abs(te - np.round(te)) < 1e-9
        self.now = float(k)
        self.c_now = cum[-1].copy()
        self.emitting = k > 0

    def step(self, wind, emit):
        """Advance one frame with wind vector ``wind`` (vx, vy).

        Args:
            wind (np.ndarray): Wind (vx, vy) during this frame, px/frame.
            emit (bool): Whether the source emits during this frame.
        """
        wind = np.asarray(wind, float)
        n = len(self.te)
        if n:
            age = self.now - self.te
            kick = math.sqrt(1 - self.phi**2) * self._turb_std(age)
            self.vel = self.phi * self.vel + kick[:, None] * \
                self.rng.standard_normal((n, 2))
            self.disp = self.disp + self.vel
        if emit:
            f = np.arange(self.n_sub) / self.n_sub
            self.te = np.r_[self.te, self.now + f]
            self.ce = np.vstack([self.ce, self.c_now + f[:, None] * wind])
            zero = np.zeros((self.n_sub, 2))
            self.vel = np.vstack([self.vel, zero])
            self.disp = np.vstack([self.disp, zero])
            self.coarse = np.r_[self.coarse, f == 0]
        self.now += 1.0
        self.c_now = self.c_now + wind
        self.emitting = bool(emit)
        age = self.now - self.te
        keep = (age <= self.max_age) & (self.coarse |
                                        (age <= self.young_age + 1.0))
        if not keep.all():
            for name in ('te', 'ce', 'vel', 'disp', 'coarse'):
                setattr(self, name, getattr(self, name)[keep])

    def _points(self):
        """Puffs interpolated along the streakline, newest last."""
        sp = self.spec
        te = self.te
        if self.emitting:
            # The nozzle itself closes the streakline.
            te = np.r_[te, self.now]
        if len(te) == 0:
            return [np.zeros(0)] * 5
        age = self.now - te
        pos = np.empty((len(te), 2))
        pos[:, 0] = sp['x0']
        pos[:, 1] = sp['y0']
        pos += self.jet_distance(age)[:, None] * self.jet_dir
        pos[:, 1] += sp['buoyancy'] * age
        n = len(self.te)
        pos[:n] += self.c_now - self.ce + self.disp
        # a puff stands for the emission time up to the next one
        gap = np.diff(te)
        linked = gap <= 1.0 + 1e-6
        mass = np.r_[np.where(linked, gap, 1.0 / self.n_sub),
                     0.0 if self.emitting else 1.0 / self.n_sub]
        fade = np.clip((self.max_age - age) / (0.25 * self.max_age), 0.0,
                       1.0)
        dist = self.jet_distance(age) + self.ambient * age
        mass = mass * fade * np.exp(-dist / sp['decay_length'])
        sig = np.minimum(plume_sigma(dist, sp), 0.6 * max(self.shape))
        # Resample each chain of continuously emitted puffs uniformly in
        # sigma-normalised arc length: close puffs are merged, wide gaps
        # filled, so the column is continuous at the cost of about 1/step
        # puffs per plume width.
        cuts = np.flatnonzero(~linked) + 1
        parts = [[], [], [], [], []]
        for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(te)]):
            for part, v in zip(parts, _resample_chain(
                    pos[lo:hi, 0], pos[lo:hi, 1], sig[lo:hi], dist[lo:hi],
                    mass[lo:hi])):
                part.append(v)
        return [np.concatenate(p) for p in parts]

    def render(self, wind_offset=(0.0, 0.0)):
        """Column, opacity and temperature fields at the current frame.

        Args:
            wind_offset (tuple[float, float]): Cumulative wind displacement
                since the first rendered frame (advects the turbulence).

        Returns:
            dict: ``opacity`` (H, W) float32, ``temperature`` (H, W) float32
            layer temperature in Kelvin, ``mean_column`` (H, W) float32
            (before turbulence, in units of the core column).
        """
        sp = self.spec
        h, w = self.shape
        xs, ys, sig, tr, mass = self._points()
        dens, acc = splat_gaussians((h, w), xs, ys, sig, mass, tr)
        travel = acc / np.maximum(dens, 1e-12)
        beta = sp['beta_near'] + (sp['beta_far'] - sp['beta_near']) * (
            1.0 - np.exp(-travel / sp['beta_length']))
        field = self.noise.sample(self.now, wind_offset)
        # Mean-preserving log-normal modulation: ragged, intermittent edges.
        column = dens * np.exp(beta * field - 0.5 * beta * beta)
        opacity = -np.expm1(-self.k * column).astype(np.float32)
        temp = sp['t_air'] + sp['dt_source'] * np.exp(
            -travel / sp['mix_length'])
        return dict(
            opacity=opacity,
            temperature=temp.astype(np.float32),
            mean_column=dens * np.float32(self.k / sp['optical_depth']))


def make_plume_spec(x0,
                    y0,
                    jet_dir,
                    t_air,
                    wind,
                    pixel_m,
                    shape,
                    kind='gas',
                    gas='light',
                    source_kind='free',
                    dt_source=0.0,
                    mix_length=20.0,
                    jet_length=10.0,
                    sigma0=1.0,
                    half_angle=12.0,
                    buoyancy=0.0,
                    peak_opacity=0.1,
                    optical_depth=None,
                    turb_scale=0.6,
                    turb_timescale=8.0,
                    beta_near=0.3,
                    beta_far=1.0,
                    beta_length=20.0,
                    noise_cell=12.0,
                    noise_octaves=4,
                    noise_persistence=0.6,
                    noise_stretch=2.0,
                    relative_width=0.5,
                    evolution_rate=0.05,
                    decay_length=1e9,
                    max_age_cap=300,
                    seed=0):
    """Build a plume spec for :class:`PuffPlume` from physical parameters.

    Derives the jet's exit speed (a round jet slowing as 1/width reaches
    the ambient flow at ``jet_length``), keeps the jet within 110 degrees of
    the ambient flow (a jet aimed into the wind is turned back into a lump
    next to the nozzle) and sizes the puff lifetime to the image.

    Args:
        x0, y0 (float): Source position (px).
        jet_dir (float): Jet direction (rad, image axes, y down).
        t_air (float): Air temperature (K); the gas mixes towards it.
        wind (dict): ``speed`` (px/frame), ``direction`` (rad),
            ``stability`` (A-F).
        pixel_m (float): Pixel footprint (m).
        shape (tuple[int, int]): Image (H, W).
        kind (str): ``gas``, ``steam`` or ``exhaust``. Default: ``gas``.
        dt_source (float): Gas temperature above the air at the nozzle (K).
        mix_length (float): e-folding distance (px) of that excess.
        jet_length (float): Distance (px) where the jet slows to the flow.
        sigma0 (float): Nozzle width (px).
        half_angle (float): Jet cone half-angle (deg).
        buoyancy (float): Vertical drift (px/frame, negative rises).
        peak_opacity (float): Opacity of the jet core.
        optical_depth (float, optional): ``k CL`` of the core; default
            ``-ln(1 - peak_opacity)``.
        turb_scale (float): Puff turbulent velocity, in units of the
            stability class's turbulence intensity times the wind speed.
        relative_width (float): Instantaneous puff width / PG width.
        decay_length (float): e-folding travel (px) of the mass (steam
            evaporating); default: no decay.
        Other args: turbulence-noise and modulation parameters.

    Returns:
        dict: JSON-friendly plume spec.
    """
    h, w = shape
    speed = float(wind['speed'])
    flow = math.atan2(speed * math.sin(wind['direction']) + buoyancy,
                      speed * math.cos(wind['direction']))
    off = (jet_dir - flow + math.pi) % (2 * math.pi) - math.pi
    lim = math.radians(110.0)
    jet_dir = flow + max(-lim, min(lim, off))
    kappa = math.tan(math.radians(half_angle)) / 2.0
    ambient = max(math.hypot(speed, buoyancy), 0.3)
    jet_speed = ambient * (1.0 + kappa * jet_length / sigma0)
    mean_speed = max(speed, 0.3)
    max_age = int(
        min(1.4 * math.hypot(h, w) / mean_speed + 2 * jet_length / ambient,
            max_age_cap))
    if optical_depth is None:
        optical_depth = -math.log1p(-peak_opacity)
    r = lambda v, nd=4: round(float(v), nd)  # noqa: E731
    stab = wind['stability']
    return dict(
        kind=kind,
        gas=gas,
        source_kind=source_kind,
        x0=r(x0, 2),
        y0=r(y0, 2),
        t_air=r(t_air, 3),
        dt_source=r(dt_source, 3),
        mix_length=r(mix_length, 2),
        jet_dir=r(jet_dir),
        jet_speed=r(jet_speed, 3),
        jet_length=r(jet_length, 2),
        half_angle=r(half_angle, 2),
        sigma0=r(sigma0, 3),
        stability=stab,
        pixel_m=r(pixel_m, 5),
        wind_speed=r(speed, 3),
        wind_dir=r(wind['direction']),
        buoyancy=r(buoyancy, 3),
        turb_std=r(TURBULENCE_INTENSITY[stab] * turb_scale * mean_speed, 3),
        turb_timescale=r(turb_timescale, 2),
        peak_opacity=r(peak_opacity, 5),
        optical_depth=r(optical_depth, 5),
        beta_near=r(beta_near, 3),
        beta_far=r(beta_far, 3),
        beta_length=r(beta_length, 2),
        noise_cell=r(noise_cell, 2),
        noise_octaves=int(noise_octaves),
        noise_persistence=r(noise_persistence, 3),
        noise_stretch=r(noise_stretch, 3),
        relative_width=r(relative_width, 3),
        evolution_rate=r(evolution_rate, 3),
        decay_length=r(decay_length, 2),
        max_age=max_age,
        seed=int(seed))


def _sample_opacity(rng, cfg):
    lo, hi = cfg['opacity']
    split = min(max(cfg.get('opacity_split', lo), lo), hi)
    if rng.random() < cfg.get('small_leak_prob', 0.0):
        hi = split
    else:
        lo = split
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def sample_plume(rng, source, kind, t_air, wind, pixel_m, cfg, shape):
    """Sample a plume spec.

    Args:
        rng (np.random.Generator): Random source.
        source (dict): ``x``, ``y``, ``dir`` (outward direction, radians,
            or None for any) and ``kind`` of the source point (stacks and
            engines also carry ``width``).
        kind (str): ``'gas'``, ``'steam'`` or ``'exhaust'``.
        t_air (float): Air temperature (K).
        wind (dict): ``speed`` (px/frame), ``direction`` (rad),
            ``stability`` (A-F).
        pixel_m (float): Pixel footprint at the leak (m per pixel).
        cfg (dict): The ``gas`` part of a preset (``opacity``,
            ``gas_probs``, ``t_source_probs``, ``fps``, ``max_age``).
        shape (tuple[int, int]): Image (H, W).

    Returns:
        dict: JSON-friendly plume spec (:func:`make_plume_spec`).
    """
    def u(lo, hi):
        return float(rng.uniform(lo, hi))

    def logu(lo, hi):
        return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))

    h, w = shape
    turb = cfg.get('turbulence', {})
    spread = source.get('dir')
    jet_dir = (spread + rng.normal(0, 0.35)) if spread is not None else \
        u(-math.pi, math.pi)
    to_px = 1.0 / (pixel_m * cfg['fps'])  # m/s -> px/frame
    p = dict(kind=kind, source_kind=source.get('kind', 'free'),
             half_angle=u(10.0, 15.0), max_age_cap=cfg['max_age'])
    if kind == 'gas':
        gas = str(rng.choice(['light', 'neutral', 'heavy'],
                             p=cfg['gas_probs']))
        # Methane rises, heavy VOC vapours sink.
        w_b = dict(light=-u(0.1, 0.8), neutral=u(-0.1, 0.1),
                   heavy=u(0.05, 0.4))[gas]
        jet_length = max(logu(0.05, 0.8) / pixel_m, 3.0)
        mode = str(rng.choice(['ambient', 'cold', 'hot'],
                              p=cfg['t_source_probs']))
        # Joule-Thomson cooling of expanding high-pressure gas, or a hot
        # process stream, mixes away within a few jet lengths.
        dt_src = dict(ambient=u(-1.0, 1.0), cold=-u(3, 12),
                      hot=u(3, 20))[mode]
        p.update(
            gas=gas,
            buoyancy=w_b * to_px,
            sigma0=max(u(0.003, 0.02) / pixel_m, 0.6),
            jet_length=jet_length,
            peak_opacity=_sample_opacity(rng, cfg),
            dt_source=dt_src,
            mix_length=jet_length * u(0.5, 2.0),
            beta_near=u(0.15, 0.4),
            beta_far=u(*turb.get('beta_far', (0.7, 1.25))),
            beta_length=max(jet_length, 8.0) * u(1.0, 3.0),
            noise_cell=float(np.clip(u(0.06, 0.25) / pixel_m, 4, 40)),
            noise_octaves=int(turb.get('octaves', 4)))
    elif kind == 'steam':
        # Condensed water droplets: nearly opaque, warm, buoyant, billowy;
        # they evaporate as the plume mixes.
        a_peak = u(0.9, 0.995)
        jet_dir = -math.pi / 2 + rng.normal(0, 0.2)
        p.update(
            gas='steam',
            buoyancy=-u(0.3, 1.2) * to_px,
            sigma0=max(source.get('width', 8.0) * u(0.25, 0.45), 1.5),
            jet_length=u(5, 25),
            peak_opacity=a_peak,
            optical_depth=-math.log1p(-a_peak) * u(1.0, 2.5),
            dt_source=u(3, 25),
            mix_length=u(20, 80),
            beta_near=u(0.3, 0.6),
            beta_far=u(0.6, 1.0),
            beta_length=u(10, 40),
            noise_cell=u(12, 40),
            decay_length=u(60, 200) * h / 240.0)
    else:
        # Hot exhaust (engines, flares): hot, fairly opaque, turbulent,
        # cooling quickly by mixing.
        jet_dir = -math.pi / 2 + rng.normal(0, 0.4)
        p.update(
            gas='exhaust',
            buoyancy=-u(0.3, 1.0) * to_px,
            sigma0=max(source.get('width', 6.0) * u(0.15, 0.4), 1.0),
            jet_length=u(8, 40),
            peak_opacity=u(0.2, 0.6),
            dt_source=u(40, 150),
            mix_length=u(10, 50),
            beta_near=u(0.3, 0.6),
            beta_far=u(0.8, 1.3),
            beta_length=u(10, 40),
            noise_cell=u(6, 20))
    p.update(
        turb_scale=u(0.4, 0.9),
        turb_timescale=u(4.0, 15.0),
        noise_persistence=u(*(turb.get('persistence', (0.5, 0.7))
                              if kind == 'gas' else (0.5, 0.7))),
        noise_stretch=u(1.5, 3.0),
        relative_width=u(0.35, 0.6),
        evolution_rate=u(0.03, 0.1),
        seed=int(rng.integers(2**31 - 1)))
    return make_plume_spec(source['x'], source['y'], jet_dir, t_air, wind,
                           pixel_m, shape, **p)

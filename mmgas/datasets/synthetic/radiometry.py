"""Radiometry of a gas layer seen by an infrared camera.

Implements the three-layer model of optical gas imaging (background -> gas ->
atmosphere -> camera) with Planck radiance at the camera's effective
wavelength, as summarised in the project's physics notes
(``docs/synthetic_data.md``):

* gas transmission (Beer-Lambert) ``tau_g = exp(-k * CL)``, opacity
  ``a = 1 - tau_g``;
* observed radiance ``L = tau_atm * [tau_g * L_b + a * B(T_g)]
  + (1 - tau_atm) * B(T_air)``;
* linearised apparent contrast ``dT_app ~= a * (T_g - T_b)``
  (Zeng & Morris 2019, doi:10.1080/10962247.2018.1540366; Walsh et al. 2008,
  Sensors 8:6471).

Working in radiance and converting back to apparent (brightness) temperature
keeps the non-linearity of the mid-wave band, where radiance grows roughly
exponentially with temperature, while everything downstream (noise in NETD,
contrast thresholds) stays in Kelvin like a radiometric camera.
"""
import numpy as np

# Second radiation constant c2 = h c / k_B in um K. The first constant cancels
# in every ratio used here, so radiance is kept in units of c1 / um^5.
_C2 = 1.4387769e4

#: Effective wavelengths (um) of the two camera families of the physics notes:
#: cooled InSb hydrocarbon/VOC cameras (3.2-3.4 um) and long-wave cameras
#: (uncooled microbolometers; SF6 cameras at 10.3-10.7 um).
BAND_WAVELENGTH_UM = dict(mwir=3.3, lwir=10.5)


def planck(temperature, wavelength_um):
    """Spectral radiance ``B(T)`` at one wavelength, in units of c1/um^5.

    Args:
        temperature (np.ndarray | float): Temperature in Kelvin.
        wavelength_um (float): Wavelength in micrometres.

    Returns:
        np.ndarray | float: ``1 / (lambda^5 (exp(c2 / (lambda T)) - 1))``,
        same shape as ``temperature``.
    """
    lam = float(wavelength_um)
    return 1.0 / (lam**5 * np.expm1(_C2 / (lam * temperature)))


def planck_slope(temperature, wavelength_um):
    """dB/dT of :func:`planck` (same radiance unit per kelvin)."""
    lam = float(wavelength_um)
    x = _C2 / (lam * temperature)
    return planck(temperature, lam) * x / temperature / (-np.expm1(-x))


def inverse_planck(radiance, wavelength_um):
    """Brightness temperature (Kelvin) of a radiance from :func:`planck`."""
    lam = float(wavelength_um)
    return _C2 / (lam * np.log1p(1.0 / (lam**5 * radiance)))


def opacity_from_column(column, k):
    """Beer-Lambert opacity ``a = 1 - exp(-k * CL)``.

    Args:
        column (np.ndarray): Column density ``CL`` (any unit).
        k (float): Absorption coefficient in the inverse unit of ``column``.

    Returns:
        np.ndarray: Opacity in [0, 1).
    """
    return -np.expm1(-k * column)


def composite_layer(radiance, opacity, temperature, wavelength_um):
    """Put a semi-transparent layer (gas, steam) in front of a radiance map.

    Args:
        radiance (np.ndarray): Radiance behind the layer, shape (H, W).
        opacity (np.ndarray): Layer opacity ``a`` in [0, 1], shape (H, W).
        temperature (np.ndarray | float): Layer temperature in Kelvin,
            broadcastable to (H, W).
        wavelength_um (float): Effective wavelength.

    Returns:
        np.ndarray: ``(1 - a) * L + a * B(T_layer)``, shape (H, W).
    """
    return radiance + opacity * (planck(temperature, wavelength_um) -
                                 radiance)


def through_atmosphere(radiance, tau_atm, air_temperature, wavelength_um):
    """Attenuate by the atmospheric path and add its own emission."""
    return tau_atm * radiance + (1.0 - tau_atm) * planck(
        air_temperature, wavelength_um)


def apparent_contrast(background_temperature, opacity, gas_temperature,
                      wavelength_um):
    """Apparent temperature change a gas layer causes over a background.

    Exact (non-linearised) counterpart of ``a * (T_g - T_b)``.

    Args:
        background_temperature (np.ndarray): Apparent temperature of the
            background in Kelvin.
        opacity (np.ndarray): Gas opacity.
        gas_temperature (np.ndarray | float): Gas temperature in Kelvin.
        wavelength_um (float): Effective wavelength.

    Returns:
        np.ndarray: ``T_app(with gas) - T_app(background)`` in Kelvin.
    """
    lb = planck(background_temperature, wavelength_um)
    lg = composite_layer(lb, opacity, gas_temperature, wavelength_um)
    return inverse_planck(lg, wavelength_um) - background_temperature

"""Nuclear and nucleon form factors and target nuclei for scattering cross sections.

All functions take the squared momentum transfer Q² = −q² ≥ 0 in GeV² and are vectorised over it.

References
----------
* [LS96] J.D. Lewin, P.F. Smith, "Review of mathematics, numerical factors, and corrections for dark matter
  experiments based on elastic nuclear recoil", Astropart. Phys. 6 (1996) 87, Sec. 4.1, Eqs. (4.7)-(4.11):
  Helm form factor F(q) = 3 j₁(qR)/(qR) · exp(−q²s²/2) with s = 0.9 fm, a = 0.52 fm, c = 1.23 A^{1/3} − 0.60 fm,
  R² = c² + (7/3) π² a² − 5 s².
* [dV87] H. De Vries, C.W. De Jager, C. De Vries, "Nuclear charge-density-distribution parameters from elastic
  electron scattering", Atomic Data and Nuclear Data Tables 36 (1987) 495, Table "Fourier-Bessel coefficients":
  charge density ρ(r) = Σ_ν a_ν j₀(νπr/R) for r ≤ R (0 beyond); its Fourier transform gives the closed form in
  :func:`fourier_bessel_form_factor`. The same tables are used by DarkNews (arXiv:2207.04137, Sec. 3.1).
* [Dipole] Nucleon Sachs form factors in the dipole approximation, G_E^p = G_D, G_M^p = μ_p G_D, G_M^n = μ_n G_D,
  G_E^n = 0, with G_D = (1 + Q²/M_V²)^(−2), M_V² = 0.71 GeV² (M_V = 0.843 GeV); see e.g. C.H. Llewellyn Smith,
  Phys. Rep. 3 (1972) 261, Sec. 3.6, and the DarkNews paper arXiv:2207.04137 Sec. 3.1 (same parametrisation).
  Dirac and Pauli form factors: F₁ = (G_E + τ G_M)/(1 + τ), F₂ = (G_M − G_E)/(1 + τ), τ = Q²/(4 m_N²).
* Magnetic moments μ_p = 2.792847, μ_n = −1.913043 (nuclear magnetons; PDG 2024 baryon listings).
* Atomic masses: AME2020 (M. Wang et al., Chin. Phys. C 45 (2021) 030003); nuclear mass = atomic mass − Z m_e
  (electron binding neglected, < 1e-6 relative).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import UnknownNameError
from ..units import HBARC

FloatArray = NDArray[np.float64]

__all__ = [
    "FOURIER_BESSEL",
    "MU_NEUTRON",
    "MU_PROTON",
    "M_PROTON",
    "NUCLEI",
    "NUCLEON_DIPOLE_MASS2",
    "Nucleus",
    "dipole_form_factor",
    "fourier_bessel_form_factor",
    "helm_form_factor",
    "nucleon_f1_f2",
    "nucleus",
]

#: GeV per atomic mass unit (CODATA 2018, 931.49410242 MeV).
_AMU = 0.93149410242
#: electron mass [GeV] (PDG 2024)
_M_E = 0.51099895e-3
#: proton mass [GeV] (PDG 2024)
M_PROTON = 0.93827208816
#: proton and neutron magnetic moments [nuclear magnetons] (PDG 2024)
MU_PROTON = 2.792847
MU_NEUTRON = -1.913043
#: dipole mass squared M_V² of the nucleon vector form factors [GeV²] ([Dipole])
NUCLEON_DIPOLE_MASS2 = 0.71
#: ħc in GeV fm, to express q [GeV] in fm⁻¹
_HBARC_GEV_FM = HBARC * 1e13

#: Fourier-Bessel coefficients a_ν [fm⁻³] (ν = 1..15) and cut-off radius R [fm] from [dV87].
FOURIER_BESSEL: dict[str, tuple[tuple[float, ...], float]] = {
    "C12": (
        (
            1.5737e-02,
            3.8897e-02,
            3.7085e-02,
            1.4795e-02,
            -4.4831e-03,
            -1.0057e-02,
            -6.8696e-03,
            -2.8813e-03,
            -7.7229e-04,
            6.6908e-05,
            1.0636e-04,
            -3.6864e-05,
            -5.0135e-06,
            9.4550e-06,
            -4.7687e-06,
        ),
        8.0,
    ),
    "Ar40": (
        (
            3.0451e-02,
            5.5337e-02,
            2.0203e-02,
            -1.6765e-02,
            -1.3578e-02,
            -4.3204e-05,
            9.1988e-04,
            -4.1205e-04,
            1.1971e-04,
            -1.9801e-05,
            -4.3204e-06,
            6.1205e-06,
            -3.7803e-06,
            1.8001e-06,
            -7.7407e-07,
        ),
        9.0,
    ),
}


def _sph_j1_over_x(x: FloatArray) -> FloatArray:
    """3 j₁(x)/x, equal to 1 at x = 0 (series below x = 1e-3 to avoid cancellation)."""
    small = np.abs(x) < 1e-3
    xs = np.where(small, 1.0, x)
    exact = 3.0 * (np.sin(xs) - xs * np.cos(xs)) / xs**3
    return np.asarray(np.where(small, 1.0 - x * x / 10.0, exact))


def helm_form_factor(q2: ArrayLike, mass_number: int) -> FloatArray:
    """Helm nuclear form factor F(Q²) (F(0) = 1) for mass number A, [LS96] Eqs. (4.7)-(4.11).

    Parameters: s = 0.9 fm, a = 0.52 fm, c = 1.23 A^{1/3} − 0.60 fm, R² = c² + (7/3)π²a² − 5s².
    ``q2`` is Q² in GeV²; returns a dimensionless array.
    """
    q = np.sqrt(np.clip(np.asarray(q2, dtype=float), 0.0, None)) / _HBARC_GEV_FM  # fm⁻¹
    s, a = 0.9, 0.52
    c = 1.23 * mass_number ** (1.0 / 3.0) - 0.60
    r = np.sqrt(c * c + 7.0 / 3.0 * np.pi**2 * a * a - 5.0 * s * s)
    return np.asarray(_sph_j1_over_x(q * r) * np.exp(-0.5 * (q * s) ** 2))


def fourier_bessel_form_factor(q2: ArrayLike, name: str) -> FloatArray:
    """Charge form factor |F(Q²)| (F(0) = 1) from the Fourier-Bessel density of [dV87].

    ρ(r) = Σ_ν a_ν j₀(νπr/R) for r < R. Its transform is
    F(q) ∝ Σ_ν a_ν (−1)^ν R³ j₀(qR) / ((νπ)² − (qR)²) (times 4π/q·… constants that cancel in the ratio),
    normalised by the q → 0 limit Σ_ν a_ν (−1)^ν R³/(νπ)². ``name`` is a key of :data:`FOURIER_BESSEL`.
    """
    try:
        coeffs, radius = FOURIER_BESSEL[name]
    except KeyError:
        raise UnknownNameError("Fourier-Bessel nucleus", name, FOURIER_BESSEL) from None
    x = np.sqrt(np.clip(np.asarray(q2, dtype=float), 0.0, None)) / _HBARC_GEV_FM * radius
    nu = np.arange(1, len(coeffs) + 1, dtype=float)
    a = np.asarray(coeffs)
    sign = (-1.0) ** nu
    norm = float(np.sum(a * sign / (nu * np.pi) ** 2))
    xs = np.where(x > 0, x, 1.0)
    j0 = np.where(x > 0, np.sin(xs) / xs, 1.0)
    denom = (nu * np.pi) ** 2 - x[..., None] ** 2
    # (νπ)² = x² is a removable singularity of each term; shift by a tiny amount there
    denom = np.where(np.abs(denom) < 1e-9, 1e-9, denom)
    series = j0 * np.sum(a * sign / denom, axis=-1)
    return np.asarray(np.abs(series / norm))


def dipole_form_factor(q2: ArrayLike, mass2: float = NUCLEON_DIPOLE_MASS2) -> FloatArray:
    """Dipole G_D(Q²) = (1 + Q²/M²)^(−2), default M² = 0.71 GeV² ([Dipole])."""
    return np.asarray((1.0 + np.asarray(q2, dtype=float) / mass2) ** -2)


def nucleon_f1_f2(q2: ArrayLike, nucleon: str = "proton") -> tuple[FloatArray, FloatArray]:
    """Electromagnetic Dirac and Pauli form factors (F₁, F₂) of the proton or neutron, dipole model ([Dipole]).

    F₁(0) = charge (1 or 0), F₂(0) = anomalous moment (μ_p − 1 = 1.79 or μ_n = −1.91).
    """
    q2 = np.asarray(q2, dtype=float)
    tau = q2 / (4.0 * M_PROTON**2)
    gd = dipole_form_factor(q2)
    if nucleon == "proton":
        ge, gm = gd, MU_PROTON * gd
    elif nucleon == "neutron":
        ge, gm = np.zeros_like(gd), MU_NEUTRON * gd
    else:
        raise UnknownNameError("nucleon", nucleon, ["proton", "neutron"])
    return np.asarray((ge + tau * gm) / (1.0 + tau)), np.asarray((gm - ge) / (1.0 + tau))


@dataclass(frozen=True)
class Nucleus:
    """A target nucleus: name (e.g. ``"C12"``), proton number Z, mass number A, nuclear mass [GeV]."""

    name: str
    z: int
    a: int
    mass: float

    @property
    def n(self) -> int:
        """Neutron number A − Z."""
        return self.a - self.z

    def form_factor(self, q2: ArrayLike, model: str = "auto") -> FloatArray:
        """Charge form factor F(Q²): ``"fourier-bessel"`` ([dV87]), ``"helm"`` ([LS96]) or ``"auto"``
        (Fourier-Bessel where tabulated, else Helm)."""
        if model == "auto":
            model = "fourier-bessel" if self.name in FOURIER_BESSEL else "helm"
        if model == "fourier-bessel":
            return fourier_bessel_form_factor(q2, self.name)
        if model == "helm":
            return helm_form_factor(q2, self.a)
        raise UnknownNameError("form-factor model", model, ["auto", "fourier-bessel", "helm"])


def _nucleus(name: str, z: int, a: int, atomic_mass_u: float) -> Nucleus:
    return Nucleus(name, z, a, atomic_mass_u * _AMU - z * _M_E)


#: Common detector nuclei (AME2020 atomic masses in u).
NUCLEI: dict[str, Nucleus] = {
    n.name: n
    for n in (
        _nucleus("C12", 6, 12, 12.0),
        _nucleus("O16", 8, 16, 15.99491461957),
        _nucleus("Ar40", 18, 40, 39.9623831238),
        _nucleus("Fe56", 26, 56, 55.93493554),
        _nucleus("Pb208", 82, 208, 207.9766525),
    )
}


def nucleus(name: str) -> Nucleus:
    """The :class:`Nucleus` called ``name`` (keys of :data:`NUCLEI`)."""
    try:
        return NUCLEI[name]
    except KeyError:
        raise UnknownNameError("nucleus", name, NUCLEI) from None

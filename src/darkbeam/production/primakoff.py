"""ALP production in the target: Primakoff conversion of meson-decay photons, and ALP–meson mixing.

**Primakoff** (γ N → a N, coherent on the atom). Photons come from π⁰ → γγ and η → γγ of the mesons made in the
target (DarkBeam's meson tables, :func:`~darkbeam.production.beam_source.hadron_source`); every photon is taken.
In a thick target a photon either pair-converts or turns into an ALP, so the conversion probability per photon is

    P(E_γ) = σ_P(E_γ)/σ_abs,   σ_abs = (7/9) A/(X₀ N_A)

(σ_abs: the complete-screening pair-production cross section per atom, σ = (7/9) A/(X₀ N_A), PDG RPP 2024
"Passage of particles through matter", high-energy photon conversion; Y.-S. Tsai, Rev. Mod. Phys. 46 (1974) 815,
Sec. III; X₀ in g/cm² from PDG "Atomic and nuclear properties of materials", the beam catalogue's number). This is
the thick-target estimate of B. Döbrich, J. Jaeckel, T. Spadaro [DJS], JHEP 05 (2019) 213, arXiv:1904.02091
(ALPs from meson-decay photons), implemented also in ALPINIST (J. Jerhot et al., JHEP 07 (2022) 094,
arXiv:2201.05170), whose σ_abs(Cu) = 6 b (NIST XCOM) compares with our 6.39 b.

Differential cross section (B. Döbrich, J. Jaeckel, F. Kahlhoefer, A. Ringwald, K. Schmidt-Hoberg [DJKRS], JHEP
02 (2016) 018, arXiv:1512.03069, Sec. 3, γ N → a N; Y.-S. Tsai, PRD 34 (1986) 1326; the same form as the π⁰
Primakoff cross section with Γ(a → γγ) = g² m_a³/(64π)), neglecting the nuclear recoil (E_a = E_γ = E,
p = (E² − m_a²)^{1/2}):

    dσ/dθ = (1/4) g_aγγ² α Z² |F(t)|² p⁴ sin³θ / t²,   t = 2E(E − p cos θ) − m_a² = t₀ + 4Ep sin²(θ/2),

t₀ = m_a⁴/(E + p)² (exact form of m_a⁴/(4E²)). In t: dσ/dt = (g²αZ²/8) F² (p/E)² (t − t₀)/t² [1 − (t − t₀)/(4Ep)].
Form factor: the elastic atomic (screening) × nuclear form factor of Tsai (RMP 46 (1974) 815, Sec. III.B; in the
form of J.D. Bjorken, R. Essig, P. Schuster, N. Toro, PRD 80 (2009) 075018, App. A, elastic G₂ = Z² F²). [DJKRS]
and ALPINIST use a nuclear (Helm) form factor alone; screening matters where t₀ ≈ m_a⁴/(4E²) ≲ 1/a², i.e.
m_a ≲ (2E/a)^{1/2} ≈ 24 MeV at E = 20 GeV in copper (without it σ_P keeps growing as ln(d/t₀) at small masses):

    F(t) = [a² t/(1 + a² t)] · [1/(1 + t/d)],   a = 111 Z^{-1/3}/m_e,   d = 0.164 GeV² A^{-2/3}.

High-energy limit (t₀ → 0, p → E): σ_∞ = (g²αZ²/8) ∫₀^∞ F² dt/t = (g²αZ²/8) · c²/(c − e)² [((c + e)/(c − e))
ln(c/e) − 2], c = a², e = 1/d (partial fractions, derived here; for c ≫ e it is the familiar
(g²αZ²/8)[ln(a²d) − 2]): :func:`primakoff_cross_section_high_energy`; tests/test_primakoff.py checks the
numerical σ_P(E) against it.

Sampling (:func:`sample_primakoff`): per photon, u = ln t uniform on [ln t_lo, ln t_hi] with t_lo = max(t₀,
10⁻³/a²), t_hi = min(t₀ + 4Ep, 400 d) (the integrand F²(t − t₀)/t per unit ln t is ∝ (a²t)² below 1/a² and
∝ (d/t)² above d: the cut-off tails are < 10⁻⁵ of σ_∞); weight = dσ/dt · t · Δu/σ_abs, so that E[weight] = P(E_γ).
The ALP direction is at the angle θ(t) to the photon with a uniform azimuth.

**Meson mixing** (gluon coupling). N_a = Σ_P N_P |θ_aP|² (K.J. Kelly, S. Kumar, Z. Liu, PRD 103 (2021) 095002,
arXiv:2011.05995), P = π⁰, η, η′ from the meson tables and |θ_aP|² from :meth:`ALP.meson_mixing`: the
κ_q-independent LO U(3) amplitude with physical poles (darkbeam.models.alp, block comment "Production by mixing"),
which does not vanish for m_a → 0 (θ_aπ → the QCD-axion value). ALPINIST (arXiv:2201.05170) uses the κ_q = m_q⁻¹/Σ
basis angle without contact terms, ∝ m_a² below m_π⁰: on CHARM (tests/test_validation_alp.py) our lower edge is
0.19-0.21 × theirs at 0.05 GeV and 0.48-0.50 × at 0.1 GeV with our amplitude, 0.63-0.69 and 0.67-0.69 with
their prescription (:func:`darkbeam.models.alp.mixing_angle_in_basis`); 0.89-1.06 (ours) and 0.78-0.92 (theirs)
at 0.2-0.4 GeV.
Mass mapping (our choice, stated): the ALP takes the meson's lab three-momentum (hence its p_T and angle) with
E = (p² + m_a²)^{1/2}. Feed-down: the tables' π⁰ include those from η, η′, ω, ρ⁰, φ decays (header
``fraction_from_listed_meson_decays``: 0.283 of the π⁰ and 0.070 of the η for p400_Cu, p- and θ-integrated only;
π⁰ from K⁰_S are not in the tables). They cannot be separated bin by bin, and the fraction is a generator number,
not a measurement, so no prompt fraction is applied; they are kept, as ALPINIST keeps every π⁰ of its Pythia
record. Removing them flatly would weaken the CHARM lower edge by ≈ 7 % at 0.05-0.1 GeV (where π⁰ mixing
dominates). Physically a decay P′ → π⁰ X also gives P′ → a X by mixing, but with its own phase space, closed for
m_a > m_P′ − m_X (e.g. η → 3π⁰ above 0.28 GeV), which this estimate ignores.

Validation (tests/test_primakoff.py, tests/test_validation_alp.py). σ_P(E) → σ_∞ within 1 % at E ≥ 1 TeV (C, Cu,
W); photons per POT at the CHARM Cu dump = 2 BR(π⁰ → γγ) N_π⁰ + 2 BR(η → γγ) N_η = 15.83. Against ALPINIST's
Pythia photons of 400 GeV pp (per collision): E > 10 GeV 1.35×, E > 30 GeV 1.10×, E > 10 GeV and θ < 5 mrad 0.91×
(twice as many in total, soft ones from the nucleus). CHARM a → γγ exclusion (examples/charm_alp.toml): lower edge
0.55-0.68× ALPINIST's (arXiv:2201.05170), upper edge 1.0-1.4× at 10-100 MeV.

Not included: photon fusion and the Primakoff effect of the beam protons' own equivalent photons ([DJKRS]); their
CHARM lower edge is 2.0-2.3× ours in g_aγγ (tests/test_validation_alp.py), i.e. ≲ 1/20 of the rate at fixed g,
in line with [DJS]'s finding that meson-decay photons dominate. Photons from η′ → γγ and ω → π⁰γ (≈ 0.6 % of the
photons) and π⁰ Dalitz decays (1.2 % of π⁰) are left out.

Sources. :class:`PrimakoffPhotonSource` makes the photons (parents with PDG id 22, carrying the target material);
:class:`MesonMixingSource` makes the π⁰, η, η′ (parents with the ALP's own PDG id, each row tagged with its meson).
The production stage (:func:`darkbeam.production.produce`) dispatches them to :func:`produce_primakoff` and
:func:`produce_meson_mixing`. A model opts in by declaring ``ProductionChannel(22, "primakoff", ())`` with the
coupling factor |g_aγγ,eff|² [GeV⁻²] as its "branching ratio", and ``ProductionChannel(<ALP id>, "mixing <P>",
())`` with |θ_aP|² (the ALP models do).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import pdg
from ..beams import get as get_beam
from ..errors import ConfigError, KinematicsError, UnknownNameError, check_positive
from ..flux import FluxSample
from ..kinematics import orthonormal_basis, two_body_decay
from ..materials import element
from ..models.base import DarkModel
from ..units import ALPHA_EM, HBARC, N_AVOGADRO
from .parents import ParentDecays

FloatArray = NDArray[np.float64]

__all__ = [
    "ALP_PDG",
    "BR_ETA_GAMMA_GAMMA",
    "BR_PI0_GAMMA_GAMMA",
    "MIXING_CHANNELS",
    "PHOTON_PDG",
    "MesonMixingSource",
    "MixedMesons",
    "PhotonParents",
    "PrimakoffPhotonSource",
    "nuclear_d",
    "photon_absorption_cross_section",
    "primakoff_conversion_probability",
    "primakoff_cross_section",
    "primakoff_cross_section_high_energy",
    "primakoff_dsigma_dt",
    "produce_meson_mixing",
    "produce_primakoff",
    "sample_primakoff",
    "screening_a",
    "tsai_form_factor",
]

PHOTON_PDG = 22
ALP_PDG = pdg.DARK_PDG_IDS["alp"]
#: electron mass [GeV] (PDG RPP 2024)
M_E = 0.51099895e-3
#: GeV⁻² → cm²
GEV2_TO_CM2 = HBARC**2
#: BR(π⁰ → γγ) = 98.823 % and BR(η → γγ) = 39.36 % (PDG RPP 2024)
BR_PI0_GAMMA_GAMMA = 0.98823
BR_ETA_GAMMA_GAMMA = 0.3936
#: meson-mixing channel name of each meson (production channel names of the ALP models)
MIXING_CHANNELS: dict[int, str] = {111: "mixing pi0", 221: "mixing eta", 331: "mixing eta'"}
#: t window of the sampling (module docstring): t_lo ≥ T_LO_SCREENING/a², t_hi ≤ T_HI_NUCLEAR × d
T_LO_SCREENING = 1e-3
T_HI_NUCLEAR = 400.0


# ---------------------------------------------------------------------------------------------- cross sections
def screening_a(z: int) -> float:
    """Atomic screening parameter a = 111 Z^{-1/3}/m_e [GeV⁻¹] (Tsai, RMP 46 (1974) 815, Eq. 3.38)."""
    return float(111.0 * float(z) ** (-1.0 / 3.0) / M_E)


def nuclear_d(a_mass: float) -> float:
    """Nuclear size parameter d = 0.164 A^{-2/3} [GeV²] (Tsai, RMP 46 (1974) 815, Eq. 3.39)."""
    return float(0.164 * float(a_mass) ** (-2.0 / 3.0))


def tsai_form_factor(t: ArrayLike, z: int, a_mass: float) -> FloatArray:
    """Elastic atomic × nuclear form factor F(t) = [a²t/(1 + a²t)]/(1 + t/d), t = |q²| [GeV²] (module docstring)."""
    t = np.asarray(t, dtype=float)
    a2 = screening_a(z) ** 2
    return np.asarray(a2 * t / (1.0 + a2 * t) / (1.0 + t / nuclear_d(a_mass)))


def _kinematics(energy: FloatArray, mass: float) -> tuple[FloatArray, FloatArray]:
    """ALP momentum p [GeV] (0 below threshold) and t₀ = m⁴/(E + p)² [GeV²] at photon energy E = E_a."""
    p = np.sqrt(np.clip(energy * energy - mass * mass, 0.0, None))
    return p, mass**4 / (energy + p) ** 2


def primakoff_dsigma_dt(t: ArrayLike, energy: ArrayLike, mass: float, z: int, a_mass: float) -> FloatArray:
    """dσ/dt [GeV⁻⁴] at g_aγγ = 1 GeV⁻¹ for γ + (Z, A) → a + (Z, A), photon energy ``energy`` [GeV], t [GeV²]
    ([DJKRS] Eq. 2.3 written in t; module docstring); 0 outside t₀ ≤ t ≤ t₀ + 4Ep and below threshold."""
    t = np.asarray(t, dtype=float)
    e = np.asarray(energy, dtype=float)
    p, t0 = _kinematics(e, mass)
    x = t - t0
    inside = (x >= 0.0) & (x <= 4.0 * e * p) & (p > 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (
            ALPHA_EM
            * z**2
            / 8.0
            * tsai_form_factor(t, z, a_mass) ** 2
            * (p / e) ** 2
            * x
            / t**2
            * (1.0 - x / (4.0 * e * p))
        )
    return np.asarray(np.where(inside, value, 0.0))


def _t_window(energy: FloatArray, mass: float, z: int, a_mass: float) -> tuple[FloatArray, FloatArray]:
    """(t_lo, t_hi) of the integration and sampling window [GeV²] (module docstring)."""
    p, t0 = _kinematics(energy, mass)
    t_lo = np.maximum(t0, T_LO_SCREENING / screening_a(z) ** 2)
    t_hi = np.minimum(t0 + 4.0 * energy * p, T_HI_NUCLEAR * nuclear_d(a_mass))
    return t_lo, t_hi


def primakoff_cross_section(
    energy: ArrayLike, mass: float, z: int, a_mass: float, g_agg: float = 1.0, nodes: int = 256
) -> FloatArray:
    """σ(γ N → a N) [cm²] at photon energy ``energy`` [GeV] for an ALP of ``mass`` [GeV] and coupling ``g_agg``
    [GeV⁻¹] on the atom (Z, A): ∫ dσ/dt dt over the window of :func:`_t_window`, Gauss–Legendre in ln t."""
    check_positive("mass", mass)
    e = np.atleast_1d(np.asarray(energy, dtype=float))
    t_lo, t_hi = _t_window(e, mass, z, a_mass)
    open_ = t_hi > t_lo
    x, w = np.polynomial.legendre.leggauss(nodes)
    lo = np.log(np.where(open_, t_lo, 1.0))
    hi = np.log(np.where(open_, t_hi, 1.0))
    u = 0.5 * (hi - lo)[:, None] * x[None, :] + 0.5 * (hi + lo)[:, None]
    t = np.exp(u)
    integrand = primakoff_dsigma_dt(t, e[:, None], mass, z, a_mass) * t
    sigma = np.sum(0.5 * (hi - lo)[:, None] * w[None, :] * integrand, axis=1)
    out = np.where(open_, sigma, 0.0) * g_agg**2 * GEV2_TO_CM2
    return np.asarray(out.reshape(np.shape(energy)))


def primakoff_cross_section_high_energy(z: int, a_mass: float, g_agg: float = 1.0) -> float:
    """E → ∞ limit of σ(γ N → a N) [cm²]: (g²αZ²/8) c²/(c − e)² [((c + e)/(c − e)) ln(c/e) − 2], c = a², e = 1/d
    (closed form of (g²αZ²/8)∫₀^∞ F(t)² dt/t for Tsai's form factor; module docstring)."""
    c = screening_a(z) ** 2
    e = 1.0 / nuclear_d(a_mass)
    integral = c * c / (c - e) ** 2 * ((c + e) / (c - e) * math.log(c / e) - 2.0)
    return g_agg**2 * ALPHA_EM * z**2 / 8.0 * integral * GEV2_TO_CM2


def photon_absorption_cross_section(a_mass: float, x0_g_cm2: float) -> float:
    """σ_abs = (7/9) A/(X₀ N_A) [cm²] per atom: high-energy pair production (Tsai, RMP 46 (1974) 815, Eq. 3.7)."""
    check_positive("radiation length X0 [g/cm²]", x0_g_cm2)
    return 7.0 / 9.0 * a_mass / (x0_g_cm2 * N_AVOGADRO)


def primakoff_conversion_probability(
    energy: ArrayLike, mass: float, z: int, a_mass: float, x0_g_cm2: float, g_agg: float = 1.0
) -> FloatArray:
    """P = σ_P(E)/σ_abs: probability that a photon of ``energy`` [GeV] in a thick target of (Z, A, X₀ [g/cm²])
    turns into an ALP before it pair-converts ([DJKRS] Sec. 2)."""
    sigma = primakoff_cross_section(energy, mass, z, a_mass, g_agg)
    return np.asarray(sigma / photon_absorption_cross_section(a_mass, x0_g_cm2))


# ---------------------------------------------------------------------------------------------- photons
@dataclass(frozen=True)
class PhotonParents(ParentDecays):
    """Photons (``pdg`` 22) in a target of atomic number ``z``, mass number ``a_mass`` [g/mol] and radiation
    length ``x0_g_cm2`` [g/cm²]; ``weight`` = photons per POT."""

    z: int = 29
    a_mass: float = 63.546
    x0_g_cm2: float = 12.86


@dataclass(frozen=True)
class PrimakoffPhotonSource:
    """Photons from π⁰ → γγ and η → γγ of the mesons ``beam``'s target makes (module docstring), as parents (PDG 22)
    of Primakoff production in that target. ``sample(n)`` draws ⌈n/4⌉ decays of each meson (2 photons each);
    Σ weight = 2 BR(π⁰ → γγ) N_π⁰ + 2 BR(η → γγ) N_η photons per POT. Photons start at the meson's production
    point (π⁰, η decay promptly; the ~X₀ a photon travels before converting is neglected)."""

    beam: str
    mesons: tuple[int, ...] = (111, 221)

    @property
    def parent_pdg(self) -> int:
        return PHOTON_PDG

    def sample(self, n: int, rng: np.random.Generator) -> PhotonParents:
        from .beam_source import hadron_source

        check_positive("n", n)
        spec = get_beam(self.beam)
        z, a_mass = element(spec.target.material.name, "target material for Primakoff production (an element)")
        brs = {111: BR_PI0_GAMMA_GAMMA, 221: BR_ETA_GAMMA_GAMMA}
        source = hadron_source(spec)
        k = max(1, math.ceil(n / (2 * len(self.mesons))))
        momenta, vertices, times, weights = [], [], [], []
        for meson in self.mesons:
            if meson not in brs:
                raise UnknownNameError("meson for Primakoff photons (PDG id)", str(meson), [str(m) for m in brs])
            hadrons = source.sample(meson, k, rng)
            g1, g2 = two_body_decay(hadrons.momentum, 0.0, 0.0, rng)
            momenta += [g1, g2]
            vertices += [hadrons.vertex, hadrons.vertex]
            times += [hadrons.time, hadrons.time]
            weights += [hadrons.weight * brs[meson]] * 2
        return PhotonParents(
            PHOTON_PDG,
            np.concatenate(momenta),
            np.concatenate(vertices),
            np.concatenate(times),
            np.concatenate(weights),
            z=z,
            a_mass=a_mass,
            x0_g_cm2=spec.target.material.radiation_length_g_cm2.value,
        )


def sample_primakoff(
    photons: FloatArray,
    mass: float,
    z: int,
    a_mass: float,
    x0_g_cm2: float,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray]:
    """One ALP of ``mass`` [GeV] per photon (n, 4) [GeV]: lab four-momenta (n, 4) and weight factors (n,) with
    E[factor] = σ_P(E_γ)/σ_abs at g_aγγ = 1 GeV⁻¹ (module docstring, "Sampling"); 0 below threshold."""
    check_positive("mass", mass)
    photons = np.atleast_2d(np.asarray(photons, dtype=float))
    n = photons.shape[0]
    energy = photons[:, 3]
    t_lo, t_hi = _t_window(energy, mass, z, a_mass)
    open_ = t_hi > t_lo
    lo = np.log(np.where(open_, t_lo, 1.0))
    hi = np.log(np.where(open_, t_hi, 1.0))
    t = np.exp(lo + (hi - lo) * rng.random(n))
    density = primakoff_dsigma_dt(t, energy, mass, z, a_mass)
    sigma_abs = photon_absorption_cross_section(a_mass, x0_g_cm2)
    factor = np.where(open_, density * t * (hi - lo) * GEV2_TO_CM2 / sigma_abs, 0.0)
    p, t0 = _kinematics(energy, mass)
    with np.errstate(divide="ignore", invalid="ignore"):
        s2 = np.clip(np.where(p > 0.0, (t - t0) / (4.0 * energy * p), 0.0), 0.0, 1.0)  # sin²(θ/2)
    cos_t = 1.0 - 2.0 * s2
    sin_t = 2.0 * np.sqrt(s2 * (1.0 - s2))
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    e1, e2, e3 = orthonormal_basis(photons[:, :3])
    direction = (sin_t * np.cos(phi))[:, None] * e1 + (sin_t * np.sin(phi))[:, None] * e2 + cos_t[:, None] * e3
    momentum = np.empty((n, 4))
    momentum[:, :3] = direction * p[:, None]
    momentum[:, 3] = np.where(p > 0.0, energy, mass)
    return momentum, np.asarray(factor)


def produce_primakoff(model: DarkModel, parents: ParentDecays, rng: np.random.Generator) -> FluxSample:
    """The model's ALP from photon parents (PDG 22) through its "primakoff" channel: weight = photon weight ×
    coupling factor |g_aγγ,eff|² [GeV⁻²] (the channel's "branching ratio") × σ_P/σ_abs at g = 1 GeV⁻¹.
    The parents must be :class:`PhotonParents` (they carry the target material)."""
    channels = model.production_for(parents.pdg)
    if parents.pdg != PHOTON_PDG or not channels:
        raise KinematicsError(f"{model.name} of mass {model.mass} GeV has no Primakoff channel from pdg {parents.pdg}")
    if not isinstance(parents, PhotonParents):
        raise KinematicsError("Primakoff production needs PhotonParents (photons with their target material)")
    material = parents
    factor = sum(br for _, br, _ in channels)
    momentum, weight = sample_primakoff(
        parents.momentum, model.mass, material.z, material.a_mass, material.x0_g_cm2, rng
    )
    keep = parents.momentum[:, 3] > model.mass  # photons below threshold make nothing (and have no ALP direction)
    if not np.any(keep):
        raise KinematicsError(
            f"mass {model.mass} GeV: no photon above the Primakoff threshold E_γ > m_a in the sample "
            f"(largest E_γ {float(np.max(parents.momentum[:, 3], initial=0.0)):.4g} GeV)"
        )
    n = int(keep.sum())
    return FluxSample(
        model=model.name,
        mass=model.mass,
        reference_coupling=model.coupling,
        momentum=momentum[keep],
        vertex=parents.vertex[keep],
        time=parents.time[keep],
        parent_pdg=np.full(n, PHOTON_PDG, dtype=np.int64),
        parent_momentum=parents.momentum[keep],
        weight=(parents.weight * factor * weight)[keep],
        companion_pdg=np.zeros(n, dtype=np.int64),
    )


# ---------------------------------------------------------------------------------------------- meson mixing
@dataclass(frozen=True)
class MixedMesons(ParentDecays):
    """π⁰, η, η′ as parents of ALP–meson mixing: ``pdg`` is the ALP's id, ``meson`` (n,) each row's meson id;
    ``weight`` = mesons per POT."""

    meson: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.meson.shape != self.weight.shape:
            raise ConfigError(
                f"MixedMesons.meson has shape {self.meson.shape}; it must match weight {self.weight.shape}"
            )


@dataclass(frozen=True)
class MesonMixingSource:
    """The π⁰, η, η′ (``mesons``) made by ``beam``'s target, as parents of ALP–meson mixing (module docstring).
    ``sample(n)`` draws ⌈n/len(mesons)⌉ of each; Σ weight = Σ_P N_P per POT, feed-down π⁰/η (from η, ω, …
    decays) included: the tables do not separate them (module docstring, "Meson mixing")."""

    beam: str
    mesons: tuple[int, ...] = (111, 221, 331)

    @property
    def parent_pdg(self) -> int:
        return ALP_PDG

    def sample(self, n: int, rng: np.random.Generator) -> MixedMesons:
        from .beam_source import hadron_source

        check_positive("n", n)
        source = hadron_source(get_beam(self.beam))
        k = max(1, math.ceil(n / len(self.mesons)))
        pieces = []
        for meson in self.mesons:
            if meson not in MIXING_CHANNELS:
                raise UnknownNameError("meson for ALP mixing (PDG id)", str(meson), [str(m) for m in MIXING_CHANNELS])
            pieces.append(source.sample(meson, k, rng))
        return MixedMesons(
            ALP_PDG,
            np.concatenate([h.momentum for h in pieces]),
            np.concatenate([h.vertex for h in pieces]),
            np.concatenate([h.time for h in pieces]),
            np.concatenate([h.weight for h in pieces]),
            meson=np.concatenate([np.full(len(h), h.pdg, dtype=np.int64) for h in pieces]),
        )


def produce_meson_mixing(model: DarkModel, parents: ParentDecays, rng: np.random.Generator) -> FluxSample:
    """ALPs from :class:`MixedMesons`: each meson's three-momentum with E = (p² + m_a²)^{1/2}, weight = meson weight
    × |θ_aP|² (the model's "mixing <P>" channel). ``rng`` is unused (kept for the producer signature)."""
    del rng
    if not isinstance(parents, MixedMesons):
        raise KinematicsError(f"meson-mixing production needs MixedMesons parents; got pdg {parents.pdg}")
    brs = {channel.name: br for channel, br, _ in model.production_for(parents.pdg)}
    theta2 = np.zeros(len(parents))
    for meson, name in MIXING_CHANNELS.items():
        theta2 = np.where(parents.meson == meson, brs.get(name, 0.0), theta2)
    if not np.any(theta2 > 0):
        raise KinematicsError(f"{model.name} of mass {model.mass} GeV has no meson-mixing channel")
    momentum = parents.momentum.copy()
    momentum[:, 3] = np.sqrt(np.sum(momentum[:, :3] ** 2, axis=1) + model.mass**2)
    return FluxSample(
        model=model.name,
        mass=model.mass,
        reference_coupling=model.coupling,
        momentum=momentum,
        vertex=parents.vertex,
        time=parents.time,
        parent_pdg=parents.meson.astype(np.int64),
        parent_momentum=parents.momentum,
        weight=parents.weight * theta2,
        companion_pdg=np.zeros(len(parents), dtype=np.int64),
    )

"""Light dark matter χ through a dark photon A′ (vector portal): the flux particle is χ, not the A′.

Parameters: m_χ (the model's ``mass``), m_A′ = ``mass_ratio`` × m_χ, kinetic mixing ε (scan coupling), dark coupling
α_D = g_D²/4π, χ a complex scalar (default, the MiniBooNE-DM benchmark) or a Dirac fermion. The standard
variable is Y = ε² α_D (m_χ/m_A′)⁴ (white paper 004 Sec. 5.2; MiniBooNE-DM, PRD 98, 112004 (2018),
arXiv:1807.06137, Sec. I).

Production (this module): neutral mesons P = π⁰, η decay as P → γA′ with
BR = 2ε²(1 − m_A′²/m_P²)³ BR(P → γγ) (Batell, Pospelov, Ritz, PRD 80, 095024 (2009), Eq. 8; implemented in
:func:`darkbeam.models.dark_photon.br_meson_to_photon_dark_photon`), followed by the on-shell decay A′ → χχ̄ with
BR(A′ → χχ̄) = Γ_χ/(Γ_χ + Γ_vis) from :class:`~darkbeam.models.dark_photon.DarkPhoton` (its invisible width, same
ε, α_D, m_χ and spin). Each P → γA′ → γχχ̄ gives two dark particles (χ and χ̄), which scatter alike through the
vector current; both are kept as rows of the FluxSample.

* **On-shell** P → γA′, A′ → χχ̄ when 2m_χ < m_A′ < m_P (narrow width).
* **Off-shell** P → γA′* → γχχ̄ when m_A′ ≥ m_P > 2m_χ (for m_A′ = 3m_χ: 45 < m_χ < 67.5 MeV from π⁰,
  183 < m_χ < 274 MeV from η), with the invariant-mass spectrum of the pair (s = m_χχ²)

      dBR/ds = BR(P → γA′; m_A′² → s) · (1/π) √s Γ(A′* → χχ̄; √s) / [(s − m_A′²)² + m_A′² Γ_A′²]

  (the off-shell meson decays of P. deNiverville, M. Pospelov, A. Ritz, PRD 84, 075020 (2011), arXiv:1107.4580,
  Sec. 2, and deNiverville et al., arXiv:1609.01770, Sec. II, written here as the narrow-width factorisation with
  the Breit–Wigner propagator restored; equation numbers of those papers not re-checked;
  Γ(A′* → χχ̄; √s) = α_D √s β³/12 (complex scalar) or α_D √s (1 + 2m_χ²/s) β/3 (Dirac), β = (1 − 4m_χ²/s)^{1/2};
  Γ_A′ the total width at m_A′). In the narrow-width limit its integral is BR(P → γA′) BR(A′ → χχ̄) (tested).
  Kinematics: s drawn from the tabulated spectrum (inverse CDF on 4000 points uniform in the Breit–Wigner angle),
  P → γA′* isotropic, A′* → χχ̄ isotropic in its frame. :func:`offshell_meson_spectrum`. The off-shell π⁰ channel
  is tiny (BR ≈ 3e-10 at ε = 1e-3, m_χ = 46 MeV); above the π⁰ threshold bremsstrahlung carries the χ flux.
* **Proton bremsstrahlung** p N → p N A′, A′ → χχ̄ (:mod:`darkbeam.production.bremsstrahlung`, Blümlein–Brunner
  quasi-real approximation with the ρ/ω VMD form factor, as in 1609.01770 Sec. II), from parents with PDG id
  2212 (:class:`~darkbeam.production.bremsstrahlung.BeamProtonSource`: interacting beam protons). Its
  ``production_branching_ratios`` entry is the coupling factor ε² BR(A′ → χχ̄): the emission probability per
  interacting proton depends on the beam momentum and the cuts and is carried by the sampled weights.
* **Omitted**: direct (parton-level q q̄ → A′) production, which MiniBooNE-DM also used for m_A′ ≳ m_ρ
  (1807.06137 Sec. III; BdNMC ``parton_V``), and ω/ρ/φ decays.
* **Kinematics.** P → γA′ isotropic in the P frame (spin 0); A′ → χχ̄ taken isotropic in the A′ frame (the
  A′ from P → γA′ is transversely polarised, which gives sin²θ (scalar χ) or 1 + cos²θ (fermion) about the A′
  helicity axis; averaging over it is an approximation that mainly reshapes the χ angular spread at the 10 %
  level).

Production at a beam dump (:class:`DumpMesonSource`): the π⁰ and η spectra of the BNB Sanford–Wang
parametrisation (PRD 79, 072002 (2009); π⁰ = (π⁺ + π⁻)/2 and η = π⁰/30 as in deNiverville, Chen, Pospelov, Ritz,
PRD 95, 035006 (2017), arXiv:1609.01770, Sec. III.A, which MiniBooNE-DM's BdNMC simulation follows), made for
p + Be, rescaled to the steel dump: per inelastic interaction the multiplicity scales as
A^α / σ_inel(A) with α = :data:`ALPHA_PION` = 0.8 for the invariant pion cross section at small x_F
(D.S. Barton et al., PRD 27, 2580 (1983), A-dependence of inclusive π± production, α(x_F ≲ 0.3) ≈ 0.75-0.8) and
σ_inel(A) = A/(N_A λ_I) from the PDG interaction lengths (the same convention as
:class:`~darkbeam.production.sanford_wang.SanfordWangSource`). Every proton interacts in the dump
(P_int = 1 − exp(−L/λ_I), L ≫ λ_I). Result: 0.93 π⁰ per POT, to be compared with 0.9 π⁰ per POT used for
MiniBooNE-DM in BdNMC (deNiverville et al., github.com/pgdeniverville/BdNMC, ``par_writer.py``: ``pi0_per_POT``
0.9 and ``meson_per_pi0`` η = 1/30; tests/test_ldm.py). Tertiary production in the thick dump is neglected (as
in BdNMC). Production point: on the beam axis at the dump face plus an exponential depth (λ_I of iron).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from .. import pdg
from ..beams import get as get_beam
from ..errors import ConfigError, KinematicsError, check_choice, check_positive
from ..flux import FluxSample
from ..kinematics import boost, isotropic_directions, two_body_decay, two_body_momentum
from ..production.bremsstrahlung import PROTON_PDG, sample_bremsstrahlung
from ..production.drell_yan import DrellYanProtons
from ..production.parents import ParentDecays
from ..production.sanford_wang import A_BERYLLIUM, SanfordWangSource
from ..units import C_LIGHT, N_AVOGADRO
from .base import DarkModel, DecayChannel, ProductionChannel, register_model
from .dark_photon import BR_TO_GAMMA_GAMMA, DarkPhoton, br_meson_to_photon_dark_photon, width_to_chi

FloatArray = NDArray[np.float64]

__all__ = [
    "ALPHA_PION",
    "DumpMesonSource",
    "LightDarkMatter",
    "epsilon_from_y",
    "offshell_meson_spectrum",
]

#: A-dependence exponent of the invariant pion production cross section at small x_F (Barton et al., PRD 27,
#: 2580 (1983); see module docstring).
ALPHA_PION = 0.8
#: χ's Monte Carlo id (DarkBeam's user range; ``pdg.DARK_PDG_IDS["chi"]``)
CHI_PDG_ID = pdg.DARK_PDG_IDS["chi"]

_CHANNELS = {pdg.PI0: "pi0 -> gamma A'(-> chi chi~)", pdg.ETA: "eta -> gamma A'(-> chi chi~)"}
_OFFSHELL = {pdg.PI0: "pi0 -> gamma A'*(-> chi chi~)", pdg.ETA: "eta -> gamma A'*(-> chi chi~)"}
_BREMS = "p N -> p N A'(-> chi chi~)"
#: points of the tabulated off-shell spectrum dBR/ds
_N_SPECTRUM = 4000


def offshell_meson_spectrum(
    parent: int,
    m_chi: float,
    m_med: float,
    alpha_dark: float,
    epsilon: float,
    chi_spin: str,
    total_width: float,
    s: FloatArray,
) -> FloatArray:
    """dBR(P → γχχ̄)/ds [GeV⁻²] at pair mass² ``s`` [GeV²] through a (generally off-shell) A′ (module docstring):
    2ε² BR(P → γγ)(1 − s/m_P²)³ · √s Γ_χ(√s)/π / [(s − m_A′²)² + m_A′² Γ_A′²]; zero outside 4m_χ² < s < m_P²."""
    m_p = pdg.mass(parent)
    s = np.asarray(s, dtype=float)
    root = np.sqrt(np.clip(s, 0.0, None))
    inside = (s > 4.0 * m_chi**2) & (s < m_p**2)
    to_photon = 2.0 * epsilon**2 * BR_TO_GAMMA_GAMMA[parent] * np.clip(1.0 - s / m_p**2, 0.0, None) ** 3
    sqrt_s_width = root * width_to_chi(root, m_chi, alpha_dark, chi_spin)
    propagator = 1.0 / ((s - m_med**2) ** 2 + m_med**2 * total_width**2)
    return np.asarray(np.where(inside, to_photon * sqrt_s_width * propagator / np.pi, 0.0))


def epsilon_from_y(y: FloatArray | float, alpha_dark: float, mass_ratio: float) -> FloatArray:
    """ε for given Y = ε² α_D (m_χ/m_A′)⁴: ε = (Y r⁴/α_D)^{1/2} with r = m_A′/m_χ."""
    return np.asarray(np.sqrt(np.asarray(y, dtype=float) * mass_ratio**4 / alpha_dark))


@register_model
@dataclass(frozen=True)
class LightDarkMatter(DarkModel):
    """Light dark matter χ of mass ``mass`` [GeV] via a dark photon of mass ``mass_ratio`` × m_χ.

    Scan coupling ε (``coupling_power`` 2: production ∝ ε² × BR(A′ → χχ̄) ≈ ε²). χ is stable: no decay
    channels, cτ = ∞. ``chi_spin``: ``"scalar"`` (complex scalar) or ``"fermion"`` (Dirac).
    ``bremsstrahlung`` / ``offshell_mesons``: switch the proton-bremsstrahlung (parent 2212) and off-shell
    P → γA′* → γχχ̄ channels (module docstring); both on by default.
    """

    name: ClassVar[str] = "light_dark_matter"
    pdg_id: ClassVar[int] = CHI_PDG_ID
    coupling_name: ClassVar[str] = "epsilon"
    coupling_power: ClassVar[int] = 2

    mass: float
    epsilon: float = 1e-3
    alpha_dark: float = 0.5
    mass_ratio: float = 3.0
    chi_spin: str = "scalar"
    bremsstrahlung: bool = True
    offshell_mesons: bool = True

    def __post_init__(self) -> None:
        check_positive("mass", self.mass)
        check_positive("epsilon", self.epsilon)
        check_positive("alpha_dark", self.alpha_dark)
        check_choice("chi_spin", self.chi_spin, ("fermion", "scalar"))
        if self.epsilon > 1:
            raise ConfigError(f"epsilon = {self.epsilon!r} is not allowed; it must be in (0, 1]")
        if self.mass_ratio <= 2.0:
            raise ConfigError(
                f"mass_ratio = {self.mass_ratio!r} is not allowed; it must be > 2 (on-shell A' -> chi chi~; "
                "the off-shell regime m_A' < 2 m_chi is not modelled)"
            )

    # ------------------------------------------------------------------ couplings
    @property
    def coupling(self) -> float:
        return self.epsilon

    def with_coupling(self, value: float) -> LightDarkMatter:
        return replace(self, epsilon=value)

    @property
    def m_med(self) -> float:
        """Dark-photon mass m_A′ [GeV]."""
        return self.mass * self.mass_ratio

    @property
    def y(self) -> float:
        """Y = ε² α_D (m_χ/m_A′)⁴."""
        return float(self.epsilon**2 * self.alpha_dark / self.mass_ratio**4)

    def parameters(self) -> dict[str, Any]:
        return {
            "epsilon": self.epsilon,
            "alpha_dark": self.alpha_dark,
            "mass_ratio": self.mass_ratio,
            "chi_spin": self.chi_spin,
            "bremsstrahlung": self.bremsstrahlung,
            "offshell_mesons": self.offshell_mesons,
            "m_med": self.m_med,
            "Y": self.y,
        }

    def dark_photon(self) -> DarkPhoton:
        """The mediator as a :class:`DarkPhoton` with its invisible χχ̄ width."""
        return DarkPhoton(
            mass=self.m_med, epsilon=self.epsilon, alpha_dark=self.alpha_dark, m_chi=self.mass, chi_spin=self.chi_spin
        )

    def invisible_branching_ratio(self) -> float:
        """BR(A′ → χχ̄) at the current ε (Γ_χ / (Γ_χ + Γ_vis), DarkPhoton widths)."""
        return float(self.dark_photon().branching_ratios().get("chi chi", 0.0))

    # ------------------------------------------------------------------ χ is stable
    def partial_widths(self) -> dict[str, float]:
        return {}

    def decay_channels(self) -> dict[str, DecayChannel]:
        return {}

    # ------------------------------------------------------------------ production
    def _offshell_parents(self) -> list[int]:
        """Mesons with m_A′ ≥ m_P > 2m_χ (off-shell window)."""
        if not self.offshell_mesons:
            return []
        return [p for p in _CHANNELS if self.m_med >= pdg.mass(p) > 2.0 * self.mass]

    def production_channels(self) -> list[ProductionChannel]:
        channels = [
            ProductionChannel(parent, name, (pdg.PHOTON, -CHI_PDG_ID))
            for parent, name in _CHANNELS.items()
            if self.m_med < pdg.mass(parent)
        ]
        channels += [ProductionChannel(p, _OFFSHELL[p], (pdg.PHOTON, -CHI_PDG_ID)) for p in self._offshell_parents()]
        if self.bremsstrahlung:
            channels.append(ProductionChannel(PROTON_PDG, _BREMS, (PROTON_PDG, -CHI_PDG_ID)))
        return channels

    def _offshell_table(self, parent: int) -> tuple[FloatArray, FloatArray]:
        """(s grid, cumulative BR) of P → γχχ̄ on :data:`_N_SPECTRUM` points at the current ε.

        The grid is uniform in θ = arctan((s − m_A′²)/(m_A′Γ_A′)) (Breit–Wigner mapping) and the integral is the
        trapezoid rule in θ of dBR/ds · ds/dθ, a smooth integrand, so a narrow peak inside the range is exact too.
        """
        width = self.dark_photon().total_width()
        m2, m_gamma = self.m_med**2, self.m_med * max(width, 1e-12 * self.m_med)
        lo, hi = 4.0 * self.mass**2, pdg.mass(parent) ** 2
        theta = np.linspace(np.arctan((lo - m2) / m_gamma), np.arctan((hi - m2) / m_gamma), _N_SPECTRUM)
        s = np.clip(m2 + m_gamma * np.tan(theta), lo, hi)
        s[0], s[-1] = lo, hi
        density = offshell_meson_spectrum(
            parent, self.mass, self.m_med, self.alpha_dark, self.epsilon, self.chi_spin, width, s
        )
        integrand = density * ((s - m2) ** 2 + m_gamma**2) / m_gamma  # dBR/dθ
        cdf = np.concatenate([[0.0], np.cumsum(0.5 * (integrand[1:] + integrand[:-1]) * np.diff(theta))])
        return s, cdf

    def offshell_branching_ratio(self, parent: int) -> float:
        """BR(P → γA′* → γχχ̄) = ∫ dBR/ds ds (module docstring)."""
        return float(self._offshell_table(parent)[1][-1])

    def production_branching_ratios(self) -> dict[int, dict[str, float]]:
        """Per parent: BR(P → γA′) × BR(A′ → χχ̄) (on shell) or BR(P → γA′* → γχχ̄) (off shell); each decay gives
        one χ and one χ̄. For parent 2212 (bremsstrahlung) the coupling factor ε² BR(A′ → χχ̄) (module docstring)."""
        br_inv = self.invisible_branching_ratio()
        out: dict[int, dict[str, float]] = {}
        for parent, name in _CHANNELS.items():
            br = br_meson_to_photon_dark_photon(self.m_med, parent, self.epsilon) * br_inv
            if br > 0:
                out[parent] = {name: br}
        for parent in self._offshell_parents():
            br = self.offshell_branching_ratio(parent)
            if br > 0:
                out[parent] = {_OFFSHELL[parent]: br}
        if self.bremsstrahlung and br_inv > 0:
            out[PROTON_PDG] = {_BREMS: self.epsilon**2 * br_inv}
        return out

    def produce(self, parents: ParentDecays, rng: np.random.Generator) -> FluxSample:
        """χ and χ̄ from ``parents`` (module docstring): P → γA′ (on or off shell) or p N → p N A′, A′(*) → χχ̄.

        Returns 2 × len(parents) rows (χ then χ̄); each row's weight = parent weight × the channel's rate at the
        current ε, so Σ weight = dark particles (χ + χ̄) per POT.
        Raises :class:`KinematicsError` if no channel is open for this parent.
        """
        if isinstance(parents, DrellYanProtons):  # pdg 2212 too, but not bremsstrahlung protons
            raise KinematicsError(f"{self.name}: Drell–Yan production (source kind 'drell_yan') is not implemented")
        brs = self.production_branching_ratios().get(parents.pdg)
        if not brs:
            raise KinematicsError(
                f"mass {self.mass} GeV: {self.name} with m_A' = {self.m_med:.6g} GeV has no open production channel "
                f"from {pdg.name(parents.pdg)} (on-shell m_A' < m_P, off-shell m_P > 2 m_chi, or bremsstrahlung "
                "from protons)"
            )
        name, br = next(iter(brs.items()))
        if name == _BREMS:
            a_prime, unit_weight = sample_bremsstrahlung(parents, self.m_med, rng, "vector")
            weight = unit_weight * br
        elif name in _OFFSHELL.values():
            a_prime = self._offshell_mediators(parents, rng)
            weight = parents.weight * br
        else:
            a_prime, _ = two_body_decay(parents.momentum, self.m_med, 0.0, rng)
            weight = parents.weight * br
        chi, chibar = two_body_decay(a_prime, self.mass, self.mass, rng)
        n = len(parents)
        return FluxSample(
            model=self.name,
            mass=self.mass,
            reference_coupling=self.epsilon,
            momentum=np.concatenate([chi, chibar]),
            vertex=np.tile(parents.vertex, (2, 1)),
            time=np.tile(parents.time, 2),
            parent_pdg=np.full(2 * n, parents.pdg, dtype=np.int64),
            parent_momentum=np.tile(parents.momentum, (2, 1)),
            weight=np.tile(weight, 2),
            companion_pdg=np.zeros(2 * n, dtype=np.int64),
        )

    def _offshell_mediators(self, parents: ParentDecays, rng: np.random.Generator) -> FloatArray:
        """A′* four-momenta (n, 4) in P → γA′*: s from the tabulated dBR/ds (inverse CDF), isotropic in the P frame."""
        s_grid, cdf = self._offshell_table(parents.pdg)
        s = np.interp(rng.random(len(parents)) * cdf[-1], cdf, s_grid)
        s = np.clip(s, 4.0 * self.mass**2 * (1.0 + 1e-12), None)
        m_p = pdg.mass(parents.pdg)
        q = two_body_momentum(m_p, np.sqrt(s), 0.0)
        rest = np.empty((len(parents), 4))
        rest[:, :3] = isotropic_directions(len(parents), rng) * q[:, None]
        rest[:, 3] = np.sqrt(q**2 + s)
        return np.asarray(boost(rest, parents.momentum[:, :3] / parents.momentum[:, 3:4]))


@dataclass(frozen=True)
class DumpMesonSource:
    """π⁰ or η made by protons stopping in a steel beam dump (see module docstring), decaying promptly.

    ``beam``: the dump's catalogue entry (its ``target`` is the dump material; its ``absorber.position_cm`` is the
    dump face in the facility frame); ``fit_beam``: the catalogue entry whose Be target the Sanford–Wang fits
    describe (``"bnb"``). Σ weight of a sample = :meth:`multiplicity` (parents per POT).
    """

    parent_pdg: int
    beam: str = "bnb_offtarget"
    fit_beam: str = "bnb"
    alpha: float = ALPHA_PION

    def __post_init__(self) -> None:
        if self.parent_pdg not in _CHANNELS:
            raise ConfigError(
                f"parent_pdg = {self.parent_pdg} is not allowed for a dump meson source; allowed: 111, 221"
            )

    def _fit(self) -> SanfordWangSource:
        return SanfordWangSource(get_beam(self.fit_beam))

    def multiplicity_scale(self) -> float:
        """(A_dump/A_Be)^α × σ_inel(Be)/σ_inel(dump): multiplicity per interaction relative to beryllium."""
        dump = get_beam(self.beam).target.material
        fit = self._fit()
        a_dump = _atomic_mass(dump.name)
        sigma_dump_mb = a_dump / (N_AVOGADRO * dump.interaction_length_g_cm2.value) / 1e-27
        return float((a_dump / A_BERYLLIUM) ** self.alpha * fit.sigma_inel_mb / sigma_dump_mb)

    def multiplicity(self) -> float:
        """Mesons per POT: P_int(dump) × σ_h(Be)/σ_inel(Be) × :meth:`multiplicity_scale`."""
        fit = self._fit()
        p_int = float(-np.expm1(-get_beam(self.beam).target.interaction_lengths))
        return p_int * fit.cross_section_mb(self.parent_pdg) / fit.sigma_inel_mb * self.multiplicity_scale()

    def sample(self, n: int, rng: np.random.Generator) -> ParentDecays:
        """``n`` prompt decays at the dump (Σ weight = :meth:`multiplicity`)."""
        spec = get_beam(self.beam)
        if spec.absorber is None:
            raise ConfigError(f"beam {self.beam!r} has no [absorber]; a dump source needs the dump position")
        hadrons = self._fit().sample(self.parent_pdg, n, rng)
        lam = spec.target.material.interaction_length_cm
        length = spec.target.length_cm.value
        depth = -lam * np.log1p(rng.random(n) * np.expm1(-length / lam))
        vertex = np.zeros((n, 3))
        vertex[:, 2] = spec.absorber.position_cm.value + depth
        weight = np.full(n, self.multiplicity() / n)
        return ParentDecays(self.parent_pdg, hadrons.momentum, vertex, vertex[:, 2] / C_LIGHT, weight)


#: atomic masses [g/mol] of dump materials (PDG RPP 2024, Atomic and nuclear properties of materials)
_ATOMIC_MASS = {"Fe": 55.845, "Cu": 63.546, "W": 183.84, "Be": 9.012182, "C": 12.0107, "Al": 26.9815385}


def _atomic_mass(material: str) -> float:
    try:
        return _ATOMIC_MASS[material]
    except KeyError:
        raise ConfigError(
            f"dump material {material!r} is not allowed; allowed: {', '.join(sorted(_ATOMIC_MASS))}"
        ) from None

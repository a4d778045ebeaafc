"""Millicharged particles (mCPs): a Dirac fermion χ of mass m_χ and electric charge ε e (ε = ``epsilon`` = Q/e).

The flux particle is χ (and χ̄); χ is stable. Production from meson decays through a (virtual) photon:

* **Pseudoscalar Dalitz decays** P = π⁰, η → γ χχ̄ (P → γγ* with γ* → χχ̄). The Kroll–Wada spectrum in the pair
  mass squared q² (N.M. Kroll, W. Wada, Phys. Rev. 98, 1355 (1955); L.G. Landsberg, Phys. Rep. 128, 301 (1985),
  Eq. (3.8)) with the mCP charge ε² in place of the lepton's:

      dBR(P → γχχ̄)/dq² = ε² BR(P → γγ) (2α/3π) (1/q²) (1 − q²/m_P²)³ (1 + 2m_χ²/q²) √(1 − 4m_χ²/q²) |F_P(q²)|²,

  4m_χ² < q² < m_P²; this is the mCP production formula of K.J. Kelly, Y.-D. Tsai, PRD 100, 015043 (2019),
  arXiv:1812.03998, Sec. II (their I₃(x) integral, x = m_χ²/m_P², with the factor 2/(3π)) and of Magill,
  Plestid, Pospelov, Tsai, PRL 122, 071801 (2019), arXiv:1806.03310 (meson-decay production). Transition form
  factors (single pole, normalised F(0) = 1): π⁰: F = 1/(1 − a q²/m_π²) with slope a = 0.032 (PDG RPP 2024, π⁰
  "e⁺e⁻γ slope parameter a" = 0.032 ± 0.004); η: F = 1/(1 − q² Λ⁻²) with Λ⁻² = 1.934 GeV⁻² (NA60, PLB 757, 437
  (2016), η → μ⁺μ⁻γ). ``form_factor=False`` sets |F|² = 1 (pure QED point coupling, as in 1812.03998).
  Validation: the same formula with m_χ → m_e, ε = 1 gives BR(π⁰ → γe⁺e⁻)/BR(π⁰ → γγ) and, with the form factor,
  BR(η → γμ⁺μ⁻) (tests against PDG 2024).

  Kinematics (not flat phase space): q² is sampled from the spectrum above; P → γγ* is isotropic in the P frame
  (spin 0); γ* → χχ̄ in the γ* frame follows dN/dcos θ ∝ 1 + cos²θ + (4m_χ²/q²) sin²θ about the γ* direction
  (the γ* from P → γγ* is transversely polarised, helicity ±1, because the pseudoscalar vertex
  ε^{μνρσ} k_ρ q_σ has no longitudinal γ* component; integrating over cos θ gives the (1 + 2m_χ²/q²) factor above).

* **Vector mesons** V = ρ⁰, ω, φ (and J/ψ where a source provides it) → χχ̄ through the photon (vector-meson
  dominance of the e.m. current; e.g. 1806.03310 and 1812.03998 Sec. II):

      BR(V → χχ̄) = ε² BR(V → e⁺e⁻) × [(1 + 2m_χ²/m_V²) √(1 − 4m_χ²/m_V²)] / [(1 + 2m_e²/m_V²) √(1 − 4m_e²/m_V²)]

  (ratio of the two-body widths of a vector to a fermion pair of charge Q: Γ ∝ Q² (1 + 2m²/M²) √(1 − 4m²/M²)).
  BR(V → e⁺e⁻) from PDG RPP 2024: ρ⁰ 4.72e-5, ω 7.38e-5, φ 2.979e-4, J/ψ 5.971e-2. V → χχ̄ is isotropic in the V
  frame (unpolarised V). Vector mesons are put on their pole mass (the ρ width is not sampled; see
  production/tabulated.py).

Each parent decay gives a χ and a χ̄ (both rows kept; they scatter alike). Production ∝ ε² (``coupling_power`` 2).
Not included: η′ → γχχ̄ (its form factor has the ρ/ω pole inside the phase space), ω → π⁰χχ̄, proton
bremsstrahlung and Drell–Yan (relevant above ~0.5 GeV), energy loss of χ in the shielding (ε ≳ 0.1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import pdg
from ..errors import ConfigError, KinematicsError, check_positive
from ..flux import FluxSample
from ..kinematics import directions_from_angles, invariant_mass, rest_to_lab, two_body_momentum
from ..production.parents import ParentDecays
from .base import DarkModel, DecayChannel, ProductionChannel, register_model
from .dark_photon import BR_TO_GAMMA_GAMMA

FloatArray = NDArray[np.float64]

__all__ = [
    "BR_VECTOR_TO_EE",
    "FORM_FACTOR_INV_LAMBDA2",
    "MCP_PDG_ID",
    "Millicharged",
    "dalitz_br_density",
    "pseudoscalar_dalitz_br",
    "sample_dalitz_q2",
    "vector_meson_br",
]

#: fine-structure constant at q² = 0 (CODATA 2018)
ALPHA_EM = 7.2973525693e-3
#: electron mass [GeV] (CODATA 2018)
M_ELECTRON = 0.51099895000e-3
#: Monte Carlo id of χ (DarkBeam user range; ``pdg.DARK_PDG_IDS["mcp"]`` once registered there, else "chi")
MCP_PDG_ID = pdg.DARK_PDG_IDS.get("mcp", pdg.DARK_PDG_IDS["chi"])

JPSI = 443
RHO0, OMEGA, PHI = 113, 223, 333
#: BR(V → e⁺e⁻), PDG RPP 2024 (ρ⁰, ω, φ, J/ψ)
BR_VECTOR_TO_EE = {RHO0: 4.72e-5, OMEGA: 7.38e-5, PHI: 2.979e-4, JPSI: 5.971e-2}
#: single-pole transition form-factor slopes Λ⁻² [GeV⁻²]: π⁰ from a = 0.032 (PDG 2024) as a/m_π²; η from NA60,
#: PLB 757, 437 (2016) (Λ⁻² = 1.934 GeV⁻²)
FORM_FACTOR_INV_LAMBDA2 = {pdg.PI0: 0.032 / 0.1349768**2, pdg.ETA: 1.934}
_PSEUDOSCALARS = (pdg.PI0, pdg.ETA)
_CHANNELS = {
    pdg.PI0: "pi0 -> gamma chi chi~",
    pdg.ETA: "eta -> gamma chi chi~",
    RHO0: "rho0 -> chi chi~",
    OMEGA: "omega -> chi chi~",
    PHI: "phi -> chi chi~",
    JPSI: "J/psi -> chi chi~",
}
_GRID = 4000


def dalitz_br_density(
    q2: ArrayLike, parent: int, m_chi: float, epsilon: float = 1.0, *, form_factor: bool = True
) -> FloatArray:
    """dBR(P → γχχ̄)/dq² [GeV⁻²] (Kroll–Wada with charge ε; module docstring). Zero outside (4m_χ², m_P²)."""
    if parent not in _PSEUDOSCALARS:
        raise ConfigError(f"parent = {parent!r} is not allowed for a Dalitz decay; allowed: 111, 221")
    m_p = pdg.mass(parent)
    q2 = np.asarray(q2, dtype=float)
    ok = (q2 > 4 * m_chi**2) & (q2 < m_p**2)
    q2s = np.where(ok, q2, 0.5 * (4 * m_chi**2 + m_p**2))
    x = 4 * m_chi**2 / q2s
    ff2 = 1.0 / (1.0 - q2s * FORM_FACTOR_INV_LAMBDA2[parent]) ** 2 if form_factor else 1.0
    dens = (
        epsilon**2
        * BR_TO_GAMMA_GAMMA[parent]
        * 2.0
        * ALPHA_EM
        / (3.0 * np.pi)
        / q2s
        * (1.0 - q2s / m_p**2) ** 3
        * (1.0 + 0.5 * x)
        * np.sqrt(1.0 - x)
        * ff2
    )
    return np.asarray(np.where(ok, dens, 0.0))


@lru_cache(maxsize=256)
def _dalitz_table(parent: int, m_chi: float, form_factor: bool) -> tuple[FloatArray, FloatArray, float]:
    """(log q² grid, normalised CDF, BR at ε = 1) on a grid in u = ln q² (density q² dBR/dq² is smooth in u)."""
    m_p = pdg.mass(parent)
    lo, hi = np.log(4 * m_chi**2), np.log(m_p**2)
    # nodes denser near both ends (√ threshold and (1 − q²/m²)³ endpoint): u = lo + (hi−lo) (1 − cos(πt))/2
    t = np.linspace(0.0, 1.0, _GRID)
    u = lo + (hi - lo) * 0.5 * (1.0 - np.cos(np.pi * t))
    q2 = np.exp(u)
    f = q2 * dalitz_br_density(q2, parent, m_chi, 1.0, form_factor=form_factor)
    f[0] = f[-1] = 0.0
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (f[1:] + f[:-1]) * np.diff(u))])
    total = float(cdf[-1])
    return u, cdf / total, total


def pseudoscalar_dalitz_br(parent: int, m_chi: float, epsilon: float, *, form_factor: bool = True) -> float:
    """BR(P → γχχ̄) = ∫ dq² dBR/dq² (module docstring); 0 if 2m_χ ≥ m_P."""
    if parent not in _PSEUDOSCALARS:
        raise ConfigError(f"parent = {parent!r} is not allowed for a Dalitz decay; allowed: 111, 221")
    if 2 * m_chi >= pdg.mass(parent):
        return 0.0
    return float(epsilon**2 * _dalitz_table(parent, float(m_chi), form_factor)[2])


def sample_dalitz_q2(
    parent: int, m_chi: float, n: int, rng: np.random.Generator, *, form_factor: bool = True
) -> FloatArray:
    """``n`` values of q² [GeV²] from the P → γχχ̄ spectrum (inverse CDF on a 4000-node grid in ln q²)."""
    if 2 * m_chi >= pdg.mass(parent):
        raise KinematicsError(f"mass {m_chi} GeV: {pdg.name(parent)} -> gamma chi chi~ is closed (2 m_chi >= m_P)")
    u, cdf, _ = _dalitz_table(parent, float(m_chi), form_factor)
    return np.asarray(np.exp(np.interp(rng.random(n), cdf, u)))


def vector_meson_br(parent: int, m_chi: float, epsilon: float) -> float:
    """BR(V → χχ̄) = ε² BR(V → e⁺e⁻) × phase-space ratio (module docstring); 0 if 2m_χ ≥ m_V."""
    if parent not in BR_VECTOR_TO_EE:
        raise ConfigError(
            f"parent = {parent!r} is not allowed for V -> chi chi~; allowed: {', '.join(map(str, BR_VECTOR_TO_EE))}"
        )
    m_v = pdg.mass(parent)
    if 2 * m_chi >= m_v:
        return 0.0

    def shape(m: float) -> float:
        r = m * m / (m_v * m_v)
        return float((1 + 2 * r) * np.sqrt(1 - 4 * r))

    return float(epsilon**2 * BR_VECTOR_TO_EE[parent] * shape(m_chi) / shape(M_ELECTRON))


def _pair_cos_theta(q2: FloatArray, m_chi: float, rng: np.random.Generator) -> FloatArray:
    """cos θ from 1 + c² + (4m²/q²)(1 − c²) on [−1, 1] (accept–reject against its maximum, vectorised)."""
    r = 4 * m_chi**2 / q2
    out = np.empty(len(q2))
    todo = np.arange(len(q2))
    while todo.size:
        c = rng.uniform(-1.0, 1.0, todo.size)
        f = 1 + c * c + r[todo] * (1 - c * c)
        fmax = np.maximum(2.0, 1.0 + r[todo])
        keep = rng.random(todo.size) * fmax < f
        out[todo[keep]] = c[keep]
        todo = todo[~keep]
    return out


@register_model
@dataclass(frozen=True)
class Millicharged(DarkModel):
    """Millicharged Dirac fermion of mass ``mass`` [GeV] and charge ``epsilon`` × e (module docstring).

    Scan coupling ε (``coupling_power`` 2: production ∝ ε²). Stable: no decay channels.
    ``form_factor``: include the π⁰/η transition form factors in the Dalitz spectrum (default True).
    """

    name: ClassVar[str] = "millicharged"
    pdg_id: ClassVar[int] = MCP_PDG_ID
    coupling_name: ClassVar[str] = "epsilon"
    coupling_power: ClassVar[int] = 2

    mass: float
    epsilon: float = 1e-3
    form_factor: bool = True

    def __post_init__(self) -> None:
        check_positive("mass", self.mass)
        check_positive("epsilon", self.epsilon)
        if self.epsilon > 1:
            raise ConfigError(f"epsilon = {self.epsilon!r} is not allowed; it must be in (0, 1]")

    @property
    def coupling(self) -> float:
        return self.epsilon

    def with_coupling(self, value: float) -> Millicharged:
        return replace(self, epsilon=value)

    @property
    def self_conjugate(self) -> bool:
        return False

    def parameters(self) -> dict[str, Any]:
        return {"epsilon": self.epsilon, "form_factor": self.form_factor}

    def partial_widths(self) -> dict[str, float]:
        return {}

    def decay_channels(self) -> dict[str, DecayChannel]:
        return {}

    def production_branching_ratios(self) -> dict[int, dict[str, float]]:
        """BR of each open meson channel (each decay gives one χ and one χ̄)."""
        out: dict[int, dict[str, float]] = {}
        for parent, name in _CHANNELS.items():
            if parent in _PSEUDOSCALARS:
                br = pseudoscalar_dalitz_br(parent, self.mass, self.epsilon, form_factor=self.form_factor)
            else:
                br = vector_meson_br(parent, self.mass, self.epsilon)
            if br > 0:
                out[parent] = {name: br}
        return out

    def production_channels(self) -> list[ProductionChannel]:
        brs = self.production_branching_ratios()
        return [
            ProductionChannel(parent, name, (pdg.PHOTON, -MCP_PDG_ID) if parent in _PSEUDOSCALARS else (-MCP_PDG_ID,))
            for parent, name in _CHANNELS.items()
            if parent in brs
        ]

    def produce(self, parents: ParentDecays, rng: np.random.Generator) -> FluxSample:
        """χ and χ̄ from ``parents`` (module docstring kinematics); 2 × len(parents) rows (χ then χ̄), each with
        weight = parent weight × BR at the current ε, so Σ weight = (χ + χ̄) per POT.
        Raises :class:`KinematicsError` if the channel is closed for this parent."""
        brs = self.production_branching_ratios().get(parents.pdg)
        if not brs:
            raise KinematicsError(
                f"mass {self.mass} GeV: {self.name} has no open production from {pdg.name(parents.pdg)} "
                f"(needs 2 m_chi < {pdg.mass(parents.pdg):.6g} GeV and a pi0/eta/rho0/omega/phi/J/psi parent)"
            )
        br = next(iter(brs.values()))
        n = len(parents)
        m_p = pdg.mass(parents.pdg)
        parent_mass = invariant_mass(parents.momentum)
        if parents.pdg in _PSEUDOSCALARS:
            q2 = sample_dalitz_q2(parents.pdg, self.mass, n, rng, form_factor=self.form_factor)
            m_star = np.sqrt(q2)
            # γ* in the P frame: isotropic, momentum (m_P² − q²)/(2 m_P)
            k = (m_p * m_p - q2) / (2 * m_p)
            axis = directions_from_angles(rng.uniform(-1.0, 1.0, n), rng.uniform(0.0, 2 * np.pi, n))
            gstar = np.concatenate([axis * k[:, None], np.sqrt(k * k + q2)[:, None]], axis=1)
            cos_t = _pair_cos_theta(q2, self.mass, rng)
        else:
            m_star = np.full(n, m_p)
            gstar = np.zeros((n, 4))
            gstar[:, 3] = m_p
            axis = np.tile([0.0, 0.0, 1.0], (n, 1))
            cos_t = rng.uniform(-1.0, 1.0, n)
        # χχ̄ in the γ* (or V) frame about the γ* direction
        p_star = two_body_momentum(m_star, self.mass, self.mass)
        d = directions_from_angles(cos_t, rng.uniform(0.0, 2 * np.pi, n), axis=axis)
        e_star = np.sqrt(p_star**2 + self.mass**2)
        chi_rest = np.concatenate([d * p_star[:, None], e_star[:, None]], axis=1)
        chibar_rest = np.concatenate([-d * p_star[:, None], e_star[:, None]], axis=1)
        chi_p, chibar_p = rest_to_lab(gstar, m_star, (chi_rest, self.mass), (chibar_rest, self.mass))
        chi, chibar = rest_to_lab(parents.momentum, parent_mass, (chi_p, self.mass), (chibar_p, self.mass))
        return FluxSample(
            model=self.name,
            mass=self.mass,
            reference_coupling=self.epsilon,
            momentum=np.concatenate([chi, chibar]),
            vertex=np.tile(parents.vertex, (2, 1)),
            time=np.tile(parents.time, 2),
            parent_pdg=np.full(2 * n, parents.pdg, dtype=np.int64),
            parent_momentum=np.tile(parents.momentum, (2, 1)),
            weight=np.tile(parents.weight * br, 2),
            companion_pdg=np.zeros(2 * n, dtype=np.int64),
            antiparticle=np.repeat([False, True], n),
        )

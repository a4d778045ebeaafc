"""Drell–Yan production of a dark photon, q q̄ → A′, by beam protons on a nuclear target (issue #5).

Physics. A dark photon of mass M couples to quarks with strength ε e Q_q. In the narrow-width limit the partonic
cross section is σ̂(q q̄ → A′) = (4π² α ε² Q_q²/3) δ(ŝ − M²) (the spin- and colour-averaged 2 → 1 formula
σ̂ = 16π²(2J + 1)Γ(A′ → q q̄)/[(2s_q + 1)²N_c² M] δ(ŝ − M²) with Γ(A′ → q q̄) = N_c α ε² Q_q² M/3; the same
normalisation as W/Z production, e.g. R. K. Ellis, W. J. Stirling, B. R. Webber, *QCD and Collider Physics*
(CUP 1996), Sec. 9.1; used for the dark photon by A. Berlin, S. Gori, P. Schuster, N. Toro, PRD 98 (2018) 035011,
arXiv:1804.00661, production section; section numbers not re-checked), so per nucleon–nucleon collision

    σ(p N → A′ X) = (4π² α ε²/(3 s)) Σ_q Q_q² ∫_τ^1 (dx/x) [q_p(x) q̄_N(τ/x) + q̄_p(x) q_N(τ/x)],   τ = M²/s

(:func:`narrow_width_sigma_pb`, for any PDF given as a callable). Comparing with leading-order Drell–Yan
dσ(q q̄ → γ* → μ⁺μ⁻)/dM² = (4πα²/(9 M² s)) Σ Q_q² L(τ) gives the model-independent ratio
σ_A′ = ε² (3πM/(2α)) dσ_μμ/dM (:func:`ratio_to_dimuon_dsigma_dm`), the relation used to recast dimuon data.

Table. ``darkbeam/data/production/drell_yan.npz`` (made by ``scripts/make_drell_yan_tables.py`` with Pythia 8.317,
NNPDF2.3 QCD+QED LO; settings and checks in its header and in that folder's README) holds, for 120 and 400 GeV/c
beams and masses 1-6 GeV (0.25 GeV steps), σ(p p → A′X) and σ(p n → A′X) at ε = 1 [pb] and the A′ distribution
in (x_F, p_T) in the nucleon–nucleon CM frame. Between grid masses, ln σ is interpolated linearly in M and the
kinematics are drawn from the two neighbouring grid masses with linear mixture weights; x_F is clipped to the
kinematic limit of the requested mass. Validity: Drell–Yan needs M ≳ 1.5 GeV (:data:`MIN_VALID_MASS`, the lower end
of the dark photon's channel); 1-1.5 GeV is tabulated for interpolation only.

Nuclear targets. Drell–Yan is a hard process and scales with the number of nucleons: σ(pA) = Z σ_pp + N σ_pn
(measured A^α with α consistent with 1 at the per-cent level: E772, D. M. Alde et al., PRL 64 (1990) 2479, 800 GeV/c,
4 < M < 9 GeV; NA3, J. Badier et al., PLB 104 (1981) 335; the quoted α digits are from memory, not re-checked;
small x₂-dependent shadowing is neglected). Per inelastic p A interaction the yield
is A σ_pN / σ_inel(pA) with σ_inel(pA) = A/(N_A λ_I) from the target's nuclear interaction length λ_I [g/cm²] (the beam
catalogue's PDG value, as for the meson tables), i.e. σ_pN N_A λ_I with σ_pN = (Z σ_pp + N σ_pn)/A. Per POT it is
that times P_int = 1 − exp(−L/λ_I), the weight of the interacting beam protons
(:class:`~darkbeam.production.bremsstrahlung.BeamProtonSource`). Re-interactions of the beam after a first inelastic
collision (secondary nucleons above threshold) are not included.

Normalisation (leading order) and comparisons. The table is leading order (LO): NNPDF2.3 LO, Q² = M², α(0), no K
factor. Checked against measured Drell–Yan: E866/NuSea absolute p p → μ⁺μ⁻X cross sections at 800 GeV/c (J. C. Webb
et al., hep-ex/0302019; M³d²σ/dM dx_F, 4.2 < M < 8.7 GeV, 0.05 < x_F < 0.65, 6.5 % normalisation uncertainty),
compared with this table through σ_A′ = (3πM/2α) dσ_μμ/dM and LO scaling (M³ dσ/dM a function of τ = M²/s only: the
E866 bins map onto M = 3.1-6.0 GeV at 400 GeV/c, 1.6-3.4 GeV at 120 GeV/c), give data/LO = 1.75-1.96 per mass bin,
mean :data:`E866_DATA_OVER_LO` = 1.84 (the usual fixed-target Drell–Yan K factor; flat in τ = 0.013-0.047). The
table is therefore ≈ 1.8× below the measured dimuon rate at the same τ. That factor is offered, not applied: set
``DrellYanSource(beam, k_factor=E866_DATA_OVER_LO)`` to normalise to data (below M ≈ 3 GeV at 400 GeV/c it is an
extrapolation in τ). SHiP's parametrisation (FairShip ``dpProductionRates.qcdprodRate``, per "p.o.t." at ε = 1) is
4-6× above this table for the BDF Mo target (older version; 3-5.5× the newer one) and is not a comparable
number: its normalisation (per POT, per pp collision or per nucleon; K factor) is not documented, and its
documented Pythia set-up (HiddenValley ffbar2Zv with the A′ width and R-ratio quark branching fractions) gives,
re-run with Pythia 8.317, σ(pp → A′) 0.3-0.9× this table, not more (``README.md`` next to the table; our per-POT
chain — Z σ_pp + N σ_pn, A σ_pN/σ_inel with σ_inel(p Mo)/A = 10.86 mb from λ_I, ε e Q_q coupling — was rechecked).

Runtime. :class:`DrellYanSource` ("drell_yan" source kind) makes the interacting beam protons of a catalogued beam
as parents (PDG 2212, :class:`DrellYanProtons`, carrying the target's Z, A and λ_I); :func:`produce_drell_yan` turns
them into A′ with the model's channel :data:`DRELL_YAN` (coupling factor ε² in
``production_branching_ratios()[2212]``): weight per row = parent weight × σ_pN N_A λ_I at ε = 1 × ε² × the
source's optional ``k_factor`` (default 1: leading order), so Σ weight = A′ per POT. Kinematics: x_F and p_T from
the table, azimuth uniform, boosted from the nucleon–nucleon CM frame to the lab along the beam direction; the A′ is
on its mass shell.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..beams import get as get_beam
from ..errors import ConfigError, KinematicsError, UnknownNameError, check_positive
from ..flux import FluxSample
from ..kinematics import orthonormal_basis
from ..materials import element
from ..units import ALPHA_EM, N_AVOGADRO
from .bremsstrahlung import M_PROTON, PROTON_PDG, BeamProtonSource
from .parents import ParentDecays

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..models.base import DarkModel

FloatArray = NDArray[np.float64]

__all__ = [
    "DRELL_YAN",
    "E866_DATA_OVER_LO",
    "MIN_VALID_MASS",
    "DrellYanProtons",
    "DrellYanSource",
    "DrellYanTable",
    "load_drell_yan_table",
    "narrow_width_sigma_pb",
    "produce_drell_yan",
    "ratio_to_dimuon_dsigma_dm",
    "sample_drell_yan",
    "yield_per_interaction",
]

#: production channel name (parent 2212: the interacting beam proton)
DRELL_YAN = "p N -> A' X (Drell-Yan)"
#: lower end of Drell–Yan validity [GeV] (hard q q̄ annihilation; below, vector mesons and bremsstrahlung dominate)
MIN_VALID_MASS = 1.5
#: 1 pb in cm²
PB_CM2 = 1e-36
#: 1 GeV⁻² in pb (PDG RPP 2024, physical constants: (ħc)² = 0.3893794 GeV² mb)
GEV2_PB = 0.3893794e9
#: electric charges of the quark flavours d, u, s, c, b (PDG id → Q)
QUARK_CHARGES = {1: -1.0 / 3.0, 2: 2.0 / 3.0, 3: -1.0 / 3.0, 4: 2.0 / 3.0, 5: -1.0 / 3.0}
#: measured Drell–Yan over this module's leading-order table at equal τ = M²/s (module docstring, "Normalisation"):
#: E866/NuSea p p → μ⁺μ⁻X at 800 GeV/c (J. C. Webb et al., hep-ex/0302019, M³d²σ/dM dx_F summed over 0.05 < x_F <
#: 0.65) divided by the table's σ_A′(pp)·2α/(3πM) transported in τ, times the table's x_F fraction: 1.93, 1.75, 1.78,
#: 1.96, 1.87, 1.80, 1.83, 1.81, 1.80 for the nine 0.5 GeV bins 4.2-8.7 GeV; mean 1.84 (spread ± 0.07, E866
#: normalisation ± 6.5 %). An optional K factor (``DrellYanSource(k_factor=...)``), not applied by default.
E866_DATA_OVER_LO = 1.84
#: relative beam-momentum mismatch accepted when picking the table energy (as for the meson tables)
P_LAB_TOLERANCE = 0.05
_FORMAT = "darkbeam-drell-yan-table"


# --------------------------------------------------------------------------------------------- formulas
@cache
def _gauss_legendre(nodes: int) -> tuple[FloatArray, FloatArray]:
    """Gauss–Legendre nodes and weights on [−1, 1] (computed once per node count)."""
    t, w = np.polynomial.legendre.leggauss(nodes)
    return t, w


def narrow_width_sigma_pb(
    mass: float, s: float, xf: Callable[[int, FloatArray, float], FloatArray], neutron: bool = False, nodes: int = 400
) -> float:
    """Leading-order narrow-width σ(p N → A′ X) [pb] at ε = 1 (module docstring), N = p or n (``neutron``).

    ``xf(pid, x, Q²)`` returns x f(x, Q²) of the proton for the parton ``pid`` (±1…±5) at the arrays ``x``; it is
    used at Q² = M²; the neutron's distributions are the isospin mirror (u_n = d_p, d_n = u_p). α = α(0). The
    luminosity integral ∫_τ^1 (dx/x) f₁(x) f₂(τ/x) = (1/τ) ∫ d(ln x) xf₁(x) xf₂(τ/x) by Gauss–Legendre in ln x.
    """
    check_positive("mass", mass)
    tau = mass * mass / check_positive("s", s)
    if tau >= 1.0:
        return 0.0
    t, w = _gauss_legendre(nodes)
    log_tau = math.log(tau)
    x1 = np.exp(0.5 * log_tau * (1.0 - t))
    weights = -0.5 * log_tau * w
    x2 = tau / x1
    q2 = mass * mass
    total = 0.0
    for q, charge in QUARK_CHARGES.items():
        q_target = {1: 2, 2: 1}.get(q, q) if neutron else q
        lum = xf(q, x1, q2) * xf(-q_target, x2, q2) + xf(-q, x1, q2) * xf(q_target, x2, q2)
        total += charge**2 * float(np.sum(weights * lum)) / tau
    return 4.0 * math.pi**2 * ALPHA_EM / (3.0 * s) * total * GEV2_PB


def ratio_to_dimuon_dsigma_dm(mass: float) -> float:
    """σ(pN → A′X)|_{ε=1} / (dσ(pN → μ⁺μ⁻X)/dM) = 3πM/(2α) [GeV] at leading order (module docstring): the ratio of
    (4π²α/(3s)) Σ Q² L(τ) to 2M × (4πα²/(9M²s)) Σ Q² L(τ) (massless muons)."""
    return 3.0 * math.pi * check_positive("mass", mass) / (2.0 * ALPHA_EM)


def yield_per_interaction(sigma_pn_pb: float, interaction_length_g_cm2: float) -> float:
    """A′ per inelastic p A interaction = A σ_pN/σ_inel(pA) = σ_pN N_A λ_I, with σ_inel(pA) = A/(N_A λ_I)
    (module docstring); ``sigma_pn_pb``: the Z/A-weighted per-nucleon cross section [pb], λ_I in g/cm²."""
    return sigma_pn_pb * PB_CM2 * N_AVOGADRO * check_positive("interaction_length_g_cm2", interaction_length_g_cm2)


# ------------------------------------------------------------------------------------------------- table
@dataclass(frozen=True)
class DrellYanTable:
    """The shipped table (module docstring): ``sigma_pb[e, k, m]`` for beam momentum ``p_lab[e]`` [GeV/c], nucleon
    k (0: p, 1: n) and ``mass[m]`` [GeV] at ε = 1; ``counts[e, k, m]`` the (x_F, p_T) histogram."""

    header: dict[str, Any]
    p_lab: FloatArray
    mass: FloatArray
    sigma_pb: FloatArray
    sigma_err_pb: FloatArray
    counts: NDArray[np.int64]
    xf_edges: FloatArray
    pt_edges: FloatArray

    def energy_index(self, p_lab: float) -> int:
        """Index of the tabulated beam momentum within :data:`P_LAB_TOLERANCE` of ``p_lab`` [GeV/c]."""
        rel = np.abs(self.p_lab - p_lab) / self.p_lab
        i = int(np.argmin(rel))
        if rel[i] > P_LAB_TOLERANCE:
            raise UnknownNameError(
                "Drell-Yan table beam momentum [GeV/c]", f"{p_lab:g}", [f"{p:g}" for p in self.p_lab]
            )
        return i

    def sqrt_s(self, e: int) -> float:
        """√s [GeV] of the table's beam ``e`` on a nucleon at rest (the frame of x_F)."""
        return float(self.header["sqrt_s_gev"][e])

    def _bracket(self, mass: float) -> tuple[int, float]:
        lo, hi = float(self.mass[0]), float(self.mass[-1])
        if not lo <= mass <= hi:
            raise KinematicsError(f"mass {mass} GeV is outside the Drell-Yan table's range [{lo:g}, {hi:g}] GeV")
        i = int(np.clip(np.searchsorted(self.mass, mass, side="right") - 1, 0, len(self.mass) - 2))
        return i, (mass - float(self.mass[i])) / float(self.mass[i + 1] - self.mass[i])

    def sigma(self, mass: float, p_lab: float, nucleon: int) -> float:
        """σ(p N → A′X) [pb] at ε = 1 for N = p (``nucleon`` 2212) or n (2112); ln σ linear in M."""
        if nucleon not in (2212, 2112):
            raise ConfigError(f"nucleon = {nucleon!r} is not allowed; it must be 2212 (p) or 2112 (n)")
        e = self.energy_index(p_lab)
        i, t = self._bracket(mass)
        row = np.log(self.sigma_pb[e, 0 if nucleon == 2212 else 1])
        return float(np.exp((1.0 - t) * row[i] + t * row[i + 1]))

    def sigma_per_nucleon(self, mass: float, p_lab: float, z: int, a: float) -> float:
        """(Z σ_pp + N σ_pn)/A [pb] at ε = 1 for a nucleus of charge ``z`` and mass number ``a`` (N = A − Z)."""
        if not 0 < z <= a:
            raise ConfigError(f"target Z = {z!r}, A = {a!r} are not allowed; need 0 < Z <= A")
        return (z * self.sigma(mass, p_lab, 2212) + (a - z) * self.sigma(mass, p_lab, 2112)) / a

    def sample(
        self, mass: float, p_lab: float, z: int, a: float, n: int, rng: np.random.Generator
    ) -> tuple[FloatArray, FloatArray]:
        """``n`` draws of (x_F, p_T [GeV]) in the nucleon–nucleon CM frame at ``mass`` on a (Z, A) target: the
        nucleon is p or n in proportion to Z σ_pp : N σ_pn, the grid mass below/above with the linear weights
        (1 − t, t); within a bin x_F and p_T² are uniform; x_F is clipped to its kinematic limit."""
        if not isinstance(n, (int, np.integer)) or n < 0:
            raise ConfigError(f"n = {n!r} is not allowed; it must be a non-negative integer")
        e = self.energy_index(p_lab)
        i, t = self._bracket(mass)
        share_p = z * self.sigma(mass, p_lab, 2212) / (a * self.sigma_per_nucleon(mass, p_lab, z, a))
        nucleon = (rng.random(n) >= share_p).astype(np.int64)
        grid = i + (rng.random(n) < t).astype(np.int64)
        n_p = len(self.pt_edges) - 1
        flat = np.empty(n, dtype=np.int64)
        for k in (0, 1):
            for m in (i, i + 1):
                sel = np.flatnonzero((nucleon == k) & (grid == m))
                if sel.size == 0:
                    continue
                cdf = np.cumsum(self.counts[e, k, m].ravel().astype(np.float64))
                cdf /= cdf[-1]
                flat[sel] = np.minimum(np.searchsorted(cdf, rng.random(sel.size), side="right"), cdf.size - 1)
        ix, ip = np.divmod(flat, n_p)
        u = rng.random((2, n))
        xf = self.xf_edges[ix] + u[0] * (self.xf_edges[ix + 1] - self.xf_edges[ix])
        pt2_lo, pt2_hi = self.pt_edges[ip] ** 2, self.pt_edges[ip + 1] ** 2
        pt = np.sqrt(pt2_lo + u[1] * (pt2_hi - pt2_lo))
        # kinematic limit: the recoil system carries baryon number 2, so p* ≤ λ^{1/2}(s, M², 4M_p²)/(2√s)
        rs = self.sqrt_s(e)
        s = rs * rs
        lam = (s - (mass + 2 * M_PROTON) ** 2) * (s - (mass - 2 * M_PROTON) ** 2)
        p_max = math.sqrt(max(lam, 0.0)) / (2.0 * rs)
        pt = np.minimum(pt, p_max)
        pz_max = np.sqrt(np.clip(p_max**2 - pt**2, 0.0, None))
        xf = np.clip(xf, -2.0 * pz_max / rs, 2.0 * pz_max / rs)
        return np.asarray(xf), np.asarray(pt)


@cache
def load_drell_yan_table() -> DrellYanTable:
    """The shipped Drell–Yan table (``darkbeam/data/production/drell_yan.npz``); :class:`ConfigError` if it is
    not readable."""
    data = resources.files("darkbeam").joinpath("data", "production", "drell_yan.npz").read_bytes()
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            header = json.loads(str(npz["header"]))
            table = DrellYanTable(
                header=header,
                p_lab=np.asarray(npz["p_lab"], dtype=np.float64),
                mass=np.asarray(npz["mass"], dtype=np.float64),
                sigma_pb=np.asarray(npz["sigma_pb"], dtype=np.float64),
                sigma_err_pb=np.asarray(npz["sigma_err_pb"], dtype=np.float64),
                counts=np.asarray(npz["counts"], dtype=np.int64),
                xf_edges=np.asarray(npz["xf_edges"], dtype=np.float64),
                pt_edges=np.asarray(npz["pt_edges"], dtype=np.float64),
            )
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as err:
        raise ConfigError(f"Drell-Yan table is not a readable DarkBeam table (.npz): {err}") from err
    if header.get("format") != _FORMAT:
        raise ConfigError(f"Drell-Yan table: header 'format' must be {_FORMAT!r}")
    return table


# ------------------------------------------------------------------------------------------------ source
@dataclass(frozen=True)
class DrellYanProtons(ParentDecays):
    """Interacting beam protons (``pdg`` 2212) as parents of Drell–Yan production, with the target nucleus
    (``target_z``, ``target_a``), its nuclear interaction length ``interaction_length_g_cm2`` [g/cm²] and the
    source's ``k_factor`` (multiplies the leading-order yield; 1 = leading order, :data:`E866_DATA_OVER_LO` = data)."""

    target_z: int = 6
    target_a: float = 12.011
    interaction_length_g_cm2: float = 85.8
    k_factor: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        check_positive("k_factor", self.k_factor)


@dataclass(frozen=True)
class DrellYanSource:
    """The interacting beam protons of ``beam`` (catalogue name) as parents (PDG 2212) of q q̄ → A′.

    Vertices, times and weights (P_int per POT) as :class:`~darkbeam.production.bremsstrahlung.BeamProtonSource`;
    the target's Z and A come from :data:`darkbeam.materials.ELEMENTS` by the catalogue material's name, λ_I from
    the catalogue.
    ``k_factor`` multiplies the leading-order yield (default 1: the table as is; :data:`E866_DATA_OVER_LO` normalises
    to measured Drell–Yan, module docstring); :class:`ConfigError` unless finite and > 0."""

    beam: str
    k_factor: float = 1.0

    def __post_init__(self) -> None:
        check_positive("k_factor", self.k_factor)

    @property
    def parent_pdg(self) -> int:
        return PROTON_PDG

    def target(self) -> tuple[int, float, float]:
        """(Z, A, λ_I [g/cm²]) of the beam's target (or dump) material."""
        material = get_beam(self.beam).target.material
        z, a = element(material.name, f"target material of beam {self.beam!r} for Drell-Yan")
        return z, a, float(material.interaction_length_g_cm2.value)

    def sample(self, n: int, rng: np.random.Generator) -> DrellYanProtons:
        z, a, lam = self.target()
        protons = BeamProtonSource(self.beam).sample(n, rng)
        return DrellYanProtons(
            PROTON_PDG,
            protons.momentum,
            protons.vertex,
            protons.time,
            protons.weight,
            target_z=z,
            target_a=a,
            interaction_length_g_cm2=lam,
            k_factor=float(self.k_factor),
        )


def sample_drell_yan(
    parents: DrellYanProtons, mass: float, rng: np.random.Generator, table: DrellYanTable | None = None
) -> tuple[FloatArray, FloatArray]:
    """One A′ of ``mass`` [GeV] per parent proton: lab four-momenta (n, 4) [GeV] and weights (n,) = parent weight ×
    A′ per interaction at ε = 1 × the parents' ``k_factor`` (Σ weight = A′ per POT at ε = 1). The beam momentum is
    taken from the parents (all parents must share it: one beam); the table energy must match it within
    :data:`P_LAB_TOLERANCE`."""
    check_positive("mass", mass)
    if parents.pdg != PROTON_PDG:
        raise KinematicsError(f"Drell-Yan needs proton parents (pdg 2212); got pdg {parents.pdg}")
    table = table or load_drell_yan_table()
    n = len(parents)
    if n == 0:
        return np.zeros((0, 4)), np.zeros(0)
    p3 = parents.momentum[:, :3]
    p_beam = np.linalg.norm(p3, axis=1)
    if np.ptp(p_beam) > 1e-9 * p_beam.max():
        raise KinematicsError("Drell-Yan parents must share one beam momentum (one beam per source)")
    p_lab = float(p_beam[0])
    z, a = parents.target_z, parents.target_a
    per_interaction = yield_per_interaction(
        table.sigma_per_nucleon(mass, p_lab, z, a), parents.interaction_length_g_cm2
    )
    xf, pt = table.sample(mass, p_lab, z, a, n, rng)
    rs = table.sqrt_s(table.energy_index(p_lab))
    pz_star = 0.5 * xf * rs
    e_star = np.sqrt(mass * mass + pt * pt + pz_star * pz_star)
    # boost from the p N centre of mass (beam proton + nucleon at rest) to the lab, along the beam
    e_beam = np.hypot(p_lab, M_PROTON)
    sqrt_s_lab = math.sqrt(2.0 * M_PROTON * (e_beam + M_PROTON))
    gamma = (e_beam + M_PROTON) / sqrt_s_lab
    gamma_beta = p_lab / sqrt_s_lab
    pz = gamma * pz_star + gamma_beta * e_star
    phi = rng.uniform(0.0, 2.0 * math.pi, n)
    e1, e2, e3 = orthonormal_basis(p3)
    momentum = np.empty((n, 4))
    momentum[:, :3] = (pt * np.cos(phi))[:, None] * e1 + (pt * np.sin(phi))[:, None] * e2 + pz[:, None] * e3
    momentum[:, 3] = np.sqrt(mass * mass + pt * pt + pz * pz)
    return momentum, np.asarray(parents.weight * (per_interaction * parents.k_factor))


def produce_drell_yan(model: DarkModel, parents: ParentDecays, rng: np.random.Generator) -> FluxSample:
    """The model's A′ from Drell–Yan parents (:class:`DrellYanProtons`) through its channel :data:`DRELL_YAN`.

    The coupling factor is ``model.production_branching_ratios()[2212][DRELL_YAN]`` (ε² for a dark photon; the table
    is at ε = 1). A model without that channel at its mass (e.g. a dark photon below :data:`MIN_VALID_MASS`, or
    another portal) gets an empty sample, so that an experiment may list a Drell–Yan source next to others.
    Weights: dark particles per POT at the model's coupling; companion id 0 (hadronic X).
    """
    if not isinstance(parents, DrellYanProtons):
        raise KinematicsError("Drell-Yan production needs parents from a DrellYanSource (DrellYanProtons)")
    factor = float(model.production_branching_ratios().get(PROTON_PDG, {}).get(DRELL_YAN, 0.0))
    if factor > 0:
        momentum, weight = sample_drell_yan(parents, model.mass, rng)
        weight = weight * factor
        rows = np.arange(len(parents))
    else:
        momentum, weight, rows = np.zeros((0, 4)), np.zeros(0), np.zeros(0, dtype=np.int64)
    n = len(rows)
    return FluxSample(
        model=model.name,
        mass=model.mass,
        reference_coupling=model.coupling,
        momentum=momentum,
        vertex=parents.vertex[rows],
        time=parents.time[rows],
        parent_pdg=np.full(n, PROTON_PDG, dtype=np.int64),
        parent_momentum=parents.momentum[rows],
        weight=np.asarray(weight),
        companion_pdg=np.zeros(n, dtype=np.int64),
    )

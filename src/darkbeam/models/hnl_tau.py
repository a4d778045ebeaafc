"""HNL production through τ leptons from D_s decay, as a cascade: D_s⁺ → τ⁺ ν_τ, then τ⁺ → N̄ π⁺ / N̄ K⁺ / N̄ ρ⁺
(two-body) or τ⁺ → N̄ ℓ⁺ ν_ℓ (|U_τ|²) / ν̄_τ ℓ⁺ N (|U_ℓ|²) (three-body), with the τ polarisation carried through.

Issue #4. The rates are those of :mod:`darkbeam.models.hnl` (rows ``"D_s+ -> nu_tau tau+(-> X N)"``: BR = BR(D_s → τν)
× BR(τ → N X)); this module gives the kinematics (:func:`sample_tau_cascade`), which
:meth:`darkbeam.models.hnl.HNL.production_cascade` hands to :func:`darkbeam.production.dark.produce`.

Physics (units c = ħ = 1; the τ⁻ formulas are derived below, the τ⁺ ones follow by CP):

1. **The τ from D_s is fully polarised.** D_s is spin 0; in D_s⁺ → τ⁺ ν_τ the ν_τ is left-handed (helicity −½, V − A,
   massless), back to back with the τ⁺, so angular momentum along the decay axis forces the τ⁺ helicity to −½
   (P = −1 along its flight direction in the D_s rest frame); for D_s⁻ → τ⁻ ν̄_τ the τ⁻ has helicity +½. This is the
   argument that makes the μ⁺ of π⁺ → μ⁺ ν_μ fully polarised (R. L. Garwin, L. M. Lederman, M. Weinrich, Phys. Rev.
   105 (1957) 1415, who used it to observe parity violation). Exact for any m_τ: the helicity of the charged lepton
   in P → ℓ ν is fixed by the massless ν alone. (N in place of the ν_τ of the D_s decay is a different row, D_s → τ N,
   closed for m_N > m_Ds − m_τ; its admixture here is O(|U|²) and neglected.)

2. **Spin-dependent |M|² (Bouchiat–Michel).** For a τ⁻ of spin four-vector s on a left-handed line,
   u ū = (p̸ + m)(1 + γ5 s̸)/2 sandwiched between γ^μ P_L and P_R γ^ν keeps only (p̸ − m s̸)/2, so the polarised |M|²
   is the spin-averaged one with p_τ → k = p_τ − m_τ s in the lepton trace (not in the hadronic current). In the τ rest
   frame with polarisation P along ŝ, k = m_τ (1, −P ŝ).

3. **τ⁻ → N P⁻ (P = π, K)**, ℳ ∝ f_P p_P^μ ū_N γ_μ(1 − γ5) u_τ. Lepton tensor 4[N^μk^ν + N^νk^μ − g^μν N·k] with
   h = p_P = p_τ − p_N: |M|² ∝ 2(p_N·h)(k·h) − m_P²(p_N·k). In the τ rest frame (N energy E, momentum p at angle θ
   to ŝ) this is ½[(m_τ² − m_N²)² − m_P²(m_τ² + m_N²)] − P p m_τ (m_τ² − m_N²) cos θ, i.e.

       dΓ/dcos θ ∝ 1 + α P cos θ,   α_P(m_N) = −2 p m_τ (m_τ² − m_N²) / [(m_τ² − m_N²)² − m_P²(m_τ² + m_N²)],

   p = λ^{1/2}(m_τ², m_N², m_P²)/(2m_τ). The constant is the shape factor of
   :func:`darkbeam.models.hnl.width_tau_to_hnl_pseudoscalar` ([BBGR] Sec. 2.2), a check of the derivation. For
   m_N → 0, α = −1: the ν_τ goes against the τ⁻ spin, the pion along it, dΓ/dcos θ_π ∝ 1 + P cos θ_π (Y. S. Tsai,
   Phys. Rev. D 4 (1971) 2821; B. K. Bullock, K. Hagiwara, A. D. Martin, Nucl. Phys. B 395 (1993) 499). The
   same α follows from helicity amplitudes (N helicity ±½ carries the τ spin projection along the N direction):
   |a_±|² ∝ (m_τ √(E ∓ p) − m_N √(E ± p))², α = (|a_+|² − |a_−|²)/(|a_+|² + |a_−|²) (tested against explicit Dirac
   spinors). α → 0 at threshold (p → 0).

4. **τ⁻ → N V⁻ (V = ρ, K*)**, ℳ ∝ g_V ε*_μ ū_N γ^μ(1 − γ5) u_τ, Σ ε_μ ε*_ν = −g_μν + q_μq_ν/m_V², q = p_τ − p_N:
   |M|² ∝ p_N·k + 2(p_N·q)(k·q)/m_V², giving

       α_V(m_N) = −2 p m_τ (m_τ² − m_N² − 2m_V²) / [(m_τ² − m_N²)² + m_V²(m_τ² + m_N²) − 2m_V⁴];

   the denominator is the shape factor of :func:`darkbeam.models.hnl.width_tau_to_hnl_vector`, and m_N → 0 gives
   α = −(m_τ² − 2m_V²)/(m_τ² + 2m_V²), the ρ analysing power of Tsai (1971) / Bullock et al. (1993) for the ν.

5. **τ⁻ → N ℓ⁻ ν̄_ℓ (U_τ) and τ⁻ → ν_τ ℓ⁻ N̄ (U_ℓ)**: |M̄|² = 64 G_F² (p_τ·p_a)(p_b·p_c) of
   :func:`darkbeam.models.hnl_matrix_elements.lepton_to_hnl_lepton_nu` (a = ν̄_ℓ, resp. N̄). With step 2 the polarised
   |M|² is |M̄|² × (1 + P β_a cos θ_a), θ_a the angle of particle a to ŝ, β_a = |p⃗_a|/E_a. Its average over the
   orientation is |M̄|², so the Dalitz density is the spin-averaged one and, at fixed Dalitz point, only the
   direction of a relative to ŝ is tilted. (Check: for the muon, a = ν̄_e goes along the μ⁻ spin, and at the e⁻
   end point the e⁻ goes against it, as in the Michel spectrum with ξ = 1.)

6. **CP and the chain.** CP maps τ⁻(spin s⃗) → N(k⃗) onto τ⁺(spin s⃗) → N̄(−k⃗), so the τ⁺ distributions are
   1 − α P cos θ (and 1 − P β_a cos θ_a). For the chain, with θ measured from the τ flight direction in the D_s
   rest frame (the helicity frame, reached from the D_s frame by a boost along the τ), both charge states give

       dΓ/dcos θ ∝ 1 + α cos θ   (two-body, N direction),    ∝ 1 + β_a cos θ_a   (three-body, particle a),

   because the τ⁺ helicity is −1 and the τ⁻ one +1. For the pion channel α < 0: N is emitted backwards in the τ
   frame and is softer in the D_s frame than for an unpolarised τ. The sampler therefore needs no charge label.

Approximations, stated: narrow ρ and K* (fixed masses, as the widths of :mod:`darkbeam.models.hnl`); the τ decay
length (cτ = 87 µm, βγcτ of a few mm at SHiP energies) is neglected for the production vertex, but the τ flight time
(γ τ_τ × an exponential draw) is returned as a delay to the production time; the HNL's own polarisation from the τ
decay is not tracked (the rows keep polarisation 0).

Reference: [BBGR] K. Bondarenko, A. Boyarsky, D. Gorbunov, O. Ruchayskiy, JHEP 11 (2018) 032, arXiv:1805.08567,
Sec. 2.2 (τ → N X widths, whose shape factors step 3-4 reproduce).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import pdg
from ..errors import ConfigError, KinematicsError
from ..kinematics import (
    directions_from_angles,
    invariant_mass,
    orthonormal_basis,
    rest_to_lab,
    three_body_decay,
    two_body_momentum,
)
from .base import ThreeBodyMatrixElement

FloatArray = NDArray[np.float64]

__all__ = [
    "TAU_CHAIN_KINDS",
    "TauCascade",
    "TauCascadeSampler",
    "TauChain",
    "analysing_power_tau_to_hnl",
    "leptonic_matrix_element",
    "sample_tau_cascade",
    "tau_cascade_sampler",
]

M_TAU = pdg.mass(pdg.TAU)
M_DS = pdg.mass(431)
#: Kinds of τ⁺ decay in a chain: a pseudoscalar (π⁺, K⁺), a vector (ρ⁺), or leptonic through U_τ (τ⁺ → N̄ ℓ⁺ ν_ℓ,
#: ``"lepton_via_tau"``) or through U_ℓ (τ⁺ → ν̄_τ ℓ⁺ N, ``"lepton_via_lepton"``).
TAU_CHAIN_KINDS = ("pseudoscalar", "vector", "lepton_via_tau", "lepton_via_lepton")


def analysing_power_tau_to_hnl(m_n: ArrayLike, m_meson: float, vector: bool) -> FloatArray:
    """α of τ⁻ → N P⁻ (``vector=False``) or τ⁻ → N V⁻ (``vector=True``): dΓ/dcos θ ∝ 1 + α P cos θ, θ the angle of
    N to the τ⁻ spin in the τ rest frame, P the τ polarisation (module docstring, steps 3-4).

    α_P = −2 p m_τ (m_τ² − m_N²)/[(m_τ² − m_N²)² − m_P²(m_τ² + m_N²)],
    α_V = −2 p m_τ (m_τ² − m_N² − 2m_V²)/[(m_τ² − m_N²)² + m_V²(m_τ² + m_N²) − 2m_V⁴],
    p = λ^{1/2}(m_τ², m_N², m_X²)/(2m_τ) [GeV]; masses in GeV. 0 where the decay is closed. Massless limits −1 and
    −(m_τ² − 2m_V²)/(m_τ² + 2m_V²) (Tsai, Phys. Rev. D 4 (1971) 2821). For τ⁺ the coefficient is −α (CP).
    """
    m = np.asarray(m_n, dtype=float)
    mt2, mn2, mx2 = M_TAU**2, m**2, m_meson**2
    p = np.nan_to_num(two_body_momentum(M_TAU, m, m_meson), nan=0.0)
    if vector:
        numerator = -2.0 * p * M_TAU * (mt2 - mn2 - 2.0 * mx2)
        denominator = (mt2 - mn2) ** 2 + mx2 * (mt2 + mn2) - 2.0 * mx2**2
    else:
        numerator = -2.0 * p * M_TAU * (mt2 - mn2)
        denominator = (mt2 - mn2) ** 2 - mx2 * (mt2 + mn2)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where((p > 0.0) & (denominator > 0.0), numerator / denominator, 0.0)
    return np.asarray(np.clip(alpha, -1.0, 1.0))


@dataclass(frozen=True)
class TauChain:
    """The τ⁺ decay of a chain D_s⁺ → τ⁺ ν_τ, τ⁺ → N + ``others``: HNL mass ``m_n`` [GeV], ``kind`` (one of
    :data:`TAU_CHAIN_KINDS`) and the PDG ids of the other τ⁺ daughters: ``(meson,)`` for the two-body kinds,
    ``(ℓ⁺, ν_ℓ)`` for ``"lepton_via_tau"`` and ``(ν̄_τ, ℓ⁺)`` for ``"lepton_via_lepton"`` (the daughter order of
    :func:`~darkbeam.models.hnl_matrix_elements.lepton_to_hnl_lepton_nu`: N first)."""

    m_n: float
    kind: str
    others: tuple[int, ...]

    def __post_init__(self) -> None:
        if self.kind not in TAU_CHAIN_KINDS:
            raise ConfigError(f"kind = {self.kind!r} is not allowed; allowed: {', '.join(TAU_CHAIN_KINDS)}")
        wanted = 1 if self.kind in ("pseudoscalar", "vector") else 2
        if len(self.others) != wanted:
            raise ConfigError(f"others = {self.others!r} must hold {wanted} PDG id(s) for kind {self.kind!r}")
        if not 0.0 < self.m_n < M_TAU - sum(self.masses[1:]):
            raise KinematicsError(
                f"m_n = {self.m_n!r} GeV is outside the τ → N {self.others} range (0, "
                f"{M_TAU - sum(self.masses[1:]):.6g}) GeV"
            )

    @property
    def masses(self) -> tuple[float, ...]:
        """(m_N, masses of ``others``) [GeV]."""
        return (self.m_n, *(pdg.mass(abs(o)) for o in self.others))


@dataclass(frozen=True)
class TauCascade:
    """Four-momenta (n, 4) [GeV] of one sampled chain per parent: the HNL, the τ, the ν_τ of the D_s decay and the
    other τ daughters (in :attr:`TauChain.others` order), all in the frame of the parents; ``delay`` (n,) [ns] the τ
    flight time in that frame (γ τ_τ × exponential)."""

    hnl: FloatArray
    tau: FloatArray
    nu_tau: FloatArray
    others: tuple[FloatArray, ...]
    delay: FloatArray


@lru_cache(maxsize=256)
def leptonic_matrix_element(m_n: float, kind: str, m_lepton: float) -> ThreeBodyMatrixElement:
    """Spin-averaged |M̄|² of τ⁻ → N ℓ⁻ ν̄_ℓ (``"lepton_via_tau"``, daughters (N, ℓ, ν)) or τ⁻ → N̄ ν_τ ℓ⁻
    (``"lepton_via_lepton"``, daughters (N, ν, ℓ)) for a lepton of mass ``m_lepton`` [GeV], per unit mixing:
    :func:`~darkbeam.models.hnl_matrix_elements.lepton_to_hnl_lepton_nu` with L = τ, and its accept–reject envelope
    (:data:`~darkbeam.models.hnl_matrix_elements.MAXIMUM_SAFETY` × the grid maximum). Cached per (mass, kind)."""
    from .hnl_matrix_elements import MAXIMUM_SAFETY, dalitz_maximum, lepton_to_hnl_lepton_nu

    via_parent = kind == "lepton_via_tau"
    masses = (m_n, m_lepton, 0.0) if via_parent else (m_n, 0.0, m_lepton)
    function = lepton_to_hnl_lepton_nu(M_TAU, masses, via_parent=via_parent)
    maximum = MAXIMUM_SAFETY * dalitz_maximum(function, M_TAU, masses)
    return ThreeBodyMatrixElement(function=function, maximum=maximum, parent_mass=M_TAU, masses=masses)


def _tilted_cos(slope: FloatArray, rng: np.random.Generator) -> FloatArray:
    """cos θ ∈ [−1, 1] with density (1 + b cos θ)/2, |b| ≤ 1 (inverse CDF: b c²/2 + c + 1 − b/2 − 2u = 0, the root
    written as −2r/(1 + √(1 − 2br)), r = 1 − b/2 − 2u, free of cancellation at b → 0)."""
    b = np.asarray(slope, dtype=float)
    u = rng.random(b.shape)
    r = 1.0 - 0.5 * b - 2.0 * u
    return np.asarray(np.clip(-2.0 * r / (1.0 + np.sqrt(np.clip(1.0 - 2.0 * b * r, 0.0, None))), -1.0, 1.0))


def _orient(
    momenta: tuple[FloatArray, ...], lead: int, direction: FloatArray, rng: np.random.Generator
) -> tuple[FloatArray, ...]:
    """Rotate rest-frame momenta (each (n, 4), summing to zero 3-momentum) so that particle ``lead`` points along
    ``direction`` (n, 3), with a uniform azimuth of the others about it (the orientation of the input is discarded;
    energies and opening angles are kept). The last particle other than ``lead`` is set to minus the sum of the
    others' 3-momenta (exact balance; its |p| is unchanged since the opening angles are)."""
    a = momenta[lead][:, :3]
    a_abs = np.linalg.norm(a, axis=1)
    a_hat = a / np.where(a_abs > 0.0, a_abs, 1.0)[:, None]
    e1, e2, _ = orthonormal_basis(direction)
    phi = rng.uniform(0.0, 2.0 * np.pi, a.shape[0])
    perp_dir = np.cos(phi)[:, None] * e1 + np.sin(phi)[:, None] * e2
    closing = max(i for i in range(len(momenta)) if i != lead)
    space: list[FloatArray] = []
    for i, p4 in enumerate(momenta):
        if i == lead:
            space.append(a_abs[:, None] * direction)
        elif i != closing:
            parallel = np.einsum("ij,ij->i", p4[:, :3], a_hat)
            perp = np.linalg.norm(p4[:, :3] - parallel[:, None] * a_hat, axis=1)
            space.append(parallel[:, None] * direction + perp[:, None] * perp_dir)
        else:
            space.append(np.zeros_like(a))
    space[closing] = -np.sum(space, axis=0)
    return tuple(np.concatenate([v, p4[:, 3:4]], axis=1) for v, p4 in zip(space, momenta, strict=True))


def sample_tau_cascade(parent_p4: ArrayLike, chain: TauChain, rng: np.random.Generator) -> TauCascade:
    """D_s → τ ν_τ, τ → N + ``chain.others`` for parents (n, 4) [GeV] (D_s⁺ or D_s⁻: the kinematics are the same,
    module docstring step 6), vectorised.

    1. τ isotropic in the D_s rest frame, |p*| = λ^{1/2}(m_Ds², m_τ², 0)/(2m_Ds) (PDG RPP 2024 Eq. 49.17).
    2. τ decay in the τ helicity frame (axis = τ flight direction in the D_s frame): two-body kinds with the N at
       cos θ drawn from 1 + α cos θ (:func:`analysing_power_tau_to_hnl`, both charge states); leptonic kinds with
       the Dalitz point from the spin-averaged |M̄|² (accept–reject, :func:`darkbeam.kinematics.three_body_decay`),
       then particle a (ν_ℓ, resp. N) aligned at cos θ_a from 1 + β_a cos θ_a with a uniform azimuth of the others.
    3. Boost τ daughters to the D_s frame along the τ, and everything to the parents' frame
       (:func:`darkbeam.kinematics.rest_to_lab`, which keeps 4-momentum to rounding).

    The τ decay point is not displaced (cτ = 87 µm neglected); ``delay`` carries its flight time.
    """
    parent_p4 = np.atleast_2d(np.asarray(parent_p4, dtype=float))
    n = parent_p4.shape[0]
    m_parent = invariant_mass(parent_p4)
    if n and np.any(m_parent <= M_TAU):
        raise KinematicsError(f"parent mass {float(m_parent.min()):.6g} GeV is below m_τ = {M_TAU:.6g} GeV")
    # 1. D_s → τ ν in the D_s rest frame
    q_tau = two_body_momentum(m_parent, M_TAU, 0.0)
    axis = directions_from_angles(rng.uniform(-1.0, 1.0, n), rng.uniform(0.0, 2.0 * np.pi, n))
    tau_ds = np.concatenate([axis * q_tau[:, None], np.sqrt(q_tau**2 + M_TAU**2)[:, None]], axis=1)
    nu_ds = np.concatenate([-axis * q_tau[:, None], q_tau[:, None]], axis=1)
    # 2. τ decay in its helicity frame
    masses = chain.masses
    at_rest = np.zeros((n, 4))
    at_rest[:, 3] = M_TAU
    if chain.kind in ("pseudoscalar", "vector"):
        alpha = analysing_power_tau_to_hnl(chain.m_n, masses[1], chain.kind == "vector")
        q = float(two_body_momentum(M_TAU, masses[0], masses[1]))
        cos_theta = _tilted_cos(np.full(n, float(alpha)), rng)
        direction = directions_from_angles(cos_theta, rng.uniform(0.0, 2.0 * np.pi, n), axis=axis)
        hnl_rest = np.concatenate([direction * q, np.full((n, 1), np.hypot(q, masses[0]))], axis=1)
        other_rest = np.concatenate([-direction * q, np.full((n, 1), np.hypot(q, masses[1]))], axis=1)
        rest: tuple[FloatArray, ...] = (hnl_rest, other_rest)
    else:
        m_lepton = masses[1] if chain.kind == "lepton_via_tau" else masses[2]
        me = leptonic_matrix_element(chain.m_n, chain.kind, m_lepton)
        three = (masses[0], masses[1], masses[2])
        drawn = three_body_decay(at_rest, three, rng, matrix_element=me, max_matrix_element=me.maximum)
        lead = 2 if chain.kind == "lepton_via_tau" else 0  # a = ν_ℓ (U_τ) or N (U_ℓ)
        p_lead = np.linalg.norm(drawn[lead][:, :3], axis=1)
        beta = p_lead / drawn[lead][:, 3]
        direction = directions_from_angles(_tilted_cos(beta, rng), rng.uniform(0.0, 2.0 * np.pi, n), axis=axis)
        rest = _orient(drawn, lead, direction, rng)
    # 3. τ rest → D_s rest → parents' frame
    in_ds = rest_to_lab(tau_ds, np.full(n, M_TAU), *((p, m) for p, m in zip(rest, masses, strict=True)))
    lab = rest_to_lab(parent_p4, m_parent, (tau_ds, M_TAU), (nu_ds, 0.0), *zip(in_ds, masses, strict=True))
    tau_lab = lab[0]
    delay = tau_lab[:, 3] / M_TAU * pdg.lifetime(pdg.TAU) * rng.exponential(1.0, n)
    return TauCascade(hnl=lab[2], tau=tau_lab, nu_tau=lab[1], others=tuple(lab[3:]), delay=delay)


@dataclass(frozen=True)
class TauCascadeSampler:
    """Callable wrapper of :func:`sample_tau_cascade` returning only what the flux needs (HNL momenta, delays)."""

    chain: TauChain

    def __call__(self, parent_p4: FloatArray, rng: np.random.Generator) -> tuple[FloatArray, FloatArray]:
        cascade = sample_tau_cascade(parent_p4, self.chain, rng)
        return cascade.hnl, cascade.delay


def tau_cascade_sampler(chain: TauChain) -> TauCascadeSampler:
    """The :data:`darkbeam.models.base.CascadeSampler` of ``chain``: (parents (n, 4), rng) → (HNL four-momenta
    (n, 4) [GeV], production-time delays (n,) [ns])."""
    return TauCascadeSampler(chain)

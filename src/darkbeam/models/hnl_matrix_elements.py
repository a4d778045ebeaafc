"""Spin-averaged matrix elements |M|²(m12², m23²) of heavy-neutral-lepton three-body decays and three-body
production, for the final-state kinematics (accept–reject in :func:`darkbeam.kinematics.three_body_decay`).

References (as in :mod:`darkbeam.models.hnl`):

* [BBGR] K. Bondarenko et al., JHEP 11 (2018) 032, arXiv:1805.08567 — Sec. 3.1.1 (W-mediated N → ℓ_α ℓ_β ν_β,
  I(x, y, z)), Sec. 3.1.2 (Z-mediated N → ν f f̄, W/Z interference, C1 = g_L² + g_R², C2 = g_L g_R), Sec. 3.2.1 and
  the ρ channels, Sec. 2.1.1 / App. C (semileptonic production), Sec. 2.2 (lepton decays).
* [GS07] D. Gorbunov, M. Shaposhnikov, JHEP 10 (2007) 015, arXiv:0705.1729, Sec. 4 (four-fermion HNL decays).
* PDG RPP 2024, Sec. 49 "Kinematics", Eq. 49.22: dΓ = |M̄|² dm12² dm23² / ((2π)³ 32 M³) — the normalisation used
  here, so that every function below integrates to the corresponding width of :mod:`darkbeam.models.hnl` (tested
  to 0.5 %, :func:`dalitz_width`).

Derivation (four-fermion V − A Lagrangian; the traces are written out in the docstrings). For N(p) decaying to
a fermion b on the N line and a pair (fermion c, antifermion a) from the second current,

    ℒ = (4 G_F/√2) [b̄ γ^μ P_L N] [c̄ γ_μ (g_L P_L + g_R P_R) a],

Tr[b̸ γ^μ p̸ γ^ν P_L] Tr[(c̸ + m) γ_μ (g_L P_L + g_R P_R)(a̸ − m) γ_ν (g_L P_L + g_R P_R)] gives, averaged over the
N spin (the mass term of N drops out of the left-handed current),

    |M̄|² = 64 G_F² [g_L² (p·p_a)(p_b·p_c) + g_R² (p·p_c)(p_b·p_a) + g_L g_R m² (p·p_b)]        (m = m_a = m_c)

(:func:`four_fermion`). Couplings ([BBGR] Sec. 3.1.2): CC (W, Fierz-ordered) g_L = 1, g_R = 0 (the muon-decay
matrix element 64 G_F² (p_μ·p_ν̄e)(p_e·p_νμ)); NC (Z) g_L = T₃ − Q s_W², g_R = −Q s_W² of the pair, and for
α = β the W exchange Fierz-transformed to the same ordering adds 1 to g_L (W–Z interference). Then C1 = g_L² + g_R²
and C2 = g_L g_R are exactly the coefficients of [BBGR]'s width formula.

Conventions:

* Daughters 1, 2, 3 are in the order of the channel's PDG-id tuple (decays: :class:`DecayChannel.daughters`;
  production: (N, companion 1, companion 2), as :func:`darkbeam.production.dark.produce` orders them), and
  m12² = (p1 + p2)², m23² = (p2 + p3)².
* Unpolarised N (spin-averaged); the parent mesons are spin 0; the muon of μ → e ν N is taken unpolarised.
  CP: the spin-averaged |M|² of the CP-conjugate channel, with every daughter conjugated in place, is the same
  function, so one function serves N and N̄ (and K⁺, K⁻).
* Dirac vs Majorana: a neutral key (``"nu_e e+ e-"``, ``"nu nu nu"``, ``"nu u ubar"``, ``"nu pi+ pi-"``) stands for
  the ν and ν̄ final states, which a Majorana N has with equal widths. In the ν̄ channel the roles of ℓ⁺ and ℓ⁻
  are exchanged, so for a Majorana N the function is the sum over both (symmetric in ℓ⁺ ↔ ℓ⁻, 2 × the Dirac
  width); a Dirac N (ν only) has the asymmetric one. Charged-current keys are separate per charge state.
* Values are per unit |U|² (the mixing scales only the rate).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from .. import pdg
from ..units import G_FERMI, SIN2_THETA_W, V_CD, V_CS, V_UB, V_UD, V_US
from .base import ThreeBodyMatrixElement
from .hnl import (
    BD_F_PLUS_0,
    BD_POLES,
    BPI_BZ,
    DK_F_PLUS_0,
    DK_POLES,
    DPI_F_PLUS_0,
    DPI_POLES,
    KAPPA_RHO,
    KL3_F_PLUS_0,
    KL3_LAMBDA_0,
    KL3_LAMBDA_PLUS,
    V_CB,
    FormFactor,
    VectorFormFactors,
    brho_form_factors,
    cln_form_factors,
    dkstar_form_factors,
    pion_form_factor_squared,
)

FloatArray = NDArray[np.float64]
MatrixElementFunction = Callable[[FloatArray, FloatArray], FloatArray]

__all__ = [
    "MAXIMUM_SAFETY",
    "dalitz_maximum",
    "dalitz_projection",
    "dalitz_width",
    "four_fermion",
    "hnl_decay_matrix_element",
    "hnl_production_matrix_element",
    "lepton_to_hnl_lepton_nu",
    "semileptonic_pseudoscalar",
    "semileptonic_vector",
    "vector_pair",
]

_GF2 = G_FERMI**2
_PHASE_SPACE = 1.0 / (256.0 * math.pi**3)  # dΓ = |M|² ds12 ds23 / ((2π)³ 32 M³), PDG RPP Eq. 49.22
#: The accept–reject envelope is this factor × the largest |M|² found on a fine Dalitz grid (two 240 × 240 grids,
#: one regular in m12², one in m23²); smooth matrix elements vary by ≪ 10 % between grid points.
MAXIMUM_SAFETY = 1.1

_NUS = (12, 14, 16)
_CHARGED_LEPTONS = (11, 13, 15)


# ----------------------------------------------------------------------------------------- invariants
def _invariants(
    big_m: float, masses: tuple[float, float, float], s12: FloatArray, s23: FloatArray
) -> dict[str, FloatArray]:
    """Scalar products of the parent p and daughters p1, p2, p3 from (m12², m23²); m13² = M² + Σm² − m12² − m23²."""
    m1s, m2s, m3s = (m * m for m in masses)
    big = big_m * big_m
    s13 = big + m1s + m2s + m3s - s12 - s23
    return {
        "p1": 0.5 * (big + m1s - s23),
        "p2": 0.5 * (big + m2s - s13),
        "p3": 0.5 * (big + m3s - s12),
        "12": 0.5 * (s12 - m1s - m2s),
        "23": 0.5 * (s23 - m2s - m3s),
        "13": 0.5 * (s13 - m1s - m3s),
        "s13": s13,
    }


def _dot(inv: dict[str, FloatArray], i: int, j: int) -> FloatArray:
    """p_i·p_j for daughters i ≠ j (1..3) or the parent (0)."""
    if i == 0 or j == 0:
        return inv[f"p{i + j}"]
    return inv[f"{min(i, j)}{max(i, j)}"]


# --------------------------------------------------------------------------------- matrix elements
def four_fermion(
    big_m: float,
    masses: tuple[float, float, float],
    line: int,
    fermion: int,
    antifermion: int,
    g_left: float,
    g_right: float = 0.0,
    factor: float = 1.0,
    symmetrise: bool = False,
) -> MatrixElementFunction:
    """|M̄|² = 64 G_F² × ``factor`` × [g_L² (p·p_a)(p_b·p_c) + g_R² (p·p_c)(p_b·p_a) + g_L g_R m_a m_c (p·p_b)].

    Four-fermion decay of a spin-½ parent (momentum p, mass ``big_m``) averaged over its spin: b = ``line`` is the
    daughter on the parent's (left-handed) line, c = ``fermion`` and a = ``antifermion`` the pair of the second
    current with chiral couplings g_L, g_R (module docstring; [BBGR] Sec. 3.1, [GS07] Sec. 4). ``factor`` carries
    colour and CKM factors (N_c |V_ud|² for N → ℓ u d̄). ``symmetrise`` adds the same expression with a ↔ c (the
    ν̄ channel of a Majorana N under a neutral key; module docstring). Indices are 1, 2, 3.
    """
    m_a, m_c = masses[antifermion - 1], masses[fermion - 1]
    norm = 64.0 * _GF2 * factor

    def value(s12: FloatArray, s23: FloatArray) -> FloatArray:
        inv = _invariants(big_m, masses, s12, s23)
        pa, pc, pb = _dot(inv, 0, antifermion), _dot(inv, 0, fermion), _dot(inv, 0, line)
        ba, bc = _dot(inv, line, antifermion), _dot(inv, line, fermion)
        left, right = pa * bc, pc * ba
        interference = g_left * g_right * m_a * m_c * pb
        if symmetrise:
            return np.asarray(norm * ((g_left**2 + g_right**2) * (left + right) + 2.0 * interference))
        return np.asarray(norm * (g_left**2 * left + g_right**2 * right + interference))

    return value


def vector_pair(
    big_m: float,
    masses: tuple[float, float, float],
    coupling: float,
    form_factor_squared: Callable[[FloatArray], FloatArray],
) -> MatrixElementFunction:
    """|M̄|² of N → f + (P₂ P₃) through a vector current ⟨P₂P₃|J^μ|0⟩ = F(s23)(p2 − p3)^μ, f = daughter 1:

        |M̄|² = 2 ``coupling`` |F(m23²)|² [2 (p1·h)(p·h) − h² (p1·p)],   h = p2 − p3,

    from Tr[p̸1 γ^μ p̸ γ^ν P_L] h_μ h_ν = 2[2(p1·h)(p·h) − h²(p1·p)] (the ε part cancels against the symmetric
    h h; the masses of N and of the lepton drop out of the left-handed current) and the N spin average.
    ``coupling`` is |amplitude prefactor|²: 2 G_F²|V_ud|² for N → ℓ⁻ π⁺ π⁰ (ℒ = (G_F/√2)V_ud [ℓ̄γ^μ(1 − γ5)N]
    [ūγ_μ(1 − γ5)d], ⟨π⁺π⁰|ūγd|0⟩ = √2 F_V (p₊ − p₀)), G_F² κ_ρ² for N → ν π⁺ π⁻ (κ_ρ = 1 − 2 s_W², isovector
    Z current) — the currents of :func:`darkbeam.models.hnl.width_n_to_lepton_two_pions` and
    :func:`~darkbeam.models.hnl.width_n_to_nu_two_pions`, whose widths these integrate to.
    """

    def value(s12: FloatArray, s23: FloatArray) -> FloatArray:
        inv = _invariants(big_m, masses, s12, s23)
        h2 = 2.0 * masses[1] ** 2 + 2.0 * masses[2] ** 2 - s23
        p1_h = inv["12"] - inv["13"]
        p_h = inv["p2"] - inv["p3"]
        ff2 = form_factor_squared(np.clip(s23, (masses[1] + masses[2]) ** 2, None))
        return np.asarray(2.0 * coupling * ff2 * (2.0 * p1_h * p_h - h2 * inv["p1"]))

    return value


def semileptonic_pseudoscalar(
    big_m: float, masses: tuple[float, float, float], v_ckm: float, f_plus: FormFactor, f_zero: FormFactor
) -> MatrixElementFunction:
    """|M|² of P → N P′ ℓ⁺ (daughters 1 = N, 2 = P′, 3 = ℓ), spin-0 parent:

        |M|² = 4 G_F² |V|² [2 (p_N·h)(p_ℓ·h) − h² (p_N·p_ℓ)],   h = f₊(q²)(p_P + p_P′) + f₋(q²) q,
        q = p_N + p_ℓ, f₋ = (f₀ − f₊)(m_P² − m_P′²)/q²,

    from ℳ = (G_F/√2) V [ū_N γ^μ (1 − γ5) v_ℓ] h_μ and the lepton trace 8[N^μℓ^ν + N^νℓ^μ − g^μν N·ℓ] (ε part
    cancels against the symmetric h h). Its angular average is the lepton tensor of
    :func:`darkbeam.models.hnl.width_pseudoscalar_to_pseudoscalar_lepton_hnl` ([BBGR] Sec. 2.1.1 / App. C), whose
    width it integrates to. ``f_plus``, ``f_zero`` include isospin factors, as in the production table.
    """
    delta = big_m**2 - masses[1] ** 2

    def value(s12: FloatArray, s23: FloatArray) -> FloatArray:
        inv = _invariants(big_m, masses, s12, s23)
        q2 = inv["s13"]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            fp = f_plus(q2)
            f_minus = (f_zero(q2) - fp) * delta / q2
        # scalar products with Σ = p_P + p_P′ and q = p_N + p_ℓ
        sigma_n = inv["p1"] + inv["12"]
        sigma_l = inv["p3"] + inv["23"]
        q_n = masses[0] ** 2 + inv["13"]
        q_l = masses[2] ** 2 + inv["13"]
        h_n = fp * sigma_n + f_minus * q_n
        h_l = fp * sigma_l + f_minus * q_l
        h2 = fp**2 * (2.0 * big_m**2 + 2.0 * masses[1] ** 2 - q2) + 2.0 * fp * f_minus * delta + f_minus**2 * q2
        out = 4.0 * _GF2 * v_ckm**2 * (2.0 * h_n * h_l - h2 * inv["13"])
        return np.asarray(np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0))

    return value


def semileptonic_vector(
    big_m: float,
    masses: tuple[float, float, float],
    v_ckm: float,
    form_factors: VectorFormFactors,
    quark_decay: bool,
) -> MatrixElementFunction:
    """|M|² of P → N V ℓ⁺ (daughters 1 = N, 2 = V, 3 = ℓ), summed over the V polarisations, spin-0 parent.

    Same amplitude as :func:`semileptonic_pseudoscalar` with h^μ = ⟨V(ε)|V^μ − A^μ|P⟩ in the form factors V, A₀,
    A₁, A₂ of :data:`darkbeam.models.hnl.VectorFormFactors` (Wirbel–Stech–Bauer convention; [BBGR] Sec. 2.1.1 and
    App. C). Split by the V helicity λ (q = p_N + p_ℓ along +z in the P rest frame; W* rest-frame lepton energies
    E_N, E_ℓ, momentum k, and θ the angle of N to +z there):

    * λ = 0: h₀ = ⟨V(ε₀)|A^μ|P⟩ with ε₀ = (E_V p_V/m_V − m_V p_P/m_P)/|p| written out (the vector current
      vanishes), a real four-vector with h₀·q/√q² = H_t = 2 m_P |p| A₀/√q² (so the H₀–H_t interference has the
      form factors' sign); contribution 2(p_N·h₀)(p_ℓ·h₀) − h₀²(p_N·p_ℓ), as for P → P′.
    * λ = ±1: h = H_λ ε_W(λ) with H_± = (m_P + m_V)A₁ ∓ 2 m_P|p| V/(m_P + m_V)
      (:func:`darkbeam.models.hnl.vector_helicity`); the lepton tensor 8[N^μℓ^ν + N^νℓ^μ − g^μν N·ℓ
      ∓ iε^μναβ N_α ℓ_β] on ε_W(λ) ε_W(λ)* gives 8[E_N E_ℓ + k² cos²θ ± √q² k cos θ] (the mass terms
      vanish in the left-handed trace; the ε term is ε(ε, ε*, N, q), linear in k cos θ).
    * The sign of the parity-odd term is fixed by angular momentum and V − A helicities rather than by an ε^0123
      convention: for a quark decay (c → s ℓ⁺ ν, parent D) the light quark is left-handed, the dominant H₋ gives
      a W* of helicity −1, and the fermion of the lepton pair (N) goes forward, (1 + cos θ)²; for an antiquark decay
      (b̄ → c̄ ℓ⁺ ν, parent B⁺, B⁰, B_s) it is the CP image: the antifermion ℓ⁺ goes forward. ``quark_decay``
      selects the case. Tested: the massless limit reproduces the free-quark spectra (hard ν in c decay, hard ℓ⁺
      in b̄ decay).

        |M|² = 4 G_F² |V|² {(H₊² + H₋²)(E_N E_ℓ + k² cos²θ) + σ (H₋² − H₊²) √q² k cos θ
                            + 2(p_N·h₀)(p_ℓ·h₀) − h₀²(p_N·p_ℓ)},   σ = +1 (quark decay), −1 (antiquark decay).

    Integrated over θ this is the lepton tensor of :func:`darkbeam.models.hnl.width_semileptonic_hnl`, whose width
    it reproduces (tested).
    """
    m_n, m_v, m_l = masses
    big2, mv2 = big_m**2, m_v**2
    sigma = 1.0 if quark_decay else -1.0

    def value(s12: FloatArray, s23: FloatArray) -> FloatArray:
        inv = _invariants(big_m, masses, s12, s23)
        q2 = np.clip(inv["s13"], (m_n + m_l) ** 2, (big_m - m_v) ** 2)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            v, a0, a1, a2 = form_factors(q2)
            lam_root = np.sqrt(np.clip((big2 - mv2 - q2) ** 2 - 4.0 * mv2 * q2, 0.0, None))
            p = lam_root / (2.0 * big_m)
            e_v = (big2 + mv2 - q2) / (2.0 * big_m)
            root_q2 = np.sqrt(q2)
            h_plus = (big_m + m_v) * a1 - 2.0 * big_m * p * v / (big_m + m_v)
            h_minus = (big_m + m_v) * a1 + 2.0 * big_m * p * v / (big_m + m_v)
            # W* rest frame: lepton energies, momentum, and k cos θ of N from p_V·p_N = E_V* E_N* + P* k cos θ
            e_n = (q2 + m_n**2 - m_l**2) / (2.0 * root_q2)
            e_l = (q2 - m_n**2 + m_l**2) / (2.0 * root_q2)
            e_v_w = (big2 - mv2 - q2) / (2.0 * root_q2)
            p_w = lam_root / (2.0 * root_q2)
            k_cos = (inv["12"] - e_v_w * e_n) / p_w
            transverse = (h_plus**2 + h_minus**2) * (e_n * e_l + k_cos**2) + sigma * (h_minus**2 - h_plus**2) * (
                root_q2 * k_cos
            )
            # λ = 0: h₀ = α p_P + β p_V (q = p_P − p_V, Σ = p_P + p_V)
            eps_q = big_m * p / m_v
            a_coef = (big_m + m_v) * a1
            b_coef = (2.0 * m_v * a0 - a_coef + a2 * (big2 - mv2) / (big_m + m_v)) * eps_q / q2
            c_coef = -a2 * eps_q / (big_m + m_v)
            alpha = -a_coef * m_v / (big_m * p) + b_coef + c_coef
            beta = a_coef * e_v / (m_v * p) - b_coef + c_coef
            h_n = alpha * inv["p1"] + beta * inv["12"]
            h_l = alpha * inv["p3"] + beta * inv["23"]
            h2 = alpha**2 * big2 + 2.0 * alpha * beta * big_m * e_v + beta**2 * mv2
            longitudinal = 2.0 * h_n * h_l - h2 * inv["13"]
            out = 4.0 * _GF2 * v_ckm**2 * (transverse + longitudinal)
        return np.asarray(np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0))

    return value


def lepton_to_hnl_lepton_nu(
    big_m: float, masses: tuple[float, float, float], via_parent: bool
) -> MatrixElementFunction:
    """μ⁻ → N e⁻ ν̄_e (``via_parent``, U_μ: daughters (N, e⁻, ν̄_e)) or μ⁻ → N̄ ν_μ e⁻ (U_e: (N̄, ν_μ, e⁻)).

    Muon-decay matrix element 64 G_F² (p_μ·p_ν̄e)(p_e·p_νμ) ([BBGR] Sec. 2.2) with N in place of ν_μ, resp. ν̄_e:
    :func:`four_fermion` with (line, fermion, antifermion) = (1, 2, 3), resp. (2, 3, 1). Unpolarised muon.
    """
    if via_parent:
        return four_fermion(big_m, masses, line=1, fermion=2, antifermion=3, g_left=1.0)
    return four_fermion(big_m, masses, line=2, fermion=3, antifermion=1, g_left=1.0)


# ------------------------------------------------------------------------------- Dalitz-plane numerics
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(24)


def _pair_limits(
    big_m: float, masses: tuple[float, float, float], outer: str, s: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Range of the other invariant at fixed ``outer`` pair mass² ``s`` (PDG RPP Eq. 49.23, indices permuted):
    outer "12" → range of m23²; outer "23" → range of m12²; outer "13" → range of m12²."""
    m1, m2, m3 = masses
    # (x, y): x shares the outer pair with the particle common to both invariants, y is the third particle
    common, partner, third = {"12": (m2, m1, m3), "23": (m2, m3, m1), "13": (m1, m3, m2)}[outer]
    root = np.sqrt(np.clip(s, 1e-300, None))  # s = 0 only at the edge of an all-massless pair
    e_c = (s - partner**2 + common**2) / (2.0 * root)
    e_t = (big_m**2 - s - third**2) / (2.0 * root)
    p_c = np.sqrt(np.clip(e_c**2 - common**2, 0.0, None))
    p_t = np.sqrt(np.clip(e_t**2 - third**2, 0.0, None))
    return (e_c + e_t) ** 2 - (p_c + p_t) ** 2, (e_c + e_t) ** 2 - (p_c - p_t) ** 2


def _outer_range(big_m: float, masses: tuple[float, float, float], outer: str) -> tuple[float, float]:
    m1, m2, m3 = masses
    pair = {"12": (m1, m2, m3), "23": (m2, m3, m1), "13": (m1, m3, m2)}[outer]
    return (pair[0] + pair[1]) ** 2, (big_m - pair[2]) ** 2


def dalitz_projection(
    matrix_element: MatrixElementFunction,
    big_m: float,
    masses: tuple[float, float, float],
    outer: str,
    s: FloatArray,
) -> FloatArray:
    """dΓ/dm² [GeV⁻¹] at the pair masses² ``s`` of ``outer`` ("12", "23" or "13"): ∫ |M|² d(other)/(256π³M³),
    24-point Gauss–Legendre over the other invariant (exact for the polynomial matrix elements here)."""
    s = np.asarray(s, dtype=float)
    lo, hi = _pair_limits(big_m, masses, outer, s)
    half = 0.5 * (hi - lo)
    other = (lo + half)[..., None] + half[..., None] * _GL_NODES
    outer_values = np.broadcast_to(s[..., None], other.shape)
    m1s, m2s, m3s = (m * m for m in masses)
    if outer == "12":
        values = matrix_element(outer_values, other)
    elif outer == "23":
        values = matrix_element(other, outer_values)
    else:  # outer 13, other = m12²
        values = matrix_element(other, big_m**2 + m1s + m2s + m3s - outer_values - other)
    return np.asarray(_PHASE_SPACE / big_m**3 * half * np.sum(values * _GL_WEIGHTS, axis=-1))


@lru_cache(maxsize=8)
def _gauss_legendre(n: int) -> tuple[FloatArray, FloatArray]:
    """Gauss–Legendre nodes and weights on [−1, 1] (numpy's leggauss takes ~0.1-1 s for n ≳ 200: computed once)."""
    nodes, weights = np.polynomial.legendre.leggauss(n)
    return np.asarray(nodes), np.asarray(weights)


def dalitz_width(
    matrix_element: MatrixElementFunction,
    big_m: float,
    masses: tuple[float, float, float],
    outer: str = "23",
    n_outer: int = 256,
) -> float:
    """Γ = ∫∫ |M|² dm12² dm23² / ((2π)³ 32 M³) [GeV] (PDG RPP Eq. 49.22): Gauss–Legendre (``n_outer`` nodes after
    s = lo + (hi − lo)(1 − cos πu)/2, which absorbs the square-root edges of the Dalitz boundary) over the pair
    mass² ``outer``, :func:`dalitz_projection` inside. Resonant pairs (the ρ in ππ) should be the outer pair."""
    lo, hi = _outer_range(big_m, masses, outer)
    if hi <= lo:
        return 0.0
    nodes, weights = _gauss_legendre(n_outer)
    u = 0.5 * (nodes + 1.0)
    s = lo + (hi - lo) * 0.5 * (1.0 - np.cos(np.pi * u))
    jacobian = (hi - lo) * 0.5 * np.pi * np.sin(np.pi * u) * 0.5 * weights
    return float(np.sum(dalitz_projection(matrix_element, big_m, masses, outer, s) * jacobian))


def dalitz_maximum(
    matrix_element: MatrixElementFunction,
    big_m: float,
    masses: tuple[float, float, float],
    peaks23: Sequence[float] = (),
    k: int = 240,
) -> float:
    """Largest |M|² over the Dalitz region on two k × k grids (regular in m12² with m23² spanning its range, and
    regular in m23² — plus the points ``peaks23``, e.g. a resonance mass² — with m12² spanning its range), edges
    included. Multiply by :data:`MAXIMUM_SAFETY` for an accept–reject envelope."""
    best = 0.0
    frac = np.linspace(0.0, 1.0, k)
    for outer in ("12", "23"):
        lo, hi = _outer_range(big_m, masses, outer)
        s = np.linspace(lo, hi, k)
        if outer == "23":
            s = np.concatenate([s, [p for p in peaks23 if lo < p < hi]])
        a, b = _pair_limits(big_m, masses, outer, s)
        other = a[:, None] + (b - a)[:, None] * frac[None, :]
        fixed = np.broadcast_to(s[:, None], other.shape)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            values = matrix_element(fixed, other) if outer == "12" else matrix_element(other, fixed)
        best = max(best, float(np.nanmax(values)))
    return best


def _sampling(
    function: MatrixElementFunction, big_m: float, masses: tuple[float, float, float], peaks23: Sequence[float] = ()
) -> ThreeBodyMatrixElement:
    maximum = MAXIMUM_SAFETY * dalitz_maximum(function, big_m, masses, peaks23)
    return ThreeBodyMatrixElement(function=function, maximum=maximum, parent_mass=big_m, masses=masses)


# --------------------------------------------------------------------------------------- HNL channels
def _nc_couplings(pdg_id: int) -> tuple[float, float]:
    """(g_L, g_R) of the Z current of fermion ``pdg_id``: g_L = T₃ − Q s_W², g_R = −Q s_W² ([BBGR] Sec. 3.1.2)."""
    sw2 = SIN2_THETA_W
    a = abs(pdg_id)
    if a in _CHARGED_LEPTONS:
        t3, q = -0.5, -1.0
    elif a in (2, 4):
        t3, q = 0.5, 2.0 / 3.0
    else:  # d, s
        t3, q = -0.5, -1.0 / 3.0
    return t3 - q * sw2, -q * sw2


def _decay_function(
    big_m: float, daughters: tuple[int, int, int], masses: tuple[float, float, float], majorana: bool
) -> tuple[MatrixElementFunction, tuple[float, ...]] | None:
    a = tuple(abs(d) for d in daughters)
    if all(x in _NUS for x in a):
        # N → ν_α ν_β ν̄_β summed over β: Z couplings g_L = ½, the (1 + δ_αβ) of identical ν_α summed:
        # Σ_β (1 + δ_αβ)/4 = 1 → 64 G_F² (p·p_ν̄)(p_ν·p_ν) ([BBGR] Sec. 3.1.2); Majorana key: ν and ν̄ (× 2)
        return four_fermion(big_m, masses, 1, 3, 2, 1.0, factor=2.0 if majorana else 1.0), ()
    if a[0] in _NUS and a[1] == a[2] and a[1] in _CHARGED_LEPTONS and daughters[1] == -daughters[2]:
        # N → ν_α ℓ_β⁺ ℓ_β⁻ (daughters ν, ℓ⁺, ℓ⁻): Z, plus W (Fierz) for α = β
        g_l, g_r = _nc_couplings(a[1])
        if a[0] == a[1] + 1:
            g_l += 1.0
        anti, fermion = (2, 3) if daughters[1] < 0 else (3, 2)
        return four_fermion(big_m, masses, 1, fermion, anti, g_l, g_r, symmetrise=majorana), ()
    if a[0] in _CHARGED_LEPTONS and a[1] in _CHARGED_LEPTONS and a[2] in _NUS and a[1] != a[0]:
        # N → ℓ_α⁻ ℓ_β⁺ ν_β (W only): muon-like (p·p_ℓβ)(p_ℓα·p_νβ)
        return four_fermion(big_m, masses, 1, 3, 2, 1.0), ()
    if a[0] in _CHARGED_LEPTONS and a[1:] == (2, 1):
        # N → ℓ⁻ u d̄ (inclusive, tree level; the QCD factor rescales the rate only): N_c |V_ud|² (p·p_d̄)(p_ℓ·p_u)
        return four_fermion(big_m, masses, 1, 2, 3, 1.0, factor=3.0 * V_UD**2), ()
    if a[0] in _NUS and a[1] == a[2] and a[1] in (1, 2, 3, 4) and daughters[1] == -daughters[2]:
        g_l, g_r = _nc_couplings(a[1])
        anti, fermion = (2, 3) if daughters[1] < 0 else (3, 2)
        return four_fermion(big_m, masses, 1, fermion, anti, g_l, g_r, factor=3.0, symmetrise=majorana), ()
    rho2 = (pdg.mass(113) ** 2,)
    if a[0] in _NUS and a[1:] == (211, 211):
        coupling = _GF2 * KAPPA_RHO**2 * (2.0 if majorana else 1.0)
        return vector_pair(big_m, masses, coupling, pion_form_factor_squared), rho2
    if a[0] in _CHARGED_LEPTONS and a[1:] == (211, 111):
        return vector_pair(big_m, masses, 2.0 * _GF2 * V_UD**2, pion_form_factor_squared), rho2
    return None


@lru_cache(maxsize=1024)
def hnl_decay_matrix_element(mass: float, daughters: tuple[int, ...], majorana: bool) -> ThreeBodyMatrixElement | None:
    """|M|² (with its accept–reject maximum) of the HNL three-body decay to ``daughters`` (PDG ids in the channel's
    order, as in :data:`darkbeam.models.hnl.DECAY_TABLE`), per unit mixing; ``None`` for channels without one here
    (two-body channels). Covered: N → 3ν, ν_α ℓ_β⁺ℓ_β⁻ (CC + NC + interference for α = β, NC for α ≠ β),
    ℓ_α ℓ_β ν_β (CC), the inclusive ℓ u d̄ and ν q q̄ (tree level), ν π⁺π⁻ and ℓ π π⁰ (pion form factor).
    Cached per (mass, channel): the maximum is found once on a Dalitz grid (:func:`dalitz_maximum`)."""
    if len(daughters) != 3:
        return None
    three = (daughters[0], daughters[1], daughters[2])
    masses = (pdg.mass(abs(three[0])), pdg.mass(abs(three[1])), pdg.mass(abs(three[2])))
    if mass <= sum(masses):
        return None
    found = _decay_function(mass, three, masses, majorana)
    if found is None:
        return None
    function, peaks = found
    return _sampling(function, mass, masses, peaks)


# ---------------------------------------------------------------------------------------- production
def _linear_ff(f0: float, slope: float) -> FormFactor:
    """f(q²) = f0 (1 + slope q²/m_π⁺²): the Kℓ3 form factors of :mod:`darkbeam.models.hnl` (PDG linear fit)."""
    m_pi2 = pdg.mass(pdg.PI_PLUS) ** 2
    return lambda q2: np.asarray(f0 * (1.0 + slope * q2 / m_pi2))


def _pole_ff(f0: float, m_pole: float) -> FormFactor:
    """Single pole f0/(1 − q²/m_pole²), as in :mod:`darkbeam.models.hnl`."""
    return lambda q2: np.asarray(f0 / (1.0 - q2 / m_pole**2))


def _bz_ff(r1: float, r2: float, m1_sq: float, mfit_sq: float, f0_r2: float, f0_mfit_sq: float, scale: float
           ) -> tuple[FormFactor, FormFactor]:  # fmt: skip
    """Ball–Zwicky B → π fit (PRD 71 (2005) 014015, Eqs. 17-18), as :data:`darkbeam.models.hnl.BPI_BZ`."""
    return (
        lambda q2: np.asarray(scale * (r1 / (1.0 - q2 / m1_sq) + r2 / (1.0 - q2 / mfit_sq))),
        lambda q2: np.asarray(scale * f0_r2 / (1.0 - q2 / f0_mfit_sq)),
    )


def _semileptonic_form_factors(parent: int, daughter: int) -> tuple[float, FormFactor, FormFactor, float] | None:
    """(|V|, f₊, f₀, rate factor) of P → P′ ℓ N, the same parametrisations and constants as the production table
    of :mod:`darkbeam.models.hnl` (tests/test_hnl_matrix_elements.py checks every row's integrated |M|² against
    the table's width, so a change there that is not mirrored here fails)."""
    iso = 1.0 / math.sqrt(2.0)
    key = (parent, abs(daughter))
    if key == (pdg.K_PLUS, pdg.PI0):
        f = KL3_F_PLUS_0 * iso
        return V_US, _linear_ff(f, KL3_LAMBDA_PLUS), _linear_ff(f, KL3_LAMBDA_0), 1.0
    if key == (pdg.K_LONG, pdg.PI_PLUS):  # K_L = (K⁰ − K̄⁰)/√2: each charge mode ½ Γ(K⁰ → π⁻ ℓ⁺ N)
        return V_US, _linear_ff(KL3_F_PLUS_0, KL3_LAMBDA_PLUS), _linear_ff(KL3_F_PLUS_0, KL3_LAMBDA_0), 0.5
    if key in ((421, pdg.K_PLUS), (411, 311)):
        return V_CS, _pole_ff(DK_F_PLUS_0, DK_POLES[0]), _pole_ff(DK_F_PLUS_0, DK_POLES[1]), 1.0
    if key in ((521, 421), (511, 411), (531, 431)):
        return V_CB, _pole_ff(BD_F_PLUS_0, BD_POLES[0]), _pole_ff(BD_F_PLUS_0, BD_POLES[1]), 1.0
    if key in ((421, pdg.PI_PLUS), (411, pdg.PI0)):
        f = DPI_F_PLUS_0 * (iso if key[1] == pdg.PI0 else 1.0)
        return V_CD, _pole_ff(f, DPI_POLES[0]), _pole_ff(f, DPI_POLES[1]), 1.0
    if key in ((511, pdg.PI_PLUS), (521, pdg.PI0)):
        fp, f0 = _bz_ff(*BPI_BZ, scale=iso if key[1] == pdg.PI0 else 1.0)
        return V_UB, fp, f0, 1.0
    return _charm_eta_form_factors(key)


def _table_constant(name: str) -> object:
    """A constant of :mod:`darkbeam.models.hnl` looked up by name, ``None`` if absent (the charm η, ρ, ω, φ rows are
    newer than this module: if they are renamed these channels fall back to flat phase space at run time, and the
    coverage test of tests/test_hnl_matrix_elements.py fails)."""
    from . import hnl

    return getattr(hnl, name, None)


def _charm_eta_form_factors(key: tuple[int, int]) -> tuple[float, FormFactor, FormFactor, float] | None:
    """D_s⁺ → η⁽′⁾ (c → s onto ss̄) and D⁺ → η⁽′⁾ (c → d onto dd̄): flavour-state form factor × η–η′ content, single
    poles, as in the production table (:data:`darkbeam.models.hnl.ETA_MIXING_ANGLE` and the constants cited there)."""
    if key[0] not in (431, 411) or key[1] not in (221, 331):
        return None
    index = 0 if key[1] == 221 else 1
    f0: object
    content: object
    poles: object
    if key[0] == 431:
        f0, content, poles, v_ckm = (
            _table_constant("DS_ETA_S_F_PLUS_0"),
            _table_constant("ETA_CONTENT_DS"),
            DK_POLES,
            V_CS,
        )
    else:
        f0, content, poles, v_ckm = (
            _table_constant("D_ETA_Q_F_PLUS_0"),
            _table_constant("ETA_CONTENT_D"),
            _table_constant("D_ETA_POLES"),
            V_CD,
        )
    if not (isinstance(f0, float) and isinstance(content, tuple) and isinstance(poles, tuple)):
        return None
    f = f0 * float(content[index])
    return v_ckm, _pole_ff(f, float(poles[0])), _pole_ff(f, float(poles[1])), 1.0


def _vector_form_factors(parent: int, vector: int) -> tuple[float, VectorFormFactors, bool] | None:
    """(|V|, (V, A₀, A₁, A₂), quark decay?) of P → V ℓ N as in the production table of :mod:`darkbeam.models.hnl`
    (D → K̄*: BaBar fit; B → D*, B_s → D_s*: CLN; B → ρ: Ball–Zwicky, ρ⁰ with 1/√2). D decays are c-quark decays,
    B⁺, B⁰, B_s⁰ decays are b̄-antiquark decays (see :func:`semileptonic_vector`)."""
    key = (parent, abs(vector))
    if key in ((421, 323), (411, 313)):
        return V_CS, dkstar_form_factors, True
    if key in ((521, 423), (511, 413), (531, 433)):
        return V_CB, cln_form_factors(pdg.mass(parent), pdg.mass(abs(vector))), False
    if key == (511, 213):
        return V_UB, brho_form_factors, False
    if key == (521, 113):
        iso = 1.0 / math.sqrt(2.0)

        def rho0(q2: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
            v, a0, a1, a2 = brho_form_factors(q2)
            return np.asarray(iso * v), np.asarray(iso * a0), np.asarray(iso * a1), np.asarray(iso * a2)

        return V_UB, rho0, False
    return _charm_vector_form_factors(key)


def _charm_vector_form_factors(key: tuple[int, int]) -> tuple[float, VectorFormFactors, bool] | None:
    """D_s⁺ → φ, D⁰ → ρ⁻, D⁺ → ρ⁰, D⁺ → ω (c-quark decays): single-pole (V, A₀, A₁, A₂) of
    :func:`darkbeam.models.hnl.pole_vector_form_factors` with the production table's constants (ρ⁰, ω × 1/√2)."""
    rows = {
        (431, 333): (V_CS, "DSPHI_FF", "DSPHI_POLES", 1.0),
        (421, 213): (V_CD, "DRHO_FF", "DRHO_POLES", 1.0),
        (411, 113): (V_CD, "DRHO_FF", "DRHO_POLES", 1.0 / math.sqrt(2.0)),
        (411, 223): (V_CD, "DRHO_FF", "DRHO_POLES", 1.0 / math.sqrt(2.0)),
    }
    if key not in rows:
        return None
    v_ckm, ff_name, pole_name, scale = rows[key]
    builder, ratios, poles = (_table_constant(n) for n in ("pole_vector_form_factors", ff_name, pole_name))
    if not (callable(builder) and isinstance(ratios, tuple) and isinstance(poles, tuple)):
        return None
    base = builder(pdg.mass(key[0]), pdg.mass(key[1]), ratios, poles)

    def scaled(q2: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        v, a0, a1, a2 = base(q2)
        return np.asarray(scale * v), np.asarray(scale * a0), np.asarray(scale * a1), np.asarray(scale * a2)

    return v_ckm, scaled, True


@lru_cache(maxsize=1024)
def hnl_production_matrix_element(
    mass: float, parent: int, companions: tuple[int, ...]
) -> ThreeBodyMatrixElement | None:
    """|M|² (with its accept–reject maximum) of the three-body production ``parent → N + companions`` (daughters
    1 = N, 2, 3 = the companions in order), per unit mixing; ``None`` where none is implemented here (two-body
    channels, the τ chains from D_s, which are cascades rather than three-body decays).
    Covered: P → P′ ℓ⁺ N (:func:`semileptonic_pseudoscalar`) for K⁺ → π⁰, K_L → π±, D → K, D → π, B → D,
    B_s → D_s, B → π, D⁺ and D_s⁺ → η, η′; P → V ℓ⁺ N (:func:`semileptonic_vector`) for D → K̄*, D → ρ, D⁺ → ω,
    D_s⁺ → φ, B → D*, B_s → D_s*, B → ρ; and
    μ → e ν N (:func:`lepton_to_hnl_lepton_nu`). Cached per (mass, channel)."""
    if len(companions) != 2:
        return None
    m_parent = pdg.mass(abs(parent))
    masses = (mass, pdg.mass(abs(companions[0])), pdg.mass(abs(companions[1])))
    if mass >= m_parent - masses[1] - masses[2]:
        return None
    function: MatrixElementFunction
    if abs(parent) == pdg.MUON:
        if abs(companions[0]) == pdg.ELECTRON and abs(companions[1]) == pdg.NU_E:
            function = lepton_to_hnl_lepton_nu(m_parent, masses, via_parent=True)
        elif abs(companions[0]) == pdg.NU_MU and abs(companions[1]) == pdg.ELECTRON:
            function = lepton_to_hnl_lepton_nu(m_parent, masses, via_parent=False)
        else:
            return None
        return _sampling(function, m_parent, masses)
    if abs(companions[1]) not in _CHARGED_LEPTONS:
        return None
    vector = _vector_form_factors(abs(parent), companions[0])
    if vector is not None:
        v_ckm_v, ffs, quark = vector
        return _sampling(semileptonic_vector(m_parent, masses, v_ckm_v, ffs, quark), m_parent, masses)
    found = _semileptonic_form_factors(abs(parent), companions[0])
    if found is None:
        return None
    v_ckm, f_plus, f_zero, rate = found
    base = semileptonic_pseudoscalar(m_parent, masses, v_ckm, f_plus, f_zero)

    def function_scaled(s12: FloatArray, s23: FloatArray) -> FloatArray:
        return np.asarray(rate * base(s12, s23))

    return _sampling(function_scaled if rate != 1.0 else base, m_parent, masses)

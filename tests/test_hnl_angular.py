"""Tests of HNL polarisation and decay angular distributions (darkbeam.models.hnl_angular).

References: [Shrock] PRD 24 (1981) 1232; [Levy] arXiv:1805.06419; [TT] Tastet & Timiryasov arXiv:1912.05520;
[BdGK] Balantekin, de Gouvêa, Kayser arXiv:1808.10518. The closed forms are checked against spin-projected traces
of the V − A amplitudes evaluated here with explicit Dirac matrices (Dirac representation, γ5 = iγ⁰γ¹γ²γ³).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from darkbeam import pdg
from darkbeam.errors import ConfigError
from darkbeam.models.hnl_angular import (
    analysing_power,
    decay_cos_theta_pdf,
    dirac_majorana_observables,
    forward_backward_asymmetry,
    polarisation_two_body,
    sample_decay_cos_theta,
)

M_E, M_MU, M_TAU = pdg.mass(11), pdg.mass(13), pdg.mass(15)
M_PI, M_PI0, M_K, M_DS = pdg.mass(211), pdg.mass(111), pdg.mass(321), pdg.mass(431)

# ------------------------------------------------------------------------------------ explicit Dirac algebra
_I2, _Z2 = np.eye(2), np.zeros((2, 2))
_PAULI = (np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.diag([1, -1]))
G0 = np.block([[_I2, _Z2], [_Z2, -_I2]]).astype(complex)
GI = [np.block([[_Z2, s], [-s, _Z2]]).astype(complex) for s in _PAULI]
G5 = 1j * G0 @ GI[0] @ GI[1] @ GI[2]
ONE = np.eye(4, dtype=complex)


def slash(p: NDArray[np.float64]) -> NDArray[np.complex128]:
    return np.asarray(p[0] * G0 - p[1] * GI[0] - p[2] * GI[1] - p[3] * GI[2])


def dirac_bar(m: NDArray[np.complex128]) -> NDArray[np.complex128]:
    return np.asarray(G0 @ m.conj().T @ G0)


def trace_decay(m_n: float, m_l: float, m_p: float, spin_along_lepton: int) -> float:
    """Σ|M|² of N(spin ±ẑ) → ℓ⁻(along +ẑ) P⁺, M = ū_ℓ [m_N(1 + γ5) − m_ℓ(1 − γ5)] u_N, N at rest."""
    e = (m_n**2 + m_l**2 - m_p**2) / (2 * m_n)
    p = math.sqrt(e * e - m_l**2)
    p_l, p_n = np.array([e, 0, 0, p]), np.array([m_n, 0, 0, 0])
    s = np.array([0, 0, 0, spin_along_lepton])
    g = m_n * (ONE + G5) - m_l * (ONE - G5)
    t = (slash(p_l) + m_l * ONE) @ g @ (slash(p_n) + m_n * ONE) @ (ONE + G5 @ slash(s)) / 2 @ dirac_bar(g)
    return float(np.trace(t).real)


def trace_production(m_n: float, m_parent: float, m_l: float, helicity: int) -> float:
    """Σ|M|² of P⁺ → ℓ⁺ N(helicity ±½) in the P rest frame, M = ū_N [m_N(1 − γ5) − m_ℓ(1 + γ5)] v_ℓ."""
    e = (m_parent**2 + m_n**2 - m_l**2) / (2 * m_parent)
    p = math.sqrt(e * e - m_n**2)
    p_n, p_l = np.array([e, 0, 0, p]), np.array([m_parent - e, 0, 0, -p])
    s = helicity * np.array([p / m_n, 0, 0, e / m_n])
    g = m_n * (ONE - G5) - m_l * (ONE + G5)
    t = (slash(p_n) + m_n * ONE) @ (ONE + G5 @ slash(s)) / 2 @ g @ (slash(p_l) - m_l * ONE) @ dirac_bar(g)
    return float(np.trace(t).real)


@pytest.mark.parametrize(
    ("m_n", "m_l", "m_p"),
    [(0.4, M_MU, M_PI), (0.3, M_MU, M_PI), (0.3, M_E, M_PI), (0.8, M_MU, M_K), (2.5, M_TAU, M_PI), (0.25, M_MU, M_PI)],
)
def test_analysing_power_against_trace(m_n: float, m_l: float, m_p: float) -> None:
    # dΓ/dcos θ ∝ 1 − α P cos θ for N → ℓ⁻ P⁺: spin along the lepton (cos θ = 1) vs against (cos θ = −1)
    forward, backward = trace_decay(m_n, m_l, m_p, +1), trace_decay(m_n, m_l, m_p, -1)
    assert (forward - backward) / (forward + backward) == pytest.approx(-float(analysing_power(m_n, m_l, m_p)), 1e-9)


@pytest.mark.parametrize(
    ("m_n", "m_parent", "m_l"),
    [(0.05, M_K, M_MU), (0.2, M_K, M_MU), (0.3, M_K, M_E), (0.1, M_K, M_MU), (1.0, M_DS, M_MU), (0.02, M_PI, M_MU)],
)
def test_polarisation_against_trace(m_n: float, m_parent: float, m_l: float) -> None:
    plus, minus = trace_production(m_n, m_parent, m_l, +1), trace_production(m_n, m_parent, m_l, -1)
    assert (plus - minus) / (plus + minus) == pytest.approx(float(polarisation_two_body(m_n, m_parent, m_l)), 1e-9)


def test_polarisation_limits() -> None:
    # m_N → 0: the SM neutrino of π⁺ → μ⁺ν / K⁺ → μ⁺ν is left-handed, P = −1 ([Shrock])
    assert polarisation_two_body(1e-7, M_K, M_MU) == pytest.approx(-1.0, abs=1e-9)
    assert polarisation_two_body(1e-7, M_PI, M_MU) == pytest.approx(-1.0, abs=1e-9)
    # massless charged lepton: helicity of N = helicity of the right-handed ℓ⁺, P = +1; P = 0 at m_N = m_ℓ
    assert polarisation_two_body(0.3, M_K, 0.0) == pytest.approx(1.0, abs=1e-12)
    assert polarisation_two_body(M_MU, M_K, M_MU) == pytest.approx(0.0, abs=1e-12)
    # closed decays give NaN; the analysing power of a massless lepton is exactly 1 (N → ν π⁰)
    assert np.isnan(polarisation_two_body(0.4, M_K, M_MU))
    assert analysing_power(0.5, 0.0, M_PI0) == pytest.approx(1.0, abs=1e-12)
    assert np.isnan(analysing_power(0.2, M_MU, M_PI))
    with pytest.raises(ConfigError, match="m_n"):
        polarisation_two_body(-0.1, M_K, M_MU)


@settings(max_examples=100, deadline=None)
@given(fraction=st.floats(1e-6, 1 - 1e-6), parent=st.sampled_from([211, 321, 411, 431, 521]),
       lepton=st.sampled_from([11, 13, 15]))  # fmt: skip
def test_polarisation_and_analysing_power_bounded(fraction: float, parent: int, lepton: int) -> None:
    m_p, m_l = pdg.mass(parent), pdg.mass(lepton)
    if m_l >= m_p:
        return
    m_n = fraction * (m_p - m_l)
    pol = float(polarisation_two_body(m_n, m_p, m_l))
    assert -1.0 <= pol <= 1.0
    assert (pol > 0) == (m_n > m_l) or abs(pol) < 1e-9
    if m_n > m_l + M_PI:
        alpha = float(analysing_power(m_n, m_l, M_PI))
        assert 0.0 <= alpha <= 1.0


def test_pdf_normalised_and_majorana_sum_isotropic() -> None:
    c = np.linspace(-1, 1, 2001)
    for pol in (-1.0, -0.3, 0.7, 1.0):
        for sign in (-1, 1):
            pdf = decay_cos_theta_pdf(c, pol, 0.9, sign)
            assert np.trapezoid(pdf, c) == pytest.approx(1.0, rel=1e-9)
            assert np.all(pdf >= 0)
        # Majorana: equal widths to ℓ⁻π⁺ and ℓ⁺π⁻, so the sum is isotropic for every polarisation ([TT], [BdGK])
        summed = 0.5 * (decay_cos_theta_pdf(c, pol, 0.9, -1) + decay_cos_theta_pdf(c, pol, 0.9, +1))
        np.testing.assert_allclose(summed, 0.5, rtol=1e-12)
        np.testing.assert_allclose(decay_cos_theta_pdf(c, pol, 0.9, None), 0.5)
    assert forward_backward_asymmetry(0.6, 0.9, -1) == pytest.approx(-0.27)
    assert forward_backward_asymmetry(0.6, 0.9, None) == 0.0
    with pytest.raises(ConfigError, match="polarisation"):
        decay_cos_theta_pdf(c, 1.5, 0.9, -1)
    with pytest.raises(ConfigError, match="lepton_sign"):
        decay_cos_theta_pdf(c, 0.5, 0.9, 2)


def test_sampled_majorana_isotropic_dirac_not() -> None:
    # K⁺ → μ⁺ N at m_N = 0.3 GeV, N → μ π: P = +0.5459 (hand-evaluated from the closed form), α ≈ 1
    m_n = 0.3
    pol = float(polarisation_two_body(m_n, M_K, M_MU))
    alpha = float(analysing_power(m_n, M_MU, M_PI))
    assert pol == pytest.approx(0.5459, abs=2e-4)
    rng = np.random.default_rng(20240605)
    n = 1_000_000
    sigma = 1.0 / math.sqrt(3.0 * n)  # standard error of ⟨cos θ⟩ for a near-flat distribution
    # Majorana: each decay picks ℓ⁻π⁺ or ℓ⁺π⁻ with probability ½; cos θ of the charged lepton, summed
    signs = rng.choice([-1, 1], size=n)
    cos_majorana = np.empty(n)
    for s in (-1, 1):
        rows = signs == s
        cos_majorana[rows] = sample_decay_cos_theta(np.full(rows.sum(), pol), alpha, s, rng)
    assert abs(cos_majorana.mean()) < 4 * sigma
    # Dirac: ℓ⁻π⁺ only; ⟨cos θ⟩ = −αP/3 and A_FB = −αP/2 (closed form)
    cos_dirac = sample_decay_cos_theta(np.full(n, pol), alpha, -1, rng)
    assert cos_dirac.mean() == pytest.approx(-alpha * pol / 3, abs=4 * sigma)
    afb = (np.count_nonzero(cos_dirac > 0) - np.count_nonzero(cos_dirac < 0)) / n
    assert afb == pytest.approx(float(forward_backward_asymmetry(pol, alpha, -1)), abs=4 / math.sqrt(n))
    assert abs(cos_dirac.mean()) > 50 * sigma  # clearly anisotropic
    assert np.all(np.abs(cos_dirac) <= 1)
    # unpolarised N (P = 0) is isotropic for Dirac too
    assert abs(sample_decay_cos_theta(np.zeros(n), alpha, -1, rng).mean()) < 4 * sigma


def test_sampler_shape_distribution() -> None:
    # per-event polarisations: a histogram follows (1 + aP c)/2 bin by bin
    rng = np.random.default_rng(7)
    n = 400_000
    pol = rng.uniform(-1, 1, n)
    c = sample_decay_cos_theta(pol, 1.0, +1, rng)
    # E[c | P] = P/3  → regression slope 1/3
    slope = np.cov(c, pol)[0, 1] / np.var(pol)
    assert slope == pytest.approx(1 / 3, abs=0.01)
    with pytest.raises(ConfigError, match="alpha"):
        sample_decay_cos_theta(0.5, 3.0, -1, rng)


def test_dirac_majorana_observables() -> None:
    obs = dirac_majorana_observables(0.3, M_K, M_MU, M_MU, M_PI)
    dirac, majorana = obs["dirac"], obs["majorana"]
    assert dirac["lnv_over_lnc"] == 0.0
    assert majorana["lnv_over_lnc"] == 1.0
    assert dirac["afb_summed"] == pytest.approx(-dirac["alpha"] * dirac["polarisation"] / 2)
    assert majorana["afb_summed"] == 0.0
    assert majorana["afb_plus"] == pytest.approx(-majorana["afb_minus"])
    with pytest.raises(ConfigError, match="closed"):
        dirac_majorana_observables(0.45, M_K, M_MU, M_MU, M_PI)


def test_model_polarisation_method() -> None:
    from darkbeam.models.hnl import HNL

    n = HNL(0.3, umu2=1e-6, majorana=False)
    assert n.production_polarisation(321, -13) == pytest.approx(0.5459, abs=2e-4)
    assert n.production_polarisation(-321, 13) == pytest.approx(-0.5459, abs=2e-4)  # K⁻ → μ⁻ N̄
    assert math.isnan(HNL(0.45, umu2=1e-6).production_polarisation(321, -13))
    with pytest.raises(ConfigError, match="parent_pdg"):
        n.production_polarisation(130, -13)
    with pytest.raises(ConfigError, match="lepton_pdg"):
        n.production_polarisation(321, 211)

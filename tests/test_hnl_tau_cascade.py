"""HNLs from τ leptons of D_s decays as a polarised cascade (issue #4): D_s⁺ → τ⁺ ν_τ, τ⁺ → N̄ X⁺
(:mod:`darkbeam.models.hnl_tau`, hooked into :func:`darkbeam.production.dark.produce` through
:meth:`darkbeam.models.hnl.HNL.production_cascade`).

References: the analysing powers are checked against explicit Dirac-spinor amplitudes (built here, independently of
the trace derivation in the module) and their massless limits (Y. S. Tsai, Phys. Rev. D 4 (1971) 2821:
τ → πν α = 1, τ → ρν α = (m_τ² − 2m_ρ²)/(m_τ² + 2m_ρ²)); spectra against the closed-form cascade kinematics
(PDG RPP 2024 Sec. 49: two-body momenta, Lorentz boost) and Dalitz integrals of the muon-decay matrix element
([BBGR] arXiv:1805.08567 Sec. 2.2).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.typing import NDArray

from darkbeam import pdg
from darkbeam.errors import ConfigError, KinematicsError
from darkbeam.kinematics import three_body_decay, two_body_momentum
from darkbeam.models import hnl_tau
from darkbeam.models.hnl import HNL, PRODUCTION_TABLE
from darkbeam.models.hnl_matrix_elements import dalitz_width
from darkbeam.models.hnl_tau import (
    TauChain,
    analysing_power_tau_to_hnl,
    leptonic_matrix_element,
    sample_tau_cascade,
)
from darkbeam.production.dark import produce
from darkbeam.production.parents import ParentDecays

M_TAU = pdg.mass(pdg.TAU)
M_DS = pdg.mass(431)
M_PI = pdg.mass(211)
M_RHO = pdg.mass(213)
# τ in the D_s rest frame (PDG RPP 2024 Eq. 49.17): γ = E_τ/m_τ, γβ = p_τ/m_τ
P_TAU = (M_DS**2 - M_TAU**2) / (2.0 * M_DS)
GAMMA = math.hypot(P_TAU, M_TAU) / M_TAU
GAMMA_BETA = P_TAU / M_TAU
PI_ROW = "D_s+ -> nu_tau tau+(-> pi+ N)"


def _at_rest(n: int) -> NDArray[np.float64]:
    p4 = np.zeros((n, 4))
    p4[:, 3] = M_DS
    return p4


def _parents(p4: NDArray[np.float64], pdg_id: int = 431, weight: float = 1e-3) -> ParentDecays:
    n = len(p4)
    return ParentDecays(pdg_id, p4, np.zeros((n, 3)), np.zeros(n), np.full(n, weight / n))


# ------------------------------------------------------------------------------- analysing power (spinors)
def _sqrt_hermitian(matrix: NDArray[np.complex128]) -> NDArray[np.complex128]:
    values, vectors = np.linalg.eigh(matrix)
    return np.asarray(vectors @ np.diag(np.sqrt(np.clip(values, 0.0, None))) @ vectors.conj().T)


def _spinor_rate(m_n: float, m_x: float, vector: bool, theta: float) -> float:
    """Σ over N spins (and V polarisations) of |ℳ|² for τ⁻ (at rest, spin +z) → N(θ) X⁻, ℳ = h_μ ū_N γ^μ(1 − γ5) u_τ,
    from explicit Weyl-basis spinors u = (√(p·σ) ξ, √(p·σ̄) ξ) (Peskin & Schroeder Eq. 3.50): independent of the
    trace derivation of the module."""
    sigma = [np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]], complex)]
    eye, zero = np.eye(2, dtype=complex), np.zeros((2, 2), complex)
    gammas = [np.block([[zero, eye], [eye, zero]])] + [np.block([[zero, s], [-s, zero]]) for s in sigma]
    gamma5 = np.block([[-eye, zero], [zero, eye]])
    q = float(two_body_momentum(M_TAU, m_n, m_x))
    e_n = math.hypot(q, m_n)
    n_hat = np.array([math.sin(theta), 0.0, math.cos(theta)])
    p_sigma = sum(q * n_hat[i] * sigma[i] for i in range(3))
    u_tau = math.sqrt(M_TAU) * np.array([1, 0, 1, 0], complex)
    p_n = np.array([e_n, *(q * n_hat)])
    p_x = np.array([M_TAU, 0.0, 0.0, 0.0]) - p_n
    metric = np.diag([1.0, -1.0, -1.0, -1.0])
    rate = 0.0
    for xi in (np.array([1, 0], complex), np.array([0, 1], complex)):
        u_n = np.concatenate([_sqrt_hermitian(e_n * eye - p_sigma) @ xi, _sqrt_hermitian(e_n * eye + p_sigma) @ xi])
        bar = u_n.conj() @ gammas[0]
        current = np.array([bar @ g @ (np.eye(4) - gamma5) @ u_tau for g in gammas])  # J^μ
        if vector:  # Σ_λ |ε*_μ J^μ|² = −J·J* + |q·J|²/m_V²
            j_low = metric @ current
            rate += float(np.real(-(j_low @ current.conj()) + abs(p_x @ metric @ current) ** 2 / m_x**2))
        else:
            rate += float(abs(p_x @ metric @ current) ** 2)
    return rate


@pytest.mark.parametrize(("m_n", "vector"), [
    (0.0, False), (0.3, False), (0.8, False), (1.5, False), (1.6, False),
    (0.0, True), (0.3, True), (0.8, True), (0.95, True),
])  # fmt: skip
def test_analysing_power_matches_spinor_amplitudes(m_n: float, vector: bool) -> None:
    """dΓ/dcos θ ∝ 1 + α cos θ for a τ⁻ of spin +z: α from explicit spinors equals the closed form, and the
    distribution is linear in cos θ (R(π/2) is the mean of R(0) and R(π))."""
    m_x = M_RHO if vector else M_PI
    forward, backward, side = (_spinor_rate(m_n, m_x, vector, t) for t in (0.0, math.pi, 0.5 * math.pi))
    assert side == pytest.approx(0.5 * (forward + backward), rel=1e-9)
    alpha = (forward - backward) / (forward + backward)
    assert float(analysing_power_tau_to_hnl(m_n, m_x, vector)) == pytest.approx(alpha, abs=1e-9)


def test_analysing_power_limits() -> None:
    """Massless limits (Tsai 1971): −1 (π: the ν against the τ⁻ spin), −(m_τ² − 2m_ρ²)/(m_τ² + 2m_ρ²) (ρ); 0 at the
    kinematic threshold m_N → m_τ − m_X."""
    assert float(analysing_power_tau_to_hnl(0.0, M_PI, False)) == pytest.approx(-1.0, abs=1e-12)
    tsai_rho = -(M_TAU**2 - 2 * M_RHO**2) / (M_TAU**2 + 2 * M_RHO**2)
    assert float(analysing_power_tau_to_hnl(0.0, M_RHO, True)) == pytest.approx(tsai_rho, rel=1e-12)
    assert abs(float(analysing_power_tau_to_hnl(M_TAU - M_PI - 1e-6, M_PI, False))) < 0.01
    assert float(analysing_power_tau_to_hnl(M_TAU, M_PI, False)) == 0.0


# ------------------------------------------------------------------------------- spectra in the D_s frame
def _box(m_n: float, m_x: float) -> tuple[float, float, float]:
    """(E_min, E_max, E*·γ) of the N energy in the D_s rest frame for τ → N X: E = γE* + γβ p* cos θ."""
    q = float(two_body_momentum(M_TAU, m_n, m_x))
    e_star = math.hypot(q, m_n)
    return GAMMA * e_star - GAMMA_BETA * q, GAMMA * e_star + GAMMA_BETA * q, GAMMA * e_star


def test_pion_chain_spectrum_through_produce() -> None:
    """τ → N π from D_s at rest via produce(): N energies inside the box [γE* − γβp*, γE* + γβp*], density linear
    (1 + α x, x = (E − γE*)/(γβp*)) with the polarised mean γE* + γβ p* α/3. The old flat D_s → N ν_τ π proxy
    puts most N below the box and fails here (checked at the end)."""
    m_n, n = 1.0, 200_000
    model = HNL(m_n, utau2=1e-4)
    flux = produce(model, _parents(_at_rest(n)), np.random.default_rng(11))
    names = [c.name for c, _, _ in model.production_for(431)]
    rows = slice(names.index(PI_ROW) * n, (names.index(PI_ROW) + 1) * n)
    energy = flux.momentum[rows, 3]
    lo, hi, centre = _box(m_n, M_PI)
    alpha = float(analysing_power_tau_to_hnl(m_n, M_PI, False))
    assert alpha < -0.99
    assert energy.min() >= lo - 1e-12
    assert energy.max() <= hi + 1e-12
    half = 0.5 * (hi - lo)
    expected_mean = centre + half * alpha / 3.0
    sigma = half * math.sqrt(1.0 / 3.0 - alpha**2 / 9.0) / math.sqrt(n)
    assert abs(energy.mean() - expected_mean) < 5 * sigma
    assert abs(centre - expected_mean) > 50 * sigma  # the polarisation effect is resolved
    # shape: 10 bins of x against (1 + α x)/2
    counts, edges = np.histogram((energy - centre) / half, bins=10, range=(-1.0, 1.0))
    expected = n * np.diff(0.5 * (edges + 0.5 * alpha * edges**2))
    chi2 = float(np.sum((counts - expected) ** 2 / expected))
    assert chi2 < 35.0  # 10 bins: p ≈ 1e-4
    # the old proxy (flat three-body D_s → N ν_τ π) is excluded by the box test
    old, _, _ = three_body_decay(_at_rest(20_000), (m_n, 0.0, M_PI), np.random.default_rng(1))
    assert np.mean((old[:, 3] < lo) | (old[:, 3] > hi)) > 0.3


def test_unpolarised_tau_gives_a_box(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the τ polarisation switched off (α = 0) the N energy in the D_s frame is flat between the limits."""
    monkeypatch.setattr(hnl_tau, "analysing_power_tau_to_hnl", lambda *args: np.asarray(0.0))
    m_n, n = 0.5, 100_000
    cascade = sample_tau_cascade(_at_rest(n), TauChain(m_n, "pseudoscalar", (211,)), np.random.default_rng(3))
    lo, hi, centre = _box(m_n, M_PI)
    counts, _ = np.histogram(cascade.hnl[:, 3], bins=10, range=(lo, hi))
    assert counts.sum() == n
    assert float(np.sum((counts - n / 10) ** 2 / (n / 10))) < 35.0
    assert abs(cascade.hnl[:, 3].mean() - centre) < 5 * (hi - lo) / math.sqrt(12 * n)


def test_rho_chain_mean_energy() -> None:
    """τ → N ρ: mean N energy in the D_s frame γE* + γβ p* α_V/3."""
    m_n, n = 0.6, 100_000
    cascade = sample_tau_cascade(_at_rest(n), TauChain(m_n, "vector", (213,)), np.random.default_rng(5))
    lo, hi, centre = _box(m_n, M_RHO)
    alpha = float(analysing_power_tau_to_hnl(m_n, M_RHO, True))
    half = 0.5 * (hi - lo)
    assert abs(cascade.hnl[:, 3].mean() - (centre + half * alpha / 3.0)) < 5 * half / math.sqrt(3 * n)


def _dalitz_mean(kind: str, m_n: float, m_l: float, quantity: str) -> float:
    """⟨f⟩ over the spin-averaged Dalitz density of the leptonic τ decay (dalitz_width of |M|² f over that of |M|²)."""
    me = leptonic_matrix_element(m_n, kind, m_l)
    masses = me.masses
    big = M_TAU**2

    def weighted(s12: NDArray[np.float64], s23: NDArray[np.float64]) -> NDArray[np.float64]:
        e_n = (big + m_n**2 - s23) / (2 * M_TAU)
        p_n2 = np.clip(e_n**2 - m_n**2, 0.0, None)
        if quantity == "energy":
            f = e_n
        elif quantity == "n_along_n":  # a = N: ⟨p⃗_N·f̂⟩ = ⟨β_N |p_N|⟩/3
            f = p_n2 / (3.0 * e_n)
        else:  # a = ν_ℓ (daughter 3): ⟨p⃗_N·f̂⟩ = ⟨p⃗_N·p̂_ν⟩/3, p⃗_N·p⃗_ν = E_N E_ν − p_N·p_ν
            e_nu = (big + masses[2] ** 2 - s12) / (2 * M_TAU)
            s13 = big + sum(m * m for m in masses) - s12 - s23
            f = (e_n * e_nu - 0.5 * (s13 - m_n**2)) / (3.0 * e_nu)
        return np.asarray(me(s12, s23) * f)

    return dalitz_width(weighted, M_TAU, masses) / dalitz_width(me.function, M_TAU, masses)


@pytest.mark.parametrize(("kind", "others", "quantity"), [
    ("lepton_via_tau", (-13, 14), "n_along_nu"),
    ("lepton_via_lepton", (-16, -11), "n_along_n"),
])  # fmt: skip
def test_leptonic_chain_mean_energy(kind: str, others: tuple[int, int], quantity: str) -> None:
    """Three-body τ decays: ⟨E_N⟩ in the D_s frame = γ⟨E_N*⟩ + γβ⟨p⃗_N*·f̂⟩, both from Dalitz integrals of the
    muon-decay |M̄|² with the polarised factor 1 + β_a cos θ_a (a = ν_ℓ for U_τ, N for U_ℓ)."""
    m_n, n = 0.7, 100_000
    chain = TauChain(m_n, kind, others)
    cascade = sample_tau_cascade(_at_rest(n), chain, np.random.default_rng(7))
    m_l = pdg.mass(abs(others[0] if kind == "lepton_via_tau" else others[1]))
    e_mean = _dalitz_mean(kind, m_n, m_l, "energy")
    shift = _dalitz_mean(kind, m_n, m_l, quantity)
    expected = GAMMA * e_mean + GAMMA_BETA * shift
    spread = float(np.std(cascade.hnl[:, 3]))
    assert abs(cascade.hnl[:, 3].mean() - expected) < 5 * spread / math.sqrt(n)
    assert GAMMA_BETA * abs(shift) > 10 * spread / math.sqrt(n)  # the polarisation term is resolved


# ------------------------------------------------------------------------------- invariants and plumbing
@pytest.mark.parametrize(("kind", "others", "m_n"), [
    ("pseudoscalar", (211,), 1.2), ("pseudoscalar", (321,), 0.9), ("vector", (213,), 0.4),
    ("lepton_via_tau", (-11, 12), 1.0), ("lepton_via_lepton", (-16, -13), 0.2),
])  # fmt: skip
def test_four_momentum_conservation(kind: str, others: tuple[int, ...], m_n: float) -> None:
    """Boosted D_s in random directions: D_s = N + ν_τ + others and τ = N + others to rounding, all on shell."""
    rng = np.random.default_rng(9)
    n = 2000
    p3 = rng.normal(size=(n, 3)) * rng.uniform(0.0, 200.0, (n, 1))
    parents = np.concatenate([p3, np.sqrt(np.sum(p3**2, axis=1) + M_DS**2)[:, None]], axis=1)
    chain = TauChain(m_n, kind, others)
    cascade = sample_tau_cascade(parents, chain, rng)
    scale = parents[:, 3:4]
    total = cascade.hnl + cascade.nu_tau + sum(cascade.others)
    assert np.max(np.abs(total - parents) / scale) < 1e-12
    assert np.max(np.abs(cascade.hnl + sum(cascade.others) - cascade.tau) / scale) < 1e-12
    for p4, mass in zip((cascade.hnl, *cascade.others, cascade.tau), (*chain.masses, M_TAU), strict=True):
        m2 = p4[:, 3] ** 2 - np.sum(p4[:, :3] ** 2, axis=1)
        assert np.max(np.abs(m2 - mass**2) / p4[:, 3] ** 2) < 1e-12
    assert np.all(cascade.delay >= 0.0)


def test_delay_is_tau_flight_time() -> None:
    """⟨delay⟩ = γ_τ τ_τ (D_s at rest: γ_τ = E_τ*/m_τ)."""
    n = 100_000
    cascade = sample_tau_cascade(_at_rest(n), TauChain(0.5, "pseudoscalar", (211,)), np.random.default_rng(13))
    tau_life = pdg.lifetime(pdg.TAU)
    assert cascade.delay.mean() == pytest.approx(GAMMA * tau_life, rel=5 / math.sqrt(n))


def test_weights_are_the_branching_ratio_chain() -> None:
    """produce(): Σ weight of each τ row = Σ parent weight × BR(D_s → τν) BR(τ → N X) of the production table (the
    rates are untouched by the new kinematics), for D_s⁺ and D_s⁻; every τ row is a cascade, no other row is."""
    model = HNL(0.8, ue2=2e-5, umu2=3e-5, utau2=1e-4)
    brs = model.production_branching_ratios()[431]
    tau_rows = {s.name for s in PRODUCTION_TABLE if s.tau_chain is not None}
    assert len(tau_rows) == 7
    for parent in (431, -431):
        n = 3000
        flux = produce(model, _parents(_at_rest(n), parent, weight=2e-3), np.random.default_rng(17))
        for k, (channel, br, _) in enumerate(model.production_for(parent)):
            is_tau = channel.name in tau_rows
            assert (model.production_cascade(channel) is not None) == is_tau
            assert br == brs[channel.name]
            assert flux.weight[k * n : (k + 1) * n].sum() == pytest.approx(2e-3 * br, rel=1e-12)
            if is_tau:
                assert model.production_matrix_element(channel) is None
                assert np.all(flux.time[k * n : (k + 1) * n] > 0.0)
    # the BR values themselves (BR(τ → N X) against the PDG τ branching fractions) are tested in tests/test_hnl.py


def test_bad_chains_raise() -> None:
    with pytest.raises(ConfigError, match="kind"):
        TauChain(0.5, "scalar", (211,))
    with pytest.raises(ConfigError, match="others"):
        TauChain(0.5, "vector", (213, 111))
    with pytest.raises(KinematicsError, match="m_n"):
        TauChain(1.7, "pseudoscalar", (211,))
    light = np.zeros((3, 4))
    light[:, 3] = 1.0
    with pytest.raises(KinematicsError, match="parent mass"):
        sample_tau_cascade(light, TauChain(0.5, "pseudoscalar", (211,)), np.random.default_rng(0))

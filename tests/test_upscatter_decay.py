"""Upscatter-then-decay: dark-neutrino widths and two-vertex event generation (interactions/upscatter_decay.py)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyhepmc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from darkbeam import detectors
from darkbeam.errors import ConfigError, UnknownNameError
from darkbeam.events import STATUS_DECAYED, STATUS_FINAL, STATUS_INCOMING
from darkbeam.interactions.nuclear import M_PROTON, nucleus
from darkbeam.interactions.upscatter_decay import (
    DarkNeutrino,
    NeutrinoSpectrum,
    detector_targets,
    generate_upscatter_decay,
    width_n_to_nu_vector,
    width_n_to_nu_vector_dipole,
)
from darkbeam.interactions.upscattering import DipolePortal, ZPrimePortal, dsigma_dq2, q2_range, target
from darkbeam.io import read_events, write_events
from darkbeam.units import ALPHA_EM, HBARC

LIGHT_ZP = ZPrimePortal.from_darknews(mzprime=0.03, epsilon=1e-3, gD=1.0, Umu4=1e-3, UD4=1.0)
DIPOLE = DipolePortal.from_darknews(mu_tr=1e-6)  # d = 5e-7 GeV⁻¹
M_E = 0.51099895e-3


def light_zprime(majorana: bool = False) -> DarkNeutrino:
    return DarkNeutrino(0.42, zprime=LIGHT_ZP, majorana=majorana)


def dipole_model() -> DarkNeutrino:
    return DarkNeutrino(0.1, dipole=DIPOLE)


def spectrum() -> NeutrinoSpectrum:
    edges = np.linspace(0.0, 3.0, 31)
    centres = 0.5 * (edges[1:] + edges[:-1])
    return NeutrinoSpectrum(edges, 1e-10 * centres**2 * np.exp(-2.5 * centres))


# ------------------------------------------------------------------------------------------------ widths
def test_total_width_is_sum_and_bounds_every_channel() -> None:
    for model in (
        light_zprime(),
        light_zprime(True),
        dipole_model(),
        DarkNeutrino(0.42, zprime=ZPrimePortal(1.25, 1e-3, 1.0, -1e-3, 1e-3), dipole=DIPOLE),
    ):
        widths = model.partial_widths()
        assert len(widths) >= 2
        total = model.total_width()
        assert total == pytest.approx(sum(widths.values()), rel=1e-12)
        assert all(0 < w <= total for w in widths.values())
        assert sum(model.branching_ratios().values()) == pytest.approx(1.0, rel=1e-12)
        assert model.ctau() == pytest.approx(HBARC / total, rel=1e-12)


def test_light_zprime_width_matches_closed_form_and_darknews() -> None:
    # Γ(N → ν Z′) = (g_D V)² M³/(32π m²)(1 − x)²(1 + 2x), [AHP20] App. A: by hand with x = 0.03²/0.42²
    x = (0.03 / 0.42) ** 2
    by_hand = 1e-6 * 0.42**3 / (32 * math.pi * 0.03**2) * (1 - x) ** 2 * (1 + 2 * x)
    model = light_zprime()
    assert model.partial_widths()["nu e+e- (Z')"] == pytest.approx(by_hand, rel=1e-12)
    # DarkNews 0.4.8 GenLauncher (mzprime=0.03, m4=0.42, Umu4=1e-3, UD4=1, gD=1, epsilon=1e-3, dirac),
    # df.attrs["N4_ctau0"] = 2.4134e-8 cm (majorana 1.2073e-8 cm), run 2026-11-21 (notes/issue7-rest.md)
    assert model.ctau() == pytest.approx(2.4134e-8, rel=0.005)
    assert light_zprime(True).ctau() == pytest.approx(1.2073e-8, rel=0.005)
    # SM channels (|U_μ4|² = 1e-6) are included, and negligible here
    sm = sum(v for k, v in model.partial_widths().items() if k.startswith("sm:"))
    assert 0 < sm < 1e-12 * model.total_width()


def test_heavy_zprime_limit_is_four_fermion_closed_form() -> None:
    # m_Z′ ≫ M: Γ(N → ν e⁺e⁻) = c² (εe)² M⁵/(768 π³ m_Z′⁴) (derived by the muon-decay analogy, module doc)
    m_z, m_n, g, eps = 50.0, 0.42, 0.7, 2e-3
    model = DarkNeutrino(m_n, zprime=ZPrimePortal(m_z, eps, g, -1e-3, 0.0))
    c2 = (g * 1e-3) ** 2 * 4 * math.pi * ALPHA_EM * eps**2
    expected = c2 * m_n**5 / (768 * math.pi**3 * m_z**4)
    # finite m_e: −8 m_e²/M² … corrections ≲ 1e-5 here; propagator q²/m_Z′² ≲ 1e-4
    assert model.partial_widths()["nu e+e- (Z'*)"] == pytest.approx(expected, rel=5e-4)


def test_dipole_dalitz_fraction_matches_kroll_wada_log() -> None:
    # Γ(N → ν e⁺e⁻)/Γ(N → νγ) = (α/3π)[ln(M²/m_e²) − 3] + O(m_e²/M²) for the (1 − x)²(1 + x/2) spectrum:
    # −5/3 from the pair threshold (π⁰ Dalitz: (2α/3π)(ln(m_π/m_e) − 7/4), Kroll-Wada 1955) and −4/3 from the
    # ∫[(1 − x)²(1 + x/2) − 1]/x dx of the dipole spectrum
    for m_n in (0.1, 0.4):
        w = DarkNeutrino(m_n, dipole=DIPOLE).partial_widths()
        expected = ALPHA_EM / (3 * math.pi) * (math.log(m_n**2 / M_E**2) - 3.0)
        assert w["nu e+e- (gamma*)"] / w["nu gamma"] == pytest.approx(expected, rel=2e-3)
    # N → νγ: Γ = d² M³/(4π) (Magill et al. 1803.03262 Eq. (3); Brdar et al. 2007.15563)
    assert dipole_model().partial_widths()["nu gamma"] == pytest.approx(5e-7**2 * 0.1**3 / (4 * math.pi), rel=1e-12)
    assert DarkNeutrino(0.1, dipole=DIPOLE, majorana=True).partial_widths()["nu gamma"] == pytest.approx(
        2 * 5e-7**2 * 0.1**3 / (4 * math.pi), rel=1e-12
    )


def _gammas() -> tuple[list[np.ndarray], np.ndarray]:
    one, zero = np.eye(2), np.zeros((2, 2))
    pauli = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.diag([1, -1])]
    g = [np.block([[zero, one], [one, zero]]).astype(complex)]
    g += [np.block([[zero, s], [-s, zero]]).astype(complex) for s in pauli]
    g5 = 1j * g[0] @ g[1] @ g[2] @ g[3]
    return g, (np.eye(4) - g5) / 2


@pytest.mark.parametrize("x", [0.0, 0.2, 0.6, 0.95])
def test_two_body_widths_from_explicit_dirac_traces(x: float) -> None:
    """Γ = |p|/(8πM²) ⟨|M|²⟩ with ⟨|M|²⟩ from explicit Dirac matrices (independent of the closed forms)."""
    g, p_l = _gammas()
    eta = np.diag([1.0, -1.0, -1.0, -1.0])
    m_n, coupling, d = 1.3, 0.02, 1e-3
    q2 = x * m_n**2
    ps = (m_n**2 - q2) / (2 * m_n)
    k = np.array([ps, 0, 0, ps])
    q = np.array([math.sqrt(ps**2 + q2), 0, 0, -ps])
    q_low = eta @ q

    def slash(p: np.ndarray) -> np.ndarray:
        return np.asarray(sum(eta[m, m] * p[m] * g[m] for m in range(4)))

    def bar(a: np.ndarray) -> np.ndarray:
        return np.asarray(g[0] @ a.conj().T @ g[0])

    def sigma(a: int, b: int) -> np.ndarray:
        return np.asarray(0.5j * (g[a] @ g[b] - g[b] @ g[a]))

    p_n = slash(np.array([m_n, 0, 0, 0])) + m_n * np.eye(4)
    dip = [2 * d * sum(sigma(mu, nu) * q_low[mu] for mu in range(4)) @ p_l for nu in range(4)]
    vec = [coupling * g[nu] @ p_l for nu in range(4)]
    sum_dip = sum_vec = 0.0
    for nu in range(4):
        for rho in range(4):
            transverse = -eta[nu, rho] + (q_low[nu] * q_low[rho] / q2 if q2 > 0 else 0.0)
            sum_dip += -eta[nu, rho] * np.trace(slash(k) @ dip[nu] @ p_n @ bar(dip[rho])).real
            sum_vec += transverse * np.trace(slash(k) @ vec[nu] @ p_n @ bar(vec[rho])).real
    phase = ps / (8 * math.pi * m_n**2) / 2  # |p|/(8πM²), average over the N spin
    assert width_n_to_nu_vector_dipole(m_n, math.sqrt(q2), d) == pytest.approx(phase * sum_dip, rel=1e-9)
    if q2 > 0:
        assert width_n_to_nu_vector(m_n, math.sqrt(q2), coupling) == pytest.approx(phase * sum_vec, rel=1e-9)


def test_bad_model_inputs_raise() -> None:
    with pytest.raises(ConfigError, match="zprime or dipole"):
        DarkNeutrino(0.1)
    with pytest.raises(UnknownNameError):
        DarkNeutrino(0.1, dipole=DIPOLE, flavour="sterile")
    with pytest.raises(ConfigError, match="m_n"):
        DarkNeutrino(-0.1, dipole=DIPOLE)


# ------------------------------------------------------------------------------------------------ events
def _check_conservation(batch, tol: float = 1e-9) -> None:  # type: ignore[no-untyped-def]
    """Σ p(in) = Σ p(out) at the upscattering vertex and at every decay vertex, event by event."""
    ev = batch.event_index
    row_in_event = np.arange(len(ev)) - batch.offsets[ev]
    first = batch.offsets[:-1]
    n_ev = len(batch)
    # vertex 1: rows 0 (ν) + 1 (target) → 2 (N) + 3 (recoil)
    lhs = batch.momentum[first] + batch.momentum[first + 1]
    rhs = batch.momentum[first + 2] + batch.momentum[first + 3]
    scale = np.max(np.abs(lhs), axis=1, keepdims=True)
    assert np.all(np.abs(lhs - rhs) <= tol * scale)
    # each decayed particle: its momentum = Σ daughters
    decayed = np.flatnonzero(batch.status == STATUS_DECAYED)
    sums = np.zeros((len(batch.pdg), 4))
    has_parent = batch.parent >= 0
    mother_row = np.where(has_parent, batch.offsets[ev] + batch.parent, -1)
    np.add.at(sums, mother_row[has_parent], batch.momentum[has_parent])
    d = decayed[row_in_event[decayed] > 0]  # decayed rows other than the ν (N, Z′)
    scale = np.max(np.abs(batch.momentum[d]), axis=1, keepdims=True)
    assert np.all(np.abs(sums[d] - batch.momentum[d]) <= tol * scale)
    assert n_ev > 0


def test_light_zprime_events_conserve_four_momentum_at_both_vertices() -> None:
    rng = np.random.default_rng(3)
    batch = generate_upscatter_decay(spectrum(), "miniboone", light_zprime(), 1e21, 3000, rng)
    assert len(batch) == 3000
    _check_conservation(batch)
    # N (status 2) and Z′ (status 2) are on shell; the e± come from the Z′ at the N decay point
    masses = batch.mass
    assert np.allclose(masses[batch.pdg == 9900012], 0.42, rtol=1e-7)
    assert np.allclose(masses[batch.pdg == 9900022], 0.03, rtol=1e-6)
    assert set(np.unique(batch.status)) == {STATUS_INCOMING, STATUS_DECAYED, STATUS_FINAL}
    assert np.all(batch.weight > 0)


def test_offshell_and_dipole_channels_conserve_momentum() -> None:
    rng = np.random.default_rng(4)
    heavy = DarkNeutrino(0.42, zprime=ZPrimePortal(1.25, 1e-3, 1.0, -1e-3, 0.0), dipole=DIPOLE)
    for chans in (["nu e+e- (Z'*)", "nu mu+mu- (Z'*)"], ["nu gamma", "nu e+e- (gamma*)"]):
        batch = generate_upscatter_decay(spectrum(), "microboone", heavy, 1e21, 2000, rng, channels=chans)
        _check_conservation(batch, tol=1e-8)
        ll = batch.status == STATUS_FINAL
        assert np.all(batch.mass[ll & (np.abs(batch.pdg) == 11)] == pytest.approx(M_E, rel=1e-5))


def test_decay_distance_is_exponential_in_lab_decay_length() -> None:
    rng = np.random.default_rng(5)
    model = dipole_model()
    batch = generate_upscatter_decay(spectrum(), "miniboone", model, 1e21, 20000, rng, force_inside=False)
    first = batch.offsets[:-1]
    n_row = first + 2
    p_n = batch.momentum[n_row]
    lam = np.linalg.norm(p_n[:, :3], axis=1) / 0.1 * model.ctau()
    s = np.linalg.norm(batch.vertex[first + 4] - batch.vertex[n_row], axis=1)
    ratio = s / lam
    # mean 1 and P(s/λ > 1) = e⁻¹ for the exponential; 20000 events: σ(mean) = 0.7 %
    assert np.mean(ratio) == pytest.approx(1.0, abs=0.03)
    assert np.mean(ratio > 1.0) == pytest.approx(math.exp(-1), abs=0.015)
    # decay time = production time + s/(βc)
    beta = np.linalg.norm(p_n[:, :3], axis=1) / p_n[:, 3]
    assert np.allclose(batch.time[first + 4] - batch.time[n_row], s / (beta * 29.9792458), rtol=1e-9)


def test_forced_decays_are_inside_and_weighted() -> None:
    rng = np.random.default_rng(6)
    batch = generate_upscatter_decay(spectrum(), "miniboone", dipole_model(), 1e21, 4000, rng)
    tank = detectors.get("miniboone").place("bnb").active  # 6.1 m sphere, 541 m down the BNB (catalogue)
    first = batch.offsets[:-1]
    assert np.all(tank.contains(batch.vertex[first]))
    assert np.all(tank.contains(batch.vertex[first + 4] * (1 - 1e-12) + 1e-12 * batch.vertex[first]))


def _p_inside_sphere(lam: np.ndarray, radius: float) -> np.ndarray:
    """P(decay inside) for a uniform start point in a ball and any fixed direction (independent of it):
    (1/V) ∫ 2πb [ℓ − λ(1 − e^{−ℓ/λ})] db, ℓ = 2√(R² − b²) (Gauss-Legendre in b)."""
    x, w = np.polynomial.legendre.leggauss(200)
    b = 0.5 * radius * (x + 1)
    chord = 2 * np.sqrt(radius**2 - b**2)
    lam = np.asarray(lam)[..., None]
    inner = chord - lam * -np.expm1(-chord / lam)
    return np.asarray(np.sum(0.5 * radius * w * 2 * np.pi * b * inner, axis=-1) / (4 / 3 * np.pi * radius**3))


def test_total_weight_equals_independent_grid_integral_for_long_lived_n() -> None:
    """Σ w = POT Σ_T N_T ∫dE Φ(E) ∫dQ² dσ/dQ² P_in(λ(E, Q²)) (dipole benchmark, cτ ≈ 10 m, tank R = 6.1 m)."""
    rng = np.random.default_rng(7)
    model = dipole_model()
    flux = spectrum()
    pot = 1e21
    batch = generate_upscatter_decay(flux, "miniboone", model, pot, 40000, rng)
    w = batch.weight
    rel_err = math.sqrt(float(np.sum(w * w))) / float(np.sum(w))
    # independent calculation: CH2 at 0.845 g/cm³ (catalogue), 14.027 g/mol, sphere R = 610 cm
    molecules = 0.845 * 6.02214076e23 / 14.027 * 4 / 3 * math.pi * 610.0**3
    c12 = nucleus("C12")
    tgts = [(target("C12", "coherent"), molecules), (target("C12", "p-el"), molecules)]
    from darkbeam.interactions.upscattering import Target

    tgts.append((Target(type(c12)("H1", 1, 1, M_PROTON), "p-el"), 2 * molecules))
    xe, we = np.polynomial.legendre.leggauss(16)
    xq, wq = np.polynomial.legendre.leggauss(64)
    m_n, ctau = 0.1, model.ctau()
    expected = 0.0
    for tgt, count in tgts:
        for lo, hi, content in zip(flux.edges[:-1], flux.edges[1:], flux.content, strict=True):
            e = 0.5 * (hi - lo) * (xe + 1) + lo
            ok = e > m_n + m_n**2 / (2 * tgt.mass) + 1e-9
            if not ok.any():
                continue
            e = e[ok]
            qmin, qmax = q2_range(e, m_n, tgt.mass)
            lq = np.log(qmin)[:, None] + 0.5 * np.log(qmax / qmin)[:, None] * (xq + 1)[None, :]
            q2 = np.exp(lq)
            dsig = dsigma_dq2(e[:, None], q2, m_n, tgt, model.dipole)  # type: ignore[arg-type]
            e_n = e[:, None] - q2 / (2 * tgt.mass)
            lam = np.sqrt(e_n**2 - m_n**2) / m_n * ctau
            inner = np.sum(dsig * q2 * _p_inside_sphere(lam, 610.0) * wq, axis=1) * 0.5 * np.log(qmax / qmin)
            expected += count * content / (hi - lo) * 0.5 * (hi - lo) * float(np.sum(we[ok] * inner))
    expected *= pot
    ratio = float(np.sum(w)) / expected
    print(f"sum w = {np.sum(w):.5g}, grid = {expected:.5g}, ratio = {ratio:.5f}, rel_err = {rel_err:.4f}")
    assert 0.02 < np.mean(_p_inside_sphere(np.array([1e4]), 610.0)) < 0.1  # long-lived regime (P_in ~ 5 %)
    assert rel_err < 0.01
    assert ratio == pytest.approx(1.0, abs=4 * rel_err + 0.003)


def test_expected_count_scales_with_pot_and_channel_selection() -> None:
    model = DarkNeutrino(0.1, dipole=DIPOLE)
    a = generate_upscatter_decay(spectrum(), "miniboone", model, 1e20, 2000, np.random.default_rng(8))
    b = generate_upscatter_decay(spectrum(), "miniboone", model, 2e20, 2000, np.random.default_rng(8))
    assert b.expected_events == pytest.approx(2 * a.expected_events, rel=1e-12)
    c = generate_upscatter_decay(
        spectrum(), "miniboone", model, 1e20, 2000, np.random.default_rng(8), channels=["nu gamma"]
    )
    br = model.branching_ratios()["nu gamma"]
    # same seed, but the decays of the first target consume the stream differently: statistical agreement only
    rel = math.sqrt(float(np.sum(a.weight**2))) / a.expected_events
    assert c.expected_events == pytest.approx(br * a.expected_events, rel=4 * rel)
    with pytest.raises(UnknownNameError):
        generate_upscatter_decay(spectrum(), "miniboone", model, 1e20, 10, np.random.default_rng(1), channels=["x"])


def test_hepmc3_roundtrip_has_two_vertices(tmp_path: Path) -> None:
    rng = np.random.default_rng(9)
    batch = generate_upscatter_decay(spectrum(), "miniboone", dipole_model(), 1e21, 200, rng, channels=["nu gamma"])
    path = tmp_path / "ups.hepmc3"
    assert write_events(batch, path) == 200
    n_events = 0
    with pyhepmc.open(str(path)) as f:
        for event in f:
            n_events += 1
            assert len(event.vertices) == 2
            positions = sorted((v.position.z, v.position.t) for v in event.vertices)
            assert positions[0] != positions[1]
            assert sorted(p.status for p in event.particles) == [1, 1, 1, 2, 4, 4]
    assert n_events == 200
    back = read_events(path)
    assert np.allclose(back.weight, batch.weight, rtol=1e-15)
    assert np.allclose(back.vertex, batch.vertex, rtol=1e-12, atol=1e-9)
    assert np.allclose(back.time, batch.time, rtol=1e-12)


# ------------------------------------------------------------------------------------------------ flux inputs
def test_flux_table_and_samples(tmp_path: Path) -> None:
    e = np.linspace(0.025, 4.975, 100)
    phi = 1e-9 * np.exp(-e)  # per GeV
    path = tmp_path / "flux.txt"
    np.savetxt(path, np.column_stack([e, phi]), header="E [GeV]  flux [nu/cm2/POT/GeV]")
    spec = NeutrinoSpectrum.from_table(path)
    assert spec.total == pytest.approx(1e-9 * (math.exp(0) - math.exp(-5.0)), rel=2e-3)
    samples = spec.sample(50000, np.random.default_rng(1))
    assert np.mean(samples) == pytest.approx(1 - 5 * math.exp(-5) / (1 - math.exp(-5)), rel=0.02)
    from_samples = NeutrinoSpectrum.from_samples(samples, np.full(samples.size, spec.total / samples.size))
    assert from_samples.total == pytest.approx(spec.total, rel=1e-12)
    cut = spec.above(1.0)
    assert cut.total == pytest.approx(1e-9 * (math.exp(-1) - math.exp(-5.0)), rel=3e-3)
    with pytest.raises(ConfigError):
        NeutrinoSpectrum.from_table(tmp_path / "missing.txt")
    # table path accepted directly by the generator
    batch = generate_upscatter_decay(str(path), "miniboone", dipole_model(), 1e20, 500, np.random.default_rng(2))
    assert len(batch) == 500


def test_darkbeam_flux_dict_is_accepted() -> None:
    edges = [0.0, 0.5, 1.0, 2.0]
    result = {"numu": {"energy_bins_gev": edges, "flux_per_pot_cm2": [1e-10, 2e-10, 1e-10]}}
    spec = NeutrinoSpectrum.from_darkbeam(result)
    assert spec.total == pytest.approx(4e-10)
    with pytest.raises(UnknownNameError):
        NeutrinoSpectrum.from_darkbeam(result, "nutau")
    batch = generate_upscatter_decay(result, "microboone", dipole_model(), 1e20, 300, np.random.default_rng(3))
    assert len(batch) == 300
    assert batch.expected_events > 0


def test_detector_targets() -> None:
    ch2 = detector_targets("CH2", 0.845)
    assert [(t.target.nucleus.name, t.target.regime) for t in ch2] == [
        ("C12", "coherent"),
        ("C12", "p-el"),
        ("H1", "p-el"),
    ]
    assert ch2[2].nuclei_per_cm3 == pytest.approx(2 * ch2[0].nuclei_per_cm3)
    assert ch2[0].nuclei_per_cm3 == pytest.approx(3.628e22, rel=1e-3)
    with pytest.raises(UnknownNameError):
        detector_targets("CsI", 4.5)


@settings(max_examples=15, deadline=None)
@given(m_n=st.floats(0.02, 2.0), ratio=st.floats(0.05, 3.0))
def test_widths_positive_and_consistent(m_n: float, ratio: float) -> None:
    model = DarkNeutrino(m_n, zprime=ZPrimePortal(ratio * m_n, 1e-3, 1.0, -1e-3, 0.0), dipole=DIPOLE)
    widths = model.partial_widths()
    assert widths
    assert all(w > 0 for w in widths.values())
    assert model.total_width() >= max(widths.values())
    assert math.isfinite(model.ctau())
    assert model.ctau() > 0


# ------------------------------------------------------------------------------------------------ run-card section
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize(
    ("card", "portal_channel", "pot"),
    [
        ("miniboone_dark_neutrino.toml", "nu e+e- (Z')", 18.75e20),
        ("microboone_dark_neutrino.toml", "nu e+e- (Z')", 6.8e20),
        ("miniboone_dipole.toml", "nu gamma", 18.75e20),
    ],
)
def test_example_cards_validate(card: str, portal_channel: str, pot: float) -> None:
    import tomllib

    from darkbeam.interactions.upscatter_decay import UpscatteringSection

    raw = tomllib.loads((EXAMPLES / card).read_text())
    section = UpscatteringSection.model_validate(raw["upscattering"])
    assert section.pot == pot
    assert portal_channel in section.model().partial_widths()


def test_card_section_generates_with_darkbeam_flux() -> None:
    import tomllib

    from darkbeam.interactions.upscatter_decay import UpscatteringSection

    raw = tomllib.loads((EXAMPLES / "miniboone_dipole.toml").read_text())
    raw["upscattering"]["n_events"] = 300
    raw["upscattering"]["flux"]["n"] = 2000
    section = UpscatteringSection.model_validate(raw["upscattering"])
    batch = section.generate(seed=1)
    assert len(batch) == 300
    assert batch.expected_events > 0
    with pytest.raises(ValueError, match="extra"):
        UpscatteringSection.model_validate({**raw["upscattering"], "detectr": "x"})
    bad = UpscatteringSection.model_validate({**raw["upscattering"], "dipole": {"d_gev_inv": 1e-7, "mu_tr": 1e-6}})
    with pytest.raises(ConfigError, match="exactly one"):
        bad.model()

"""HNL three-body matrix elements (issue 4: final-state kinematics from the full matrix elements).

The normalisation of every |M|² is physical (PDG RPP 2024 Eq. 49.22: dΓ = |M|² dm12² dm23²/(256π³M³)), so its
Dalitz integral must reproduce the closed-form widths of darkbeam.models.hnl ([BBGR] arXiv:1805.08567 Sec. 3.1 for
the leptonic decays, Sec. 2.1.1 / App. C for semileptonic production, Sec. 2.2 for μ decay). The widths are
independent expressions (phase-space function I(x, y, z), the C1/C2 bracket with L(x), helicity amplitudes
integrated over the lepton angles), so agreement at 0.5 % tests the matrix elements. Sampled distributions are
compared with the analytic projections (χ² with fixed seeds) and must differ from flat phase space.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import darkbeam as db
from darkbeam import pdg
from darkbeam.kinematics import invariant_mass, three_body_decay
from darkbeam.models import hnl as H
from darkbeam.models.hnl_matrix_elements import (
    dalitz_projection,
    dalitz_width,
    hnl_decay_matrix_element,
    hnl_production_matrix_element,
)
from darkbeam.units import V_UD

M_E, M_MU, M_TAU = pdg.mass(11), pdg.mass(13), pdg.mass(15)
RTOL = 5e-3  # brief: integrated |M|² = width to 0.5 %


def _decay_reference(m: float, daughters: tuple[int, int, int]) -> float:
    """Closed-form Dirac width per unit mixing of the decay row with these daughters (darkbeam.models.hnl)."""
    a = [abs(d) for d in daughters]
    if a == [14, 14, 14]:
        return float(H.width_n_to_3nu(m))
    if a[0] in (12, 14, 16) and a[1] in (11, 13, 15):
        return float(H.width_n_to_nu_lepton_lepton(m, pdg.mass(a[1]), a[0] == a[1] + 1))
    if a[0] in (11, 13, 15) and a[1] in (11, 13, 15):
        return float(H.width_n_to_lepton_lepton_nu(m, pdg.mass(a[0]), pdg.mass(a[1])))
    if a[1:] == [2, 1]:
        return float(H.width_n_to_lepton_up_down(m, pdg.mass(a[0]), pdg.mass(2), pdg.mass(1), V_UD))
    if a[1] in (1, 2):
        return float(H.width_n_to_nu_quark_quark(m, pdg.mass(a[1]), a[1] == 2))
    if a[1:] == [211, 211]:
        return float(H.width_n_to_nu_two_pions(m))
    return float(H.width_n_to_lepton_two_pions(m, pdg.mass(a[0])))


LEPTONIC = [
    (14, -14, 14),  # N → 3ν (summed over flavours)
    (12, -11, 11),  # ν_e e⁺e⁻: W + Z + interference
    (14, -11, 11),  # ν_μ e⁺e⁻: Z only
    (14, -13, 13),  # ν_μ μ⁺μ⁻: W + Z, massive
    (16, -13, 13),  # ν_τ μ⁺μ⁻: Z only, massive
    (12, -13, 13),
    (13, -11, 12),  # μ⁻ e⁺ ν_e: W only
    (11, -13, 14),  # e⁻ μ⁺ ν_μ
    (15, -13, 14),  # τ⁻ μ⁺ ν_μ
    (16, -15, 15),
]


@pytest.mark.parametrize("mass", [0.02, 0.25, 0.9, 2.2, 4.5])
@pytest.mark.parametrize("daughters", LEPTONIC)
def test_leptonic_decay_matrix_elements_integrate_to_widths(mass: float, daughters: tuple[int, int, int]) -> None:
    me = hnl_decay_matrix_element(mass, daughters, False)
    if me is None:
        assert mass <= sum(pdg.mass(abs(d)) for d in daughters)
        return
    width = dalitz_width(me.function, mass, me.masses)
    assert width == pytest.approx(_decay_reference(mass, daughters), rel=RTOL)
    majorana = hnl_decay_matrix_element(mass, daughters, True)
    assert majorana is not None
    neutral = abs(daughters[0]) in (12, 14, 16)  # neutral key: ν and ν̄ final states, 2 × the Dirac width
    factor = 2.0 if neutral else 1.0
    assert dalitz_width(majorana.function, mass, me.masses) == pytest.approx(factor * width, rel=1e-9)


@pytest.mark.parametrize(
    ("mass", "daughters"),
    [
        (1.5, (14, 2, -2)),  # ν u ū, N_c = 3 (QCD factor rescales the rate only)
        (3.0, (14, 1, -1)),
        (2.0, (13, 2, -1)),  # μ⁻ u d̄
        (0.6, (14, 211, -211)),  # ν ρ⁰ → π⁺π⁻ with the pion form factor
        (1.2, (14, 211, -211)),
        (0.8, (13, 211, 111)),  # μ⁻ π⁺ π⁰
        (1.4, (11, 211, 111)),
        # high masses: the width quadrature must resolve the ρ peak (a single 64-node rule was 1.0-1.7 % off here)
        (2.5, (14, 211, -211)),
        (4.0, (14, 211, -211)),
        (4.0, (13, 211, 111)),
    ],
)
def test_hadronic_decay_matrix_elements_integrate_to_widths(mass: float, daughters: tuple[int, int, int]) -> None:
    me = hnl_decay_matrix_element(mass, daughters, False)
    assert me is not None
    assert dalitz_width(me.function, mass, me.masses) == pytest.approx(_decay_reference(mass, daughters), rel=RTOL)


def test_model_keys_map_to_the_right_matrix_element() -> None:
    """Every open leptonic three-body key of an HNL with all three mixings: mixing × ∫|M|² = partial width
    (Dirac and Majorana; catches a matrix element attached to the wrong key or daughter order)."""
    for majorana in (False, True):
        model = db.models.HNL(2.0, ue2=1e-6, umu2=3e-6, utau2=2e-6, majorana=majorana)
        widths = model.partial_widths()
        checked = 0
        for key, channel in model.decay_channels().items():
            if len(channel.daughters) != 3 or any(abs(d) < 10 or abs(d) > 100 for d in channel.daughters):
                continue  # quark and meson keys carry QCD factors / are tested above
            me = model.decay_matrix_element(key)
            assert me is not None, key
            spec = next(s for s in H.DECAY_TABLE if key in (s.name, (s.conjugate or ("",))[0]))
            mixing = model._mixing(spec.mixing)
            integral = mixing * dalitz_width(me.function, model.mass, me.masses)
            assert integral == pytest.approx(widths[key], rel=RTOL), key
            checked += 1
        assert checked >= 12
    assert model.decay_matrix_element("mu- pi+") is None  # two-body
    assert model.decay_matrix_element("no such key") is None


def test_production_matrix_elements_integrate_to_table_widths() -> None:
    """Every three-body production row with a matrix element: ∫|M|² = the table's width (same form factors), at
    10 % and 70 % of its threshold. The listed semileptonic and μ channels must have one."""
    covered = set()
    for spec in H.PRODUCTION_TABLE:
        if len(spec.companions) != 2:
            continue
        for fraction in (0.1, 0.7):
            mass = fraction * spec.threshold
            me = hnl_production_matrix_element(mass, spec.parent, spec.companions)
            if me is None:
                break
            outer = "13" if spec.parent != pdg.MUON else "23"
            width = dalitz_width(me.function, me.parent_mass, me.masses, outer=outer)
            assert width == pytest.approx(float(spec.width(mass)), rel=RTOL), spec.name
            covered.add(spec.name)
    for name in (
        "K+ -> pi0 mu+ N",
        "K_L0 -> pi- e+ N",
        "K_L0 -> pi+ mu- N",
        "D0 -> K- e+ N",
        "D+ -> anti-K0 mu+ N",
        "D0 -> pi- e+ N",
        "B+ -> anti-D0 tau+ N",
        "B0 -> pi- mu+ N",
        "D0 -> K*- mu+ N",
        "D+ -> anti-K*0 e+ N",
        "B0 -> D*- tau+ N",
        "B_s0 -> D_s*- mu+ N",
        "B+ -> rho0 e+ N",
        "D_s+ -> eta e+ N",
        "D+ -> eta' mu+ N",
        "D_s+ -> phi mu+ N",
        "D0 -> rho- e+ N",
        "D+ -> rho0 mu+ N",
        "D+ -> omega e+ N",
        "mu- -> e- nubar_e N",
        "mu- -> nu_mu e- N",
    ):
        assert name in covered, name


@settings(max_examples=15, deadline=None)
@given(
    mass=st.floats(0.01, 0.35),
    flavour=st.sampled_from([(pdg.K_PLUS, (pdg.PI0, -11)), (pdg.K_PLUS, (pdg.PI0, -13)), (411, (-313, -13))]),
)
def test_matrix_elements_positive_and_below_maximum(mass: float, flavour: tuple[int, tuple[int, int]]) -> None:
    """|M|² ≥ 0 over the Dalitz region and below the cached accept–reject maximum (random points)."""
    parent, companions = flavour
    me = hnl_production_matrix_element(mass, parent, companions)
    if me is None:
        return
    rng = np.random.default_rng(0)
    parents = np.tile([0.0, 0.0, 0.0, me.parent_mass], (4000, 1))
    n, x, lep = three_body_decay(parents, me.masses, rng)  # flat: uniform over the Dalitz plane
    values = me(invariant_mass(n + x) ** 2, invariant_mass(x + lep) ** 2)
    assert np.all(values >= 0.0)
    assert np.max(values) <= me.maximum


def _chi2(sample: np.ndarray, edges: np.ndarray, density: object) -> float:
    """χ² of a histogram against ∫ density over each bin (5-point Gauss–Legendre), normalised to the sample size."""
    nodes, weights = np.polynomial.legendre.leggauss(5)
    mid, half = 0.5 * (edges[1:] + edges[:-1]), 0.5 * np.diff(edges)
    points = mid[:, None] + half[:, None] * nodes
    expected = np.sum(density(points.ravel()).reshape(points.shape) * weights, axis=1) * half  # type: ignore[operator]
    expected *= len(sample) / expected.sum()
    observed, _ = np.histogram(sample, edges)
    return float(np.sum((observed - expected) ** 2 / expected))


def _at_rest(mass: float, n: int) -> np.ndarray:
    return np.tile([0.0, 0.0, 0.0, mass], (n, 1))


N_SAMPLE = 20_000
BINS = 20
CHI2_MAX = (BINS - 1) + 5 * math.sqrt(2 * (BINS - 1))  # ≈ 50: a > 5σ excess fails


def test_ee_invariant_mass_follows_matrix_element_not_flat() -> None:
    """N → ν_e e⁺e⁻ (W + Z, Dirac, m_N = 0.1 GeV): the m_ee² spectrum of the sampled events follows dΓ/dm_ee², the
    mean m_ee matches the analytic one (4σ), and flat phase space fails both."""
    mass, daughters = 0.1, (12, -11, 11)
    me = hnl_decay_matrix_element(mass, daughters, False)
    assert me is not None
    lo, hi = (2 * M_E) ** 2, mass**2
    edges = np.linspace(lo, hi, BINS + 1)

    def density(s: np.ndarray) -> np.ndarray:
        return dalitz_projection(me.function, mass, me.masses, "23", s)

    rng = np.random.default_rng(11)
    _, ep, em = three_body_decay(_at_rest(mass, N_SAMPLE), me.masses, rng, me, me.maximum)
    _, fp, fm = three_body_decay(_at_rest(mass, N_SAMPLE), me.masses, rng)
    s_me, s_flat = invariant_mass(ep + em) ** 2, invariant_mass(fp + fm) ** 2
    assert _chi2(s_me, edges, density) < CHI2_MAX
    assert _chi2(s_flat, edges, density) > 10 * CHI2_MAX
    # analytic ⟨m_ee⟩ = ∫ √s dΓ/ds ds / Γ
    s = np.linspace(lo, hi, 4001)[1:-1]
    w = density(s)
    mean = float(np.sum(np.sqrt(s) * w) / np.sum(w))
    sampled = np.sqrt(s_me)
    error = sampled.std() / math.sqrt(N_SAMPLE)
    assert sampled.mean() == pytest.approx(mean, abs=4 * error)
    assert abs(np.sqrt(s_flat).mean() - mean) > 10 * error


def test_kaon_lepton_energy_spectrum_follows_matrix_element() -> None:
    """K⁺ → π⁰ μ⁺ N (m_N = 0.15 GeV, K rest frame): E_μ = (m_K² + m_μ² − m12²)/(2m_K) with m12 the N π⁰ mass; χ² of
    the E_μ histogram against dΓ/dm12²; flat phase space fails."""
    mass = 0.15
    me = hnl_production_matrix_element(mass, pdg.K_PLUS, (pdg.PI0, -13))
    assert me is not None
    big = me.parent_mass
    lo, hi = (mass + me.masses[1]) ** 2, (big - M_MU) ** 2
    edges = np.linspace(lo, hi, BINS + 1)

    def density(s: np.ndarray) -> np.ndarray:
        return dalitz_projection(me.function, big, me.masses, "12", s)

    rng = np.random.default_rng(12)
    n = 2 * N_SAMPLE
    _, _, mu = three_body_decay(_at_rest(big, n), me.masses, rng, me, me.maximum)
    _, _, mu_flat = three_body_decay(_at_rest(big, n), me.masses, rng)

    def to_s12(energy: np.ndarray) -> np.ndarray:
        return np.asarray(big**2 + M_MU**2 - 2 * big * energy)

    assert _chi2(to_s12(mu[:, 3]), edges, density) < CHI2_MAX
    assert _chi2(to_s12(mu_flat[:, 3]), edges, density) > 4 * CHI2_MAX
    assert abs(mu[:, 3].mean() - mu_flat[:, 3].mean()) > 5 * mu[:, 3].std() / math.sqrt(n)  # softer μ⁺ (≈ 9σ here)


def test_rho_peak_in_two_pion_mass() -> None:
    """N → μ⁻ π⁺ π⁰ (m_N = 1.2 GeV): the ππ mass follows the ρ line shape of the pion form factor (χ²) and peaks
    at m_ρ; flat phase space does not."""
    mass = 1.2
    me = hnl_decay_matrix_element(mass, (13, 211, 111), False)
    assert me is not None
    lo, hi = (me.masses[1] + me.masses[2]) ** 2, (mass - M_MU) ** 2
    edges = np.linspace(lo, hi, BINS + 1)

    def density(s: np.ndarray) -> np.ndarray:
        return dalitz_projection(me.function, mass, me.masses, "23", s)

    rng = np.random.default_rng(13)
    _, pp, p0 = three_body_decay(_at_rest(mass, N_SAMPLE), me.masses, rng, me, me.maximum)
    s = invariant_mass(pp + p0) ** 2
    assert _chi2(s, edges, density) < CHI2_MAX
    counts, _ = np.histogram(np.sqrt(s), np.linspace(0.28, 1.09, 28))
    assert abs(0.28 + 0.03 * (np.argmax(counts) + 0.5) - 0.775) < 0.05
    _, fp, f0 = three_body_decay(_at_rest(mass, N_SAMPLE), me.masses, rng)
    assert _chi2(invariant_mass(fp + f0) ** 2, edges, density) > 10 * CHI2_MAX


@pytest.mark.parametrize(
    ("parent", "companions", "hard"),
    [
        (421, (-323, -11), "N"),  # c → s ℓ⁺ ν: the ν (here N) of the left-handed W* goes forward
        (521, (-423, -11), "lepton"),  # b̄ → c̄ ℓ⁺ ν: the CP image, ℓ⁺ forward
    ],
)
def test_vector_meson_channels_helicity(parent: int, companions: tuple[int, int], hard: str) -> None:
    """P → V ℓ⁺ N at m_N = 1 MeV: the parity-odd term (H₋² − H₊²) makes N harder than ℓ⁺ in D → K̄* and ℓ⁺ harder
    in B⁺ → D̄*⁰ (free-quark limit: |M|² ∝ (p_c·p_ℓ⁺)(p_s·p_ν) resp. (p_b̄·p_ν)(p_c̄·p_ℓ⁺), the muon-decay form with
    the hard particle paired with the light quark); sampled means agree with the Dalitz integrals (4σ)."""
    me = hnl_production_matrix_element(0.001, parent, companions)
    assert me is not None
    big = me.parent_mass
    rng = np.random.default_rng(14)
    n, _, lep = three_body_decay(_at_rest(big, N_SAMPLE), me.masses, rng, me, me.maximum)
    gap = n[:, 3].mean() - lep[:, 3].mean()
    error = math.hypot(n[:, 3].std(), lep[:, 3].std()) / math.sqrt(N_SAMPLE)
    assert (gap > 10 * error) if hard == "N" else (gap < -10 * error)
    # analytic means: E_N = (M² + m_N² − m23²)/(2M), E_ℓ = (M² + m_ℓ² − m12²)/(2M)
    for outer, sampled, m_d in (("23", n, me.masses[0]), ("12", lep, me.masses[2])):
        lo, hi = (
            ((me.masses[1] + me.masses[2]) ** 2, (big - me.masses[0]) ** 2)
            if outer == "23"
            else ((me.masses[0] + me.masses[1]) ** 2, (big - me.masses[2]) ** 2)
        )
        s = np.linspace(lo, hi, 4001)[1:-1]
        w = dalitz_projection(me.function, big, me.masses, outer, s)
        mean = float(np.sum((big**2 + m_d**2 - s) / (2 * big) * w) / np.sum(w))
        assert sampled[:, 3].mean() == pytest.approx(mean, abs=4 * sampled[:, 3].std() / math.sqrt(N_SAMPLE))


def test_dirac_and_majorana_lepton_spectra() -> None:
    """N → ν_α e⁺e⁻: for a Dirac N, g_L² (p·p_e⁺)(p_ν·p_e⁻) dominates (|g_L| > g_R), so e⁻ is harder than e⁺
    (strongly for α = e, g_L = ½ + s_W², weakly for Z only, g_L = −½ + s_W²); a Majorana key (ν and ν̄ final
    states) is symmetric in e⁺ ↔ e⁻ (analytic Dalitz means)."""
    mass = 0.5

    def mean_energies(majorana: bool, daughters: tuple[int, int, int] = (12, -11, 11)) -> tuple[float, float]:
        me = hnl_decay_matrix_element(mass, daughters, majorana)
        assert me is not None
        out = []
        for outer in ("12", "13"):  # E_3 from m12², E_2 from m13²
            lo, hi = (2 * M_E if outer == "13" else M_E) ** 2, (mass - M_E) ** 2
            s = np.linspace(lo, hi, 4001)[1:-1]
            w = dalitz_projection(me.function, mass, me.masses, outer, s)
            out.append(float(np.sum((mass**2 + M_E**2 - s) / (2 * mass) * w) / np.sum(w)))
        e_minus, e_plus = out
        return e_plus, e_minus

    e_plus, e_minus = mean_energies(False)
    assert e_minus > 1.1 * e_plus  # pure V − A (muon decay) would give 0.7/0.6 = 1.17
    e_plus, e_minus = mean_energies(False, (14, -11, 11))
    assert 1.01 * e_plus < e_minus < 1.1 * e_plus
    e_plus, e_minus = mean_energies(True)
    assert e_plus == pytest.approx(e_minus, rel=1e-4)  # two quadratures of the same number


def test_generated_events_conserve_momentum_and_follow_the_decay_matrix_element() -> None:
    """Through the pipeline: K⁺ → e⁺ N at rest, N → ν_e e⁺e⁻ forced in a detector (interactions.decay): events
    conserve four-momentum at the N vertex, daughters are on shell, and m_ee² follows dΓ/dm_ee² (χ²)."""
    from darkbeam.geometry import Box
    from darkbeam.interactions import decay_events
    from darkbeam.pipeline import DETECTOR, with_detector
    from darkbeam.production import DecayAtRestSource, produce

    mass = 0.2
    model = db.models.HNL(mass, ue2=1e-6, majorana=False)
    box = Box(half_lengths=(100.0, 100.0, 100.0), center=(0.0, 0.0, 5000.0))
    rng = np.random.default_rng(15)
    parents = DecayAtRestSource(321, 0.1, center=np.zeros(3)).sample(N_SAMPLE, rng)
    flux = produce(model, parents, rng, aim=box.bounding_sphere())
    events = decay_events(with_detector(flux, box), model, DETECTOR, ["nu_e e+ e-"], 1e20, rng)
    events = events.select(events.n_particles == 6)  # K⁺ → e⁺ N (aimed; K⁺ → π⁰ e⁺ N events have no companion)
    k = 6  # K⁺, N, e⁺ (companion), ν_e, e⁺, e⁻
    p4 = events.momentum.reshape(-1, k, 4)
    ids = events.pdg.reshape(-1, k)
    assert len(p4) > 5000
    assert np.all(ids[:, 3:] == [12, -11, 11])
    np.testing.assert_allclose(p4[:, 3:].sum(axis=1), p4[:, 1], rtol=0, atol=1e-9 * np.max(p4[:, 1, 3]))
    np.testing.assert_allclose(invariant_mass(p4[:, 4]), M_E, rtol=1e-5)
    np.testing.assert_allclose(invariant_mass(p4[:, 1]), mass, rtol=1e-9)
    me = model.decay_matrix_element("nu_e e+ e-")
    assert me is not None
    edges = np.linspace((2 * M_E) ** 2, mass**2, BINS + 1)
    s = invariant_mass(p4[:, 4] + p4[:, 5]) ** 2

    def density(x: np.ndarray) -> np.ndarray:
        return dalitz_projection(me.function, mass, me.masses, "23", x)

    assert _chi2(s, edges, density) < CHI2_MAX


def test_flux_layer_uses_production_matrix_element() -> None:
    """production.dark: K⁺ → π⁰ μ⁺ N rows of the flux follow the matrix element's N energy spectrum (K at rest:
    E_N = (m_K² + m_N² − m23²)/(2m_K)), and the maximum is cached per (mass, channel)."""
    from darkbeam.production import DecayAtRestSource, produce

    mass = 0.15
    model = db.models.HNL(mass, umu2=1e-6)
    rng = np.random.default_rng(16)
    parents = DecayAtRestSource(321, 0.1, center=np.zeros(3)).sample(N_SAMPLE, rng)
    flux = produce(model, parents, rng)
    names = [c.name for c, _, _ in model.production_for(321)]
    k = names.index("K+ -> pi0 mu+ N")
    energy = flux.momentum[k * N_SAMPLE : (k + 1) * N_SAMPLE, 3]
    channel = model.production_for(321)[k][0]
    me = model.production_matrix_element(channel)
    assert me is not None
    assert db.models.HNL(mass, umu2=3e-6).production_matrix_element(channel) is me  # cached per (mass, channel)
    big = me.parent_mass
    lo, hi = (me.masses[1] + M_MU) ** 2, (big - mass) ** 2
    edges = np.linspace(lo, hi, BINS + 1)

    def density(x: np.ndarray) -> np.ndarray:
        return dalitz_projection(me.function, big, me.masses, "23", x)

    assert _chi2(big**2 + mass**2 - 2 * big * energy, edges, density) < CHI2_MAX

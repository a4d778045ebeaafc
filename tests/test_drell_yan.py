"""Drell–Yan dark photons q q̄ → A′ (darkbeam.production.drell_yan; table from scripts/make_drell_yan_tables.py)."""

import importlib.util
import math
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from darkbeam.beams import get as get_beam
from darkbeam.errors import ConfigError, KinematicsError, UnknownNameError
from darkbeam.models.dark_photon import BREMSSTRAHLUNG, DarkPhoton
from darkbeam.models.scalar import HiggsPortalScalar
from darkbeam.production import drell_yan as dy
from darkbeam.production.bremsstrahlung import BeamProtons, BeamProtonSource, produce_bremsstrahlung
from darkbeam.units import ALPHA_EM, N_AVOGADRO

TABLE = dy.load_drell_yan_table()
#: σ(p N → A′X) at ε = 1 [pb] of the shipped table (scripts/make_drell_yan_tables.py --events 20000 --seed 1)
PINNED_120_PP_2 = 1.026132e6
PINNED_120_PP_3 = 1.641724e5
PINNED_400_PP_2 = 2.612491e6
PINNED_400_PP_5 = 6.930636e4
PINNED_400_PN_3 = 6.161380e5
#: A′ per POT at ε = 1, m = 2 GeV, NuMI (120 GeV/c on 95.4 cm graphite, P_int = 0.862)
PINNED_NUMI_2GEV = 4.5729e-5


def _parents(beam: str, n: int, seed: int = 1) -> dy.DrellYanProtons:
    return dy.DrellYanSource(beam).sample(n, np.random.default_rng(seed))


# ------------------------------------------------------------------------------------------ table integrity
def test_table_file_is_small_and_well_formed():
    path = resources.files("darkbeam").joinpath("data", "production", "drell_yan.npz")
    assert len(path.read_bytes()) < 300_000
    h = TABLE.header
    assert h["format"] == "darkbeam-drell-yan-table"
    assert h["pythia_version"] == pytest.approx(8.317)
    assert h["pdf_pset"] == "13"  # NNPDF2.3 QCD+QED LO, alpha_s = 0.130
    assert h["epsilon_generated"] == 0.1
    np.testing.assert_allclose(TABLE.p_lab, [120.0, 400.0])
    assert TABLE.mass[0] == 1.0
    assert TABLE.mass[-1] == 6.0
    assert np.all(np.diff(TABLE.mass) > 0)
    n_e, n_m = len(TABLE.p_lab), len(TABLE.mass)
    assert TABLE.sigma_pb.shape == (n_e, 2, n_m)
    assert TABLE.counts.shape == (n_e, 2, n_m, len(TABLE.xf_edges) - 1, len(TABLE.pt_edges) - 1)
    # every histogram holds every generated event (p_T overflow is put in the last bin)
    np.testing.assert_array_equal(TABLE.counts.sum(axis=(3, 4)), h["events_per_point"])
    assert np.all(TABLE.counts >= 0)
    assert np.all(np.isfinite(TABLE.sigma_pb))
    assert np.all(TABLE.sigma_pb > 0)
    assert np.all(TABLE.sigma_err_pb < 0.02 * TABLE.sigma_pb)
    # σ falls with mass and rises with beam energy
    assert np.all(np.diff(TABLE.sigma_pb, axis=2) < 0)
    assert np.all(TABLE.sigma_pb[1] > TABLE.sigma_pb[0])


def test_pythia_coupling_convention_was_verified():
    """Pythia's own Γ(Z′ → e⁺e⁻) equals α ε² M/3 (Batell, Pospelov, Ritz, PRD 80 (2009) 095024, Eq. 6) for the
    couplings the script set (v_f = 4 sin θ_W cos θ_W ε Q_f), at every generated point."""
    for run in TABLE.header["runs"]:
        assert run["coupling_check"]["gamma_ee_over_alpha_eps2_m_over_3"] == pytest.approx(1.0, abs=1e-4)
        assert run["bw_window_fraction"] > 0.998


def test_pinned_cross_sections():
    """σ(p N → A′X) at ε = 1 [pb] of the shipped table (Pythia 8.317, seed 1): a change of the table is noticed."""
    pinned = {  # (p_lab, nucleon index, mass): σ [pb]
        (120.0, 0, 2.0): PINNED_120_PP_2,
        (120.0, 0, 3.0): PINNED_120_PP_3,
        (400.0, 0, 2.0): PINNED_400_PP_2,
        (400.0, 0, 5.0): PINNED_400_PP_5,
        (400.0, 1, 3.0): PINNED_400_PN_3,
    }
    for (p_lab, k, mass), value in pinned.items():
        e = TABLE.energy_index(p_lab)
        m = int(np.argmin(abs(TABLE.mass - mass)))
        assert TABLE.sigma_pb[e, k, m] == pytest.approx(value, rel=1e-3)


# --------------------------------------------------------------------------------- cross-section checks
def test_sigma_matches_leading_order_narrow_width_formula():
    """Pythia's σ_gen against σ = (4π²αε²/3s) Σ Q_q² ∫(dx/x) q q̄ (module docstring) with the same NNPDF2.3 LO grid,
    integrated by the script's own LHAPDF-grid reader: agreement within the Monte Carlo error at every point."""
    nw = np.asarray(TABLE.header["sigma_narrow_width_pb"])
    ratio = TABLE.sigma_pb / nw
    pull = (TABLE.sigma_pb - nw) / TABLE.sigma_err_pb
    assert np.all(np.abs(ratio - 1.0) < 0.03)
    assert np.mean(ratio) == pytest.approx(1.0, abs=0.005)
    assert np.sqrt(np.mean(pull**2)) < 2.0


def test_ratio_to_pythia_dimuon_drell_yan():
    """Narrow-width relation σ_A′(ε = 1) = (3πM/2α) dσ(pp → μ⁺μ⁻X)/dM at LO (module docstring), checked against
    Pythia's own γ* → μ⁺μ⁻ (WeakSingleBoson:ffbar2gmZ, γ* only) at M = 3 GeV: this uses the photon's coupling, so it
    tests the Z′ coupling normalisation independently of Pythia's Z′ convention."""
    assert dy.ratio_to_dimuon_dsigma_dm(3.0) == pytest.approx(3 * math.pi * 3.0 / (2 * ALPHA_EM))
    for check in TABLE.header["dimuon_check"]:
        ratio = check["sigma_aprime_over_dsigma_dm"] / check["expected_3pi_m_over_2alpha"]
        assert ratio == pytest.approx(1.0, abs=0.03), check


def test_narrow_width_formula_with_toy_pdf():
    """narrow_width_sigma_pb against a closed form: with x f = c x^a (1 − x)^0 for every quark and antiquark the
    luminosity (1/τ)∫d(ln x) c² x^a (τ/x)^a = c² τ^{a−1} ln(1/τ) per flavour."""
    c, a = 0.3, 0.5

    def xf(pid, x, q2):
        return c * np.asarray(x) ** a

    mass, s = 2.0, 400.0
    tau = mass**2 / s
    charges = sum(q**2 for q in dy.QUARK_CHARGES.values())
    expected = 4 * math.pi**2 * ALPHA_EM / (3 * s) * charges * 2 * c**2 * tau ** (a - 1) * math.log(1 / tau)
    assert dy.narrow_width_sigma_pb(mass, s, xf) == pytest.approx(expected * dy.GEV2_PB, rel=1e-9)
    assert dy.narrow_width_sigma_pb(mass, s, xf, neutron=True) == pytest.approx(expected * dy.GEV2_PB, rel=1e-9)


@pytest.mark.skipif(importlib.util.find_spec("pythia8mc") is None, reason="needs the optional pythia8mc (PDF grid)")
def test_module_formula_reproduces_header_with_the_nnpdf_grid():
    """The package's narrow_width_sigma_pb with the NNPDF2.3 LO grid shipped with pythia8mc equals the script's."""
    import pythia8mc

    script = Path(__file__).resolve().parents[1] / "scripts" / "make_drell_yan_tables.py"
    spec = importlib.util.spec_from_file_location("make_drell_yan_tables", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    grid_file = Path(pythia8mc.__file__).resolve().parents[3] / "share/Pythia8/pdfdata/NNPDF23_lo_as_0130_qed_0000.dat"
    if not grid_file.is_file():
        pytest.skip("NNPDF2.3 LO grid not found next to pythia8mc")
    grid = module.LhaGrid(grid_file)
    nw = np.asarray(TABLE.header["sigma_narrow_width_pb"])
    for e, p_lab in enumerate(TABLE.p_lab):
        s = module.sqrt_s(p_lab) ** 2
        for m in (2, 12):
            for k in (0, 1):
                value = dy.narrow_width_sigma_pb(TABLE.mass[m], s, grid.xf, neutron=k == 1)
                assert value == pytest.approx(nw[e, k, m], rel=1e-6)


#: E866/NuSea absolute p p → μ⁺μ⁻X at 800 GeV/c, √s = 38.8 GeV (J. C. Webb et al., hep-ex/0302019; the E866 table of
#: M³ d²σ/dM dx_F [nb GeV²], as distributed with NNPDF's DYE866_Z0_800GEV data set): for each 0.5 GeV mass bin,
#: (⟨M⟩ [GeV], Σ over the twelve x_F bins 0.05-0.65 of M³ d²σ/dM dx_F × Δx_F = 0.05 [nb GeV²], its stat ⊕ syst error).
#: Overall normalisation uncertainty 6.5 % (not included).
E866_PP_XF_005_065 = (
    (4.454, 6.627, 0.191),
    (4.946, 4.893, 0.153),
    (5.444, 3.964, 0.188),
    (5.947, 3.529, 0.165),
    (6.448, 2.711, 0.126),
    (6.943, 2.169, 0.123),
    (7.447, 1.780, 0.107),
    (7.941, 1.427, 0.042),
    (8.441, 1.174, 0.036),
)
E866_SQRT_S = 38.8


def test_measured_drell_yan_over_leading_order_table():
    """Absolute normalisation against measured Drell–Yan (module docstring, "Normalisation"). At LO the A′ and the
    dimuon continuum share the q q̄ luminosity, σ_A′(ε = 1) = (3πM/2α) dσ_μμ/dM, and M³ dσ_μμ/dM = G(τ) depends on
    τ = M²/s only; so the table's σ_A′(pp) at 400 GeV/c and M₁ = M √(s_400/s_E866) predicts E866's
    M³ dσ/dM = (2α/3π) M₁² σ_A′(M₁), times the table's own fraction of A′ in 0.05 < x_F < 0.65. Data/LO must be the
    familiar fixed-target Drell–Yan K factor (1.75-1.96 here; ±6.5 % E866 normalisation on top), equal within the
    spread to the documented :data:`E866_DATA_OVER_LO`, and flat in τ (no mass-dependent error in the table). A
    coupling off by a factor 2 (ε vs ε/2, v_f convention) or a wrong nucleon count would push it outside."""
    e = TABLE.energy_index(400.0)
    rs = TABLE.sqrt_s(e)
    centres = 0.5 * (TABLE.xf_edges[1:] + TABLE.xf_edges[:-1])
    window = (centres > 0.05) & (centres < 0.65)
    ratios = []
    for m_e866, data, err in E866_PP_XF_005_065:
        m1 = m_e866 * rs / E866_SQRT_S
        i = int(np.searchsorted(TABLE.mass, m1) - 1)
        t = (m1 - TABLE.mass[i]) / (TABLE.mass[i + 1] - TABLE.mass[i])
        fractions = [TABLE.counts[e, 0, m].sum(axis=1)[window].sum() / TABLE.counts[e, 0, m].sum() for m in (i, i + 1)]
        fraction = (1 - t) * fractions[0] + t * fractions[1]
        assert 0.38 < fraction < 0.47
        g_nb = 2 * ALPHA_EM / (3 * math.pi) * m1**2 * TABLE.sigma(m1, 400.0, 2212) * 1e-3
        ratio = data / (g_nb * fraction)
        assert 1.6 < ratio < 2.1, (m_e866, ratio)
        assert abs(ratio - dy.E866_DATA_OVER_LO) < 0.15 + 2 * err / (g_nb * fraction)
        ratios.append(ratio)
    assert np.mean(ratios) == pytest.approx(dy.E866_DATA_OVER_LO, abs=0.01)
    assert np.std(ratios) < 0.1


def test_k_factor_option():
    """The optional K factor (default 1 = the LO table) multiplies every weight; it must be finite and > 0."""
    plain = dy.DrellYanSource("sps_bdf").sample(200, np.random.default_rng(4))
    scaled = dy.DrellYanSource("sps_bdf", k_factor=dy.E866_DATA_OVER_LO).sample(200, np.random.default_rng(4))
    assert plain.k_factor == 1.0
    model = DarkPhoton(mass=3.0, epsilon=1e-4)
    w0 = dy.produce_drell_yan(model, plain, np.random.default_rng(8)).weight
    w1 = dy.produce_drell_yan(model, scaled, np.random.default_rng(8)).weight
    np.testing.assert_allclose(w1, dy.E866_DATA_OVER_LO * w0, rtol=1e-12)
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ConfigError, match="k_factor"):
            dy.DrellYanSource("sps_bdf", k_factor=bad)


def test_published_shape_and_ship_parametrisation():
    """SHiP's dark-photon software (FairShip, python/dpProductionRates.py, ``qcdprodRate``: "from interpolation of
    Pythia XS, normalised to ε²"; the software of SHiP's dark-photon study, EPJC 81 (2021) 451, arXiv:2011.05115 — not
    verified which version the paper used) gives A′ "per p.o.t." at ε = 1; two versions exist in its history:
    older exp(−3.802 − 1.532 M) (1.4 < M ≤ 3 GeV), exp(−5.673 − 0.8869 M) above; newer exp(−4.1477 − 1.4745 M),
    exp(−5.928 − 0.8669 M). Ours (BDF Mo target, 400 GeV/c, per POT, LO) is 0.16-0.26 of the older and 0.18-0.32 of
    the newer one at 1.5-5 GeV. Explanation (data README, Drell–Yan section): (i) ours is leading order; measured
    Drell–Yan (E866, test above) is 1.84× our LO at the same τ, which accounts for a factor ≈ 1.8 (optional
    ``k_factor``); (ii) the remaining factor 2-3 is not reproducible from FairShip's documented inputs: its per-POT
    normalisation (per pp collision / per nucleon, σ divided by what) is not stated, and its documented Pythia set-up
    (HiddenValley ffbar2Zv, Zv width = A′ width, quark branching fractions 0.167/0.666/0.167 × BR(hadrons)), re-run
    with Pythia 8.317, gives σ(pp → A′) = 0.3-0.9× ours, i.e. not more. Our chain is rechecked: σ_inel(p Mo)/A =
    10.86 mb from λ_I = 152.9 g/cm², Z σ_pp + N σ_pn, ε e Q_q coupling (Γ_ee and γ* checks above). Pinned as bands."""
    parents = _parents("sps_bdf", 10)
    for mass, low, high in ((1.5, 0.2, 0.3), (2.0, 0.18, 0.27), (3.0, 0.2, 0.31), (4.0, 0.14, 0.22), (5.0, 0.12, 0.2)):
        ours = dy.yield_per_interaction(TABLE.sigma_per_nucleon(mass, 400.0, 42, 95.95), 152.9) * parents.weight.sum()
        ship = math.exp(-3.802 - 1.532 * mass) if mass <= 3 else math.exp(-5.673 - 0.8869 * mass)
        ship_new = math.exp(-4.1477 - 1.4745 * mass) if mass <= 3 else math.exp(-5.928 - 0.8669 * mass)
        assert low < ours / ship < high, (mass, ours, ship)
        assert 0.16 < ours / ship_new < 0.35, (mass, ours, ship_new)
        # with the measured K factor the gap shrinks to a factor 2-3.5 (unexplained part: FairShip's normalisation)
        assert 0.28 < dy.E866_DATA_OVER_LO * ours / ship < 0.5
    # per-nucleon inelastic cross section of Mo implied by the PDG λ_I (the per-interaction normalisation)
    sigma_inel_per_nucleon_mb = 1e27 / (N_AVOGADRO * 152.9)  # A/(N_A λ_I)/A
    assert sigma_inel_per_nucleon_mb == pytest.approx(10.86, rel=2e-3)


# -------------------------------------------------------------------------------------------- interpolation
def test_interpolation_in_mass():
    for e, p_lab in enumerate(TABLE.p_lab):
        for k, nucleon in enumerate((2212, 2112)):
            for m, mass in enumerate(TABLE.mass):
                assert TABLE.sigma(mass, p_lab, nucleon) == pytest.approx(TABLE.sigma_pb[e, k, m], rel=1e-12)
            mid = 0.5 * (TABLE.mass[4] + TABLE.mass[5])
            value = TABLE.sigma(mid, p_lab, nucleon)
            assert value == pytest.approx(math.sqrt(TABLE.sigma_pb[e, k, 4] * TABLE.sigma_pb[e, k, 5]), rel=1e-12)
    # the table serves the catalogue's beam momenta within 5 %
    assert TABLE.energy_index(120.0) == 0
    assert TABLE.energy_index(400.0) == 1
    with pytest.raises(UnknownNameError):
        TABLE.energy_index(30.0)
    with pytest.raises(KinematicsError):
        TABLE.sigma(0.5, 120.0, 2212)
    with pytest.raises(KinematicsError):
        TABLE.sigma(6.5, 400.0, 2212)
    with pytest.raises(ConfigError):
        TABLE.sigma(2.0, 120.0, 211)
    with pytest.raises(ConfigError):
        TABLE.sigma_per_nucleon(2.0, 120.0, 7, 6.0)


def test_nuclear_scaling_per_interaction():
    """A σ_pN/σ_inel(pA) with σ_inel = A/(N_A λ_I) equals σ_pN N_A λ_I (carbon: λ_I = 85.8 g/cm², PDG)."""
    sigma_pn = TABLE.sigma_per_nucleon(2.0, 120.0, 6, 12.011)
    sigma_inel_cm2 = 12.011 / (N_AVOGADRO * 85.8)
    expected = 12.011 * sigma_pn * 1e-36 / sigma_inel_cm2
    assert dy.yield_per_interaction(sigma_pn, 85.8) == pytest.approx(expected, rel=1e-12)
    assert sigma_inel_cm2 * 1e27 == pytest.approx(232.5, rel=1e-3)  # mb, the PDG graphite value quoted by tabulated
    # isospin mix: between the p p and p n values
    lo, hi = sorted((TABLE.sigma(2.0, 120.0, 2212), TABLE.sigma(2.0, 120.0, 2112)))
    assert lo <= sigma_pn <= hi


# -------------------------------------------------------------------------------------------------- sampler
def test_source_parents_and_per_pot_yields():
    parents = _parents("numi", 1000)
    assert isinstance(parents, dy.DrellYanProtons)
    assert (parents.target_z, parents.target_a, parents.interaction_length_g_cm2) == (6, 12.011, 85.8)
    assert parents.weight.sum() == pytest.approx(BeamProtonSource("numi").interaction_probability())
    assert dy.DrellYanSource("sps_bdf").target() == (42, 95.95, 152.9)
    model = DarkPhoton(mass=2.0, epsilon=1.0)
    flux = dy.produce_drell_yan(model, parents, np.random.default_rng(2))
    expected = parents.weight.sum() * dy.yield_per_interaction(TABLE.sigma_per_nucleon(2.0, 120.0, 6, 12.011), 85.8)
    assert flux.weight.sum() == pytest.approx(expected, rel=1e-12)
    assert flux.weight.sum() == pytest.approx(PINNED_NUMI_2GEV, rel=2e-3)


@settings(max_examples=15, deadline=None)
@given(
    mass=st.floats(1.5, 5.0),
    eps=st.floats(1e-8, 1.0),
    beam=st.sampled_from(["numi", "sps_bdf", "sps_charm_cu", "lbnf"]),
    seed=st.integers(0, 2**31),
)
def test_sampler_invariants(mass, eps, beam, seed):
    parents = _parents(beam, 400, seed)
    model = DarkPhoton(mass=mass, epsilon=eps)
    flux = dy.produce_drell_yan(model, parents, np.random.default_rng(seed))
    assert len(flux) == len(parents)
    p = flux.momentum
    m2 = p[:, 3] ** 2 - np.sum(p[:, :3] ** 2, axis=1)
    np.testing.assert_allclose(np.sqrt(m2), mass, rtol=1e-6)
    assert np.all(np.isfinite(flux.weight))
    assert np.all(flux.weight >= 0)
    assert np.all(p[:, 3] < parents.momentum[:, 3])  # energy below the beam's
    z, a, lam = dy.DrellYanSource(beam).target()
    p_lab = float(parents.momentum[0, 2])
    per_pot = parents.weight.sum() * dy.yield_per_interaction(TABLE.sigma_per_nucleon(mass, p_lab, z, a), lam)
    assert flux.weight.sum() == pytest.approx(eps**2 * per_pot, rel=1e-9)
    np.testing.assert_array_equal(flux.vertex, parents.vertex)
    np.testing.assert_array_equal(flux.parent_pdg, 2212)
    np.testing.assert_array_equal(flux.companion_pdg, 0)


def test_sampled_kinematics_follow_the_table():
    """Boosting the sampled A′ back to the p N frame gives the table's unbinned ⟨x_F⟩ and ⟨p_T⟩ (Pythia's, per run)
    at a grid mass, p p and p n mixed by Z/A (runs of the same mass)."""
    rng = np.random.default_rng(5)
    parents = _parents("sps_bdf", 200_000)
    model = DarkPhoton(mass=3.0, epsilon=1.0)
    flux = dy.produce_drell_yan(model, parents, rng)
    p_lab = 400.0
    e_beam = math.hypot(p_lab, dy.M_PROTON)
    rs = math.sqrt(2 * dy.M_PROTON * (e_beam + dy.M_PROTON))
    gamma, gamma_beta = (e_beam + dy.M_PROTON) / rs, p_lab / rs
    pz_star = gamma * flux.momentum[:, 2] - gamma_beta * flux.momentum[:, 3]
    xf = 2 * pz_star / rs
    pt = np.hypot(flux.momentum[:, 0], flux.momentum[:, 1])
    runs = [r for r in TABLE.header["runs"] if r["p_lab_gev"] == 400.0 and r["mass_gev"] == 3.0]
    s_p, s_n = (TABLE.sigma(3.0, p_lab, nuc) for nuc in (2212, 2112))
    share_p = 42 * s_p / (42 * s_p + (95.95 - 42) * s_n)
    mean = {key: share_p * runs[0][key] + (1 - share_p) * runs[1][key] for key in ("mean_xf", "mean_pt")}
    assert xf.mean() == pytest.approx(mean["mean_xf"], abs=0.005)
    assert pt.mean() == pytest.approx(mean["mean_pt"], rel=0.02)
    assert np.all(np.abs(xf) <= 1.0)


def test_sampling_is_reproducible():
    parents = _parents("numi", 500)
    model = DarkPhoton(mass=2.3, epsilon=1e-3)
    a = dy.produce_drell_yan(model, parents, np.random.default_rng(9))
    b = dy.produce_drell_yan(model, parents, np.random.default_rng(9))
    np.testing.assert_array_equal(a.momentum, b.momentum)


# ---------------------------------------------------------------------------------------------------- model
def test_dark_photon_declares_drell_yan_above_its_validity():
    heavy = DarkPhoton(mass=2.0, epsilon=1e-3)
    names = [c.name for c in heavy.production_channels() if c.parent == 2212]
    assert names == [BREMSSTRAHLUNG, dy.DRELL_YAN]
    assert heavy.production_branching_ratios()[2212][dy.DRELL_YAN] == pytest.approx(1e-6)
    # only the bremsstrahlung channel keeps the proton (the bremsstrahlung producer's selection)
    assert [c.name for c, _, _ in heavy.production_for(2212) if 2212 in c.companions] == [BREMSSTRAHLUNG]
    light = DarkPhoton(mass=1.2, epsilon=1e-3)
    assert dy.DRELL_YAN not in light.production_branching_ratios()[2212]
    parents = _parents("numi", 50)
    assert len(dy.produce_drell_yan(light, parents, np.random.default_rng(1))) == 0
    scalar = HiggsPortalScalar(mass=2.0, sin_theta=1e-4)
    assert len(dy.produce_drell_yan(scalar, parents, np.random.default_rng(1))) == 0


def test_bremsstrahlung_unchanged_by_the_new_channel():
    """Adding the Drell–Yan channel must not double the bremsstrahlung weights (one channel, factor ε²)."""
    model = DarkPhoton(mass=2.0, epsilon=1e-2)
    protons = BeamProtonSource("numi").sample(2000, np.random.default_rng(3))
    assert isinstance(protons, BeamProtons)
    flux = produce_bremsstrahlung(model, protons, np.random.default_rng(4))
    assert len(flux) == len(protons)


def test_bad_parents():
    model = DarkPhoton(mass=2.0)
    protons = BeamProtonSource("numi").sample(10, np.random.default_rng(3))
    with pytest.raises(KinematicsError):
        dy.produce_drell_yan(model, protons, np.random.default_rng(1))
    with pytest.raises(KinematicsError):
        dy.sample_drell_yan(_parents("numi", 10), 7.0, np.random.default_rng(1))
    assert get_beam("numi").proton.momentum_gev.value == 120.0


def test_experiment_source_kind_and_dispatch():
    """An experiment's "drell_yan" source builds DrellYanSource, and darkbeam.production.dark.produce sends its
    parents to the Drell–Yan sampler (not to bremsstrahlung, although both are pdg 2212): Σ weight = ε² × yield."""
    from darkbeam import experiments
    from darkbeam.experiments.schema import ExperimentSpec
    from darkbeam.production.dark import produce

    spec = experiments.get("charm_sps_dark_photon").spec.model_dump()
    spec["sources"] = [{"kind": "drell_yan", "beam": "sps_charm_cu", "source": "test"}]
    (source,) = experiments.Experiment(ExperimentSpec.model_validate(spec)).sources()
    assert isinstance(source, dy.DrellYanSource)
    assert source.parent_pdg == 2212
    spec["sources"][0]["k_factor"] = dy.E866_DATA_OVER_LO
    (with_k,) = experiments.Experiment(ExperimentSpec.model_validate(spec)).sources()
    assert isinstance(with_k, dy.DrellYanSource)
    assert with_k.k_factor == dy.E866_DATA_OVER_LO
    parents = source.sample(4000, np.random.default_rng(5))
    model = DarkPhoton(mass=2.5, epsilon=1e-3)
    flux = produce(model, parents, np.random.default_rng(6))
    direct = dy.produce_drell_yan(model, parents, np.random.default_rng(6))
    assert flux.weight.sum() == pytest.approx(direct.weight.sum(), rel=1e-12)
    assert flux.weight.sum() > 0

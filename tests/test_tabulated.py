"""Pythia-made meson tables (darkbeam/data/mesons) and TabulatedHadronSource.

Reference numbers (derived by hand from public data, cited to the original papers):
* NA61/SHINE, PRD 100 (2019) 112001 (arXiv:1909.03351), Table of cross sections: p + C at 120 GeV/c,
  sigma_inel = 251.3 mb (stat 3.6, syst +2.7 / -14.6 mb incl. model), sigma_prod = 227.1 mb.
* eta/pi0 at high pT: universal plateau 0.487 +- 0.024 for pp, pA, dA over a broad energy range
  (Y. Ren and A. Drees, PRC 104 (2021) 054902); with m_T scaling the integrated ratio is
  R_inf x (fraction of pi0 with pT > sqrt(m_eta^2 - m_pi0^2) = 0.5313 GeV), see test_eta_over_pi0_mt_scaling.
"""

from __future__ import annotations

import itertools
import math
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from darkbeam.errors import ConfigError, DarkBeamError, UnknownNameError
from darkbeam.production import HadronSource
from darkbeam.production.tabulated import (
    TabulatedHadronSource,
    available_tables,
    interaction_probability,
    load_table,
)

M_PI0, M_ETA = 0.1349768, 0.547862  # PDG 2024 [GeV]

# Pinned table integrals: (n_events, {pdg: entries}). A regenerated table that changes them fails here on purpose:
# update the numbers together with the README's table of multiplicities and the validation note.
PINNED: dict[str, tuple[int, dict[int, int]]] = {
    "p120_C": (
        1_000_000,
        {111: 4011418, 221: 473967, 331: 46753, 113: 516984, 223: 524764, 333: 15403, 211: 3642160,
         -211: 3256652, 321: 348059, -321: 225551, 130: 268674, 310: 270080},
    ),
    "p30_C": (
        1_500_000,
        {111: 3528645, 221: 386255, 331: 32417, 113: 385655, 223: 399038, 333: 6793, 211: 3281562,
         -211: 2709942, 321: 267557, -321: 112755, 130: 168491, 310: 168065},
    ),
    "p400_Mo": (
        400_000,
        {111: 3293057, 221: 390762, 331: 40964, 113: 441770, 223: 443331, 333: 15040, 211: 2914618,
         -211: 2781472, 321: 293668, -321: 215189, 130: 242669, 310: 244721},
    ),
    "p400_W": (
        150_000,
        {111: 1380351, 221: 162450, 331: 17111, 113: 182490, 223: 184253, 333: 6133, 211: 1211202,
         -211: 1173102, 321: 120980, -321: 87742, 130: 100746, 310: 100504},
    ),
    "p400_Cu": (
        700_000,
        {111: 5350819, 221: 637807, 331: 66939, 113: 721531, 223: 724967, 333: 24977, 211: 4755635,
         -211: 4494757, 321: 477557, -321: 354204, 130: 400117, 310: 398142},
    ),
}

CORE = (111, 221, 211, -211, 321, -321, 130)


@pytest.fixture(scope="module")
def src120() -> TabulatedHadronSource:
    return TabulatedHadronSource("p120_C")


def test_shipped_tables_listed() -> None:
    names = available_tables()
    assert "p120_C" in names
    for name in PINNED:
        assert name in names


@pytest.mark.parametrize("name", sorted(PINNED))
def test_table_integrals_pinned(name: str) -> None:
    t = load_table(name)
    n_events, counts = PINNED[name]
    assert t.n_events == n_events
    for pdg, n in counts.items():
        assert int(t.counts[pdg].sum()) == n, pdg
        assert t.multiplicity(pdg) == pytest.approx(n / n_events, rel=1e-12)


@pytest.mark.parametrize("name", sorted(PINNED))
def test_header_records_settings(name: str) -> None:
    h = load_table(name).header
    assert h["pythia_version"] == pytest.approx(8.317)
    assert h["tune_pp"] == 14  # Monash 2013
    assert h["seed"] == 1
    beam, target = name[1:].split("_")
    assert h["target"]["name"] == target
    assert h["beam"]["p_lab_gev"] == float(beam)
    assert any(f"Beams:idB = {h['target']['pdg']}" in s for s in h["settings"][0])  # Angantyr p + A
    assert any("310:mayDecay = off" in s for s in h["settings"][0])


def test_generated_cross_section_vs_na61() -> None:
    # NA61/SHINE PRD 100 (2019) 112001: sigma_inel(p+C, 120 GeV/c) = 251.3 mb; Angantyr's sigma_gen within 4 %
    sigma = load_table("p120_C").sigma_gen_mb
    assert sigma == pytest.approx(251.3, rel=0.04)


def test_core_species_and_protocol(src120: TabulatedHadronSource) -> None:
    source: HadronSource = src120  # structural typing (mypy); the protocol is not runtime-checkable
    assert callable(source.sample)
    assert callable(source.multiplicity)
    for pdg in CORE:
        assert pdg in src120.species
    # open charm has too few entries in soft-QCD events to be offered
    assert 421 not in src120.species


def test_multiplicities_physical(src120: TabulatedHadronSource) -> None:
    m = src120.multiplicity
    # charge and isospin ordering for a proton beam: pi+ > pi-, K+ > K-, K0_L = K0_S within 2 %
    assert m(211) > m(-211) > 0.5 * m(211)
    assert m(321) > m(-321)
    assert m(130) == pytest.approx(m(310), rel=0.02)
    # pi0 ~ (pi+ + pi-)/2 (isospin, N ~ Z target) up to the extra pi0 from eta -> 3pi0 (BR 32.6 %, PDG 2024):
    # per eta, eta decays give ~1.2 pi0 but ~0.55 (pi+ + pi-)/2, so pi0 - (pi+ + pi-)/2 ~ 0.65 eta (+- 40 %)
    excess = m(111) - 0.5 * (m(211) + m(-211))
    assert 0.4 * m(221) < excess < 1.6 * m(221)


def test_eta_over_pi0_mt_scaling(src120: TabulatedHadronSource) -> None:
    """eta/pi0 per interaction vs m_T scaling with the measured plateau 0.487 +- 0.024 (Ren & Drees, PRC 104
    (2021) 054902): for dN/dpT^2 of eta equal to R_inf times the pi0 one at the same m_T, the integrated ratio is
    R_inf x P(pT(pi0) > sqrt(m_eta^2 - m_pi0^2)). m_T scaling overestimates eta at low pT by up to ~30-40 % in
    pp data at LHC energies, while it is untested at low pT at sqrt(s) = 15 GeV; Pythia (Monash) gives 1.36 x the
    m_T-scaling value here (notes: pythia_tables.md), so the band is [0.7, 1.6] x m_T scaling: it fails if the eta
    rate moves by a factor ~1.2 either way."""
    rng = np.random.default_rng(11)
    p, th, _ = src120.sample_kinematics(111, 400_000, rng)
    frac = float(np.mean(p * np.sin(th) > math.sqrt(M_ETA**2 - M_PI0**2)))
    mt_ratio = 0.487 * frac
    ratio = src120.multiplicity(221) / src120.multiplicity(111)
    assert 0.7 * mt_ratio < ratio < 1.6 * mt_ratio
    assert 0.08 < ratio < 0.16  # sanity range for integrated eta/pi0 in hadron collisions (~0.1)


def _expected_means(src: TabulatedHadronSource, pdg: int) -> tuple[float, float]:
    """Table's own E[p] and E[theta] for the within-bin model (log-uniform p, uniform cos theta)."""
    t = src.table
    w = t.counts[pdg].astype(float)
    w /= w.sum()
    plo, phi_ = 10.0 ** t.log10p_edges[:-1], 10.0 ** t.log10p_edges[1:]
    mean_p_bin = (phi_ - plo) / np.log(phi_ / plo)
    a, b = t.theta_edges[:-1], t.theta_edges[1:]
    # E[theta | cos theta uniform on [cos b, cos a]] = [sin t - t cos t]_a^b / (cos a - cos b)
    mean_th_bin = ((np.sin(b) - b * np.cos(b)) - (np.sin(a) - a * np.cos(a))) / (np.cos(a) - np.cos(b))
    return float(w.sum(axis=1) @ mean_p_bin), float(w.sum(axis=0) @ mean_th_bin)


@pytest.mark.parametrize("pdg", [111, 221, 211, 321, 130])
def test_sampling_reproduces_table_means(src120: TabulatedHadronSource, pdg: int) -> None:
    rng = np.random.default_rng(pdg)
    n = 300_000
    p, th, ph = src120.sample_kinematics(pdg, n, rng)
    ep, eth = _expected_means(src120, pdg)
    assert abs(p.mean() - ep) < 5 * p.std() / math.sqrt(n)
    assert abs(th.mean() - eth) < 5 * th.std() / math.sqrt(n)
    assert abs(ph.mean() - math.pi) < 5 * ph.std() / math.sqrt(n)
    # the binning keeps the unbinned means recorded by the generator (within 2 %)
    info = src120.table.header["species"][str(pdg)]
    assert ep == pytest.approx(info["mean_p_gev_unbinned"], rel=0.02)
    assert eth == pytest.approx(info["mean_theta_rad_unbinned"], rel=0.02)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(0, 3000), seed=st.integers(0, 2**32 - 1), pdg=st.sampled_from(CORE))
def test_sample_invariants(n: int, seed: int, pdg: int) -> None:
    src = TabulatedHadronSource("p120_C", interactions_per_pot=0.8)
    s = src.sample(pdg, n, np.random.default_rng(seed))
    assert len(s) == n
    assert s.pdg == pdg
    if n:
        assert s.per_pot == pytest.approx(src.multiplicity(pdg), rel=1e-12)
        px, py, pz, e = s.momentum.T  # DarkBeam order (px, py, pz, E)
        p = np.sqrt(px**2 + py**2 + pz**2)
        from darkbeam.pdg import mass

        np.testing.assert_allclose(e**2 - p**2, mass(pdg) ** 2, atol=1e-9 * e.max() ** 2)
        t = src.table
        assert np.all(p >= 10 ** t.log10p_edges[0] * (1 - 1e-12))
        assert np.all(p <= 10 ** t.log10p_edges[-1] * (1 + 1e-12))
        assert np.all(s.vertex == 0)
        assert np.all(s.time == 0)


def test_same_seed_same_sample(src120: TabulatedHadronSource) -> None:
    a = src120.sample(211, 1000, np.random.default_rng(3))
    b = src120.sample(211, 1000, np.random.default_rng(3))
    np.testing.assert_array_equal(a.momentum, b.momentum)


def test_per_pot_normalisation_and_vertices() -> None:
    # graphite: lambda_I = 85.8 g/cm^2 (PDG atomic & nuclear properties) / 1.78 g/cm^3 -> 48.2 cm (illustrative)
    L, lam = 95.0, 48.2
    src = TabulatedHadronSource("p120_C", target_length=L, interaction_length=lam)
    p_int = 1 - math.exp(-L / lam)
    assert src.interactions_per_pot == pytest.approx(p_int)
    assert interaction_probability(L, lam) == pytest.approx(p_int)
    assert src.multiplicity(111) == pytest.approx(p_int * load_table("p120_C").multiplicity(111))
    s = src.sample(111, 200_000, np.random.default_rng(1))
    z = s.vertex[:, 2]
    assert z.min() >= 0
    assert z.max() <= L
    # mean of an exponential truncated at L: lam - L e^{-L/lam} / (1 - e^{-L/lam})
    ez = lam - L * math.exp(-L / lam) / p_int
    assert z.mean() == pytest.approx(ez, abs=5 * z.std() / math.sqrt(z.size))
    np.testing.assert_allclose(s.time, z / 29.9792458)


def test_for_beam_lookup() -> None:
    assert TabulatedHadronSource.for_beam(120.0, "c").table.name == "p120_C"
    with pytest.raises(UnknownNameError, match="meson table"):
        TabulatedHadronSource.for_beam(8.89, "Be")


def test_reading_errors(tmp_path: Path) -> None:
    with pytest.raises(UnknownNameError, match="p999_X"):
        load_table("p999_X")
    with pytest.raises(ConfigError, match="does not exist"):
        load_table(tmp_path / "missing.npz")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(ConfigError, match="not a readable"):
        load_table(bad)
    wrong = tmp_path / "wrong.npz"
    np.savez(wrong, header=np.array('{"format": "other"}'), log10p_edges=np.arange(3.0),
             theta_edges=np.array([0.0, 1.0]))
    with pytest.raises(ConfigError, match="format"):
        load_table(wrong)
    src = TabulatedHadronSource("p120_C")
    with pytest.raises(UnknownNameError, match="species"):
        src.multiplicity(2212)
    with pytest.raises(UnknownNameError, match="entries"):
        src.sample(431, 10, np.random.default_rng(0))
    with pytest.raises(ConfigError, match="n = -1"):
        src.sample(111, -1, np.random.default_rng(0))
    with pytest.raises(ConfigError, match="interactions_per_pot"):
        TabulatedHadronSource("p120_C", interactions_per_pot=1.5)
    with pytest.raises(ConfigError, match="together"):
        TabulatedHadronSource("p120_C", target_length=10.0)
    with pytest.raises(DarkBeamError):
        TabulatedHadronSource("p120_C", target_length=-1.0, interaction_length=40.0)


def test_user_table_roundtrip(tmp_path: Path) -> None:
    """A table file written in the generator's format (here by hand) loads by path and samples its one bin."""
    import json

    header = {"format": "darkbeam-meson-table", "n_events": 10, "beam": {"p_lab_gev": 50.0},
              "target": {"name": "X"}}
    path = tmp_path / "mine.npz"
    counts = np.zeros((2, 2), dtype=np.int32)
    counts[1, 0] = 2000
    np.savez_compressed(path, header=np.array(json.dumps(header)), log10p_edges=np.array([0.0, 1.0, 2.0]),
                        theta_edges=np.array([0.0, 0.1, 0.2]), counts_111=counts)
    src = TabulatedHadronSource(path)
    assert src.multiplicity(111) == pytest.approx(200.0)
    p, th, _ = src.sample_kinematics(111, 1000, np.random.default_rng(0))
    assert np.all((p >= 10) & (p <= 100))
    assert np.all(th <= 0.1)


def test_sampling_speed(src120: TabulatedHadronSource) -> None:
    rng = np.random.default_rng(0)
    src120.sample(111, 10, rng)  # build the CDF once
    dts = []
    for _ in range(3):  # best of three: the shared CI/build machines are often loaded
        t0 = time.perf_counter()
        s = src120.sample(111, 1_000_000, rng)
        dts.append(time.perf_counter() - t0)
    dt = min(dts)
    assert len(s) == 1_000_000
    assert dt < 1.0, f"sampling 1e6 pi0 took {dt:.2f} s"


# BMPT: Bonesini, Marchionni, Pietropaolo, Tabarelli de Fatis, EPJC 20 (2001) 13 (hep-ph/0101163), fit to
# 450 GeV/c p + Be (NA20/NA56-SPY): E d3sigma/dp3 [mb/GeV^2] = A (1-xR)^alpha (1+B xR) xR^-beta
# (1 + a' pT + b' pT^2) exp(-a' pT), a' = a / xR^gamma, b' = a^2 / (2 xR^delta); nuclear scaling
# (A_T/9)^alpha(xF, pT), alpha = (0.74 - 0.55 xF + 0.26 xF^2)(0.98 + 0.21 pT^2). Parameters (A, B, alpha, beta,
# a, gamma, delta) for pi+ and K+ as transcribed in the project's reference notes; to be re-checked against the
# paper's table. Measured in notes/pythia_tables.md: Pythia/BMPT for 450 GeV p+Be = 1.19 (xR 0.05-0.2),
# 0.76 (0.2-0.5), 0.74 (0.5-0.8) for pi+.
BMPT_PARAMS = {211: (62.3, 1.57, 3.45, 0.517, 6.1, 0.153, 0.478), 321: (7.74, 0.0, 2.45, 0.444, 5.04, 0.121, 0.242)}
# BMPT's charge ratio pi+/pi- = r0 (1 + xR)^r1, r0 = 1.05, r1 = 2.65 (same paper and parameter table)
BMPT_PI_RATIO = (1.05, 2.65)


def _bmpt_ratio_by_xr(name: str, target_a: float, pdg: int) -> NDArray[np.float64]:
    """Pythia/BMPT per xR range (0.05-0.2, 0.2-0.5, 0.5-0.8; forward CM hemisphere, pT < 1 GeV). For pdg 111 the
    BMPT reference is the isospin prescription pi0 = (pi+ + pi-)/2 = pi+ (1 + 1/R)/2, R = pi+/pi- of BMPT."""
    t = load_table(name)
    src = TabulatedHadronSource(t)
    m_p, m = 0.93827, {211: 0.13957, 321: 0.493677, 111: 0.1349768}[pdg]
    e_b = math.hypot(t.p_lab, m_p)
    emax = 0.5 * math.sqrt(2 * m_p**2 + 2 * m_p * e_b)
    beta = t.p_lab / (e_b + m_p)
    gam = 1 / math.sqrt(1 - beta**2)
    p, th, _ = src.sample_kinematics(pdg, 1_000_000, np.random.default_rng(2))
    pt, pl = p * np.sin(th), p * np.cos(th)
    e = np.sqrt(p * p + m * m)
    xr, plstar = gam * (e - beta * pl) / emax, gam * (pl - beta * e)
    edges = np.array([0.05, 0.2, 0.5, 0.8])
    sel = (plstar > 0) & (pt < 1.0)
    n_pythia = np.histogram(xr[sel], bins=edges)[0] * src.multiplicity(pdg) / p.size
    # BMPT integrated on a midpoint grid in (xR, pT^2), forward hemisphere: dN = pi E*max f / pL* dxR dpT^2
    a_, b_, al, be, a, ga, de = BMPT_PARAMS[211 if pdg == 111 else pdg]
    x = np.linspace(0.05, 0.8, 301)[:-1] + 0.00125
    pt2 = np.linspace(0.0, 1.0, 201)[:-1] + 0.0025
    xg, ptg = np.meshgrid(x, np.sqrt(pt2), indexing="ij")
    pl2 = (xg * emax) ** 2 - ptg**2 - m * m
    ok = pl2 > 0
    pls = np.sqrt(np.where(ok, pl2, 1.0))
    ap, bp = a / xg**ga, a * a / (2 * xg**de)
    f = a_ * (1 - xg) ** al * (1 + b_ * xg) * xg ** (-be) * (1 + ap * ptg + bp * ptg**2) * np.exp(-ap * ptg)
    xf = pls / emax
    f *= (target_a / 9.0) ** ((0.74 - 0.55 * xf + 0.26 * xf**2) * (0.98 + 0.21 * ptg**2))
    if pdg == 111:
        f *= 0.5 * (1.0 + 1.0 / (BMPT_PI_RATIO[0] * (1.0 + xg) ** BMPT_PI_RATIO[1]))
    dn = np.where(ok, math.pi * emax * f / t.sigma_gen_mb / pls, 0.0) * 0.0025 * 0.005
    n_bmpt = np.array([dn[(x >= lo) & (x < hi)].sum() for lo, hi in itertools.pairwise(edges)])
    return np.asarray(n_pythia / n_bmpt, dtype=np.float64)


def test_pi_plus_vs_bmpt_400_cu() -> None:
    """Pythia p+Cu at 400 GeV/c vs BMPT A-scaled to Cu: measured 1.30 / 0.73 / 0.68 in xR 0.05-0.2 / 0.2-0.5 /
    0.5-0.8 (BMPT's own fit uncertainty is ~10-20 %; Pythia is known to be soft at large xR in p+A).
    Bands: each xR range within [0.55, 1.6]."""
    r = _bmpt_ratio_by_xr("p400_Cu", 63.5, 211)
    assert np.all((r > 0.55) & (r < 1.6)), r


def test_k_plus_vs_bmpt_400_cu() -> None:
    # measured 1.52 / 0.79 / 0.50: forward K+ are the weakest point of the tables (see notes)
    r = _bmpt_ratio_by_xr("p400_Cu", 63.5, 321)
    assert np.all((r > 0.35) & (r < 2.0)), r


def test_pi0_vs_bmpt_isospin_120_c() -> None:
    """pi0 per interaction at 120 GeV/c on C vs BMPT (450 GeV/c p + Be fit, used in x_R scaling at 120 GeV/c and
    A-scaled to C with BMPT's alpha(xF, pT)) with the isospin prescription pi0 = (pi+ + pi-)/2 (NA61/SHINE has no
    pi0 data). Measured (notes: issue3-tables.md; 39 (xR, pT) bins): 1.46 / 1.03 / 0.88 in xR 0.05-0.2 / 0.2-0.5 /
    0.5-0.8; bin-by-bin scatter rms(ln ratio) = 0.22 / 0.23 / 0.17 within those ranges, 0.29 over all bins (the
    same pattern as pi+: 1.25 / 0.86 / 0.76; Pythia's pi0 includes eta -> 3 pi0, 1.16x its (pi+ + pi-)/2).
    Bands: measured x/÷ exp(2 x 0.23) = 1.58 (two bin-scatter rms), i.e. a factor-1.6 change of the pi0 yield in
    any x_R range fails."""
    r = _bmpt_ratio_by_xr("p120_C", 12.011, 111)
    measured = np.array([1.456, 1.034, 0.879])
    band = math.exp(2 * 0.23)
    assert np.all((r > measured / band) & (r < measured * band)), r
    # this coarser estimate (1e6 samples, all bins) gives 1.46 / 1.04 / 0.83: the notes' numbers within ~3 % stat.
    np.testing.assert_allclose(r, measured, rtol=0.08)


def test_mo_table_for_ship_bdf() -> None:
    """p400_Mo (96Mo defined for Angantyr; the sps_bdf beam's material is Mo): sigma_gen vs the PDG nuclear
    interaction length of Mo, lambda_I = 152.9 g/cm^2 <-> A / (N_A lambda_I) = 1042 mb for A = 95.95 (PDG RPP 2024,
    Atomic and nuclear properties of materials); Angantyr gives 1026.9 mb (0.985; for Cu 781.8 vs 769 mb, 1.02).
    Multiplicities per interaction grow from Cu (A = 63.5) to Mo (95.95) by ~8 % (pi0 7.64 -> 8.23), as the
    ~A^0.2 growth of the mean number of wounded nucleons suggests ((96/63.5)^0.2 = 1.09)."""
    t = load_table("p400_Mo")
    assert t.sigma_gen_mb == pytest.approx(95.95 / (6.02214076e23 * 152.9) * 1e27, rel=0.04)
    assert t.header["target"]["pdg"] == 1000420960
    assert any("1000420960:new" in s for s in t.header["settings"][0])
    cu = load_table("p400_Cu")
    for pdg in (111, 221, 211, 321):
        assert 1.03 < t.multiplicity(pdg) / cu.multiplicity(pdg) < 1.15, pdg
    src = TabulatedHadronSource.for_beam(400.0, "Mo")
    assert src.table.name == "p400_Mo"


def test_pi_plus_vs_bmpt_400_mo() -> None:
    """As for Cu: Pythia p+Mo at 400 GeV/c vs BMPT A-scaled to Mo (A = 95.95); same bands as Cu."""
    r = _bmpt_ratio_by_xr("p400_Mo", 95.95, 211)
    assert np.all((r > 0.55) & (r < 1.6)), r


def test_w_table_cross_section() -> None:
    """p400_W (184W): sigma_gen vs PDG lambda_I(W) = 191.9 g/cm^2 <-> A / (N_A lambda_I) = 1591 mb (A = 183.84);
    Angantyr gives 1564.7 mb (0.984)."""
    t = load_table("p400_W")
    assert t.sigma_gen_mb == pytest.approx(183.84 / (6.02214076e23 * 191.9) * 1e27, rel=0.04)
    assert t.multiplicity(111) > load_table("p400_Mo").multiplicity(111)

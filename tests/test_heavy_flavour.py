"""Open-charm and open-beauty tables (darkbeam/data/mesons/*_charm.npz, *_beauty.npz) and their use by
TabulatedHadronSource / beam_source.hadron_source.

References (numbers hard-coded here, cited to the original papers):
* sigma(pN -> c cbar X) = 18.1 ub per nucleon at 400 GeV/c: LEBC-EHS (NA27) p p data, M. Aguilar-Benitez et al.,
  Z. Phys. C 40 (1988) 321, as used by SHiP (CERN-SHiP-NOTE-2015-009; C. Ahdida et al. (SHiP), JHEP 04 (2019) 077,
  Sec. 2). SHiP's resulting fraction of c cbar events in p + Mo, chi_cc = 1.7e-3, and for b bbar, chi_bb = 1.6e-7
  (sigma_bb = 1.7 nb per nucleon), are the values of the SHiP simulation (FairShip macro/run_simScript.py:
  chicc = 1.7e-3, chibb = 1.6e-7).
* sigma_cc(920 GeV/c) = 49.1 ub per nucleon, HERA-B, I. Abt et al., EPJC 52 (2007) 531 (arXiv:0708.1443); its A
  dependence alpha = 0.99 +- 0.04 (D0), i.e. linear in A for a hard process.
* Charm fragmentation fractions (e+e- and ep combination): f(c -> D0) = 0.6086, f(c -> D+) = 0.2404,
  f(c -> Ds+) = 0.0802, f(c -> Lambda_c+) = 0.0623 (O. Lisovyi, A. Verbytskyi, O. Zenaiev, EPJC 76 (2016) 397,
  combined e+e- and ep values); beauty at the Z: f(b -> B+) = f(b -> B0) = 0.408, f(b -> Bs) = 0.100,
  f(b -> b-baryon) = 0.084
  (HFLAV, Y. Amhis et al., PRD 107 (2023) 052008; PDG 2024 review of b-hadron production fractions at the Z).
* Verification status: chi_cc and chi_bb were read in the FairShip code; the other numbers are quoted from the
  cited papers as remembered (the search tools gave abstracts only) and the bands below are wide enough for that.
* D-meson shapes in p p at 400 GeV/c (NA27, same paper): dsigma/dxF ~ (1 - |xF|)^n with n = 4.9 +- 0.5 and
  dsigma/dpT^2 ~ exp(-b pT^2) with b = 1.0 +- 0.1 GeV^-2.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from darkbeam.beams import get as get_beam
from darkbeam.errors import ConfigError, UnknownNameError
from darkbeam.pdg import mass
from darkbeam.production.beam_source import hadron_source
from darkbeam.production.tabulated import TabulatedHadronSource, available_tables, load_table

CHARM = (411, -411, 421, -421, 431, -431, 4122, -4122)
BEAUTY = (511, -511, 521, -521, 531, -531, 5122, -5122)

# Pinned table integrals (n_events, {pdg: entries}); regenerate -> update together with the mesons README.
PINNED: dict[str, tuple[int, dict[int, int]]] = {
    "p400_Mo_charm": (
        200000,
        {411: 52744, -411: 60330, 421: 100075, -421: 114043, 431: 15963, -431: 18392, 4122: 29039, -4122: 5792},
    ),
    "p400_Mo_beauty": (
        149985,
        {511: 64865, -511: 56958, 521: 65425, -521: 57441, 531: 13065, -531: 12141, 5122: 20320, -5122: 4157},
    ),
    "p400_W_charm": (
        199999,
        {411: 52732, -411: 60284, 421: 100058, -421: 114044, 431: 16021, -431: 18443, 4122: 29033, -4122: 5791},
    ),
    "p400_W_beauty": (
        149987,
        {511: 64837, -511: 57017, 521: 65419, -521: 57399, 531: 13088, -531: 12161, 5122: 20290, -5122: 4177},
    ),
    "p400_Cu_charm": (
        200000,
        {411: 52755, -411: 60317, 421: 100082, -421: 114051, 431: 15920, -431: 18412, 4122: 29076, -4122: 5787},
    ),
    "p400_Cu_beauty": (
        149984,
        {511: 64898, -511: 56956, 521: 65374, -521: 57416, 531: 13066, -531: 12147, 5122: 20331, -5122: 4174},
    ),
    "p120_C_charm": (
        199939,
        {411: 47357, -411: 61606, 421: 86894, -421: 115617, 431: 13238, -431: 16904, 4122: 50660, -4122: 4739},
    ),
}

# name: (A, sigma per nucleon [ub], light table whose sigma_gen normalises it)
NORMALISATION = {
    "p400_Mo_charm": (96, 18.1, "p400_Mo"),
    "p400_Mo_beauty": (96, 0.0017, "p400_Mo"),
    "p400_W_charm": (184, 18.1, "p400_W"),
    "p400_W_beauty": (184, 0.0017, "p400_W"),
    "p400_Cu_charm": (63, 18.1, "p400_Cu"),
    "p400_Cu_beauty": (63, 0.0017, "p400_Cu"),
    "p120_C_charm": (12, 2.711, "p120_C"),
}


def _frac(name: str, pdg: int) -> float:
    """Hadrons of |pdg| (particle + antiparticle) per heavy quark: the fragmentation fraction f(Q -> H)."""
    t = load_table(name)
    return float(t.counts[pdg].sum() + t.counts[-pdg].sum()) / (2 * t.n_events)


def test_tables_shipped() -> None:
    names = available_tables()
    for name in NORMALISATION:
        assert name in names
        assert load_table(name).content in ("charm", "beauty")


@pytest.mark.parametrize("name", sorted(PINNED))
def test_integrals_pinned(name: str) -> None:
    t = load_table(name)
    n_events, counts = PINNED[name]
    assert t.n_events == n_events
    for pdg, n in counts.items():
        assert int(t.counts[pdg].sum()) == n, pdg


@pytest.mark.parametrize("name", sorted(NORMALISATION))
def test_normalisation_is_a_sigma_over_sigma_inel(name: str) -> None:
    """multiplicity_scale = A sigma(pN -> QQbar X) / sigma_inel(pA), sigma_inel = the light table's sigma_gen
    (so the same interactions-per-POT factor applies to light mesons and heavy flavour)."""
    a, sigma_ub, light = NORMALISATION[name]
    t = load_table(name)
    h = t.header
    assert h["target"]["A"] == a
    assert h["a_dependence_alpha"] == 1.0
    assert h["sigma_pair_per_nucleon_ub"] == pytest.approx(sigma_ub)
    assert t.sigma_gen_mb == pytest.approx(load_table(light).sigma_gen_mb, rel=1e-12)
    assert t.multiplicity_scale == pytest.approx(a * sigma_ub * 1e-3 / t.sigma_gen_mb, rel=1e-12)
    pdg = CHARM[4] if t.content == "charm" else BEAUTY[4]
    assert t.multiplicity(pdg) == pytest.approx(t.counts[pdg].sum() / t.n_events * t.multiplicity_scale, rel=1e-12)
    assert h["tune_pp"] == 14
    assert h["pythia_version"] == pytest.approx(8.317)


def test_chi_matches_ship_simulation() -> None:
    """Pairs per p + Mo interaction vs SHiP's chi_cc = 1.7e-3 and chi_bb = 1.6e-7 (FairShip; 2-digit numbers,
    so 4 %)."""
    assert load_table("p400_Mo_charm").multiplicity_scale == pytest.approx(1.7e-3, rel=0.04)
    assert load_table("p400_Mo_beauty").multiplicity_scale == pytest.approx(1.6e-7, rel=0.04)


def test_120_gev_cross_section_scaling() -> None:
    """sigma_cc(120 GeV/c) = 18.1 ub x sigma_LO(120)/sigma_LO(400) (Pythia 8 LO hardccbar, p+p and p+n averaged:
    0.7858 / 5.247 ub); the same LO energy dependence gives sigma(920)/sigma(400) = 2.66 against the measured
    49.1 / 18.1 = 2.71 (HERA-B / NA27), i.e. it reproduces the measured energy dependence within 2 %."""
    h = load_table("p120_C_charm").header
    assert h["sigma_pair_per_nucleon_ub"] == pytest.approx(18.1 * 0.7858 / 5.247, rel=2e-3)
    lo_920_over_400 = 2.66  # Pythia 8 LO hardccbar, (6.911 + 7.019) / (2.594 + 2.653) ub
    assert lo_920_over_400 == pytest.approx(49.1 / 18.1, rel=0.03)


@pytest.mark.parametrize(
    ("pdg", "measured", "band"),
    [
        (421, 0.6086, (0.45, 0.70)),
        (411, 0.2404, (0.18, 0.34)),
        (431, 0.0802, (0.06, 0.11)),
        (4122, 0.0623, (0.04, 0.16)),
    ],
)
@pytest.mark.parametrize("name", ["p400_Mo_charm", "p120_C_charm"])
def test_charm_fragmentation_fractions(name: str, pdg: int, measured: float, band: tuple[float, float]) -> None:
    """f(c -> H) from the tables vs Lisovyi et al. (EPJC 76 (2016) 397). Measured at 400 GeV (Mo): D0 0.535,
    D+ 0.283, Ds 0.086, Lambda_c 0.087; at 120 GeV (C): 0.506, 0.273, 0.075, 0.139 (Pythia's beam-remnant drag makes
    Lambda_c+ 5-10x Lambda_c-bar at fixed target, so f(Lambda_c) is 1.4-2.2x e+e-); bands as given (D_s: 0.06-0.11
    around the measured 0.080)."""
    f = _frac(name, pdg)
    assert band[0] < f < band[1], f
    assert band[0] < measured < band[1]


def test_charm_hadrons_add_up() -> None:
    # every c quark ends in one weakly decaying charm hadron: D0 + D+ + Ds + Lambda_c + (Xi_c, Omega_c: few %)
    total = sum(_frac("p400_Mo_charm", p) for p in (421, 411, 431, 4122))
    assert 0.95 < total <= 1.0


@pytest.mark.parametrize(
    ("pdg", "measured", "band"), [(511, 0.408, (0.33, 0.48)), (521, 0.408, (0.33, 0.48)), (531, 0.100, (0.06, 0.14))]
)
def test_beauty_fragmentation_fractions(pdg: int, measured: float, band: tuple[float, float]) -> None:
    f = _frac("p400_Mo_beauty", pdg)
    assert band[0] < f < band[1], f
    assert band[0] < measured < band[1]


def test_leading_particle_sign() -> None:
    """A proton beam's valence u, d quarks pair with c-bar: D- (c-bar d) and D0-bar (c-bar u) outnumber D+ and D0
    (leading-particle effect, seen e.g. by HERA-B, EPJC 52 (2007) 531)."""
    t = load_table("p400_Mo_charm")
    assert t.counts[-411].sum() > t.counts[411].sum()
    assert t.counts[-421].sum() > t.counts[421].sum()


def _xf_pt2(name: str, pdg: int) -> tuple[float, float]:
    """NA27-style shape parameters of the table: n from the maximum-likelihood estimate for (1 - |xF|)^n,
    n = -1/<ln(1 - |xF|)> - 1, and <pT^2> [GeV^2] (= 1/b for exp(-b pT^2)); xF in the nucleon-nucleon CM."""
    src = TabulatedHadronSource(name)
    t = src.table
    m_p = 0.93827208816
    e_b = math.hypot(t.p_lab, m_p)
    beta = t.p_lab / (e_b + m_p)
    gam = 1 / math.sqrt(1 - beta * beta)
    p_max = 0.5 * math.sqrt(2 * m_p**2 + 2 * m_p * e_b)
    p, th, _ = src.sample_kinematics(pdg, 200_000, np.random.default_rng(4))
    m = mass(pdg)
    pl, pt = p * np.cos(th), p * np.sin(th)
    xf = gam * (pl - beta * np.sqrt(p * p + m * m)) / p_max
    return float(-1 / np.mean(np.log1p(-np.abs(xf))) - 1), float(np.mean(pt * pt))


def test_d_meson_shapes_vs_na27() -> None:
    """D0/D+ at 400 GeV/c vs NA27 (n = 4.9 +- 0.5, b = 1.0 +- 0.1 GeV^-2). Measured on the tables: n = 4.6-4.8
    (agrees), <pT^2> = 2.0-2.1 GeV^2, i.e. Pythia 8 (Monash, hard cc-bar + showers + primordial kT) is twice as
    broad in pT^2 as NA27 (D angles ~1.4x too wide; without primordial kT still 1.55 GeV^2). The test pins
    this known deviation: n within NA27's 2 sigma, <pT^2> x b_NA27 in [1.6, 2.5]."""
    for pdg in (421, -411):
        n, pt2 = _xf_pt2("p400_Mo_charm", pdg)
        assert 3.9 < n < 5.9, (pdg, n)
        assert 1.6 < pt2 * 1.0 < 2.5, (pdg, pt2)


def test_sps_bdf_serves_d_s_per_pot() -> None:
    """The SHiP/BDF beam (Mo target, 120 cm) offers D_s+- from the p400_Mo_charm table next to pi0 from p400_Mo:
    D_s per POT = P_int x chi_cc x (Ds per pair), P_int = 1 - exp(-L / lambda_I) (~1 here)."""
    beam = get_beam("sps_bdf")
    src = hadron_source(beam)
    assert isinstance(src, TabulatedHadronSource)
    assert src.table.name == "p400_Mo"
    for pdg in (111, 211, 431, -431, 421, 411, 4122, 511, 521, 531):
        assert pdg in src.species, pdg
    p_int = -math.expm1(-beam.target.length_cm.value / beam.target.material.interaction_length_cm)
    assert src.interactions_per_pot == pytest.approx(p_int)
    assert p_int > 0.999
    t = load_table("p400_Mo_charm")
    assert src.table_for(431) is t
    assert src.multiplicity(431) == pytest.approx(p_int * t.multiplicity(431), rel=1e-12)
    # vs SHiP's numbers: chi_cc x 2 x f(c -> Ds) x (1/2 for Ds+ alone) = 1.7e-3 x 0.0802 (Lisovyi et al.), +-25 %
    ds_both = src.multiplicity(431) + src.multiplicity(-431)
    assert ds_both == pytest.approx(2 * 1.7e-3 * 0.0802, rel=0.25)
    # pinned per-POT yields of the shipped tables (SHiP/BDF, 120 cm of Mo): D_s+, D_s-, D0, B0, B_s per POT
    pinned = {431: 1.3501e-4, -431: 1.5556e-4, 421: 8.4641e-4, 511: 6.8710e-8, 531: 1.3839e-8}
    for pdg, per_pot in pinned.items():
        assert src.multiplicity(pdg) == pytest.approx(per_pot, rel=1e-4), pdg
    s = src.sample(431, 1000, np.random.default_rng(0))
    assert s.per_pot == pytest.approx(src.multiplicity(431))


def test_other_beams_get_their_heavy_flavour() -> None:
    src = hadron_source(get_beam("sps_charm_cu"))
    assert isinstance(src, TabulatedHadronSource)
    assert {t.name for t in src.tables} == {"p400_Cu", "p400_Cu_charm", "p400_Cu_beauty"}
    numi = hadron_source(get_beam("numi"))
    assert isinstance(numi, TabulatedHadronSource)
    assert 431 in numi.species
    assert 511 not in numi.species  # no beauty table at 120 GeV/c (sigma_bb(120)/sigma_bb(400) ~ 1e-3)
    # NuMI (120 GeV/c on C): D_s+ per POT = P_int x sigma_cc(120) A / sigma_inel x (Ds+ per pair), pinned
    assert numi.multiplicity(431) == pytest.approx(7.4305e-6, rel=1e-4)


@settings(max_examples=10, deadline=None)
@given(n=st.integers(1, 2000), seed=st.integers(0, 2**32 - 1), pdg=st.sampled_from((431, -431, 421, 4122, 511, 531)))
def test_heavy_sample_invariants(n: int, seed: int, pdg: int) -> None:
    src = TabulatedHadronSource.for_beam(400.0, "Mo", interactions_per_pot=0.9)
    s = src.sample(pdg, n, np.random.default_rng(seed))
    px, py, pz, e = s.momentum.T
    np.testing.assert_allclose(e**2 - (px**2 + py**2 + pz**2), mass(pdg) ** 2, rtol=1e-9, atol=1e-9 * e.max() ** 2)
    assert s.per_pot == pytest.approx(0.9 * load_table(src.table_for(pdg).name).multiplicity(pdg), rel=1e-12)
    assert np.all(pz > -e)


def test_light_table_does_not_serve_charm_and_errors() -> None:
    light = TabulatedHadronSource("p400_Mo")
    assert 431 not in light.species
    with pytest.raises(UnknownNameError, match="entries"):
        light.multiplicity(431)
    with pytest.raises(ConfigError, match="must match"):
        TabulatedHadronSource("p400_Mo", extra_tables=("p120_C_charm",))

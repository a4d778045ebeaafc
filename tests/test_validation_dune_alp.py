"""DUNE near-detector ALP projection (data/experiments/dune_nd_alp.toml, examples/dune_nd_alp.toml) against ALPINIST's
own DUNE contours, for a photon-coupled ALP (Primakoff conversion of π⁰/η photons in the LBNF graphite target) and a
gluon-coupled ALP (meson mixing + Primakoff with g_eff), a → γγ, 0 background, 90 % CL.

Reference: J. Jerhot, B. Döbrich, F. Ertas, F. Kahlhoefer, T. Spadaro, JHEP 07 (2022) 094, arXiv:2201.05170
(ALPINIST); github.com/jjerhot/ALPINIST, Figures/contours/DUNE/ at commit 53441e5. ALPINIST's DUNE setting
(ALP_decay/src/ExpParameters.C at commits 24d7b3c0 and 53441e5, experiment "DUNE", citing arXiv:2103.13910 and
2011.05995): 120 GeV protons on graphite, 1.1e21 POT ("1 year of data taking"), efficiency 1; decays at
z = 574.5-580 m with both photons within |x| < 3 m, |y| < 1 m at z = 580 m (LAr), or at 580-584 m within
|x| < 2.4 m, |y| < 1 m with photon energies > 20 MeV and opening angle > 0.14 rad (GAr); σ_abs(C) = 0.35 b (NIST
XCOM) for the Primakoff conversion probability; photons from their Pythia 8.2 pp table at 120 GeV.

Measured (n_flux 3e4, seeds 1-6 and 2021), ours / ALPINIST in the coupling:
photon ALP (g_aγγ = 4e² C_BB)  m = 0.01, 0.02, 0.05, 0.1, 0.2 GeV: lower 1.67-2.29, upper 0.60-0.87;
  m = 0.3 GeV: lower 2.01-2.63, upper 0.41-0.65 (hard-photon tail, noisy).
gluon ALP (g_gg = C_GG/Λ)  m = 0.05, 0.1, 0.2, 0.3, 0.4 GeV:
  lower 0.44-0.50, 1.01-1.17, 2.07-2.37, 2.14-2.29, 3.03-3.33; upper 0.77-0.97 at all five.
Causes, with numbers:
- forward photons: ours (p+C Angantyr, × P_int = 0.955) / ALPINIST (pp Pythia) = 0.80 (E > 5 GeV, θ < 5 mrad),
  0.73 (E > 10), 0.60 (E > 20); total 1.39 (soft nuclear photons). Rate × ~0.75 → lower edge × 1.07.
- ALPINIST samples the ALP energy uniformly inside 10 GeV bins (TH2::GetRandom2 on the production table, bins
  0-300 GeV, DecayMCProcess.C): the lowest bin spreads ALPs of ~5-10 GeV down to E → m, where the long-lifetime decay
  probability ∝ 1/p is large. Applied to our ALP flux, this raises the rate × 1.74-1.80 (0.05-0.3 GeV) and × 2.4
  (0.01 GeV) → lower edge × 0.87 (× 0.81). 35-45 % of the ALPs hitting the detector have E < 10 GeV.
- geometry: ALPINIST's 6 m × 2 m × 5.5 m LAr region is smaller than the catalogue ND-LAr (7 m × 3 m × 5 m): with
  their box our lower edge moves × 1.05-1.22 the wrong way (measured below); their GAr region adds ≤ × 1.07 in g
  above 0.3 GeV (0.14 rad cut), nothing below.
- remaining, located by a DUNE/CHARM cross-check (test_dune_over_charm_signal_ratio): the per-POT, efficiency-1
  long-lifetime signal ratio DUNE/CHARM at fixed g (0.05 GeV) is 6.3 from ALPINIST's two contours, 0.052 from
  ALPINIST's own photon tables with their stated geometries and σ_P/σ_abs, and 0.065-0.107 from our full chain. Their
  DUNE contour is thus ~120 × in rate (3.3 × in g) more favourable than their CHARM contour plus their own inputs
  imply; our DUNE/ALPINIST lower-edge ratio (1.7-2.3) over our CHARM one (0.55-0.68) is the same ~3. The cause
  inside ALPINIST's DUNE chain (their 120 GeV production tables, tab_prod, are not in the repository; the energy-bin
  sampling above gives ≤ 1.8; a 10-year POT in the published contour would give 10) is not identified. The gluon
  case shows the same DUNE/CHARM factor (ours/ALPINIST lower edge 2.1-2.3 × the CHARM value at 0.1-0.3 GeV, 3.6 at
  0.4 GeV). Below 0.1 GeV the gluon lower edge is stronger because our a-π⁰ mixing keeps its m_a → 0 value (as at
  CHARM: 0.19-0.50; darkbeam.models.alp "Production by mixing").
"""

from pathlib import Path

import numpy as np
import pytest

from darkbeam import experiments
from darkbeam.config import load_card
from darkbeam.experiments import Experiment
from darkbeam.experiments.schema import BoxSpec, DetectorSpec
from darkbeam.production.primakoff import PrimakoffPhotonSource
from darkbeam.scan.grid import sensitivity, sensitivity_from_card

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

#: g_aγγ = 4 e² C_BB = (16π α) C_BB: ALPINIST's Γ(a → γγ) = e⁴ C² m³/(4π) equals g² m³/(64π) (arXiv:2201.05170;
#: as in tests/test_validation_alp.py)
G_PER_CBB = 16.0 * np.pi / 137.035999

# ALPINIST's DUNE contour for a photon-coupled ALP (C_BB only, C_WW = C_GG = 0, a → γγ, 1.1e21 POT, 90 % CL;
# arXiv:2201.05170, github.com/jjerhot/ALPINIST Figures/contours/DUNE/contour_DUNE_mX_CBB_fixed-CWW0-CGG0-Cll0-Cqq0_
# 2Gamma.dat, commit 53441e5), log-interpolated on its two branches: (mass GeV, lower C_BB, upper C_BB) [GeV⁻¹].
DUNE_ALPINIST_PHOTON = np.array(
    [
        (0.01, 6.548e-6, 1.068e-2),
        (0.02, 3.489e-6, 2.476e-3),
        (0.05, 1.578e-6, 3.444e-4),
        (0.10, 8.967e-7, 7.351e-5),
        (0.20, 5.448e-7, 1.523e-5),
        (0.30, 4.383e-7, 5.656e-6),
    ]
)
# ALPINIST's DUNE contour for a gluon-coupled ALP (C_GG only, a → γγ; same paper and repository,
# contour_DUNE_mX_CGG_fixed-CBB0-CWW0-Cll0-Cqq0_2Gamma.dat): smallest and largest C_GG/Λ [GeV⁻¹] = DarkBeam's g_gg
# where the contour crosses each mass (log-interpolated; the file's straight closing segment from (0.0026 GeV, 0.1)
# to (0.98 GeV, 5e-10) lies between the two branches and is not an edge). Masses away from the π⁰ and η poles.
DUNE_ALPINIST_GLUON = np.array(
    [
        (0.05, 1.713e-7, 2.409e-4),
        (0.10, 2.640e-8, 4.995e-5),
        (0.20, 1.208e-8, 2.164e-5),
        (0.30, 7.357e-9, 6.696e-6),
        (0.40, 2.715e-9, 2.645e-6),
    ]
)
# ALPINIST's Pythia 8.2 photons from light-meson decays in 120 GeV pp (SoftQCD, 1e5 events; ALP_production/
# tab_gammas/120GeV/EvsPTLoggamma_100kEvts_120GeV_full.dat of the same repository), integrated here as counts per
# (log10 p, log10 pT) cell (the reading that gives 7.82 photons per collision at 400 GeV, tests/test_validation_alp.py):
# photons per pp collision in total 5.698; θ < 5 mrad with E > 5, 10, 20 GeV: 0.04994, 0.03815, 0.02263.
ALPINIST_PHOTONS_120 = {"total": 5.698, "fwd5": 0.04994, "fwd10": 0.03815, "fwd20": 0.02263}

PHOTON_COUPLINGS = np.geomspace(1e-8, 1e-1, 120)
GLUON_COUPLINGS = np.geomspace(1e-11, 1e-2, 140)


def _alpinist_box_experiment() -> Experiment:
    """dune_nd_alp with ALPINIST's LAr decay region (6 m × 2 m × 5.5 m, z = 574.5-580 m) instead of ND-LAr."""
    spec = experiments.get("dune_nd_alp").spec
    box = DetectorSpec(
        name="alpinist_dune_lar",
        solid=BoxSpec(shape="box", half_lengths_cm=(300.0, 100.0, 275.0), center_cm=(0.0, 0.0, 57725.0)),
        material="LAr",
        source="ALPINIST ExpParameters.C (commit 53441e5), DUNE: ZFVIn = 574.5 m, ZECal = 580 m, |x| < 3 m, |y| < 1 m",
    )
    return Experiment(spec=spec.model_copy(update={"detector": box}))


def test_dune_photon_alp_against_alpinist() -> None:
    masses = DUNE_ALPINIST_PHOTON[:, 0]
    result = sensitivity_from_card(load_card(EXAMPLES / "dune_nd_alp.toml"), masses=masses, n_flux=30_000)
    assert result.signal_limit == pytest.approx(2.3026, rel=1e-3)  # 0 observed, 0 background, 90 % CL
    low = result.lower / (G_PER_CBB * DUNE_ALPINIST_PHOTON[:, 1])
    high = result.upper / (G_PER_CBB * DUNE_ALPINIST_PHOTON[:, 2])
    # measured (seeds 1-6, 2021; module docstring): lower 1.67-2.29 up to 0.2 GeV, 2.01-2.63 at 0.3 GeV; upper
    # 0.60-0.87 up to 0.2 GeV, 0.41-0.65 at 0.3 GeV (the hard-photon tail)
    assert np.all((low[:-1] > 1.4) & (low[:-1] < 2.6)), low
    assert 1.6 < low[-1] < 3.2, low
    assert np.all((high[:-1] > 0.5) & (high[:-1] < 1.1)), high
    assert 0.25 < high[-1] < 0.85, high


def test_dune_gluon_alp_against_alpinist() -> None:
    result = sensitivity(
        "alp_gluon",
        {},
        experiments.get("dune_nd_alp"),
        DUNE_ALPINIST_GLUON[:, 0],
        GLUON_COUPLINGS,
        n_flux=30_000,
        seed=1,
    )
    low = result.lower / DUNE_ALPINIST_GLUON[:, 1]
    high = result.upper / DUNE_ALPINIST_GLUON[:, 2]
    # measured (module docstring): lower 0.44-0.50, 1.01-1.17, 2.07-2.37, 2.14-2.29, 3.03-3.33; upper 0.77-0.97
    assert 0.3 < low[0] < 0.75, low
    assert 0.8 < low[1] < 1.6, low
    assert np.all((low[2:4] > 1.6) & (low[2:4] < 3.0)), low
    assert 2.4 < low[4] < 4.2, low
    assert np.all((high > 0.65) & (high < 1.2)), high


def test_dune_alp_geometry_is_not_the_discrepancy() -> None:
    # same production, ALPINIST's smaller LAr box: the lower edge gets weaker (× 1.05-1.22 measured), the upper
    # edge stays; the ~1.7-2x gap of the photon case is not the detector volume
    masses = np.array([0.02, 0.1])
    nd = sensitivity("alp", {}, experiments.get("dune_nd_alp"), masses, PHOTON_COUPLINGS, n_flux=30_000, seed=3)
    box = sensitivity("alp", {}, _alpinist_box_experiment(), masses, PHOTON_COUPLINGS, n_flux=30_000, seed=3)
    ratio = box.lower / nd.lower
    assert np.all((ratio > 1.0) & (ratio < 1.35)), ratio
    up = box.upper / nd.upper
    assert np.all((up > 0.8) & (up < 1.25)), up


def test_dune_alp_lower_edge_scales_as_pot_to_minus_quarter() -> None:
    # long-lifetime regime: N ∝ POT g⁴ (Primakoff σ ∝ g², decay probability ∝ Γ ∝ g²) → lower edge ∝ POT^(-1/4);
    # 10 x POT lowers it by 10^(-1/4) = 0.562 (the factor a 10-year exposure would bring)
    exp = experiments.get("dune_nd_alp")
    masses = np.array([0.05])
    couplings = np.geomspace(1e-8, 1e-4, 400)
    one = sensitivity("alp", {}, exp, masses, couplings, n_flux=20_000, seed=4)
    ten = sensitivity("alp", {}, exp, masses, couplings, pot=10 * exp.pot, n_flux=20_000, seed=4)
    assert exp.pot == pytest.approx(1.1e21)
    assert ten.lower[0] / one.lower[0] == pytest.approx(10 ** (-0.25), rel=0.03)


def test_lbnf_photons_against_alpinist_pythia() -> None:
    # DarkBeam's photons per POT (p120_C Angantyr table × P_int of the 150 cm graphite target) against ALPINIST's pp
    # photons per collision: more in total (soft nuclear photons), fewer in the forward hard region DUNE ND sees
    photons = PrimakoffPhotonSource("lbnf").sample(200_000, np.random.default_rng(11))
    energy = photons.momentum[:, 3]
    theta = np.hypot(photons.momentum[:, 0], photons.momentum[:, 1]) / photons.momentum[:, 2]
    w = photons.weight
    fwd = theta < 0.005
    # measured (seed 11, 3e5): 1.39, 0.80, 0.73, 0.61
    assert 1.25 < w.sum() / ALPINIST_PHOTONS_120["total"] < 1.55
    assert 0.65 < w[fwd & (energy > 5)].sum() / ALPINIST_PHOTONS_120["fwd5"] < 0.95
    assert 0.58 < w[fwd & (energy > 10)].sum() / ALPINIST_PHOTONS_120["fwd10"] < 0.9
    assert 0.45 < w[fwd & (energy > 20)].sum() / ALPINIST_PHOTONS_120["fwd20"] < 0.8


#: per-POT, efficiency-1 long-lifetime signal ratio DUNE ND / CHARM at fixed g_aγγ and m = 0.05 GeV implied by
#: ALPINIST's own contours: (g_CHARM/g_DUNE)⁴ × POT_CHARM/POT_DUNE × ε_CHARM
#: = (5.022e-6/(4e² 1.578e-6))⁴ × 2.4e18/1.1e21 × 0.51 = 6.3 (CHARM edge: tests/test_validation_alp.py, same
#: repository and commit)
ALPINIST_CONTOURS_DUNE_OVER_CHARM = 6.3
#: the same ratio from ALPINIST's own Pythia photon tables (120 GeV for DUNE, 400 GeV for CHARM, integrated here):
#: Σ N_γ/E × L over photons pointing into their DUNE LAr box (|x| < 3 m, |y| < 1 m at 580 m, L = 5.5 m) over the same
#: into the CHARM box (3 m × 3 m, centre 4.8 m off axis at 497.5 m, L = 35 m) = 0.069 (0.069-0.071 for E > 0.5-5 GeV),
#: × σ_P/σ_abs(C)/(Cu) ≈ 0.75 → 0.052. Their contours are ~120 × (3.3 × in g) more favourable to DUNE than their
#: own photons and stated settings give.
ALPINIST_PHOTONS_DUNE_OVER_CHARM = 0.052


def test_dune_over_charm_signal_ratio() -> None:
    # our full chain, DUNE ND-LAr / CHARM per POT at efficiency 1, agrees with the ratio from ALPINIST's own photon
    # tables (0.052; ours has the larger ND-LAr, x 1.2-1.6 in rate) and not with the one their two contours imply
    # (6.3): the DUNE lower-edge gap (ours 1.7-2.3 x theirs, while 0.55-0.68 x at CHARM) sits in ALPINIST's DUNE
    # normalisation.
    # Measured: 0.107, 0.074, 0.065 (seeds 7, 8, 9; the fourth power of the edge ratio makes it noisy).
    masses = np.array([0.05])
    dune = experiments.get("dune_nd_alp")
    charm = experiments.get("charm_sps_alp")
    g_d = sensitivity("alp", {}, dune, masses, PHOTON_COUPLINGS, n_flux=30_000, seed=7).lower[0]
    g_c = sensitivity("alp", {}, charm, masses, PHOTON_COUPLINGS, n_flux=30_000, seed=7).lower[0]
    eff_c = float(np.asarray(charm.efficiency(0.05)))
    eff_d = float(np.asarray(dune.efficiency(0.05)))
    ratio = (g_c / g_d) ** 4 * charm.pot / dune.pot * eff_c / eff_d
    assert 0.5 * ALPINIST_PHOTONS_DUNE_OVER_CHARM < ratio < 3.0 * ALPINIST_PHOTONS_DUNE_OVER_CHARM, ratio
    assert ratio < ALPINIST_CONTOURS_DUNE_OVER_CHARM / 20, ratio

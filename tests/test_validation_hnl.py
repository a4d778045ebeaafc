"""HNL (muon mixing) sensitivities at SBND (BNB) and T2K ND280, and the comparison with T2K's published limit.

Slow: each test scans an example card on a reduced mass grid (the card's own n_flux and seed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import darkbeam as db
from darkbeam.config import load_card
from darkbeam.scan import sensitivity_from_card

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# T2K, PRD 100, 052006 (2019), arXiv:1902.07598: 90 % CL upper limit on |U_mu4|^2 for a Majorana HNL with
# |U_e4|^2 = |U_tau4|^2 = 0 from 0 observed events (12.34e20 POT neutrino mode + 6.29e20 antineutrino mode),
# channels mu pi, e pi, e e nu, mu e nu. Points (mass in GeV) of the curve obtained from T2K's public data release
# by profiling the other mixings (as compiled by Hostert et al., Heavy-Neutrino-Limits, "T2K_2019_profiled_Umu4").
T2K_UMU2 = np.array(
    [
        (0.150, 5.44e-7),
        (0.180, 2.13e-7),
        (0.200, 1.14e-7),
        (0.240, 4.15e-8),
        (0.260, 8.89e-9),
        (0.300, 2.76e-9),
        (0.340, 1.32e-9),
        (0.380, 8.14e-10),
    ]
)

# Agreement DarkBeam/T2K in |U_mu4|^2 (ours / published) measured with the shipped entry (K+ focused by the thin-lens
# J-PARC horn model in neutrino mode, K- focused by horn '-' in antineutrino mode, each run's wrong-sign kaons
# defocused, 15 % efficiency in every channel, T2K's Bayesian prior flat in |U|^2), at the masses above, n_flux 200k:
# 0.84 0.91 1.01 1.16 1.26 1.82 2.37 4.55 (350k: 0.84 0.91 1.01 1.16 1.27 1.81 2.33 4.49; without the wrong-sign
# kaons 0.97 1.04 1.14 1.28 1.39 1.92 2.41 4.63). Within the factor 2 up to 0.30 GeV, NOT above. Forensic (README of
# data/experiments, nd280_t2k_hnl): DarkBeam's J-PARC kaons toward ND280 are x0.46-0.58 of T2K's official flux
# (test_jparc_kaon_flux_at_nd280): x1.3-1.5 in |U|^2 at every mass; the growth above 0.26 GeV is the endpoint: N
# follows its kaon, so the rate measures the density of kaon decays pointing at ND280 (our N(0.38)/N(0.30) = 1.8,
# T2K's curve implies 11.5). The toroidal-field model of the three T2K horns (jparc_nu [horn.field_model], not the
# default) gives 1.5-2.0 for every geometry variant, and a detector ON the beam axis 5.6: no horn model reaches
# T2K's shape, so jparc_nu stays on the thin lens and these bands are unchanged.
T2K_RATIO_BOUNDS_LOW_MASS = (0.6, 2.0)  # m <= 0.30 GeV
T2K_RATIO_BOUNDS_ALL = (0.6, 6.0)


def _scan(card_name: str, masses: np.ndarray) -> db.ScanResult:
    return sensitivity_from_card(load_card(EXAMPLES / card_name), masses=masses)


@pytest.mark.slow
def test_t2k_nd280_against_published_limit() -> None:
    # 40 % of the card's n_flux per source (four kaon sources) keeps this under a minute on CI's 2 cores (41 s CPU
    # measured); the ratios are within 2 % of those at 350k
    result = sensitivity_from_card(load_card(EXAMPLES / "t2k_nd280_hnl.toml"), masses=T2K_UMU2[:, 0], n_flux=200_000)
    # 0 observed, 90 % CL, prior flat in |U|^2 with N ∝ |U|^4: erfinv(0.9)^2 events
    assert result.signal_limit == pytest.approx(1.3528, rel=1e-3)
    assert np.all(np.isfinite(result.lower)), result.lower
    ratio = result.lower / T2K_UMU2[:, 1]
    print("ours / T2K:", np.round(ratio, 2))
    low = T2K_UMU2[:, 0] <= 0.30
    lo, hi = T2K_RATIO_BOUNDS_LOW_MASS
    assert np.all((ratio[low] > lo) & (ratio[low] < hi)), ratio
    lo, hi = T2K_RATIO_BOUNDS_ALL
    assert np.all((ratio > lo) & (ratio < hi)), ratio
    # the mu pi channel opens at m_mu + m_pi = 0.245 GeV: the limit drops by > 3x between 0.24 and 0.26 GeV
    assert result.lower[3] / result.lower[4] > 3.0


@pytest.mark.slow
def test_sbnd_bnb_mu_pi_sensitivity() -> None:
    masses = np.array([0.26, 0.30, 0.34, 0.38])
    result = _scan("sbnd_bnb_hnl.toml", masses)
    assert np.all(np.isfinite(result.lower))
    # long-lifetime regime: N ∝ |U|^4, so the edge sits where N = 2.30 events (0 observed, 0 background, 90 % CL)
    assert result.signal_limit == pytest.approx(2.3026, rel=1e-3)
    # stronger than MicroBooNE's mu pi limit from BNB absorber kaons (PRD 101, 052001 (2020), arXiv:1911.10545:
    # |U_mu4|^2 < 4.7e-7 to 0.7e-7, Majorana, 260-385 MeV, 2.0e20 POT at 470 m) - SBND is 110 m from the target
    assert np.all(result.lower < 7e-8), result.lower
    # and not absurdly so: the in-flight kaon flux at 110 m cannot beat MicroBooNE by more than ~1e3 in |U|^2
    assert np.all(result.lower > 7e-8 / 1e3), result.lower
    # the excluded band closes: large mixing decays before the detector
    assert np.all(result.upper > 10 * result.lower)


# T2K's official ND280 flux (2016 release, +250 kA horn current, 2.5 deg off axis at 280 m; method of K. Abe et al.
# (T2K), PRD 87, 012001 (2013), arXiv:1211.0469), summed over its 50 MeV bins: nu_e and nu_mu per cm^2 per 1e21 POT in
# the energy bins below. Above 1.5 GeV the nu_e are K_e3 decays of K+ and K_L (> 90 % in DarkBeam's own flux) and
# the nu_mu above 3 GeV mostly K+ -> mu+ nu: a direct check of the kaons that make the HNLs of nd280_t2k_hnl.
T2K_ND280_BINS_GEV = [1.5, 2.0, 3.0, 4.0, 6.0, 10.0]
T2K_ND280_NUE = np.array([1.695e10, 2.291e10, 1.218e10, 8.273e9, 2.429e9])
T2K_ND280_NUMU = np.array([4.756e11, 4.624e11, 2.839e11, 2.978e11, 1.282e11])


def test_jparc_kaon_flux_at_nd280() -> None:
    """DarkBeam's J-PARC kaons toward ND280 (Pythia p30_C table, thin-lens horn) give 0.44-0.58 of T2K's nu_e at
    1.5-10 GeV and 0.39-0.47 of its nu_mu at 4-10 GeV (measured, seeds 1 and 2, 50k hadrons per species): the kaon
    yield is ~x0.5 of T2K's at every energy (no tertiary production in the target; see the README, nd280_t2k_hnl).
    The band fails if the kaon flux moves by more than ~x1.5 down or ~x2.5 up (a fix of the yield must update it)."""
    from darkbeam.neutrinos import neutrino_flux

    angle = np.radians(2.5)
    flux = neutrino_flux(
        "jparc_nu",
        (28000.0 * np.sin(angle), 0.0, 28000.0 * np.cos(angle)),
        T2K_ND280_BINS_GEV,
        n=50_000,
        seed=1,
        horn="+",
        decays_at_rest=False,
    )
    nue = np.asarray(flux["nue"]["flux_per_pot_cm2"]) * 1e21 / T2K_ND280_NUE
    numu = np.asarray(flux["numu"]["flux_per_pot_cm2"]) * 1e21 / T2K_ND280_NUMU
    assert np.all((nue > 0.3) & (nue < 1.3)), nue
    assert np.all((numu[3:] > 0.25) & (numu[3:] < 1.3)), numu
    # the kaon deficit is a normalisation, not a shape: nu_e ratio flat within 35 % over 1.5-10 GeV
    assert nue.max() / nue.min() < 1.35, nue

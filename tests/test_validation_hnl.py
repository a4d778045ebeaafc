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
# J-PARC horn model, antineutrino-mode K- with horn '-' as a second source with its own POT, 15 % efficiency in every channel),
# at the masses above: 1.25 1.31 1.46 1.60 1.83 2.56 3.20 6.32. Within the factor 2 up to 0.26 GeV, NOT above. Diagnosis
# (README of data/experiments, nd280_t2k_hnl): not the off-axis acceptance (0.11 % of the HNL flux aims at the TPCs
# at 0.30 GeV, 0.14 % at 0.38 GeV); from 0.30 to 0.38 GeV our rate grows ×1.9 (μπ width ×3.7, BR(K → μN) ×0.31,
# m/p ×1.18, acceptance ×1.26) while T2K's limit implies ×11.5: T2K's efficiency vs mass (flat 15 % here) and
# kaon flux shape are what the card does not model.
T2K_RATIO_BOUNDS_LOW_MASS = (0.7, 2.2)  # m <= 0.26 GeV
T2K_RATIO_BOUNDS_ALL = (0.7, 8.0)


def _scan(card_name: str, masses: np.ndarray) -> db.ScanResult:
    return sensitivity_from_card(load_card(EXAMPLES / card_name), masses=masses)


@pytest.mark.slow
def test_t2k_nd280_against_published_limit() -> None:
    result = _scan("t2k_nd280_hnl.toml", T2K_UMU2[:, 0])
    assert result.signal_limit == pytest.approx(2.3026, rel=1e-3)  # 0 observed, 90 % CL
    assert np.all(np.isfinite(result.lower)), result.lower
    ratio = result.lower / T2K_UMU2[:, 1]
    low = T2K_UMU2[:, 0] <= 0.26
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

"""Dark photon at the SPS 400 GeV dump (CHARM) and scalar at ICARUS from NuMI, against published limits; the NuMI
dark-photon projection.

Slow: each test scans an example card on a reduced mass grid (the card's own seed). Reference values are read off
the published curves (sources in each constant's comment) and hard-coded here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

import darkbeam as db
from darkbeam.config import load_card
from darkbeam.scan import sensitivity_from_card

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# CHARM dark-photon limit (90 % CL, minimal dark photon, A' -> e+e-) of Y.-D. Tsai, P. deNiverville, M.X. Liu,
# PRL 126, 181801 (2021), arXiv:1908.07525 (own simulation of CHARM, PLB 166, 473 (1986): 2.4e18 POT, 0 events):
# (mass GeV, lower epsilon, upper epsilon), points of the curve as digitised by Darkcast (Ilten, Soreq, Williams,
# Xue, JHEP 06 (2018) 004; limit "CHARM_Tsai2019mtm"). The contour closes at ~0.25 GeV.
CHARM_TSAI = np.array(
    [
        (0.003, 6.85e-7, 2.135e-4),
        (0.010, 3.82e-7, 5.64e-5),
        (0.020, 2.72e-7, 2.57e-5),
        (0.040, 2.00e-7, 1.176e-5),
        (0.060, 1.78e-7, 7.19e-6),
        (0.100, 2.05e-7, 3.62e-6),
        (0.150, 2.61e-7, 1.74e-6),
        (0.200, 2.49e-7, 1.137e-6),
    ]
)
# The same CHARM data as recast by S.N. Gninenko, PLB 713, 244 (2012), arXiv:1204.3583 (A' from eta and eta' only),
# curve digitised by Darkcast (limit "CHARM_Bergsma1985qz"), log-interpolated at the masses above, plus 0.3 and
# 0.4 GeV where only this recast excludes anything.
CHARM_GNINENKO = np.array(
    [
        (0.003, 6.58e-7, 1.275e-4),
        (0.010, 3.60e-7, 3.51e-5),
        (0.020, 2.57e-7, 1.644e-5),
        (0.040, 1.81e-7, 7.65e-6),
        (0.060, 1.48e-7, 4.89e-6),
        (0.100, 1.19e-7, 2.78e-6),
        (0.150, 9.87e-8, 1.70e-6),
        (0.200, 9.07e-8, 1.216e-6),
        (0.300, 8.84e-8, 6.75e-7),
        (0.400, 1.10e-7, 3.35e-7),
    ]
)

# ICARUS, arXiv:2411.02727, 90 % CL limit on the Higgs-portal scalar mixing sin(theta) from K -> pi S(-> mu mu),
# 2.41e20 NuMI POT: (mass GeV, lower, upper) read off the published contour (as digitised in FORESEE's DarkHiggs
# bounds, Kling & Trojanowski, PRD 104, 035012 (2021), repository lines "bounds_ICARUS"), log-interpolated.
ICARUS = np.array(
    [
        (0.22, 5.03e-5, 6.41e-4),
        (0.23, 3.88e-5, 3.30e-4),
        (0.24, 3.47e-5, 2.28e-4),
        (0.25, 3.31e-5, 1.65e-4),
        (0.26, 3.27e-5, 1.33e-4),
        (0.27, 3.54e-5, 8.63e-5),
    ]
)


def _scan(card_name: str, masses: NDArray[np.float64], n_flux: int | None = None) -> db.ScanResult:
    return sensitivity_from_card(load_card(EXAMPLES / card_name), masses=masses, n_flux=n_flux)


@pytest.mark.slow
def test_charm_dark_photon_against_published_limits() -> None:
    masses = CHARM_GNINENKO[:, 0]
    result = _scan("sps_charm_dark_photon.toml", masses)
    assert result.signal_limit == pytest.approx(2.3026, rel=1e-3)  # 0 observed, 0 background, 90 % CL
    tsai = slice(0, len(CHARM_TSAI))
    # Measured (n_flux 1e5, seed 1985): lower edge / Tsai et al. 0.63-0.76, upper edge / Tsai et al. 0.93-1.22
    low = result.lower[tsai] / CHARM_TSAI[:, 1]
    high = result.upper[tsai] / CHARM_TSAI[:, 2]
    assert np.all((low > 0.4) & (low < 1.1)), low
    assert np.all((high > 0.75) & (high < 1.5)), high
    # Gninenko's recast (measured: lower 0.66-1.30, upper 1.23-1.88 up to 0.1 GeV): within a factor 2 up to 0.1 GeV
    # on both edges; above, it is stronger (lower edge 1.9x at 0.15-0.2 GeV) and it excludes 0.3-0.4 GeV, where
    # DarkBeam (and Tsai et al.) exclude nothing
    g_low = result.lower[:6] / CHARM_GNINENKO[:6, 1]
    g_high = result.upper[:6] / CHARM_GNINENKO[:6, 2]
    assert np.all((g_low > 0.5) & (g_low < 2.0)), g_low
    assert np.all((g_high > 0.9) & (g_high < 2.2)), g_high
    assert result.lower[7] / CHARM_GNINENKO[7, 1] > 1.5
    assert np.all(np.isnan(result.lower[8:])), result.lower
    # the band closes: short-lived A' decay in the dump's shadow
    assert np.all(result.upper[:8] > 3 * result.lower[:8])


@pytest.mark.slow
def test_icarus_numi_scalar_against_published_limit() -> None:
    # Sources as in the published simulation (K+, K- with forward-current horns, K_L; no absorber KDAR: see the
    # experiment TOML), assumed 10 % efficiency, simplified 0-background statistics (paper's numbers not available),
    # and the paper's "two fully contained muons" as a CSDA-range containment cut in the active volume, with the
    # coupling-dependent efficiency it implies (darkbeam.scan.signal_efficiency).
    # ICARUS placed and oriented at NuMI as in the collaboration's generator configuration (sbncode
    # numi_kaon_common.fcl; data/detectors/icarus.toml), forced emission of in-flight kaon decays.
    result = _scan("icarus_numi_scalar.toml", ICARUS[:, 0], n_flux=60_000)
    assert result.signal_limit == pytest.approx(2.3026, rel=1e-3)
    published = ICARUS[:, 0] <= 0.265
    assert np.all(np.isfinite(result.lower[published])), result.lower
    # both edges within a factor 2 of ICARUS (measured, seed 2411, n_flux 6e4, NuMI horn field model: lower 1.30 1.39
    # 1.39 1.44 1.39 1.57, upper 1.10 1.01 0.98 0.94 0.93 0.86 at 0.22-0.27 GeV; seed spread 1-2 % (lower), 5-7 %
    # (upper)). With the thin-lens horn the band closed just below 0.27 GeV; without the detector rotation the upper
    # edge was 1.5-1.9x, without containment 2.2-3.0x.
    low = result.lower[published] / ICARUS[published, 1]
    assert np.all((low > 0.5) & (low < 2.0)), low
    high = result.upper[published] / ICARUS[published, 2]
    assert np.all((high > 0.5) & (high < 2.0)), high
    # the published contour closes at 0.272 GeV as a sliver (3.5e-5 to 8.6e-5 at 0.27 GeV); ours is at the edge of
    # closing there (with the stated 10 % efficiency): at 0.27 GeV either nothing or a band within 2x of the sliver
    if np.isfinite(result.lower[-1]):
        assert 0.5 < result.lower[-1] / ICARUS[-1, 1] < 2.0
    # above ~0.285 GeV nothing is excluded
    beyond = _scan("icarus_numi_scalar.toml", np.array([0.30, 0.33]), n_flux=30_000)
    assert np.all(np.isnan(beyond.lower)), beyond.lower


@pytest.mark.slow
def test_numi_dark_photon_projection() -> None:
    masses = np.array([0.01, 0.03, 0.06, 0.1])
    result = _scan("numi_dark_photon.toml", masses)
    assert np.all(np.isfinite(result.lower)), result.lower
    # long-lifetime regime N ∝ eps^4: the band's lower edge sits in the CHARM range (1e-7 - 1e-6) - ICARUS has
    # 100x the POT of CHARM but 1/3 of the beam energy and sits 0.1 rad off axis
    assert np.all((result.lower > 3e-8) & (result.lower < 1e-6)), result.lower
    # the band stays open (measured upper/lower 28, 11, 6.1, 2.9 at the ICARUS placement of sbncode, 799 m)
    assert np.all(result.upper > 2 * result.lower)
    # pi0 -> gamma A' closes at m_pi0: above it only eta/eta'/omega remain and the reach shrinks
    assert result.expected[3].max() < result.expected[1].max()

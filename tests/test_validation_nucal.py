"""Dark photon at the U70 70 GeV iron dump with the NuCal decay region, against the published NuCal limits.

Reference curves (90 % CL, minimal dark photon, A' -> e+e-), as digitised by Darkcast (Ilten, Soreq, Williams, Xue,
JHEP 06 (2018) 004, arXiv:1801.04847), log-interpolated at the masses below and hard-coded here:

* Bluemlein & Brunner, PLB 731 (2014) 320, arXiv:1311.3870: proton bremsstrahlung only (Darkcast limit
  "NuCAL_Blumlein1991xh", production p_brem);
* Tsai, deNiverville & Liu, PRL 126 (2021) 181801, arXiv:1908.07525: their own simulation of NuCal with all
  production channels (Darkcast limit "NuCAL_Tsai2019mtm");
* Bluemlein & Brunner, PLB 701 (2011) 155, arXiv:1104.2747: pi0 -> gamma A' only (Darkcast limit
  "NuCAL_Blumlein1990ay"; closes at m_pi0).

Each comparison scans the experiment on the 8 reference masses with the example card's seed and n_flux (~2 s).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import darkbeam as db
from darkbeam import experiments
from darkbeam.config import load_card
from darkbeam.production.tabulated import load_table
from darkbeam.scan import sensitivity
from darkbeam.stats import classical_upper_limit

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

#: (mass GeV, lower epsilon, upper epsilon) of Bluemlein & Brunner's bremsstrahlung limit (arXiv:1311.3870, e+e-
#: curve; Darkcast "NuCAL_Blumlein1991xh"), log-interpolated.
NUCAL_BB_BREMS = np.array(
    [
        (0.02, 5.82e-07, 4.456e-05),
        (0.05, 3.67e-07, 1.625e-05),
        (0.10, 2.63e-07, 7.493e-06),
        (0.20, 1.90e-07, 3.379e-06),
        (0.30, 1.42e-07, 1.381e-06),
        (0.40, 1.28e-07, 8.918e-07),
        (0.50, 1.24e-07, 5.918e-07),
        (0.60, 1.36e-07, 3.319e-07),
    ]
)
#: the same masses on Tsai, deNiverville & Liu's NuCal curve (arXiv:1908.07525; Darkcast
#: "NuCAL_Tsai2019mtm"), log-interpolated.
NUCAL_TSAI = np.array(
    [
        (0.02, 2.97e-07, 4.607e-05),
        (0.05, 2.02e-07, 1.680e-05),
        (0.10, 2.05e-07, 7.531e-06),
        (0.20, 2.39e-07, 3.225e-06),
        (0.30, 2.20e-07, 1.226e-06),
        (0.40, 2.28e-07, 7.586e-07),
        (0.50, 2.25e-07, 5.279e-07),
        (0.60, 1.92e-07, 3.559e-07),
    ]
)
#: Bluemlein & Brunner's pi0 limit (arXiv:1104.2747; Darkcast "NuCAL_Blumlein1990ay") at the first three masses.
NUCAL_BB_PI0 = np.array(
    [
        (0.02, 1.52e-07, 4.830e-05),
        (0.05, 1.02e-07, 1.762e-05),
        (0.10, 1.14e-07, 7.580e-06),
    ]
)
COUPLINGS = np.logspace(-9, -3, 241)


def _scan(kinds: str) -> db.ScanResult:
    """Scan ``nucal_dark_photon`` at the reference masses with only the bremsstrahlung source ("brems") or with
    all sources ("all"), at the example card's seed and n_flux."""
    card = load_card(EXAMPLES / "nucal_dark_photon.toml")
    exp = experiments.get("nucal_dark_photon")
    if kinds == "brems":
        kept = [s for s in exp.spec.sources if s.kind == "proton_bremsstrahlung"]
        exp = replace(exp, spec=exp.spec.model_copy(update={"sources": kept}))
    return sensitivity(
        "dark_photon", {}, exp, NUCAL_BB_BREMS[:, 0], COUPLINGS, n_flux=card.run.n_flux, seed=card.run.seed
    )


def test_nucal_entry_numbers() -> None:
    # the shipped 70 GeV/c p+Fe Pythia table (data/mesons/README.md): pinned integrals, so a regenerated table that
    # changes them is noticed
    table = load_table("p70_Fe")
    assert table.n_events == 580_000
    assert int(table.counts[111].sum()) == 2_388_872
    assert int(table.counts[221].sum()) == 269_729
    exp = experiments.get("nucal_dark_photon")
    assert exp.pot == pytest.approx(1.71e18)  # arXiv:1104.2747 / 1311.3870
    # 5 observed on 3.5 expected background, classical 90 % CL: 5.77 signal events
    assert classical_upper_limit(5, 3.5, 0.9) == pytest.approx(5.775, abs=0.01)
    assert {s.kind for s in exp.spec.sources} == {"proton_bremsstrahlung", "beam"}
    # decay region 64-87 m on axis, 2.6 m diameter: an on-axis ray enters at 6400 cm and leaves at 8700 cm, a ray at
    # 14 mrad (1.2 m at 87 m) still crosses the whole length, one at 25 mrad (1.6 m at 64 m) misses
    solid = exp.solid
    origin = np.zeros((3, 3))
    theta = np.array([0.0, 0.014, 0.025])
    direction = np.stack([np.sin(theta), np.zeros(3), np.cos(theta)], axis=1)
    entry, exit_ = solid.intersect(origin, direction)
    assert entry[0] == pytest.approx(6400.0)
    assert exit_[0] == pytest.approx(8700.0)
    assert exit_[1] - entry[1] == pytest.approx(2300.0 / np.cos(0.014), rel=1e-6)
    assert np.isnan(entry[2])
    assert np.isnan(exit_[2])


def test_nucal_bremsstrahlung_against_bluemlein_brunner() -> None:
    """Same production as the published analysis (quasi-real bremsstrahlung, 0.1 < z < 0.9, p_T < 1 GeV)."""
    result = _scan("brems")
    assert result.signal_limit == pytest.approx(5.775, abs=0.01)
    low = result.lower / NUCAL_BB_BREMS[:, 1]
    high = result.upper / NUCAL_BB_BREMS[:, 2]
    # measured (n_flux 2e4, seed 1989): see data/experiments/README.md (nucal_dark_photon)
    assert np.all((low > 0.5) & (low < 2.0)), low
    assert np.all((high > 0.5) & (high < 2.0)), high
    # the band is open up to 0.6 GeV and narrows with mass (upper edge falls as the A' gets shorter-lived)
    assert np.all(result.upper > 2 * result.lower), (result.lower, result.upper)
    assert np.all(np.diff(result.upper) < 0), result.upper


def test_nucal_all_channels_against_tsai_et_al() -> None:
    """Bremsstrahlung plus pi0/eta -> gamma A' (all channels, as Tsai et al.), and the pi0-dominated low masses
    against Bluemlein & Brunner's pi0 analysis."""
    result = _scan("all")
    low = result.lower / NUCAL_TSAI[:, 1]
    high = result.upper / NUCAL_TSAI[:, 2]
    # measured (n_flux 2e4, seed 1989; seed 7 within 2 %): lower 0.52-0.70, upper 1.00-1.30. Our lower edge is
    # stronger: no shower-energy threshold is modelled, and the 1/p-weighted long-lifetime signal of meson-produced
    # A' is dominated by soft A' (at 20 MeV only 23 % of it has E > 3 GeV and 4 % E > 10 GeV; README.md)
    assert np.all((low > 0.45) & (low < 1.0)), low
    assert np.all((high > 0.5) & (high < 2.0)), high
    # the band's lower edge is meson-dominated up to ~0.3 GeV: below m_pi0 it matches the pi0-only curve
    # (measured lower 1.02-1.17, upper 0.95-1.01)
    pi0 = slice(0, len(NUCAL_BB_PI0))
    assert np.all((result.lower[pi0] / NUCAL_BB_PI0[:, 1] > 0.5) & (result.lower[pi0] / NUCAL_BB_PI0[:, 1] < 2.0))
    assert np.all((result.upper[pi0] / NUCAL_BB_PI0[:, 2] > 0.5) & (result.upper[pi0] / NUCAL_BB_PI0[:, 2] < 2.0))

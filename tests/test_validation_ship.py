"""SHiP HNL sensitivity (muon mixing) from charm and beauty at the SPS BDF, compared with SHiP's published curve.

End-to-end check of the heavy-flavour tables (p400_Mo_charm, p400_Mo_beauty), of HNL production in D, D_s, B and B_s
decays and of the decay-volume acceptance. The slow test scans examples/ship_hnl.toml on a reduced mass grid; the fast
tests pin the production chain (D_s → N per POT) with closed-form products of the shipped numbers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import darkbeam as db
from darkbeam import experiments
from darkbeam.beams import get as get_beam
from darkbeam.config import load_card
from darkbeam.experiments.schema import DetectorRef
from darkbeam.geometry import decay_probability
from darkbeam.interactions import signal_branching_ratio
from darkbeam.models import HNL
from darkbeam.production.beam_source import hadron_source
from darkbeam.production.dark import produce
from darkbeam.scan import sensitivity_from_card

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# SHiP Collaboration, "Sensitivity of the SHiP experiment to Heavy Neutral Leptons", JHEP 04 (2019) 077,
# arXiv:1811.00930: projected 90 % CL sensitivity to |U_mu4|^2 (|U_e4|^2 = |U_tau4|^2 = 0, Majorana) for 2e20 POT
# and zero background, curve without B_c production (the paper's "conservative" variant; the "optimistic" one adds
# B_c and extends past m_B). Lower edge, (mass GeV, |U_mu4|^2), log-log interpolated in the digitisation compiled by
# Hostert et al. (Heavy-Neutrino-Limits, "1811.00930/Umu4_conservative").
SHIP_UMU2 = np.array(
    [
        (0.50, 2.17e-09),
        (0.75, 9.06e-10),
        (1.00, 3.89e-10),
        (1.50, 1.37e-10),
        (2.00, 8.16e-09),
        (2.50, 8.85e-09),
        (3.00, 1.89e-08),
        (3.50, 2.19e-08),
        (4.00, 1.82e-08),
    ]
)

# Ours / SHiP in |U_mu4|^2 measured with the shipped entry, SHiP's 2019 decay vessel (catalogue ship_2019_decay_vessel,
# the frustum 46-96 m of the paper's geometry; n_flux 20000; seeds 1 and the card's 2019 agree to < 1 %) at the masses
# above: 0.73 0.82 0.87 0.90 (charm, <= 1.5 GeV) | 0.78 0.74 0.76 0.77 0.84 (beauty, >= 2 GeV).
# With the ECN3 box 33-83 m (catalogue ship_decay_volume, before frustum-s3): 0.66 0.72 0.75 0.78 | 0.72 0.68 0.69 0.69
# 0.75. Before the vector / Cabibbo-suppressed channels and B_s (issue 4, hnl-production-2, box): 0.77 0.74 0.75 0.78 |
# 1.33 1.15 0.94 0.85 0.81. Production now has every D, D_s, B, B_s channel of [BBGR] Sec. 2 (D -> K* l N, D -> pi l N,
# B -> D* l N, B -> pi/rho l N, B_s -> D_s(*) l N); still missing against SHiP: cascade charm/beauty (SHiP: x2.3 / x1.7
# in rate, i.e. x0.66 / x0.77 in |U|^2, would move us UP) and the reconstruction efficiency (taken as 1), which moves
# us DOWN (README of data/experiments, ship_hnl.toml). A Dirac HNL gives x1.41. Bands: the measured range widened by
# ~20 % for statistics and small model changes.
SHIP_RATIO_BOUNDS_CHARM = (0.6, 1.1)  # m <= 1.5 GeV: N from D, D_s
SHIP_RATIO_BOUNDS_BEAUTY = (0.6, 1.0)  # m >= 2 GeV: N from B0, B+, B_s

# Upper edge of the same curve at 2.0, 2.5, 3.0, 3.5, 4.0 GeV (same digitisation, log-log interpolated).
SHIP_UMU2_UPPER = np.array([1.105e-4, 2.617e-5, 7.396e-6, 2.568e-6, 1.047e-6])
# NOT in agreement: ours / SHiP = 3.6-3.8 3.1 2.8 2.6-2.7 2.4 (seeds 2019 and 1; 6.7 at 1.5 GeV) with SHiP's 2019
# vessel (the ECN3 box 33-83 m gave 5.1-5.5 4.7 4.0-4.2 4.0 3.6: the frustum's x0.67-0.71). Stable against MC
# statistics (5x more flux: < 6 %) and numerically exact (scan.reweight = an independent log-space sum to 1e-14). The
# edge is set by the fastest N (p = 135-330 GeV; N(U^2) ~ U^2 sum w exp(-L m Gamma U^2 / p)), so it moves
# ~ p/(L Gamma): widths agree with BBGR (ALPINIST tables) to 0.97-1.11, cascade (soft) charm does not move it; a 150
# GeV cut on p_N (the `pMax = 150.` of a version of SHiP's fast-MC HNL code) would give x0.63-0.89. SHiP's edge is
# instead reproduced to 2-27 % by a single mean boost per mass (test_ship_upper_edge_behaves_as_a_mean_boost_edge;
# README of data/experiments, ship_hnl.toml; notes ship-s3). Pinned (measured range widened by ~20 %) so that a
# change is noticed.
SHIP_UPPER_RATIO_BOUNDS = (2.0, 4.5)


@pytest.mark.slow
def test_ship_umu2_against_published_sensitivity() -> None:
    result = sensitivity_from_card(load_card(EXAMPLES / "ship_hnl.toml"), masses=SHIP_UMU2[:, 0])
    assert result.signal_limit == pytest.approx(2.3026, rel=1e-3)  # 0 observed, 0 background, 90 % CL
    assert np.all(np.isfinite(result.lower)), result.lower
    ratio = result.lower / SHIP_UMU2[:, 1]
    charm = SHIP_UMU2[:, 0] <= 1.5
    lo, hi = SHIP_RATIO_BOUNDS_CHARM
    assert np.all((ratio[charm] > lo) & (ratio[charm] < hi)), ratio
    lo, hi = SHIP_RATIO_BOUNDS_BEAUTY
    assert np.all((ratio[~charm] > lo) & (ratio[~charm] < hi)), ratio
    # above m(D_s) - m_mu = 1.86 GeV only B mesons make N: the edge jumps by ~60x in SHiP's curve (ours 54x; 100x
    # before B -> D* l N and B_s were added)
    jump = result.lower[4] / result.lower[3]
    assert 20.0 < jump < 300.0, jump
    # the excluded band closes: large mixing decays before the decay volume
    assert np.all(result.upper[4:] > 10 * result.lower[4:]), (result.lower, result.upper)
    upper_ratio = result.upper[4:] / SHIP_UMU2_UPPER
    lo, hi = SHIP_UPPER_RATIO_BOUNDS
    assert np.all((upper_ratio > lo) & (upper_ratio < hi)), upper_ratio


# Upper edge at 1.5 GeV (charm: N from D_s), same digitisation, log-log interpolated between 1.40 and 1.53 GeV.
SHIP_UMU2_UPPER_1P5 = 1.055e-3


def test_ship_upper_edge_behaves_as_a_mean_boost_edge() -> None:
    """Why our upper edge is 3.6-5.5x SHiP's at 2-4 GeV (README of data/experiments, ship_hnl.toml; notes ship-s3).

    Near the upper edge N(U^2) ~ U^2 sum_i w_i exp(-L_i m Gamma U^2 / p_i): the exact average over the spectrum is
    dominated by the fastest HNLs (p ~ 130-330 GeV). SHiP's published edge (JHEP 04 (2019) 077) is instead reproduced
    to 2-27 % at 1.1-4 GeV by evaluating the decay probability at ONE boost per mass, the mean beta*gamma of the HNLs
    that decay in the 2019 vessel (the entry's detector, ship_2019_decay_vessel) at long lifetime (weights w chord /
    beta*gamma), and not by any per-HNL treatment of
    our (NA27-compatible) spectra: with the exact average the same geometry gives 6.7x (1.5 GeV) and 2.4-3.6x (2-4
    GeV) SHiP's edge. Measured (seeds 2019, 1, 2; 2000 per source): mean-boost / SHiP 1.06 (1.5 GeV), 1.02-1.14 (2),
    1.07 (3), 1.20 (4) on a grid of x1.12 steps (exact: 6.0-6.7, 3.2-3.6, 2.7, 2.4).
    Pinned: mean-boost edge / SHiP in (0.8, 1.5), exact / SHiP > 1.8. Not a tuning: DarkBeam keeps the exact average.
    """
    exp = experiments.get("ship_hnl")
    couplings = np.geomspace(1e-8, 1e-1, 141)
    upper = (SHIP_UMU2_UPPER_1P5, *SHIP_UMU2_UPPER[[0, 2, 4]])
    for mass, ship in zip((1.5, 2.0, 3.0, 4.0), upper, strict=True):
        model = HNL(mass, umu2=1.0)
        flux = db.make_flux(model, exp, 2000, np.random.default_rng(2019))
        entry, exit_ = exp.solid.intersect(flux.vertex, flux.direction)  # the 2019 vessel (catalogue)
        hit = np.isfinite(entry)
        weight, boost, entry, exit_ = flux.weight[hit], flux.beta_gamma[hit], entry[hit], exit_[hit]
        # expected signal (2e20 POT, efficiency 1) per coupling = POT * U^2 * sum w P_decay * BR(signal)
        scale = 2e20 * couplings * signal_branching_ratio(model, exp.signal_channels("hnl"))
        ctau = model.ctau() / couplings  # c tau at each coupling [cm]
        long_lifetime = weight * (exit_ - entry) / boost
        mean_boost = float((long_lifetime * boost).sum() / long_lifetime.sum())
        edges = []
        for beta_gamma in (np.full_like(boost, mean_boost), boost):
            prob = decay_probability(entry[:, None], exit_[:, None], beta_gamma[:, None] * ctau[None, :])
            edges.append(float(couplings[np.nonzero(scale * (weight @ prob) > 2.3026)[0][-1]]))
        mean_ratio, exact_ratio = edges[0] / ship, edges[1] / ship
        assert 0.8 < mean_ratio < 1.5, (mass, mean_boost, mean_ratio)
        assert exact_ratio > 1.8, (mass, exact_ratio)


def _sources() -> tuple[int, ...]:
    return tuple(s.parent_pdg for s in experiments.get("ship_hnl").sources())


def test_ship_entry_parents_and_search() -> None:
    exp = experiments.get("ship_hnl")
    # SHiP's 2019 geometry (like-for-like with JHEP 04 (2019) 077): the catalogued frustum 46-96 m at the SPS BDF
    detector = exp.spec.detector
    assert isinstance(detector, DetectorRef)
    assert detector.catalogue == "ship_2019_decay_vessel"
    assert exp.solid.volume / 1e6 == pytest.approx(1312.33, rel=1e-5)
    # B_s from the beauty table; B_c is not in the meson tables (Pythia hard bb: no B_c), so not a source
    assert set(_sources()) == {421, -421, 411, -411, 431, -431, 511, -511, 521, -521, 531, -531}
    assert exp.pot == pytest.approx(2e20)
    channels = exp.signal_channels("hnl")
    # invisible and track-less channels are not signal
    assert "nu nu nu" not in channels
    assert "nu pi0" not in channels
    # every listed channel exists in the HNL model at some mass (for e or mu mixing): no typos
    known: set[str] = set()
    for m in np.append(np.linspace(0.1, 5.0, 50), 0.99):
        known |= set(HNL(float(m), umu2=1e-8).decay_channels()) | set(HNL(float(m), ue2=1e-8).decay_channels())
    assert set(channels) <= known, set(channels) - known
    # every source makes N at 1 GeV (D0 -> K- mu N closes at 1.27 GeV, B0 -> D- mu N at 3.31 GeV, B_s -> D_s mu N at
    # 3.29 GeV); none at 5.5 GeV
    model = HNL(1.0, umu2=1.0)
    assert all(model.production_for(p) for p in _sources())
    assert not any(HNL(5.5, umu2=1.0).production_for(p) for p in _sources())


def test_ds_to_n_yield_per_pot() -> None:
    """N from D_s± per POT at |U_mu4|^2 = 1: (D_s⁺ + D_s⁻ per POT) × BR(D_s → μ N) (+ τ chain), through the flux.

    D_s per POT = pairs per p+Mo interaction χ_cc = 18.1 µb × 95.95 / σ_gen(p+Mo) (data/mesons/README.md) × D_s per
    pair (Pythia, 0.080 + 0.092) × P_int (120 cm Mo, λ_I = 152.9 g/cm² / 10.22 g/cm³). BR(D_s⁺ → μ⁺ N) / |U|² at
    1 GeV from the two-body width ([BBGR] Sec. 2.1.2) = 0.267 (vs BR(D_s → μν) = 5.4e-3 for a massless ν: the
    helicity suppression is lifted).
    """
    src = hadron_source(get_beam("sps_bdf"))
    n_ds = src.multiplicity(431) + src.multiplicity(-431)
    assert n_ds == pytest.approx(2.906e-4, rel=0.01)  # 1.350e-4 + 1.556e-4 (tests/test_heavy_flavour.py pins)
    model = HNL(1.0, umu2=1.0)
    br = sum(model.production_branching_ratios()[431].values())
    assert br == pytest.approx(0.2683, rel=0.01)
    # Σ weight = total production only for an unaimed sample: make_flux aims two-body decays in flight at the decay
    # volume (forced emission, production/dark.py), whose weights then count the N inside the aim cone only
    rng = np.random.default_rng(7)
    ds_sources = [s for s in experiments.get("ship_hnl").sources() if abs(s.parent_pdg) == 431]
    from_ds = sum(float(produce(model, s.sample(4000, rng), rng).weight.sum()) for s in ds_sources)
    assert from_ds == pytest.approx(n_ds * br, rel=1e-6)
    # the aimed flux of make_flux keeps at most that much (N outside the cone around the decay volume drop out)
    flux = db.make_flux(model, experiments.get("ship_hnl"), 4000, np.random.default_rng(7))
    aimed = flux.weight[np.abs(flux.parent_pdg) == 431].sum()
    assert 0.5 * n_ds * br < aimed < 1.02 * n_ds * br

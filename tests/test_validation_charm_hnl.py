"""CHARM (SPS 400 GeV Cu dump) HNLs mixing with nu_tau only, compared with the recast by Boiarska et al.

End-to-end check of the D_s -> tau -> N cascade (darkbeam.models.hnl_tau) with the p400_Cu_charm table and the CHARM
decay volume: the |U_tau4|^2 sensitivity of examples/charm_hnl_tau.toml against the published curve of
I. Boiarska, A. Boyarsky, O. Mikulenko, M. Ovchynnikov, "Constraints from the CHARM experiment on heavy neutral leptons
with tau mixing", PRD 104 (2021) 095019, arXiv:2107.14685 (Majorana, 90 % CL, N -> nu e+e- / nu mu+mu-).
Discussion: README.md of src/darkbeam/data/experiments, section charm_hnl_tau.toml; notes charm-hnl-s3.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from darkbeam import experiments
from darkbeam.beams import get as get_beam
from darkbeam.config import load_card
from darkbeam.experiments.schema import DetectorRef
from darkbeam.interactions import signal_branching_ratio
from darkbeam.models import HNL
from darkbeam.production.beam_source import hadron_source
from darkbeam.production.dark import produce
from darkbeam.scan import sensitivity_from_card

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Boiarska et al., PRD 104 (2021) 095019, arXiv:2107.14685, CHARM |U_tau4|^2 limit (Majorana, 90 % CL), lower edge:
# digitised points (mass GeV, |U_tau4|^2) as compiled by Hostert et al. (Heavy-Neutrino-Limits, "Boiarska_CHARM",
# masses in GeV per its index), taken at the digitised masses (no interpolation).
CHARM_UTAU2_LOWER = np.array(
    [
        (0.44666, 1.0944e-5),
        (0.58689, 5.0274e-6),
        (0.80952, 2.2708e-6),
        (0.99509, 1.8854e-6),
        (1.17235, 1.8854e-6),
        (1.36457, 2.3489e-6),
        (1.49939, 3.8357e-6),
    ]
)
# Upper edge of the same curve (digitised; below ~1.0 GeV it lies above the paper's plot range).
CHARM_UTAU2_UPPER = np.array([(1.10505, 2.6665e-3), (1.24368, 1.0700e-3), (1.40394, 3.8141e-4), (1.52818, 1.5048e-4)])

# Ours / published, measured with the shipped card (n_flux 20000; seeds 2021, 1, 7):
# lower 0.68 0.64 0.65 0.71 0.75 0.81 0.80 (seed spread <= 0.06); upper 1.11 1.26 1.27 1.49 (1.15-1.32 at 1.24-1.40
# GeV across seeds). Ours excludes ~2x more events than the recast at long lifetime (N ~ |U|^4): CHARM's detection
# efficiency (taken as 1 here; the recast's value not read) and the recast's D_s yield are the unchecked factors
# (README section charm_hnl_tau.toml). Counting hadronic NC decays as well (nu pi+ pi-, nu omega, nu q qbar) would give
# x0.67 (1 GeV) and x0.41 (>= 1.4 GeV) in |U|^2, i.e. ratios ~0.3-0.5: the paper's leptonic-only selection is what
# the data favour. Bands: factor 2 (the validation goal) and a pinned band (measured range widened by ~15 %).
FACTOR_TWO = (0.5, 2.0)
LOWER_RATIO_BOUNDS = (0.55, 0.98)
UPPER_RATIO_BOUNDS = (0.9, 1.8)


def test_charm_utau2_against_boiarska_recast() -> None:
    masses = np.concatenate([CHARM_UTAU2_LOWER[:, 0], CHARM_UTAU2_UPPER[:, 0]])
    result = sensitivity_from_card(load_card(EXAMPLES / "charm_hnl_tau.toml"), masses=masses)
    assert result.signal_limit == pytest.approx(2.3026, rel=1e-3)  # 0 observed, 0 background, 90 % CL
    n_lo = len(CHARM_UTAU2_LOWER)
    lower = result.lower[:n_lo] / CHARM_UTAU2_LOWER[:, 1]
    assert np.all((lower > FACTOR_TWO[0]) & (lower < FACTOR_TWO[1])), lower
    assert np.all((lower > LOWER_RATIO_BOUNDS[0]) & (lower < LOWER_RATIO_BOUNDS[1])), lower
    upper = result.upper[n_lo:] / CHARM_UTAU2_UPPER[:, 1]
    assert np.all((upper > UPPER_RATIO_BOUNDS[0]) & (upper < UPPER_RATIO_BOUNDS[1])), upper
    # the excluded band closes towards m_tau - m_pi = 1.64 GeV: narrower at 1.53 than at 1.1 GeV
    width = result.upper[n_lo:] / np.interp(CHARM_UTAU2_UPPER[:, 0], masses[:n_lo], result.lower[:n_lo])
    assert width[-1] < width[0] / 10.0, width


def test_charm_hnl_tau_entry() -> None:
    exp = experiments.get("charm_hnl_tau")
    detector = exp.spec.detector
    assert isinstance(detector, DetectorRef)
    assert detector.catalogue == "charm"
    assert exp.pot == pytest.approx(2.4e18)  # CHARM PLB 166, 473 (1986)
    assert exp.solid.volume / 1e6 == pytest.approx(300.0 * 300.0 * 3500.0 / 1e6, rel=1e-9)  # 3 x 3 x 35 m
    assert {s.parent_pdg for s in exp.sources()} == {431, -431}
    # N -> nu l+ l- only (arXiv:2107.14685); every listed channel exists for tau mixing
    channels = exp.signal_channels("hnl")
    assert set(channels) == {"nu_tau e+ e-", "nu_tau mu+ mu-"}
    assert set(channels) <= set(HNL(1.0, utau2=1e-6).decay_channels())
    # with |U_tau4| only, no D0 / D+ channel is open at 0.3 GeV (D+ -> tau+ N closes at m_D+ - m_tau = 0.09 GeV)
    model = HNL(0.3, utau2=1.0)
    assert not model.production_for(421)
    assert not model.production_for(411)
    assert model.production_for(431)


def test_ds_tau_n_yield_per_pot() -> None:
    """N from D_s± per POT at |U_tau4|^2 = 1 and 1 GeV = (D_s⁺ + D_s⁻ per POT) × Σ BR(D_s → ν_τ τ, τ → N X).

    D_s per POT = χ_cc (18.1 µb × 63.5 / σ_gen(p+Cu), data/mesons/README.md: 1.459e-3) × D_s per pair (0.080 + 0.092)
    × P_int (200 cm Cu). The chain BR at 1 GeV (0.0039; ~8x below its m_N → 0 value) is the τ rows of [BBGR] Sec. 2.2
    as implemented in models/hnl.py (pinned by tests/test_hnl_tau_cascade.py); here only the product is checked.
    """
    src = hadron_source(get_beam("sps_charm_cu"))
    n_ds = src.multiplicity(431) + src.multiplicity(-431)
    assert n_ds == pytest.approx(1.459e-3 * (0.080 + 0.092), rel=0.03)
    model = HNL(1.0, utau2=1.0)
    br = sum(model.production_branching_ratios()[431].values())
    assert 0.003 < br < 0.005, br
    rng = np.random.default_rng(5)
    ds_sources = experiments.get("charm_hnl_tau").sources()
    produced = sum(float(produce(model, s.sample(3000, rng), rng).weight.sum()) for s in ds_sources)
    assert produced == pytest.approx(n_ds * br, rel=1e-6)
    # signal fraction N -> nu l+ l-: ~9 % at 1 GeV (nu nu nu, nu pi0, nu eta, ... are not counted)
    sig = float(np.sum(signal_branching_ratio(model, experiments.get("charm_hnl_tau").signal_channels("hnl"))))
    assert 0.06 < sig < 0.12, sig

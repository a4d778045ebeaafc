"""HNL (muon mixing, Majorana) -> mu pi at MicroBooNE against MicroBooNE's two published mu pi searches.

1. BNB, PRD 101, 052001 (2020), arXiv:1911.10545: K+ -> mu+ N with BNB kaons decaying at rest, 2.0e20 POT, delayed
   trigger after the neutrino spill (examples/microboone_bnb_hnl.toml). In DarkBeam's transport these K+ stop
   within 5 m of the target (large-angle kaons leaving the 91 cm decay-pipe radius), not in the 50 m absorber.
2. NuMI absorber, PRD 106, 092006 (2022), arXiv:2207.03840: K+ decaying at rest in the NuMI hadron absorber,
   7.01e20 POT (examples/microboone_numi_absorber_hnl_mupi.toml).

Both experiment files use a proxy efficiency (14.5 %, MicroBooNE's scalar -> e+e- selection, arXiv:2106.00568
Table II) and zero background: the searches' own efficiencies and counts are not held by the project's sources
(data/experiments/README.md, "Unverified numbers"). Each scan takes < 2 s.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from darkbeam.config import load_card
from darkbeam.scan import sensitivity_from_card
from darkbeam.timing import TimeWindow, beam_timing, delay_from_momentum
from darkbeam.units import C_LIGHT

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

M_K = 0.493677  # GeV, PDG RPP 2024 (K+ mass)
M_MU = 0.1056584  # GeV, PDG RPP 2024 (muon mass)
TAU_K_NS = 12.38  # ns, PDG RPP 2024 (K+ mean life)

# MicroBooNE, PRD 101, 052001 (2020), arXiv:1911.10545: 90 % CL upper limit on |U_mu4|^2, Majorana HNL,
# |U_e4|^2 = |U_tau4|^2 = 0, N -> mu pi (abstract: (4.7-0.7)e-7 for 260-385 MeV). Points (mass GeV, |U_mu4|^2) are the
# published curve as compiled by Hostert et al., Heavy-Neutrino-Limits ("MicroBooNE_2019/Umu4.dat", MeV), log-linearly
# interpolated at these masses.
UBOONE_2019_UMU2 = np.array(
    [
        (0.27, 3.97e-7),
        (0.29, 2.04e-7),
        (0.31, 1.15e-7),
        (0.33, 1.04e-7),
        (0.35, 1.04e-7),
        (0.37, 7.72e-8),
        (0.38, 6.94e-8),
    ]
)

# MicroBooNE, PRD 106, 092006 (2022), arXiv:2207.03840: 90 % CL upper limit on |U_mu4|^2, Majorana, N -> mu pi
# (abstract: 12.9e-8 at 246 MeV to 0.92e-8 at 385 MeV; the compiled curve, Heavy-Neutrino-Limits
# "MicroBooNE_2022/umu4_majorana.dat", gives 1.28e-7 at 246.0 MeV and 9.43e-9 at 384.8 MeV, i.e. this paper).
# Log-linear interpolation of that curve at these masses:
UBOONE_2022_UMU2 = np.array(
    [
        (0.27, 3.44e-8),
        (0.29, 1.92e-8),
        (0.31, 1.33e-8),
        (0.33, 8.70e-9),
        (0.35, 6.14e-9),
        (0.37, 7.89e-9),
        (0.38, 8.97e-9),
    ]
)

#: BNB target to MicroBooNE's active centre (468.55 m on axis; data/detectors/microboone.toml)
BNB_TARGET_TO_UBOONE_CM = 46855.0
#: where DarkBeam's BNB K+ decay at rest: weighted mean z = 1.99 m, 97.7 % at z < 5 m (test_bnb_kdar_stop_near_target)
BNB_KDAR_Z_CM = 199.0
BNB_KDAR_TO_UBOONE_CM = BNB_TARGET_TO_UBOONE_CM - BNB_KDAR_Z_CM


def kdar_hnl_momentum(m_n: np.ndarray) -> np.ndarray:
    """|p| [GeV] of N in K+ -> mu+ N at rest: two-body momentum lambda^(1/2)(m_K^2, m_mu^2, m_N^2)/(2 m_K)."""
    lam = (M_K**2 - M_MU**2 - m_n**2) ** 2 - 4.0 * M_MU**2 * m_n**2
    return np.sqrt(lam) / (2.0 * M_K)


def bnb_late_window_acceptance(m_n: np.ndarray, guard_ns: float, n: int = 200_000, seed: int = 7) -> np.ndarray:
    """Fraction of KDAR HNLs of mass ``m_n`` [GeV] arriving at MicroBooNE after the BNB neutrinos.

    Protons hit the target at the spill times of darkbeam.timing.beam_timing("bnb") (81 bunches, 1.6 us); the kaon
    stops ~2 m downstream (its flight time, < 10 ns, is neglected), decays at rest after an exponential time
    (tau_K), and N flies 466.6 m with the K+ -> mu N momentum. The window opens ``guard_ns`` after the last
    neutrinos (light from the target over 468.55 m at the end of the spill) and stays open (its end is not known
    here). The Snowmass 2021 NF03 white paper ('Dark sector studies with neutrino beams', timing section) says the
    search "utilizes the data collected 0.6 us after the arrival of the neutrinos": guard_ns = 600 reads it as 0.6 us
    after the spill, guard_ns = 0 as the window opening at the spill's end.
    """
    timing = beam_timing("bnb")
    rng = np.random.default_rng(seed)
    t_proton = timing.sample_proton_times(n, rng)
    t_decay = rng.exponential(TAU_K_NS, size=n)
    window = TimeWindow.after_light(BNB_TARGET_TO_UBOONE_CM, start=timing.spill_length + guard_ns)
    out = np.empty(len(m_n))
    for i, m in enumerate(m_n):  # a handful of masses: loop over masses, vectorised over times
        delay = delay_from_momentum(BNB_KDAR_TO_UBOONE_CM, kdar_hnl_momentum(np.array([m])), np.array([m]))
        arrival = t_proton + t_decay + (BNB_KDAR_Z_CM + BNB_KDAR_TO_UBOONE_CM) / C_LIGHT + delay[0]
        out[i] = window.mask(arrival).mean()
    return out


def _lower(card: str, masses: np.ndarray) -> np.ndarray:
    result = sensitivity_from_card(load_card(EXAMPLES / card), masses=masses)
    # 0 observed, 0 background, 90 % CL: the edge sits where N = 2.30 events
    assert result.signal_limit == pytest.approx(2.3026, rel=1e-3)
    assert np.all(np.isfinite(result.lower)), result.lower
    assert np.all(result.upper > 100 * result.lower), (result.lower, result.upper)
    return np.asarray(result.lower)


def test_kdar_hnl_delays() -> None:
    """K+ -> mu+ N at rest: p_N = 157.5 MeV at 260 MeV and 22.5 MeV at 385 MeV (two-body kinematics); over the 466.6 m
    from the stopping point to MicroBooNE these HNLs lag light by 1.45 us and 25.1 us: only above ~270 MeV do all of
    them arrive after the 1.6 us spill, which is why arXiv:1911.10545 starts at 260 MeV."""
    m = np.array([0.26, 0.385])
    p = kdar_hnl_momentum(m)
    assert p == pytest.approx([0.1575, 0.0225], abs=5e-4)
    delay = delay_from_momentum(BNB_KDAR_TO_UBOONE_CM, p, m)
    assert delay == pytest.approx([1447.0, 25150.0], rel=0.01)
    acc = bnb_late_window_acceptance(np.array([0.26, 0.28, 0.32]), guard_ns=0.0)
    # spill 81 x 18.83 = 1525 ns: at 260 MeV the first ~1447 ns of protons give late HNLs (~0.95 with the K+ lifetime)
    assert acc[0] == pytest.approx(0.955, abs=0.03)
    assert acc[1:] == pytest.approx([1.0, 1.0], abs=1e-3)
    acc = bnb_late_window_acceptance(np.array([0.26, 0.28, 0.30, 0.32]), guard_ns=600.0)
    assert np.all(np.diff(acc) >= 0), acc
    assert acc[0] < 0.75, acc
    assert acc[-1] == pytest.approx(1.0, abs=1e-3)


def test_bnb_kdar_stop_near_target() -> None:
    """DarkBeam's BNB K+ that decay at rest stop near the target, not in the absorber: 1.9e-3 per POT, 97.7 % within
    5 m of the target (large-angle kaons leaving the 91 cm decay-pipe radius and ranging out; production/transport.py),
    weighted mean z = 2.0 m; the absorber at 50 m gets < 1e-4 of them (the kaons that reach it are fast and interact
    before stopping). This fixes the distance (466.6 m) used for the time of flight above."""
    from darkbeam.beams import get as get_beam
    from darkbeam.production.beam_source import hadron_source
    from darkbeam.production.transport import transport

    spec = get_beam("bnb")
    kaons = hadron_source(spec).sample(321, 50_000, np.random.default_rng(1))
    at_rest = transport(kaons, spec, np.random.default_rng(2)).at_rest
    w = at_rest.weight
    z = at_rest.vertex[:, 2]
    assert w.sum() == pytest.approx(1.9e-3, rel=0.15)
    assert w[z < 500.0].sum() / w.sum() > 0.95
    assert np.average(z, weights=w) == pytest.approx(BNB_KDAR_Z_CM, rel=0.25)
    assert w[z >= 4999.0].sum() / w.sum() < 1e-3


# Measured (card n_flux and seeds; < 1 s per scan): ours / published in |U_mu4|^2 at the masses of the tables above.
# BNB (proxy efficiency 14.5 %, 0 background): 1.32 1.81 2.24 1.93 1.65 1.91 2.04 with the late window opening at the
# spill's end (acceptance 1 at >= 270 MeV, so unchanged without it); 1.60 at 270 MeV if it opens 0.6 us later.
# DarkBeam is ~1.8x weaker in |U|^2 (~3.4x less signal): 5 of 7 masses within the factor 2.
# NuMI (same proxy efficiency, 0 background, the 0.14 K+/POT absorber yield of microboone_numi_absorber):
# 0.20 0.24 0.26 0.32 0.37 0.25 0.20 - DarkBeam is 2.7-5x STRONGER in |U|^2, i.e. 7-25x more signal than the
# published limit allows; the published curve turns up above 360 MeV, ours keeps falling (flat efficiency). Not within
# the factor 2 at any mass: the band below records it (causes: data/experiments/README.md).
BNB_RATIO_BOUNDS = (0.5, 2.0)
NUMI_RATIO_BOUNDS = (0.12, 0.6)


def test_microboone_bnb_hnl_against_published_limit() -> None:
    masses = UBOONE_2019_UMU2[:, 0]
    lower = _lower("microboone_bnb_hnl.toml", masses)  # the entry's [search.time_window] is in the scan
    ratio = lower / UBOONE_2019_UMU2[:, 1]
    print("BNB ours / MicroBooNE 2019:", np.round(ratio, 2))
    lo, hi = BNB_RATIO_BOUNDS
    inside = (ratio > lo) & (ratio < hi)
    assert inside.sum() >= 4, ratio
    assert np.all((ratio > 0.3) & (ratio < 3.0)), ratio
    # the limit strengthens with mass (slower HNLs, larger decay probability): 260-385 MeV published x5.7 (ours x3-5)
    assert lower[0] / lower[-1] > 2.5, lower


def test_microboone_numi_absorber_hnl_against_published_limit() -> None:
    masses = UBOONE_2022_UMU2[:, 0]
    lower = _lower("microboone_numi_absorber_hnl_mupi.toml", masses)
    ratio = lower / UBOONE_2022_UMU2[:, 1]
    print("NuMI ours / MicroBooNE 2022:", np.round(ratio, 2))
    lo, hi = NUMI_RATIO_BOUNDS
    assert np.all((ratio > lo) & (ratio < hi)), ratio
    # the same kaons that give the BNB/NuMI difference: NuMI at 100 m with 3.5x the POT beats BNB at 419 m
    assert np.all(lower < UBOONE_2019_UMU2[:, 1]), lower


def test_scan_time_window_matches_the_analytic_acceptance() -> None:
    """The scan's [search.time_window] (darkbeam.scan.grid.in_time_window: proton spill time + kaon decay time + flight
    at beta c - light from the target) against the closed-form acceptance above: with the window opening 0.6 us after
    the spill, the long-lifetime |U|^2 limit moves by 1/sqrt(a) relative to no window (a < 0.75 at 260 MeV, -> 1 at
    320 MeV)."""
    from darkbeam import experiments
    from darkbeam.experiments.schema import ExperimentSpec
    from darkbeam.scan.grid import sensitivity

    masses = np.array([0.26, 0.32])
    base = experiments.get("microboone_bnb_hnl").spec.model_dump()
    edges = {}
    for name, window in (("open", None), ("late", {"start_ns": 600.0, "after_spill": True, "source": "test"})):
        spec = dict(base, search=dict(base["search"], time_window=window))
        experiment = experiments.Experiment(ExperimentSpec.model_validate(spec))
        result = sensitivity(
            "hnl", {"umu2": 1.0, "majorana": True}, experiment, masses, np.geomspace(1e-10, 1e-2, 161), n_flux=20_000,
            seed=7,
        )  # fmt: skip
        edges[name] = np.asarray(result.lower)
    expected = 1.0 / np.sqrt(bnb_late_window_acceptance(masses, guard_ns=600.0))
    assert edges["late"] / edges["open"] == pytest.approx(expected, rel=0.06)
    assert expected[0] > 1.15  # the check has power at 260 MeV

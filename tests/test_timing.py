"""Beam time structure, time of flight and time windows."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from darkbeam import timing
from darkbeam.detectors import get as get_detector
from darkbeam.errors import ConfigError, UnknownNameError
from darkbeam.units import C_LIGHT, m


def test_beta_09_delay_at_sbnd() -> None:
    """Issue 6: beta = 0.9 at SBND arrives L/c (1/beta - 1) later than neutrinos.

    SBND's active volume starts 110 m from the BNB target and its centre is at (73.78, 0, 11250) cm
    (SBNSoftware/sbncode MeVPrtl/config/bnb_kaon_sbnd.fcl; data/detectors/sbnd.toml). At the upstream face
    L/c = 11000 cm / 29.9792458 cm/ns = 366.9205 ns; times (1/0.9 - 1) = 1/9: 40.7689 ns. At the centre,
    L = 11250.242 cm: 41.6964 ns.
    """
    placement = get_detector("sbnd").placement("bnb")
    centre = placement.distance_cm
    assert centre == pytest.approx(math.hypot(73.78, 11250.0))
    assert timing.delay_vs_light(centre, 0.9) == pytest.approx(41.69641, abs=1e-4)
    face = 110 * m
    expected = 40.76894
    assert timing.delay_vs_light(face, 0.9) == pytest.approx(expected, abs=1e-4)
    # the same from a 100 MeV (total energy) particle with beta = 0.9: p = 90 MeV, m = 100 MeV * sqrt(1 - 0.81)
    mass = 0.1 * math.sqrt(1.0 - 0.81)
    assert timing.delay_from_momentum(face, 0.09, mass) == pytest.approx(expected, abs=1e-4)
    assert timing.time_of_flight(face, 0.9) - timing.time_of_flight(face, 1.0) == pytest.approx(expected)


@given(
    st.floats(1e-3, 1e3),  # momentum [GeV]
    st.floats(1e-6, 10.0),  # mass [GeV]
    st.floats(1.0, 1e6),  # distance [cm]
)
def test_delay_from_momentum_matches_beta_form(p: float, mass: float, distance: float) -> None:
    beta = p / math.hypot(p, mass)
    if beta < 1 - 1e-9:  # away from beta -> 1, where (1 - beta) itself loses precision
        assert timing.delay_from_momentum(distance, p, mass) == pytest.approx(
            timing.delay_vs_light(distance, beta), rel=1e-6
        )


def test_delay_is_accurate_for_ultrarelativistic_particles() -> None:
    # p >> m: delta t = (L/c) m^2 / (2 p^2) to leading order; 1 - beta would round to 0 here
    d = timing.delay_from_momentum(1e5, 1.0, 1e-9)
    assert d == pytest.approx(1e5 / C_LIGHT * 1e-18 / 2.0, rel=1e-9)
    assert d > 0


def test_bad_beta_raises() -> None:
    for beta in (0.0, -0.5, 1.2, float("nan")):
        with pytest.raises(ConfigError, match="beta"):
            timing.delay_vs_light(100.0, beta)


def test_bnb_bunch_structure() -> None:
    bnb = timing.beam_timing("bnb")
    rng = np.random.default_rng(3)
    t = bnb.sample_proton_times(200_000, rng)
    # 81 bunches 18.83 ns apart: a ~1.6 us spill (MiniBooNE flux paper arXiv:0806.1449 Sec. II)
    assert bnb.spill_length == pytest.approx(1525.2, abs=0.1)
    assert t.mean() == pytest.approx(40 * 18.83, abs=2.0)
    phase = bnb.bunch_phase(t)
    assert np.std(phase) == pytest.approx(1.3, rel=0.01)
    assert np.all(np.abs(phase) < 18.83 / 2 + 1e-9)
    # bunch occupancy is uniform over the 81 bunches
    counts = np.bincount(np.round(t / 18.83).astype(int), minlength=81)
    assert len(counts) == 81
    assert counts.min() > 0.9 * counts.mean()


def test_mlf_double_pulse_and_single_pulses() -> None:
    rng = np.random.default_rng(4)
    mlf = timing.beam_timing("jparc_mlf")
    t = mlf.sample_proton_times(100_000, rng)
    second = t > 270.0
    assert second.mean() == pytest.approx(0.5, abs=0.01)
    sigma = 100.0 / (2 * math.sqrt(2 * math.log(2)))  # 42.47 ns from 100 ns FWHM
    assert np.std(t[~second]) == pytest.approx(sigma, rel=0.02)
    assert np.mean(t[second]) == pytest.approx(540.0, abs=1.0)
    for name, fwhm in (("sns", 380.0), ("lansce_lujan", 290.0)):
        pulse = timing.beam_timing(name).sample_proton_times(100_000, rng)
        assert np.std(pulse) == pytest.approx(fwhm / 2.3548, rel=0.02)
    with pytest.raises(UnknownNameError, match="beam timing"):
        timing.beam_timing("lhc")


def test_time_window_masks() -> None:
    w = timing.TimeWindow(start=0.0, stop=10.0)
    assert w.mask([-1e-9, 0.0, 5.0, 10.0 - 1e-9, 10.0]).tolist() == [False, True, True, True, False]
    late = timing.TimeWindow.after_light(110 * m, start=20.0)
    t_nu = 110 * m / C_LIGHT
    delayed = t_nu + timing.delay_vs_light(110 * m, 0.9)
    assert late.mask([t_nu, t_nu + 19.9, delayed]).tolist() == [False, False, True]
    with pytest.raises(ConfigError, match="start < stop"):
        timing.TimeWindow(start=5.0, stop=5.0)


def test_late_window_separates_slow_particles_from_the_beam() -> None:
    """Proton times from the Lujan pulse; neutrinos (beta = 1) vs beta = 0.5 particles at CCM (20 m).

    The slow particles arrive (L/c)(1/beta - 1) = 66.7 ns later; a window starting 300 ns after the light-speed
    arrival keeps the part of their distribution beyond it, which is computed from the Gaussian pulse.
    """
    rng = np.random.default_rng(5)
    lujan = timing.beam_timing("lansce_lujan")
    n = 200_000
    t0 = lujan.sample_proton_times(n, rng)
    distance = get_detector("ccm").placement("lansce_lujan").distance_cm
    t_nu = timing.arrival_time(t0, distance, 1.0)
    t_slow = timing.arrival_time(t0, distance, 0.5)
    window = timing.TimeWindow.after_light(distance, start=300.0)
    sigma = 290.0 / 2.3548
    expected_slow = 0.5 * math.erfc((300.0 - distance / C_LIGHT) / (sigma * math.sqrt(2)))
    expected_nu = 0.5 * math.erfc(300.0 / (sigma * math.sqrt(2)))
    assert window.mask(t_slow).mean() == pytest.approx(expected_slow, abs=0.003)
    assert window.mask(t_nu).mean() == pytest.approx(expected_nu, abs=0.003)


def test_time_smearing() -> None:
    rng = np.random.default_rng(6)
    t = timing.smear_times(np.zeros(100_000), 1.5, rng)
    assert np.std(t) == pytest.approx(1.5, rel=0.01)
    assert np.array_equal(timing.smear_times([1.0, 2.0], 0.0, rng), [1.0, 2.0])


def test_search_time_window_spec_and_errors():
    """[search.time_window]: stop must follow start; after_spill needs a facility with a shipped spill structure
    (the error names the allowed facilities)."""
    import pydantic

    from darkbeam import experiments
    from darkbeam.errors import ConfigError
    from darkbeam.experiments.schema import ExperimentSpec, TimeWindowSpec
    from darkbeam.scan.grid import in_time_window

    with pytest.raises(pydantic.ValidationError, match="stop_ns"):
        TimeWindowSpec(start_ns=100.0, stop_ns=50.0, source="x")
    spec = experiments.get("charm_sps_dark_photon").spec.model_dump()  # sps_charm_cu: no shipped spill structure
    spec["search"]["time_window"] = {"start_ns": 0.0, "after_spill": True, "source": "x"}
    experiment = experiments.Experiment(ExperimentSpec.model_validate(spec))
    flux = _crossing_flux()
    with pytest.raises(ConfigError, match="bnb"):
        in_time_window(flux, experiment, np.arange(len(flux)), np.random.default_rng(0))


def _crossing_flux():
    """Two particles flying along z through the pipeline's detector slot (a 1 m box at 100 m)."""
    from darkbeam.flux import FluxSample
    from darkbeam.pipeline import DETECTOR

    p = np.array([[0.0, 0.0, 1.0, np.sqrt(1.0 + 0.1**2)]] * 2)
    return FluxSample(
        model="hnl",
        mass=0.1,
        reference_coupling=1.0,
        momentum=p,
        vertex=np.zeros((2, 3)),
        time=np.zeros(2),
        parent_pdg=np.full(2, 321),
        parent_momentum=p,
        weight=np.ones(2),
        entry={DETECTOR: np.full(2, 9950.0)},
        exit={DETECTOR: np.full(2, 10050.0)},
    )

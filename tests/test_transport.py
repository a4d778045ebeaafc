"""Transport of mesons from the target: absorption, thin-lens horn, decay in flight, stopping and DAR."""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkbeam import beams, pdg
from darkbeam.errors import ConfigError
from darkbeam.production.hadrons import HadronSample
from darkbeam.production.sanford_wang import SanfordWangSource
from darkbeam.production.transport import DEDX_MIN_FE, ThinLensHorn, prompt_decays, transport
from darkbeam.units import C_LIGHT

BNB = beams.get("bnb")


def beam_of(pdg_id: int, p: float, n: int, theta: float = 0.0, z0: float = 71.1) -> HadronSample:
    """``n`` hadrons of momentum ``p`` [GeV] at angle ``theta`` made at z0 on the axis (z0 = 71.1: target end)."""
    m = pdg.mass(pdg_id)
    mom = np.tile([p * math.sin(theta), 0.0, p * math.cos(theta), math.hypot(p, m)], (n, 1))
    vertex = np.tile([0.0, 0.0, z0], (n, 1))
    return HadronSample(pdg_id, mom, vertex, np.zeros(n), np.full(n, 1.0 / n))


def test_decay_in_flight_along_the_axis_is_the_exponential_law() -> None:
    """A 2 GeV π⁺ on the axis from the target end: P(decay before the absorber) = 1 − exp(−(5000 − 71.1)/βγcτ);
    decay points follow the truncated exponential; decay times are s/(βc)."""
    p, n = 2.0, 200_000
    res = transport(beam_of(211, p, n), BNB, np.random.default_rng(1), horn="off")
    m = pdg.mass(211)
    lam = p / m * pdg.ctau(211)
    length = 5000.0 - 71.1
    assert res.in_flight.weight.sum() == pytest.approx(-math.expm1(-length / lam), rel=1e-12)
    s = res.in_flight.vertex[:, 2] - 71.1
    expected_mean = lam - length / math.expm1(length / lam)
    assert s.mean() == pytest.approx(expected_mean, rel=0.01)
    beta = p / math.hypot(p, m)
    np.testing.assert_allclose(res.in_flight.time, s / (beta * C_LIGHT), rtol=1e-9)
    assert res.absorbed_in_target == 0.0


def test_weights_are_conserved() -> None:
    """in flight + at rest + absorbed (target, downstream) = produced, for a realistic π⁺ sample."""
    source = SanfordWangSource(BNB)
    sample = source.sample(211, 50_000, np.random.default_rng(2))
    res = transport(sample, BNB, np.random.default_rng(3), horn="+")
    total = res.in_flight.weight.sum() + res.at_rest.weight.sum() + res.absorbed_in_target + res.absorbed_downstream
    assert total == pytest.approx(sample.per_pot, rel=1e-10)
    assert np.all(res.in_flight.weight >= 0)
    assert np.all(res.at_rest.weight >= 0)
    # decays happen inside the decay region
    assert np.all(res.in_flight.vertex[:, 2] <= 5000.0 + 1e-6)
    assert np.all(np.hypot(res.in_flight.vertex[:, 0], res.in_flight.vertex[:, 1]) <= 91.0 + 1e-6)


def test_target_absorption_along_the_axis() -> None:
    """A forward meson made at the upstream face crosses the whole 71.1 cm: survival exp(−71.1/42.10)."""
    res = transport(beam_of(211, 3.0, 1000, z0=0.0), BNB, np.random.default_rng(1), horn="off")
    assert res.absorbed_in_target == pytest.approx(1 - math.exp(-71.1 / BNB.target.material.interaction_length_cm))


def test_thin_lens() -> None:
    lens = ThinLensHorn(focus_momentum=1.6, acceptance=0.2, focused_charge=+1)
    p = np.array([1.6, 3.2, 0.8, 1.6])
    theta = np.array([0.1, 0.1, 0.1, 0.3])
    mom = np.stack([p * np.sin(theta), 0 * p, p * np.cos(theta), np.hypot(p, 0.14)], axis=1)
    out = lens.apply(mom, np.array([1.0, 1.0, 1.0, 1.0]))
    new_theta = np.arctan2(out[:, 0], out[:, 2])
    np.testing.assert_allclose(new_theta, [0.0, 0.05, -0.1, 0.3], atol=1e-12)  # parallel, half, crossed, outside
    defocused = np.arctan2(*lens.apply(mom, -np.ones(4))[:, [0, 2]].T)
    np.testing.assert_allclose(defocused[:3], [0.2, 0.15, 0.3], atol=1e-12)
    np.testing.assert_allclose(lens.apply(mom, np.zeros(4)), mom)
    np.testing.assert_allclose(np.linalg.norm(out[:, :3], axis=1), p, rtol=1e-12)


def test_focusing_raises_the_decays_pointing_at_the_detector() -> None:
    source = SanfordWangSource(BNB)
    sample = source.sample(211, 50_000, np.random.default_rng(4))
    on = transport(sample, BNB, np.random.default_rng(5), horn="+")
    off = transport(sample, BNB, np.random.default_rng(5), horn="off")
    rev = transport(sample, BNB, np.random.default_rng(5), horn="-")

    def forward(r: object) -> float:
        m = r.in_flight.momentum  # type: ignore[attr-defined]
        theta = np.arctan2(np.hypot(m[:, 0], m[:, 1]), m[:, 2])
        return float(r.in_flight.weight[theta < 0.02].sum())  # type: ignore[attr-defined]

    assert forward(on) > 3 * forward(off) > 3 * 0.5 * forward(rev)


def test_stopping_and_decay_at_rest() -> None:
    """A slow π⁺ (T = 30 MeV) hitting the steel absorber stops with probability exp(−R/λ_I), R = T/(ρ dE/dx_min);
    π⁻ is captured (no DAR); K⁰_L does not range out."""
    m = pdg.mass(211)
    p = math.sqrt((m + 0.03) ** 2 - m**2)
    res = transport(beam_of(211, p, 20_000), BNB, np.random.default_rng(6), horn="off")
    lam = p / m * pdg.ctau(211)
    reach = math.exp(-(5000 - 71.1) / lam)
    stop = math.exp(-(0.03 / (7.874 * DEDX_MIN_FE)) / (132.1 / 7.874))
    assert res.at_rest.weight.sum() == pytest.approx(reach * stop, rel=1e-9)
    assert np.all(res.at_rest.at_rest)
    assert np.all(res.at_rest.vertex[:, 2] >= 5000.0)
    assert res.at_rest.time.mean() > (5000 - 71.1) / (p / math.hypot(p, m) * C_LIGHT)
    neg = transport(beam_of(-211, p, 1000), BNB, np.random.default_rng(6), horn="off")
    assert neg.at_rest.weight.sum() == 0.0
    kl = transport(beam_of(130, 1.0, 1000), BNB, np.random.default_rng(6), horn="off")
    assert kl.at_rest.weight.sum() == 0.0


def test_prompt_decays_keep_everything() -> None:
    source = SanfordWangSource(BNB)
    pi0 = source.sample(111, 100, np.random.default_rng(1))
    dec = prompt_decays(pi0)
    assert dec.pdg == 111
    assert dec.weight.sum() == pytest.approx(pi0.per_pot)


def test_bad_inputs() -> None:
    with pytest.raises(ConfigError, match="pdg"):
        transport(beam_of(111, 1.0, 10), BNB, np.random.default_rng(1))
    with pytest.raises(ConfigError, match="horn"):
        transport(beam_of(211, 1.0, 10), BNB, np.random.default_rng(1), horn="x")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="no horn focusing model"):
        transport(beam_of(211, 1.0, 10), beams.get("bnb_offtarget"), np.random.default_rng(1), horn="+")

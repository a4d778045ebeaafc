"""Selections and the pluggable response stage (darkbeam.response.selection) on known inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from darkbeam import detectors
from darkbeam.events import EventBatch
from darkbeam.response.merging import ReconstructedEvents
from darkbeam.response.selection import ResponseStage, SelectionSection, apply_response
from darkbeam.units import C_LIGHT

M_E = 0.51099895e-3  # PDG RPP 2024
L_CM = 10_000.0  # decay vertex 100 m from the target, on axis


def pairs(angles_deg: np.ndarray, energy: float = 0.5, dt_ns: np.ndarray | None = None) -> EventBatch:
    """Parent at rest-free bookkeeping row + e⁻ e⁺ of equal energy, symmetric about z at ± θ/2 (x–z plane)."""
    n = len(angles_deg)
    half = np.radians(angles_deg) / 2
    p = math.sqrt(energy**2 - M_E**2)
    mom = np.zeros((n, 3, 4))
    mom[:, 1] = np.stack([p * np.sin(half), np.zeros(n), p * np.cos(half), np.full(n, energy)], axis=1)
    mom[:, 2] = np.stack([-p * np.sin(half), np.zeros(n), p * np.cos(half), np.full(n, energy)], axis=1)
    mom[:, 0] = mom[:, 1] + mom[:, 2]
    vertex = np.zeros((n, 3, 3))
    vertex[:, :, 2] = L_CM
    t = L_CM / C_LIGHT + (np.zeros(n) if dt_ns is None else dt_ns)
    return EventBatch.from_fixed(
        pdg=np.array([9900022, 11, -11]),
        status=np.array([2, 1, 1]),
        momentum=mom,
        vertex=vertex,
        time=np.repeat(t[:, None], 3, axis=1),
        parent=np.array([-1, 0, 0]),
        weight=np.arange(1.0, n + 1.0),
    )


BARE = {"use_detector": False}


def test_merging_fraction_and_shower_cut_exact() -> None:
    angles = np.array([3.0, 8.0] * 50)
    batch = pairs(angles)
    sel = SelectionSection(**BARE, merging_angle_deg=5.0, n_showers=(1, 1))
    out = apply_response(batch, None, sel, np.random.default_rng(1))
    np.testing.assert_array_equal(out.mask, angles < 5.0)
    assert out.events.weight == pytest.approx(batch.weight[angles < 5.0])  # weights unchanged
    assert out.efficiency == pytest.approx(batch.weight[angles < 5].sum() / batch.weight.sum())
    assert np.all(out.reconstructed["merged"])
    assert out.cutflow["n_showers"] == pytest.approx(batch.weight[angles < 5].sum())
    # with merging switched off every pair is two showers
    off = apply_response(
        batch, None, SelectionSection(**BARE, merging_angle_deg=5.0, merge=False), np.random.default_rng(1)
    )
    assert np.all(off.reconstructed["n_showers"] == 2)


def test_miniboone_card_merging_angle_gives_stated_single_shower_fraction() -> None:
    """Pairs at opening angles spread across the catalogue's merging angle: the single-shower fraction is exactly
    the fraction of angles below it (no smearing)."""
    det = detectors.get("miniboone")
    assert det.spec.merging_angle_deg is not None
    theta = det.spec.merging_angle_deg.value
    angles = np.linspace(0.1 * theta, 3.0 * theta, 101)
    sel = SelectionSection(smear_energy=False, smear_angle=False, smear_time=False)
    out = apply_response(pairs(angles), det, sel, np.random.default_rng(2))
    merged = out.reconstructed["merged"]
    assert np.mean(merged) == pytest.approx(np.mean(angles < theta))


def test_invariant_mass_and_opening_angle_cuts() -> None:
    angles = np.array([3.0, 8.0, 20.0])
    batch = pairs(angles)
    # m² = 2 m_e² + 2 (E² − p² cos θ) for two electrons of energy E at opening angle θ
    p2 = 0.25 - M_E**2
    mass = np.sqrt(2 * M_E**2 + 2 * (0.25 - p2 * np.cos(np.radians(angles))))
    out = apply_response(batch, None, SelectionSection(**BARE), np.random.default_rng(0))
    assert out.reconstructed["invariant_mass_gev"] == pytest.approx(mass, rel=1e-9)
    assert out.reconstructed["opening_angle_deg"] == pytest.approx(angles, rel=1e-9)
    assert out.reconstructed["visible_energy_gev"] == pytest.approx(np.full(3, 2 * (0.5 - M_E)))
    sel = SelectionSection(**BARE, invariant_mass_gev=(0.05, 0.1))
    assert apply_response(batch, None, sel, np.random.default_rng(0)).mask.tolist() == [False, True, False]
    sel = SelectionSection(**BARE, opening_angle_deg=(10.0, 180.0))
    assert apply_response(batch, None, sel, np.random.default_rng(0)).mask.tolist() == [False, False, True]
    sel = SelectionSection(**BARE, thresholds_mev={"electron": 600.0})  # kinetic energy 499.5 MeV < 600 MeV
    res = apply_response(batch, None, sel, np.random.default_rng(0))
    assert res.cutflow["visible"] == 0.0
    assert len(res.events) == 0


def test_energy_smearing_width() -> None:
    """σ_E = a √E (stochastic term, PDG RPP 2024 Eq. 35.31) on the kinetic energy; no bias (Gaussian)."""
    n = 20_000
    batch = pairs(np.full(n, 30.0), energy=1.0)
    sel = SelectionSection(**BARE, energy_resolution={"electron": {"stochastic": 0.1}}, smear_angle=False)
    out = apply_response(batch, None, sel, np.random.default_rng(3))
    t = 1.0 - M_E
    vis = out.reconstructed["visible_energy_gev"]
    assert np.mean(vis) == pytest.approx(2 * t, rel=2e-3)
    assert np.std(vis) == pytest.approx(math.sqrt(2) * 0.1 * math.sqrt(t), rel=0.03)  # two independent showers


def test_angular_smearing_width() -> None:
    """2-D Gaussian of σ per projection on each direction: the in-plane opening angle spreads by √2 σ."""
    n = 20_000
    batch = pairs(np.full(n, 60.0))
    sigma = 2.0
    sel = SelectionSection(**BARE, angular_resolution_deg={"electron": sigma}, smear_energy=False)
    angle = apply_response(batch, None, sel, np.random.default_rng(4)).reconstructed["opening_angle_deg"]
    # each direction moves by a 2-D Gaussian (σ per projection); the in-plane projections of both add: σ_θ = √2 σ
    assert np.std(angle) == pytest.approx(math.sqrt(2) * sigma, rel=0.05)
    assert np.mean(angle) == pytest.approx(60.0, abs=0.1)


def test_time_window_mask() -> None:
    dt = np.array([50.0, 150.0, 250.0, 199.999])
    batch = pairs(np.full(4, 30.0), dt_ns=dt)
    sel = SelectionSection(**BARE, time_window_ns=(100.0, 200.0))
    out = apply_response(batch, None, sel, np.random.default_rng(5))
    assert out.mask.tolist() == [False, True, False, True]
    assert out.reconstructed["time_after_light_ns"] == pytest.approx([150.0, 199.999], abs=1e-6)
    # spill structure: BNB bunches every 18.83 ns over 81 buckets — a window of 0 width around one bunch loses most
    spill = SelectionSection(**BARE, time_window_ns=(100.0, 200.0), spill="bnb")
    res = apply_response(pairs(np.full(1000, 30.0), dt_ns=np.full(1000, 150.0)), None, spill, np.random.default_rng(6))
    shifted = res.cutflow["time_window_ns"] / res.cutflow["all"]
    assert 0.0 < shifted < 0.2  # only protons of the first ~3 bunches (of 81) keep Δt < 200 ns


def test_detector_defaults_and_pluggable_stage() -> None:
    det = detectors.get("dune_nd_lar")
    stage = SelectionSection().response(det)
    assert stage.response.thresholds["electron"] == pytest.approx(1e-3)  # arXiv:2207.06898 Table 3: 1 MeV
    assert stage.timing_resolution == pytest.approx(1.0)

    class AllMerged:
        timing_resolution = 0.0

        def reconstruct(self, batch: EventBatch, rng: np.random.Generator) -> ReconstructedEvents:
            n = len(batch)
            return ReconstructedEvents(
                n_showers=np.ones(n, np.int64),
                n_tracks=np.zeros(n, np.int64),
                merged=np.ones(n, bool),
                opening_angle=np.full(n, np.nan),
                invariant_mass=np.full(n, np.nan),
                visible_energy=np.ones(n),
                momentum=batch.momentum,
                visible=batch.status == 1,
            )

    assert isinstance(AllMerged(), ResponseStage)
    out = apply_response(
        pairs(np.full(5, 30.0)), det, SelectionSection(n_showers=(1, 1)), np.random.default_rng(7), AllMerged()
    )
    assert out.mask.all()


def test_card_validation() -> None:
    with pytest.raises(ValidationError, match="unknown particle class"):
        SelectionSection(thresholds_mev={"pion": 5.0})
    with pytest.raises(ValidationError, match="low <= high"):
        SelectionSection(invariant_mass_gev=(0.2, 0.1))
    with pytest.raises(ValidationError, match="extra"):
        SelectionSection(nonsense=1)  # type: ignore[call-arg]

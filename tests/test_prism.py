"""PRISM off-axis scans (darkbeam.prism): placement, off-axis narrowing, one-set-of-rays equivalence, dark rates."""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkbeam import detectors
from darkbeam.errors import ConfigError
from darkbeam.models import HNL
from darkbeam.neutrinos import neutrino_flux
from darkbeam.prism import PrismSection, neutrino_flux_at_points, plot_prism, prism_scan, resolve_horn


@pytest.fixture(scope="module")
def scan() -> dict:
    return prism_scan("dune_nd_lar", offsets_m=[0.0, 10.0, 30.0], quantity="numu_flux", n=4000, seed=3)


def test_positions_as_catalogued(scan: dict) -> None:
    # DUNE ND CDR arXiv:2103.13910 Sec. 1: ND-LAr 574 m downstream of the target; PRISM moves it along +x
    base = detectors.get("dune_nd_lar").placement("lbnf")
    assert base.center_cm == (0.0, 0.0, 57400.0)
    for off, pos, angle in zip(scan["offsets_m"], scan["positions_cm"], scan["off_axis_angle_mrad"], strict=True):
        assert pos == pytest.approx([off * 100.0, 0.0, 57400.0])
        assert angle == pytest.approx(1e3 * math.atan2(off, 574.0))
    assert scan["beam"] == "lbnf"
    assert scan["placement"] == "lbnf"


def test_off_axis_narrowing(scan: dict) -> None:
    """On axis the ν_μ flux is higher and harder than 30 m (52 mrad) off axis: E_ν ≈ 0.43 E_π/(1 + γ²θ²)."""
    flux = scan["numu"]["integrated_per_pot_cm2"]
    mean = scan["numu"]["mean_energy_gev"]
    assert flux[0] > flux[1] > flux[2]
    assert flux[0] > 2 * flux[2]  # horn "+": ×21, horn "off": ×3.4 (n = 1e5)
    assert mean[2] < 0.7 * mean[0]
    # two-body decays toward angle θ: E_ν = E*/(γ(1 − β cos θ)) ≤ E*/θ (maximum at γθ = 1); at θ = 52 mrad that is
    # 0.57 GeV for π → μν (E* = 29.8 MeV) and 4.5 GeV for K → μν (E* = 235.5 MeV; PDG RPP 2024 masses)
    assert mean[2] < 4.5


def test_single_point_identical_to_neutrino_flux() -> None:
    """With one point and the same seed, the shared-ray scan draws the same random numbers as neutrino_flux."""
    point = (300.0, 0.0, 57400.0)
    horn, _ = resolve_horn("lbnf", "auto")
    ours = neutrino_flux_at_points("lbnf", [point], n=1500, seed=7, horn=horn)[0]
    ref = neutrino_flux("lbnf", point, n=1500, seed=7, horn=horn)
    assert ours == ref


def test_many_points_share_rays_and_match_statistically() -> None:
    """Several points from one set of emitters agree with independent neutrino_flux runs within MC errors."""
    horn, _ = resolve_horn("lbnf", "auto")
    points = [(0.0, 0.0, 57400.0), (2000.0, 0.0, 57400.0)]
    ours = neutrino_flux_at_points("lbnf", points, n=20000, seed=11, horn=horn)
    for k, point in enumerate(points):
        ref = neutrino_flux("lbnf", point, n=20000, seed=12, horn=horn)
        assert ours[k]["numu"]["integrated_per_pot_cm2"] == pytest.approx(
            ref["numu"]["integrated_per_pot_cm2"], rel=0.1
        )
        assert ours[k]["numu"]["mean_energy_gev"] == pytest.approx(ref["numu"]["mean_energy_gev"], rel=0.1)


def test_dark_rates_scale_with_mixing_and_fall_off_axis() -> None:
    """Long-lived HNL (βγcτ ≫ 5 m): decays ∝ |U|² (production) × |U|² (decay probability) → ×4 for 2 × |U|²."""
    kwargs = {"offsets_m": [0.0, 30.0], "quantity": "dark", "n": 4000, "seed": 5}
    one = prism_scan(model=HNL(mass=0.3, umu2=1e-8), **kwargs)["dark"]
    two = prism_scan(model=HNL(mass=0.3, umu2=2e-8), **kwargs)["dark"]
    assert one["expected_decays"][0] > 0
    ratio = np.asarray(two["expected_decays"]) / np.asarray(one["expected_decays"])
    # exact up to the attenuation exp(−L/λ) (λ ~ 10⁵ km here): relative deviation O(L/λ) ~ 1e-5
    assert ratio == pytest.approx([4.0, 4.0], rel=1e-4)
    assert one["pot"] == pytest.approx(1.1e21)  # DUNE TDR arXiv:2002.02967 Sec. 1: 1.1e21 POT per year
    assert one["expected_decays"][0] > one["expected_decays"][1]
    assert all(e >= 0 for e in one["expected_decays_mc_error"])


def test_errors_and_plot(scan: dict) -> None:
    with pytest.raises(ConfigError, match="offsets_m"):
        prism_scan(offsets_m=[0.0, 40.0], n=200)
    with pytest.raises(ConfigError, match="quantity"):
        prism_scan(quantity="nope", n=200)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="horn"):
        resolve_horn("lbnf", "sideways")  # type: ignore[arg-type]
    png = plot_prism(scan)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    section = PrismSection(offsets_m=[0.0, 4.0], n=200)
    assert section.compute()["offsets_m"] == [0.0, 4.0]


def test_example_card_section_validates() -> None:
    import tomllib
    from pathlib import Path

    card = Path(__file__).resolve().parents[1] / "examples" / "dune_prism.toml"
    raw = tomllib.loads(card.read_text())
    section = PrismSection.model_validate(raw["prism"])
    assert section.quantity == "both"
    assert section.offsets_m == [float(x) for x in range(0, 31, 2)]

"""Beam catalogue: every facility loads, every number carries a source, spot checks against the cited papers."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from darkbeam import beams
from darkbeam.errors import ConfigError, UnknownNameError

M_PROTON = 0.93827  # GeV, PDG

EXPECTED = {
    "bnb",
    "bnb_offtarget",
    "numi",
    "lbnf",
    "jparc_nu",
    "sps_charm_cu",
    "sps_bdf",
    "sns",
    "lansce_lujan",
    "jparc_mlf",
    "u70_nucal",
}


def _walk(model: BaseModel, path: str = "") -> list[tuple[str, Any, BaseModel]]:
    out = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        out.append((f"{path}{name}", value, model))
        if isinstance(value, BaseModel) and not isinstance(value, beams.Cited):
            out.extend(_walk(value, f"{path}{name}."))
    return out


def test_catalogue_lists_every_facility() -> None:
    assert set(beams.names()) == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_number_has_a_source(name: str) -> None:
    spec = beams.get(name)
    n_cited = 0
    for path, value, parent in _walk(spec):
        if isinstance(value, beams.Cited):
            n_cited += 1
            assert len(value.source) >= 8, path
            assert any(
                key in value.source
                for key in ("PDG", "arXiv", "PRD", "NIM", "PL", "CERN", "Science", "kinetic", "momentum", "DarkBeam")
            ), path
        elif isinstance(value, bool) or path.endswith("schema_version"):
            continue
        elif isinstance(value, int | float):
            # bare numbers must have a sibling "<field>_source" string
            field = path.rsplit(".", 1)[-1]
            prefix = field.rsplit("_", 1)[0]
            siblings = type(parent).model_fields
            assert f"{field}_source" in siblings or f"{prefix}_source" in siblings, path
    assert n_cited >= 10


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_momentum_and_kinetic_energy_agree(name: str) -> None:
    """p² = T² + 2 T m_p: catches a transcription error in either number."""
    spec = beams.get(name)
    p, t = spec.proton.momentum_gev.value, spec.proton.kinetic_energy_gev.value
    assert math.sqrt(t * t + 2 * t * M_PROTON) == pytest.approx(p, rel=0.01)


def test_bnb_against_the_miniboone_flux_paper() -> None:
    """PRD 79, 072002 (2009), Sec. II: 8.89 GeV/c, 71.1 cm Be target (~1.7 λ_I), 174 kA horn, 50 m to the absorber."""
    bnb = beams.get("bnb")
    assert bnb.proton.momentum_gev.value == 8.89
    assert bnb.target.material.name == "Be"
    assert bnb.target.length_cm.value == 71.1
    assert bnb.target.interaction_lengths == pytest.approx(1.7, abs=0.05)
    assert bnb.horn is not None
    assert bnb.horn.current_ka.value == 174.0
    assert bnb.horn.polarities == ["+", "-"]
    assert bnb.absorber is not None
    assert bnb.absorber.position_cm.value == 5000.0
    assert bnb.spill.spill_length_ns.value == 1600.0
    # PDG Be: λ_I = 77.8 g/cm², ρ = 1.848 g/cm³ → 42.1 cm; X0 = 65.19 g/cm² → 35.28 cm
    assert bnb.target.material.interaction_length_cm == pytest.approx(42.10, abs=0.01)
    assert bnb.target.material.radiation_length_cm == pytest.approx(35.28, abs=0.01)


def test_numi_against_the_numi_beam_paper() -> None:
    """NIM A 806 (2016) 279: 120 GeV, graphite, two horns, 675 m × 2 m decay pipe."""
    numi = beams.get("numi")
    assert numi.proton.momentum_gev.value == 120.0
    assert numi.target.material.name == "C"
    assert numi.horn is not None
    assert numi.horn.n_horns == 2
    assert numi.decay_pipe is not None
    assert numi.decay_pipe.length_cm.value == 67500.0
    assert numi.decay_pipe.radius_cm.value == 100.0


def test_dumps_and_stopped_pion_sources_have_no_horn() -> None:
    for name in EXPECTED:
        spec = beams.get(name)
        assert (spec.horn is not None) == (spec.kind == "horn"), name


def test_entries_are_frozen() -> None:
    bnb = beams.get("bnb")
    with pytest.raises(ValidationError):
        bnb.name = "other"  # type: ignore[misc]


def test_unknown_beam_names_the_allowed_ones() -> None:
    with pytest.raises(UnknownNameError, match="bnb"):
        beams.get("tevatron")


def test_user_file_with_a_bad_field_is_a_config_error(tmp_path: Path) -> None:
    text = (Path(beams.__file__).parent.parent / "data" / "beams" / "bnb.toml").read_text()
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("value = 71.1", "value = -71.1"))
    with pytest.raises(ConfigError, match=r"target\.length_cm\.value"):
        beams.get(str(bad))
    good = tmp_path / "good.toml"
    good.write_text(text)
    assert beams.get(str(good)) == beams.get("bnb")

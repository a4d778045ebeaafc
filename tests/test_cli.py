"""The command line: JSON output, exit status 2 on bad input, atomic output files."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from darkbeam.config import parse_card
from darkbeam.errors import ConfigError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

SMALL_CARD = """
schema_version = 1
[run]
seed = 4
n_flux = 2000
[model]
name = "scalar"
[experiment]
name = "microboone_numi_absorber"
[scan]
masses = { min_gev = 0.05, max_gev = 0.2, num = 4 }
couplings = { min = 1e-5, max = 1e-1, num = 30 }
[generate]
mass_gev = 0.15
coupling = 4e-4
n_events = 200
batch_size = 5000
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "darkbeam.cli", *args], capture_output=True, text=True, timeout=300)


def test_widths_json_keys_and_values():
    out = run("widths", "scalar", "--mass", "0.1", "--sin-theta", "1e-3", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {
        "model",
        "mass_gev",
        "couplings",
        "total_width_gev",
        "ctau_cm",
        "branching_ratios",
        "production_branching_ratios",
    }
    assert data["couplings"] == {"sin_theta": 1e-3}
    assert data["ctau_cm"] == pytest.approx(1.1516e6, rel=1e-3)  # 1.1516 cm at θ = 1, scaled by 1/θ²
    assert data["branching_ratios"] == {"e+e-": 1.0}
    assert "K+ -> pi+ S" in data["production_branching_ratios"]["K+"]


def test_widths_hnl_dirac_vs_majorana():
    maj = json.loads(run("widths", "hnl", "--mass", "0.3", "--umu2", "1e-6", "--majorana", "--json").stdout)
    dirac = json.loads(run("widths", "hnl", "--mass", "0.3", "--umu2", "1e-6", "--dirac", "--json").stdout)
    assert maj["total_width_gev"] == pytest.approx(2 * dirac["total_width_gev"], rel=1e-12)
    assert sum(maj["branching_ratios"].values()) == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("widths", "scalar", "--mass", "20.0"), "10.0 GeV"),
        (("widths", "scalar", "--mass", "0.1", "--sin-theta", "-1"), "sin_theta"),
        (("widths", "hnl", "--mass", "0.1"), "mixing"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message):
    out = run(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_list(tmp_path):
    models = json.loads(run("list", "models", "--json").stdout)
    assert {"scalar", "hnl"} <= set(models)
    experiments = json.loads(run("list", "experiments", "--json").stdout)
    assert "microboone_numi_absorber" in experiments
    beams = json.loads(run("list", "beams", "--json").stdout)
    assert {"bnb", "numi", "lbnf", "jparc_nu", "sns", "lansce_lujan", "jparc_mlf"} <= set(beams)
    detectors = json.loads(run("list", "detectors", "--json").stdout)
    assert {"sbnd", "microboone", "icarus", "miniboone", "dune_nd_lar", "nd280", "ccm"} <= set(detectors)


def test_sensitivity_writes_three_files(tmp_path):
    card = tmp_path / "card.toml"
    card.write_text(SMALL_CARD)
    out = run("sensitivity", str(card), "-o", str(tmp_path / "out"))
    assert out.returncode == 0, out.stderr
    lines = (tmp_path / "out" / "limits.csv").read_text().splitlines()
    assert lines[0] == "mass_gev,sin_theta_lower,sin_theta_upper"
    assert len(lines) == 5
    assert (tmp_path / "out" / "limits.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["limit"]["method"] == "cls"
    assert summary["limit"]["cl"] == 0.95
    assert not list((tmp_path / "out").glob(".*tmp"))


def test_unwritable_output_exits_2_and_keeps_existing_files(tmp_path):
    card = tmp_path / "card.toml"
    card.write_text(SMALL_CARD)
    blocker = tmp_path / "file"
    blocker.write_text("keep me")
    out = run("sensitivity", str(card), "-o", str(blocker / "sub"))
    assert out.returncode == 2
    assert "cannot write" in out.stderr
    assert blocker.read_text() == "keep me"


def test_generate_parquet_and_hepmc3(tmp_path):
    card = tmp_path / "card.toml"
    card.write_text(SMALL_CARD)
    for name in ("events.parquet", "events.hepmc3"):
        out = run("generate", str(card), "-o", str(tmp_path / name), "--json")
        assert out.returncode == 0, out.stderr
        data = json.loads(out.stdout)
        assert data["events"] == 200
        assert data["expected_events"] > 0
    bad = run("generate", str(card), "-o", str(tmp_path / "events.txt"))
    assert bad.returncode == 2
    assert not (tmp_path / "events.txt").exists()


def test_card_errors_name_the_field():
    with pytest.raises(ConfigError, match=r"run\.n_fluxx: unknown key"):
        parse_card(SMALL_CARD.replace("n_flux", "n_fluxx"))
    with pytest.raises(ConfigError, match=r"scan\.couplings\.min"):
        parse_card(SMALL_CARD.replace("min = 1e-5", "min = -1e-5"))
    with pytest.raises(ConfigError, match="not valid TOML"):
        parse_card("[run")
    with pytest.raises(ConfigError, match="schema_version"):
        parse_card(SMALL_CARD.replace("schema_version = 1", "schema_version = 7"))


@pytest.mark.parametrize("card", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_example_cards_validate(card):
    config = parse_card(card.read_text(), str(card))
    assert any(section is not None for section in (config.scan, config.flux, config.prism, config.upscattering))


def test_plot_widths(tmp_path):
    out = run(
        "plot", "widths", "hnl", "--mixing", "mu", "--mass-max", "0.45", "--num", "20", "-o", str(tmp_path / "w.png")
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "w.png").read_bytes()[:4] == b"\x89PNG"
    bad = run("plot", "widths", "hnl", "--mixing", "sterile", "-o", str(tmp_path / "x.png"))
    assert bad.returncode == 2
    assert "--mixing" in bad.stderr
    assert not (tmp_path / "x.png").exists()


def test_flux_command_json(tmp_path):
    card = tmp_path / "flux.toml"
    card.write_text('[flux]\nbeam = "bnb"\nn = 5000\nseed = 3\n')
    out = run("flux", str(card), "--json", "--plot", str(tmp_path / "flux.png"))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"numu", "numubar", "nue", "nuebar"}
    for flavour in ("numu", "numubar", "nue", "nuebar"):
        keys = {"integrated_per_pot_cm2", "mean_energy_gev", "energy_bins_gev", "flux_per_pot_cm2"}
        assert keys <= set(data[flavour])
        assert len(data[flavour]["flux_per_pot_cm2"]) == len(data[flavour]["energy_bins_gev"]) - 1
    # ν_μ dominates a positive-horn BNB beam
    assert data["numu"]["integrated_per_pot_cm2"] > 10 * data["numubar"]["integrated_per_pot_cm2"]
    assert (tmp_path / "flux.png").read_bytes()[:4] == b"\x89PNG"
    missing = run("flux", str(EXAMPLES / "microboone_kdar_scalar.toml"))
    assert missing.returncode == 2
    assert "[flux]" in missing.stderr


def test_prism_command(tmp_path):
    card = tmp_path / "prism.toml"
    card.write_text(
        '[prism]\ndetector = "dune_nd_lar"\noffsets_m = [0.0, 15.0, 30.0]\nquantity = "numu_flux"\nn = 5000\n'
    )
    out = run("prism", str(card), "-o", str(tmp_path / "out"), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    flux = data["numu"]["integrated_per_pot_cm2"]
    assert flux[0] > flux[-1]  # off-axis: fewer neutrinos
    assert data["numu"]["mean_energy_gev"][-1] < data["numu"]["mean_energy_gev"][0]  # and softer
    for name in ("prism.json", "prism.csv", "prism.png"):
        assert (tmp_path / "out" / name).exists()


def test_generate_with_selection(tmp_path):
    card = tmp_path / "card.toml"
    card.write_text(
        SMALL_CARD + '\n[selection]\nuse_detector = true\nopening_angle_deg = [0.0, 90.0]\nsource = "test"\n'
    )
    out = run("generate", str(card), "-o", str(tmp_path / "events.parquet"), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    # a 150 MeV scalar from K+ at rest has e+e- opening angles spread over ~60-180 deg: the cut keeps a fraction
    assert 0 < data["cutflow"]["opening_angle_deg"] < data["cutflow"]["all"]
    assert 0 < data["events"] < 200
    assert data["expected_events"] == pytest.approx(data["cutflow"]["n_tracks"], rel=1e-12)


def test_upscatter_command(tmp_path):
    text = (EXAMPLES / "miniboone_dipole.toml").read_text()
    card = tmp_path / "dipole.toml"
    card.write_text(text.replace("n_events = 100000", "n_events = 2000"))
    out = run("upscatter", str(card), "-o", str(tmp_path / "events.parquet"), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["events"] > 0
    assert data["expected_events"] > 0
    assert sum(data["branching_ratios"].values()) == pytest.approx(1.0, rel=1e-9)

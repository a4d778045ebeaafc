"""User parent ntuples (darkbeam.production.ntuple): CSV / Parquet / ROOT round trips, POT handling, sampling
and the errors for malformed files."""

from __future__ import annotations

import importlib.util
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from darkbeam import pdg
from darkbeam.errors import ConfigError, DarkBeamError, UnknownNameError
from darkbeam.experiments import Experiment
from darkbeam.experiments.schema import ExperimentSpec
from darkbeam.kinematics import invariant_mass
from darkbeam.production.ntuple import NtupleSource, read_ntuple, write_ntuple
from darkbeam.production.parents import ParentDecays
from darkbeam.production.stopped_pion import StoppedPionSource

HAS_UPROOT = importlib.util.find_spec("uproot") is not None
POT = 2.5e5


def _decays(n: int = 500, seed: int = 2) -> ParentDecays:
    return StoppedPionSource("lansce_lujan", 111).sample(n, np.random.default_rng(seed))


def _columns(decays: ParentDecays, pot: float) -> dict[str, np.ndarray]:
    return {
        "pdg": np.full(len(decays), decays.pdg),
        "x_cm": decays.vertex[:, 0],
        "y_cm": decays.vertex[:, 1],
        "z_cm": decays.vertex[:, 2],
        "px_gev": decays.momentum[:, 0],
        "py_gev": decays.momentum[:, 1],
        "pz_gev": decays.momentum[:, 2],
        "t_ns": decays.time,
        "weight": decays.weight * pot,
    }


def _assert_same(a: ParentDecays, b: ParentDecays) -> None:
    assert a.pdg == b.pdg
    np.testing.assert_allclose(a.momentum, b.momentum, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(a.vertex, b.vertex, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a.time, b.time, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a.weight, b.weight, rtol=1e-12)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_round_trip_with_pot_in_the_file(tmp_path: Path, suffix: str) -> None:
    decays = _decays()
    path = tmp_path / f"pi0{suffix}"
    write_ntuple(path, decays, POT)
    source = NtupleSource(path, pot=None, parent_pdg=111)
    _assert_same(source.decays(), decays)
    assert source.decays_per_pot == pytest.approx(decays.weight.sum(), rel=1e-12)
    assert not list(tmp_path.glob("*.partial"))


def test_csv_written_by_hand_with_on_shell_energy(tmp_path: Path) -> None:
    """No e_gev column: E = √(p² + m²); no weight column: 1 per row; POT as an argument."""
    path = tmp_path / "hand.csv"
    path.write_text(
        "pdg,x_cm,y_cm,z_cm,px_gev,py_gev,pz_gev,t_ns,extra\n"
        "111,0.3,-1.2,4.7,0.051,0.122,0.340,1.6,7\n"
        "221,0,0,1,0,0,0.5,0.1,7\n"
        "111,-2.0,0.8,11.2,-0.210,0.045,0.098,1.9,7\n"
    )
    source = NtupleSource(path, pot=100.0, parent_pdg=111)
    rows = source.decays()
    assert len(rows) == 2
    assert source.decays_per_pot == pytest.approx(2 / 100.0)
    np.testing.assert_allclose(invariant_mass(rows.momentum), pdg.mass(111), rtol=1e-12)
    np.testing.assert_allclose(rows.vertex[1], [-2.0, 0.8, 11.2])
    assert NtupleSource(path, pot=100.0, parent_pdg=221).decays_per_pot == pytest.approx(0.01)


def test_parquet_from_pyarrow_with_metadata_and_argument_override(tmp_path: Path) -> None:
    decays = _decays(200)
    path = tmp_path / "user.parquet"
    pq.write_table(pa.table(_columns(decays, POT), metadata={"pot": str(POT)}), path)
    _assert_same(NtupleSource(path, pot=None, parent_pdg=111).decays(), decays)
    # an explicit pot overrides the file's
    assert NtupleSource(path, pot=2 * POT, parent_pdg=111).decays_per_pot == pytest.approx(decays.weight.sum() / 2)


@pytest.mark.skipif(not HAS_UPROOT, reason="uproot is not installed (optional extra darkbeam[root])")
def test_root_round_trip(tmp_path: Path) -> None:
    import uproot

    decays = _decays(300)
    path = tmp_path / "parents.root"
    columns = _columns(decays, POT)
    with uproot.recreate(path) as handle:
        handle.mktree("parents", {name: values.dtype for name, values in columns.items()})
        handle["parents"].extend(columns)
    assert uproot.open(path).classnames() == {"parents;1": "TTree"}
    _assert_same(NtupleSource(path, pot=POT, parent_pdg=111, tree="parents").decays(), decays)
    _assert_same(NtupleSource(path, pot=POT, parent_pdg=111).decays(), decays)  # the only tree
    with pytest.raises(ConfigError, match="tree = 'nope'"):
        NtupleSource(path, pot=POT, parent_pdg=111, tree="nope")
    # uproot >= 5.7 writes an RNTuple for file[name] = dict; read the same way
    rntuple = tmp_path / "parents_rntuple.root"
    with uproot.recreate(rntuple) as handle:
        handle["parents"] = columns
    _assert_same(NtupleSource(rntuple, pot=POT, parent_pdg=111).decays(), decays)


@pytest.mark.skipif(HAS_UPROOT, reason="checks the message shown when uproot is missing")
def test_root_without_uproot_names_the_extra(tmp_path: Path) -> None:
    path = tmp_path / "parents.root"
    path.write_bytes(b"root")
    with pytest.raises(DarkBeamError, match=r"pip install darkbeam\[root\]"):
        NtupleSource(path, pot=POT, parent_pdg=111)


def test_sampling_is_weight_proportional_and_normalised(tmp_path: Path) -> None:
    """Two rows with weights 1 and 3: draws in the ratio 1:3, every drawn row carries Σw/POT / n."""
    path = tmp_path / "two.csv"
    path.write_text(
        "# pot = 10\npdg,x_cm,y_cm,z_cm,px_gev,py_gev,pz_gev,t_ns,weight\n211,0,0,0,0,0,0,5,1\n211,0,0,1,0,0,0,7,3\n"
    )
    source = NtupleSource(path, pot=None, parent_pdg=211)
    sample = source.sample(40_000, np.random.default_rng(3))
    assert sample.weight.sum() == pytest.approx(0.4, rel=1e-12)
    assert np.all(sample.weight == sample.weight[0])
    fraction = np.mean(sample.vertex[:, 2] == 1.0)
    assert fraction == pytest.approx(0.75, abs=0.01)  # binomial σ ≈ 0.002
    assert np.all(sample.at_rest)
    a = source.sample(100, np.random.default_rng(9))
    b = source.sample(100, np.random.default_rng(9))
    np.testing.assert_array_equal(a.vertex, b.vertex)


HEADER = "pdg,x_cm,y_cm,z_cm,px_gev,py_gev,pz_gev,t_ns,weight\n"


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("pdg,x_cm,y_cm,px_gev,py_gev,pz_gev\n111,0,0,0,0,0\n", "missing column.*z_cm, t_ns"),
        (HEADER + "111,0,0,nan,0,0,0.2,1,1\n", "column 'z_cm' has 1 empty or non-finite"),
        (HEADER + "111,0,0,inf,0,0,0.2,1,1\n", "column 'z_cm' has a non-finite value"),
        (HEADER + "111,0,0,0,0,0,0.2,1,-1\n", "weight = -1.0 at row 0"),
        (HEADER + "111.5,0,0,0,0,0,0.2,1,1\n", "pdg = 111.5 at row 0"),
        (HEADER + "221,0,0,0,0,0,0.2,1,1\n", "parent_pdg = 111.*pdg ids present: 221"),
        (HEADER + "111,0,0,0,0,0,0.2,1,0\n", "sum to 0"),
        (HEADER + "111,0,0,0,a,0,0.2,1,1\n", "column 'px_gev' has type"),
    ],
)
def test_malformed_files_are_rejected(tmp_path: Path, body: str, match: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(body)
    with pytest.raises(ConfigError, match=match):
        NtupleSource(path, pot=1.0, parent_pdg=111)


def test_bad_arguments_and_paths(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(HEADER + "111,0,0,0,0,0,0.2,1,1\n")
    with pytest.raises(ConfigError, match="pot is missing"):
        NtupleSource(path, pot=None, parent_pdg=111)
    with pytest.raises(ConfigError, match="pot = -1"):
        NtupleSource(path, pot=-1.0, parent_pdg=111)
    with pytest.raises(UnknownNameError, match="999999"):
        NtupleSource(path, pot=1.0, parent_pdg=999999)
    with pytest.raises(ConfigError, match="no such file"):
        NtupleSource(tmp_path / "missing.parquet", pot=1.0, parent_pdg=111)
    with pytest.raises(ConfigError, match=r"extension '\.txt'"):
        read_ntuple(tmp_path / "x.txt")
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet at all")
    with pytest.raises(ConfigError, match="not a readable Parquet file"):
        NtupleSource(broken, pot=1.0, parent_pdg=111)
    spacelike = tmp_path / "spacelike.csv"
    spacelike.write_text("pdg,x_cm,y_cm,z_cm,px_gev,py_gev,pz_gev,e_gev,t_ns\n111,0,0,0,0,0,0.5,0.2,1\n")
    with pytest.raises(ConfigError, match="below"):
        NtupleSource(spacelike, pot=1.0, parent_pdg=111)
    with pytest.raises(ConfigError, match="n = 0"):
        NtupleSource(path, pot=1.0, parent_pdg=111).sample(0, np.random.default_rng(1))


def test_experiment_resolves_ntuple_paths_against_its_folder(tmp_path: Path) -> None:
    decays = _decays(100)
    (tmp_path / "sub").mkdir()
    write_ntuple(tmp_path / "sub" / "pi0.parquet", decays, POT)
    raw = tomllib.loads((resources.files("darkbeam") / "data" / "experiments" / "miniboone_dm.toml").read_text())
    raw["sources"] = [{"kind": "ntuple", "path": "sub/pi0.parquet", "parent_pdg": 111, "source": "test ntuple"}]
    experiment = Experiment(ExperimentSpec.model_validate(raw), base_dir=tmp_path)
    (source,) = experiment.sources()
    assert isinstance(source, NtupleSource)
    assert source.decays_per_pot == pytest.approx(decays.weight.sum(), rel=1e-12)

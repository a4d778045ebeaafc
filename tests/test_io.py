"""Tests of darkbeam.io: HepMC3 and Parquet round trips, pyhepmc compatibility, atomic writes, registry.

Precision criteria:

* Parquet stores IEEE doubles, so every column must round-trip bit for bit (stronger than 1e-9 relative).
* HepMC3 text is written with 17 significant digits (``%.17g``), which identifies every double uniquely, so
  momenta, vertices and weights must also round-trip bit for bit. Times are stored as c·t [cm] and divided by
  C_LIGHT on reading, so they are allowed 1e-15 relative (a few ulp).
* Masses are derived from the four-momenta; they must agree to 1e-6 relative (exact here, as the momenta are).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyhepmc
import pytest

from darkbeam.errors import ConfigError, OutputError, UnknownNameError
from darkbeam.events import EventBatch
from darkbeam.io import read_events, read_hepmc3, read_parquet, write_events, write_hepmc3, write_parquet
from darkbeam.kinematics import two_body_decay
from darkbeam.units import C_LIGHT

M_K, M_PI, M_S, M_E = 0.493677, 0.13957039, 0.2, 0.51099895e-3
PROVENANCE = {
    "run_card": 'model = "scalar"\nmass = 0.2  # GeV\npath = "C:\\\\cards\\\\x"\n',
    "darkbeam_version": "0.1.0",
    "seed": "1",
}


def decays(n: int, rng: np.random.Generator, with_meson: bool) -> EventBatch:
    """``n`` events K+ → π+ S, S → e+ e-: rows (S, e-, e+), or (K+, S, e-, e+) with the kaon as status 4.

    Kaons are produced near the target with momenta 5-50 GeV along ~z at t ∈ [0, 1) ns; every particle's
    vertex and time are its production point, consistent with straight-line flight at β = p/E.
    """
    pk = rng.uniform(5.0, 50.0, n)
    direction = np.column_stack([rng.normal(0, 0.01, n), rng.normal(0, 0.01, n), np.ones(n)])
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    kaon = np.column_stack([direction * pk[:, None], np.hypot(pk, M_K)])
    scalar, _pion = two_body_decay(kaon, M_S, M_PI, rng)
    electron, positron = two_body_decay(scalar, M_E, M_E, rng)

    def fly(
        start: np.ndarray, t0: np.ndarray, p4: np.ndarray, length: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        p = np.linalg.norm(p4[:, :3], axis=1)
        return start + p4[:, :3] / p[:, None] * length[:, None], t0 + length / (p / p4[:, 3] * C_LIGHT)

    k_vertex = np.column_stack([rng.normal(0, 0.1, n), rng.normal(0, 0.1, n), rng.uniform(0, 50, n)])
    k_time = rng.uniform(0.0, 1.0, n)
    s_vertex, s_time = fly(k_vertex, k_time, kaon, rng.exponential(300.0, n))
    e_vertex, e_time = fly(s_vertex, s_time, scalar, rng.exponential(5000.0, n))
    weight = rng.lognormal(-20.0, 2.0, n)
    variations = {"flux_up": weight * rng.uniform(1.0, 1.3, n)}
    if with_meson:
        return EventBatch.from_fixed(
            pdg=np.array([321, 9900025, 11, -11]),
            status=np.array([4, 2, 1, 1]),
            momentum=np.stack([kaon, scalar, electron, positron], axis=1),
            vertex=np.stack([k_vertex, s_vertex, e_vertex, e_vertex], axis=1),
            time=np.stack([k_time, s_time, e_time, e_time], axis=1),
            parent=np.array([-1, 0, 1, 1]),
            weight=weight,
            weight_variations=variations,
            provenance=PROVENANCE,
        )
    return EventBatch.from_fixed(
        pdg=np.array([9900025, 11, -11]),
        status=np.array([2, 1, 1]),
        momentum=np.stack([scalar, electron, positron], axis=1),
        vertex=np.stack([s_vertex, e_vertex, e_vertex], axis=1),
        time=np.stack([s_time, e_time, e_time], axis=1),
        parent=np.array([-1, 0, 0]),
        weight=weight,
        weight_variations=variations,
        provenance=PROVENANCE,
    )


@pytest.fixture(params=[False, True], ids=["scalar-root", "kaon-root"])
def batch(request: pytest.FixtureRequest) -> EventBatch:
    return decays(1000, np.random.default_rng(1), with_meson=request.param)


def assert_same_events(got: EventBatch, want: EventBatch, *, time_rtol: float = 0.0) -> None:
    assert len(got) == len(want)
    np.testing.assert_array_equal(got.offsets, want.offsets)
    np.testing.assert_array_equal(got.pdg, want.pdg)
    np.testing.assert_array_equal(got.status, want.status)
    np.testing.assert_array_equal(got.parent, want.parent)
    np.testing.assert_array_equal(got.momentum, want.momentum)
    np.testing.assert_allclose(got.mass, want.mass, rtol=1e-6, atol=0)
    np.testing.assert_array_equal(got.vertex, want.vertex)
    np.testing.assert_allclose(got.time, want.time, rtol=time_rtol, atol=0)
    np.testing.assert_array_equal(got.weight, want.weight)
    assert list(got.weight_variations) == list(want.weight_variations)
    for name, values in want.weight_variations.items():
        np.testing.assert_array_equal(got.weight_variations[name], values)
    assert dict(got.provenance) == dict(want.provenance)
    assert got.pdg.dtype == np.int64
    assert got.status.dtype == np.int32
    assert got.parent.dtype == np.int64


# ------------------------------------------------------------------------------------------------ round trips
def test_hepmc3_round_trip(batch: EventBatch, tmp_path: Path) -> None:
    path = tmp_path / "events.hepmc3"
    assert write_hepmc3(batch, path) == len(batch)
    assert_same_events(read_hepmc3(path), batch, time_rtol=1e-15)


def test_parquet_round_trip(batch: EventBatch, tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    assert write_parquet(batch, path) == len(batch)
    assert_same_events(read_parquet(path), batch)


@pytest.mark.parametrize("suffix", [".hepmc3", ".hepmc", ".parquet", ".HepMC3"])
def test_registry_streams_batches(suffix: str, tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    parts = [decays(n, rng, with_meson=True) for n in (300, 1, 699)]

    def stream() -> Iterator[EventBatch]:
        yield from parts

    path = tmp_path / f"events{suffix}"
    assert write_events(stream(), path, provenance={"seed": "2", "extra": "yes"}) == 1000
    want = EventBatch.concatenate(parts)
    got = read_events(path)
    assert dict(got.provenance) == {**PROVENANCE, "seed": "2", "extra": "yes"}
    assert_same_events(got, EventBatch(**{**want.__dict__, "provenance": got.provenance}), time_rtol=1e-15)


@pytest.mark.parametrize("suffix", [".hepmc3", ".parquet"])
def test_empty_stream_writes_valid_file(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"empty{suffix}"
    assert write_events([], path, provenance={"seed": "7"}) == 0
    got = read_events(path)
    assert len(got) == 0
    assert dict(got.provenance) == {"seed": "7"}


def test_hepmc3_long_multiline_provenance(tmp_path: Path) -> None:
    """Values longer than HepMC3's 256 KiB line buffer are split over several attributes and joined back."""
    card = "".join(f"line {i}: é \\ ü\n" for i in range(40_000))  # ~700 kB, newlines, backslashes, non-ASCII
    b = decays(3, np.random.default_rng(3), with_meson=False)
    path = tmp_path / "long.hepmc3"
    write_hepmc3(b, path, provenance={"run_card": card})
    assert max(len(line) for line in path.read_bytes().splitlines()) < 512 * 512 - 1
    assert read_hepmc3(path).provenance["run_card"] == card


# ---------------------------------------------------------------------------------------------- pyhepmc view
def test_pyhepmc_reads_file(tmp_path: Path) -> None:
    """HepMC3's own reader sees the event count, units, numbering, weights, topology, vertices and header."""
    b = decays(1000, np.random.default_rng(4), with_meson=True)
    path = tmp_path / "events.hepmc3"
    write_hepmc3(b, path)
    n = 0
    with pyhepmc.open(path) as f:
        for i, evt in enumerate(f):
            n += 1
            assert evt.event_number == i
            assert evt.momentum_unit == pyhepmc.Units.GEV
            assert evt.length_unit == pyhepmc.Units.CM
            assert list(evt.weights) == [b.weight[i], b.weight_variations["flux_up"][i]]
            rows = slice(int(b.offsets[i]), int(b.offsets[i + 1]))
            kaon, scalar, electron, positron = evt.particles
            assert [p.pid for p in evt.particles] == b.pdg[rows].tolist()
            assert [p.status for p in evt.particles] == b.status[rows].tolist()
            assert kaon.production_vertex.id == 0  # root vertex
            np.testing.assert_array_equal(
                list(evt.event_pos()), [*b.vertex[rows][0], b.time[rows][0] * C_LIGHT]
            )
            assert [p.id for p in kaon.end_vertex.particles_out] == [scalar.id]
            assert [p.id for p in scalar.end_vertex.particles_in] == [scalar.id]
            assert [p.id for p in scalar.end_vertex.particles_out] == [electron.id, positron.id]
            pos = scalar.end_vertex.position
            np.testing.assert_array_equal([pos.x, pos.y, pos.z], b.vertex[rows][2])
            assert pos.t == pytest.approx(b.time[rows][2] * C_LIGHT, rel=1e-15)
            assert electron.end_vertex is None
            np.testing.assert_array_equal(list(electron.momentum), b.momentum[rows][2])
            if i == 0:
                info = evt.run_info
                assert list(info.weight_names) == ["nominal", "flux_up"]
                assert info.tools[0].name == "DarkBeam"
                assert str(info.attributes["darkbeam.run_card"]) == PROVENANCE["run_card"]
    assert n == 1000
    assert path.read_text().startswith("HepMC::Version 3.02.06\nHepMC::Asciiv3-START_EVENT_LISTING\n")
    assert path.read_text().endswith("HepMC::Asciiv3-END_EVENT_LISTING\n")


def test_hepmc3_general_topologies(tmp_path: Path) -> None:
    """Daughters listed before their mother, and a second root produced away from the first."""
    momentum = np.array(
        [[0.1, 0.0, 1.0, 1.2], [0.0, 0.2, 2.0, 2.1], [0.1, 0.2, 3.0, 3.5], [1.0, 0.0, 0.0, 1.1]]
    )
    b = EventBatch(
        offsets=np.array([0, 4], dtype=np.int64),
        pdg=np.array([11, -11, 9900025, 22]),
        status=np.array([1, 1, 2, 1], dtype=np.int32),
        momentum=momentum,
        vertex=np.array([[1.0, 2.0, 300.0], [1.0, 2.0, 300.0], [0.5, 0.5, 10.0], [-3.0, 4.0, 5.0]]),
        time=np.array([12.0, 12.0, 2.0, 7.5]),
        parent=np.array([2, 2, -1, -1]),
        weight=np.array([0.25]),
    )
    path = tmp_path / "general.hepmc3"
    write_hepmc3(b, path)
    got = read_hepmc3(path)
    order = [2, 3, 0, 1]  # rows sorted by generation (roots first), stable within a generation
    np.testing.assert_array_equal(got.pdg, b.pdg[order])
    np.testing.assert_array_equal(got.parent, [-1, -1, 0, 0])
    np.testing.assert_array_equal(got.momentum, b.momentum[order])
    np.testing.assert_array_equal(got.vertex, b.vertex[order])
    np.testing.assert_allclose(got.time, b.time[order], rtol=1e-15)
    assert list(got.weight_variations) == []


# ------------------------------------------------------------------------------------------------ failures
@pytest.mark.parametrize("suffix", [".hepmc3", ".parquet"])
def test_unwritable_destination(suffix: str, tmp_path: Path) -> None:
    b = decays(5, np.random.default_rng(5), with_meson=False)
    for path in (tmp_path / "missing-dir" / f"x{suffix}", Path("/proc") / f"darkbeam{suffix}"):
        with pytest.raises(OutputError, match=str(path)):
            write_events(b, path)
    directory = tmp_path / f"is-a-dir{suffix}"
    directory.mkdir()
    with pytest.raises(OutputError, match="is-a-dir"):
        write_events(b, directory)
    assert sorted(os.listdir(tmp_path)) == [directory.name]  # no temporary file left behind


@pytest.mark.parametrize("suffix", [".hepmc3", ".parquet"])
def test_failed_write_keeps_existing_file(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"events{suffix}"
    path.write_bytes(b"previous run\n")
    rng = np.random.default_rng(6)

    def failing() -> Iterator[EventBatch]:
        yield decays(100, rng, with_meson=True)
        raise RuntimeError("generator crashed")

    with pytest.raises(OutputError, match="generator crashed") as info:
        write_events(failing(), path)
    assert str(path) in str(info.value)
    assert isinstance(info.value.__cause__, RuntimeError)
    assert path.read_bytes() == b"previous run\n"
    assert os.listdir(tmp_path) == [path.name]


def test_unwritable_data_is_refused(tmp_path: Path) -> None:
    b = decays(3, np.random.default_rng(7), with_meson=False)
    moved = b.vertex.copy()
    moved[2] += 1.0  # e+ of event 0 not at the e- vertex
    bad = EventBatch(**{**b.__dict__, "vertex": moved})
    with pytest.raises(OutputError, match="different production vertices") as info:
        write_hepmc3(bad, tmp_path / "bad.hepmc3")
    assert isinstance(info.value.__cause__, ConfigError)
    other = decays(2, np.random.default_rng(8), with_meson=False)
    other = EventBatch(**{**other.__dict__, "weight_variations": {}})
    with pytest.raises(OutputError, match="weight variations"):
        write_hepmc3([b, other], tmp_path / "mixed.hepmc3")
    assert os.listdir(tmp_path) == []


def test_unknown_extension(tmp_path: Path) -> None:
    b = decays(2, np.random.default_rng(9), with_meson=False)
    with pytest.raises(UnknownNameError, match=r"'\.txt'.*\.hepmc, \.hepmc3, \.parquet"):
        write_events(b, tmp_path / "events.txt")
    with pytest.raises(UnknownNameError, match=r"\.txt"):
        read_events(tmp_path / "events.txt")
    assert os.listdir(tmp_path) == []

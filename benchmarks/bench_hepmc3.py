"""Benchmark DarkBeam's HepMC3 writer against building pyhepmc ``GenEvent`` s in Python.

Run ``python benchmarks/bench_hepmc3.py [n_events]``. Generates two-body decays S → e+ e- (3 particles per
event: the dark scalar and its daughters), writes them with :func:`darkbeam.io.write_hepmc3` in batches, and
writes a subset with two in-process pyhepmc baselines:

* "naive": one ``GenParticle``/``GenVertex`` per particle/vertex built in Python, ``pyhepmc.io.WriterAscii``;
* "from_hepevt": ``GenEvent.from_hepevt`` (arrays → event in C++, one call per event), same writer.

Prints events/s for each and DarkBeam's speed-up; exits with status 1 if DarkBeam writes fewer than
20 000 events/s (the requirement for two-body events). Takes ~10-20 s on 2 cores.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pyhepmc

from darkbeam.events import EventBatch
from darkbeam.io import write_hepmc3
from darkbeam.kinematics import two_body_decay
from darkbeam.units import C_LIGHT

REQUIRED_RATE = 20_000.0  # events/s
M_S, M_E = 0.2, 0.51099895e-3  # GeV
BATCH = 50_000


def make_batch(n: int, rng: np.random.Generator) -> EventBatch:
    """``n`` decays S (0.2 GeV, 1-50 GeV/c) → e+ e- with production/decay vertices [cm] and times [ns]."""
    p = rng.uniform(1.0, 50.0, n)
    direction = np.column_stack([rng.normal(0, 0.02, n), rng.normal(0, 0.02, n), np.ones(n)])
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    scalar = np.column_stack([direction * p[:, None], np.hypot(p, M_S)])
    electron, positron = two_body_decay(scalar, M_E, M_E, rng)
    production = np.column_stack([rng.normal(0, 1, n), rng.normal(0, 1, n), rng.uniform(0, 5000, n)])
    length = rng.uniform(0, 50_000, n)
    decay = production + direction * length[:, None]
    t0 = rng.uniform(0, 10, n)
    t1 = t0 + length / (p / scalar[:, 3] * C_LIGHT)
    weight = rng.lognormal(-20, 1, n)
    return EventBatch.from_fixed(
        pdg=np.array([9900025, 11, -11]),
        status=np.array([2, 1, 1]),
        momentum=np.stack([scalar, electron, positron], axis=1),
        vertex=np.stack([production, decay, decay], axis=1),
        time=np.stack([t0, t1, t1], axis=1),
        parent=np.array([-1, 0, 0]),
        weight=weight,
        weight_variations={"flux_up": 1.1 * weight},
        provenance={"run_card": "model = 'scalar'\nmass = 0.2\n", "seed": "1"},
    )


def run_info(batch: EventBatch) -> pyhepmc.GenRunInfo:
    info = pyhepmc.GenRunInfo()
    info.weight_names = ["nominal", *batch.weight_variations]
    for key, value in batch.provenance.items():
        info.attributes[f"darkbeam.{key}"] = value
    return info


def naive_events(batch: EventBatch) -> Iterator[pyhepmc.GenEvent]:
    """Build one GenEvent per event, particle by particle (the usual pyhepmc idiom)."""
    info = run_info(batch)
    mom, vtx, time_ = batch.momentum.tolist(), batch.vertex.tolist(), batch.time.tolist()
    pdg, status, parent = batch.pdg.tolist(), batch.status.tolist(), batch.parent.tolist()
    weights = np.column_stack([batch.weight, *batch.weight_variations.values()]).tolist()
    offsets = batch.offsets.tolist()
    for i in range(len(batch)):
        evt = pyhepmc.GenEvent(pyhepmc.Units.GEV, pyhepmc.Units.CM)
        evt.run_info = info
        evt.event_number = i
        evt.weights = weights[i]
        rows = range(offsets[i], offsets[i + 1])
        particles = [pyhepmc.GenParticle(mom[r], pdg[r], status[r]) for r in rows]
        end_vertices: dict[int, pyhepmc.GenVertex] = {}
        for local, r in enumerate(rows):
            mother = parent[r]
            if mother < 0:
                evt.add_particle(particles[local])
                continue
            if mother not in end_vertices:
                v = pyhepmc.GenVertex((*vtx[r], time_[r] * C_LIGHT))
                v.add_particle_in(particles[mother])
                end_vertices[mother] = v
                evt.add_vertex(v)
            end_vertices[mother].add_particle_out(particles[local])
        yield evt


def hepevt_events(batch: EventBatch) -> Iterator[pyhepmc.GenEvent]:
    """Build one GenEvent per event with GenEvent.from_hepevt (bulk C++ construction per event)."""
    info = run_info(batch)
    m = batch.mass
    parent1 = np.where(batch.parent >= 0, batch.parent + 1, 0)  # 1-based, 0 = none
    parents = np.column_stack([parent1, parent1])
    ct = batch.time * C_LIGHT
    pid, status = batch.pdg.astype(np.int32), batch.status.astype(np.int32)
    px, py, pz, e = (np.ascontiguousarray(batch.momentum[:, j]) for j in range(4))
    vx, vy, vz = (np.ascontiguousarray(batch.vertex[:, j]) for j in range(3))
    weights = np.column_stack([batch.weight, *batch.weight_variations.values()]).tolist()
    offsets = batch.offsets.tolist()
    for i in range(len(batch)):
        a, b = offsets[i], offsets[i + 1]
        evt = pyhepmc.GenEvent(pyhepmc.Units.GEV, pyhepmc.Units.CM)
        evt.from_hepevt(
            i, px[a:b], py[a:b], pz[a:b], e[a:b], m[a:b], pid[a:b], status[a:b], parents[a:b], None,
            vx[a:b], vy[a:b], vz[a:b], ct[a:b],
        )  # fmt: skip
        evt.run_info = info
        evt.weights = weights[i]
        yield evt


def write_with_pyhepmc(events: Iterator[pyhepmc.GenEvent], path: Path) -> int:
    n = 0
    writer: pyhepmc.io.WriterAscii | None = None
    for evt in events:
        if writer is None:
            writer = pyhepmc.io.WriterAscii(str(path), evt.run_info)
        writer.write_event(evt)
        n += 1
    if writer is not None:
        writer.close()
    return n


def rate(label: str, n_events: int, func: Callable[[], int]) -> float:
    start = time.perf_counter()
    written = func()
    seconds = time.perf_counter() - start
    assert written == n_events, (label, written, n_events)
    print(f"{label:<44s} {n_events:>8d} events  {seconds:7.2f} s  {n_events / seconds:>10.0f} events/s")
    return n_events / seconds


def main(argv: list[str]) -> int:
    n_events = int(argv[1]) if len(argv) > 1 else 200_000
    n_baseline = max(1, min(n_events, 10_000))
    rng = np.random.default_rng(12345)
    batches = [make_batch(min(BATCH, n_events - i), rng) for i in range(0, n_events, BATCH)]
    subset = batches[0] if len(batches[0]) == n_baseline else _head(batches[0], n_baseline)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        ours = rate(
            "darkbeam.io.write_hepmc3", n_events, lambda: write_hepmc3(iter(batches), out / "db.hepmc3")
        )
        naive = rate(
            "pyhepmc per-particle GenEvent + WriterAscii",
            n_baseline,
            lambda: write_with_pyhepmc(naive_events(subset), out / "naive.hepmc3"),
        )
        hepevt = rate(
            "pyhepmc GenEvent.from_hepevt + WriterAscii",
            n_baseline,
            lambda: write_with_pyhepmc(hepevt_events(subset), out / "hepevt.hepmc3"),
        )
        with pyhepmc.open(out / "db.hepmc3") as f:  # sanity: HepMC3 reads what we wrote
            first = f.read()
        assert first is not None
        assert len(first.particles) == 3
        size = (out / "db.hepmc3").stat().st_size
    print(f"file size {size / n_events:.0f} bytes/event")
    print(f"speed-up vs naive pyhepmc: {ours / naive:.1f}x;  vs from_hepevt: {ours / hepevt:.1f}x")
    if ours < REQUIRED_RATE:
        print(f"FAIL: {ours:.0f} events/s < required {REQUIRED_RATE:.0f} events/s")
        return 1
    print(f"OK: {ours:.0f} events/s >= required {REQUIRED_RATE:.0f} events/s")
    return 0


def _head(batch: EventBatch, n: int) -> EventBatch:
    return batch.select(np.arange(len(batch)) < n)


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Transport speed: 10⁶ BNB π⁺ from the Sanford–Wang source through target absorption, horn, decay in flight and
stopping, vectorised, against a per-particle Python loop doing the same decay-in-flight steps (timed on a subset
in the same process and scaled to 10⁶).

Run: python benchmarks/bench_transport.py     (exits non-zero if 10⁶ parents take 10 s or more)
"""

from __future__ import annotations

import sys
import time

import numpy as np

from darkbeam import beams
from darkbeam.production.sanford_wang import SanfordWangSource
from darkbeam.production.transport import transport, transport_naive

N = 1_000_000
N_NAIVE = 10_000


def main() -> int:
    beam = beams.get("bnb")
    source = SanfordWangSource(beam)
    source.multiplicity(211)  # build the sampling grid outside the timing
    rng = np.random.default_rng(1)

    start = time.perf_counter()
    sample = source.sample(211, N, rng)
    sampled = time.perf_counter() - start
    start = time.perf_counter()
    result = transport(sample, beam, rng, horn="+")
    vectorised = time.perf_counter() - start

    subset = source.sample(211, N_NAIVE, rng)
    start = time.perf_counter()
    naive_total = transport_naive(subset, beam, rng, horn="+")
    naive = (time.perf_counter() - start) * N / N_NAIVE

    print(f"sampling 1e6 pi+ (Sanford-Wang grid):         {sampled:7.2f} s")
    print(f"transport 1e6 pi+ (vectorised):               {vectorised:7.2f} s")
    print(f"transport 1e6 pi+ (per-particle loop, scaled): {naive:7.2f} s")
    print(f"speed-up: {naive / vectorised:.0f}x")
    per_pot = result.in_flight.weight.sum()
    subset_vec = transport(subset, beam, rng, horn="+").in_flight.weight.sum()
    print(f"pi+ decays in flight per POT: {per_pot:.4f} (subset: loop {naive_total:.4f}, vectorised {subset_vec:.4f})")
    return 0 if sampled + vectorised < 10.0 else 1


if __name__ == "__main__":
    sys.exit(main())

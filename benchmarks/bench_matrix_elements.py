"""Cost of unweighting HNL three-body kinematics with the full matrix elements, against flat phase space, in the
same process (darkbeam.kinematics.three_body_decay with and without the |M|² of
darkbeam.models.hnl_matrix_elements; the maximum is computed once per (mass, channel) and timed separately).

Run: python benchmarks/bench_matrix_elements.py     (exits non-zero if a leptonic or semileptonic channel costs
3× flat phase space or more; the ρ channel, whose |M|² is peaked, is reported only)
"""

from __future__ import annotations

import sys
import time

import numpy as np

from darkbeam.kinematics import three_body_decay
from darkbeam.models.base import ThreeBodyMatrixElement
from darkbeam.models.hnl_matrix_elements import hnl_decay_matrix_element, hnl_production_matrix_element

N = 100_000
LIMIT = 3.0

CASES = [
    ("N -> nu_e e+ e- (0.3 GeV)", "decay", (0.3, (12, -11, 11)), True),
    ("N -> mu- e+ nu_e (1.0 GeV)", "decay", (1.0, (13, -11, 12)), True),
    ("N -> nu_mu mu+ mu- (1.5 GeV)", "decay", (1.5, (14, -13, 13)), True),
    ("K+ -> pi0 mu+ N (0.15 GeV)", "production", (0.15, 321, (111, -13)), True),
    ("D0 -> K*- e+ N (0.5 GeV)", "production", (0.5, 421, (-323, -11)), True),
    ("B+ -> anti-D0 mu+ N (1.0 GeV)", "production", (1.0, 521, (-421, -13)), True),
    ("N -> mu- pi+ pi0 (1.0 GeV, rho)", "decay", (1.0, (13, 211, 111)), False),
]


def _best_of(runs: int, parents: np.ndarray, me: ThreeBodyMatrixElement, full: bool) -> float:
    """Shortest of ``runs`` timings (the machine is shared: the minimum is the least disturbed run)."""
    times = []
    rng = np.random.default_rng(1)
    for _ in range(runs):
        start = time.perf_counter()
        if full:
            three_body_decay(parents, me.masses, rng, me, me.maximum)
        else:
            three_body_decay(parents, me.masses, rng)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    worst = 0.0
    print(f"{'channel':34s} {'flat [s]':>9s} {'ME [s]':>9s} {'ratio':>6s} {'setup [ms]':>10s}")
    for label, kind, args, gated in CASES:
        start = time.perf_counter()
        if kind == "decay":
            mass, daughters = args
            me = hnl_decay_matrix_element(mass, daughters, True)  # type: ignore[arg-type]
        else:
            mass, parent, companions = args
            me = hnl_production_matrix_element(mass, parent, companions)  # type: ignore[arg-type]
        setup = time.perf_counter() - start
        assert me is not None, label
        parents = np.zeros((N, 4))
        parents[:, 2] = 5.0  # in flight along z
        parents[:, 3] = np.sqrt(25.0 + me.parent_mass**2)
        flat = _best_of(5, parents, me, full=False)
        full = _best_of(5, parents, me, full=True)
        ratio = full / flat
        if gated:
            worst = max(worst, ratio)
        print(f"{label:34s} {flat:9.3f} {full:9.3f} {ratio:6.2f} {1e3 * setup:10.1f}")
    print(f"worst gated ratio ME/flat: {worst:.2f} (limit {LIMIT})")
    return 0 if worst < LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())

"""Scan speed: 50 masses × 100 couplings of the MicroBooNE KDAR scalar search by reweighting, against
regenerating the flux at every grid point (the baseline, timed on a subset in the same process and scaled).

Run: python benchmarks/bench_scan.py     (exits non-zero if the reweighted scan takes 10 s or more)
"""

from __future__ import annotations

import sys
import time

import numpy as np

import darkbeam as db
from darkbeam.pipeline import DETECTOR, make_flux
from darkbeam.scan import expected_signal

N_FLUX = 20_000


def main() -> int:
    experiment = db.experiments.get("microboone_numi_absorber")
    masses = np.geomspace(0.002, 0.212, 50)
    couplings = np.geomspace(1e-5, 1.0, 100)

    start = time.perf_counter()
    result = db.sensitivity("scalar", {}, experiment, masses, couplings, n_flux=N_FLUX, seed=1)
    reweighted = time.perf_counter() - start

    # baseline: a fresh flux sample for every (mass, coupling) point; timed on 3 masses × 10 couplings
    sub_masses, sub_couplings = masses[::17], couplings[::10]
    rng = np.random.default_rng(2)
    start = time.perf_counter()
    for mass in sub_masses:
        model = db.models.HiggsPortalScalar(float(mass), 1.0)
        for coupling in sub_couplings:
            flux = make_flux(model, experiment, N_FLUX, rng)
            expected_signal(flux, model, DETECTOR, np.array([coupling]), ["e+e-"], experiment.pot)
    per_point = (time.perf_counter() - start) / (len(sub_masses) * len(sub_couplings))
    regenerate = per_point * len(masses) * len(couplings)

    print(f"reweighted scan, 50 x 100 points, {N_FLUX} particles per mass: {reweighted:.2f} s")
    print(
        f"regenerating every point (extrapolated from {len(sub_masses) * len(sub_couplings)} points): "
        f"{regenerate:.1f} s"
    )
    print(
        f"speed-up: {regenerate / reweighted:.0f}x;  excluded masses: {int(np.isfinite(result.lower).sum())}/50"
    )
    return 0 if reweighted < 10.0 else 1


if __name__ == "__main__":
    sys.exit(main())

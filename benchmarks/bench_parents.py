"""Parent-decay generation speed: 10⁶ BNB π⁺ decays WITH transport (BeamSource, horn on: Sanford–Wang sampling,
target absorption, thin-lens horn, decay in flight along the pipe, stopping and decay at rest in the absorber),
against a per-particle Python loop doing the same sampling-then-transport steps
(:func:`darkbeam.production.transport.transport_naive`), timed on 10⁴ parents in the same process and scaled to
10⁶. Also times the stopped-pion (SNS π⁺ DAR, Lujan π⁰) and user-ntuple sources at 10⁶, and writes a figure of
wall time vs N (10⁴ … 10⁶) to ``--out`` (default ``benchmarks/out/``, ignored by git).

Run: python benchmarks/bench_parents.py [--out DIR]     (exits non-zero if 10⁶ BNB parents take 10 s or more)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from darkbeam import beams
from darkbeam.production.beam_source import BeamSource, hadron_source
from darkbeam.production.ntuple import NtupleSource, write_ntuple
from darkbeam.production.stopped_pion import StoppedPionSource
from darkbeam.production.transport import transport_naive

N = 1_000_000
N_NAIVE = 10_000
SIZES = (10_000, 30_000, 100_000, 300_000, 1_000_000)


def _timed(make: Callable[[], object]) -> float:
    start = time.perf_counter()
    make()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out", help="folder for the figure")
    args = parser.parse_args(argv)

    source = BeamSource("bnb", 211, horn="+")
    rng = np.random.default_rng(1)
    source.sample(1_000, rng)  # build the Sanford–Wang sampling grid and read the beam file outside the timing

    vectorised = _timed(lambda: source.sample(N, rng))
    decays = source.sample(N, rng)
    beam = beams.get("bnb")
    start = time.perf_counter()
    subset = hadron_source(beam).sample(211, N_NAIVE, rng)
    naive_total = transport_naive(subset, beam, rng, horn="+")
    naive = (time.perf_counter() - start) * N / N_NAIVE

    print(f"BNB pi+ parent decays with transport, 1e6 (vectorised):    {vectorised:7.2f} s")
    print(f"same, per-particle Python loop (1e4 timed, scaled to 1e6): {naive:7.2f} s")
    print(f"speed-up: {naive / vectorised:.0f}x")
    in_flight = float(decays.weight[~decays.at_rest].sum())
    print(
        f"pi+ decays in flight per POT: {in_flight:.4f} (loop on 1e4: {naive_total:.4f}); "
        f"with decays at rest: {decays.weight.sum():.4f}"
    )

    sns = StoppedPionSource("sns", 211)
    lujan = StoppedPionSource("lansce_lujan", 111)
    t_sns = _timed(lambda: sns.sample(N, rng))
    t_lujan = _timed(lambda: lujan.sample(N, rng))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pi0.parquet"
        write_ntuple(path, lujan.sample(100_000, rng), pot=1e6)
        t_read = _timed(lambda: NtupleSource(path, pot=None, parent_pdg=111))
        ntuple = NtupleSource(path, pot=None, parent_pdg=111)
        t_ntuple = _timed(lambda: ntuple.sample(N, rng))
    print(f"SNS pi+ DAR, 1e6:                       {t_sns:7.2f} s")
    print(f"Lujan pi0, 1e6:                         {t_lujan:7.2f} s")
    print(f"ntuple: read 1e5 rows (Parquet) {t_read:.2f} s; sample 1e6: {t_ntuple:7.2f} s")

    times = [_timed(lambda n=n: source.sample(n, rng)) for n in SIZES]
    for n, t in zip(SIZES, times, strict=True):
        print(f"  N = {n:>9,d}: {t:6.3f} s  ({t / n * 1e6:.2f} us per parent)")
    _plot(args.out, times, naive / N)
    return 0 if vectorised < 10.0 else 1


def _plot(out: Path, times: list[float], naive_per_parent: float) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(5.6, 4.0))
    sizes = np.asarray(SIZES, dtype=float)
    ax.loglog(sizes, times, "o-", label="BeamSource (vectorised)")
    ax.loglog(sizes, naive_per_parent * sizes, "--", label="per-particle loop (scaled)")
    ax.set_xlabel("parent decays N")
    ax.set_ylabel("wall time [s]")
    ax.set_title("BNB pi+ decays with transport (horn on)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    target = out / "bench_parents.png"
    partial = out / "bench_parents.png.partial"
    fig.savefig(partial, format="png", dpi=110)
    plt.close(fig)
    partial.replace(target)
    print(f"figure: {target}")


if __name__ == "__main__":
    sys.exit(main())

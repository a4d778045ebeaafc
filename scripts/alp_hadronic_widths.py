#!/usr/bin/env python3
"""Tabulate the gluon-coupled ALP's partial widths (DarkBeam's data-driven treatment after Aloni, Soreq, Williams,
PRL 123 (2019) 031803, arXiv:1811.03474; see ``darkbeam.models.alp``) on a mass grid.

The widths are cheap to evaluate at run time (≈ 10-15 ms per mass, cached), so DarkBeam ships no precomputed table;
this script is a diagnostic: it prints (or writes as CSV) Γ per channel group in eV for g_gg = C_GG/Λ with
C_GG = 1, Λ = 1 TeV (g_gg = 1e-3 GeV⁻¹), the normalisation of [ASW]'s Fig. 1, so that the numbers can be laid
next to that figure. Groups sum charge states as [ASW] do (ηππ = η π⁺π⁻ + η π⁰π⁰, KKπ = all four, ρρ = ρ⁰ρ⁰ + ρ⁺ρ⁻).

Usage: ``python scripts/alp_hadronic_widths.py [--min 0.3] [--max 2.5] [--step 0.05] [--g-gg 1e-3] [--csv out.csv]``
"""

from __future__ import annotations

import argparse
import csv
import sys

import numpy as np

from darkbeam.models.alp import GluonALP

GROUPS: dict[str, tuple[str, ...]] = {
    "gamma gamma": ("gamma gamma",),
    "pi pi gamma": ("pi+ pi- gamma",),
    "3pi0": ("pi0 pi0 pi0",),
    "pi+ pi- pi0": ("pi+ pi- pi0",),
    "eta pi pi": ("eta pi+ pi-", "eta pi0 pi0"),
    "eta' pi pi": ("eta' pi+ pi-", "eta' pi0 pi0"),
    "K K pi": ("K+ K- pi0", "K0 K0bar pi0", "K+ K0bar pi-", "K- K0 pi+"),
    "rho rho": ("rho0 rho0", "rho+ rho-"),
    "omega omega": ("omega omega",),
    "phi phi": ("phi phi",),
    "K* K*": ("K*+ K*-", "K*0 K*0bar"),
    "g g": ("g g",),
}


def table(masses: np.ndarray, g_gg: float) -> list[dict[str, float]]:
    """One row per mass: ``mass`` [GeV], ``total`` and each group of :data:`GROUPS` [eV]."""
    rows = []
    for m in masses:
        widths = GluonALP(float(m), g_gg).partial_widths()
        row = {"mass": float(m), "total": sum(widths.values()) * 1e9}
        row.update({name: sum(widths.get(c, 0.0) for c in chans) * 1e9 for name, chans in GROUPS.items()})
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min", type=float, default=0.3, help="smallest ALP mass [GeV]")
    parser.add_argument("--max", type=float, default=2.5, help="largest ALP mass [GeV]")
    parser.add_argument("--step", type=float, default=0.05, help="mass step [GeV]")
    parser.add_argument("--g-gg", type=float, default=1e-3, help="gluon coupling g_gg [GeV^-1]")
    parser.add_argument("--csv", default=None, help="write a CSV file here instead of printing")
    args = parser.parse_args(argv)
    masses = np.arange(args.min, args.max + 0.5 * args.step, args.step)
    rows = table(masses, args.g_gg)
    fields = ["mass", "total", *GROUPS]
    if args.csv:
        with open(args.csv, "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        return 0
    print(" ".join(f"{f:>11}" for f in fields))
    for row in rows:
        print(" ".join(f"{row[f]:11.4g}" for f in fields))
    return 0


if __name__ == "__main__":
    sys.exit(main())

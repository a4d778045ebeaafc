#!/usr/bin/env python3
"""Validation figures: DarkBeam beside published fluxes, limits and widths, each with a ratio panel.

A developer tool (not part of the package, not run by the tests). It reads the public reference data (official flux
releases, digitised published limits, width tables of other codes) from ``--reference-dir`` (default
``../shared/reference`` next to the repository; a user's checkout does not have it), runs DarkBeam with the shipped
example cards, and writes into ``docs/validation/`` (or ``--out``):

* one PNG per figure (``NAME.png``, dpi 110),
* ``summary.json``: for every figure the plotted ratios (ours / reference) at the reference points, their ranges,
  the settings, the reference file and its original citation, the runtime, the git commit and the date.

Usage::

    python scripts/make_validation_figures.py [--reference-dir DIR] [--out DIR] [--only NAME[,NAME...]] [--list]

``--only`` runs the named figures and updates their entries in an existing ``summary.json`` (the others are kept).
Figure names: see ``--list`` or ``FIGURES`` below. The whole set takes ~10 min on 2 busy cores.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from numpy.typing import NDArray

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"
DEFAULT_OUT = REPO / "docs" / "validation"
DPI = 110

Array = NDArray[np.float64]


class ReferenceMissing(SystemExit):
    """The reference folder (or a file in it) is not there: exit with a message saying what to pass."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(
            f"make_validation_figures: {what} {str(path)!r} not found. This developer tool needs the public reference "
            "data (official flux releases, digitised limits, width tables; see docs/validation/README.md); pass "
            "--reference-dir pointing to that folder (default: ../shared/reference next to the repository)."
        )


@dataclass
class Context:
    reference: Path
    out: Path

    def ref(self, relative: str) -> Path:
        path = self.reference / relative
        if not path.is_file():
            raise ReferenceMissing(path, "reference file")
        return path


# ----------------------------------------------------------------------------------------------------- helpers
def _columns(path: Path, first: int | None = None) -> Array:
    """Numeric table ('#' comments, blank lines skipped; CR, CRLF or LF line ends).

    ``first``: keep only the first ``first`` comma-separated columns, skipping rows where they are empty (files with
    curves of different lengths side by side)."""
    rows = []
    for line in path.read_text().replace("\r", "\n").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if first is not None:
            fields = [f.strip() for f in line.split(",")[:first]]
            if len(fields) < first or not all(fields):
                continue
        else:
            fields = line.replace(",", " ").split()
        rows.append([float(f) for f in fields])
    return np.array(rows, dtype=float)


def _loglog(x_new: Array, x: Array, y: Array) -> Array:
    """log-log interpolation (x sorted increasing); NaN outside the tabulated range."""
    out = np.exp(np.interp(np.log(x_new), np.log(x), np.log(y)))
    out[(x_new < x[0]) | (x_new > x[-1])] = np.nan
    return np.asarray(out, dtype=float)


def _range(values: Array | list[float]) -> list[float] | None:
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    return [round(float(arr.min()), 3), round(float(arr.max()), 3)] if arr.size else None


def _round(values: Array | list[float], digits: int = 4) -> list[float | None]:
    return [None if not np.isfinite(v) else float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=float)]


def _save(fig: Any, ctx: Context, name: str) -> str:
    path = ctx.out / f"{name}.png"
    partial = path.with_suffix(".png.partial")
    fig.savefig(partial, format="png", dpi=DPI)
    plt.close(fig)
    partial.replace(path)
    return path.name


def _ratio_axes(ncols: int, width: float = 6.0, height: float = 5.2) -> tuple[Any, Any, Any]:
    fig, axes = plt.subplots(
        2,
        ncols,
        figsize=(width * ncols / 1.6 if ncols > 1 else width, height),
        sharex="col",
        gridspec_kw={"height_ratios": [3, 1.3]},
        layout="constrained",
        squeeze=False,
    )
    return fig, axes[0], axes[1]


def _band(ax: Any, fraction: float | None, label: bool = True) -> None:
    ax.axhline(1.0, color="k", lw=0.8)
    if fraction is not None:
        ax.axhspan(1 - fraction, 1 + fraction, color="0.85", zorder=0, label=f"±{fraction:.0%}" if label else None)


def _log_ratio_axis(ax: Any, low: float, high: float) -> None:
    """Log ratio axis from ``low`` to ``high`` with plain-number tick labels."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    ax.set_yscale("log")
    ax.set_ylim(low, high)
    choices = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0) if high / low > 10 else (0.5, 0.8, 1.0, 1.25, 2.0)
    ticks = [t for t in choices if low <= t <= high]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def _plain_log_x(ax: Any) -> None:
    """Plain-number labels on a log mass axis (no 2×10⁻¹ minor labels)."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())


# --------------------------------------------------------------------------------------------------- fluxes
MINIBOONE_FLUX_FILE = "darknews/fluxes/data_release_MINIBOONE/MiniBooNE_nu_mode_flux.dat"
FLAVOURS = {"numu": r"$\nu_\mu$", "numubar": r"$\bar\nu_\mu$", "nue": r"$\nu_e$", "nuebar": r"$\bar\nu_e$"}


def _rebin(edges: Array, per_bin: Array, coarse: Array) -> Array:
    """Sum a histogram (per bin) into coarser edges that are a subset of the fine ones."""
    idx = np.searchsorted(edges, coarse)
    return np.add.reduceat(per_bin, idx[:-1])[: len(coarse) - 1]


def _bulk_ratio(coarse: Array, ours: Array, ref: Array) -> Array:
    """ours / ref per coarse bin where the reference density is > 1 % of its peak (NaN elsewhere)."""
    density = ref / np.diff(coarse)
    bulk = density > 0.01 * density.max()
    return np.where(bulk, ours / np.where(ref > 0, ref, 1.0), np.nan)


def fig_bnb_flux(ctx: Context) -> dict[str, Any]:
    from darkbeam.config import load_card

    card = load_card(EXAMPLES / "bnb_flux_miniboone.toml")
    assert card.flux is not None
    section = card.flux
    ours = section.compute()
    ref = _columns(ctx.ref(MINIBOONE_FLUX_FILE))  # Elo Ehi numu numubar nue nuebar per cm² per POT per 50 MeV
    edges = np.append(ref[:, 0], ref[-1, 1])
    coarse = np.concatenate([np.arange(0.0, 2.0, 0.1), np.arange(2.0, 3.01, 0.25)])
    fig, top, bottom = _ratio_axes(4, width=4.2, height=5.6)
    entries: dict[str, Any] = {}
    for k, (flavour, label) in enumerate(FLAVOURS.items()):
        our_edges = np.asarray(ours[flavour]["energy_bins_gev"])
        our_bins = np.asarray(ours[flavour]["flux_per_pot_cm2"])
        if not np.allclose(our_edges, edges):
            raise SystemExit("bnb_flux: DarkBeam's default BNB bins are no longer the release's 50 MeV bins")
        ref_bins = ref[:, 2 + k]
        widths = np.diff(edges)
        top[k].stairs(our_bins / widths, edges, label="DarkBeam", color="C0")
        top[k].stairs(ref_bins / widths, edges, label="MiniBooNE release", color="k", ls="--")
        top[k].set_yscale("log")
        top[k].set_xlim(0, 3)
        peak = (ref_bins / widths).max()
        top[k].set_ylim(peak * 1e-3, peak * 3)
        top[k].set_title(f"{label}, MiniBooNE, $\\nu$ mode", fontsize=9)
        c_ours, c_ref = _rebin(edges, our_bins, coarse), _rebin(edges, ref_bins, coarse)
        ratio = _bulk_ratio(coarse, c_ours, c_ref)
        bottom[k].stairs(ratio, coarse, color="C0", baseline=None)
        _band(bottom[k], 0.3, label=k == 0)
        _log_ratio_axis(bottom[k], 0.1, 5.0)
        bottom[k].set_xlabel(r"$E_\nu$ [GeV]")
        int_ratio = float(ours[flavour]["integrated_per_pot_cm2"] / ref_bins.sum())
        centres = 0.5 * (edges[1:] + edges[:-1])
        mean_ref = float((ref_bins * centres).sum() / ref_bins.sum())
        mean_ratio = float(ours[flavour]["mean_energy_gev"] / mean_ref)
        top[k].text(
            0.97,
            0.95,
            f"integral ×{int_ratio:.2f}\n⟨E⟩ ×{mean_ratio:.2f}",
            transform=top[k].transAxes,
            ha="right",
            va="top",
            fontsize=8,
        )
        entries[flavour] = {
            "integral_ours_per_pot_cm2": float(f"{ours[flavour]['integrated_per_pot_cm2']:.4g}"),
            "integral_reference_per_pot_cm2": float(f"{ref_bins.sum():.4g}"),
            "integral_ratio": round(int_ratio, 3),
            "mean_energy_ratio": round(mean_ratio, 3),
            "ratio_bins_gev": _round(coarse),
            "ratio": _round(ratio, 3),
            "ratio_range_bulk": _range(ratio),
        }
    top[0].set_ylabel(r"$d\Phi/dE$ [$\nu$ / cm$^2$ / POT / GeV]")
    bottom[0].set_ylabel("DarkBeam / release")
    top[0].legend(fontsize=8, loc="lower left")
    bottom[0].legend(fontsize=7, loc="upper left")
    return {
        "png": _save(fig, ctx, "bnb_flux"),
        "compared": "BNB neutrino-mode flux at MiniBooNE (on axis, 541 m), 4 flavours, DarkBeam vs official release",
        "settings": {"card": "examples/bnb_flux_miniboone.toml", **section.model_dump()},
        "reference": {
            "file": MINIBOONE_FLUX_FILE,
            "citation": "A.A. Aguilar-Arevalo et al. (MiniBooNE), PRD 79, 072002 (2009), arXiv:0806.1449; public flux "
            "release (april07_baseline_rgen610.6_flux.root) as shipped by DarkNews (arXiv:2207.04137)",
        },
        "ratio_definition": "DarkBeam / release per coarse bin (0.1 GeV to 2 GeV, 0.25 GeV to 3 GeV) "
        "where the release's dPhi/dE is > 1 % of its peak",
        "flavours": entries,
    }


NUMI_FLUX_FILE = "darknews/fluxes/NUMI_FHC_LE.dat"
DUNE_FLUX_FILE = "darknews/fluxes/data_release_DUNE/flux_dune_neutrino_ND_globes.txt"
#: MINERvA ~1035 m downstream of the NuMI target (NIM A 806 (2016) 279, Sec. 1), as in tests/test_flux_numi_lbnf.py
MINERVA_Z_CM = 103_500.0
#: DUNE ND 574 m downstream of the LBNF target (DUNE FD TDR Vol. I, arXiv:2002.02967, Sec. 1.3)
DUNE_ND_Z_CM = 57_400.0


def fig_numi_lbnf_flux(ctx: Context) -> dict[str, Any]:
    from darkbeam.neutrinos import neutrino_flux

    numi = _columns(ctx.ref(NUMI_FLUX_FILE))  # Enu nue numu nutau nuebar numubar nutaubar per cm² per POT per GeV
    dune = _columns(ctx.ref(DUNE_FLUX_FILE))  # same columns, per m² per POT per GeV
    n, seed = 200_000, 3
    cases = []
    # NuMI LE: points every 0.505 GeV from 0; taken as bin centres (Σ flux × 0.505 GeV = the test's integral)
    step = float(numi[1, 0] - numi[0, 0])
    numi_edges = np.concatenate([[0.0], numi[:, 0] + step / 2])
    cases.append(("numi", MINERVA_Z_CM, numi_edges, numi[:, 2], "NuMI LE FHC $\\nu_\\mu$ at MINERvA (1035 m)"))
    dune = dune[dune[:, 0] < 50.0]
    dune_edges = np.append(dune[:, 0] - 0.125, dune[-1, 0] + 0.125)
    cases.append(("lbnf", DUNE_ND_Z_CM, dune_edges, dune[:, 2] * 1e-4, "LBNF FHC $\\nu_\\mu$ at DUNE ND (574 m)"))
    fig, top, bottom = _ratio_axes(2, width=5.0, height=5.4)
    entries: dict[str, Any] = {}
    for k, (beam, z, edges, ref_density, title) in enumerate(cases):
        flux = neutrino_flux(beam, (0.0, 0.0, z), list(edges), n=n, seed=seed, decays_at_rest=False)["numu"]
        widths = np.diff(edges)
        ours = np.asarray(flux["flux_per_pot_cm2"])
        ref_bins = ref_density * widths
        top[k].stairs(ours / widths, edges, label="DarkBeam", color="C0")
        top[k].stairs(ref_density, edges, label="official release", color="k", ls="--")
        top[k].set_xlim(0, 20)
        top[k].set_yscale("log")
        top[k].set_ylim(ref_density.max() * 1e-3, ref_density.max() * 4)
        top[k].set_title(title, fontsize=9)
        coarse = edges[:: 2 if beam == "numi" else 4]
        coarse = coarse[coarse <= 20.5]
        c_ours, c_ref = _rebin(edges, ours, coarse), _rebin(edges, ref_bins, coarse)
        ratio = _bulk_ratio(coarse, c_ours, c_ref)
        bottom[k].stairs(ratio, coarse, color="C0", baseline=None)
        _band(bottom[k], None)
        _log_ratio_axis(bottom[k], 0.05, 5.0)
        bottom[k].set_xlabel(r"$E_\nu$ [GeV]")
        centres = 0.5 * (edges[1:] + edges[:-1])
        int_ratio = float(flux["integrated_per_pot_cm2"] / ref_bins.sum())
        mean_ratio = float(flux["mean_energy_gev"] / ((ref_bins * centres).sum() / ref_bins.sum()))
        top[k].text(
            0.97,
            0.95,
            f"integral ×{int_ratio:.2f}\n⟨E⟩ ×{mean_ratio:.2f}",
            transform=top[k].transAxes,
            ha="right",
            va="top",
            fontsize=8,
        )
        entries[beam] = {
            "position_cm": [0.0, 0.0, z],
            "integral_ours_per_pot_cm2": float(f"{flux['integrated_per_pot_cm2']:.4g}"),
            "integral_reference_per_pot_cm2": float(f"{ref_bins.sum():.4g}"),
            "integral_ratio": round(int_ratio, 3),
            "mean_energy_ratio": round(mean_ratio, 3),
            "fraction_by_parent": {key: round(v, 4) for key, v in flux["fraction_by_parent"].items()},
            "ratio_bins_gev": _round(coarse),
            "ratio": _round(ratio, 3),
            "ratio_range_bulk": _range(ratio),
        }
    top[0].set_ylabel(r"$d\Phi/dE$ [$\nu_\mu$ / cm$^2$ / POT / GeV]")
    bottom[0].set_ylabel("DarkBeam / release")
    top[0].legend(fontsize=8, loc="center right")
    return {
        "png": _save(fig, ctx, "numi_lbnf_flux"),
        "compared": "nu_mu flux (horn +, no decays at rest) at MINERvA from NuMI LE and at the DUNE ND from LBNF",
        "settings": {
            "n": n,
            "seed": seed,
            "horn": "+",
            "decays_at_rest": False,
            "minerva_z_cm": MINERVA_Z_CM,
            "dune_nd_z_cm": DUNE_ND_Z_CM,
        },
        "reference": {
            "numi_file": NUMI_FLUX_FILE,
            "numi_citation": "NuMI low-energy FHC flux, L. Aliaga et al. (MINERvA), PRD 94, 092005 (2016), "
            "arXiv:1607.00704, as tabulated by DarkNews (arXiv:2207.04137)",
            "lbnf_file": DUNE_FLUX_FILE,
            "lbnf_citation": "DUNE official ND flux (optimised LBNF design), DUNE, arXiv:2103.04797 (GLoBES release), "
            "converted from per m² to per cm²",
        },
        "ratio_definition": "DarkBeam / release per ~1 GeV bin where the release's dPhi/dE is > 1 % of its peak, "
        "to 20 GeV",
        "beams": entries,
    }


# --------------------------------------------------------------------------------------------------- limits
@dataclass
class LimitReference:
    masses: Array
    lower: Array
    upper: Array | None
    label: str


def _scan(card: str, masses: Array, n_flux: int | None) -> Any:
    from darkbeam.config import load_card
    from darkbeam.scan import sensitivity_from_card

    return sensitivity_from_card(load_card(EXAMPLES / card), masses=masses, n_flux=n_flux)


def _limit_figure(
    ctx: Context,
    name: str,
    card: str,
    masses: Array,
    n_flux: int | None,
    references: list[LimitReference],
    curves: list[tuple[Array, Array, str]],
    title: str,
    band: tuple[float, float] | None = (0.5, 2.0),
) -> dict[str, Any]:
    """Scan ``card`` at ``masses``; top: our band and the published curves, bottom: ours / reference."""
    from darkbeam.config import load_card
    from darkbeam.plotting import COUPLING_LABELS

    start = time.perf_counter()
    result = _scan(card, masses, n_flux)
    scan_s = time.perf_counter() - start
    fig, top, bottom = _ratio_axes(1, width=6.4, height=6.0)
    ax, rax = top[0], bottom[0]
    ok = np.isfinite(result.lower)
    # where the upper edge sits at the top of the coupling grid the band is not closed inside the grid
    capped = np.isfinite(result.upper) & (result.upper >= result.couplings[-1] * (1 - 1e-9))
    ax.fill_between(result.masses[ok], result.lower[ok], result.upper[ok], color="C0", alpha=0.25, lw=0)
    ax.plot(result.masses[ok], result.lower[ok], "o-", color="C0", ms=3, label=f"DarkBeam ({result.cl:.0%} CL)")
    closed = ok & ~capped
    ax.plot(result.masses[closed], result.upper[closed], "o-", color="C0", ms=3)
    if capped.any():
        ax.plot([], [], color="C0", alpha=0.25, lw=6, label="band open to the top of the scanned grid")
    finite = [result.lower[ok], result.upper[closed]] + [c[1] for c in curves] + [r.lower for r in references]
    values = np.concatenate(finite)
    values = values[np.isfinite(values) & (values > 0)]
    ax.set_ylim(values.min() / 3, min(values.max() * 3, result.couplings[-1] * 1.5))
    styles = ["--", ":", "-."]
    j = -1
    for x, y, label in curves:
        j += 1 if label else 0  # an unlabelled curve continues the previous one (same style)
        ax.plot(x, y, color="k", ls=styles[j % 3], lw=1.2, label=label or None)
    narrow = masses.max() / masses.min() < 3.0
    if not narrow:
        ax.set_xscale("log")
        _plain_log_x(rax)
    ax.set_yscale("log")
    ax.set_ylabel(COUPLING_LABELS.get(result.coupling_name, result.coupling_name))
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="best")
    ax.grid(True, which="both", alpha=0.2)
    if band is not None:
        rax.axhspan(*band, color="0.88", zorder=0, label=f"{band[0]:g}–{band[1]:g}")
    rax.axhline(1.0, color="k", lw=0.8)
    ratios: dict[str, Any] = {}
    markers = ["o", "s", "^", "v"]
    for j, ref in enumerate(references):
        low = result.lower / ref.lower
        rax.plot(masses, low, markers[j % 4] + "-", color=f"C{j}", ms=4, label=f"lower / {ref.label}")
        entry: dict[str, Any] = {"lower": _round(low, 3), "lower_range": _range(low)}
        if ref.upper is not None:
            high = np.where(capped, np.nan, result.upper / ref.upper)
            rax.plot(masses, high, markers[j % 4] + ":", color=f"C{j}", mfc="none", ms=4, label=f"upper / {ref.label}")
            entry.update({"upper": _round(high, 3), "upper_range": _range(high)})
        entry["reference_lower"] = _round(ref.lower)
        if ref.upper is not None:
            entry["reference_upper"] = _round(ref.upper)
        ratios[ref.label] = entry
    _log_ratio_axis(rax, 0.2, 10.0)
    rax.set_ylabel("DarkBeam / ref.")
    rax.set_xlabel("mass [GeV]")
    rax.legend(fontsize=6, ncol=2, loc="upper left")
    rax.grid(True, which="both", alpha=0.2)
    loaded = load_card(EXAMPLES / card)
    return {
        "png": _save(fig, ctx, name),
        "settings": {
            "card": f"examples/{card}",
            "n_flux": int(n_flux if n_flux is not None else loaded.run.n_flux),
            "card_n_flux": int(loaded.run.n_flux),
            "seed": int(loaded.run.seed),
            "masses_gev": _round(masses),
            "pot": result.pot,
            "cl": result.cl,
            "method": result.method,
            "signal_limit_events": round(float(result.signal_limit), 4),
            "scan_seconds": round(scan_s, 1),
        },
        "ours": {
            "lower": _round(result.lower),
            "upper": _round(result.upper),
            "upper_at_grid_top_masses_gev": _round(masses[capped]),
        },
        "ratio_definition": "DarkBeam / reference edge (coupling) at the same mass",
        "ratios": ratios,
    }


MICROBOONE_FILE = "foresee/Models/DarkHiggs/model/lines/bounds_MicroBoone.txt"


def fig_limits_microboone_scalar(ctx: Context) -> dict[str, Any]:
    data = _columns(ctx.ref(MICROBOONE_FILE))
    data = data[data[:, 1] < 0.1]  # drop the vertical closing segments (θ = 1)
    masses = data[:, 0]
    ref = LimitReference(masses, data[:, 1], None, "MicroBooNE")
    out = _limit_figure(
        ctx,
        "limits_microboone_scalar",
        "microboone_kdar_scalar.toml",
        masses,
        None,
        [ref],
        [(masses, data[:, 1], "MicroBooNE PRL 127, 151803 (95 % CL)")],
        "Higgs-portal scalar, MicroBooNE KDAR (NuMI absorber)",
    )
    out["compared"] = "excluded sin θ vs m_S from K+ decays at rest in the NuMI absorber, S → e+e-, at MicroBooNE"
    out["reference"] = {
        "file": MICROBOONE_FILE,
        "citation": "MicroBooNE, PRL 127, 151803 (2021), arXiv:2106.00568, Fig. 3 (95 % CL upper limit on θ), as "
        "digitised in FORESEE (Kling & Trojanowski, arXiv:2105.07077); the same points as tests/test_validation.py",
    }
    return out


T2K_FILE = "heavy-neutrino-limits/T2K_2019/T2K_2019_profiled_Umu4.dat"


def fig_limits_t2k_hnl(ctx: Context) -> dict[str, Any]:
    data = _columns(ctx.ref(T2K_FILE))
    data[:, 0] /= 1000.0  # MeV → GeV
    masses = np.array([0.15, 0.18, 0.20, 0.22, 0.24, 0.26, 0.28, 0.30, 0.32, 0.34, 0.36, 0.38])
    ref = LimitReference(masses, _loglog(masses, data[:, 0], data[:, 1]), None, "T2K 2019")
    n_flux = None  # the card's (500 000)
    out = _limit_figure(
        ctx,
        "limits_t2k_hnl",
        "t2k_nd280_hnl.toml",
        masses,
        n_flux,
        [ref],
        [(data[:, 0], data[:, 1], "T2K PRD 100, 052006 (90 % CL, profiled)")],
        r"Majorana HNL, $|U_{\mu4}|^2$ only, T2K ND280",
        band=(0.5, 2.0),
    )
    out["compared"] = "excluded |U_mu4|^2 (Majorana, mu mixing only) from J-PARC kaons at ND280"
    out["reference"] = {
        "file": T2K_FILE,
        "citation": "T2K, PRD 100, 052006 (2019), arXiv:1902.07598, 90 % CL, profiled over the other mixings as "
        "compiled by Hostert et al. (Heavy-Neutrino-Limits, T2K_2019_profiled_Umu4); log-log interpolated",
    }
    return out


ICARUS_FILE = "foresee/Models/DarkHiggs/model/lines/bounds_ICARUS.txt"


def _split_contour(data: Array) -> tuple[Array, Array]:
    """A closed contour listed along its outline: (lower branch, upper branch), each sorted in mass."""
    turn = int(np.argmax(data[:, 0]))
    low, high = data[: turn + 1], data[turn:]
    return low[np.argsort(low[:, 0])], high[np.argsort(high[:, 0])]


def fig_limits_icarus_scalar(ctx: Context) -> dict[str, Any]:
    data = _columns(ctx.ref(ICARUS_FILE))
    low, high = _split_contour(data)
    masses = np.array([0.22, 0.23, 0.24, 0.25, 0.26, 0.27, 0.28, 0.30])  # 0.28, 0.30: beyond the contour's tip
    ref = LimitReference(
        masses, _loglog(masses, low[:, 0], low[:, 1]), _loglog(masses, high[:, 0], high[:, 1]), "ICARUS"
    )
    out = _limit_figure(
        ctx,
        "limits_icarus_scalar",
        "icarus_numi_scalar.toml",
        masses,
        None,
        [ref],
        [(data[:, 0], data[:, 1], "ICARUS arXiv:2411.02727 (90 % CL)")],
        r"Higgs-portal scalar $\to\mu\mu$, ICARUS at NuMI",
    )
    out["compared"] = "excluded sin θ band vs m_S from NuMI kaons (K → π S), S → μ+μ-, at ICARUS"
    out["reference"] = {
        "file": ICARUS_FILE,
        "citation": "ICARUS, arXiv:2411.02727, 90 % CL contour, as digitised in FORESEE (lines/bounds_ICARUS); "
        "split at its largest mass into lower and upper edges, log-log interpolated",
    }
    return out


MINIBOONE_DM_FILE = "lightdm-limits/pyCEvNS_dark_photon_limits/miniboone.csv"


def fig_limits_miniboone_dm(ctx: Context) -> dict[str, Any]:
    data = _columns(ctx.ref(MINIBOONE_DM_FILE), first=2)  # nucleon channel: first two columns (m_chi GeV, Y)
    keep: dict[float, float] = {}
    for m, y in data:  # the dip has two digitised points per mass: keep the upper one (as the tests do)
        keep[m] = max(y, keep.get(m, 0.0))
    curve = np.array(sorted(keep.items()))
    masses = curve[(curve[:, 0] >= 0.002) & (curve[:, 0] <= 0.3), 0]
    ref_y = curve[(curve[:, 0] >= 0.002) & (curve[:, 0] <= 0.3), 1]
    ref = LimitReference(masses, ref_y, None, "MiniBooNE-DM")
    out = _limit_figure(
        ctx,
        "limits_miniboone_dm",
        "miniboone_dm_ldm.toml",
        masses,
        None,
        [ref],
        [(data[:, 0], data[:, 1], "MiniBooNE-DM PRD 98, 112004 (nucleon, 90 % CL)")],
        r"light DM (complex scalar, $\alpha_D$ = 0.5, $m_{A'}$ = 3$m_\chi$), MiniBooNE-DM",
    )
    out["compared"] = "excluded Y = eps^2 alpha_D (m_chi/m_A')^4 vs m_chi, chi-nucleon (NCE-like) scattering"
    out["reference"] = {
        "file": MINIBOONE_DM_FILE,
        "citation": "MiniBooNE-DM, PRD 98, 112004 (2018), arXiv:1807.06137, nucleon channel, 90 % CL, as shipped "
        "with pyCEvNS (dark_photon_limits/miniboone.csv, first two columns; via noctildon/lightDM)",
    }
    return out


CHARM_TSAI_FILE = "darkcast/limits/CHARM_Tsai2019mtm.lmt"
CHARM_GNINENKO_FILE = "darkcast/limits/CHARM_Bergsma1985qz.lmt"


def fig_limits_charm_dark_photon(ctx: Context) -> dict[str, Any]:
    tsai = _columns(ctx.ref(CHARM_TSAI_FILE))
    gnin = _columns(ctx.ref(CHARM_GNINENKO_FILE))
    masses = np.array([0.003, 0.01, 0.02, 0.04, 0.06, 0.1, 0.15, 0.2, 0.3, 0.4])
    refs = []
    for table, label in ((tsai, "Tsai et al."), (gnin, "Gninenko")):
        good = np.isfinite(table[:, 1]) & np.isfinite(table[:, 2]) & (table[:, 1] > 0)
        t = table[good]
        refs.append(LimitReference(masses, _loglog(masses, t[:, 0], t[:, 1]), _loglog(masses, t[:, 0], t[:, 2]), label))
    curves = []
    for table, label in ((tsai, "CHARM, Tsai et al. PRL 126, 181801"), (gnin, "CHARM, Gninenko PLB 713, 244")):
        closed = np.concatenate([table[:, [0, 1]], table[::-1][:, [0, 2]]])
        curves.append((closed[:, 0], closed[:, 1], label))
    out = _limit_figure(
        ctx,
        "limits_charm_dark_photon",
        "sps_charm_dark_photon.toml",
        masses,
        None,
        refs,
        curves,
        "dark photon → ee, CHARM (SPS 400 GeV Cu dump)",
    )
    out["compared"] = "excluded ε band vs m_A' at CHARM (2.4e18 POT, 0 events), A' → e+e-"
    out["reference"] = {
        "files": [CHARM_TSAI_FILE, CHARM_GNINENKO_FILE],
        "citation": "Y.-D. Tsai, P. deNiverville, M.X. Liu, PRL 126, 181801 (2021), arXiv:1908.07525; S.N. Gninenko, "
        "PLB 713, 244 (2012), arXiv:1204.3583 (both recasts of CHARM, PLB 166, 473 (1986)); curves as digitised "
        "by Darkcast (Ilten, Soreq, Williams, Xue, JHEP 06 (2018) 004), log-log interpolated",
    }
    return out


SHIP_FILE = "heavy-neutrino-limits/1811.00930/Umu4_conservative.dat"


def fig_limits_ship_hnl(ctx: Context) -> dict[str, Any]:
    data = _columns(ctx.ref(SHIP_FILE))
    data = data[data[:, 0] < 4.6]  # the contour's closing tip (4.6-4.95 GeV) mixes the two edges
    # the upper edge starts at 0.75 GeV above 1e-4 and stays above 3e-7 to 4.6 GeV; the lower edge is below 5e-7
    # everywhere and below 3e-8 above 1.8 GeV
    is_upper = (data[:, 1] > 1e-5) | ((data[:, 0] > 1.8) & (data[:, 1] > 1e-7))
    low, high = data[~is_upper], data[is_upper]
    masses = np.array([0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 1.75, 1.9, 2.0, 2.5, 3.0, 3.5, 4.0])
    up = _loglog(masses, high[:, 0], high[:, 1])
    up[masses < 2.0] = np.nan  # compare the upper edge where N comes from B mesons only (as the test does)
    ref = LimitReference(masses, _loglog(masses, low[:, 0], low[:, 1]), up, "SHiP 2019")
    out = _limit_figure(
        ctx,
        "limits_ship_hnl",
        "ship_hnl.toml",
        masses,
        None,
        [ref],
        [(low[:, 0], low[:, 1], "SHiP JHEP 04 (2019) 077 (no B_c, 90 % CL)"), (high[:, 0], high[:, 1], "")],
        r"Majorana HNL, $|U_{\mu4}|^2$ only, SHiP (2e20 POT)",
    )
    out["compared"] = "projected |U_mu4|^2 sensitivity (Majorana) from D, D_s, B decays at the SPS beam-dump facility"
    out["reference"] = {
        "file": SHIP_FILE,
        "citation": "SHiP, JHEP 04 (2019) 077, arXiv:1811.00930, 90 % CL, curve without B_c ('conservative'), as "
        "compiled by Hostert et al. (Heavy-Neutrino-Limits); lower and upper edges split by value",
    }
    return out


# --------------------------------------------------------------------------------------------------- widths
HNL_DIR = "alpinist/widths/hnl/total_Dirac_widths"


def fig_widths_hnl(ctx: Context) -> dict[str, Any]:
    from darkbeam.errors import DarkBeamError
    from darkbeam.models import HNL

    grid = np.geomspace(0.01, 5.0, 90)
    fig, top, bottom = _ratio_axes(1, width=6.4, height=6.0)
    ax, rax = top[0], bottom[0]
    entries: dict[str, Any] = {}
    for k, (flavour, tag, label) in enumerate((("ue2", "El", "e"), ("umu2", "Mu", r"\mu"), ("utau2", "Tau", r"\tau"))):
        lep = _columns(ctx.ref(f"{HNL_DIR}/{tag}Mixing_leptonic.dat"))
        single = _columns(ctx.ref(f"{HNL_DIR}/{tag}Mixing_semileptonic_singleMeson.dat"))
        approx = _columns(ctx.ref(f"{HNL_DIR}/{tag}Mixing_semileptonic_approx.dat"))
        m = lep[:, 0]
        s = np.interp(m, single[:, 0], single[:, 1])
        a = np.interp(m, approx[:, 0], approx[:, 1])
        semi = np.where(m < 1.0, s, np.maximum(s, a))  # ALPINIST's total (README of reference/alpinist)
        ref = _loglog(grid, m, lep[:, 1] + semi)
        ours = np.full_like(grid, np.nan)
        for i, mass in enumerate(grid):
            with contextlib.suppress(DarkBeamError):
                ours[i] = HNL(float(mass), majorana=False, **{flavour: 1.0}).total_width()
        ax.plot(grid, ours, color=f"C{k}", label=f"DarkBeam, $|U_{{{label}4}}|^2 = 1$")
        ax.plot(
            m[(m >= grid[0]) & (m <= grid[-1])],
            (lep[:, 1] + semi)[(m >= grid[0]) & (m <= grid[-1])],
            color=f"C{k}",
            ls="--",
            lw=1,
        )
        ratio = ours / ref
        rax.plot(grid, ratio, color=f"C{k}")
        to2 = grid <= 2.0
        entries[flavour] = {
            "masses_gev": _round(grid),
            "ratio": _round(ratio, 4),
            "ratio_range_to_2gev": _range(ratio[to2]),
            "ratio_range_2_to_5gev": _range(ratio[~to2]),
            "fraction_within_5pct_to_2gev": round(float(np.mean(np.abs(ratio[to2] - 1) <= 0.05)), 3),
        }
    ax.plot([], [], color="k", ls="--", lw=1, label="ALPINIST (dashed)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylabel(r"$\Gamma_{\rm Dirac}$ [GeV]")
    ax.set_title("HNL total width (Dirac; Majorana = 2×), one flavour at a time", fontsize=9)
    ax.legend(fontsize=7)
    ax.grid(True, which="both", alpha=0.2)
    _band(rax, 0.05)
    rax.axvline(2.0, color="0.5", ls=":", lw=0.8)
    rax.set_ylim(0.8, 1.2)
    _plain_log_x(rax)
    rax.set_ylabel("DarkBeam / ALPINIST")
    rax.set_xlabel(r"$m_N$ [GeV]")
    rax.legend(fontsize=7, loc="lower left")
    return {
        "png": _save(fig, ctx, "widths_hnl"),
        "compared": "HNL total width (Dirac, |U_alpha|^2 = 1 in one flavour) vs ALPINIST's tables",
        "settings": {"masses": "90 log-spaced, 0.01-5 GeV", "majorana": False},
        "reference": {
            "files": [f"{HNL_DIR}/{{El,Mu,Tau}}Mixing_{{leptonic,semileptonic_singleMeson,semileptonic_approx}}.dat"],
            "citation": "ALPINIST (Jerhot et al., arXiv:2407.08673) implementing Bondarenko, Boyarsky, Gorbunov, "
            "Ruchayskiy, JHEP 11 (2018) 032, arXiv:1805.08567; total = leptonic + singleMeson below 1 GeV, + "
            "max(singleMeson, approx) above",
        },
        "band": 0.05,
        "ratio_definition": "DarkBeam / ALPINIST total width at the same mass (log-log interpolated table)",
        "flavours": entries,
    }


def _sorted_curve(path: Path) -> Array:
    data = _columns(path)
    data = data[np.argsort(data[:, 0])]
    return data[data[:, 0] > 0]


def fig_widths_scalar(ctx: Context) -> dict[str, Any]:
    from darkbeam.models import HiggsPortalScalar

    fig, top, bottom = _ratio_axes(1, width=6.4, height=6.0)
    ax, rax = top[0], bottom[0]
    entries: dict[str, Any] = {}
    channels = {"pipi": ("pi+pi-", "pi0pi0"), "KK": ("K+K-", "K_S K_S", "K_L K_L")}
    for k, (name, file, label) in enumerate(
        (("pipi", "scalar_portal/winkler_pi.txt", r"$\pi\pi$"), ("KK", "scalar_portal/winkler_K.txt", r"$K\bar K$"))
    ):
        ref = _sorted_curve(ctx.ref(file))
        ref = ref[ref[:, 0] <= 2.0]
        ours = np.array(
            [
                sum(HiggsPortalScalar(float(m), 1.0).partial_widths().get(c, 0.0) for c in channels[name])
                for m in ref[:, 0]
            ]
        )
        dense = np.linspace(ref[0, 0] + 1e-4, 2.0, 200)
        dense_ours = [
            sum(HiggsPortalScalar(float(m), 1.0).partial_widths().get(c, 0.0) for c in channels[name]) for m in dense
        ]
        ax.plot(dense, dense_ours, color=f"C{k}", label=f"DarkBeam {label}")
        ax.plot(ref[:, 0], ref[:, 1], ".", color=f"C{k}", ms=3, label=f"Winkler {label} (digitised)")
        ratio = ours / ref[:, 1]
        rax.plot(ref[:, 0], ratio, ".-", color=f"C{k}", ms=3, lw=0.6)
        above = ref[:, 0] >= 1.01 if name == "KK" else ref[:, 0] >= 0.29
        entries[name] = {
            "masses_gev": _round(ref[:, 0]),
            "ratio": _round(ratio, 3),
            "ratio_range": _range(ratio),
            "ratio_range_off_threshold": _range(ratio[above]),
            "off_threshold": "m_S >= 1.01 GeV" if name == "KK" else "m_S >= 0.29 GeV",
            "fraction_within_20pct_off_threshold": round(float(np.mean(np.abs(ratio[above] - 1) <= 0.2)), 3),
            "masses_outside_20pct_gev": _round(ref[np.abs(ratio - 1) > 0.2, 0], 3),
        }
    ax.set_yscale("log")
    ax.set_ylabel(r"$\Gamma$ [GeV] at $\sin\theta = 1$")
    ax.set_title(r"Higgs-portal scalar: $\Gamma(S\to\pi\pi)$, $\Gamma(S\to K\bar K)$ vs Winkler", fontsize=9)
    ax.legend(fontsize=7)
    ax.grid(True, which="both", alpha=0.2)
    _band(rax, 0.2)
    _log_ratio_axis(rax, 0.3, 5.0)
    rax.set_ylabel("DarkBeam / Winkler")
    rax.set_xlabel(r"$m_S$ [GeV]")
    rax.legend(fontsize=7, loc="upper left")
    return {
        "png": _save(fig, ctx, "widths_scalar"),
        "compared": "S → ππ (π+π- + π0π0) and S → KK̄ (K+K- + K_S K_S + K_L K_L) widths at sin θ = 1",
        "settings": {"masses": "the digitised points of the reference (sorted), up to 2 GeV"},
        "reference": {
            "files": ["scalar_portal/winkler_pi.txt", "scalar_portal/winkler_K.txt"],
            "citation": "M.W. Winkler, PRD 99, 015018 (2019), arXiv:1809.01876, Fig. 1, as digitised for the "
            "scalar_portal code (J.-L. Tastet; Boiarska et al., arXiv:1904.10447)",
        },
        "band": 0.2,
        "ratio_definition": "DarkBeam / Winkler at each digitised mass",
        "channels": entries,
    }


DARKCAST_FILE = "foresee/Models/DarkPhoton/model/ctau_DarkCast.txt"


def fig_widths_dark_photon(ctx: Context) -> dict[str, Any]:
    from darkbeam.models.dark_photon import DarkPhoton

    ref = _columns(ctx.ref(DARKCAST_FILE))
    ref = ref[(ref[:, 0] >= 0.01) & (ref[:, 0] <= 2.0)]
    ours = np.array([DarkPhoton(float(m), 1.0).ctau() / 100.0 for m in ref[:, 0]])
    ratio = ours / ref[:, 1]
    fig, top, bottom = _ratio_axes(1, width=6.4, height=6.0)
    ax, rax = top[0], bottom[0]
    ax.plot(ref[:, 0], ours, color="C0", label="DarkBeam")
    ax.plot(ref[:, 0], ref[:, 1], color="k", ls="--", lw=1, label="Darkcast (via FORESEE)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylabel(r"$c\tau$ [m] at $\varepsilon = 1$")
    ax.set_title(r"dark photon lifetime vs Darkcast (10 MeV grid)", fontsize=9)
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.2)
    rax.plot(ref[:, 0], ratio, ".-", color="C0", ms=3, lw=0.6)
    _band(rax, 0.1)
    rax.set_ylim(0.7, 1.3)
    _plain_log_x(rax)
    rax.set_ylabel("DarkBeam / Darkcast")
    rax.set_xlabel(r"$m_{A'}$ [GeV]")
    rax.legend(fontsize=7, loc="upper left")
    outside = ref[np.abs(ratio - 1) > 0.1, 0]
    return {
        "png": _save(fig, ctx, "widths_dark_photon"),
        "compared": "dark-photon cτ at ε = 1 (all visible channels, VMD hadrons), 10 MeV - 2 GeV",
        "settings": {"masses": "the reference's 10 MeV grid, 0.01-2 GeV"},
        "reference": {
            "file": DARKCAST_FILE,
            "citation": "Darkcast, P. Ilten, Y. Soreq, M. Williams, W. Xue, JHEP 06 (2018) 004, arXiv:1801.04847, "
            "lifetime as tabulated by FORESEE (F. Kling, S. Trojanowski, arXiv:2105.07077)",
        },
        "band": 0.1,
        "ratio_definition": "DarkBeam cτ / Darkcast cτ at the same mass",
        "masses_gev": _round(ref[:, 0]),
        "ratio": _round(ratio, 4),
        "ratio_range": _range(ratio),
        "fraction_within_10pct": round(float(np.mean(np.abs(ratio - 1) <= 0.1)), 3),
        "masses_outside_10pct_gev": _round(outside),
    }


ALP_FILE = "alpinist/widths/integrated/digitized_width_total.dat"


def fig_widths_alp(ctx: Context) -> dict[str, Any]:
    from darkbeam import pdg
    from darkbeam.models.alp import GluonALP

    g_gg = 1e-3  # C_GG = 1, Λ = 1 TeV in DarkBeam's convention L ⊃ g_s² g_gg a G G̃ (tests/test_alp.py)
    ref = _sorted_curve(ctx.ref(ALP_FILE))
    ref = ref[(ref[:, 0] >= 0.3) & (ref[:, 0] <= 2.5)]
    ours = np.array([GluonALP(float(m), g_gg).total_width() * 1e9 for m in ref[:, 0]])
    ratio = ours / ref[:, 1]
    # ALP-η and ALP-η′ mixing poles: within ±15 MeV of m_η, m_η′ the ratio measures where a digitised spike sits
    poles = (np.abs(ref[:, 0] - pdg.mass(221)) < 0.015) | (np.abs(ref[:, 0] - pdg.mass(331)) < 0.015)
    fig, top, bottom = _ratio_axes(1, width=6.4, height=6.0)
    ax, rax = top[0], bottom[0]
    ax.plot(ref[:, 0], ours, color="C0", label="DarkBeam")
    ax.plot(ref[:, 0], ref[:, 1], ".", color="k", ms=3, label="Aloni–Soreq–Williams (ALPINIST digitisation)")
    ax.set_yscale("log")
    ax.set_ylabel(r"$\Gamma_{\rm tot}$ [eV], $C_{GG}$ = 1, $\Lambda$ = 1 TeV")
    ax.set_title("gluon-coupled ALP: total width", fontsize=9)
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.2)
    rax.plot(ref[:, 0], np.where(poles, np.nan, ratio), ".-", color="C0", ms=3, lw=0.6)
    for centre in (pdg.mass(221), pdg.mass(331)):
        rax.axvspan(centre - 0.015, centre + 0.015, color="C3", alpha=0.15, lw=0)
    _band(rax, 0.2)
    _log_ratio_axis(rax, 0.05, 5.0)
    rax.set_ylabel("DarkBeam / ASW")
    rax.set_xlabel(r"$m_a$ [GeV]")
    rax.legend(fontsize=7, loc="upper left")
    return {
        "png": _save(fig, ctx, "widths_alp"),
        "compared": "total width of the gluon-dominated ALP (all hadronic channels + γγ), 0.3-2.5 GeV",
        "settings": {"g_gg_per_gev": g_gg, "masses": "the digitised points of the reference (sorted)"},
        "reference": {
            "file": ALP_FILE,
            "citation": "D. Aloni, Y. Soreq, M. Williams, PRL 123, 031803 (2019), arXiv:1811.03474, Fig. 1, as "
            "digitised by ALPINIST (Jerhot et al., arXiv:2201.05170)",
        },
        "band": 0.2,
        "ratio_definition": "DarkBeam / ASW total width at each digitised mass",
        "masses_gev": _round(ref[:, 0]),
        "ratio": _round(ratio, 3),
        "ratio_range": _range(ratio),
        "ratio_range_outside_poles": _range(ratio[~poles]),
        "pole_windows_gev": "m_eta +- 0.015, m_eta' +- 0.015 (shaded; not drawn in the ratio, not in the ranges)",
        "fraction_within_20pct_outside_poles": round(float(np.mean(np.abs(ratio[~poles] - 1) <= 0.2)), 3),
        "masses_outside_20pct_gev": _round(ref[(np.abs(ratio - 1) > 0.2) & ~poles, 0], 3),
    }


# ------------------------------------------------------------------------------------------------ benchmark
def fig_bench_parents(ctx: Context) -> dict[str, Any]:
    path = REPO / "benchmarks" / "bench_parents.py"
    spec = importlib.util.spec_from_file_location("bench_parents", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    printed = io.StringIO()
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(printed):
        status = module.main(["--out", tmp])
        shutil.copyfile(Path(tmp) / "bench_parents.png", ctx.out / "bench_parents.png")
    text = printed.getvalue()
    numbers: dict[str, float] = {}
    for key, pattern in (
        ("vectorised_1e6_s", r"1e6 \(vectorised\):\s+([\d.]+) s"),
        ("python_loop_scaled_1e6_s", r"scaled to 1e6\):\s+([\d.]+) s"),
        ("speed_up", r"speed-up: (\d+)x"),
        ("sns_pi_dar_1e6_s", r"SNS pi\+ DAR, 1e6:\s+([\d.]+) s"),
        ("lujan_pi0_1e6_s", r"Lujan pi0, 1e6:\s+([\d.]+) s"),
    ):
        found = re.search(pattern, text)
        if found:
            numbers[key] = float(found.group(1))
    return {
        "png": "bench_parents.png",
        "compared": "wall time of 1e4-1e6 BNB pi+ parent decays with transport (vectorised) vs a per-particle loop",
        "settings": {"script": "benchmarks/bench_parents.py (main, figure copied)", "exit_status": int(status)},
        "reference": {"citation": "same-process baseline: darkbeam.production.transport.transport_naive"},
        "measured": numbers,
        "stdout": text.strip().splitlines(),
    }


# ---------------------------------------------------------------------------------------------------- driver
FIGURES: dict[str, Callable[[Context], dict[str, Any]]] = {
    "bnb_flux": fig_bnb_flux,
    "numi_lbnf_flux": fig_numi_lbnf_flux,
    "limits_microboone_scalar": fig_limits_microboone_scalar,
    "limits_t2k_hnl": fig_limits_t2k_hnl,
    "limits_icarus_scalar": fig_limits_icarus_scalar,
    "limits_miniboone_dm": fig_limits_miniboone_dm,
    "limits_charm_dark_photon": fig_limits_charm_dark_photon,
    "limits_ship_hnl": fig_limits_ship_hnl,
    "widths_hnl": fig_widths_hnl,
    "widths_scalar": fig_widths_scalar,
    "widths_dark_photon": fig_widths_dark_photon,
    "widths_alp": fig_widths_alp,
    "bench_parents": fig_bench_parents,
}


def _fmt(r: list[float] | None) -> str:
    return "–" if r is None else f"{r[0]:.2f}–{r[1]:.2f}"


def _headline(entry: dict[str, Any]) -> str:
    """One table cell: the ratio ranges of a figure's summary entry."""
    parts = []
    if "flavours" in entry and "integral_ratio" in next(iter(entry["flavours"].values())):
        for key, e in entry["flavours"].items():
            parts.append(
                f"{key}: integral {e['integral_ratio']:.2f}, ⟨E⟩ {e['mean_energy_ratio']:.2f}, "
                f"bins {_fmt(e['ratio_range_bulk'])}"
            )
    elif "beams" in entry:
        for key, e in entry["beams"].items():
            parts.append(
                f"{key}: integral {e['integral_ratio']:.2f}, ⟨E⟩ {e['mean_energy_ratio']:.2f}, "
                f"bins {_fmt(e['ratio_range_bulk'])}"
            )
    elif "ratios" in entry:
        for key, e in entry["ratios"].items():
            text = f"{key}: lower {_fmt(e['lower_range'])}"
            if "upper_range" in e:
                text += f", upper {_fmt(e['upper_range'])}"
            parts.append(text)
    elif "flavours" in entry:
        for key, e in entry["flavours"].items():
            parts.append(
                f"{key}: {_fmt(e['ratio_range_to_2gev'])} (≤ 2 GeV), {_fmt(e['ratio_range_2_to_5gev'])} (2–5 GeV)"
            )
    elif "channels" in entry:
        for key, e in entry["channels"].items():
            parts.append(
                f"{key}: {_fmt(e['ratio_range_off_threshold'])} ({e['off_threshold']}), "
                f"{e['fraction_within_20pct_off_threshold']:.0%} of these points within 20 %"
            )
    elif "ratio_range_outside_poles" in entry:
        parts.append(
            f"{_fmt(entry['ratio_range_outside_poles'])} outside the η, η′ poles, "
            f"{entry['fraction_within_20pct_outside_poles']:.0%} of points within 20 %"
        )
    elif "ratio_range" in entry:
        parts.append(f"{_fmt(entry['ratio_range'])}, {entry['fraction_within_10pct']:.0%} of masses within 10 %")
    elif "measured" in entry:
        m = entry["measured"]
        parts.append(
            f"1e6 BNB π⁺ with transport {m.get('vectorised_1e6_s', float('nan')):.2f} s, "
            f"speed-up {m.get('speed_up', float('nan')):.0f}× over the Python loop"
        )
    return "; ".join(parts)


README_START, README_END = "<!-- ratios:start -->", "<!-- ratios:end -->"


def _update_readme(out: Path, summary: dict[str, Any]) -> None:
    """Rewrite the measured-ratio table between the markers of ``out/README.md`` (if the file has them)."""
    readme = out / "README.md"
    if not readme.is_file():
        return
    text = readme.read_text()
    if README_START not in text or README_END not in text:
        return
    lines = [
        README_START,
        "",
        "| figure | ours / reference (ranges) | commit | runtime |",
        "|---|---|---|---|",
    ]
    for name, entry in summary["figures"].items():
        commit = entry["run"]["git_commit"][:10] + (
            " (+ local changes)" if entry["run"].get("uncommitted_changes_in_src_examples_benchmarks") else ""
        )
        lines.append(f"| [`{name}`]({entry['png']}) | {_headline(entry)} | {commit} | {entry['runtime_s']:.0f} s |")
    lines += ["", README_END]
    head, rest = text.split(README_START, 1)
    tail = rest.split(README_END, 1)[1]
    readme.write_text(head + "\n".join(lines) + tail)


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.rstrip("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reference-dir", type=Path, default=DEFAULT_REFERENCE, help="public reference data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (PNGs and summary.json)")
    parser.add_argument("--only", action="append", default=[], help="figure name(s), comma-separated or repeated")
    parser.add_argument("--list", action="store_true", help="print the figure names and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(FIGURES))
        return 0
    names = [n.strip() for item in args.only for n in item.split(",") if n.strip()] or list(FIGURES)
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        parser.error(f"--only {', '.join(unknown)}: unknown figure; allowed: {', '.join(FIGURES)}")
    reference = args.reference_dir.resolve()
    if not reference.is_dir():
        raise ReferenceMissing(reference, "reference folder")
    args.out.mkdir(parents=True, exist_ok=True)
    ctx = Context(reference, args.out)
    summary_path = args.out / "summary.json"
    summary: dict[str, Any] = json.loads(summary_path.read_text()) if summary_path.is_file() else {}
    figures: dict[str, Any] = summary.get("figures", {})
    dirty = _git("status", "--porcelain", "--", "src", "examples", "benchmarks")
    run_info = {
        "git_commit": _git("rev-parse", "HEAD"),
        "uncommitted_changes_in_src_examples_benchmarks": bool(dirty and dirty != "unknown"),
        "uncommitted_files": [line[3:] for line in dirty.splitlines()] if dirty != "unknown" else [],
        "date_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": "python scripts/make_validation_figures.py" + (f" --only {','.join(names)}" if args.only else ""),
    }
    total = time.perf_counter()
    for name in names:
        start = time.perf_counter()
        print(f"[{name}] ...", flush=True)
        entry = FIGURES[name](ctx)
        entry["runtime_s"] = round(time.perf_counter() - start, 1)
        entry["run"] = run_info
        figures[name] = entry
        print(f"[{name}] {entry['runtime_s']} s -> {entry['png']}", flush=True)
    summary = {
        "about": "DarkBeam vs published references; ratios are ours / reference. Made by "
        "scripts/make_validation_figures.py; see docs/validation/README.md.",
        "last_run": {**run_info, "figures": names, "runtime_s": round(time.perf_counter() - total, 1)},
        "figures": {k: figures[k] for k in FIGURES if k in figures},
    }
    partial = summary_path.with_suffix(".json.partial")
    partial.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    partial.replace(summary_path)
    _update_readme(args.out, summary)
    print(f"summary: {summary_path} ({time.perf_counter() - total:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Figures: exclusion limits over (mass, coupling)."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from numpy.typing import NDArray

from .errors import ConfigError
from .scan import ScanResult


def read_curve(path: Path) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A published limit as two columns (mass [GeV], coupling), comma- or space-separated; '#' comments."""
    try:
        text = path.read_text()
    except OSError as err:
        raise ConfigError(f"limit.reference_curve {str(path)!r} cannot be read: {err.strerror}") from None
    rows = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fields = [f for f in line.replace(",", " ").split() if f]
        try:
            rows.append((float(fields[0]), float(fields[1])))
        except (ValueError, IndexError):
            if rows:  # a header line is allowed only at the top
                raise ConfigError(f"limit.reference_curve {str(path)!r}: bad line {line!r}") from None
    if not rows:
        raise ConfigError(f"limit.reference_curve {str(path)!r} holds no (mass, coupling) rows")
    data = np.array(rows)
    return data[:, 0], data[:, 1]


COUPLING_LABELS = {
    "sin_theta": r"$\sin\theta$",
    "ue2": r"$|U_{e4}|^2$",
    "umu2": r"$|U_{\mu 4}|^2$",
    "utau2": r"$|U_{\tau 4}|^2$",
    "epsilon": r"$\varepsilon$",
}


def plot_limits(
    result: ScanResult,
    reference: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None,
    reference_label: str = "published",
) -> bytes:
    """PNG of the excluded band (shaded, outlined) on log axes, with an optional published curve overlaid."""
    fig, ax = plt.subplots(figsize=(6.4, 4.8), layout="constrained")
    ok = ~np.isnan(result.lower)
    if ok.any():
        masses = result.masses[ok]
        ax.fill_between(masses, result.lower[ok], result.upper[ok], alpha=0.3, color="C0", lw=0)
        ax.plot(masses, result.lower[ok], color="C0", label=f"DarkBeam {result.cl:.0%} CL ({result.method})")
        ax.plot(masses, result.upper[ok], color="C0")
    if reference is not None:
        ax.plot(*reference, color="k", ls="--", label=reference_label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("mass [GeV]")
    ax.set_ylabel(COUPLING_LABELS.get(result.coupling_name, result.coupling_name))
    ax.set_title(f"{result.model} at {result.experiment}, {result.pot:.3g} POT", fontsize=10)
    ax.legend(loc="best", fontsize=9)
    ax.grid(True, which="both", alpha=0.2)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=120)
    plt.close(fig)
    return buffer.getvalue()


def plot_widths(
    model_name: str,
    masses: NDArray[np.float64],
    parameters: dict[str, object],
    *,
    min_branching_ratio: float = 1e-3,
) -> bytes:
    """PNG: decay branching ratios (top) and cτ at the given couplings (bottom) vs mass [GeV].

    Masses where the model cannot be built (outside its validity range) are left out; channels whose branching
    ratio never reaches ``min_branching_ratio`` are not drawn.
    """
    from .errors import DarkBeamError
    from .pipeline import build_model

    rows: list[tuple[float, dict[str, float], float]] = []
    label = model_name
    for mass in masses:
        try:
            model = build_model(model_name, float(mass), parameters)
        except DarkBeamError:
            continue
        rows.append((float(mass), model.branching_ratios(), model.ctau()))
        label = f"{model_name} {model.parameters()}"
    if not rows:
        raise ConfigError(f"model {model_name!r} cannot be built at any mass in [{masses[0]}, {masses[-1]}] GeV")
    grid = np.array([r[0] for r in rows])
    channels = sorted({c for r in rows for c in r[1]})
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 7), sharex=True, layout="constrained")
    drawn = [c for c in channels if max(r[1].get(c, 0.0) for r in rows) >= min_branching_ratio]
    colours = [f"C{i}" for i in range(10)]  # the default colour cycle
    for index, channel in enumerate(drawn):
        # 10 colours × 4 line styles: no two of up to 40 channels look alike
        style = ("-", "--", ":", "-.")[(index // len(colours)) % 4]
        values = np.array([r[1].get(channel, 0.0) for r in rows])
        top.plot(grid, values, label=channel, color=colours[index % len(colours)], linestyle=style)
    top.set_yscale("log")
    top.set_ylim(min_branching_ratio, 1.5)
    top.set_ylabel("branching ratio")
    top.legend(fontsize=7, ncol=3, loc="lower left")
    top.set_title(label, fontsize=9)
    bottom.plot(grid, [r[2] for r in rows], color="k")
    bottom.set_yscale("log")
    bottom.set_ylabel(r"$c\tau$ [cm]")
    bottom.set_xlabel("mass [GeV]")
    bottom.set_xscale("log")
    for ax in (top, bottom):
        ax.grid(True, which="both", alpha=0.2)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=120)
    plt.close(fig)
    return buffer.getvalue()

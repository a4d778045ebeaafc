"""Sensitivity scans for scattering signals (light dark matter χ scattering in the detector).

Per mass point (m_χ): the experiment's meson sources are sampled once, every open parent decays into χχ̄
(:meth:`~darkbeam.models.light_dark_matter.LightDarkMatter.produce`), flight lines are intersected with the
detector, and the expected events (:func:`~darkbeam.interactions.scatter_signal.expected_scattering_events`) are
evaluated for the whole Y axis at once (N ∝ ε⁴ BR_inv(ε), ε² = Y (m_A′/m_χ)⁴/α_D). The result is the same
:class:`~darkbeam.scan.grid.ScanResult` as decay scans (coupling name ``"Y"``), so limits.csv/png/summary work
unchanged; for scattering only the lower edge of the band is physical (the upper edge is the grid's end).

Statistics: the search's counting limit (:func:`darkbeam.stats.upper_limit`); with a Gaussian background
uncertainty σ_b > 0 (``search.background_uncertainty``) the classical limit is smeared over the background à la
Cousins–Highland (R.D. Cousins, V.L. Highland, NIM A 320 (1992) 331, Eq. (7)-(8)):
Σ_k π_k P(n ≤ n_obs | s + b_k) = 1 − CL with b_k on a Gaussian grid truncated at b ≥ 0
(:func:`upper_limit_with_background_uncertainty`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special

from ..errors import ConfigError, KinematicsError, check_positive
from ..experiments import Experiment
from ..flux import concatenate_flux
from ..interactions.scatter_signal import ScatteringTarget, expected_scattering_events
from ..models.light_dark_matter import LightDarkMatter, epsilon_from_y
from ..stats import upper_limit
from .grid import ScanResult, run_grid

FloatArray = NDArray[np.float64]

__all__ = [
    "ScatteringTask",
    "run_scattering_point",
    "scattering_sensitivity",
    "upper_limit_with_background_uncertainty",
]


def upper_limit_with_background_uncertainty(
    observed: int, background: float, sigma_b: float, cl: float = 0.9, method: str = "classical"
) -> float:
    """Upper limit on the signal count: :func:`darkbeam.stats.upper_limit` if ``sigma_b`` = 0, else the classical
    limit with the background marginalised over a Gaussian (Cousins–Highland, module docstring)."""
    check_positive("background_uncertainty", sigma_b, allow_zero=True)
    if sigma_b == 0.0:
        return upper_limit(observed, background, cl, method)
    if method != "classical":
        raise ConfigError(
            f"limit.method = {method!r} is not allowed with background_uncertainty > 0; allowed: 'classical'"
        )
    z = np.linspace(-6.0, 6.0, 241)
    b_k = background + sigma_b * z
    prior = np.exp(-0.5 * z * z) * (b_k >= 0)
    prior = prior / prior.sum()
    b_k = np.clip(b_k, 0.0, None)

    def excess(signal: float) -> float:
        return float(np.sum(prior * special.gammaincc(observed + 1, signal + b_k))) - (1.0 - cl)

    high = max(observed, 1) + 10.0 * (np.sqrt(observed + background) + sigma_b) + 10.0
    if excess(0.0) <= 0.0:
        return 0.0
    return float(optimize.brentq(excess, 0.0, high, xtol=1e-8))


@dataclass(frozen=True)
class ScatteringTask:
    """One mass point of a scattering scan (picklable)."""

    model_parameters: dict[str, Any]
    experiment: Experiment
    m_chi: float
    y_values: FloatArray
    pot: float
    n_parents: int
    seed: int
    index: int


def _targets(experiment: Experiment) -> tuple[list[ScatteringTarget], tuple[float, float]]:
    spec = experiment.spec.search.scattering
    if spec is None:
        raise ConfigError(
            f"experiment {experiment.name!r}: search.signal = {experiment.spec.search.signal!r}; a scattering scan "
            "needs search.signal = 'scattering' with a [search.scattering] table"
        )
    targets = [ScatteringTarget(t.kind, t.density_per_cm3) for t in spec.targets]
    lo, hi = spec.recoil_kinetic_energy_gev
    return targets, (float(lo), float(hi))


def run_scattering_point(task: ScatteringTask) -> FloatArray:
    """Expected selected events (n_Y,) at one m_χ; zeros where no source can make χ at this mass."""
    from ..pipeline import DETECTOR, with_detector

    rng = np.random.default_rng([task.seed, task.index])
    params = {k: v for k, v in task.model_parameters.items() if k != "epsilon"}
    model = LightDarkMatter(mass=task.m_chi, epsilon=1e-3, **params)
    targets, window = _targets(task.experiment)
    solid = task.experiment.solid
    samples = []
    open_parents = model.production_branching_ratios()
    for source in task.experiment.sources():
        if source.parent_pdg not in open_parents:
            continue
        try:
            samples.append(with_detector(model.produce(source.sample(task.n_parents, rng), rng), solid))
        except KinematicsError:
            continue
    if not samples:
        return np.zeros(len(task.y_values))
    flux = concatenate_flux(samples)
    eps = epsilon_from_y(task.y_values, model.alpha_dark, model.mass_ratio)
    br0 = model.invisible_branching_ratio()
    br = np.array([model.with_coupling(float(min(e, 1.0))).invisible_branching_ratio() for e in eps])
    efficiency = float(task.experiment.efficiency(task.m_chi))
    return expected_scattering_events(
        flux,
        DETECTOR,
        model.mass,
        model.m_med,
        model.alpha_dark,
        targets,
        window,
        task.pot,
        eps,
        chi="scalar" if model.chi_spin == "scalar" else "fermion",
        efficiency=efficiency,
        production_scale=br / br0,
    )


def scattering_sensitivity(
    model_parameters: dict[str, Any],
    experiment: Experiment,
    masses: Sequence[float] | FloatArray,
    y_values: Sequence[float] | FloatArray,
    *,
    pot: float | None = None,
    n_parents: int = 400_000,
    seed: int = 12345,
    method: str | None = None,
    cl: float | None = None,
    background: float | None = None,
    observed: int | None = None,
    background_uncertainty: float | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScanResult:
    """Scan (m_χ × Y) for light dark matter scattering at ``experiment`` (a search with signal = "scattering").

    ``model_parameters``: :class:`LightDarkMatter` options (``alpha_dark``, ``mass_ratio``, ``chi_spin``);
    ``masses`` are m_χ [GeV]; ``y_values`` the increasing Y grid. Statistics default to the search's own.
    ``n_parents``: parent decays sampled per source and mass point.
    """
    search = experiment.spec.search
    _targets(experiment)
    y_arr = np.asarray(y_values, dtype=float)
    m_arr = np.asarray(masses, dtype=float)
    tasks = [
        ScatteringTask(dict(model_parameters), experiment, float(m), y_arr, pot or experiment.pot, n_parents, seed, i)
        for i, m in enumerate(m_arr)
    ]
    expected = run_grid(run_scattering_point, tasks, len(y_arr), executor, progress)
    method = method or search.method
    cl = cl or search.cl
    background = search.background if background is None else background
    observed = search.observed if observed is None else observed
    sigma_b = search.background_uncertainty if background_uncertainty is None else background_uncertainty
    return ScanResult(
        model=LightDarkMatter.name,
        coupling_name="Y",
        experiment=experiment.name,
        masses=m_arr,
        couplings=y_arr,
        expected=expected,
        signal_limit=upper_limit_with_background_uncertainty(observed, background, sigma_b, cl, method),
        cl=cl,
        method=method,
        background=background,
        observed=observed,
        pot=pot or experiment.pot,
    )

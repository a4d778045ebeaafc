"""Sensitivity scans for scattering signals (light dark matter χ scattering in the detector).

Per mass point (m_χ): the experiment's meson sources are sampled once, every open parent decays into χχ̄
(:meth:`~darkbeam.models.light_dark_matter.LightDarkMatter.produce`), flight lines are intersected with the
detector, and the expected events (:func:`~darkbeam.interactions.scatter_signal.expected_scattering_events`) are
evaluated for the whole Y axis at once (N ∝ ε⁴ BR_inv(ε), ε² = Y (m_A′/m_χ)⁴/α_D). The result is the same
:class:`~darkbeam.scan.grid.ScanResult` as decay scans (coupling name ``"Y"``), so limits.csv/png/summary work
unchanged; for scattering only the lower edge of the band is physical (the upper edge is the grid's end).

Statistics: the search's counting limit, with its Gaussian background uncertainty if it states one
(:func:`darkbeam.stats.upper_limit_with_background_uncertainty`, Cousins–Highland), as for decay searches
(:func:`darkbeam.scan.grid.scan_result`).

Coherent χ-nucleus targets (``kind = "nucleus"`` in ``[search.scattering.targets]``, e.g. CCM's argon): σ in the
recoil window from :func:`darkbeam.interactions.dark_matter.dsigma_dt` with the named
:class:`~darkbeam.interactions.nuclear.Nucleus` (Helm form factor), integrated with the same Gauss–Legendre rule
in log T as the electron/nucleon targets (:func:`coherent_cross_section_in_window`).

Millicharged particles (:func:`millicharged_sensitivity`, coupling axis ε = Q/e): per mass the meson decays of
the experiment's sources make χχ̄ (:meth:`darkbeam.models.millicharged.Millicharged.produce`); the signal is
either χ e⁻ scattering with the search's recoil window (N ∝ ε⁴,
:func:`darkbeam.interactions.millicharged.expected_electron_scattering_events`) or, with ``signal="multi_hit"``
and the ``multi_hit_*`` fields of ``[search.scattering]``, the multiple-hit probability of every χ crossing the
detector (N ∝ ε² × P(≥ m of n layers | ε); :func:`darkbeam.interactions.millicharged.multi_hit_probability`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import ConfigError, KinematicsError
from ..experiments import Experiment
from ..flux import FluxSample, concatenate_flux
from ..interactions import millicharged as mcp
from ..interactions.dark_matter import ChiType, dsigma_dt, recoil_range
from ..interactions.nuclear import NUCLEI, Nucleus
from ..interactions.scatter_signal import ScatteringTarget, expected_scattering_events
from ..models.light_dark_matter import LightDarkMatter, epsilon_from_y
from ..models.millicharged import Millicharged
from .grid import ScanResult, run_grid, scan_result

FloatArray = NDArray[np.float64]

__all__ = [
    "MillichargedTask",
    "ScatteringTask",
    "coherent_cross_section_in_window",
    "millicharged_sensitivity",
    "run_millicharged_point",
    "run_scattering_point",
    "scattering_sensitivity",
]


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


def _scattering_spec(experiment: Experiment) -> Any:
    spec = experiment.spec.search.scattering
    if spec is None:
        raise ConfigError(
            f"experiment {experiment.name!r}: search.signal = {experiment.spec.search.signal!r}; a scattering scan "
            "needs search.signal = 'scattering' with a [search.scattering] table"
        )
    return spec


def _targets(experiment: Experiment) -> tuple[list[ScatteringTarget], tuple[float, float]]:
    """Electron/nucleon targets (nuclei are handled by :func:`_nuclear_targets`) and the recoil window."""
    spec = _scattering_spec(experiment)
    targets = [ScatteringTarget(t.kind, t.density_per_cm3) for t in spec.targets if t.kind != "nucleus"]
    lo, hi = spec.recoil_kinetic_energy_gev
    return targets, (float(lo), float(hi))


def _nuclear_targets(experiment: Experiment) -> list[tuple[Nucleus, float]]:
    """(nucleus, nuclei per cm³) of the search's ``kind = "nucleus"`` targets."""
    out = []
    for t in _scattering_spec(experiment).targets:
        if t.kind != "nucleus":
            continue
        if t.nucleus not in NUCLEI:
            raise ConfigError(
                f"search.scattering.targets.nucleus = {t.nucleus!r} is not allowed; allowed: {', '.join(NUCLEI)}"
            )
        out.append((NUCLEI[t.nucleus], float(t.density_per_cm3)))
    return out


def coherent_cross_section_in_window(
    e_chi: FloatArray,
    m_chi: float,
    m_med: float,
    epsilon: float,
    alpha_d: float,
    nucleus: Nucleus,
    t_min: float,
    t_max: float,
    *,
    chi: ChiType = "scalar",
    n_nodes: int = 48,
) -> FloatArray:
    """σ [cm²] per nucleus of coherent χ(E) A → χ A with nuclear recoil kinetic energy in [t_min, t_max] [GeV]
    (dark_matter.dsigma_dt with the Helm form factor; Gauss–Legendre in log T, vectorised over ``e_chi``)."""
    if not 0.0 < t_min < t_max:
        raise ConfigError(f"recoil window ({t_min}, {t_max}) GeV is not allowed; need 0 < T_min < T_max")
    e = np.atleast_1d(np.asarray(e_chi, dtype=float))
    lo_kin, hi_kin = recoil_range(e, m_chi, m_chi, nucleus.mass)
    hi = np.where(np.isfinite(hi_kin), np.minimum(hi_kin, t_max), 0.0)
    lo = np.maximum(np.nan_to_num(lo_kin, nan=0.0), t_min)
    ok = hi > lo
    log_lo = np.log(np.where(ok, lo, 1.0))
    log_hi = np.log(np.where(ok, hi, 2.0))
    x, w = np.polynomial.legendre.leggauss(n_nodes)
    half = 0.5 * (log_hi - log_lo)
    t_rec = np.exp(0.5 * (log_hi + log_lo)[:, None] + half[:, None] * x[None, :])
    dsig = dsigma_dt(e[:, None], t_rec, m_chi, m_med, epsilon, alpha_d, nucleus, chi=chi)
    sigma = half * np.sum(w[None, :] * dsig * t_rec, axis=1)
    return np.asarray(np.where(ok, sigma, 0.0))


def _coherent_events(
    flux: FluxSample,
    detector: str,
    model: LightDarkMatter,
    nuclei: list[tuple[Nucleus, float]],
    window: tuple[float, float],
    pot: float,
    eps: FloatArray,
    efficiency: float,
    production_scale: FloatArray,
) -> FloatArray:
    """Coherent-nucleus analogue of scatter_signal.expected_scattering_events (N ∝ ε⁴ BR_inv(ε))."""
    hit = flux.hits(detector)
    if not hit.any() or not nuclei:
        return np.zeros(eps.shape)
    energy = flux.momentum[hit, 3]
    eps0 = flux.reference_coupling
    chi: ChiType = "scalar" if model.chi_spin == "scalar" else "fermion"
    rate = np.zeros(len(energy))
    for nucleus, density in nuclei:
        sigma = coherent_cross_section_in_window(
            energy, model.mass, model.m_med, eps0, model.alpha_dark, nucleus, window[0], window[1], chi=chi
        )
        rate += density * sigma
    per_pot = float(np.sum(flux.weight[hit] * flux.chord(detector)[hit] * rate))
    return np.asarray(pot * efficiency * per_pot * (eps / eps0) ** 4 * production_scale)


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
    coherent = _coherent_events(
        flux, DETECTOR, model, _nuclear_targets(task.experiment), window, task.pot, eps, efficiency, br / br0
    )
    if not targets:
        return coherent
    return coherent + expected_scattering_events(
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
    _targets(experiment)
    y_arr = np.asarray(y_values, dtype=float)
    m_arr = np.asarray(masses, dtype=float)
    tasks = [
        ScatteringTask(dict(model_parameters), experiment, float(m), y_arr, pot or experiment.pot, n_parents, seed, i)
        for i, m in enumerate(m_arr)
    ]
    expected = run_grid(run_scattering_point, tasks, len(y_arr), executor, progress)
    return scan_result(
        LightDarkMatter.name,
        "Y",
        experiment,
        m_arr,
        y_arr,
        expected,
        signal_power=2.0,  # N ∝ Y² (ε⁴ at fixed α_D and mass ratio)
        pot=pot,
        method=method,
        cl=cl,
        background=background,
        observed=observed,
        background_uncertainty=background_uncertainty,
    )


@dataclass(frozen=True)
class MillichargedTask:
    """One mass point of a millicharged-particle scan (picklable)."""

    model_parameters: dict[str, Any]
    experiment: Experiment
    m_chi: float
    epsilons: FloatArray
    pot: float
    n_parents: int
    seed: int
    index: int
    signal: str


def run_millicharged_point(task: MillichargedTask) -> FloatArray:
    """Expected selected events (n_ε,) at one m_χ; zeros where no source can make χ at this mass.

    Multi-hit: every χ whose flight line crosses the detector is taken to traverse all ``multi_hit_layers``
    layers (rays from the target within a few degrees of the layer normal; edge-clipping rays are a few per cent
    for ND280's FGDs), and the search efficiency multiplies the result as for the electron signal."""
    from ..pipeline import DETECTOR, with_detector

    rng = np.random.default_rng([task.seed, task.index])
    params = {k: v for k, v in task.model_parameters.items() if k not in ("epsilon", "multi_hit")}
    model = Millicharged(mass=task.m_chi, epsilon=1e-3, **params)
    spec = _scattering_spec(task.experiment)
    open_parents = model.production_branching_ratios()
    samples = []
    for source in task.experiment.sources():
        if source.parent_pdg not in open_parents:
            continue
        samples.append(with_detector(model.produce(source.sample(task.n_parents, rng), rng), task.experiment.solid))
    if not samples:
        return np.zeros(len(task.epsilons))
    flux = concatenate_flux(samples)
    efficiency = float(task.experiment.efficiency(task.m_chi))
    eps = task.epsilons
    if task.signal == "electron":
        n_e = sum(t.density_per_cm3 for t in spec.targets if t.kind == "electron")
        if n_e <= 0:
            raise ConfigError(
                f"experiment {task.experiment.name!r}: an mCP electron-scattering scan needs an 'electron' target"
            )
        lo, hi = spec.recoil_kinetic_energy_gev
        return mcp.expected_electron_scattering_events(
            flux, DETECTOR, float(n_e), (float(lo), float(hi)), task.pot, eps, efficiency=efficiency
        )
    hit = flux.hits(DETECTOR)
    crossing = float(np.sum(flux.weight[hit]))  # χ per POT crossing the detector at ε₀
    p_layer = mcp.layer_hit_probability(eps, float(spec.mean_pe_mip), int(spec.threshold_pe))
    p_multi = mcp.multi_hit_probability(p_layer, int(spec.multi_hit_layers), int(spec.multi_hit_min_hits))
    return np.asarray(task.pot * efficiency * crossing * (eps / flux.reference_coupling) ** 2 * p_multi)


def millicharged_sensitivity(
    model_parameters: dict[str, Any],
    experiment: Experiment,
    masses: Sequence[float] | FloatArray,
    epsilons: Sequence[float] | FloatArray,
    *,
    signal: str | None = None,
    pot: float | None = None,
    n_parents: int = 200_000,
    seed: int = 12345,
    method: str | None = None,
    cl: float | None = None,
    background: float | None = None,
    observed: int | None = None,
    background_uncertainty: float | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScanResult:
    """Scan (m_χ × ε) for millicharged particles at ``experiment`` (module docstring).

    ``model_parameters``: :class:`Millicharged` options (``form_factor``) and optionally ``multi_hit`` (bool, so
    that a run card's ``[model] parameters`` can choose the signal); ``signal`` (default ``"multi_hit"`` if
    ``model_parameters["multi_hit"]`` else ``"electron"``): ``"electron"`` (χ e⁻ scattering in the search's
    recoil window, from its electron targets) or ``"multi_hit"`` (needs ``multi_hit_layers`` and ``mean_pe_mip``
    in ``[search.scattering]``). Statistics default to the search's own.
    """
    signal = signal or ("multi_hit" if model_parameters.get("multi_hit", False) else "electron")
    if signal not in ("electron", "multi_hit"):
        raise ConfigError(f"signal = {signal!r} is not allowed; allowed: 'electron', 'multi_hit'")
    spec = _scattering_spec(experiment)
    if signal == "multi_hit" and (spec.multi_hit_layers is None or spec.mean_pe_mip is None):
        raise ConfigError(
            f"experiment {experiment.name!r}: signal = 'multi_hit' needs search.scattering.multi_hit_layers and "
            "mean_pe_mip"
        )
    eps_arr = np.asarray(epsilons, dtype=float)
    m_arr = np.asarray(masses, dtype=float)
    tasks = [
        MillichargedTask(
            dict(model_parameters), experiment, float(m), eps_arr, pot or experiment.pot, n_parents, seed, i, signal
        )
        for i, m in enumerate(m_arr)
    ]
    expected = run_grid(run_millicharged_point, tasks, len(eps_arr), executor, progress)
    return scan_result(
        Millicharged.name,
        "epsilon",
        experiment,
        m_arr,
        eps_arr,
        expected,
        signal_power=4.0,  # N ∝ ε⁴ (production ε², scattering ε²)
        pot=pot,
        method=method,
        cl=cl,
        background=background,
        observed=observed,
        background_uncertainty=background_uncertainty,
    )

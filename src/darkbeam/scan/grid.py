"""(mass × coupling) sensitivity scans: kinematics once per mass, the coupling axis by reweighting.

Mass points are independent tasks submitted to any :class:`concurrent.futures.Executor` (the default runs them
in this process; a ``ProcessPoolExecutor`` or a Dask ``distributed.Client.get_executor()`` run them in
parallel). Each mass point draws from its own generator seeded with (seed, mass index), so a scan gives the same
numbers on one worker or many.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .. import pdg
from ..errors import KinematicsError, UnknownNameError
from ..experiments import Experiment
from ..flux import FluxSample
from ..kinematics import three_body_decay, two_body_decay
from ..models.base import DarkModel
from ..stats import excluded_band, upper_limit
from .reweight import expected_signal

if TYPE_CHECKING:
    from ..config import RunCard


class SerialExecutor(Executor):
    """Runs each task immediately in the calling process (the default executor)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # handed to the caller through the future
            future.set_exception(err)
        return future


@dataclass(frozen=True)
class MassPointTask:
    """Everything one worker needs for one mass (picklable)."""

    model_name: str
    model_parameters: dict[str, Any]
    experiment: Experiment
    mass: float
    couplings: NDArray[np.float64]
    channels: tuple[str, ...]
    pot: float
    n_flux: int
    seed: int
    index: int


def run_mass_point(task: MassPointTask) -> NDArray[np.float64]:
    """Expected signal (n_couplings,) at one mass, after selection efficiency; zeros if the model cannot be
    produced at this mass by the experiment's sources."""
    from ..pipeline import DETECTOR, build_model, make_flux

    rng = np.random.default_rng([task.seed, task.index])
    try:
        model = build_model(task.model_name, task.mass, task.model_parameters).with_coupling(1.0)
        flux = make_flux(model, task.experiment, task.n_flux, rng)
    except KinematicsError:
        return np.zeros(len(task.couplings))
    efficiency = signal_efficiency(model, flux, task.experiment, task.channels, rng)
    return expected_signal(flux, model, DETECTOR, task.couplings, task.channels, task.pot, efficiency)


PAIR_SAMPLE = 20_000
"""Decays simulated per mass point to evaluate the two-track acceptance."""

_CHARGED = {11, 13, 211, 321, 2212}


def signal_efficiency(
    model: DarkModel,
    flux: FluxSample,
    experiment: Experiment,
    channels: Sequence[str],
    rng: np.random.Generator,
) -> float:
    """Selection efficiency at the model's mass: the experiment's tabulated efficiency × the two-track acceptance
    of the signal decays (BR-weighted over ``channels``), if the search states two-track cuts.

    The acceptance is evaluated on up to :data:`PAIR_SAMPLE` particles that cross the detector, weighted by flux
    weight × chord/βγ (the decay probability in the long-lifetime limit, where limits are set)."""
    from ..pipeline import DETECTOR

    efficiency = float(experiment.efficiency(model.mass))
    selection = experiment.pair_selection()
    if selection is None:
        return efficiency
    hit = np.nonzero(flux.hits(DETECTOR))[0][:PAIR_SAMPLE]
    if hit.size == 0:
        return efficiency
    momenta = flux.momentum[hit]
    weights = flux.weight[hit] * flux.chord(DETECTOR)[hit] / flux.beta_gamma[hit]
    brs = model.branching_ratios()
    decays = model.decay_channels()
    total_br = accepted = 0.0
    for name in channels:
        if brs.get(name, 0.0) == 0.0:
            continue
        daughters = decays[name].daughters
        masses = tuple(pdg.mass(d) for d in daughters)
        products = (
            two_body_decay(momenta, masses[0], masses[1], rng)
            if len(masses) == 2
            else three_body_decay(momenta, (masses[0], masses[1], masses[2]), rng)
        )
        pair = [p for d, p in zip(daughters, products, strict=False) if abs(d) in _CHARGED][:2]
        if len(pair) < 2:
            continue
        passed = selection.passes(pair[0], pair[1], rng)
        accepted += brs[name] * float(np.average(passed, weights=weights))
        total_br += brs[name]
    return efficiency * (accepted / total_br if total_br > 0 else 0.0)


def run_grid(
    function: Callable[[Any], NDArray[np.float64]],
    tasks: Sequence[Any],
    width: int,
    executor: Executor | None,
    progress: Callable[[int, int], None] | None,
) -> NDArray[np.float64]:
    """Run ``function`` on every mass-point task (each with an ``index``) on ``executor`` (default: in process);
    row ``task.index`` of the (len(tasks), width) result is that task's coupling axis."""
    executor = executor or SerialExecutor()
    futures = {executor.submit(function, task): task.index for task in tasks}
    expected = np.zeros((len(tasks), width))
    for done, future in enumerate(as_completed(futures), start=1):
        expected[futures[future]] = future.result()
        if progress is not None:
            progress(done, len(tasks))
    return expected


@dataclass
class ScanResult:
    """Expected signal on the grid and the excluded band at each mass."""

    model: str
    coupling_name: str
    experiment: str
    masses: NDArray[np.float64]
    couplings: NDArray[np.float64]
    expected: NDArray[np.float64]
    signal_limit: float
    cl: float
    method: str
    background: float
    observed: int
    pot: float
    lower: NDArray[np.float64] = field(init=False)
    upper: NDArray[np.float64] = field(init=False)

    def __post_init__(self) -> None:
        self.lower, self.upper = excluded_band(self.couplings, self.expected, self.signal_limit)

    def rows(self) -> list[dict[str, float | str]]:
        """limits.csv rows: mass and the excluded band's edges ('' where nothing is excluded)."""
        out: list[dict[str, float | str]] = []
        for m, lo, hi in zip(self.masses, self.lower, self.upper, strict=False):
            out.append(
                {
                    "mass_gev": float(m),
                    f"{self.coupling_name}_lower": "" if math.isnan(lo) else float(lo),
                    f"{self.coupling_name}_upper": "" if math.isnan(hi) else float(hi),
                }
            )
        return out

    def summary(self) -> dict[str, Any]:
        excluded = ~np.isnan(self.lower)
        best = int(np.nanargmin(self.lower)) if excluded.any() else None
        return {
            "model": self.model,
            "coupling": self.coupling_name,
            "experiment": self.experiment,
            "pot": self.pot,
            "limit": {
                "method": self.method,
                "cl": self.cl,
                "background": self.background,
                "observed": self.observed,
                "signal_upper_limit_events": self.signal_limit,
            },
            "grid": {
                "masses_gev": [float(self.masses[0]), float(self.masses[-1]), len(self.masses)],
                "couplings": [float(self.couplings[0]), float(self.couplings[-1]), len(self.couplings)],
            },
            "excluded_mass_points": int(excluded.sum()),
            # a band edge sitting on the grid's end means the true edge lies beyond the scanned couplings
            "band_edges_at_grid_limits": {
                "lower": int(np.sum(self.lower[excluded] <= self.couplings[0])),
                "upper": int(np.sum(self.upper[excluded] >= self.couplings[-1])),
            },
            "strongest_limit": None
            if best is None
            else {"mass_gev": float(self.masses[best]), self.coupling_name: float(self.lower[best])},
        }

    def csv_text(self) -> str:
        """limits.csv: ``mass_gev,<coupling>_lower,<coupling>_upper`` (empty where nothing is excluded)."""
        rows = self.rows()
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()


def sensitivity(
    model_name: str,
    model_parameters: dict[str, Any],
    experiment: Experiment,
    masses: Sequence[float] | NDArray[np.float64],
    couplings: Sequence[float] | NDArray[np.float64],
    *,
    channels: Sequence[str] | None = None,
    pot: float | None = None,
    n_flux: int = 20_000,
    seed: int = 12345,
    method: str | None = None,
    cl: float | None = None,
    background: float | None = None,
    observed: int | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScanResult:
    """Scan (mass × coupling) for ``model_name`` at ``experiment``; statistics default to the search's own."""
    from ..pipeline import build_model

    search = experiment.spec.search
    if search.signal == "scattering":
        from .scattering import millicharged_sensitivity, scattering_sensitivity

        scans: dict[str, Callable[..., ScanResult]] = {
            "light_dark_matter": scattering_sensitivity,
            "millicharged": millicharged_sensitivity,
        }
        if model_name not in scans:
            raise UnknownNameError(f"model for the scattering search {experiment.name!r}", model_name, scans)
        return scans[model_name](
            dict(model_parameters),
            experiment,
            masses,
            couplings,
            pot=pot,
            n_parents=n_flux,
            seed=seed,
            method=method,
            cl=cl,
            background=background,
            observed=observed,
            executor=executor,
            progress=progress,
        )
    couplings_arr = np.asarray(couplings, dtype=float)
    masses_arr = np.asarray(masses, dtype=float)
    tasks = [
        MassPointTask(
            model_name=model_name,
            model_parameters=dict(model_parameters),
            experiment=experiment,
            mass=float(m),
            couplings=couplings_arr,
            channels=tuple(channels or experiment.signal_channels(model_name)),
            pot=pot or experiment.pot,
            n_flux=n_flux,
            seed=seed,
            index=i,
        )
        for i, m in enumerate(masses_arr)
    ]
    expected = run_grid(run_mass_point, tasks, len(couplings_arr), executor, progress)
    method = method or search.method
    cl = cl or search.cl
    background = search.background if background is None else background
    observed = search.observed if observed is None else observed
    return ScanResult(
        model=model_name,
        coupling_name=build_model(model_name, float(masses_arr[0]), model_parameters).coupling_name,
        experiment=experiment.name,
        masses=masses_arr,
        couplings=couplings_arr,
        expected=expected,
        signal_limit=upper_limit(observed, background, cl, method),
        cl=cl,
        method=method,
        background=background,
        observed=observed,
        pot=pot or experiment.pot,
    )


def sensitivity_from_card(
    card: RunCard,
    *,
    masses: Sequence[float] | NDArray[np.float64] | None = None,
    n_flux: int | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScanResult:
    """:func:`sensitivity` with everything a run card says (model, experiment, scan grid, POT, statistics);
    ``masses`` and ``n_flux`` override the card's."""
    from ..config import require
    from ..pipeline import resolve_experiment

    require(card, "model", "experiment", "scan", command="sensitivity")
    assert card.model is not None
    assert card.experiment is not None
    assert card.scan is not None
    return sensitivity(
        card.model.name,
        dict(card.model.parameters),
        resolve_experiment(card.experiment.name),
        card.scan.masses.values() if masses is None else masses,
        card.scan.couplings.values(),
        pot=card.experiment.pot,
        n_flux=card.run.n_flux if n_flux is None else n_flux,
        seed=card.run.seed,
        method=card.limit.method,
        cl=card.limit.cl,
        background=card.limit.background,
        observed=card.limit.observed,
        executor=executor,
        progress=progress,
    )

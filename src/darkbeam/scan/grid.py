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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import logsumexp

from .. import pdg
from ..errors import ConfigError, KinematicsError, UnknownNameError
from ..experiments import Experiment
from ..flux import FluxSample
from ..kinematics import three_body_decay, two_body_decay
from ..models.base import DarkModel
from ..response import PairSelection
from ..stats import excluded_band, upper_limit_with_background_uncertainty
from ..units import C_LIGHT
from .reweight import CHUNK_ELEMENTS, expected_signal

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
    efficiency = signal_efficiency(model, flux, task.experiment, task.channels, rng, couplings=task.couplings)
    if isinstance(efficiency, float):
        return expected_signal(flux, model, DETECTOR, task.couplings, task.channels, task.pot, efficiency)
    # coupling-dependent efficiency (containment cut): see signal_efficiency
    return expected_signal(flux, model, DETECTOR, task.couplings, task.channels, task.pot) * efficiency


PAIR_SAMPLE = 20_000
"""Decays simulated per mass point to evaluate the two-track acceptance."""

MAX_REPEAT = 2_000
"""With a containment cut, each detector-crossing particle is decayed several times (at different vertices along its
chord), up to this many, so that about :data:`PAIR_SAMPLE` decays are simulated when few particles cross."""

_CHARGED = {11, 13, 211, 321, 2212}


def signal_efficiency(
    model: DarkModel,
    flux: FluxSample,
    experiment: Experiment,
    channels: Sequence[str],
    rng: np.random.Generator,
    couplings: NDArray[np.float64] | None = None,
) -> float | NDArray[np.float64]:
    """Selection efficiency at the model's mass: the experiment's tabulated efficiency × the two-track acceptance
    of the signal decays (BR-weighted over ``channels``), if the search states two-track cuts, × the fraction
    arriving inside the search's time window (:func:`in_time_window`), if it states one.

    Without a containment cut the acceptance is evaluated on up to :data:`PAIR_SAMPLE` particles that cross the
    detector, weighted by flux weight × chord/βγ (the decay probability in the long-lifetime limit, where limits
    are set), and returned as one number.

    With a containment cut (``[search.pair_selection] containment = true``) the acceptance depends on where the
    particle decays and on its energy, and the energy spectrum of the particles that decay in the detector depends
    on the coupling: at the upper (short-lifetime) edge only the most energetic ones survive the flight, and their
    daughters are the least likely to be contained. The efficiency then *must* depend on the coupling; with
    ``couplings`` given it is returned per coupling (shape (n_couplings,)) as the exact ratio

        ε(g) = Σᵢ wᵢ ∫ p_g(x) aᵢ(x) dx / Σᵢ wᵢ P_g,ᵢ ,   p_g(x) = e^{−x/λᵢ(g)}/λᵢ(g) on the chord, λᵢ = βγᵢ cτ(g),

    (aᵢ(x): acceptance of a decay at distance x; P_g,ᵢ = ∫ p_g = the decay probability of
    :func:`darkbeam.scan.reweight.expected_signal`), estimated by importance sampling: each crossing particle is
    decayed at up to :data:`MAX_REPEAT` vertices uniform along its chord (segment chosen ∝ length for a detector of
    separate volumes), each decay weighted by chord × p_g(x). This is unbiased at every coupling and reduces to
    the chord/βγ weighting in the long-lifetime limit, which is what is returned (one number) when ``couplings``
    is None."""
    from ..pipeline import DETECTOR

    efficiency = float(experiment.efficiency(model.mass))
    selection = experiment.pair_selection()
    timed = experiment.spec.search.time_window is not None
    if selection is None and not timed:
        return efficiency
    hit = np.nonzero(flux.hits(DETECTOR))[0]
    if hit.size > PAIR_SAMPLE:  # a random subset: the hits come ordered by source and channel
        hit = np.sort(rng.choice(hit, PAIR_SAMPLE, replace=False))
    if hit.size == 0:
        return efficiency
    weights = flux.weight[hit] * flux.chord(DETECTOR)[hit] / flux.beta_gamma[hit]
    in_time = in_time_window(flux, experiment, hit, rng) if timed else np.ones(hit.size, dtype=bool)
    if selection is None:
        return efficiency * float(np.average(in_time, weights=weights))
    if selection.containment:  # arrival time and containment taken as independent
        in_time_fraction = float(np.average(in_time, weights=weights))
        contained = _contained_acceptance(model, flux, experiment, channels, selection, hit, rng, couplings)
        return efficiency * in_time_fraction * contained
    total_br = accepted = 0.0
    for br, (_, first), (_, second) in _charged_pairs(model, channels, flux.momentum[hit], rng):
        accepted += br * float(np.average(selection.passes(first, second, rng) & in_time, weights=weights))
        total_br += br
    return efficiency * (accepted / total_br if total_br > 0 else 0.0)


def in_time_window(
    flux: FluxSample, experiment: Experiment, rows: NDArray[np.int64], rng: np.random.Generator
) -> NDArray[np.bool_]:
    """Which particles ``rows`` of ``flux`` reach the detector inside the search's time window
    (``[search.time_window]``, :class:`~darkbeam.experiments.schema.TimeWindowSpec`).

    Delay after light = proton time in the spill (the facility's :data:`darkbeam.timing.BEAM_TIMING`; none: t = 0)
    + production time + flight to the detector's entry point at βc − the light-speed time from the origin of the
    beam frame (the target) to that point. Raises :class:`ConfigError` for ``after_spill`` at a facility without a
    shipped spill structure."""
    from ..pipeline import DETECTOR
    from ..timing import BEAM_TIMING, TimeWindow

    spec = experiment.spec.search.time_window
    if spec is None:
        return np.ones(rows.size, dtype=bool)
    timing = BEAM_TIMING.get(experiment.spec.facility)
    if spec.after_spill and timing is None:
        raise ConfigError(
            f"search.time_window.after_spill of experiment {experiment.name!r}: facility "
            f"{experiment.spec.facility!r} has no spill structure; allowed: {', '.join(sorted(BEAM_TIMING))}"
        )
    entry = np.nanmin(np.stack([e[rows] for e, _ in flux.segments(DETECTOR)]), axis=0)
    point = flux.vertex[rows] + flux.direction[rows] * entry[:, None]
    proton = np.zeros(rows.size) if timing is None else timing.sample_proton_times(rows.size, rng)
    delay = (
        proton
        + flux.time[rows]
        + entry / (flux.beta[rows] * C_LIGHT)
        - np.linalg.norm(point, axis=1) / C_LIGHT
    )
    start = spec.start_ns + (timing.spill_length if spec.after_spill and timing is not None else 0.0)
    return TimeWindow(start, math.inf if spec.stop_ns is None else spec.stop_ns).mask(delay)


def _charged_pairs(
    model: DarkModel, channels: Sequence[str], momenta: NDArray[np.float64], rng: np.random.Generator
) -> Iterator[tuple[float, tuple[int, NDArray[np.float64]], tuple[int, NDArray[np.float64]]]]:
    """Decay ``momenta`` (n, 4) in each open signal channel with at least two charged daughters; yields the
    channel's BR and the first two charged daughters as (pdg id, lab four-momenta (n, 4))."""
    brs = model.branching_ratios()
    decays = model.decay_channels()
    for name in channels:
        if brs.get(name, 0.0) == 0.0:
            continue
        daughters = decays[name].daughters
        masses = tuple(pdg.mass(d) for d in daughters)
        products: tuple[NDArray[np.float64], ...]
        if len(masses) == 2:
            products = two_body_decay(momenta, masses[0], masses[1], rng)
        else:  # the model's |M|² where it has one (flat phase space otherwise), as in the event generator
            me = model.decay_matrix_element(name)
            products = three_body_decay(
                momenta,
                (masses[0], masses[1], masses[2]),
                rng,
                matrix_element=me,
                max_matrix_element=None if me is None else me.maximum,
            )
        charged = [(d, p) for d, p in zip(daughters, products, strict=False) if abs(d) in _CHARGED][:2]
        if len(charged) == 2:
            yield brs[name], charged[0], charged[1]


def _contained_acceptance(
    model: DarkModel,
    flux: FluxSample,
    experiment: Experiment,
    channels: Sequence[str],
    selection: PairSelection,
    hit: NDArray[np.intp],
    rng: np.random.Generator,
    couplings: NDArray[np.float64] | None,
) -> float | NDArray[np.float64]:
    """BR-weighted acceptance of pair cuts and containment, with decay vertices along the chords (see
    :func:`signal_efficiency`); per coupling if ``couplings`` is given."""
    from ..pipeline import DETECTOR

    repeat = max(1, min(MAX_REPEAT, PAIR_SAMPLE // hit.size))
    idx = np.repeat(hit, repeat)
    n = idx.size
    entries = np.stack([entry[idx] for entry, _ in flux.segments(DETECTOR)])  # (segments, n)
    lengths = np.stack([np.nan_to_num(exit_[idx] - entry[idx], nan=0.0) for entry, exit_ in flux.segments(DETECTOR)])
    chord = lengths.sum(axis=0)
    cumulative = np.cumsum(lengths, axis=0)
    u = rng.random(n) * chord
    which = np.minimum((u[None, :] >= cumulative).sum(axis=0), len(lengths) - 1)
    columns = np.arange(n)
    distance = entries[which, columns] + u - (cumulative[which, columns] - lengths[which, columns])
    vertices = flux.vertex[idx] + distance[:, None] * flux.direction[idx]
    momenta = flux.momentum[idx]
    solid = experiment.solid

    accepted = np.zeros(n)
    total_br = 0.0
    for br, (d1, p1), (d2, p2) in _charged_pairs(model, channels, momenta, rng):
        accepted += br * (selection.passes(p1, p2, rng) & selection.contained(vertices, p1, p2, (d1, d2), solid))
        total_br += br
    if total_br == 0.0:
        return 0.0 if couplings is None else np.zeros(len(couplings))
    accepted /= total_br
    weight = flux.weight[idx]
    beta_gamma = flux.beta_gamma[idx]
    if couplings is None:  # long-lifetime limit: decay density uniform along the chord, ∝ chord/βγ per particle
        long_lived = weight * chord / beta_gamma
        total = float(np.sum(long_lived))
        return float(np.sum(long_lived * accepted) / total) if total > 0 else 0.0

    reference = model.with_coupling(flux.reference_coupling)
    scale = np.asarray((np.asarray(couplings, dtype=float) / flux.reference_coupling) ** model.coupling_power)
    result = np.zeros(scale.size)
    chunk = max(1, CHUNK_ELEMENTS // max(1, n))
    with np.errstate(divide="ignore"):
        log_weight = np.log(weight)[:, None]
        log_chord = np.log(chord)[:, None]
    for start in range(0, scale.size, chunk):  # chunks of couplings bound the (decays × couplings) arrays
        lam = beta_gamma[:, None] * reference.ctau() / scale[None, start : start + chunk]
        log_lam = np.log(lam)
        # decay density at the sampled vertex × chord (importance weight w.r.t. uniform sampling)
        log_num = log_weight + log_chord - log_lam - distance[:, None] / lam
        # decay probability in the detector, summed over its volumes, in logs: −a/λ + log(1 − e^{−c/λ})
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.stack(
                [
                    np.where(
                        length[:, None] > 0,
                        -np.nan_to_num(entry, nan=0.0)[:, None] / lam + np.log(-np.expm1(-length[:, None] / lam)),
                        -np.inf,
                    )
                    for entry, length in zip(entries, lengths, strict=True)
                ]
            )
        with np.errstate(divide="ignore"):
            log_den = log_weight + logsumexp(terms, axis=0)
        shift = np.max(log_den, axis=0)
        finite = np.isfinite(shift)
        shift = np.where(finite, shift, 0.0)
        numerator = np.sum(accepted[:, None] * np.exp(log_num - shift), axis=0)
        denominator = np.sum(np.exp(log_den - shift), axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            result[start : start + chunk] = np.where(finite & (denominator > 0), numerator / denominator, 0.0)
    return result


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
    reference = build_model(model_name, float(masses_arr[0]), model_parameters)
    return scan_result(
        model_name,
        reference.coupling_name,
        experiment,
        masses_arr,
        couplings_arr,
        expected,
        # a decay search in the long-lifetime regime: signal ∝ g^(2 coupling_power) (production × decay probability)
        signal_power=2.0 * reference.coupling_power,
        pot=pot,
        method=method,
        cl=cl,
        background=background,
        observed=observed,
    )


def scan_result(
    model_name: str,
    coupling_name: str,
    experiment: Experiment,
    masses: NDArray[np.float64],
    couplings: NDArray[np.float64],
    expected: NDArray[np.float64],
    *,
    signal_power: float,
    pot: float | None = None,
    method: str | None = None,
    cl: float | None = None,
    background: float | None = None,
    observed: int | None = None,
    background_uncertainty: float | None = None,
) -> ScanResult:
    """The :class:`ScanResult` of an expected-signal grid, with the search's statistics where not overridden
    (including its Gaussian background uncertainty, :func:`darkbeam.stats.upper_limit_with_background_uncertainty`);
    ``signal_power``: p in signal ∝ coupling^p, for the Bayesian prior flat in the coupling."""
    search = experiment.spec.search
    method = method or search.method
    cl = cl or search.cl
    background = search.background if background is None else background
    observed = search.observed if observed is None else observed
    sigma_b = search.background_uncertainty if background_uncertainty is None else background_uncertainty
    return ScanResult(
        model=model_name,
        coupling_name=coupling_name,
        experiment=experiment.name,
        masses=masses,
        couplings=couplings,
        expected=expected,
        signal_limit=upper_limit_with_background_uncertainty(observed, background, sigma_b, cl, method, signal_power),
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

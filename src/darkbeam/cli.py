"""``darkbeam`` command line: a thin layer over the public Python API.

Every command that prints numbers takes ``--json``. Errors caused by input print one line and exit with status 2;
output files are written under temporary names and renamed only when complete.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__, pdg
from .errors import ConfigError, DarkBeamError, OutputError
from .production.bremsstrahlung import PROTON_PDG

app = typer.Typer(
    name="darkbeam",
    help="Dark-sector searches at accelerator neutrino beams: production, decay, detector response, limits.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ListWhat(StrEnum):
    models = "models"
    experiments = "experiments"
    beams = "beams"
    detectors = "detectors"


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2))


def _write_files(directory: Path, contents: dict[str, bytes]) -> None:
    """Write each file under ``directory`` atomically (temporary name, then rename)."""
    from .io import atomic_output

    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot write {str(directory)!r}: {err.strerror}") from None
    for name, data in contents.items():
        with atomic_output(directory / name) as handle:
            handle.write(data)


@app.command("list")
def list_(what: ListWhat, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List registered models, or the experiment, beam or detector catalogue."""
    from . import experiments
    from .models import MODELS

    if what is ListWhat.models:
        rows = {
            name: {
                "coupling": cls.coupling_name if isinstance(cls.coupling_name, str) else "largest mixing |U|²",
                "doc": (cls.__doc__ or "").strip().splitlines()[0],
            }
            for name, cls in MODELS.items()
        }
    elif what is ListWhat.experiments:
        rows = {name: {"description": experiments.get(name).spec.description} for name in experiments.names()}
    elif what is ListWhat.beams:
        from . import beams

        rows = {name: {"description": beams.get(name).description} for name in beams.names()}
    else:
        from . import detectors

        rows = {name: {"description": detectors.get(name).spec.description} for name in detectors.names()}
    if as_json:
        _echo_json(rows)
        return
    for name, info in rows.items():
        typer.echo(f"{name:28s} {next(iter(info.values()))}" + (f"  [{info['doc']}]" if "doc" in info else ""))


def _parse_parameters(pairs: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` strings → constructor arguments (numbers, true/false, or text)."""
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ConfigError(f"--param {pair!r} is not allowed; write KEY=VALUE, e.g. --param alpha_dark=0.5")
        lowered = value.strip().lower()
        if lowered in ("true", "false"):
            params[key.strip()] = lowered == "true"
            continue
        try:
            params[key.strip()] = float(value)
        except ValueError:
            params[key.strip()] = value.strip()
    return params


@app.command()
def widths(
    model: Annotated[str, typer.Argument(help="model name (see `darkbeam list models`)")],
    mass: Annotated[float, typer.Option("--mass", help="mass [GeV]")],
    sin_theta: Annotated[float | None, typer.Option("--sin-theta", help="scalar: mixing sin θ")] = None,
    ue2: Annotated[float | None, typer.Option("--ue2", help="HNL: |U_e4|²")] = None,
    umu2: Annotated[float | None, typer.Option("--umu2", help="HNL: |U_μ4|²")] = None,
    utau2: Annotated[float | None, typer.Option("--utau2", help="HNL: |U_τ4|²")] = None,
    majorana: Annotated[bool | None, typer.Option("--majorana/--dirac", help="HNL: Majorana or Dirac")] = None,
    epsilon: Annotated[float | None, typer.Option("--epsilon", help="dark photon: kinetic mixing ε")] = None,
    alpha_dark: Annotated[float | None, typer.Option("--alpha-dark", help="dark photon: α_D of A′ → χχ̄")] = None,
    m_chi: Annotated[float | None, typer.Option("--m-chi", help="dark photon: χ mass [GeV]")] = None,
    g_agg: Annotated[float | None, typer.Option("--g-agg", help="ALP: photon coupling g_aγγ [GeV⁻¹]")] = None,
    g_aee: Annotated[float | None, typer.Option("--g-aee", help="ALP: electron coupling g_aee")] = None,
    g_gg: Annotated[
        float | None, typer.Option("--g-gg", help="ALP: gluon coupling g_gg = C_GG/Λ [GeV⁻¹] (alp, alp_gluon)")
    ] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="any other model argument, KEY=VALUE")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Total width, cτ, decay and production branching ratios of a model at one mass."""
    from .pipeline import build_model

    named = {
        "sin_theta": sin_theta,
        "ue2": ue2,
        "umu2": umu2,
        "utau2": utau2,
        "majorana": majorana,
        "epsilon": epsilon,
        "alpha_dark": alpha_dark,
        "m_chi": m_chi,
        "g_agg": g_agg,
        "g_aee": g_aee,
        "g_gg": g_gg,
    }
    params = {k: v for k, v in named.items() if v is not None} | _parse_parameters(param or [])
    instance = build_model(model, mass, params)
    production = instance.production_branching_ratios()
    direct = {PROTON_PDG, pdg.PHOTON, instance.pdg_id}
    data = {
        "model": instance.name,
        "mass_gev": instance.mass,
        "couplings": instance.parameters(),
        "total_width_gev": instance.total_width(),
        "ctau_cm": instance.ctau(),
        "branching_ratios": instance.branching_ratios(),
        # direct production (proton bremsstrahlung, Primakoff, meson mixing) gives coupling factors, not branching
        # ratios: left out of the JSON (whose keys are fixed), printed as such in the text output
        "production_branching_ratios": {
            pdg.name(parent): channels for parent, channels in production.items() if parent not in direct
        },
    }
    if as_json:
        _echo_json(data)
        return
    typer.echo(f"{data['model']}  m = {mass:g} GeV  {data['couplings']}")
    typer.echo(f"  total width {data['total_width_gev']:.6e} GeV   c*tau {data['ctau_cm']:.6e} cm")
    for channel, br in sorted(instance.branching_ratios().items(), key=lambda kv: -kv[1]):
        typer.echo(f"  BR({channel}) = {br:.6e}")
    for parent, channels in production.items():
        label = "coupling factor" if parent in direct else "production BR"
        for channel, br in channels.items():
            typer.echo(f"  {label}({channel}) = {br:.6e}   [{pdg.name(parent)}]")


@app.command()
def sensitivity(
    card: Annotated[Path, typer.Argument(help="run card (TOML)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="output directory")],
    workers: Annotated[int, typer.Option("--workers", min=1, help="processes for the mass points")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="print summary.json")] = False,
) -> None:
    """Scan (mass × coupling) and write DIR/limits.csv, DIR/limits.png and DIR/summary.json."""
    from concurrent.futures import Executor, ProcessPoolExecutor

    from rich.progress import Progress

    from .config import load_card, require
    from .plotting import plot_limits, read_curve
    from .scan import sensitivity_from_card

    config = load_card(card)
    require(config, "model", "experiment", "scan", command="sensitivity")
    assert config.scan is not None
    reference = None
    if config.limit.reference_curve:
        reference = read_curve(config.base_dir / config.limit.reference_curve)
    executor: Executor | None = ProcessPoolExecutor(workers) if workers > 1 else None
    masses = config.scan.masses.values()
    with Progress(disable=as_json or not sys.stderr.isatty(), transient=True) as progress:
        task = progress.add_task("mass points", total=len(masses))
        update: Callable[[int, int], None] = lambda done, total: progress.update(task, completed=done)  # noqa: E731
        result = sensitivity_from_card(config, executor=executor, progress=update)
    if executor is not None:
        executor.shutdown()
    extra = {"darkbeam_version": __version__, "card": str(card), "seed": config.run.seed}
    _write_files(
        output,
        {
            "limits.csv": result.csv_text().encode(),
            "limits.png": plot_limits(result, reference, config.limit.reference_label),
            "summary.json": (json.dumps(result.summary() | extra, indent=2) + "\n").encode(),
        },
    )
    if as_json:
        _echo_json(result.summary() | extra)
    else:
        best = result.summary()["strongest_limit"]
        typer.echo(
            f"wrote {output}/limits.csv, limits.png, summary.json; "
            f"{result.summary()['excluded_mass_points']}/{len(masses)} masses excluded"
            + (f"; strongest {best}" if best else "")
        )


@app.command()
def generate(
    card: Annotated[Path, typer.Argument(help="run card (TOML) with a [generate] section")],
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.hepmc3 or FILE.parquet")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Generate weighted events at one (mass, coupling) and write them (HepMC3 or Parquet)."""
    from .config import load_card, require
    from .io import write_events
    from .pipeline import build_model, simulate

    config = load_card(card)
    require(config, "model", "experiment", "generate", command="generate")
    assert config.model is not None
    assert config.experiment is not None
    assert config.generate is not None
    gen = config.generate
    model = build_model(config.model.name, gen.mass_gev, dict(config.model.parameters)).with_coupling(gen.coupling)
    events = simulate(
        model,
        config.experiment.name,
        pot=config.experiment.pot,
        n=gen.n_events,
        seed=config.run.seed,
        batch_size=gen.batch_size,
        run_card=config.text,
    )
    data: dict[str, Any] = {"file": str(output)}
    if config.selection is not None:
        events, data["cutflow"] = _select(events, config.experiment.name, config.selection, config.run.seed)
    written = write_events(events, output)
    data |= {"events": written, "expected_events": events.expected_events}
    if as_json:
        _echo_json(data)
    else:
        typer.echo(f"wrote {written} events to {output}; expected events (sum of weights) {events.expected_events:.6g}")


@app.command()
def upscatter(
    card: Annotated[Path, typer.Argument(help="run card (TOML) with an [upscattering] section")],
    output: Annotated[Path, typer.Option("-o", "--output", help="event file: .hepmc3, .hepmc or .parquet")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Neutrino upscattering ν T → N T in a detector and the N decay inside it (two vertices); writes events."""
    from .config import load_card, require
    from .io import write_events

    config = load_card(card)
    require(config, "upscattering", command="upscatter")
    assert config.upscattering is not None
    section = config.upscattering
    batch = section.generate(config.run.seed, config.base_dir, provenance={"run_card": config.text})
    written = write_events(batch, output)
    model = section.model()
    summary = {
        "file": str(output),
        "events": written,
        "expected_events": batch.expected_events,
        "ctau_cm": model.ctau(),
        "branching_ratios": model.branching_ratios(),
    }
    if as_json:
        _echo_json(summary)
        return
    typer.echo(
        f"wrote {written} events to {output}; expected events {batch.expected_events:.4g}; cτ_N = {model.ctau():.4g} cm"
    )


def _select(events: Any, experiment_name: str, selection: Any, seed: int) -> tuple[Any, dict[str, float]]:
    """Apply the card's [selection] with the experiment's catalogue detector response; weights unchanged."""
    import numpy as np

    from .detectors import get as get_detector
    from .experiments.schema import DetectorRef
    from .pipeline import resolve_experiment
    from .response.selection import apply_response

    reference = resolve_experiment(experiment_name).spec.detector
    detector = get_detector(reference.catalogue) if isinstance(reference, DetectorRef) else None
    result = apply_response(events, detector, selection, np.random.default_rng([seed, 1]))
    return result.events, {k: float(v) for k, v in result.cutflow.items()}


plot_app = typer.Typer(help="Figures of model properties.", no_args_is_help=True)
app.add_typer(plot_app, name="plot")

_MIXING = {"e": "ue2", "mu": "umu2", "tau": "utau2"}


@plot_app.command("widths")
def plot_widths_command(
    model: Annotated[str, typer.Argument(help="model name (see `darkbeam list models`)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="PNG file")] = Path("widths.png"),
    mass_min: Annotated[float, typer.Option("--mass-min", help="[GeV]")] = 0.001,
    mass_max: Annotated[float, typer.Option("--mass-max", help="[GeV]")] = 5.0,
    num: Annotated[int, typer.Option("--num", min=2, max=5000)] = 300,
    mixing: Annotated[str | None, typer.Option("--mixing", help="HNL: e, mu or tau (that |U|² = 1)")] = None,
    majorana: Annotated[bool | None, typer.Option("--majorana/--dirac", help="HNL: Majorana or Dirac")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="model argument KEY=VALUE")] = None,
) -> None:
    """Branching ratios and cτ vs mass (at unit coupling unless --param says otherwise)."""
    import numpy as np

    from .errors import check_choice, check_positive
    from .plotting import plot_widths

    check_positive("--mass-min", mass_min)
    if mass_max <= mass_min:
        raise ConfigError(f"--mass-max = {mass_max} is not allowed; it must be > --mass-min = {mass_min}")
    params: dict[str, Any] = {}
    if mixing is not None:
        params[_MIXING[check_choice("--mixing", mixing, list(_MIXING))]] = 1.0
    if majorana is not None:
        params["majorana"] = majorana
    params |= _parse_parameters(param or [])
    png = plot_widths(model, np.geomspace(mass_min, mass_max, num), params)
    _write_files(output.parent, {output.name: png})
    typer.echo(f"wrote {output}")


@app.command()
def flux(
    card: Annotated[Path, typer.Argument(help="run card (TOML) with a [flux] section")],
    plot: Annotated[Path | None, typer.Option("--plot", help="also write a PNG of the spectra")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """SM neutrino flux (ν_μ, ν̄_μ, ν_e, ν̄_e per POT per cm²) at a detector, from the beam's own meson decays."""
    from .config import load_card, require
    from .neutrinos import plot_flux

    config = load_card(card)
    require(config, "flux", command="flux")
    assert config.flux is not None
    result = config.flux.compute()
    if plot is not None:
        _write_files(plot.parent, {plot.name: plot_flux(result, title=f"{config.flux.beam}")})
    if as_json:
        _echo_json(result)
        return
    typer.echo(f"{'flavour':10s} {'per POT per cm2':>16s} {'<E> [GeV]':>10s}")
    for flavour, data in result.items():
        typer.echo(f"{flavour:10s} {data['integrated_per_pot_cm2']:16.4e} {data['mean_energy_gev']:10.3f}")


@app.command()
def prism(
    card: Annotated[Path, typer.Argument(help="run card (TOML) with a [prism] section ([model] for dark rates)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="output directory")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """PRISM scan: ν_μ flux and/or dark-particle decays vs off-axis position; writes prism.{json,csv,png}."""
    from .config import load_card, require
    from .pipeline import build_model
    from .prism import plot_prism

    config = load_card(card)
    require(config, "prism", command="prism")
    assert config.prism is not None
    section = config.prism
    model = None
    if section.quantity in ("dark", "both"):
        require(config, "model", command="prism")
        assert config.model is not None
        if section.mass_gev is None:
            raise ConfigError("prism.mass_gev = None is not allowed when prism.quantity needs a dark model; give > 0")
        model = build_model(config.model.name, section.mass_gev, config.model.parameters)
    result = section.compute(model)
    header = ["offset_m", "off_axis_angle_mrad"]
    columns: list[list[float]] = [result["offsets_m"], result["off_axis_angle_mrad"]]
    if "numu" in result:
        header += ["numu_per_pot_cm2", "numu_mean_energy_gev"]
        columns += [result["numu"]["integrated_per_pot_cm2"], result["numu"]["mean_energy_gev"]]
    if "dark" in result:
        header += ["dark_expected_decays", "dark_mc_error"]
        columns += [result["dark"]["expected_decays"], result["dark"]["expected_decays_mc_error"]]
    lines = [",".join(header)] + [",".join(f"{v:.6g}" for v in row) for row in zip(*columns, strict=True)]
    _write_files(
        output,
        {
            "prism.json": json.dumps(result, indent=2).encode(),
            "prism.csv": ("\n".join(lines) + "\n").encode(),
            "prism.png": plot_prism(result),
        },
    )
    if result["horn_note"]:
        typer.echo(f"note: {result['horn_note']}", err=True)
    if as_json:
        _echo_json(result)
        return
    typer.echo("\n".join(lines))
    typer.echo(f"wrote {output / 'prism.json'}, {output / 'prism.csv'}, {output / 'prism.png'}")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"darkbeam {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
) -> None:
    """DarkBeam command line."""


def main() -> None:
    """Entry point: run the app, turning DarkBeam errors into one line on stderr and exit status 2."""
    try:
        app(standalone_mode=False)
    except DarkBeamError as err:
        typer.echo(f"darkbeam: error: {err}", err=True)
        raise SystemExit(2) from None
    except typer.Abort:
        raise SystemExit(1) from None
    except Exception as err:  # click usage errors carry their own exit code
        import click  # typer's own dependency

        if isinstance(err, click.ClickException):
            err.show()
            raise SystemExit(err.exit_code) from None
        raise


if __name__ == "__main__":
    main()

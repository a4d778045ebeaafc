"""Run cards: TOML files validated into typed configuration (schema version 1).

A card names a model, an experiment and what to do: a sensitivity scan over (mass, coupling) and/or event
generation at one point. Unknown keys and out-of-range values are errors naming the field and what is allowed.
Example: ``examples/microboone_kdar_scalar.toml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import ConfigError
from ..interactions.upscatter_decay import UpscatteringSection
from ..neutrinos import FluxSection
from ..prism import PrismSection
from ..response.selection import SelectionSection
from .catalogue import read_toml, validate

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
SCHEMA_VERSION: Literal[1] = 1


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RunSection(Strict):
    seed: int = Field(12345, ge=0, description="seed of numpy's default Generator; one seed reproduces a run")
    n_flux: int = Field(20_000, ge=100, le=100_000_000, description="dark particles generated per mass point")


class ModelSection(Strict):
    name: str = Field(description="registered model name, see `darkbeam list models`")
    parameters: dict[str, float | bool] = Field(
        default_factory=dict,
        description="extra constructor arguments (e.g. HNL mixing ratios ue2/umu2/utau2 and majorana)",
    )


class ExperimentSection(Strict):
    name: str = Field(description="catalogue name (`darkbeam list experiments`) or path to an experiment TOML")
    pot: PositiveFloat | None = Field(None, description="override the search's protons on target")


class MassGrid(Strict):
    min_gev: PositiveFloat
    max_gev: PositiveFloat
    num: int = Field(ge=1, le=10_000)
    spacing: Literal["log", "linear"] = "log"

    @model_validator(mode="after")
    def _ordered(self) -> MassGrid:
        if self.max_gev < self.min_gev:
            raise ValueError(f"max_gev ({self.max_gev}) must be >= min_gev ({self.min_gev})")
        return self

    def values(self) -> np.ndarray:
        space = np.geomspace if self.spacing == "log" else np.linspace
        return np.asarray(space(self.min_gev, self.max_gev, self.num))


class CouplingGrid(Strict):
    min: PositiveFloat
    max: PositiveFloat
    num: int = Field(100, ge=2, le=100_000)

    @model_validator(mode="after")
    def _ordered(self) -> CouplingGrid:
        if self.max <= self.min:
            raise ValueError(f"max ({self.max}) must be > min ({self.min})")
        return self

    def values(self) -> np.ndarray:
        return np.asarray(np.geomspace(self.min, self.max, self.num))


class ScanSection(Strict):
    masses: MassGrid
    couplings: CouplingGrid


class LimitSection(Strict):
    method: Literal["classical", "feldman_cousins", "cls", "bayesian"] | None = None
    cl: float | None = Field(None, gt=0, lt=1)
    background: float | None = Field(None, ge=0)
    observed: int | None = Field(None, ge=0)
    reference_curve: str | None = Field(
        None,
        description="CSV of a published limit (mass_gev, coupling) to overlay on the plot; relative to the card",
    )
    reference_label: str = "published"


class GenerateSection(Strict):
    mass_gev: PositiveFloat
    coupling: PositiveFloat
    n_events: int = Field(10_000, ge=1, le=100_000_000)
    batch_size: int = Field(100_000, ge=1)


class RunCard(Strict):
    schema_version: Literal[1] = SCHEMA_VERSION
    run: RunSection = RunSection()
    model: ModelSection | None = None
    experiment: ExperimentSection | None = None
    scan: ScanSection | None = None
    limit: LimitSection = LimitSection()
    generate: GenerateSection | None = None
    flux: FluxSection | None = None
    prism: PrismSection | None = None
    selection: SelectionSection | None = None
    upscattering: UpscatteringSection | None = None
    #: directory of the card file, for resolving relative paths (not part of the TOML)
    base_dir: Path = Field(default=Path("."), exclude=True)
    #: the card's original text, carried into output files as provenance (not part of the TOML)
    text: str = Field(default="", exclude=True)


def parse_card(text: str, origin: str = "<card>", base_dir: Path | None = None) -> RunCard:
    """Validate a TOML run card given as text; raise :class:`ConfigError` naming the bad fields."""
    raw = read_toml(text, origin)
    for internal in ("base_dir", "text"):
        if internal in raw:
            raise ConfigError(f"{origin}: {internal}: unknown key (check the spelling; see the documented schema)")
    return validate(RunCard, {**raw, "base_dir": base_dir or Path("."), "text": text}, origin)


def require(card: RunCard, *sections: str, command: str) -> None:
    """Raise :class:`ConfigError` if ``card`` lacks any of ``sections`` (needed by ``command``)."""
    missing = [name for name in sections if getattr(card, name) is None]
    if missing:
        raise ConfigError(f"`darkbeam {command}` needs the card section(s) {', '.join(f'[{m}]' for m in missing)}")


def load_card(path: str | Path) -> RunCard:
    """Read and validate a run card file."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as err:
        raise ConfigError(f"run card {str(path)!r} cannot be read: {err.strerror}") from None
    return parse_card(text, str(path), path.parent)

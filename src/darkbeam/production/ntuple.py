"""User parent ntuples: parent-meson DECAYS made by the user's own simulation (GEANT4, FLUKA, MARS, …).

Format (``docs/parent-ntuples.md``): one row per parent decay in the facility frame, columns

=========== ============================================================ ========
column      meaning                                                      unit
=========== ============================================================ ========
pdg         PDG id of the decaying parent (integer)                      —
x_cm, y_cm, z_cm  decay point (facility frame of the beam catalogue)     cm
px_gev, py_gev, pz_gev  parent momentum at the decay                     GeV
e_gev       parent energy (optional; else on shell, √(p² + m²))          GeV
t_ns        decay time after the proton reached the target               ns
weight      decays the row stands for in the file's POT (optional, 1)    —
=========== ============================================================ ========

and the number of protons on target the file represents (``pot``), given as an argument or stored in the file:
a ``# pot = 1e6`` comment line before the header (CSV), key ``pot`` in the Parquet schema metadata; ROOT flat TTrees
or RNTuples (read with uproot, the ``darkbeam[root]`` extra) need the argument. Extra columns are ignored.

:class:`NtupleSource` keeps the rows of one species and implements :class:`~darkbeam.production.ParentSource`:
Σ weight / pot = decays per POT. ``sample(n, rng)`` draws n rows WITH replacement, with probability proportional
to the file's weights, and gives every drawn row the weight (Σ weight / pot) / n, so Σ weight of a sample is
exactly the decays per POT and weighted files are importance-sampled (unbiased for any n; a sample larger than the
file repeats rows, which adds no information). :meth:`NtupleSource.decays` returns all rows unsampled.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .. import pdg as pdg_data
from ..errors import ConfigError, DarkBeamError, OutputError
from .parents import ParentDecays

FloatArray = NDArray[np.float64]

REQUIRED_COLUMNS: tuple[str, ...] = ("pdg", "x_cm", "y_cm", "z_cm", "px_gev", "py_gev", "pz_gev", "t_ns")
OPTIONAL_COLUMNS: tuple[str, ...] = ("e_gev", "weight")
FORMATS: tuple[str, ...] = (".csv", ".parquet", ".root")
#: ROOT objects read as flat tables: TTrees, and RNTuples (what uproot ≥ 5.7 writes for ``file[name] = dict``)
_ROOT_TABLES = ("TTree", "ROOT::RNTuple")
_POT_COMMENT = re.compile(r"^\s*#\s*pot\s*[=:]\s*([0-9eE.+-]+)\s*$")


@dataclass(frozen=True)
class NtupleTable:
    """Columns of a parent ntuple (name → float array) and the POT stored in the file (None if absent)."""

    columns: Mapping[str, FloatArray]
    pot: float | None = None


def _read_csv(path: Path) -> NtupleTable:
    pot: float | None = None
    skip = 0
    try:
        with path.open() as handle:
            for line in handle:
                if not line.lstrip().startswith("#"):
                    break
                skip += 1
                match = _POT_COMMENT.match(line)
                if match:
                    pot = _parse_pot(match.group(1), path)
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"ntuple {str(path)!r} cannot be read: {err}") from None
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(skip_rows=skip))
    except (pa.ArrowInvalid, OSError) as err:
        raise ConfigError(f"ntuple {str(path)!r} is not a readable CSV file: {err}") from None
    return NtupleTable(_arrow_columns(table, path), pot)


def _parse_pot(text: str, path: Path) -> float:
    try:
        return float(text)
    except ValueError:
        raise ConfigError(f"ntuple {str(path)!r}: pot = {text!r} in the file is not a number") from None


def _arrow_columns(table: object, path: Path) -> dict[str, FloatArray]:
    import pyarrow as pa

    assert isinstance(table, pa.Table)
    out: dict[str, FloatArray] = {}
    for name in table.column_names:
        if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            continue
        column = table.column(name)
        if column.null_count:
            raise ConfigError(
                f"ntuple {str(path)!r}: column {name!r} has {column.null_count} empty or non-finite (NaN) value(s); "
                "allowed: finite numbers"
            )
        if not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type)):
            raise ConfigError(
                f"ntuple {str(path)!r}: column {name!r} has type {column.type}; allowed: numbers (int or float)"
            )
        out[name] = np.asarray(column.to_numpy(), dtype=float)
    return out


def _read_parquet(path: Path) -> NtupleTable:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as err:
        raise ConfigError(f"ntuple {str(path)!r} is not a readable Parquet file: {err}") from None
    metadata = table.schema.metadata or {}
    raw = metadata.get(b"pot")
    pot = None if raw is None else _parse_pot(raw.decode(errors="replace"), path)
    return NtupleTable(_arrow_columns(table, path), pot)


def _read_root(path: Path, tree: str | None) -> NtupleTable:
    try:
        uproot = importlib.import_module("uproot")
    except ImportError:
        raise DarkBeamError(
            f"reading the ROOT ntuple {str(path)!r} needs uproot; install it with: pip install darkbeam[root]"
        ) from None
    try:
        handle = uproot.open(path)
    except Exception as err:  # uproot raises many types for a damaged file; report them as one input error
        raise ConfigError(f"ntuple {str(path)!r} is not a readable ROOT file: {err}") from None
    with handle:
        trees = [key.split(";")[0] for key, cls in handle.classnames().items() if cls in _ROOT_TABLES]
        name = tree if tree is not None else (trees[0] if len(trees) == 1 else None)
        if name is None or name not in trees:
            allowed = ", ".join(trees) or "(the file has no TTree or RNTuple)"
            raise ConfigError(f"ntuple {str(path)!r}: tree = {tree!r} is not allowed; allowed: {allowed}")
        ttree = handle[name]
        names = list(ttree.keys())  # uproot: iterating a TTree gives branch objects, keys() their names
        wanted = [b for b in names if b in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
        arrays = ttree.arrays(wanted, library="np")
        return NtupleTable({k: np.asarray(v, dtype=float) for k, v in arrays.items()}, None)


def read_ntuple(path: str | Path, tree: str | None = None) -> NtupleTable:
    """Read the columns of a parent ntuple (CSV, Parquet or ROOT by file extension); see the module docstring.

    Raises :class:`ConfigError` for an unreadable or unknown file and a :class:`DarkBeamError` naming
    ``pip install darkbeam[root]`` when a ROOT file is given without uproot installed."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ConfigError(f"ntuple path {str(path)!r} has extension {suffix!r}; allowed: {', '.join(FORMATS)}")
    if not path.is_file():
        raise ConfigError(f"ntuple path {str(path)!r} cannot be read: no such file")
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".parquet":
        return _read_parquet(path)
    return _read_root(path, tree)


def _validate(table: NtupleTable, origin: str) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        raise ConfigError(
            f"ntuple {origin}: missing column(s) {', '.join(missing)}; required: {', '.join(REQUIRED_COLUMNS)} "
            f"(optional: {', '.join(OPTIONAL_COLUMNS)}); found: {', '.join(sorted(table.columns)) or 'none'}"
        )
    for name, values in table.columns.items():
        bad = ~np.isfinite(values)
        if np.any(bad):
            row = int(np.argmax(bad))
            raise ConfigError(
                f"ntuple {origin}: column {name!r} has a non-finite value {float(values[row])!r} at row {row}"
            )
    weight = table.columns.get("weight")
    if weight is not None and np.any(weight < 0):
        row = int(np.argmax(weight < 0))
        raise ConfigError(
            f"ntuple {origin}: weight = {float(weight[row])!r} at row {row} is not allowed; it must be >= 0"
        )
    ids = table.columns["pdg"]
    if np.any(ids != np.round(ids)):
        row = int(np.argmax(ids != np.round(ids)))
        raise ConfigError(
            f"ntuple {origin}: pdg = {float(ids[row])!r} at row {row} is not allowed; it must be an integer"
        )


@dataclass(frozen=True)
class NtupleSource:
    """Parent decays of species ``parent_pdg`` read from a user's ntuple at ``path`` (module docstring).

    ``pot``: protons on target the file represents (None: read it from the file). ``tree``: TTree name (ROOT files
    with more than one tree). Σ weight of a sample = decays per POT = Σ file weights of ``parent_pdg`` / pot.
    """

    path: str | Path
    pot: float | None
    parent_pdg: int
    tree: str | None = None
    _rows: ParentDecays = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        origin = repr(str(self.path))
        table = read_ntuple(self.path, self.tree)
        _validate(table, origin)
        pot = self.pot if self.pot is not None else table.pot
        if pot is None:
            raise ConfigError(
                f"ntuple {origin}: pot is missing; give pot = ... (protons on target the file represents) as an "
                "argument or store it in the file ('# pot = ...' line in a CSV, 'pot' schema metadata in Parquet)"
            )
        if not (math.isfinite(pot) and pot > 0):
            raise ConfigError(f"ntuple {origin}: pot = {pot!r} is not allowed; it must be finite and > 0")
        mass = pdg_data.mass(self.parent_pdg)  # UnknownNameError for an id the PDG tables do not know
        cols = table.columns
        ids = cols["pdg"].astype(np.int64)
        keep = ids == self.parent_pdg
        if not np.any(keep):
            present = ", ".join(str(int(i)) for i in np.unique(ids)) or "none (empty file)"
            raise ConfigError(
                f"ntuple {origin}: parent_pdg = {self.parent_pdg} is not allowed; the file has no rows with it "
                f"(pdg ids present: {present})"
            )
        p3 = np.column_stack([cols["px_gev"][keep], cols["py_gev"][keep], cols["pz_gev"][keep]])
        p2 = np.einsum("ij,ij->i", p3, p3)
        energy = cols["e_gev"][keep] if "e_gev" in cols else np.sqrt(p2 + mass**2)
        if np.any(energy**2 < p2 * (1 - 1e-9)):
            row = int(np.flatnonzero(keep)[np.argmax(energy**2 < p2 * (1 - 1e-9))])
            raise ConfigError(f"ntuple {origin}: e_gev at row {row} is below |p| (space-like four-momentum)")
        weight = cols["weight"][keep] if "weight" in cols else np.ones(int(keep.sum()))
        if not np.sum(weight) > 0:
            raise ConfigError(f"ntuple {origin}: the weights of pdg {self.parent_pdg} sum to 0; nothing to sample")
        rows = ParentDecays(
            self.parent_pdg,
            np.column_stack([p3, energy]),
            np.column_stack([cols["x_cm"][keep], cols["y_cm"][keep], cols["z_cm"][keep]]),
            np.asarray(cols["t_ns"][keep], dtype=float),
            np.asarray(weight / pot, dtype=float),
        )
        object.__setattr__(self, "_rows", rows)

    @property
    def decays_per_pot(self) -> float:
        """Σ weight / pot of the rows of :attr:`parent_pdg`."""
        return float(np.sum(self._rows.weight))

    def decays(self) -> ParentDecays:
        """All rows of :attr:`parent_pdg`, unsampled, weights per POT."""
        return self._rows

    def sample(self, n: int, rng: np.random.Generator) -> ParentDecays:
        """``n`` rows drawn with replacement ∝ weight, each with weight ``decays_per_pot / n``."""
        if int(n) != n or n < 1:
            raise ConfigError(f"n = {n!r} is not allowed; it must be an integer >= 1")
        rows = self._rows
        prob = rows.weight / np.sum(rows.weight)
        index = rng.choice(len(rows), size=int(n), replace=True, p=prob)
        return ParentDecays(
            rows.pdg,
            rows.momentum[index],
            rows.vertex[index],
            rows.time[index],
            np.full(int(n), self.decays_per_pot / int(n)),
        )


def write_ntuple(path: str | Path, decays: ParentDecays, pot: float) -> None:
    """Write ``decays`` (weights per POT) as a parent ntuple for ``pot`` POT (CSV or Parquet by extension); the
    inverse of :class:`NtupleSource` (weights are multiplied by ``pot``; ``pot`` is stored in the file). The file
    is written under a temporary name and renamed when complete."""
    import pyarrow as pa

    path = Path(path)
    columns = {
        "pdg": np.full(len(decays), decays.pdg, dtype=np.int64),
        "x_cm": decays.vertex[:, 0],
        "y_cm": decays.vertex[:, 1],
        "z_cm": decays.vertex[:, 2],
        "px_gev": decays.momentum[:, 0],
        "py_gev": decays.momentum[:, 1],
        "pz_gev": decays.momentum[:, 2],
        "e_gev": decays.momentum[:, 3],
        "t_ns": decays.time,
        "weight": decays.weight * pot,
    }
    table = pa.table(columns, metadata={"pot": repr(float(pot))})
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise ConfigError(f"ntuple output {str(path)!r} has extension {suffix!r}; allowed: .csv, .parquet")
    partial = path.with_name(path.name + ".partial")
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            pq.write_table(table, partial)
        else:
            import pyarrow.csv as pacsv

            with partial.open("wb") as handle:
                handle.write(f"# pot = {float(pot)!r}\n".encode())
                pacsv.write_csv(table, handle)
        partial.replace(path)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise OutputError(f"ntuple output {str(path)!r} cannot be written: {err}") from None

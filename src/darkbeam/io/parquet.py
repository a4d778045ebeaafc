"""Parquet output: one row per event, particles in list columns.

Columns (units as in :mod:`darkbeam.events`):

=============================  ========================  ===========================================
column                         type                      meaning
=============================  ========================  ===========================================
``pdg``                        list<int64>               PDG id per particle
``status``                     list<int32>               HepMC status (4 incoming, 2 decayed, 1 final)
``px`` ``py`` ``pz`` ``e``     list<double>              four-momentum [GeV]
``x`` ``y`` ``z``              list<double>              production vertex [cm]
``t``                          list<double>              production time [ns]
``parent``                     list<int64>               mother's index within the event, −1 for none
``weight``                     double                    expected events (nominal)
``weight_<name>``              double                    weight variation ``<name>``
=============================  ========================  ===========================================

Provenance is stored as Parquet key/value schema metadata under ``darkbeam.<key>``. Values are stored
exactly (binary IEEE doubles), so a round trip is lossless. Files are written batch by batch with
``pyarrow.parquet.ParquetWriter`` (zstd compression), atomically (see :func:`darkbeam.io.atomic_output`).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from numpy.typing import NDArray

from ..errors import ConfigError
from ..events import EventBatch
from . import Batches, PathLike, atomic_output, iter_batches

#: schema-metadata key prefix of provenance entries
PROVENANCE_PREFIX = "darkbeam."
#: column-name prefix of weight variations
VARIATION_PREFIX = "weight_"
#: list columns: name → (arrow value type, numpy dtype)
LIST_COLUMNS: Mapping[str, tuple[pa.DataType, type]] = {
    "pdg": (pa.int64(), np.int64),
    "status": (pa.int32(), np.int32),
    "px": (pa.float64(), np.float64),
    "py": (pa.float64(), np.float64),
    "pz": (pa.float64(), np.float64),
    "e": (pa.float64(), np.float64),
    "x": (pa.float64(), np.float64),
    "y": (pa.float64(), np.float64),
    "z": (pa.float64(), np.float64),
    "t": (pa.float64(), np.float64),
    "parent": (pa.int64(), np.int64),
}
_COMPRESSION = "zstd"


def _schema(variations: Sequence[str], provenance: Mapping[str, str]) -> pa.Schema:
    fields = [
        pa.field(name, pa.list_(pa.field("element", typ, nullable=False)), nullable=False)
        for name, (typ, _) in LIST_COLUMNS.items()
    ]
    fields.append(pa.field("weight", pa.float64(), nullable=False))
    fields += [pa.field(VARIATION_PREFIX + v, pa.float64(), nullable=False) for v in variations]
    metadata = {f"{PROVENANCE_PREFIX}{k}": str(v) for k, v in provenance.items()}
    return pa.schema(fields, metadata=metadata)


def _columns(batch: EventBatch) -> dict[str, NDArray[np.generic]]:
    return {
        "pdg": batch.pdg,
        "status": batch.status,
        "px": batch.momentum[:, 0],
        "py": batch.momentum[:, 1],
        "pz": batch.momentum[:, 2],
        "e": batch.momentum[:, 3],
        "x": batch.vertex[:, 0],
        "y": batch.vertex[:, 1],
        "z": batch.vertex[:, 2],
        "t": batch.time,
        "parent": batch.parent,
    }


def _table(batch: EventBatch, schema: pa.Schema, variations: Sequence[str]) -> pa.Table:
    """One Arrow table (a row per event) for ``batch``."""
    offsets = np.asarray(batch.offsets, dtype=np.int64)
    if len(offsets) == 0 or offsets[0] != 0 or np.any(np.diff(offsets) < 0):
        raise ConfigError("EventBatch.offsets must start at 0 and never decrease")
    if offsets[-1] > np.iinfo(np.int32).max:
        raise ConfigError(f"a batch of {offsets[-1]} particles is too large for one Parquet write; split it")
    arrow_offsets = pa.array(offsets.astype(np.int32))
    arrays: list[pa.Array] = []
    for name, values in _columns(batch).items():
        typ, dtype = LIST_COLUMNS[name]
        flat = pa.array(np.ascontiguousarray(values, dtype=dtype), type=typ)
        arrays.append(pa.ListArray.from_arrays(arrow_offsets, flat, type=schema.field(name).type))
    arrays.append(pa.array(np.asarray(batch.weight, dtype=np.float64)))
    arrays += [pa.array(np.asarray(batch.weight_variations[v], dtype=np.float64)) for v in variations]
    return pa.Table.from_arrays(arrays, schema=schema)


def write_parquet(batches: Batches, path: PathLike, *, provenance: Mapping[str, str] | None = None) -> int:
    """Write events to a Parquet file (one row per event) and return the number of events written.

    ``batches`` is one :class:`EventBatch` or an iterable of them, written one row group per batch. The
    schema takes the weight-variation names and provenance of the first batch, with ``provenance`` entries
    added on top (winning on equal keys); every batch must have the first batch's weight variations. The
    write is atomic: on any error (including one raised by the ``batches`` iterator) no file is left at
    ``path``, an existing one is unchanged, and :class:`OutputError` naming ``path`` is raised, chained to
    the cause.
    """
    stream = iter_batches(batches)
    n_written = 0
    with atomic_output(path) as fh:
        first = next(stream, None)
        prov: dict[str, str] = dict(first.provenance) if first is not None else {}
        prov.update(provenance or {})
        variations = list(first.weight_variations) if first is not None else []
        if any(not v for v in variations):
            raise ConfigError("weight variation names must not be empty")
        schema = _schema(variations, prov)
        with pq.ParquetWriter(fh, schema, compression=_COMPRESSION) as writer:
            for batch in itertools.chain([] if first is None else [first], stream):
                if list(batch.weight_variations) != variations:
                    raise ConfigError(
                        f"batch has weight variations {list(batch.weight_variations)}; the file has {variations}"
                    )
                writer.write_table(_table(batch, schema, variations))
                n_written += len(batch)
    return n_written


def _flat(column: pa.ChunkedArray, name: str) -> tuple[NDArray[np.int64], pa.Array]:
    """Offsets (from 0) and flat values of a list column."""
    arr = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if arr.null_count:
        raise ConfigError(f"Parquet column {name!r} has null entries")
    raw = np.asarray(arr.offsets, dtype=np.int64)
    if len(raw) == 0:  # a table without rows
        return np.zeros(1, dtype=np.int64), arr.flatten()
    return raw - raw[0], arr.flatten()


def read_parquet(path: PathLike) -> EventBatch:
    """Read a Parquet event file written by :func:`write_parquet` into one :class:`EventBatch`.

    Raises :class:`ConfigError` if the file cannot be read or lacks the expected columns.
    """
    fname = os.fspath(path)
    try:
        table = pq.read_table(fname)
    except (OSError, pa.ArrowException) as exc:
        raise ConfigError(f"cannot read Parquet file {fname!r}: {exc}") from exc
    missing = [c for c in (*LIST_COLUMNS, "weight") if c not in table.column_names]
    if missing:
        raise ConfigError(f"Parquet file {fname!r} lacks DarkBeam columns {missing}")
    flat: dict[str, NDArray[np.generic]] = {}
    offsets: NDArray[np.int64] | None = None
    for name, (_, dtype) in LIST_COLUMNS.items():
        off, values = _flat(table.column(name), name)
        if offsets is None:
            offsets = off
        elif not np.array_equal(off, offsets):
            raise ConfigError(f"Parquet file {fname!r}: column {name!r} has different particle counts")
        flat[name] = np.asarray(values.to_numpy(zero_copy_only=False), dtype=dtype)
    assert offsets is not None

    def scalar(name: str) -> NDArray[np.float64]:
        return np.asarray(table.column(name).to_numpy(), dtype=np.float64)

    metadata = table.schema.metadata or {}
    provenance = {
        k.decode("utf-8")[len(PROVENANCE_PREFIX) :]: v.decode("utf-8")
        for k, v in metadata.items()
        if k.decode("utf-8", "replace").startswith(PROVENANCE_PREFIX)
    }
    return EventBatch(
        offsets=offsets,
        pdg=flat["pdg"],  # type: ignore[arg-type]
        status=flat["status"],  # type: ignore[arg-type]
        momentum=np.column_stack([flat["px"], flat["py"], flat["pz"], flat["e"]]).astype(np.float64),
        vertex=np.column_stack([flat["x"], flat["y"], flat["z"]]).astype(np.float64),
        time=flat["t"],  # type: ignore[arg-type]
        parent=flat["parent"],  # type: ignore[arg-type]
        weight=scalar("weight"),
        weight_variations={
            c[len(VARIATION_PREFIX) :]: scalar(c) for c in table.column_names if c.startswith(VARIATION_PREFIX)
        },
        provenance=provenance,
    )

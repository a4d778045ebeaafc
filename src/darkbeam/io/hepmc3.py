"""HepMC3 output: a vectorised Asciiv3 text writer and a pyhepmc-based reader.

File layout (HepMC3 Asciiv3, read by HepMC3's ``ReaderAscii`` and ``pyhepmc.open``)::

    HepMC::Version 3.02.06
    HepMC::Asciiv3-START_EVENT_LISTING
    W nominal\\|flux_up                       weight names: "nominal" first, then the weight variations
    T DarkBeam\\|<version>\\|<description>     tool record
    A darkbeam.<key> <value>                 one run attribute per provenance entry (escaped, see below)
    E <number> <n_vertices> <n_particles> @ <x> <y> <z> <c·t>
    U GEV CM
    W <nominal> <variation>...
    V <-k> 0 [<mother id>] @ <x> <y> <z> <c·t>
    P <id> <production vertex id or 0> <pdg> <px> <py> <pz> <E> <m> <status>
    ...
    HepMC::Asciiv3-END_EVENT_LISTING

Units are GeV and cm; a vertex's fourth coordinate is c·t in cm (``t [ns] · C_LIGHT``). Mapping from
:class:`~darkbeam.events.EventBatch` rows:

* particle ``i`` of an event has HepMC3 id ``i + 1``. Rows keep their order when every mother precedes its
  daughters (the usual case); otherwise the event's rows are written sorted by generation (roots, their
  daughters, ...; stable within a generation) and read back in that order;
* every particle with daughters gets an end vertex at its daughters' production vertex and time, with the
  particle as its single incoming particle; the daughters are outgoing particles of that vertex;
* particles without a mother (``parent == -1``: the status-4 meson or a status-2 dark particle) hang off the
  event's root vertex, whose position (the ``E`` line's ``@`` part, HepMC3's ``event_pos``) is the production
  vertex of the event's first root particle. Further roots produced elsewhere carry their production vertex as
  a particle attribute ``darkbeam.production_vertex`` ("x y z c·t", cm). (HepMC3 cannot read back a vertex
  without incoming particles, so roots never get a vertex of their own.)
* event weights: ``nominal`` then the weight variations, in the order of the first batch.

Numbers are written with 17 significant digits (``%.17g``), which reproduces every IEEE double exactly:
momenta, weights and positions round-trip bit for bit, times to ≤ 1 ulp (from the c·t conversion). The mass
column ``m`` is the invariant mass of the written four-momentum.

Provenance entries become run attributes ``darkbeam.<key>`` in the header. Values are escaped as HepMC3 does
(``\\`` → ``\\\\``, newline → ``\\|``); values too long for HepMC3's 262 143-byte line buffer are split over
further attributes ``darkbeam-part.<i>.<key>``, joined again on reading.

The writer formats many events at once with bulk ``%`` formatting instead of building ``GenEvent`` objects
particle by particle (see ``benchmarks/bench_hepmc3.py``); the reader uses pyhepmc's own ``ReaderAscii``.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyhepmc
from numpy.typing import NDArray

from .._version import __version__
from ..errors import ConfigError
from ..events import EventBatch
from ..kinematics import invariant_mass
from ..units import C_LIGHT
from . import Batches, PathLike, atomic_output, iter_batches

#: HepMC3 version written in the file header (the Asciiv3 format is unchanged across 3.x releases)
FORMAT_VERSION = "3.02.06"
#: name of the nominal weight in the header's weight-name list
NOMINAL_WEIGHT = "nominal"
#: run-attribute name prefix of provenance entries
PROVENANCE_PREFIX = "darkbeam."
#: run-attribute name prefix of continuation chunks of long provenance values
PROVENANCE_PART_PREFIX = "darkbeam-part."
#: particle attribute holding the production vertex of a root particle that is not at the event's root vertex
ROOT_VERTEX_ATTRIBUTE = "darkbeam.production_vertex"
#: longest line (bytes, without newline) HepMC3's ReaderAscii can read: it uses a 512·512-byte buffer
MAX_LINE_BYTES = 512 * 512 - 1
#: characters per provenance chunk: ≤ 4 UTF-8 bytes per character stays below MAX_LINE_BYTES
_CHUNK_CHARS = 60_000
#: events formatted per string (bounds memory for large batches)
_EVENTS_PER_CHUNK = 20_000
_F = "%.17g"
_INT32 = np.iinfo(np.int32)

_HEADER_START = f"HepMC::Version {FORMAT_VERSION}\nHepMC::Asciiv3-START_EVENT_LISTING\n"
_FOOTER = "HepMC::Asciiv3-END_EVENT_LISTING\n"


# =================================================================================================== writing
def write_hepmc3(batches: Batches, path: PathLike, *, provenance: Mapping[str, str] | None = None) -> int:
    """Write events to a HepMC3 Asciiv3 file (GeV, cm) and return the number of events written.

    ``batches`` is one :class:`EventBatch` or an iterable of them, consumed one at a time. The header takes
    the weight-variation names and provenance of the first batch; ``provenance`` entries are added on top (and
    win on equal keys). Events are numbered 0, 1, 2, ... across batches. Every batch must have the weight
    variations of the first one. The file is written atomically: on any error (including one raised by the
    ``batches`` iterator) no file is left at ``path`` and any existing one there is unchanged;
    :class:`OutputError` naming ``path`` is raised, chained to the cause (a :class:`ConfigError` for
    unwritable data: an event without particles, a non-finite value, an invalid parent index, daughters of
    one mother at different vertices).
    """
    stream = iter_batches(batches)
    n_written = 0
    with atomic_output(path) as fh:
        first = next(stream, None)
        prov: dict[str, str] = dict(first.provenance) if first is not None else {}
        prov.update(provenance or {})
        variations = list(first.weight_variations) if first is not None else []
        fh.write(_header(variations, prov).encode("utf-8"))
        for batch in itertools.chain([] if first is None else [first], stream):
            if list(batch.weight_variations) != variations:
                raise ConfigError(
                    f"batch has weight variations {list(batch.weight_variations)}; the file has {variations}"
                )
            for start in range(0, len(batch), _EVENTS_PER_CHUNK):
                chunk = _event_slice(batch, start, start + _EVENTS_PER_CHUNK)
                fh.write(_format_events(chunk, n_written, variations).encode("ascii"))
                n_written += len(chunk)
        fh.write(_FOOTER.encode("ascii"))
    return n_written


def _escape(text: str) -> str:
    """HepMC3 string escaping: backslash → ``\\\\``, newline → ``\\|``."""
    return text.replace("\\", "\\\\").replace("\n", "\\|")


def _unescape(text: str) -> str:
    """Inverse of :func:`_escape` (as HepMC3's ``ReaderAscii::unescape``)."""
    out: list[str] = []
    chars = iter(text)
    for c in chars:
        if c == "\\":
            nxt = next(chars, "")
            out.append("\n" if nxt == "|" else nxt)
        else:
            out.append(c)
    return "".join(out)


def _check_line(line: str, what: str) -> str:
    if len(line.encode("utf-8")) > MAX_LINE_BYTES:
        raise ConfigError(f"{what} is too long for a HepMC3 line ({MAX_LINE_BYTES} bytes)")
    return line + "\n"


def _header(variations: Sequence[str], provenance: Mapping[str, str]) -> str:
    """File header: version, weight names, tool record and provenance run attributes."""
    names = [NOMINAL_WEIGHT, *variations]
    for name in variations:
        if not name or "\n" in name or name == NOMINAL_WEIGHT:
            raise ConfigError(f"weight variation name {name!r} is not allowed: non-empty, no newline, not 'nominal'")
    parts = [_HEADER_START, _check_line("W " + _escape("\n".join(names)), "the weight-name list")]
    tool = "\n".join(["DarkBeam", __version__, "dark-sector event generator for neutrino beams"])
    parts.append("T " + _escape(tool) + "\n")
    for key, value in provenance.items():
        key, value = str(key), str(value)
        if not key or any(c.isspace() for c in key) or len(PROVENANCE_PART_PREFIX + key) > 500:
            raise ConfigError(f"provenance key {key!r} is not allowed: it must be 1-480 characters without spaces")
        chunks = [value[i : i + _CHUNK_CHARS] for i in range(0, len(value), _CHUNK_CHARS)] or [""]
        parts.append(f"A {PROVENANCE_PREFIX}{key} {_escape(chunks[0])}\n")
        parts.extend(f"A {PROVENANCE_PART_PREFIX}{i}.{key} {_escape(c)}\n" for i, c in enumerate(chunks[1:], 1))
    return "".join(parts)


def _event_slice(batch: EventBatch, start: int, stop: int) -> EventBatch:
    """Events ``start:stop`` of ``batch`` as views (no copy); ``batch`` itself if that is all of it."""
    if start == 0 and stop >= len(batch):
        return batch
    stop = min(stop, len(batch))
    lo, hi = int(batch.offsets[start]), int(batch.offsets[stop])
    return EventBatch(
        offsets=batch.offsets[start : stop + 1] - lo,
        pdg=batch.pdg[lo:hi],
        status=batch.status[lo:hi],
        momentum=batch.momentum[lo:hi],
        vertex=batch.vertex[lo:hi],
        time=batch.time[lo:hi],
        parent=batch.parent[lo:hi],
        weight=batch.weight[start:stop],
        weight_variations={k: v[start:stop] for k, v in batch.weight_variations.items()},
        provenance=batch.provenance,
    )


def _validate(batch: EventBatch) -> None:
    """Raise :class:`ConfigError` for data HepMC3 cannot hold (see :func:`write_hepmc3`)."""
    counts = batch.n_particles
    if len(batch.offsets) == 0 or batch.offsets[0] != 0 or np.any(counts < 0):
        raise ConfigError("EventBatch.offsets must start at 0 and never decrease")
    if np.any(counts == 0):
        raise ConfigError(f"event {int(np.argmax(counts == 0))} of the batch has no particles; HepMC3 needs ≥ 1")
    for name, arr in (("momentum", batch.momentum), ("vertex", batch.vertex), ("time", batch.time)):
        if not np.all(np.isfinite(arr)):
            raise ConfigError(f"EventBatch.{name} has non-finite values")
    for name, w in (
        ("weight", batch.weight),
        *((f"weight_variations[{k!r}]", v) for k, v in batch.weight_variations.items()),
    ):
        if not np.all(np.isfinite(w)):
            raise ConfigError(f"EventBatch.{name} has non-finite values")
    for name, ids in (("pdg", batch.pdg), ("status", batch.status)):
        if len(ids) and (ids.min() < _INT32.min or ids.max() > _INT32.max):
            raise ConfigError(f"EventBatch.{name} has values outside the 32-bit range of HepMC3")
    local = np.arange(len(batch.pdg), dtype=np.int64) - np.repeat(batch.offsets[:-1], counts)
    bad = (batch.parent < -1) | (batch.parent >= np.repeat(counts, counts)) | (batch.parent == local)
    if np.any(bad):
        row = int(np.argmax(bad))
        raise ConfigError(
            f"EventBatch.parent[{row}] = {int(batch.parent[row])} is not -1 or another row of the same event"
        )


def _parents_first(batch: EventBatch) -> EventBatch:
    """``batch`` itself if every mother precedes its daughters, else its rows sorted by generation."""
    counts = batch.n_particles
    starts = np.repeat(batch.offsets[:-1], counts)
    local = np.arange(len(batch.pdg), dtype=np.int64) - starts
    if np.all(batch.parent < local):
        return batch
    has_mother = batch.parent >= 0
    mother = np.where(has_mother, batch.parent + starts, 0)
    depth = np.zeros(len(local), dtype=np.int64)
    for _ in range(int(counts.max()) + 1):
        new = np.where(has_mother, depth[mother] + 1, 0)
        if np.array_equal(new, depth):
            break
        depth = new
    else:
        raise ConfigError("EventBatch.parent has a cycle (a particle is its own ancestor)")
    order = np.lexsort((local, depth, batch.event_index))
    new_row = np.empty_like(order)
    new_row[order] = np.arange(len(order))
    parent = np.where(has_mother, new_row[mother] - starts, -1)[order]
    return EventBatch(
        offsets=batch.offsets,
        pdg=batch.pdg[order],
        status=batch.status[order],
        momentum=batch.momentum[order],
        vertex=batch.vertex[order],
        time=batch.time[order],
        parent=parent,
        weight=batch.weight,
        weight_variations=batch.weight_variations,
        provenance=batch.provenance,
    )


def _format_events(batch: EventBatch, first_number: int, variations: Sequence[str]) -> str:
    """Asciiv3 text of the events of ``batch``, numbered from ``first_number``."""
    _validate(batch)
    b = _parents_first(batch)
    n, n_rows = len(b), len(b.pdg)
    offsets = b.offsets.astype(np.int64)
    counts = np.diff(offsets)
    event = b.event_index
    starts = offsets[:-1][event]
    local = np.arange(n_rows, dtype=np.int64) - starts
    is_root = b.parent < 0
    mother = np.where(is_root, -1, b.parent + starts)  # global row of the mother

    # one end vertex per mother, written just before its first daughter (rows are parents-first)
    daughters = np.flatnonzero(~is_root)
    mothers, first_idx = np.unique(mother[daughters], return_index=True)
    first_daughter = daughters[first_idx]
    opens_vertex = np.zeros(n_rows, dtype=bool)
    opens_vertex[first_daughter] = True
    cum = np.concatenate([[0], np.cumsum(opens_vertex)])
    vertex_number = cum[1:] - cum[offsets[:-1]][event]  # 1-based within the event, valid where opens_vertex
    n_vertices = cum[offsets[1:]] - cum[offsets[:-1]]

    first_daughter_of = np.zeros(n_rows, dtype=np.int64)
    first_daughter_of[mothers] = first_daughter
    end_vertex_id = np.zeros(n_rows, dtype=np.int64)
    end_vertex_id[mothers] = -vertex_number[first_daughter]
    production_vertex_id = np.where(is_root, 0, end_vertex_id[np.maximum(mother, 0)])

    position = np.column_stack([b.vertex, b.time * C_LIGHT])  # (x, y, z, c·t) [cm]
    reference = first_daughter_of[mother[daughters]]
    mismatch = ~np.all(np.isclose(position[daughters], position[reference], rtol=1e-12, atol=1e-12), axis=1)
    if np.any(mismatch):
        row = int(daughters[np.argmax(mismatch)])
        raise ConfigError(
            f"daughters of row {int(mother[row])} (event {int(event[row])} of the batch) have different "
            "production vertices or times; HepMC3 gives a decay one vertex"
        )

    # root vertex of each event: production vertex of its first root particle (rows parents-first → row 0)
    event_pos = position[offsets[:-1]]
    other_roots = np.flatnonzero(is_root & (local > 0))
    off_root = other_roots[np.any(position[other_roots] != event_pos[event[other_roots]], axis=1)]

    # ---- text: per-event header, then per row an optional vertex line and the particle line
    weights = np.column_stack([b.weight, *(b.weight_variations[k] for k in variations)])
    head_tmpl = "E %d %d %d @ " + " ".join([_F] * 4) + "\nU GEV CM\nW " + " ".join([_F] * weights.shape[1]) + "\n"
    head_cols = [np.arange(first_number, first_number + n), n_vertices, counts, *event_pos.T, *weights.T]
    heads = _format(head_tmpl, head_cols, slice(None))
    if len(off_root):
        attr_tmpl = f"A %d {ROOT_VERTEX_ATTRIBUTE} " + " ".join([_F] * 4) + "\n"
        for row, line in zip(off_root.tolist(), _format(attr_tmpl, [local + 1, *position.T], off_root), strict=True):
            heads[int(event[row])] += line

    mass = invariant_mass(b.momentum)
    p_tmpl = "P %d %d %d " + " ".join([_F] * 5) + " %d\n"
    p_cols = [local + 1, production_vertex_id, b.pdg, *b.momentum.T, mass, b.status]
    v_tmpl = "V %d 0 [%d] @ " + " ".join([_F] * 4) + "\n" + p_tmpl
    v_cols = [-vertex_number, b.parent + 1, *position.T, *p_cols]
    with_vertex = np.flatnonzero(opens_vertex)
    without_vertex = np.flatnonzero(~opens_vertex)

    pieces: list[str] = [""] * (n + n_rows)
    for pos, text in zip((offsets[:-1] + np.arange(n)).tolist(), heads, strict=True):
        pieces[pos] = text
    row_pos = np.arange(n_rows, dtype=np.int64) + event + 1
    for rows, tmpl, cols in ((with_vertex, v_tmpl, v_cols), (without_vertex, p_tmpl, p_cols)):
        for pos, text in zip(row_pos[rows].tolist(), _format(tmpl, cols, rows), strict=True):
            pieces[pos] = text
    return "".join(pieces)


def _format(template: str, columns: Sequence[NDArray[Any]], rows: slice | NDArray[np.int64]) -> list[str]:
    """``template % (col[r] for col in columns)`` for each selected row ``r``.

    Columns go through ``tolist`` so the values are Python ints and floats (``%.17g`` is exact for them).
    """
    return [template % values for values in zip(*(np.asarray(c)[rows].tolist() for c in columns), strict=True)]


# =================================================================================================== reading
def read_hepmc3(path: PathLike) -> EventBatch:
    """Read a HepMC3 file (any units; any format ``pyhepmc.open`` detects) into one :class:`EventBatch`.

    Momenta are converted to GeV, positions to cm and c·t to ns. A particle's mother is the first incoming
    particle of its production vertex (−1 without one); its vertex and time are its production vertex's stored
    position (HepMC3's ``event_pos`` for particles at the root vertex, overridden by a
    ``darkbeam.production_vertex`` attribute). Weights: the one named ``nominal`` (else the first) is
    ``weight``, the others become ``weight_variations`` under their names. Run attributes become
    ``provenance`` (``darkbeam.`` prefix removed, split values joined). Events are read in file order; their
    event numbers are not kept. Raises :class:`ConfigError` if the file cannot be opened or read.
    """
    fname = os.fspath(path)
    try:
        hep = pyhepmc.open(fname)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read HepMC3 file {fname!r}: {exc}") from exc
    run_info: Any = None
    data: list[Any] = []
    with hep:
        for evt in hep:
            if run_info is None:
                run_info = evt.run_info
            if evt.momentum_unit != pyhepmc.Units.GEV or evt.length_unit != pyhepmc.Units.CM:
                evt.set_units(pyhepmc.Units.GEV, pyhepmc.Units.CM)
            d = pyhepmc.GenEventData()
            evt.write_data(d)
            data.append(d)
    if run_info is not None:
        names = list(run_info.weight_names)
        raw_attrs = {str(k): str(run_info.attributes[k]) for k in run_info.attributes}
    else:
        names, raw_attrs = _read_header(fname)
    return _assemble(data, names, _provenance(raw_attrs), fname)


def _read_header(fname: str) -> tuple[list[str], dict[str, str]]:
    """Weight names and run attributes from the header of a HepMC3 file without events."""
    names: list[str] = []
    attrs: dict[str, str] = {}
    seen_start = False
    with open(fname, encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if line.startswith("HepMC::Asciiv3-START_EVENT_LISTING"):
                seen_start = True
            elif line.startswith(("E ", "HepMC::Asciiv3-END")):
                break
            elif line.startswith("W "):
                names = _unescape(line[2:]).split("\n")
            elif line.startswith("A "):
                name, _, value = line[2:].partition(" ")
                attrs[name] = _unescape(value)
    if not seen_start:
        raise ConfigError(f"{fname!r} is not a HepMC3 Asciiv3 file (no events could be read)")
    return names, attrs


def _provenance(attrs: Mapping[str, str]) -> dict[str, str]:
    """Provenance from run attributes: strip the prefix and join split values."""
    out: dict[str, str] = {}
    parts: dict[str, list[tuple[int, str]]] = {}
    for name, value in attrs.items():
        if name.startswith(PROVENANCE_PART_PREFIX):
            index, _, key = name[len(PROVENANCE_PART_PREFIX) :].partition(".")
            if index.isdigit() and key:
                parts.setdefault(key, []).append((int(index), value))
                continue
        key = name[len(PROVENANCE_PREFIX) :] if name.startswith(PROVENANCE_PREFIX) else name
        out[key] = value
    for key, chunks in parts.items():
        out[key] = out.get(key, "") + "".join(v for _, v in sorted(chunks))
    return out


def _assemble(data: Sequence[Any], names: list[str], provenance: dict[str, str], fname: str) -> EventBatch:
    """Concatenate per-event ``GenEventData`` into an :class:`EventBatch` (vectorised over events)."""
    n = len(data)
    if n == 0:
        variations = [k for k in names if k != NOMINAL_WEIGHT] if NOMINAL_WEIGHT in names else names[1:]
        return EventBatch(
            offsets=np.zeros(1, dtype=np.int64),
            pdg=np.zeros(0, dtype=np.int64),
            status=np.zeros(0, dtype=np.int32),
            momentum=np.zeros((0, 4)),
            vertex=np.zeros((0, 3)),
            time=np.zeros(0),
            parent=np.zeros(0, dtype=np.int64),
            weight=np.zeros(0),
            weight_variations={k: np.zeros(0) for k in variations},
            provenance=provenance,
        )
    particles = [d.particles for d in data]
    vertices = [d.vertices for d in data]
    links1 = [np.asarray(d.links1, dtype=np.int64) for d in data]
    links2 = [np.asarray(d.links2, dtype=np.int64) for d in data]
    weights = [np.asarray(d.weights, dtype=np.float64) for d in data]

    counts = np.array([len(x) for x in particles], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    n_vert = np.array([len(v) for v in vertices], dtype=np.int64)
    v_offsets = np.concatenate([[0], np.cumsum(n_vert)])
    n_rows = int(offsets[-1])

    p = np.concatenate(particles)
    vtx = np.concatenate(vertices) if v_offsets[-1] else None
    n_links = np.array([len(x) for x in links1], dtype=np.int64)
    l1, l2 = np.concatenate(links1), np.concatenate(links2)
    link_event = np.repeat(np.arange(n), n_links)
    p_base, v_base = offsets[:-1][link_event], v_offsets[:-1][link_event]

    # incoming: particle l1 > 0 enters vertex -l2; outgoing: particle l2 > 0 leaves vertex -l1
    inc = (l1 > 0) & (l2 < 0)
    out = (l1 < 0) & (l2 > 0)
    in_vertex = v_base[inc] - l2[inc] - 1
    in_particle = p_base[inc] + l1[inc] - 1
    first_in = np.full(int(v_offsets[-1]), -1, dtype=np.int64)
    uniq, first_idx = np.unique(in_vertex, return_index=True)
    first_in[uniq] = in_particle[first_idx]
    production = np.full(n_rows, -1, dtype=np.int64)
    production[p_base[out] + l2[out] - 1] = v_base[out] - l1[out] - 1

    event = np.repeat(np.arange(n), counts)
    has_vertex = production >= 0
    mother = np.where(has_vertex, first_in[np.maximum(production, 0)], -1)
    parent = np.where(mother >= 0, mother - offsets[:-1][event], -1)

    event_pos = np.array([[d.event_pos.x, d.event_pos.y, d.event_pos.z, d.event_pos.t] for d in data]).reshape(n, 4)
    position = event_pos[event]
    if vtx is not None:
        vpos = np.column_stack([vtx["x"], vtx["y"], vtx["z"], vtx["t"]])
        position[has_vertex] = vpos[production[has_vertex]]
    for i, d in enumerate(data):
        for pid, name, value in zip(d.attribute_id, d.attribute_name, d.attribute_string, strict=True):
            if name == ROOT_VERTEX_ATTRIBUTE and 0 < pid <= counts[i]:
                try:
                    position[offsets[i] + pid - 1] = [float(x) for x in value.split()]
                except ValueError as exc:
                    raise ConfigError(f"{fname!r}: event {i}: bad {ROOT_VERTEX_ATTRIBUTE} {value!r}") from exc

    n_weights = {len(w) for w in weights}
    if len(n_weights) > 1:
        raise ConfigError(f"{fname!r}: events have different numbers of weights {sorted(n_weights)}")
    width = n_weights.pop() if n_weights else len(names)
    if width == 0:
        w = np.ones((n, 1))
        names = [NOMINAL_WEIGHT]
    else:
        w = np.vstack(weights)
        if len(names) != width:
            names = [NOMINAL_WEIGHT, *(f"weight_{i}" for i in range(1, width))]
    nominal = names.index(NOMINAL_WEIGHT) if NOMINAL_WEIGHT in names else 0

    return EventBatch(
        offsets=offsets,
        pdg=p["pid"].astype(np.int64),
        status=p["status"].astype(np.int32),
        momentum=np.column_stack([p["px"], p["py"], p["pz"], p["e"]]).astype(np.float64),
        vertex=np.ascontiguousarray(position[:, :3]),
        time=position[:, 3] / C_LIGHT,
        parent=parent.astype(np.int64),
        weight=np.ascontiguousarray(w[:, nominal]),
        weight_variations={name: np.ascontiguousarray(w[:, j]) for j, name in enumerate(names) if j != nominal},
        provenance=provenance,
    )

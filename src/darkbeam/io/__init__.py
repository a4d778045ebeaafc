"""Event output: HepMC3 (Asciiv3 text) and Parquet writers and readers, picked by file extension.

:func:`write_events` / :func:`read_events` dispatch on the path's extension (``.hepmc3``, ``.hepmc`` → HepMC3;
``.parquet`` → Parquet). Every writer accepts a single :class:`~darkbeam.events.EventBatch` or an iterable of
them (streamed batch by batch, so a run never has to sit in memory at once) and writes atomically: the data go
to a hidden temporary file in the destination directory which replaces the destination only once complete, so
a failed write leaves any existing file untouched and no partial file behind.

Units on disk follow DarkBeam's internal units (GeV, cm; HepMC3 stores times as c·t in cm).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from ..errors import OutputError, UnknownNameError
from ..events import EventBatch

PathLike = str | os.PathLike[str]
Batches = Iterable[EventBatch] | EventBatch


def iter_batches(batches: Batches) -> Iterator[EventBatch]:
    """Iterate over ``batches``, accepting a single :class:`EventBatch` as a one-batch stream."""
    if isinstance(batches, EventBatch):
        yield batches
    else:
        yield from batches


@contextlib.contextmanager
def atomic_output(path: PathLike) -> Iterator[BinaryIO]:
    """Open a temporary file next to ``path`` for binary writing; on success fsync and rename it to ``path``.

    The temporary file (``.<name>.<random>.tmp`` in the same directory, so ``os.replace`` is atomic) is
    created exclusively with mode 0666 minus the umask, like a plain ``open``. On any exception inside the
    block, or a failure to create, flush or rename, the temporary file is removed and an :class:`OutputError`
    naming ``path`` is raised (chained to the cause); ``path`` itself is left as it was. ``BaseException`` s
    that are not ``Exception`` s (``KeyboardInterrupt``) also remove the temporary file but propagate
    unchanged.
    """
    target = Path(os.fspath(path))
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise OutputError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from exc
    try:
        with open(fd, "wb", buffering=1 << 20) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except Exception as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {str(target)!r}: {exc}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


# Imported after the helpers above: the format modules use them (``from . import atomic_output``).
from .hepmc3 import read_hepmc3, write_hepmc3  # noqa: E402
from .parquet import read_parquet, write_parquet  # noqa: E402

Writer = Callable[..., int]
Reader = Callable[[PathLike], EventBatch]

#: file extension (lower case) → (writer, reader)
FORMATS: Mapping[str, tuple[Writer, Reader]] = {
    ".hepmc3": (write_hepmc3, read_hepmc3),
    ".hepmc": (write_hepmc3, read_hepmc3),
    ".parquet": (write_parquet, read_parquet),
}


def _format_for(path: PathLike) -> tuple[Writer, Reader]:
    suffix = Path(os.fspath(path)).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        raise UnknownNameError("event file extension", suffix or str(path), FORMATS) from None


def write_events(batches: Batches, path: PathLike, provenance: Mapping[str, str] | None = None) -> int:
    """Write events to ``path`` in the format given by its extension; returns the number of events written.

    Raises :class:`UnknownNameError` (listing the allowed extensions) for an unknown extension and
    :class:`OutputError` if the file cannot be written.
    """
    writer, _ = _format_for(path)
    return writer(batches, path, provenance=provenance)


def read_events(path: PathLike) -> EventBatch:
    """Read a whole event file written by :func:`write_events` (format from the extension) into one batch."""
    _, reader = _format_for(path)
    return reader(path)


__all__ = [
    "FORMATS",
    "atomic_output",
    "iter_batches",
    "read_events",
    "read_hepmc3",
    "read_parquet",
    "write_events",
    "write_hepmc3",
    "write_parquet",
]

"""EventBatch: jagged final-state particles with vertices, times, weights and provenance.

Particles of all events are stored flat, one row per particle, with ``offsets`` marking where each event starts
(event ``i`` owns rows ``offsets[i]:offsets[i+1]``). Every row carries the particle's PDG id, HepMC status
(4 incoming parent, 2 decayed, 1 final state), four-momentum ``(px, py, pz, E)`` [GeV], production vertex
``(x, y, z)`` [cm] and time [ns] and the row index of its mother *within the event* (−1 for none). The end vertex
of a decayed particle is the production vertex of its daughters.

An event's ``weight`` is its expected number of events for the run's POT (Σ weight = expected count, design
contract "Weights"); ``weight_variations`` holds named alternative weights (systematics) with the same meaning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .errors import ConfigError
from .kinematics import invariant_mass

STATUS_FINAL, STATUS_DECAYED, STATUS_INCOMING = 1, 2, 4


@dataclass(frozen=True)
class EventBatch:
    """A batch of events in columnar form (see module docstring for the layout and units)."""

    offsets: NDArray[np.int64]
    pdg: NDArray[np.int64]
    status: NDArray[np.int32]
    momentum: NDArray[np.float64]
    vertex: NDArray[np.float64]
    time: NDArray[np.float64]
    parent: NDArray[np.int64]
    weight: NDArray[np.float64]
    weight_variations: Mapping[str, NDArray[np.float64]] = field(default_factory=dict)
    provenance: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n_rows = int(self.offsets[-1]) if len(self.offsets) else 0
        n_events = len(self.offsets) - 1
        checks = {
            "pdg": (self.pdg.shape, (n_rows,)),
            "status": (self.status.shape, (n_rows,)),
            "momentum": (self.momentum.shape, (n_rows, 4)),
            "vertex": (self.vertex.shape, (n_rows, 3)),
            "time": (self.time.shape, (n_rows,)),
            "parent": (self.parent.shape, (n_rows,)),
            "weight": (self.weight.shape, (n_events,)),
        }
        checks.update({f"weight_variations[{k!r}]": (v.shape, (n_events,)) for k, v in self.weight_variations.items()})
        for name, (got, want) in checks.items():
            if got != want:
                raise ConfigError(f"EventBatch.{name} has shape {got}; expected {want}")
        if len(self.offsets) == 0 or self.offsets[0] != 0 or np.any(np.diff(self.offsets) < 0):
            raise ConfigError("EventBatch.offsets must start at 0 and never decrease")
        if n_rows:
            size = np.repeat(np.diff(self.offsets), np.diff(self.offsets))
            if np.any((self.parent < -1) | (self.parent >= size)):
                raise ConfigError("EventBatch.parent must be -1 or a row index within the particle's own event")

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_fixed(
        cls,
        pdg: NDArray[np.int64],
        status: NDArray[np.int32],
        momentum: NDArray[np.float64],
        vertex: NDArray[np.float64],
        time: NDArray[np.float64],
        parent: NDArray[np.int64],
        weight: NDArray[np.float64],
        weight_variations: Mapping[str, NDArray[np.float64]] | None = None,
        provenance: Mapping[str, str] | None = None,
    ) -> EventBatch:
        """Build from events that all have the same ``k`` particles: arrays of shape (n, k[, 4 or 3]).

        ``pdg``, ``status`` and ``parent`` may also be given with shape (k,), shared by every event.
        """
        n, k = momentum.shape[:2]

        def rows(a: NDArray[np.generic], dtype: type) -> NDArray[np.generic]:
            a = np.asarray(a)
            return np.broadcast_to(a, (n, k)).reshape(-1).astype(dtype)

        return cls(
            offsets=np.arange(n + 1, dtype=np.int64) * k,
            pdg=rows(pdg, np.int64),  # type: ignore[arg-type]
            status=rows(status, np.int32),  # type: ignore[arg-type]
            momentum=momentum.reshape(n * k, 4).astype(float),
            vertex=vertex.reshape(n * k, 3).astype(float),
            time=time.reshape(n * k).astype(float),
            parent=rows(parent, np.int64),  # type: ignore[arg-type]
            weight=np.asarray(weight, dtype=float),
            weight_variations=dict(weight_variations or {}),
            provenance=dict(provenance or {}),
        )

    @classmethod
    def empty(cls, provenance: Mapping[str, str] | None = None) -> EventBatch:
        """A batch with no events."""
        return cls(
            offsets=np.zeros(1, np.int64),
            pdg=np.zeros(0, np.int64),
            status=np.zeros(0, np.int32),
            momentum=np.zeros((0, 4)),
            vertex=np.zeros((0, 3)),
            time=np.zeros(0),
            parent=np.zeros(0, np.int64),
            weight=np.zeros(0),
            provenance=dict(provenance or {}),
        )

    @classmethod
    def concatenate(cls, batches: Sequence[EventBatch]) -> EventBatch:
        """Join batches (same provenance and weight-variation names) into one."""
        if not batches:
            raise ConfigError("EventBatch.concatenate needs at least one batch")
        shifts = np.cumsum([0] + [int(b.offsets[-1]) for b in batches[:-1]])
        offsets = np.concatenate(
            [batches[0].offsets[:1]] + [b.offsets[1:] + s for b, s in zip(batches, shifts, strict=False)]
        )
        names = batches[0].weight_variations.keys()
        return cls(
            offsets=offsets.astype(np.int64),
            pdg=np.concatenate([b.pdg for b in batches]),
            status=np.concatenate([b.status for b in batches]),
            momentum=np.concatenate([b.momentum for b in batches]),
            vertex=np.concatenate([b.vertex for b in batches]),
            time=np.concatenate([b.time for b in batches]),
            parent=np.concatenate([b.parent for b in batches]),
            weight=np.concatenate([b.weight for b in batches]),
            weight_variations={k: np.concatenate([b.weight_variations[k] for b in batches]) for k in names},
            provenance=batches[0].provenance,
        )

    # ------------------------------------------------------------------ access
    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def n_particles(self) -> NDArray[np.int64]:
        """Number of particles in each event."""
        return np.diff(self.offsets)

    @property
    def event_index(self) -> NDArray[np.int64]:
        """For each particle row, the index of its event."""
        return np.repeat(np.arange(len(self), dtype=np.int64), self.n_particles)

    @property
    def mass(self) -> NDArray[np.float64]:
        """Invariant mass of each particle row [GeV]."""
        return invariant_mass(self.momentum)

    @property
    def expected_events(self) -> float:
        """Σ weight: the expected number of events for the run's POT."""
        return float(np.sum(self.weight))

    def select(self, mask: NDArray[np.bool_]) -> EventBatch:
        """The events where ``mask`` (one bool per event) is true."""
        mask = np.asarray(mask, dtype=bool)
        rows = np.repeat(mask, self.n_particles)
        counts = self.n_particles[mask]
        return EventBatch(
            offsets=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            pdg=self.pdg[rows],
            status=self.status[rows],
            momentum=self.momentum[rows],
            vertex=self.vertex[rows],
            time=self.time[rows],
            parent=self.parent[rows],
            weight=self.weight[mask],
            weight_variations={k: v[mask] for k, v in self.weight_variations.items()},
            provenance=self.provenance,
        )

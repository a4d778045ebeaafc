"""The model interface every portal implements, and the model registry.

A model is one dark particle of fixed mass with its couplings. Rates scale with a single *scan coupling* g
(``coupling_name``): every production branching ratio and every partial width is proportional to
``g**coupling_power`` (2 for a mixing angle such as sin θ or ε, 1 for a squared mixing such as |U_μ4|²), with the
ratios among channels fixed. That is what makes the (mass × coupling) scan a pure reweighting (design contract
"Reweighting").
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self, TypeVar

import numpy as np
from numpy.typing import NDArray

from ..errors import ConfigError, UnknownNameError
from ..units import HBARC


@dataclass(frozen=True)
class DecayChannel:
    """A decay mode: its name (e.g. ``"e+e-"``) and daughter PDG ids in a fixed order."""

    name: str
    daughters: tuple[int, ...]
    visible: bool = True


@dataclass(frozen=True)
class ThreeBodyMatrixElement:
    """Spin-averaged |M|² of a three-body decay parent → 1 2 3 as a function of the Dalitz invariants
    (m12², m23²) = ((p1 + p2)², (p2 + p3)²) [GeV², arrays], for unweighting final states
    (:func:`darkbeam.kinematics.three_body_decay`).

    Daughters 1, 2, 3 are in the channel's order: :attr:`DecayChannel.daughters` for decays, (dark particle,
    companion 1, companion 2) for production channels. ``maximum`` bounds |M|² over the Dalitz region of a parent
    of mass ``parent_mass`` [GeV] and daughters ``masses`` [GeV] (the accept–reject envelope; computed once per
    mass and channel by the model). The normalisation is the model's to state (only the shape matters here).
    """

    function: Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.float64]]
    maximum: float
    parent_mass: float
    masses: tuple[float, float, float]

    def __call__(self, s12: NDArray[np.float64], s23: NDArray[np.float64]) -> NDArray[np.float64]:
        return self.function(s12, s23)


CascadeSampler = Callable[[NDArray[np.float64], np.random.Generator], tuple[NDArray[np.float64], NDArray[np.float64]]]
"""Kinematics of a production channel that is a decay chain (e.g. D_s⁺ → τ⁺ ν_τ, τ⁺ → N̄ π⁺): called with the parents'
four-momenta (n, 4) [GeV] and a generator, returns the dark particle's four-momenta (n, 4) [GeV] in the same frame and
delays (n,) [ns] to add to the production time (the intermediate's flight time; its flight length is neglected).
See :meth:`DarkModel.production_cascade`."""


@dataclass(frozen=True)
class ProductionChannel:
    """A production mode ``parent → dark + companions`` (e.g. K+ → π+ S: parent 321, companions (211,)).

    ``dark_antiparticle``: the declared mode makes the dark particle's antiparticle (e.g. τ⁺ → N̄ π⁺ with the
    parent τ⁺); it matters only for a particle that is not its own antiparticle (a Dirac HNL)."""

    parent: int
    name: str
    companions: tuple[int, ...]
    dark_antiparticle: bool = False


class DarkModel(ABC):
    """Base class of all portals (see module docstring for the coupling convention).

    Subclasses set the class attributes and implement :meth:`partial_widths`,
    :meth:`production_branching_ratios`, :meth:`decay_channels`, :meth:`production_channels`,
    :meth:`with_coupling` and the ``coupling`` property.
    """

    name: ClassVar[str]
    pdg_id: ClassVar[int]
    coupling_name: ClassVar[str]
    coupling_power: ClassVar[int]
    mass: float

    @property
    @abstractmethod
    def coupling(self) -> float:
        """Current value of the scan coupling."""

    @abstractmethod
    def with_coupling(self, value: float) -> Self:
        """The same model with the scan coupling set to ``value`` (other ratios unchanged)."""

    @abstractmethod
    def partial_widths(self) -> dict[str, float]:
        """Partial decay widths [GeV], keyed by channel name; closed channels are omitted."""

    @abstractmethod
    def decay_channels(self) -> dict[str, DecayChannel]:
        """Open decay channels with their daughters, keyed as in :meth:`partial_widths`."""

    @abstractmethod
    def production_channels(self) -> list[ProductionChannel]:
        """Open production channels."""

    @abstractmethod
    def production_branching_ratios(self) -> dict[int, dict[str, float]]:
        """Branching ratio of each production channel: ``{parent PDG id: {channel name: BR}}``."""

    def parameters(self) -> dict[str, Any]:
        """Couplings and switches that define the model (for JSON output and provenance)."""
        return {self.coupling_name: self.coupling}

    # ---------------------------------------------------------------- derived
    def total_width(self) -> float:
        """Total decay width Γ [GeV] (sum of all open channels)."""
        return float(sum(self.partial_widths().values()))

    def ctau(self) -> float:
        """Proper decay length cτ = ħc/Γ [cm]."""
        width = self.total_width()
        return float("inf") if width == 0 else HBARC / width

    def branching_ratios(self) -> dict[str, float]:
        """Decay branching ratios (sum to 1 where any channel is open)."""
        widths = self.partial_widths()
        total = sum(widths.values())
        return {k: (v / total if total > 0 else 0.0) for k, v in widths.items()}

    @property
    def self_conjugate(self) -> bool:
        """True if the dark particle is its own antiparticle (scalars, vectors, Majorana fermions)."""
        return True

    def production_for(self, parent: int) -> list[tuple[ProductionChannel, float, bool]]:
        """Open production channels of ``parent`` with their branching ratios, as ``(channel, BR, conjugated)``.

        Channels are declared for one charge state (e.g. K⁺ → μ⁺ N); the CP-conjugate parent (K⁻) uses the same
        branching ratio (CP symmetry) with the channel as declared and ``conjugated = True``: its companions and,
        unless :attr:`self_conjugate`, the dark particle are the antiparticles.
        """
        from .. import pdg

        for source, conjugated in ((parent, False), (pdg.conjugate(parent), True)):
            brs = self.production_branching_ratios().get(source, {})
            found = [(c, brs[c.name], conjugated) for c in self.production_channels() if c.parent == source]
            found = [item for item in found if item[1] > 0]
            if found:
                return found
            if source == pdg.conjugate(parent):
                break
        return []

    def polarisation_from(self, channel: ProductionChannel) -> float:
        """Longitudinal polarisation (along its momentum, in the parent rest frame) of the dark particle made in
        ``channel``; 0 (unpolarised) unless the model says otherwise."""
        return 0.0

    def decay_cos_theta(
        self, channel: str, polarisation: NDArray[np.float64], rng: np.random.Generator
    ) -> NDArray[np.float64] | None:
        """cos θ of the first daughter of ``channel`` relative to the spin axis in the rest frame, for particles
        of the given polarisations; ``None`` where the decay is isotropic (the default)."""
        return None

    def decay_matrix_element(self, channel: str) -> ThreeBodyMatrixElement | None:
        """|M|² over the Dalitz plane of the three-body decay ``channel`` (a key of :meth:`decay_channels`) for
        its final-state kinematics; ``None`` (the default) means flat phase space."""
        return None

    def production_matrix_element(self, channel: ProductionChannel) -> ThreeBodyMatrixElement | None:
        """|M|² over the Dalitz plane of the three-body production ``channel`` (daughters: the dark particle, then
        the two companions); ``None`` (the default) means flat phase space."""
        return None

    def production_cascade(self, channel: ProductionChannel) -> CascadeSampler | None:
        """Sampler of the dark particle's kinematics when ``channel`` is a decay chain through an intermediate
        particle rather than a direct decay of the parent (its companions then only label the channel); ``None``
        (the default) means ``channel`` is a direct two- or three-body decay."""
        return None

    def coupling_scale(self, coupling: float) -> float:
        """Factor by which every rate changes going from the current coupling to ``coupling``."""
        return float((coupling / self.coupling) ** self.coupling_power)


M = TypeVar("M", bound=type[DarkModel])


class ModelRegistry(Mapping[str, type[DarkModel]]):
    """Name → model class. Add your own with :meth:`register` (or the decorator :func:`register_model`)."""

    def __init__(self) -> None:
        self._models: dict[str, type[DarkModel]] = {}
        self._aliases: dict[str, str] = {}

    def register(self, cls: M) -> M:
        if cls.name in self._models and self._models[cls.name] is not cls:
            raise ConfigError(f"a model named {cls.name!r} is already registered")
        self._models[cls.name] = cls
        return cls

    def alias(self, alias: str, name: str) -> None:
        """Let ``alias`` look up the registered model ``name`` (aliases are not listed)."""
        self._aliases[alias] = self[name].name

    def __getitem__(self, name: str) -> type[DarkModel]:
        try:
            return self._models[self._aliases.get(name, name)]
        except KeyError:
            raise UnknownNameError("model", name, self._models) from None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._models)

    def __len__(self) -> int:
        return len(self._models)


MODELS = ModelRegistry()


def register_model(cls: M) -> M:
    """Class decorator adding a model to :data:`MODELS`."""
    return MODELS.register(cls)

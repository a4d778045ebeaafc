"""Meson spectra from DarkBeam's shipped Pythia 8 tables: a :class:`~darkbeam.production.HadronSource`.

The tables (``darkbeam/data/mesons/*.npz``, made by ``scripts/make_meson_tables.py``; origin and settings in that
folder's README and in each file's JSON header) hold, per species, the number of hadrons produced per inelastic
proton–target collision in 2-D bins of (log10 p/GeV, θ) in the lab frame (θ to the beam axis). Pythia itself is
never imported here.

Normalisation: the table gives multiplicities **per inelastic interaction**. :class:`TabulatedHadronSource` turns
them into hadrons per POT by multiplying with ``interactions_per_pot`` — either given directly (the beam
catalogue's number) or computed as P_int = 1 − exp(−L/λ_I) from a target length L and nuclear interaction length
λ_I (PDG, "Atomic and nuclear properties of materials"; re-interactions of secondaries in a thick target are not
modelled by the tables). The default, 1, means "per interaction". Use λ_I consistent with the table's
collisions (Angantyr's σ_gen ≈ σ_inel, :attr:`MesonTable.sigma_gen_mb`): PDG's λ_I for graphite, 85.8 g/cm²,
corresponds to 232 mb, nearer NA61's σ_prod (227 mb) than its σ_inel (251 mb) at 120 GeV/c; with PDG's λ_I the
per-POT yields would be low by up to ~8 % (less in practice: quasi-elastic collisions make few mesons).

Heavy flavour: open-charm and open-beauty tables (``p400_Mo_charm``, ``p400_Cu_beauty``, ``p120_C_charm``, ...;
``scripts/make_heavy_flavour_tables.py``) hold Pythia 8 kinematics of hard cc̄ / bb̄ pair creation, normalised to
*measured* pair cross sections per nucleon: their header carries ``multiplicity_scale`` = A σ(pN → QQ̄X) /
σ_inel(pA) (pairs per inelastic interaction, σ_inel the light table's σ_gen) and the table integral per event is
hadrons per pair, so :meth:`MesonTable.multiplicity` is again "per inelastic interaction" and the same
``interactions_per_pot`` applies. :meth:`TabulatedHadronSource.for_beam` merges the light-meson table of a beam and
target with its heavy-flavour companions (named ``<light table>_<content>``), so that e.g. the SPS Mo dump serves
D_s± (431) as well as π⁰. Cascade production of charm by secondary hadrons in thick targets is not included.

Sampling: a bin is drawn with probability ∝ its count; within it, log10 p is uniform (p log-uniform) and cos θ is
uniform (uniform in solid angle, which keeps dN/dθ ∝ θ in the small-angle bins); φ is uniform in [0, 2π). The
hadron is put on its PDG pole mass (ρ⁰, ω, φ widths are not sampled).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import ConfigError, UnknownNameError, check_positive
from ..pdg import mass as pdg_mass
from ..units import C_LIGHT
from .hadrons import HadronSample

__all__ = ["MesonTable", "TabulatedHadronSource", "available_tables", "interaction_probability", "load_table"]

_FORMAT = "darkbeam-meson-table"
#: species with fewer table entries than this are not offered for sampling (e.g. open charm, which Pythia's
#: soft-QCD events make ~10-100x too rarely and which is to be normalised to measured cross sections instead)
MIN_ENTRIES = 1000
_PACKAGE_DIR = ("data", "mesons")


@dataclass(frozen=True)
class MesonTable:
    """One production table: ``counts[pdg]`` is an (n_p, n_θ) int array of hadrons counted in ``n_events``
    inelastic collisions, binned in ``log10p_edges`` (log10 of lab momentum in GeV) × ``theta_edges`` [rad]."""

    name: str
    header: dict[str, Any]
    log10p_edges: NDArray[np.float64]
    theta_edges: NDArray[np.float64]
    counts: dict[int, NDArray[np.int64]]
    n_events: int
    _cdf: dict[int, NDArray[np.float64]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def p_lab(self) -> float:
        """Beam proton momentum [GeV/c]."""
        return float(self.header["beam"]["p_lab_gev"])

    @property
    def target(self) -> str:
        """Target name (``'C'``, ``'Cu'``, ...)."""
        return str(self.header["target"]["name"])

    @property
    def sigma_gen_mb(self) -> float:
        """The generator's cross section for the collisions the table counts [mb] (Angantyr: ≈ σ_inel, e.g.
        249.8 mb for p+C at 120 GeV/c vs NA61/SHINE σ_inel = 251.3 mb, PRD 100 (2019) 112001). The interaction
        length consistent with the table's per-collision normalisation is λ = A / (N_A ρ σ_gen)."""
        return float(self.header["sigma_gen_mb"])

    @property
    def species(self) -> tuple[int, ...]:
        """PDG ids with at least :data:`MIN_ENTRIES` entries in the table (the ones that can be sampled)."""
        return tuple(pid for pid, c in self.counts.items() if int(c.sum()) >= MIN_ENTRIES)

    @property
    def content(self) -> str:
        """``'light'`` for the minimum-bias meson tables, ``'charm'`` / ``'beauty'`` for heavy-flavour tables."""
        return str(self.header.get("content", "light"))

    @property
    def multiplicity_scale(self) -> float:
        """Factor from "per generated event" to "per inelastic interaction": 1 for the light tables; for a
        heavy-flavour table, A σ(pN → QQ̄X) / σ_inel(pA) (pairs per interaction; see the module docstring)."""
        return float(self.header.get("multiplicity_scale", 1.0))

    def multiplicity(self, pdg: int) -> float:
        """Hadrons of ``pdg`` per inelastic interaction (table integral / number of generated events ×
        :attr:`multiplicity_scale`)."""
        return float(self._counts(pdg).sum()) / self.n_events * self.multiplicity_scale

    def density(self, pdg: int) -> NDArray[np.float64]:
        """d²N/(d log10 p dθ) per interaction [rad⁻¹], shape (n_p, n_θ)."""
        width = np.outer(np.diff(self.log10p_edges), np.diff(self.theta_edges))
        return self._counts(pdg) * self.multiplicity_scale / (self.n_events * width)

    def _counts(self, pdg: int) -> NDArray[np.int64]:
        if pdg not in self.counts or int(self.counts[pdg].sum()) < MIN_ENTRIES:
            n = int(self.counts[pdg].sum()) if pdg in self.counts else 0
            raise UnknownNameError(
                f"species (PDG id) in meson table {self.name!r} (it has {n} entries for it; "
                f"at least {MIN_ENTRIES} needed)",
                str(pdg),
                [str(s) for s in self.species],
            )
        return self.counts[pdg]

    def cdf(self, pdg: int) -> NDArray[np.float64]:
        """Cumulative bin probabilities (flattened, row-major over (p, θ)), ending at exactly 1."""
        if pdg not in self._cdf:
            c = np.cumsum(self._counts(pdg).ravel().astype(np.float64))
            self._cdf[pdg] = c / c[-1]
        return self._cdf[pdg]


#: Relative beam-momentum mismatch accepted when picking a table for a beam: 5 %, so that the 30 GeV/c table serves
#: J-PARC's 30 GeV (kinetic) protons, 30.92 GeV/c; meson multiplicities change by ~1 % per 3 % in √s at 30 GeV.
P_LAB_TOLERANCE = 0.05


def _mesons_dir() -> Any:
    return resources.files("darkbeam").joinpath(*_PACKAGE_DIR)


def available_tables() -> tuple[str, ...]:
    """Names of the shipped tables, e.g. ``('p120_C', 'p30_C', 'p400_Cu')`` (beam momentum in GeV/c, target)."""
    root = _mesons_dir()
    return tuple(sorted(p.name[:-4] for p in root.iterdir() if p.name.endswith(".npz")))


def load_table(name_or_path: str | Path) -> MesonTable:
    """Load a shipped table by name (see :func:`available_tables`) or a table file written by
    ``scripts/make_meson_tables.py`` by path. Raises :class:`UnknownNameError` for an unknown name and
    :class:`ConfigError` for a file that is missing or not a DarkBeam meson table."""
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or text.endswith(".npz"):
        path = Path(name_or_path)
        if not path.is_file():
            raise ConfigError(f"meson table file {text!r} does not exist")
        return _read(path.stem, path.read_bytes(), text)
    return _load_shipped(text)


@cache
def _load_shipped(name: str) -> MesonTable:
    names = available_tables()
    if name not in names:
        raise UnknownNameError("meson table", name, names)
    return _read(name, _mesons_dir().joinpath(f"{name}.npz").read_bytes(), name)


def _read(name: str, data: bytes, where: str) -> MesonTable:
    import io
    import zipfile

    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            header = json.loads(str(npz["header"]))
            lp = np.asarray(npz["log10p_edges"], dtype=np.float64)
            th = np.asarray(npz["theta_edges"], dtype=np.float64)
            counts = {
                int(k[len("counts_") :]): np.asarray(npz[k], dtype=np.int64)
                for k in npz.files
                if k.startswith("counts_")
            }
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as err:
        raise ConfigError(f"meson table {where!r} is not a readable DarkBeam meson table (.npz): {err}") from err
    if not isinstance(header, dict) or header.get("format") != _FORMAT:
        raise ConfigError(f"meson table {where!r}: header 'format' must be {_FORMAT!r}")
    n_events = int(header.get("n_events", 0))
    if n_events <= 0:
        raise ConfigError(f"meson table {where!r}: header n_events = {n_events}; it must be > 0")
    scale = header.get("multiplicity_scale", 1.0)
    if not isinstance(scale, (int, float)) or not math.isfinite(scale) or scale <= 0:
        raise ConfigError(f"meson table {where!r}: header multiplicity_scale = {scale!r}; it must be a number > 0")
    shape = (len(lp) - 1, len(th) - 1)
    if np.any(np.diff(lp) <= 0) or np.any(np.diff(th) <= 0) or th[0] < 0 or th[-1] > math.pi + 1e-12:
        raise ConfigError(f"meson table {where!r}: bin edges must increase and theta lie in [0, pi]")
    for pid, c in counts.items():
        if c.shape != shape or np.any(c < 0):
            raise ConfigError(
                f"meson table {where!r}: counts_{pid} has shape {c.shape} (expected {shape}) or negative entries"
            )
    return MesonTable(name, header, lp, th, counts, n_events)


def interaction_probability(length_cm: float, interaction_length_cm: float) -> float:
    """Probability that a beam proton interacts in a target of length L [cm] with nuclear interaction length
    λ_I [cm]: P = 1 − exp(−L/λ_I) (exponential attenuation; PDG RPP 2024, "Passage of particles through
    matter", nuclear interaction length)."""
    L = check_positive("target length [cm]", length_cm)
    lam = check_positive("nuclear interaction length [cm]", interaction_length_cm)
    return -math.expm1(-L / lam)


class TabulatedHadronSource:
    """:class:`~darkbeam.production.HadronSource` backed by a shipped (or user-made) Pythia meson table.

    Parameters
    ----------
    table:
        table name (``available_tables()``), a path to a ``.npz`` table, or a :class:`MesonTable`.
    extra_tables:
        further tables for the same beam and target (e.g. the heavy-flavour companions ``p400_Mo_charm``,
        ``p400_Mo_beauty``). A species offered by several tables is served by a heavy-flavour table
        (content ``'charm'``/``'beauty'``, normalised to measured cross sections) before a light one, and otherwise
        by the first in the order ``table``, ``extra_tables``.
    interactions_per_pot:
        inelastic interactions per proton on target; multiplies every multiplicity. Default 1 (per interaction).
    target_length, interaction_length:
        alternatively, target length L and nuclear interaction length λ_I [cm]; then
        ``interactions_per_pot`` = 1 − exp(−L/λ_I) and the production vertices are drawn along the beam axis
        (z ∈ [0, L], exponential with λ_I, truncated), time z/c [ns]. Otherwise every vertex is (0, 0, 0), t = 0.
    """

    def __init__(
        self,
        table: str | Path | MesonTable = "p120_C",
        *,
        extra_tables: tuple[str | Path | MesonTable, ...] = (),
        interactions_per_pot: float | None = None,
        target_length: float | None = None,
        interaction_length: float | None = None,
    ) -> None:
        self.table = table if isinstance(table, MesonTable) else load_table(table)
        extras = tuple(t if isinstance(t, MesonTable) else load_table(t) for t in extra_tables)
        self.tables: tuple[MesonTable, ...] = (self.table, *extras)
        for t in extras:
            if abs(t.p_lab - self.table.p_lab) > 1e-6 * self.table.p_lab or t.target != self.table.target:
                raise ConfigError(
                    f"extra meson table {t.name!r} is for {t.p_lab:g} GeV on {t.target}; it must match the main "
                    f"table {self.table.name!r} ({self.table.p_lab:g} GeV on {self.table.target})"
                )
        self._by_species: dict[int, MesonTable] = {}
        ranked = sorted(self.tables, key=lambda t: t.content == "light")  # heavy-flavour first (stable sort)
        for t in ranked:
            for pid in t.species:
                self._by_species.setdefault(pid, t)
        if (target_length is None) != (interaction_length is None):
            raise ConfigError("target_length and interaction_length must be given together (both in cm)")
        self._length: float | None = None
        self._lambda: float | None = None
        if target_length is not None and interaction_length is not None:
            if interactions_per_pot is not None:
                raise ConfigError("give either interactions_per_pot or (target_length, interaction_length), not both")
            self._length = check_positive("target_length [cm]", target_length)
            self._lambda = check_positive("interaction_length [cm]", interaction_length)
            self.interactions_per_pot = interaction_probability(self._length, self._lambda)
        elif interactions_per_pot is None:
            self.interactions_per_pot = 1.0
        else:
            v = check_positive("interactions_per_pot", interactions_per_pot)
            if v > 1.0:
                raise ConfigError(f"interactions_per_pot = {v!r} is not allowed; it must be in (0, 1]")
            self.interactions_per_pot = v

    @classmethod
    def for_beam(cls, p_lab: float, target: str, **kwargs: Any) -> TabulatedHadronSource:
        """The shipped light-meson table for a beam momentum ``p_lab`` [GeV/c] (within :data:`P_LAB_TOLERANCE`) on
        ``target``, merged with its shipped heavy-flavour companions (same beam and target; see module docstring)."""
        offers = []
        light: MesonTable | None = None
        heavy: list[MesonTable] = []
        for name in available_tables():
            t = load_table(name)
            if t.content == "light":
                offers.append(f"{t.p_lab:g} GeV on {t.target}")
            if abs(t.p_lab - p_lab) <= P_LAB_TOLERANCE * p_lab and t.target.lower() == target.lower():
                if t.content == "light":
                    light = light or t
                else:
                    heavy.append(t)
        if light is None:
            raise UnknownNameError("meson table (beam momentum, target)", f"{p_lab:g} GeV on {target}", offers)
        heavy = [t for t in heavy if t.p_lab == light.p_lab]
        return cls(light, extra_tables=tuple(heavy), **kwargs)

    @property
    def species(self) -> tuple[int, ...]:
        """PDG ids this source can sample (from all its tables, in table order)."""
        return tuple(pid for t in self.tables for pid in t.species if self._by_species[pid] is t)

    def table_for(self, pdg: int) -> MesonTable:
        """The table that serves species ``pdg`` (raises :class:`UnknownNameError` if none offers it)."""
        t = self._by_species.get(pdg)
        if t is None:
            n = int(self.table.counts[pdg].sum()) if pdg in self.table.counts else 0
            raise UnknownNameError(
                f"species (PDG id) in meson tables {[u.name for u in self.tables]} (the main table has {n} "
                f"entries for it; at least {MIN_ENTRIES} needed)",
                str(pdg),
                [str(x) for x in self.species],
            )
        return t

    def multiplicity(self, pdg: int) -> float:
        """Hadrons of species ``pdg`` per POT (per interaction × ``interactions_per_pot``)."""
        return self.table_for(pdg).multiplicity(pdg) * self.interactions_per_pot

    def sample_kinematics(
        self, pdg: int, n: int, rng: np.random.Generator
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """``n`` draws of (p [GeV], θ [rad], φ [rad]) from the table (see module docstring)."""
        if not isinstance(n, (int, np.integer)) or n < 0:
            raise ConfigError(f"n = {n!r} is not allowed; it must be a non-negative integer")
        t = self.table_for(pdg)
        cdf = t.cdf(pdg)
        n_th = len(t.theta_edges) - 1
        flat = np.searchsorted(cdf, rng.random(n), side="right")
        flat = np.minimum(flat, cdf.size - 1)
        ip, it = np.divmod(flat, n_th)
        u = rng.random((3, n))
        lp = t.log10p_edges[ip] + u[0] * (t.log10p_edges[ip + 1] - t.log10p_edges[ip])
        p = np.power(10.0, lp)
        c_lo, c_hi = np.cos(t.theta_edges[it + 1]), np.cos(t.theta_edges[it])
        theta = np.arccos(np.clip(c_lo + u[1] * (c_hi - c_lo), -1.0, 1.0))
        phi = 2.0 * math.pi * u[2]
        return p, theta, phi

    def sample(self, pdg: int, n: int, rng: np.random.Generator) -> HadronSample:
        """``n`` hadrons of species ``pdg``, four-momenta [GeV] along the beam axis +z; Σ weight =
        :meth:`multiplicity` (hadrons per POT)."""
        p, theta, phi = self.sample_kinematics(pdg, n, rng)
        m = pdg_mass(pdg)
        st = np.sin(theta)
        mom = np.empty((n, 4))  # (px, py, pz, E), DarkBeam's four-vector order
        mom[:, 0] = p * st * np.cos(phi)
        mom[:, 1] = p * st * np.sin(phi)
        mom[:, 2] = p * np.cos(theta)
        mom[:, 3] = np.sqrt(p * p + m * m)
        vertex = np.zeros((n, 3))
        time = np.zeros(n)
        if self._length is not None and self._lambda is not None:
            # truncated exponential on [0, L]: z = -λ ln(1 - u (1 - e^{-L/λ}))
            z = -self._lambda * np.log1p(-rng.random(n) * self.interactions_per_pot)
            vertex[:, 2] = z
            time = z / C_LIGHT
        weight = np.full(n, self.multiplicity(pdg) / n if n else 0.0)
        return HadronSample(pdg, mom, vertex, time, weight)

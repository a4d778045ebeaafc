"""A user adds a model and a source without touching DarkBeam's core."""

from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np
import pytest

import darkbeam as db
from darkbeam import pdg
from darkbeam.errors import UnknownNameError
from darkbeam.models import MODELS, DarkModel, DecayChannel, ProductionChannel
from darkbeam.production import DecayAtRestSource


@dataclass(frozen=True)
class ToyScalar(DarkModel):
    """A scalar made in K⁺ → π⁺ X with BR = 1e-3 g², decaying to e⁺e⁻ with Γ = 1e-12 g² GeV."""

    name: ClassVar[str] = "toy_scalar_for_tests"
    pdg_id: ClassVar[int] = 9900099
    coupling_name: ClassVar[str] = "g"
    coupling_power: ClassVar[int] = 2
    mass: float
    g: float = 1.0

    @property
    def coupling(self) -> float:
        return self.g

    def with_coupling(self, value: float) -> "ToyScalar":
        return replace(self, g=value)

    def partial_widths(self) -> dict[str, float]:
        return {"e+e-": 1e-12 * self.g**2}

    def decay_channels(self) -> dict[str, DecayChannel]:
        return {"e+e-": DecayChannel("e+e-", (11, -11))}

    def production_channels(self) -> list[ProductionChannel]:
        return [ProductionChannel(321, "K+ -> pi+ X", (211,))]

    def production_branching_ratios(self) -> dict[int, dict[str, float]]:
        return {321: {"K+ -> pi+ X": 1e-3 * self.g**2}}


def test_user_model_runs_through_the_scan():
    MODELS.register(ToyScalar)
    experiment = db.experiments.get("microboone_numi_absorber")
    # reuse the search's statistics; the toy decays to e+e- like the scalar
    spec = experiment.spec.model_copy(
        update={"search": experiment.spec.search.model_copy(update={"channels": {ToyScalar.name: ["e+e-"]}})}
    )
    toy_experiment = db.experiments.Experiment(spec)
    result = db.sensitivity(ToyScalar.name, {}, toy_experiment, [0.1], np.geomspace(1e-6, 1.0, 40), n_flux=2000)
    # long-lifetime limit: N ∝ g⁴ so the lower edge exists and the scan found it
    assert np.isfinite(result.lower[0])
    assert MODELS[ToyScalar.name] is ToyScalar


def test_unknown_model_lists_the_allowed_ones():
    with pytest.raises(UnknownNameError, match=r"allowed: .*scalar"):
        MODELS["no_such_model"]


def test_volume_source_spreads_decays_uniformly():
    source = DecayAtRestSource(321, 0.1, center=np.array([0.0, 0.0, 100.0]), half_lengths=np.array([10, 20, 30]))
    decays = source.sample(100_000, np.random.default_rng(1))
    assert decays.weight.sum() == pytest.approx(0.1)
    assert np.all(np.abs(decays.vertex - [0, 0, 100]) <= [10, 20, 30])
    # uniform in a box: variance of each coordinate is h²/3
    assert decays.vertex.var(axis=0) == pytest.approx(np.array([10, 20, 30]) ** 2 / 3, rel=0.02)
    # decay times: exponential with the K+ lifetime 12.38 ns (PDG 2024)
    assert decays.time.mean() == pytest.approx(pdg.lifetime(321), rel=0.02)
    assert pdg.lifetime(321) == pytest.approx(12.38, rel=1e-3)

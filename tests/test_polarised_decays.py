"""HNL polarisation carried from K⁺ → μ⁺ N to N → μ π in generated events (issue 4: Dirac vs Majorana)."""

import numpy as np
import pytest

import darkbeam as db
from darkbeam.kinematics import boost
from darkbeam.models.hnl_angular import analysing_power, polarisation_two_body

MASS = 0.3
EXPERIMENT = db.experiments.get("microboone_numi_absorber")


def lepton_cos_theta(events):
    """cos θ of the charged lepton in the N rest frame relative to N's flight direction (the spin axis)."""
    k = 5  # K+, N, mu+ (companion), mu, pi
    p = events.momentum.reshape(-1, k, 4)
    heavy, lepton = p[:, 1], p[:, 3]
    rest = boost(lepton, -heavy[:, :3] / heavy[:, 3:4])
    axis = heavy[:, :3] / np.linalg.norm(heavy[:, :3], axis=1, keepdims=True)
    return np.sum(rest[:, :3] * axis, axis=1) / np.linalg.norm(rest[:, :3], axis=1), events.pdg.reshape(-1, k)[:, 3]


@pytest.mark.parametrize("majorana", [False, True])
def test_lepton_angle_follows_polarisation(majorana):
    model = db.models.HNL(MASS, umu2=1e-6, majorana=majorana)
    events = db.simulate(model, EXPERIMENT, n=40_000, seed=5, channels=["mu- pi+", "mu+ pi-"], batch_size=200_000)
    cos_theta, lepton = lepton_cos_theta(events)
    weights = events.weight
    mean = np.average(cos_theta, weights=weights)
    error = np.sqrt(np.average((cos_theta - mean) ** 2, weights=weights) / len(cos_theta)) * 1.5  # weight spread
    polarisation = float(polarisation_two_body(MASS, 0.493677, 0.1056583755))
    alpha = float(analysing_power(MASS, 0.1056583755, 0.13957039))
    if majorana:
        # the two charge-conjugate channels have equal rates and opposite slopes: isotropic in sum
        assert abs(mean) < 4 * error
        assert np.sum(weights[lepton == 13]) == pytest.approx(np.sum(weights[lepton == -13]), rel=0.05)
    else:
        assert np.all(lepton == 13)  # Dirac N from K+ → μ+ N decays to μ- π+ only
        # dΓ/dcosθ ∝ 1 − αP cosθ  →  ⟨cosθ⟩ = −αP/3 (hnl_angular module docstring)
        assert abs(alpha * polarisation) > 0.3  # the test has power
        assert mean == pytest.approx(-alpha * polarisation / 3, abs=4 * error)


def test_conjugate_parents_make_antiparticles():
    """K⁻ → μ⁻ N̄ (CP conjugate of the declared K⁺ → μ⁺ N, same BR): a Dirac N̄ decays to μ⁺ π⁻ only."""
    from darkbeam.production import DecayAtRestSource, produce

    model = db.models.HNL(MASS, umu2=1e-6, majorana=False)
    channels = model.production_for(-321)
    assert channels
    assert all(conjugated for _, _, conjugated in channels)
    assert dict((c.name, br) for c, br, _ in channels) == dict((c.name, br) for c, br, _ in model.production_for(321))
    rng = np.random.default_rng(8)
    flux = produce(model, DecayAtRestSource(-321, 0.1, center=np.zeros(3)).sample(1000, rng), rng)
    assert flux.antiparticle is not None
    assert np.all(flux.antiparticle[flux.companion_pdg != 0])
    assert set(flux.companion_pdg[flux.companion_pdg != 0]) == {13}  # μ⁻ accompanies N̄ from K⁻
    assert db.models.HNL(MASS, umu2=1e-6, majorana=True).production_for(-321)  # Majorana: same channels
    assert (
        produce(
            db.models.HNL(MASS, umu2=1e-6), DecayAtRestSource(-321, 0.1, center=np.zeros(3)).sample(10, rng), rng
        ).antiparticle
        is None
    )


def test_dirac_antiparticle_decays_to_conjugate_channel():
    from darkbeam.geometry import Box
    from darkbeam.interactions import decay_events
    from darkbeam.pipeline import DETECTOR, with_detector
    from darkbeam.production import DecayAtRestSource, produce

    model = db.models.HNL(MASS, umu2=1e-6, majorana=False)
    box = Box(half_lengths=(100.0, 100.0, 100.0), center=(0.0, 0.0, 5000.0))
    rng = np.random.default_rng(9)
    flux = produce(
        model, DecayAtRestSource(-321, 0.1, center=np.zeros(3)).sample(20_000, rng), rng, aim=box.bounding_sphere()
    )
    events = decay_events(with_detector(flux, box), model, DETECTOR, ["mu- pi+"], 1e20, rng)
    rows = events.pdg.reshape(len(events), -1)
    assert len(events) > 100
    assert np.all(rows[:, 0] == -321)
    assert np.all(rows[:, 1] == -model.pdg_id)
    assert np.all(rows[:, 2] == 13)
    assert np.all(rows[:, 3] == -13)
    assert np.all(rows[:, 4] == -211)


@pytest.mark.parametrize("parent", [431, -431])
def test_lepton_number_of_the_hnl_from_tau_chains_and_muon_decay(parent):
    """Lepton number fixes N or N̄ per row: τ⁺ → N̄ π⁺ (U_τ) but τ⁺ → ν̄_τ ℓ⁺ N (U_ℓ); μ⁻ → e⁻ ν̄_e N (U_μ) but
    μ⁻ → ν_μ e⁻ N̄ (U_e). A Dirac flux must carry that label (it picks μ⁻π⁺ or μ⁺π⁻ at the decay); the CP-conjugate
    parent flips it."""
    from darkbeam.production import DecayAtRestSource, produce

    model = db.models.HNL(0.3, ue2=1e-6, utau2=1e-6, majorana=False)
    flags = {c.name: c.dark_antiparticle for c in model.production_channels() if c.parent == 431}
    assert flags["D_s+ -> nu_tau tau+(-> pi+ N)"]
    assert flags["D_s+ -> nu_tau tau+(-> e+ nu_e N)"]
    assert not flags["D_s+ -> nu_tau tau+(-> e+ nubar_tau N)"]
    assert not flags["D_s+ -> e+ N"]  # two-body D_s⁺ → e⁺ N: N
    light = db.models.HNL(0.05, ue2=1e-6, umu2=1e-6, majorana=False)
    muon = {c.name: c.dark_antiparticle for c in light.production_channels() if c.parent == 13}
    assert muon == {"mu- -> e- nubar_e N": False, "mu- -> nu_mu e- N": True}
    rng = np.random.default_rng(3)
    flux = produce(model, DecayAtRestSource(parent, 0.1, center=np.zeros(3)).sample(200, rng), rng)
    assert flux.antiparticle is not None
    names = [c.name for c, _, _ in model.production_for(parent)]
    per_channel = flux.antiparticle.reshape(len(names), -1)
    for name, anti in zip(names, per_channel, strict=True):
        assert np.all(anti == (flags[name] != (parent < 0))), name

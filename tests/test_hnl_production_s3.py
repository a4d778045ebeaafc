"""HNL production channels added in issue 4 session 3: D_s⁺ → η⁽′⁾ ℓ⁺ N, D_s⁺ → φ ℓ⁺ N, D⁺ → η⁽′⁾ ℓ⁺ N, D → ρ ℓ N,
D⁺ → ω ℓ⁺ N, and the two-body B_c⁺ → ℓ⁺ N with its parent source (darkbeam.models.hnl, data/mesons/p400_*_bc.npz).

References: [BBGR] Bondarenko, Boyarsky, Gorbunov, Ruchayskiy, JHEP 11 (2018) 032, arXiv:1805.08567, Sec. 2.1.1 and
App. C; [Shrock] PRD 24 (1981) 1232. Measured branching ratios: PDG 2024 (RPP, Phys. Rev. D 110 (2024) 030001) unless
stated; BESIII abstracts cited where used directly. The form factors are the cited fits of hnl.py (constants there);
tolerances are their stated uncertainties (see each case).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from darkbeam import experiments, pdg
from darkbeam.models.hnl import (
    D_ETA_Q_F_PLUS_0,
    DK_F_PLUS_0,
    DS_ETA_S_F_PLUS_0,
    ETA_CONTENT_D,
    ETA_CONTENT_DS,
    ETA_MIXING_ANGLE,
    F_BC,
    HNL,
    PRODUCTION_TABLE,
    V_CB,
    pole_vector_form_factors,
    vector_helicity,
    width_pseudoscalar_to_vector_lepton_hnl,
)
from darkbeam.production.dark import produce
from darkbeam.units import G_FERMI, HBAR, V_CD, V_CS

M_E, M_MU, M_TAU = pdg.mass(11), pdg.mass(13), pdg.mass(15)
GF2 = G_FERMI**2

#: (parent, channel, measured BR(P → X e⁺ν), relative tolerance). Ours (tree level, m_N → 0) in the comment.
SM_LIMITS = [
    # D_s⁺ → η e⁺ν 2.26 % (PDG 2024; BESIII 7.33 fb⁻¹: 2.255 ± 0.064 %). Normalisation f₊^η(0)|V_cs| from BESIII; the
    # single m_Ds* pole is softer than the measured shape: 12 % low. Tolerance 20 % (form-factor shape).
    (431, "D_s+ -> eta e+ N", 2.26e-2, 0.20),  # 1.995 %
    # D_s⁺ → η′ e⁺ν 0.80 % (PDG 2024; BESIII 0.810 ± 0.045 %): tests the mixing factor cos φ_P / sin φ_P as well.
    (431, "D_s+ -> eta' e+ N", 0.80e-2, 0.20),  # 0.802 %
    # D_s⁺ → φ e⁺ν 2.39 % (PDG 2024 as quoted in the issue; BESIII 2023, D_s*D_s* sample: 2.21 ± 0.19 %); BaBar fit
    (431, "D_s+ -> phi e+ N", 2.39e-2, 0.20),  # 2.62 %
    # D⁺ → η e⁺ν 1.11e-3 (PDG 2024; BESIII 20.3 fb⁻¹: 0.975e-3); normalisation f₊^η(0)|V_cd| = 0.087 (BESIII 2020)
    (411, "D+ -> eta e+ N", 1.11e-3, 0.20),  # 1.095e-3
    # D⁺ → η′ e⁺ν (2.0 ± 0.4)e-4 (PDG 2024): flavour-basis mixing from the D⁺ → η normalisation; 30 % (data ± 20 %)
    (411, "D+ -> eta' e+ N", 2.0e-4, 0.30),  # 1.72e-4
    # D⁰ → ρ⁻ e⁺ν 1.50e-3 (PDG 2024; BESIII PRL 122 (2019) 062001: 1.445e-3); CLEO-c single-pole form factors
    (421, "D0 -> rho- e+ N", 1.50e-3, 0.20),  # 1.58e-3
    # D⁺ → ρ⁰ e⁺ν 1.860e-3 ± 0.094e-3 (BESIII PRL 122 (2019) 062001)
    (411, "D+ -> rho0 e+ N", 1.86e-3, 0.20),  # 2.03e-3
    # D⁺ → ω e⁺ν 1.69e-3 (PDG 2024): D → ρ form factors with ideal ω–φ mixing; 25 % (SU(2)/ideal-mixing assumption)
    (411, "D+ -> omega e+ N", 1.69e-3, 0.25),  # 1.97e-3
]

NEW_CHANNELS = [  # (parent, daughter, name stem)
    (431, 221, "D_s+ -> eta"),
    (431, 331, "D_s+ -> eta'"),
    (431, 333, "D_s+ -> phi"),
    (411, 221, "D+ -> eta"),
    (411, 331, "D+ -> eta'"),
    (421, -213, "D0 -> rho-"),
    (411, 113, "D+ -> rho0"),
    (411, 223, "D+ -> omega"),
]


@pytest.fixture(scope="module")
def sm_brs() -> dict[int, dict[str, float]]:
    return HNL(1e-6, ue2=1.0, umu2=1.0, utau2=1.0, majorana=False).production_branching_ratios()


@pytest.mark.parametrize(("parent", "channel", "measured", "tolerance"), SM_LIMITS)
def test_massless_limit_against_measured_semileptonic_brs(
    sm_brs: dict[int, dict[str, float]], parent: int, channel: str, measured: float, tolerance: float
) -> None:
    assert sm_brs[parent][channel] == pytest.approx(measured, rel=tolerance), sm_brs[parent][channel]


def test_muon_to_electron_ratios(sm_brs: dict[int, dict[str, float]]) -> None:
    # lepton-mass effects (time-like amplitudes f₀, A₀) against measured μ/e ratios: BESIII D_s⁺ → φ μν / φ eν =
    # 0.94 ± 0.08 (JHEP 2023, D_s⁺ → K⁺K⁻μ⁺ν), D⁺ → η μν / η eν = 0.93 ± 0.05 (BESIII 20.3 fb⁻¹); phase space alone
    # would give ≈ 0.93-0.97 as well, so this is a consistency check: ours 0.944, 0.976
    ds, dp = sm_brs[431], sm_brs[411]
    assert ds["D_s+ -> phi mu+ N"] / ds["D_s+ -> phi e+ N"] == pytest.approx(0.94, abs=0.08)
    assert dp["D+ -> eta mu+ N"] / dp["D+ -> eta e+ N"] == pytest.approx(0.93, abs=0.06)
    for parent, _, stem in NEW_CHANNELS:  # μ below e, never by more than 15 % for these heavy-light modes
        brs = sm_brs[parent]
        assert 0.85 < brs[f"{stem} mu+ N"] / brs[f"{stem} e+ N"] < 1.0, stem


def test_eta_mixing_and_isospin_factors(sm_brs: dict[int, dict[str, float]]) -> None:
    # flavour content (Feldmann-Kroll-Stech basis, φ_P = 39.3°): |⟨η′|ss̄⟩/⟨η|ss̄⟩| = cot φ_P, |⟨η′|dd̄⟩/⟨η|dd̄⟩| = tan φ_P
    assert math.degrees(ETA_MIXING_ANGLE) == pytest.approx(39.3)
    assert abs(ETA_CONTENT_DS[1] / ETA_CONTENT_DS[0]) == pytest.approx(1 / math.tan(ETA_MIXING_ANGLE), rel=1e-12)
    assert ETA_CONTENT_D[1] / ETA_CONTENT_D[0] == pytest.approx(math.tan(ETA_MIXING_ANGLE), rel=1e-12)
    # the measured products are reproduced at q² = 0: f₊^η(0)|V_cs| = 0.4519 (BESIII 2023), f₊^η(0)|V_cd| = 0.087
    # (BESIII PRL 124 (2020) 231801); predicted f₊^η′(0)|V_cs| = 0.552 vs BESIII 0.525 ± 0.026 (η′ tests the mixing)
    assert abs(ETA_CONTENT_DS[0]) * DS_ETA_S_F_PLUS_0 * V_CS == pytest.approx(0.4519, rel=1e-9)
    assert ETA_CONTENT_D[0] * D_ETA_Q_F_PLUS_0 * V_CD == pytest.approx(0.087, rel=1e-9)
    assert ETA_CONTENT_DS[1] * DS_ETA_S_F_PLUS_0 * V_CS == pytest.approx(0.525, rel=0.08)
    # independent check of the ss̄ normalisation: HPQCD (arXiv:1111.0225) finds f₊(D_s → η_s) ≈ f₊(D → K) (spectator
    # insensitivity); D → K here is the HFLAV value 0.736
    assert abs(DS_ETA_S_F_PLUS_0 / DK_F_PLUS_0 - 1) < 0.03  # 0.732 / 0.736
    # isospin: Γ(D⁺ → ρ⁰ e N) = ½ Γ(D⁰ → ρ⁻ e N) up to the D⁺/D⁰ mass difference (phase space ∝ (m_D − m_ρ)⁵: +2.2 %)
    width = {p: {k: v / pdg.lifetime(p) for k, v in sm_brs[p].items()} for p in (411, 421)}
    assert width[411]["D+ -> rho0 e+ N"] / width[421]["D0 -> rho- e+ N"] == pytest.approx(0.511, rel=0.005)
    # ω = (uū + dd̄)/√2 with the ρ form factors: Γ(ω)/Γ(ρ⁰) is the phase-space ratio of m_ω = 0.783 vs m_ρ = 0.775 GeV
    assert width[411]["D+ -> omega e+ N"] / width[411]["D+ -> rho0 e+ N"] == pytest.approx(0.97, abs=0.02)


def test_pole_vector_form_factors_q2_zero_relation() -> None:
    # 2 m_V A₀(0) = (m_P + m_V) A₁(0) − (m_P − m_V) A₂(0) (Wirbel-Stech-Bauer): H_t stays finite as q² → 0
    m_p, m_v = pdg.mass(431), pdg.mass(333)
    ffs = pole_vector_form_factors(m_p, m_v, (0.607, 1.849, 0.763), (2.1, 2.28, m_p))
    v, a0, a1, a2 = (float(x) for x in ffs(np.array(0.0)))
    assert (v, a1, a2) == pytest.approx((0.607 * 1.849, 0.607, 0.607 * 0.763), rel=1e-12)
    assert 2 * m_v * a0 == pytest.approx((m_p + m_v) * a1 - (m_p - m_v) * a2, rel=1e-12)
    # single poles: A₁(q²)/A₁(0) = 1/(1 − q²/m_A²)
    q2 = np.array([0.5])
    assert float(ffs(q2)[2][0]) == pytest.approx(0.607 / (1 - 0.5 / 2.28**2), rel=1e-12)
    ht2, hs2 = vector_helicity(m_p, m_v, ffs)(np.array([1e-6, 0.3]))
    assert np.all(np.isfinite(ht2))
    assert np.all(hs2 > 0)


@settings(max_examples=15, deadline=None)
@given(m_a=st.floats(0.0, 0.8), m_b=st.floats(0.0, 0.8))
def test_ds_to_phi_width_symmetric_in_lepton_and_hnl_masses(m_a: float, m_b: float) -> None:
    # after the angular integration Γ(P → V ℓ N) is symmetric in m_ℓ ↔ m_N (same property as B → D*, test_hnl.py)
    m_p, m_v = pdg.mass(431), pdg.mass(333)
    ffs = pole_vector_form_factors(m_p, m_v, (0.607, 1.849, 0.763), (2.1, 2.28, m_p))
    one = width_pseudoscalar_to_vector_lepton_hnl(m_b, m_p, m_v, m_a, V_CS, ffs)
    two = width_pseudoscalar_to_vector_lepton_hnl(m_a, m_p, m_v, m_b, V_CS, ffs)
    assert float(one) == pytest.approx(float(two), rel=1e-9, abs=1e-30)


@pytest.mark.parametrize(("parent", "daughter", "stem"), NEW_CHANNELS)
@pytest.mark.parametrize("mixing", ["ue2", "umu2"])
def test_thresholds_and_continuity(parent: int, daughter: int, stem: str, mixing: str) -> None:
    lepton = {"ue2": 11, "umu2": 13}[mixing]
    name = f"{stem} {'e' if lepton == 11 else 'mu'}+ N"
    threshold = pdg.mass(parent) - pdg.mass(abs(daughter)) - pdg.mass(lepton)
    spec = next(row for row in PRODUCTION_TABLE if row.name == name)
    assert spec.parent == parent
    assert spec.companions == (daughter, -lepton)
    assert spec.threshold == pytest.approx(threshold, rel=1e-12)
    masses = np.linspace(1e-3, threshold - 1e-4, 200)
    brs = spec.width(masses) * pdg.lifetime(parent) / HBAR
    assert np.all(brs > 0)
    assert np.max(np.abs(np.diff(brs))) < 0.08 * brs.max()  # continuous on a Δm = threshold/200 grid
    assert brs[-1] < 1e-3 * brs.max()  # three-body phase space ∝ (Δm)² → 0 at threshold
    assert float(spec.width(threshold + 1e-6)) == 0.0
    kwargs: dict[str, Any] = {mixing: 1.0}
    assert name not in HNL(threshold + 1e-4, **kwargs).production_branching_ratios().get(parent, {})
    assert name in HNL(0.5 * threshold, **kwargs).production_branching_ratios()[parent]
    # no τ modes: m_P − m_X < m_τ for every new channel
    assert not any(row.name == f"{stem} tau+ N" for row in PRODUCTION_TABLE)


def test_total_ds_production_includes_new_modes() -> None:
    # BR(D_s⁺ → N + X) at m_N = 0.5 GeV, |U_μ|² = 1 is the sum of two-body, τ-chain and the new three-body modes
    brs = HNL(0.5, umu2=1.0).production_branching_ratios()[431]
    new = {"D_s+ -> eta mu+ N", "D_s+ -> eta' mu+ N", "D_s+ -> phi mu+ N"}
    assert new <= set(brs)
    semileptonic = sum(brs[k] for k in new)
    assert semileptonic == pytest.approx(0.0206, rel=0.02)  # measured here: 0.0206 (η 0.0123, η′ 0.0024, φ 0.0059)
    assert semileptonic / brs["D_s+ -> mu+ N"] == pytest.approx(0.188, rel=0.02)  # vs two-body μ N 0.110
    assert sum(brs.values()) == pytest.approx(brs["D_s+ -> mu+ N"] + semileptonic
                                              + sum(v for k, v in brs.items() if "tau+(" in k), rel=1e-12)  # fmt: skip
    # thresholds m_Ds − m_X − m_μ: φ 0.843, η′ 0.905, η 1.314 GeV
    assert {k for k in HNL(0.95, umu2=1.0).production_branching_ratios()[431] if k in new} == {"D_s+ -> eta mu+ N"}
    assert not new & set(HNL(1.4, umu2=1.0).production_branching_ratios()[431])


def test_bc_two_body_against_shrock_closed_form() -> None:
    # [Shrock]: Γ(B_c⁺ → ℓ⁺N) = G_F² f_Bc² |V_cb|² m_Bc³/(8π) [x_N + x_ℓ − (x_N − x_ℓ)²] λ^{1/2}(1, x_N, x_ℓ),
    # f_Bc = 0.434 GeV (HPQCD lattice, as in [BBGR]), |V_cb| = 0.0411 (PDG 2024)
    assert (F_BC, V_CB) == (0.434, 0.0411)
    m_bc = pdg.mass(541)
    for lepton, mixing, mass in ((13, "umu2", 3.0), (11, "ue2", 5.0), (15, "utau2", 1.2)):
        xn, xl = (mass / m_bc) ** 2, (pdg.mass(lepton) / m_bc) ** 2
        lam = xn * xn + xl * xl + 1 - 2 * (xn + xl + xn * xl)
        closed = GF2 * F_BC**2 * V_CB**2 * m_bc**3 / (8 * math.pi) * (xn + xl - (xn - xl) ** 2) * math.sqrt(lam)
        kwargs: dict[str, Any] = {mixing: 1e-6}
        model = HNL(mass, **kwargs)
        assert model.production_width(541, -lepton) == pytest.approx(1e-6 * closed, rel=1e-3)
        name = f"B_c+ -> {({11: 'e', 13: 'mu', 15: 'tau'})[lepton]}+ N"
        br = model.production_branching_ratios()[541][name]
        assert br == pytest.approx(1e-6 * closed * pdg.lifetime(541) / HBAR, rel=1e-3)


def test_ds_hnl_spectrum_from_sps_dump() -> None:
    """N from D_s± of the SHiP/BDF beam (p400_Mo_charm table) at m_N = 0.5 GeV: Σ weight = (D_s per POT) × total BR
    (now with the η, η′, φ modes), the three-body N are on shell and softer than the two-body ones."""
    model = HNL(0.5, umu2=1.0)
    rng = np.random.default_rng(11)
    source = next(s for s in experiments.get("ship_hnl").sources() if s.parent_pdg == 431)
    parents = source.sample(3000, rng)
    flux = produce(model, parents, rng)  # unaimed: Σ weight is the total production
    total_br = sum(model.production_branching_ratios()[431].values())
    assert flux.weight.sum() == pytest.approx(parents.weight.sum() * total_br, rel=1e-9)
    p = flux.momentum
    np.testing.assert_allclose(p[:, 3] ** 2 - np.sum(p[:, :3] ** 2, axis=1), 0.25, rtol=1e-6, atol=1e-6)
    names = [c.name for c, _, _ in model.production_for(431)]
    n = len(parents)
    energy = {name: p[i * n : (i + 1) * n, 3] for i, name in enumerate(names)}
    assert energy["D_s+ -> phi mu+ N"].mean() < energy["D_s+ -> mu+ N"].mean()
    assert energy["D_s+ -> eta mu+ N"].mean() < energy["D_s+ -> mu+ N"].mean()


# ------------------------------------------------------------------------------------- B_c parent source
#: B_c⁺ per B⁺ of the derived tables: 2 f_c/(f_u + f_d), f_c/(f_u + f_d) = 3.7e-3 (LHCb, PRD 100 (2019) 112006,
#: 7 and 13 TeV; ±24 % there, and an UPPER ESTIMATE at the SPS: near threshold the B_c fraction is expected to be
#: smaller by an unknown factor; scripts/make_heavy_flavour_tables.py, derive-bc)
BC_PER_B_PLUS = 7.5e-3


@pytest.mark.parametrize("target", ["Mo", "W"])
def test_bc_tables_derived_from_beauty(target: str) -> None:
    from darkbeam.production.tabulated import TabulatedHadronSource, load_table

    bc, beauty = load_table(f"p400_{target}_bc"), load_table(f"p400_{target}_beauty")
    assert bc.content == "beauty"
    assert set(bc.species) == {541, -541}
    header = bc.header
    assert header["bc_per_b_plus"] == BC_PER_B_PLUS
    assert "UPPER ESTIMATE" in header["bc_energy_caveat"]
    assert "PRD 100 (2019) 112006" in header["bc_source"]
    for sign in (1, -1):
        assert bc.multiplicity(sign * 541) == pytest.approx(BC_PER_B_PLUS * beauty.multiplicity(sign * 521), rel=1e-12)
        np.testing.assert_array_equal(bc.counts[sign * 541], beauty.counts[sign * 521])  # B± kinematics
    # the beam's merged source serves B_c± (the ship_hnl experiment lists its sources explicitly and does not use them)
    src = TabulatedHadronSource.for_beam(400.0, target)
    assert {541, -541} <= set(src.species)
    assert src.table_for(541).name == f"p400_{target}_bc"
    assert 541 not in {abs(s.parent_pdg) for s in experiments.get("ship_hnl").sources()}


def test_bc_to_n_yield_per_pot_at_the_bdf() -> None:
    # N from B_c± per POT at |U_μ|² = 1, m_N = 4 GeV: B_c per POT (upper estimate) × BR(B_c → μ N) = 0.0472. Above
    # m_B − m_D ≈ 3.4 GeV B_c → ℓ N outgrows all B → X ℓ N together (the reason for SHiP's "optimistic" B_c variant).
    from darkbeam.beams import get as get_beam
    from darkbeam.production.beam_source import hadron_source

    src = hadron_source(get_beam("sps_bdf"))
    n_bc = src.multiplicity(541) + src.multiplicity(-541)
    n_b = {p: src.multiplicity(p) + src.multiplicity(-p) for p in (511, 521, 531)}
    assert n_bc / (src.multiplicity(521) + src.multiplicity(-521)) == pytest.approx(BC_PER_B_PLUS, rel=1e-9)
    brs = HNL(4.0, umu2=1.0).production_branching_ratios()
    assert set(brs[541]) == {"B_c+ -> mu+ N"}
    assert brs[541]["B_c+ -> mu+ N"] == pytest.approx(0.0472, rel=0.01)
    from_bc = n_bc * brs[541]["B_c+ -> mu+ N"]
    from_b = sum(n * sum(brs.get(p, {}).values()) for p, n in n_b.items())
    assert from_bc > from_b > 0

"""ALP–meson mixing as a production factor (darkbeam.models.alp, block comment "Production by mixing"):
κ_q-independence of the full LO amplitude, basis dependence of the bare mixing angle, the m_a → 0 limits, the pole
form and its continuity, and the wiring into the production channels."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import darkbeam.models.alp as alp
from darkbeam import pdg
from darkbeam.errors import ConfigError
from darkbeam.models.alp import (
    ALP,
    F_PI,
    KAPPA_INVERSE_MASS,
    MU_OVER_MD,
    GluonALP,
    asw_form_factor,
    meson_mixing,
    mixing_angle_in_basis,
    production_mixing_amplitudes,
)
from darkbeam.production.primakoff import ALP_PDG

IDS = (111, 221, 331)
POLES = {pid: (pdg.mass(pid), {111: 7.8e-9, 221: 1.31e-6, 331: 0.188e-3}[pid]) for pid in IDS}
G = 1e-3  # g_gg [GeV^-1] (C_GG = 1 at Lambda = 1 TeV)


def _denominator(mass: float, pid: int) -> complex:
    m_p, gamma = POLES[pid]
    return complex(mass * mass - m_p * m_p + 1j * m_p * gamma)


def test_qcd_axion_limit_of_the_pion_mixing() -> None:
    # m_a -> 0: theta_a-pi0 -> (f_pi / 2 f_a)(m_d - m_u)/(m_u + m_d), the QCD-axion a-pi0 mixing (Georgi, Kaplan,
    # Randall, PLB 169 (1986) 73; Grilli di Cortona et al., JHEP 01 (2016) 034, arXiv:1511.02867, Sec. 2), with
    # f_pi = F = 92.07 MeV and 1/f_a = 32 pi^2 g_gg (theta-term normalisation of models/alp.py). Measured: 0.9993 (the
    # eta/eta' admixture of the LO pi0 shifts it by < 0.1 %).
    expected = F_PI / 2.0 * 32.0 * math.pi**2 * G * (1.0 - MU_OVER_MD) / (1.0 + MU_OVER_MD)
    theta = production_mixing_amplitudes(1e-4, G)[111]
    assert abs(theta) == pytest.approx(expected, rel=0.01)
    # the production factor does not vanish below m_pi0: |theta|^2 at 10 MeV is the m_a -> 0 value (pole form)
    th2 = meson_mixing(0.01, G)
    assert th2[111] == pytest.approx(expected**2 * (pdg.mass(111) ** 2 / (pdg.mass(111) ** 2 - 1e-4)) ** 2, rel=0.01)
    assert th2[221] > 0.4 * meson_mixing(0.3, G)[221]  # eta: constant below m_pi0, ((m_eta^2 - 0.09)/m_eta^2)^2 = 0.49


@pytest.mark.parametrize("pid", IDS)
def test_pole_form_constant_residue_and_continuity(pid: int) -> None:
    masses = np.concatenate([np.linspace(0.001, 0.13, 40), np.linspace(0.14, 0.54, 40), np.linspace(0.555, 1.4, 40)])
    residues = np.array([production_mixing_amplitudes(m, G)[pid] * _denominator(m, pid) for m in masses])
    np.testing.assert_allclose(residues, residues[0], rtol=1e-12)  # theta = R_P/(m_a^2 - m_P^2 + i m_P Gamma_P)
    # above 1.4 GeV the [ASW] suppression F(m_a) multiplies theta
    for m in (1.5, 2.0, 3.0):
        r = production_mixing_amplitudes(m, G)[pid] * _denominator(m, pid) / asw_form_factor(m)
        assert r == pytest.approx(residues[0], rel=1e-12)
    # scales as g_gg; meson_mixing = |theta|^2
    assert production_mixing_amplitudes(0.2, 2 * G)[pid] == pytest.approx(2 * production_mixing_amplitudes(0.2, G)[pid])
    assert meson_mixing(0.2, G)[pid] == pytest.approx(abs(production_mixing_amplitudes(0.2, G)[pid]) ** 2)


def test_production_factor_is_the_unrotated_basis() -> None:
    # kappa = 0 (no chiral rotation): the ALP mixes with eta_0 only, through the anomaly term; with physical poles
    # that is the production factor (below 1.4 GeV, where F(m_a) = 1)
    for m in (0.02, 0.3, 0.7, 1.2):
        a = production_mixing_amplitudes(m, G)
        b = mixing_angle_in_basis(m, G, (0.0, 0.0, 0.0))
        for pid in IDS:
            assert a[pid] == pytest.approx(b[pid], rel=1e-12)


@given(
    ku=st.floats(-2.0, 2.0),
    kd=st.floats(-2.0, 2.0),
    mass=st.floats(0.005, 1.3).filter(lambda m: min(abs(m - x) for x in (0.1345, 0.5061, 0.9806)) > 0.01),
)
@settings(max_examples=40, deadline=None)
def test_full_amplitude_is_kappa_independent_with_lo_masses(ku: float, kd: float, mass: float) -> None:
    # Sum kappa_q = 1 (the usual convention); mixing + contact terms with the LO propagator: independent of kappa
    # (BNRST arXiv:2110.10698: physical amplitudes do not depend on the chiral-rotation parameters)
    kappa = (ku, kd, 1.0 - ku - kd)
    full = mixing_angle_in_basis(mass, G, kappa, contact=True, physical_masses=False)
    ref = mixing_angle_in_basis(mass, G, KAPPA_INVERSE_MASS, contact=True, physical_masses=False)
    unrotated = mixing_angle_in_basis(mass, G, (0.0, 0.0, 0.0), contact=True, physical_masses=False)
    for pid in IDS:
        scale = abs(ref[pid]) + 1e-3 * G
        assert abs(full[pid] - ref[pid]) < 1e-9 * scale
        assert abs(unrotated[pid] - ref[pid]) < 1e-9 * scale


def test_bare_mixing_angle_is_basis_dependent() -> None:
    # the angle without the contact terms depends on kappa; in kappa_q = 1/m_q / sum(1/m) ([ASW], ALPINIST) there is
    # no pi0 mass mixing, so theta_a-pi0 ~ m_a^2/(m_a^2 - m_pi^2): far below the basis-independent value below
    # m_pi0, far above it at 0.3 GeV (ALPINIST's prescription; measured |theta|^2 ratios 0.012 at 0.05 GeV, 26 at 0.3)
    low = mixing_angle_in_basis(0.05, G, KAPPA_INVERSE_MASS)[111]
    high = mixing_angle_in_basis(0.3, G, KAPPA_INVERSE_MASS)[111]
    assert abs(low) ** 2 < 0.03 * meson_mixing(0.05, G)[111]
    assert abs(high) ** 2 > 10 * meson_mixing(0.3, G)[111]
    # below m_pi0 the bare angle stays < 5 % of the basis-independent |theta|^2 (measured 1e-4 to 3 %: m_a^2 times
    # the kinetic mixing, plus a small constant from the eta_0 admixture of the LO pi0, the two cancel near 20 MeV)
    for m in (0.005, 0.01, 0.02, 0.04, 0.06):
        assert abs(mixing_angle_in_basis(m, G, KAPPA_INVERSE_MASS)[111]) ** 2 < 0.05 * meson_mixing(m, G)[111]
    # another basis gives other angles: kappa_q = 1/3 (no isovector kinetic mixing) 0.95-0.97 of the basis-independent
    # |theta|^2 at 5-80 MeV, 1.22 at 0.3 GeV (measured)
    third = mixing_angle_in_basis(0.05, G, (1 / 3, 1 / 3, 1 / 3))[111]
    assert abs(third) > 5 * abs(low)
    assert abs(third) ** 2 == pytest.approx(meson_mixing(0.05, G)[111], rel=0.1)


def test_production_channels_use_the_basis_independent_factor() -> None:
    model = GluonALP(0.3, g_gg=G)
    factors = model.production_branching_ratios()[ALP_PDG]
    th2 = meson_mixing(0.3, G)
    assert factors == {"mixing pi0": th2[111], "mixing eta": th2[221], "mixing eta'": th2[331]}
    assert model.meson_mixing() == th2
    # an ALP with a gluon coupling next to g_agg mixes the same way; without g_gg it does not mix
    assert ALP(0.3, g_agg=1e-5, g_gg=G).meson_mixing() == th2
    assert ALP_PDG not in ALP(0.3, g_agg=1e-5).production_branching_ratios()


def test_bad_kappa_and_mass() -> None:
    with pytest.raises(ConfigError, match="kappa_q"):
        mixing_angle_in_basis(0.1, G, (0.5, 0.5))
    with pytest.raises(ConfigError, match="kappa_q"):
        mixing_angle_in_basis(0.1, G, (float("nan"), 0.5, 0.5))
    with pytest.raises(ConfigError, match="mass"):
        production_mixing_amplitudes(-0.1, G)
    # kappa_q = m_q^-1 / sum m^-1: sums to 1, kappa_u/kappa_d = m_d/m_u
    assert sum(alp.KAPPA_INVERSE_MASS) == pytest.approx(1.0, rel=1e-12)
    assert KAPPA_INVERSE_MASS[0] / KAPPA_INVERSE_MASS[1] == pytest.approx(1 / MU_OVER_MD, rel=1e-12)

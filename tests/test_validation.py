"""Published limits reproduced end to end (slow: full scans of the shipped example cards)."""

from pathlib import Path

import numpy as np
import pytest

import darkbeam as db
from darkbeam.config import load_card
from darkbeam.scan import sensitivity_from_card

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# MicroBooNE, PRL 127, 151803 (2021), Fig. 3: 95 % CL upper limit on θ vs m_S (digitised points of the published
# curve, mass in GeV). The paper's abstract quotes θ < 4.6e-4 at 100 MeV and 3.3e-4 at 200 MeV.
MICROBOONE_SCALAR = np.array(
    [
        (0.00278, 6.874e-3),
        (0.00875, 3.739e-3),
        (0.01564, 2.801e-3),
        (0.02506, 1.919e-3),
        (0.03470, 1.468e-3),
        (0.04825, 1.094e-3),
        (0.06065, 8.321e-4),
        (0.07282, 6.637e-4),
        (0.08890, 5.265e-4),
        (0.11003, 4.242e-4),
        (0.12909, 3.757e-4),
        (0.14906, 3.469e-4),
        (0.16192, 3.360e-4),
        (0.18328, 3.287e-4),
        (0.19752, 3.267e-4),
    ]
)

# Kelly & Machado, arXiv:2106.06548, Fig. 2 ("PS, avg. efficiency"): 90 % CL on |U_μ4|² (Majorana) from the
# same MicroBooNE data (digitised points, mass in GeV).
KELLY_MACHADO_HNL = np.array(
    [
        (0.0201, 3.794e-3),
        (0.0421, 2.133e-4),
        (0.0567, 6.254e-5),
        (0.0721, 2.082e-5),
        (0.0917, 6.428e-6),
        (0.1241, 1.658e-6),
        (0.1617, 5.600e-7),
        (0.1996, 2.307e-7),
    ]
)


def _scan(card_name: str) -> db.ScanResult:
    return sensitivity_from_card(load_card(EXAMPLES / card_name))


def _at(result: db.ScanResult, masses: np.ndarray) -> np.ndarray:
    return np.exp(np.interp(np.log(masses), np.log(result.masses), np.log(result.lower)))


@pytest.mark.slow
def test_microboone_scalar_limit_within_factor_two():
    """The absolute KDAR yield is calibrated on this limit at 120 and 160 MeV (data README), so this tests the mass
    dependence. Above 40 MeV the agreement is within 25 %; at 15-35 MeV our limit is up to 2.3x stronger: the
    published efficiency falls faster at low mass than the two-track cuts of Kelly & Machado that we apply."""
    result = _scan("microboone_kdar_scalar.toml")
    ratio = MICROBOONE_SCALAR[:, 1] / _at(result, MICROBOONE_SCALAR[:, 0])
    above = MICROBOONE_SCALAR[:, 0] > 0.04
    assert np.all((ratio[above] > 0.8) & (ratio[above] < 2.0)), ratio
    assert np.all((ratio > 0.5) & (ratio < 2.5)), ratio
    # the excluded band closes above: very large θ decays before reaching the detector at high mass
    assert result.upper[-1] < 1.0


@pytest.mark.slow
def test_hnl_recast_against_kelly_machado():
    """Same kaons and selection, N → ν e⁺e⁻; agreement within a factor 5 in |U|² (√5 in |U|): Kelly & Machado
    include the HNL polarisation and their own efficiency estimate, which DarkBeam does not (yet)."""
    result = _scan("microboone_kdar_hnl.toml")
    ratio = KELLY_MACHADO_HNL[:, 1] / _at(result, KELLY_MACHADO_HNL[:, 0])
    assert np.all((ratio > 0.2) & (ratio < 5.0)), ratio

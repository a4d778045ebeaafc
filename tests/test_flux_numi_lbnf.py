"""NuMI and LBNF ν_μ fluxes at near detectors from DarkBeam's Pythia tables + horn models, beside the releases.

NuMI uses the toroidal-field horn model (data/beams/numi.toml ``[horn.field_model]``: the g4numi conductor profiles
of Horns 1 and 2 in the LE010 position, 185 kA; production/horn.py); LBNF keeps the thin lens (``[horn.focus_model]``,
a-priori choices, not fits: no citable conductor geometry of the optimised three-horn design was found). The bands
record the agreement actually reached (not a claim of accuracy). NuMI, field model: the integral is 1.11× the release
(thin lens: 0.665×) with a too-high focusing peak at 3-4 GeV (no conductor material, no multiple scattering in the
target) and a low 5-10 GeV tail (leading π⁺ of the Pythia table); LBNF, thin lens: too-narrow focusing peak and no
tertiary production in the 3 λ_I target, so the integral is low (see the README of data/beams).
"""

from __future__ import annotations

import pytest

from darkbeam.neutrinos import neutrino_flux

#: Official NuMI low-energy FHC ν_μ flux at MINERvA (L. Aliaga et al. (MINERvA), PRD 94, 092005 (2016),
#: arXiv:1607.00704, ancillary flux table): Σ flux × ΔE over the 0.505 GeV bins (0–~50 GeV) = 2.858e-8 ν_μ/cm²/POT,
#: flux-weighted mean energy 4.14 GeV.
NUMI_OFFICIAL_INT, NUMI_OFFICIAL_MEAN = 2.858e-8, 4.140
#: Official DUNE ND (574 m, on axis) FHC ν_μ flux, optimised LBNF design (DUNE, arXiv:2103.04797 flux release;
#: identical to the DUNE GLoBES ND release ×1e-4 m²→cm²): Σ flux × 0.25 GeV = 1.049e-7 ν_μ/cm²/POT, mean 2.68 GeV.
LBNF_OFFICIAL_INT, LBNF_OFFICIAL_MEAN = 1.049e-7, 2.679
#: MINERvA sits ~1 km downstream of the NuMI target, just upstream of the MINOS ND at 1.04 km (P. Adamson et al.,
#: NIM A 806 (2016) 279, arXiv:1507.06690, Sec. 1); 1035 m used (±0.5 % in distance → ±1 % in flux).
MINERVA_Z_CM = 103_500.0
#: DUNE ND 574 m downstream of the target (DUNE FD TDR Vol. I, arXiv:2002.02967, Sec. 1.3).
DUNE_ND_Z_CM = 57_400.0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("beam", "z", "official_int", "official_mean", "int_band", "mean_band"),
    [
        # measured (n = 2e5, seed 3), field model: integral ratio 1.107, mean ratio 0.887
        # (thin lens, before: 0.665 and 1.082)
        ("numi", MINERVA_Z_CM, NUMI_OFFICIAL_INT, NUMI_OFFICIAL_MEAN, (0.92, 1.30), (0.80, 0.98)),
        # measured, thin lens: integral ratio 0.338, mean ratio 1.17
        ("lbnf", DUNE_ND_Z_CM, LBNF_OFFICIAL_INT, LBNF_OFFICIAL_MEAN, (0.27, 0.42), (1.05, 1.30)),
    ],
)
def test_numu_flux_beside_official_release(
    beam: str,
    z: float,
    official_int: float,
    official_mean: float,
    int_band: tuple[float, float],
    mean_band: tuple[float, float],
) -> None:
    bins = [0.25 * i for i in range(201)]
    numu = neutrino_flux(beam, (0.0, 0.0, z), bins, n=200_000, seed=3, decays_at_rest=False)["numu"]
    int_ratio = numu["integrated_per_pot_cm2"] / official_int
    mean_ratio = numu["mean_energy_gev"] / official_mean
    assert int_band[0] < int_ratio < int_band[1]
    assert mean_band[0] < mean_ratio < mean_band[1]
    # π⁺ dominate the ν_μ flux of a positive-focused 120 GeV beam, K⁺ a few per cent (official: ~90 % / ~10 %;
    # measured K⁺ 2.3 % NuMI (field model), 5.2 % LBNF)
    assert numu["fraction_by_parent"]["pi+ DIF"] > 0.85
    assert 0.01 < numu["fraction_by_parent"]["K+ DIF"] < 0.15

"""Units and physical constants.

DarkBeam works in GeV (energy, momentum, mass), cm (length) and ns (time) everywhere inside; convert at the edges
only. Multiply a number in a unit by that unit's constant to get internal units (``5 * MeV`` is 0.005 GeV); divide
to convert back.

Constants are from the Review of Particle Physics, R.L. Workman et al. (PDG), PTEP 2022, 083C01 and its 2024 update
(S. Navas et al., PRD 110, 030001), "Physical constants" table and the CKM review, unless stated otherwise.
"""

from __future__ import annotations

import math

# --- units (internal: GeV, cm, ns) -------------------------------------------------------------------------------
GeV = 1.0
MeV = 1e-3
keV = 1e-6
TeV = 1e3
cm = 1.0
m = 100.0
mm = 0.1
km = 1e5
ns = 1.0
us = 1e3
s = 1e9

# --- fundamental constants --------------------------------------------------------------------------------------
#: speed of light [cm/ns]
C_LIGHT = 29.9792458
#: hbar [GeV ns]  (6.582119569e-25 GeV s)
HBAR = 6.582119569e-16
#: hbar c [GeV cm]  (197.3269804 MeV fm)
HBARC = 1.973269804e-14
#: fine-structure constant at q^2 = 0 (PDG 2024)
ALPHA_EM = 1.0 / 137.035999084
#: Avogadro constant [1/mol] (SI 2019, exact; PDG RPP 2024 physical constants)
N_AVOGADRO = 6.02214076e23
#: Fermi constant [GeV^-2] (PDG 2024)
G_FERMI = 1.1663788e-5
#: Higgs vacuum expectation value v = (sqrt(2) G_F)^(-1/2) [GeV]
HIGGS_VEV = (math.sqrt(2.0) * G_FERMI) ** -0.5
#: weak mixing angle sin^2(theta_W), on-shell value 1 - m_W^2/m_Z^2 (PDG 2024 electroweak review)
SIN2_THETA_W = 0.22305
#: top-quark pole mass [GeV] (PDG 2024 average of direct measurements)
M_TOP = 172.57

# --- CKM matrix elements (PDG 2024, magnitudes) ----------------------------------------------------------------
V_UD = 0.97367
V_US = 0.22431
V_UB = 0.00382
V_CD = 0.221
V_CS = 0.975
V_TD = 0.00860
V_TS = 0.0415
V_TB = 1.010

# --- meson decay constants [GeV] (PDG 2024, "Leptonic decays of charged pseudoscalar mesons", f_pi+ and f_K+) ---
F_PI = 0.1302
F_K = 0.1557

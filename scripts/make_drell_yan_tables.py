#!/usr/bin/env python3
"""Generate DarkBeam's Drell–Yan dark-photon table q q̄ → A′ with Pythia 8 (issue #5).

Like ``make_meson_tables.py`` this script is the only place that imports Pythia (``pythia8mc``, GPL; optional extra
``pythia``) for this table; the package reads the ``.npz`` it writes (``src/darkbeam/data/production/drell_yan.npz``)
with :mod:`darkbeam.production.drell_yan`, without Pythia.

Process
-------
Pythia 8's ``NewGaugeBoson:ffbar2gmZZprime`` (f f̄ → Z′⁰, code 3001) with ``Zprime:gmZmode = 3`` (pure Z′: no γ*/Z
propagator, no interference) stands in for the dark photon: the Z′ (id 32) is given the mass of the A′ and pure
vector couplings to quarks and charged leptons proportional to the electric charge, no axial couplings, no couplings
to neutrinos or W pairs. Pythia normalises the Z′ vertex like the Z's, −i e/(4 sin θ_W cos θ_W) γ^μ (v_f − a_f γ5)
(Pythia 8 manual, "New-Gauge-Boson Processes": default v_f = a_f − 4 e_f sin²θ_W with a_f = ±1), so a vector coupling
ε e Q_f needs

    v_f = 4 sin θ_W cos θ_W ε Q_f,     a_f = 0,      sin²θ_W = StandardModel:sin2thetaW (0.2312).

Verified at run time: Pythia's own partial width Γ(Z′ → e⁺e⁻) equals α ε² M/3 (the A′ width of Batell, Pospelov,
Ritz, PRD 80 (2009) 095024, Eq. 6, massless leptons) to 10⁻⁶ (``coupling_check`` in the header; the run stops if it
is off by more than 10⁻³). α_em is fixed at α(0) = 1/137.036 in the hard process (``SigmaProcess:alphaEMorder = 0``),
the value that defines ε. Cross sections then scale as ε² e² Q_q² (σ̂ = (4π²αε²Q_q²/3) δ(ŝ − M²)).

The generation coupling is ε_gen = 0.1 (Γ/M ≈ 1-1.6×10⁻⁴) so that the resonance is effectively on shell (narrow-width
limit); cross sections are stored at ε = 1 (divided by ε_gen²). The Breit–Wigner is integrated over M(1 ± 0.05); the
small fraction outside (0.6-1.0×10⁻³) is corrected with the analytic Breit–Wigner fraction (``bw_window_fraction``).

Events: p p and p n collisions (``Beams:idB = 2212 / 2112``; Pythia's neutron PDFs are the isospin mirror of the
proton's) at the centre-of-mass energy of a ``p_lab`` beam on a nucleon at rest (``Beams:frameType = 1``; the table
is in the nucleon–nucleon CM frame: x_F = 2 p_z*/√s and p_T). Initial-state showers and primordial k_T are on (they
give the A′ its p_T); multiparton interactions and hadronisation are off (they do not change the A′ kinematics, only
the rest of the event); the Z′ does not decay (DarkBeam decays the A′). PDF: Pythia's default ``PDF:pSet = 13``,
NNPDF2.3 QCD+QED LO, α_s(M_Z) = 0.130 (R. D. Ball et al., Nucl. Phys. B 877 (2013) 290, arXiv:1308.0598), at the
factorisation scale Q² = ŝ = M² (the grid starts at Q = 1 GeV: at M = 1 GeV it is used at its edge).

Check: for every mass the script also evaluates the leading-order narrow-width formula

    σ(pN → A′X) = (4π² α ε²/(3 s)) Σ_q Q_q² ∫_τ^1 (dx/x) [q_p(x) q̄_N(τ/x) + q̄_p(x) q_N(τ/x)],   τ = M²/s

(derived in :func:`darkbeam.production.drell_yan.narrow_width_sigma_pb`) with the same NNPDF2.3 LO grid, read from
Pythia's data folder by this script's own LHAPDF-grid reader (bicubic in ln x, ln Q), and stores it
(``sigma_narrow_width_pb``) next to Pythia's σ_gen. Validity: Drell–Yan (a hard qq̄ annihilation) needs M ≳ 1.5 GeV;
the 1-1.5 GeV entries are kept for continuity but are outside its validity (vector-meson resonances and
non-perturbative effects dominate there; the header says so).

Output: ``drell_yan.npz`` with ``p_lab`` (n_E), ``mass`` (n_M) [GeV], ``sigma_pb`` (n_E, 2, n_M) per nucleon–nucleon
collision at ε = 1 (index 1: 0 = p p, 1 = p n), ``sigma_err_pb``, ``counts`` (n_E, 2, n_M, n_xF, n_pT) int32
histograms of the A′ in (x_F, p_T) with ``xf_edges`` and ``pt_edges`` [GeV] (p_T above the last edge is put in the
last bin, its fraction recorded), and ``header`` (JSON: every setting, seed, versions, checks).

Example (≈ 2-3 min CPU)::

    python scripts/make_drell_yan_tables.py --events 20000 --seed 1 --out src/darkbeam/data/production/drell_yan.npz
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

M_PROTON = 0.93827208816  # GeV (PDG 2024)
ALPHA_0 = 1.0 / 137.035999  # α(0) (CODATA 2018), Pythia's StandardModel:alphaEM0
EPS_GEN = 0.1
P_LAB = (120.0, 400.0)
MASSES = tuple(round(1.0 + 0.25 * i, 2) for i in range(21))  # 1.0 ... 6.0 GeV
XF_EDGES = np.linspace(-1.0, 1.0, 41)
PT_EDGES = np.linspace(0.0, 4.8, 25)
WINDOW = 0.05  # Breit–Wigner window M(1 ± WINDOW)
NUCLEONS = (2212, 2112)
CHARGES = {1: -1.0 / 3.0, 2: 2.0 / 3.0, 3: -1.0 / 3.0, 4: 2.0 / 3.0, 5: -1.0 / 3.0}
GEV2_TO_PB = 0.3893794e9


def sqrt_s(p_lab: float) -> float:
    """√s [GeV] of a proton of momentum p_lab on a nucleon (proton mass) at rest."""
    return math.sqrt(2.0 * M_PROTON**2 + 2.0 * M_PROTON * math.hypot(p_lab, M_PROTON))


# ------------------------------------------------------------------------------------------ PDF grid reader
class LhaGrid:
    """Minimal reader of an LHAPDF6 ``lhagrid1`` file (one or more subgrids): x f(x, Q) by bicubic interpolation
    in (ln x, ln Q) per subgrid (scipy RectBivariateSpline); Q below the grid is frozen at Q_min."""

    def __init__(self, path: Path) -> None:
        from scipy.interpolate import RectBivariateSpline

        blocks = path.read_text().split("---")
        self.subgrids: list[tuple[float, float, dict[int, Any]]] = []
        for block in blocks[1:]:
            lines = [ln for ln in block.strip().splitlines() if ln.strip()]
            if len(lines) < 4:
                continue
            x = np.array(lines[0].split(), dtype=float)
            q = np.array(lines[1].split(), dtype=float)
            pids = [int(v) for v in lines[2].split()]
            vals = np.array(" ".join(lines[3:]).split(), dtype=float).reshape(len(x), len(q), len(pids))
            splines = {
                pid: RectBivariateSpline(np.log(x), np.log(q), vals[:, :, k], kx=3, ky=3) for k, pid in enumerate(pids)
            }
            self.subgrids.append((float(q[0]), float(q[-1]), splines))
        self.q_min = min(g[0] for g in self.subgrids)

    def xf(self, pid: int, x: np.ndarray, q2: float) -> np.ndarray:
        q = max(math.sqrt(q2), self.q_min)
        for lo, hi, splines in self.subgrids:
            if lo <= q <= hi:
                if pid not in splines:
                    return np.zeros_like(x)
                return np.asarray(splines[pid].ev(np.log(x), np.full_like(x, math.log(q))))
        raise ValueError(f"Q = {q} GeV outside the PDF grid")


def narrow_width_sigma_pb(grid: LhaGrid, mass: float, s: float, neutron: bool, nodes: int = 400) -> float:
    """LO narrow-width σ(p N → A′ X) [pb] at ε = 1 (module docstring) with x f from ``grid`` at Q² = M²."""
    tau = mass * mass / s
    # y = ln x from ln τ to 0 (Gauss–Legendre); ∫dx/x f1(x) f2(τ/x) = (1/τ) ∫dy xf1(x) xf2(τ/x)
    t, w = np.polynomial.legendre.leggauss(nodes)
    y = 0.5 * math.log(tau) * (1.0 - t)
    wy = -0.5 * math.log(tau) * w
    x1 = np.exp(y)
    x2 = tau / x1
    q2 = mass * mass
    total = 0.0
    for q, charge in CHARGES.items():
        q_tgt = {1: 2, 2: 1}.get(q, q) if neutron else q  # isospin: u_n = d_p, d_n = u_p
        lum = grid.xf(q, x1, q2) * grid.xf(-q_tgt, x2, q2) + grid.xf(-q, x1, q2) * grid.xf(q_tgt, x2, q2)
        total += charge**2 * float(np.sum(wy * lum)) / tau
    return 4.0 * math.pi**2 * ALPHA_0 / (3.0 * s) * total * GEV2_TO_PB


# -------------------------------------------------------------------------------------------------- Pythia
def make_pythia(p_lab: float, mass: float, nucleon: int, seed: int):  # type: ignore[no-untyped-def]
    import pythia8mc  # type: ignore[import-not-found]

    pythia = pythia8mc.Pythia("", False)
    s2w = pythia.settings.parm("StandardModel:sin2thetaW")
    k = 4.0 * math.sqrt(s2w * (1.0 - s2w)) * EPS_GEN
    settings = [
        "Beams:frameType = 1",
        f"Beams:eCM = {sqrt_s(p_lab):.10f}",
        "Beams:idA = 2212",
        f"Beams:idB = {nucleon}",
        "NewGaugeBoson:ffbar2gmZZprime = on",
        "Zprime:gmZmode = 3",
        "Zprime:universality = on",
        f"Zprime:vd = {k * CHARGES[1]:.12g}",
        "Zprime:ad = 0.",
        f"Zprime:vu = {k * CHARGES[2]:.12g}",
        "Zprime:au = 0.",
        f"Zprime:ve = {-k:.12g}",
        "Zprime:ae = 0.",
        "Zprime:vnue = 0.",
        "Zprime:anue = 0.",
        "Zprime:coup2WW = 0.",
        f"32:m0 = {mass}",
        f"32:mMin = {mass * (1.0 - WINDOW)}",
        f"32:mMax = {mass * (1.0 + WINDOW)}",
        "32:mayDecay = off",
        f"PhaseSpace:mHatMin = {0.5 * mass}",
        "SigmaProcess:alphaEMorder = 0",
        "PartonLevel:MPI = off",
        "HadronLevel:all = off",
        "Random:setSeed = on",
        f"Random:seed = {seed}",
        "Print:quiet = on",
    ]
    for line in settings:
        if not pythia.readString(line):
            raise RuntimeError(f"Pythia rejected setting {line!r}")
    if not pythia.init():
        raise RuntimeError("Pythia initialisation failed")
    return pythia, settings, s2w


def coupling_check(pythia: Any, mass: float) -> dict[str, float]:
    """Pythia's Γ(Z′ → e⁺e⁻) and Γ_tot against α ε² M/3 (Batell–Pospelov–Ritz Eq. 6)."""
    width = pythia.particleData.mWidth(32)
    entry = pythia.particleData.particleDataEntryPtr(32)
    gamma_ee = 0.0
    for i in range(entry.sizeChannels()):
        ch = entry.channel(i)
        if ch.multiplicity() == 2 and {ch.product(0), ch.product(1)} == {11, -11}:
            gamma_ee = ch.bRatio() * width
    reference = ALPHA_0 * EPS_GEN**2 * mass / 3.0
    return {"width_gev": width, "gamma_ee_over_alpha_eps2_m_over_3": gamma_ee / reference}


def run_one(p_lab: float, mass: float, nucleon: int, events: int, seed: int) -> dict[str, Any]:
    pythia, settings, s2w = make_pythia(p_lab, mass, nucleon, seed)
    check = coupling_check(pythia, mass)
    if abs(check["gamma_ee_over_alpha_eps2_m_over_3"] - 1.0) > 1e-3:
        raise RuntimeError(f"Z' coupling convention check failed: {check}")
    rs = sqrt_s(p_lab)
    xf = np.empty(events)
    pt = np.empty(events)
    n = 0
    n_fail = 0
    while n < events:
        if not pythia.next():
            n_fail += 1
            if n_fail > events:
                raise RuntimeError("too many failed Pythia events")
            continue
        ev = pythia.event
        j = ev.size() - 1
        while j > 0 and ev[j].id() != 32:
            j -= 1
        a = ev[j]
        xf[n] = 2.0 * a.pz() / rs
        pt[n] = math.hypot(a.px(), a.py())
        n += 1
    info = pythia.infoPython()
    width = check["width_gev"]
    # Breit–Wigner fraction inside the window (fixed-width relativistic BW in s; width ∝ ε_gen² is tiny)
    lo, hi = (mass * (1 - WINDOW)) ** 2, (mass * (1 + WINDOW)) ** 2
    frac = (math.atan((hi - mass**2) / (mass * width)) - math.atan((lo - mass**2) / (mass * width))) / math.pi
    scale = 1e9 / EPS_GEN**2 / frac  # mb → pb, ε_gen → 1, window → full BW
    pt_clip = np.minimum(pt, PT_EDGES[-1] - 1e-9)
    counts, _, _ = np.histogram2d(np.clip(xf, -1.0, 1.0 - 1e-12), pt_clip, bins=(XF_EDGES, PT_EDGES))
    return {
        "sigma_pb": info.sigmaGen() * scale,
        "sigma_err_pb": info.sigmaErr() * scale,
        "counts": counts.astype(np.int32),
        "mean_xf": float(xf.mean()),
        "mean_pt": float(pt.mean()),
        "mean_pt2": float(np.mean(pt * pt)),
        "pt_overflow_fraction": float(np.mean(pt >= PT_EDGES[-1])),
        "bw_window_fraction": frac,
        "n_failed": n_fail,
        "coupling_check": check,
        "settings": settings,
        "sin2thetaW": s2w,
        "version": pythia.settings.parm("Pythia:versionNumber"),
        "pdf_set": pythia.settings.word("PDF:pSet"),
    }


def dimuon_check(p_lab: float, mass: float, events: int, seed: int) -> dict[str, float]:
    """Pythia's own LO Drell–Yan p p → γ* → μ⁺μ⁻ (``WeakSingleBoson:ffbar2gmZ``, ``WeakZ0:gmZmode = 1``: γ* only)
    in a ±2 % mass window around ``mass``: dσ/dM ≈ σ/ΔM. The A′ run at the same mass must give
    σ_A′/(dσ_μμ/dM) = 3πM/(2α) (narrow-width relation; independent of the Z′ coupling convention)."""
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    lo, hi = 0.98 * mass, 1.02 * mass
    for line in (
        "Beams:frameType = 1",
        f"Beams:eCM = {sqrt_s(p_lab):.10f}",
        "Beams:idA = 2212",
        "Beams:idB = 2212",
        "WeakSingleBoson:ffbar2gmZ = on",
        "WeakZ0:gmZmode = 1",
        "23:onMode = off",
        "23:onIfMatch = 13 -13",
        f"23:mMin = {lo}",
        f"23:mMax = {hi}",
        f"PhaseSpace:mHatMin = {lo}",
        f"PhaseSpace:mHatMax = {hi}",
        "SigmaProcess:alphaEMorder = 0",
        "PartonLevel:all = off",
        "HadronLevel:all = off",
        "Random:setSeed = on",
        f"Random:seed = {seed}",
        "Print:quiet = on",
    ):
        if not pythia.readString(line):
            raise RuntimeError(f"Pythia rejected setting {line!r}")
    if not pythia.init():
        raise RuntimeError("Pythia initialisation failed")
    for _ in range(events):
        pythia.next()
    info = pythia.infoPython()
    dsigma_dm_pb = info.sigmaGen() * 1e9 / (hi - lo)
    return {
        "p_lab_gev": p_lab,
        "mass_gev": mass,
        "dsigma_dm_mumu_pb_per_gev": dsigma_dm_pb,
        "dsigma_dm_err_pb_per_gev": info.sigmaErr() * 1e9 / (hi - lo),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=20000, help="events per (beam energy, nucleon, mass)")
    ap.add_argument("--seed", type=int, default=1, help="base Pythia seed (run k uses seed + k)")
    ap.add_argument("--out", required=True, help="output .npz path")
    args = ap.parse_args(argv)
    import pythia8mc

    pdf_path = Path(pythia8mc.__file__).resolve().parent.parent.parent.parent / "share/Pythia8/pdfdata"
    grid = LhaGrid(pdf_path / "NNPDF23_lo_as_0130_qed_0000.dat")
    t0 = time.process_time()
    n_e, n_m = len(P_LAB), len(MASSES)
    counts = np.zeros((n_e, 2, n_m, len(XF_EDGES) - 1, len(PT_EDGES) - 1), dtype=np.int32)
    sigma = np.zeros((n_e, 2, n_m))
    sigma_err = np.zeros_like(sigma)
    sigma_nw = np.zeros_like(sigma)
    runs: list[dict[str, Any]] = []
    k = 0
    last: dict[str, Any] = {}
    for ie, p_lab in enumerate(P_LAB):
        for inuc, nucleon in enumerate(NUCLEONS):
            for im, mass in enumerate(MASSES):
                res = run_one(p_lab, mass, nucleon, args.events, args.seed + k)
                k += 1
                counts[ie, inuc, im] = res["counts"]
                sigma[ie, inuc, im] = res["sigma_pb"]
                sigma_err[ie, inuc, im] = res["sigma_err_pb"]
                sigma_nw[ie, inuc, im] = narrow_width_sigma_pb(grid, mass, sqrt_s(p_lab) ** 2, nucleon == 2112)
                runs.append(
                    {
                        "p_lab_gev": p_lab,
                        "nucleon": nucleon,
                        "mass_gev": mass,
                        "seed": args.seed + k - 1,
                        **{kk: res[kk] for kk in ("sigma_pb", "sigma_err_pb", "mean_xf", "mean_pt", "mean_pt2")},
                        "pt_overflow_fraction": res["pt_overflow_fraction"],
                        "bw_window_fraction": res["bw_window_fraction"],
                        "coupling_check": res["coupling_check"],
                        "sigma_narrow_width_pb": sigma_nw[ie, inuc, im],
                    }
                )
                last = res
                print(
                    f"p_lab {p_lab:g} {'pp' if nucleon == 2212 else 'pn'} M {mass:4.2f}: sigma {res['sigma_pb']:.4g} "
                    f"pb (NW {sigma_nw[ie, inuc, im]:.4g}), <xF> {res['mean_xf']:.3f}, <pT> {res['mean_pt']:.3f}",
                    file=sys.stderr,
                )
    checks = []
    for ie, p_lab in enumerate(P_LAB):
        im = MASSES.index(3.0)
        chk = dimuon_check(p_lab, 3.0, args.events, args.seed + 1000 + ie)
        chk["sigma_aprime_over_dsigma_dm"] = sigma[ie, 0, im] / chk["dsigma_dm_mumu_pb_per_gev"]
        chk["expected_3pi_m_over_2alpha"] = 3.0 * math.pi * 3.0 / (2.0 * ALPHA_0)
        checks.append(chk)
        print(json.dumps(chk), file=sys.stderr)
    cpu = time.process_time() - t0
    header = {
        "format": "darkbeam-drell-yan-table",
        "format_version": 1,
        "process": "q qbar -> A' (Pythia 8 NewGaugeBoson:ffbar2gmZZprime, Zprime:gmZmode = 3, Z' with pure vector "
        "couplings v_f = 4 sin(theta_W) cos(theta_W) eps Q_f, a_f = 0, no neutrino or WW couplings)",
        "generator": f"Pythia {last['version']:.3f} via pythia8mc {getattr(pythia8mc, '__version__', '?')}",
        "pythia_version": round(last["version"], 3),
        "pdf": "PDF:pSet = 13: NNPDF2.3 QCD+QED LO, alpha_s(M_Z) = 0.130 (Ball et al., NPB 877 (2013) 290, "
        "arXiv:1308.0598); factorisation scale Q^2 = M^2",
        "pdf_pset": last["pdf_set"],
        "alpha_em": "alpha(0) = 1/137.036 in the hard process (SigmaProcess:alphaEMorder = 0)",
        "epsilon_generated": EPS_GEN,
        "sigma_units": "pb per nucleon-nucleon collision at epsilon = 1 (sigma scales as epsilon^2)",
        "frame": "nucleon-nucleon centre of mass: x_F = 2 p_z* / sqrt(s), p_T [GeV]",
        "validity": "Drell-Yan (perturbative q qbar annihilation) for M >~ 1.5 GeV; the 1.0-1.25 GeV entries are "
        "outside its validity (kept for interpolation only)",
        "sqrt_s_gev": [sqrt_s(p) for p in P_LAB],
        "masses_gev": list(MASSES),
        "nucleons": list(NUCLEONS),
        "events_per_point": args.events,
        "seed": args.seed,
        "settings_example": last["settings"],
        "sin2thetaW": last["sin2thetaW"],
        "breit_wigner_window": f"M (1 +- {WINDOW}); sigma divided by the analytic BW fraction in the window",
        "sigma_narrow_width_pb": sigma_nw.tolist(),
        "pythia_over_narrow_width": (sigma / sigma_nw).tolist(),
        "dimuon_check": checks,
        "dimuon_check_note": "Pythia LO p p -> gamma* -> mu+ mu- (WeakSingleBoson:ffbar2gmZ, gmZmode = 1, "
        "no showers) in M = 3 GeV +- 2 %: sigma_A'(eps = 1) / (dsigma_mumu/dM) must equal 3 pi M / (2 alpha) "
        "at LO (narrow width, massless muons; the muon mass changes it by < 0.2 %)",
        "runs": runs,
        "cpu_seconds": round(cpu, 1),
        "created_utc": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": " ".join(["scripts/make_drell_yan_tables.py", *sys.argv[1:]] if argv is None else argv),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp.npz")
    np.savez_compressed(
        tmp,
        header=np.array(json.dumps(header, indent=1)),
        p_lab=np.asarray(P_LAB),
        mass=np.asarray(MASSES),
        sigma_pb=sigma,
        sigma_err_pb=sigma_err,
        counts=counts,
        xf_edges=XF_EDGES,
        pt_edges=PT_EDGES,
    )
    tmp.replace(out)
    ratio = sigma / sigma_nw
    print(json.dumps({"cpu_s": round(cpu, 1), "pythia_over_nw_min": ratio.min(), "max": ratio.max()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

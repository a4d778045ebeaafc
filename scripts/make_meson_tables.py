#!/usr/bin/env python3
"""Generate DarkBeam's meson production tables with Pythia 8 (Angantyr for nuclear targets).

This script is the ONLY place in DarkBeam that imports Pythia (``pythia8mc``, GPL; optional extra ``pythia``).
The package reads the tables it writes (``src/darkbeam/data/mesons/*.npz``) without Pythia.

What it does
------------
A proton of lab momentum ``--energy`` GeV/c hits a nucleus at rest (``--target``: C, Be, Cu, Mo, W or p). Pythia 8
generates inelastic collisions (Angantyr, ``HeavyIon`` machinery, for a nucleus; ``SoftQCD:inelastic`` for a proton
target, or a p+p / p+n mixture weighted by Z/A with ``--mode nucleon``), in the lab (target rest) frame
(``Beams:frameType = 3``, ``pzB = 0``). For every event, every hadron of the listed species that appears anywhere in
the event record is counted once (copies are skipped), and its lab momentum p and polar angle θ (to the beam) are
histogrammed in (log10 p/GeV, θ).

Decays. Weakly decaying long-lived hadrons (K⁰_S, hyperons, charm) are made stable (``mayDecay = off``), as are
π±, K±, K⁰_L (Pythia's default): their decays belong to DarkBeam's transport stage. The short-lived strong/EM
resonances (η, η′, ρ, ω, φ, K*, Δ, ...) decay as in Pythia, but each of them is counted when it is produced, and
their decay products are counted as well (the π⁰ table includes π⁰ from η → 3π⁰, ω → π⁰γ, ...). This is the
inclusive yield that measurements quote and that dark-sector production (π⁰ → γA′, η → γA′, ...) needs; the
fraction of each species that comes from decays of other listed mesons is recorded in the header.

Normalisation. The tables hold counts per generated inelastic collision (``n_events``), i.e. multiplicities per
inelastic proton–nucleus interaction in the target. The factor "interactions per POT" (1 − exp(−L/λ_I) for a
target of length L, ignoring re-interactions of secondaries) is left to the beam catalogue. The header records
Pythia's generated cross section (σ_gen) for reference.

Output: a compressed ``.npz`` with ``log10p_edges``, ``theta_edges`` and one int32 histogram ``counts_<pdg>`` per
species, plus ``header`` (a JSON string) with every setting, the seed, version, CPU time and per-species summary.

Example::

    python scripts/make_meson_tables.py --energy 120 --target C --events 400000 --seed 1 \
        --out src/darkbeam/data/mesons/p120_C.npz
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

# Species tabulated (PDG ids). Charged ones are kept separately by sign.
SPECIES: tuple[int, ...] = (
    111, 221, 331, 113, 223, 333,  # pi0, eta, eta', rho0, omega, phi
    211, -211, 321, -321, 130, 310,  # pi+-, K+-, K0_L, K0_S
    411, -411, 421, -421, 431, -431,  # D+-, D0, D0bar, D_s+-
)
LISTED_ABS = frozenset(abs(s) for s in SPECIES)

# Weakly decaying hadrons with c*tau of O(10 um - 10 cm) made stable: their decays belong to transport.
STABLE_EXTRA = (310, 3122, 3112, 3222, 3312, 3322, 3334, 411, 421, 431, 4122, 4132, 4232, 4332)

TARGETS: dict[str, dict[str, int | str]] = {
    # name: nucleus PDG code 100ZZZAAA0, Z, A
    "p": {"pdg": 2212, "Z": 1, "A": 1, "label": "hydrogen (p)"},
    "Be": {"pdg": 1000040090, "Z": 4, "A": 9, "label": "beryllium-9"},
    "C": {"pdg": 1000060120, "Z": 6, "A": 12, "label": "carbon-12 (graphite)"},
    "Cu": {"pdg": 1000290630, "Z": 29, "A": 63, "label": "copper-63"},
    "Fe": {"pdg": 1000260560, "Z": 26, "A": 56, "label": "iron-56 (U70 NuCal dump, natural Fe A = 55.845)"},
    # Not in Pythia's particle table: defined below (NEW_NUCLEI) with the nuclear mass = atomic mass (AME 2020,
    # Wang et al., Chin. Phys. C 45 (2021) 030003) x 0.93149410 GeV/u - Z m_e. Natural Mo (A = 95.95) and W
    # (A = 183.84) are represented by their nearest isotopes, 96Mo and 184W (Angantyr needs an integer A).
    "Mo": {"pdg": 1000420960, "Z": 42, "A": 96, "label": "molybdenum-96 (SHiP/BDF TZM target, natural Mo A = 95.95)"},
    "W": {"pdg": 1000741840, "Z": 74, "A": 184, "label": "tungsten-184 (SHiP/BDF W target, natural W A = 183.84)"},
}

#: Pythia particle-data lines for nuclei Pythia does not know (id:new = name antiName spinType chargeType(3Q)
#: colType m0 [GeV]); masses from the atomic masses 95.904676 u (96Mo) and 183.950931 u (184W), AME 2020.
NEW_NUCLEI: dict[str, str] = {
    "Mo": "1000420960:new = 96Mo 96Mobar 1 126 0 89.3130",
    "W": "1000741840:new = 184W 184Wbar 1 222 0 171.3116",
}

M_PROTON = 0.93827208816  # GeV (PDG 2024)

# Binning: log10(p/GeV) from -2 in steps of 0.05 up to the beam momentum; theta with fine bins at small angle.
LOG10P_MIN = -2.0
LOG10P_STEP = 0.05
THETA_EDGES = np.concatenate(
    [
        np.arange(0.0, 0.02, 0.001),
        np.arange(0.02, 0.1, 0.0025),
        np.arange(0.1, 0.5, 0.01),
        np.arange(0.5, 3.1, 0.05),
        [math.pi],
    ]
)


def log10p_edges(p_beam: float) -> np.ndarray:
    n = math.ceil((math.log10(p_beam) - LOG10P_MIN) / LOG10P_STEP - 1e-9)
    return LOG10P_MIN + LOG10P_STEP * np.arange(n + 1)


def make_pythia(target: str, p_beam: float, seed: int, mode: str, nucleon_id: int = 2212):  # type: ignore[no-untyped-def]
    import pythia8mc  # type: ignore[import-not-found]

    pythia = pythia8mc.Pythia("", False)
    settings = [
        "Beams:frameType = 3",
        "Beams:idA = 2212",
        f"Beams:pzA = {p_beam}",
        "Beams:pzB = 0.",
        "Random:setSeed = on",
        f"Random:seed = {seed}",
        "Next:numberCount = 0",
        "Next:numberShowEvent = 0",
        "Init:showChangedSettings = off",
        "Init:showChangedParticleData = off",
        "Init:showProcesses = off",
        "Init:showMultipartonInteractions = off",
    ]
    tgt = TARGETS[target]
    if mode == "angantyr" and target != "p":
        if target in NEW_NUCLEI:
            settings.append(NEW_NUCLEI[target])
        settings += [f"Beams:idB = {tgt['pdg']}"]  # Angantyr is switched on automatically for a nucleus beam
    else:
        settings += [f"Beams:idB = {nucleon_id}", "SoftQCD:inelastic = on"]
    settings += [f"{pid}:mayDecay = off" for pid in STABLE_EXTRA]
    for s in settings:
        if not pythia.readString(s):
            raise RuntimeError(f"Pythia rejected setting {s!r}")
    # Tune:pp is read before init (Pythia resets the tune switches once they are applied); the key Monash 2013
    # parameters are recorded after init to show what was used.
    settings.append(f"# Tune:pp = {pythia.settings.mode('Tune:pp')} (value before init)")
    if not pythia.init():
        raise RuntimeError("Pythia initialisation failed")
    for key in ("StringFlav:probStoUD", "StringZ:aLund", "StringZ:bLund", "MultipartonInteractions:pT0Ref"):
        settings.append(f"# {key} = {pythia.settings.parm(key)} (after init)")
    settings.append(f"# PDF:pSet = {pythia.settings.word('PDF:pSet')} (after init)")
    return pythia, settings


def run(args: argparse.Namespace) -> dict[str, object]:
    import pythia8mc

    p_beam = float(args.energy)
    tgt = TARGETS[args.target]
    lp_edges = log10p_edges(p_beam)
    th_edges = THETA_EDGES
    n_lp, n_th = len(lp_edges) - 1, len(th_edges) - 1
    counts = {s: np.zeros((n_lp, n_th), dtype=np.int64) for s in SPECIES}
    feed = dict.fromkeys(SPECIES, 0)
    below = dict.fromkeys(SPECIES, 0)
    sum_p = dict.fromkeys(SPECIES, 0.0)
    sum_th = dict.fromkeys(SPECIES, 0.0)

    # Generators: one nuclear (Angantyr) or one/two nucleon ones mixed by Z/A.
    gens: list[tuple[object, float]] = []
    settings_used: list[list[str]] = []
    if args.mode == "angantyr" or args.target == "p":
        py, st = make_pythia(args.target, p_beam, args.seed, args.mode)
        gens.append((py, 1.0))
        settings_used.append(st)
    else:
        z, a = int(tgt["Z"]), int(tgt["A"])
        for nid, frac, off in ((2212, z / a, 0), (2112, (a - z) / a, 1)):
            py, st = make_pythia(args.target, p_beam, args.seed + off, args.mode, nucleon_id=nid)
            gens.append((py, frac))
            settings_used.append(st)

    rng = np.random.default_rng(args.seed)  # chooses p or n target in the nucleon mode
    t0 = time.process_time()
    n_ok = n_fail = 0
    buf: dict[int, list[tuple[float, float, float]]] = {s: [] for s in SPECIES}

    def flush() -> None:
        for s in SPECIES:
            if not buf[s]:
                continue
            arr = np.asarray(buf[s])
            pabs = np.hypot(np.hypot(arr[:, 0], arr[:, 1]), arr[:, 2])
            theta = np.arctan2(np.hypot(arr[:, 0], arr[:, 1]), arr[:, 2])
            below[s] += int(np.sum(pabs < 10**LOG10P_MIN))
            sum_p[s] += float(pabs.sum())
            sum_th[s] += float(theta.sum())
            lp = np.clip(np.log10(np.maximum(pabs, 1e-12)), lp_edges[0], lp_edges[-1] - 1e-9)
            h, _, _ = np.histogram2d(lp, theta, bins=(lp_edges, th_edges))
            counts[s] += h.astype(np.int64)
            buf[s].clear()

    fracs = np.array([g[1] for g in gens])
    for i in range(args.events):
        gi = 0 if len(gens) == 1 else int(rng.random() >= fracs[0])
        py = gens[gi][0]
        if not py.next():  # type: ignore[attr-defined]
            n_fail += 1
            continue
        n_ok += 1
        ev = py.event  # type: ignore[attr-defined]
        for j in range(ev.size()):
            q = ev[j]
            pid = q.id()
            apid = abs(pid)
            if apid not in LISTED_ABS:
                continue
            if pid not in buf:  # e.g. anti-K0_L does not exist; 111/221... are self-conjugate
                pid = apid
                if pid not in buf:
                    continue
            m1 = q.mother1()
            mid = ev[m1].id() if m1 > 0 else 0
            if mid == q.id() and q.mother2() in (0, m1):
                continue  # a copy of the same hadron
            if abs(mid) in LISTED_ABS:
                feed[pid] += 1
            buf[pid].append((q.px(), q.py(), q.pz()))
        if (i + 1) % 20000 == 0:
            flush()
            if args.max_cpu and time.process_time() - t0 > args.max_cpu:
                print(f"stopping after {i + 1} events: CPU limit {args.max_cpu} s reached", file=sys.stderr)
                break
    flush()
    cpu = time.process_time() - t0

    info = gens[0][0].infoPython()  # type: ignore[attr-defined]
    if len(gens) == 1:
        sigma_mb, sigma_err = info.sigmaGen(), info.sigmaErr()
    else:
        sigma_mb = sum(g[0].infoPython().sigmaGen() * g[1] for g in gens)  # type: ignore[attr-defined]
        sigma_err = 0.0
    version = gens[0][0].settings.parm("Pythia:versionNumber")  # type: ignore[attr-defined]
    tune = int(settings_used[0][-6].split("=")[1].split()[0])
    species_info = {}
    for s in SPECIES:
        n = int(counts[s].sum())
        species_info[str(s)] = {
            "count": n,
            "multiplicity_per_interaction": n / n_ok,
            "stat_rel_error": (1 / math.sqrt(n)) if n else None,
            "fraction_from_listed_meson_decays": feed[s] / n if n else 0.0,
            "fraction_below_pmin_put_in_first_bin": below[s] / n if n else 0.0,
            "mean_p_gev_unbinned": sum_p[s] / n if n else None,
            "mean_theta_rad_unbinned": sum_th[s] / n if n else None,
        }
    header: dict[str, object] = {
        "format": "darkbeam-meson-table",
        "format_version": 1,
        "beam": {"pdg": 2212, "p_lab_gev": p_beam, "sqrt_s_nn_gev": math.sqrt(2 * M_PROTON**2 + 2 * M_PROTON *
                                                                                math.hypot(p_beam, M_PROTON))},
        "target": {"name": args.target, **tgt},
        "mode": args.mode if args.target != "p" else "pp",
        "generator": f"Pythia {version:.3f} via pythia8mc {pythia8mc.__version__}"
        if hasattr(pythia8mc, "__version__") else f"Pythia {version:.3f} (pythia8mc)",
        "pythia_version": round(version, 3),
        "tune_pp": tune,
        "tune_note": "Tune:pp = 14 is Monash 2013 (Skands, Carrazza, Rojo, EPJC 74 (2014) 3024), Pythia's default",
        "seed": args.seed,
        "settings": settings_used,
        "nucleon_mix": [g[1] for g in gens],
        "n_events_requested": args.events,
        "n_events": n_ok,
        "n_failed": n_fail,
        "cpu_seconds": round(cpu, 1),
        "sigma_gen_mb": sigma_mb,
        "sigma_gen_err_mb": sigma_err,
        "normalisation": "counts / n_events = hadrons per inelastic proton-target collision (multiplicity per "
        "interaction); multiply by the target's interaction probability per POT for per-POT numbers",
        "counting": "every occurrence in the event record (inclusive of decays of short-lived strong/EM "
        "resonances); K0_S, hyperons and charm hadrons stable; pi+-, K+-, K0_L stable (Pythia default)",
        "binning": {"x": "log10(p / GeV), lab frame", "y": "theta [rad] to the beam axis, lab frame",
                    "underflow": "p < 10**log10p_min is put in the first p bin (fraction in species info)"},
        "species": species_info,
        "created_utc": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": " ".join(["scripts/make_meson_tables.py", *sys.argv[1:]]),
    }
    write_table(Path(args.out), header, {s: counts[s] for s in SPECIES}, lp_edges, th_edges)
    return header


def write_table(
    out: Path,
    header: dict[str, object],
    counts: dict[int, np.ndarray],
    lp_edges: np.ndarray,
    th_edges: np.ndarray,
) -> None:
    """Write a table (the format darkbeam.production.tabulated reads) atomically: temporary file, then rename."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp.npz")
    arrays: dict[str, np.ndarray] = {f"counts_{s}": c.astype(np.int32) for s, c in counts.items()}
    arrays.update(header=np.array(json.dumps(header, indent=1)), log10p_edges=lp_edges, theta_edges=th_edges)
    np.savez_compressed(tmp, **arrays)  # type: ignore[arg-type]
    tmp.replace(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--energy", type=float, required=True, help="beam proton momentum [GeV/c]")
    ap.add_argument("--target", choices=sorted(TARGETS), required=True)
    ap.add_argument("--events", type=int, required=True, help="number of inelastic collisions to generate")
    ap.add_argument("--seed", type=int, default=1, help="Pythia seed (1..900000000)")
    ap.add_argument("--mode", choices=("angantyr", "nucleon"), default="angantyr",
                    help="angantyr: p+A with Angantyr; nucleon: p+p and p+n mixed by Z/A (no nuclear effects)")
    ap.add_argument("--max-cpu", type=float, default=480.0, help="stop early after this many CPU seconds")
    ap.add_argument("--out", required=True, help="output .npz path")
    args = ap.parse_args(argv)
    header = run(args)
    species: dict[str, dict[str, float]] = header["species"]  # type: ignore[assignment]
    summary = {k: round(v["multiplicity_per_interaction"], 4) for k, v in species.items()}
    print(json.dumps({"n_events": header["n_events"], "cpu_s": header["cpu_seconds"],
                      "sigma_gen_mb": header["sigma_gen_mb"], "multiplicities": summary}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

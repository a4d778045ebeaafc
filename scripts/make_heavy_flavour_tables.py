#!/usr/bin/env python3
"""Generate DarkBeam's open-charm and open-beauty production tables (Pythia 8 kinematics, measured normalisation).

Like ``make_meson_tables.py`` (whose binning, counting and file format it reuses), this script is the only place
that imports Pythia for these tables; the package reads the ``.npz`` files without it.

Why a separate run
------------------
Soft-QCD (minimum-bias) events make a c c̄ pair in ~10⁻³ of the collisions at 400 GeV/c and Pythia's soft model is
not meant to predict that rate. Here Pythia 8 generates only the hard pair-creation processes
(``HardQCD:hardccbar`` = gg → cc̄, qq̄ → cc̄, or ``HardQCD:hardbbbar``; massive matrix elements, so
``PhaseSpace:pTHatMin = 0`` is allowed and the whole phase space is covered) in p + p and p + n collisions mixed
by the target's Z/A (no nuclear effects on the kinematics), with initial/final-state showers, multiparton
interactions, beam remnants and string fragmentation (Monash 2013 tune). Charm and beauty hadrons are stable.
This fixes the *shapes* (momentum/angle of each hadron species) and the *hadron mix per produced pair*
(fragmentation fractions, including Pythia's beam-drag / leading-particle effects). Pythia's leading-order
σ(cc̄) (≈ 2.6 µb at 400 GeV/c) is NOT used for the rate.

Normalisation (recorded in the header)
--------------------------------------
Hadrons of species X per inelastic proton–nucleus interaction =

    n_X / n_events  ×  A^α σ(pN → QQ̄ X) / σ_inel(pA)         (α = 1 for hard processes)

``n_X / n_events`` is the table integral (X per produced QQ̄ pair), σ(pN → QQ̄ X) the measured cross section per
nucleon (``--sigma-ub``, with its source in ``--sigma-source``), and σ_inel(pA) the cross section that the
light-meson table of the same beam and target is normalised to (its Angantyr σ_gen, so that the same
"interactions per POT" factor applies to both tables). The product is stored as ``header["multiplicity_scale"]``;
DarkBeam's reader multiplies every table integral by it. Cascade production in thick targets (charm made by
secondary hadrons) is NOT included: the tables are per primary interaction.

Example::

    python scripts/make_heavy_flavour_tables.py --flavour charm --energy 400 --target Mo --events 200000 \\
        --sigma-ub 18.1 --sigma-inel-mb 1034.5 --out src/darkbeam/data/mesons/p400_Mo_charm.npz
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_meson_tables import M_PROTON, TARGETS, THETA_EDGES, log10p_edges, write_table

CHARM = (411, -411, 421, -421, 431, -431, 4122, -4122)
BEAUTY = (511, -511, 521, -521, 531, -531, 5122, -5122)
#: weakly decaying heavy-flavour hadrons made stable (their decays belong to DarkBeam's transport/decay stages)
STABLE = (411, 421, 431, 4122, 4132, 4232, 4332, 511, 521, 531, 541, 5122, 5132, 5232, 5332)
PROCESS = {"charm": "HardQCD:hardccbar", "beauty": "HardQCD:hardbbbar"}


def make_pythia(p_beam: float, seed: int, flavour: str, nucleon_id: int):  # type: ignore[no-untyped-def]
    import pythia8mc  # type: ignore[import-not-found]

    pythia = pythia8mc.Pythia("", False)
    settings = [
        "Beams:frameType = 3",
        "Beams:idA = 2212",
        f"Beams:idB = {nucleon_id}",
        f"Beams:pzA = {p_beam}",
        "Beams:pzB = 0.",
        f"{PROCESS[flavour]} = on",
        "PhaseSpace:pTHatMin = 0.",
        "Random:setSeed = on",
        f"Random:seed = {seed}",
        "Next:numberCount = 0",
        "Print:quiet = on",
    ]
    settings += [f"{pid}:mayDecay = off" for pid in STABLE]
    for s in settings:
        if not pythia.readString(s):
            raise RuntimeError(f"Pythia rejected setting {s!r}")
    settings.append(f"# Tune:pp = {pythia.settings.mode('Tune:pp')} (value before init)")
    if not pythia.init():
        raise RuntimeError("Pythia initialisation failed")
    settings.append(f"# PDF:pSet = {pythia.settings.word('PDF:pSet')} (after init)")
    return pythia, settings


def run(args: argparse.Namespace) -> dict[str, object]:
    import pythia8mc

    species = CHARM if args.flavour == "charm" else BEAUTY
    listed = frozenset(species)
    p_beam = float(args.energy)
    tgt = TARGETS[args.target]
    z, a = int(tgt["Z"]), int(tgt["A"])
    lp_edges = log10p_edges(p_beam)
    th_edges = THETA_EDGES
    shape = (len(lp_edges) - 1, len(th_edges) - 1)
    counts = {s: np.zeros(shape, dtype=np.int64) for s in species}
    sum_p = dict.fromkeys(species, 0.0)
    sum_th = dict.fromkeys(species, 0.0)
    gens = []
    settings_used = []
    for nid, off in ((2212, 0), (2112, 1)):
        py, st = make_pythia(p_beam, args.seed + off, args.flavour, nid)
        gens.append(py)
        settings_used.append(st)
    frac_p = z / a
    rng = np.random.default_rng(args.seed)
    buf: dict[int, list[tuple[float, float, float]]] = {s: [] for s in species}
    t0 = time.process_time()
    n_ok = [0, 0]
    n_fail = 0

    def flush() -> None:
        for s in species:
            if not buf[s]:
                continue
            arr = np.asarray(buf[s])
            pabs = np.hypot(np.hypot(arr[:, 0], arr[:, 1]), arr[:, 2])
            theta = np.arctan2(np.hypot(arr[:, 0], arr[:, 1]), arr[:, 2])
            sum_p[s] += float(pabs.sum())
            sum_th[s] += float(theta.sum())
            lp = np.clip(np.log10(np.maximum(pabs, 1e-12)), lp_edges[0], lp_edges[-1] - 1e-9)
            h, _, _ = np.histogram2d(lp, theta, bins=(lp_edges, th_edges))
            counts[s] += h.astype(np.int64)
            buf[s].clear()

    for i in range(args.events):
        gi = int(rng.random() >= frac_p)
        py = gens[gi]
        if not py.next():
            n_fail += 1
            continue
        n_ok[gi] += 1
        ev = py.event
        for j in range(ev.size()):
            q = ev[j]
            pid = q.id()
            if pid not in listed:
                continue
            m1 = q.mother1()
            if m1 > 0 and ev[m1].id() == pid and q.mother2() in (0, m1):
                continue  # a copy of the same hadron
            buf[pid].append((q.px(), q.py(), q.pz()))
        if (i + 1) % 20000 == 0:
            flush()
    flush()
    cpu = time.process_time() - t0
    n_events = sum(n_ok)
    sigma_lo = [g.infoPython().sigmaGen() for g in gens]  # mb
    version = gens[0].settings.parm("Pythia:versionNumber")
    tune = int(settings_used[0][-2].split("=")[1].split()[0])
    scale = a**args.alpha * args.sigma_ub * 1e-3 / args.sigma_inel_mb
    species_info = {}
    for s in species:
        n = int(counts[s].sum())
        species_info[str(s)] = {
            "count": n,
            "per_pair": n / n_events,
            "multiplicity_per_interaction": n / n_events * scale,
            "stat_rel_error": (1 / math.sqrt(n)) if n else None,
            "mean_p_gev_unbinned": sum_p[s] / n if n else None,
            "mean_theta_rad_unbinned": sum_th[s] / n if n else None,
        }
    sqrt_s = math.sqrt(2 * M_PROTON**2 + 2 * M_PROTON * math.hypot(p_beam, M_PROTON))
    header: dict[str, object] = {
        "format": "darkbeam-meson-table",
        "format_version": 1,
        "content": args.flavour,
        "beam": {"pdg": 2212, "p_lab_gev": p_beam, "sqrt_s_nn_gev": sqrt_s},
        "target": {"name": args.target, **tgt},
        "mode": "nucleon (p+p and p+n mixed by Z/A; hard QQbar pair creation)",
        "generator": f"Pythia {version:.3f} via pythia8mc {getattr(pythia8mc, '__version__', '?')}",
        "pythia_version": round(version, 3),
        "tune_pp": tune,
        "tune_note": "Tune:pp = 14 is Monash 2013 (Skands, Carrazza, Rojo, EPJC 74 (2014) 3024), Pythia's default",
        "seed": args.seed,
        "settings": settings_used,
        "nucleon_mix": [z / a, (a - z) / a],
        "n_events_requested": args.events,
        "n_events": n_events,
        "n_events_pp_pn": n_ok,
        "n_failed": n_fail,
        "cpu_seconds": round(cpu, 1),
        "sigma_gen_mb": args.sigma_inel_mb,
        "sigma_gen_note": "sigma_inel(pA) the table is normalised to: the Angantyr sigma_gen of the light-meson "
        "table for the same beam and target",
        "pythia_lo_sigma_pair_mb_pp_pn": sigma_lo,
        "sigma_pair_per_nucleon_ub": args.sigma_ub,
        "sigma_pair_source": args.sigma_source,
        "a_dependence_alpha": args.alpha,
        "a_dependence_source": args.alpha_source,
        "multiplicity_scale": scale,
        "normalisation": "multiplicity per inelastic pA interaction = counts / n_events * multiplicity_scale, "
        "multiplicity_scale = A^alpha sigma_pair_per_nucleon / sigma_gen (pairs per interaction); "
        "counts / n_events = hadrons per produced pair",
        "cascade": "not included (per primary interaction; secondary-hadron production in thick targets omitted)",
        "counting": "every charm/beauty hadron of the listed species once; weakly decaying heavy-flavour "
        "hadrons stable",
        "binning": {"x": "log10(p / GeV), lab frame", "y": "theta [rad] to the beam axis, lab frame"},
        "species": species_info,
        "created_utc": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": " ".join(["scripts/make_heavy_flavour_tables.py", *sys.argv[1:]]),
    }
    write_table(Path(args.out), header, {s: counts[s] for s in species}, lp_edges, th_edges)
    return header


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--flavour", choices=("charm", "beauty"), required=True)
    ap.add_argument("--energy", type=float, required=True, help="beam proton momentum [GeV/c]")
    ap.add_argument("--target", choices=sorted(t for t in TARGETS if t != "p"), required=True)
    ap.add_argument("--events", type=int, required=True, help="number of hard QQbar events")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sigma-ub", type=float, required=True, help="measured sigma(pN -> QQbar X) per nucleon [ub]")
    ap.add_argument("--sigma-source", default="", help="citation of --sigma-ub")
    ap.add_argument("--sigma-inel-mb", type=float, required=True, help="sigma_inel(pA) [mb] (light table's sigma_gen)")
    ap.add_argument("--alpha", type=float, default=1.0, help="A-dependence exponent of the hard cross section")
    ap.add_argument("--alpha-source", default="", help="citation of --alpha")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    header = run(args)
    info: dict[str, dict[str, float]] = header["species"]  # type: ignore[assignment]
    print(
        json.dumps(
            {
                "n_events": header["n_events"],
                "cpu_s": header["cpu_seconds"],
                "scale": header["multiplicity_scale"],
                "per_pair": {k: round(v["per_pair"], 4) for k, v in info.items()},
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

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

B_c tables (derived, no Pythia run)
-----------------------------------
Pythia's hard bb̄ events contain essentially no B_c (a B_c needs an extra cc̄ pair from the string or a hard
gg → B_c b̄ c̄ process, which HardQCD:hardbbbar does not include), so the beauty tables carry none. ``derive-bc`` makes
a B_c± table from a beauty table: the (p, θ) shape of B± (the heavier B_c is assumed to share the B kinematics) and
the rate B_c⁺ per B⁺ = f_c/f_u = 2 f_c/(f_u + f_d) (f_u = f_d), with f_c/(f_u + f_d) = 3.7 × 10⁻³ measured by LHCb in
pp collisions at 7 and 13 TeV (PRD 100 (2019) 112006, arXiv:1910.13404: (3.63 ± 0.08 ± 0.12 ± 0.86) × 10⁻³ at 7 TeV,
(3.78 ± 0.04 ± 0.15 ± 0.89) × 10⁻³ at 13 TeV, p_T < 20 GeV, 2 < η < 4.5; the last error, ±24 %, is from the theory of
BR(B_c → J/ψ μ ν)): :data:`BC_PER_B_PLUS` = 7.5 × 10⁻³. Energy dependence (the dominant uncertainty): no measurement
exists near the SPS (√s = 27.4 GeV); B_c production needs a second heavy pair (gg → B_c⁺ b c̄ at O(α_s⁴), √ŝ ≥ 12.6 GeV),
so near threshold its fraction is expected to fall below the LHC value by an unknown factor. The derived tables are
therefore an UPPER ESTIMATE (the SHiP HNL study, JHEP 04 (2019) 077, shows B_c only in its "optimistic" variant).
Table multiplicity: B_c⁺ per interaction = (B⁺ counts / n_events) × beauty multiplicity_scale × BC_PER_B_PLUS::

    python scripts/make_heavy_flavour_tables.py derive-bc --beauty src/darkbeam/data/mesons/p400_Mo_beauty.npz \\
        --out src/darkbeam/data/mesons/p400_Mo_bc.npz
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


#: B_c⁺ per B⁺ in the derived B_c tables: 2 × f_c/(f_u + f_d) = 2 × 3.7e-3 (LHCb, PRD 100 (2019) 112006, 7 and 13 TeV;
#: ±24 % at LHC energies, an upper estimate at the SPS: see the module docstring).
BC_PER_B_PLUS = 7.5e-3
BC_SOURCE = (
    "B_c+ per B+ = 2 f_c/(f_u+f_d), f_c/(f_u+f_d) = 3.7e-3: LHCb, PRD 100 (2019) 112006, arXiv:1910.13404 "
    "(3.63e-3 at 7 TeV, 3.78e-3 at 13 TeV, +-24 % from BR(B_c -> J/psi mu nu) theory)"
)
BC_ENERGY_CAVEAT = (
    "measured at sqrt(s) = 7-13 TeV only; at the SPS (sqrt(s) = 27.4 GeV) B_c production (gg -> B_c b cbar, "
    "O(alpha_s^4), sqrt(s_hat) >= 12.6 GeV) is near threshold and its fraction is expected to be smaller by an "
    "unknown factor: this table is an UPPER ESTIMATE"
)


def derive_bc_table(beauty: Path, out: Path, ratio: float = BC_PER_B_PLUS) -> dict[str, object]:
    """Write a B_c± table derived from a beauty table: counts_±541 = counts_±521 (B± kinematics), header
    ``multiplicity_scale`` = the beauty table's × ``ratio`` (B_c⁺ per B⁺). See the module docstring."""
    if not 0.0 < ratio < 1.0:
        raise ValueError(f"ratio = {ratio!r}; it must be in (0, 1)")
    with np.load(beauty, allow_pickle=False) as npz:
        header = json.loads(str(npz["header"]))
        lp_edges = np.asarray(npz["log10p_edges"])
        th_edges = np.asarray(npz["theta_edges"])
        counts = {541: np.asarray(npz["counts_521"]), -541: np.asarray(npz["counts_-521"])}
    if header.get("content") != "beauty":
        raise ValueError(f"{beauty} is not a beauty table (content = {header.get('content')!r})")
    n_events = int(header["n_events"])
    scale = float(header["multiplicity_scale"]) * ratio
    species = {}
    for pid, c in counts.items():
        b_info = header["species"][str(pid // 541 * 521)]
        n = int(c.sum())
        species[str(pid)] = {
            "count": n,
            "per_pair": n / n_events * ratio,
            "multiplicity_per_interaction": n / n_events * scale,
            "shape_from": pid // 541 * 521,
            "mean_p_gev_unbinned_of_b": b_info["mean_p_gev_unbinned"],
        }
    derived = {
        **{k: v for k, v in header.items() if k not in ("species", "command", "created_utc")},
        "content": "beauty",
        "derived_from": {
            "table": beauty.name,
            "command": header.get("command"),
            "created_utc": header.get("created_utc"),
        },
        "bc_per_b_plus": ratio,
        "bc_source": BC_SOURCE,
        "bc_energy_caveat": BC_ENERGY_CAVEAT,
        "bc_kinematics": "B_c+- (p, theta) shape = B+- of the beauty table (no B_c in Pythia hard bbbar events)",
        "multiplicity_scale": scale,
        "normalisation": "multiplicity per inelastic pA interaction = counts / n_events * multiplicity_scale, "
        "multiplicity_scale = (beauty table multiplicity_scale) * bc_per_b_plus; counts = the B+- counts",
        "species": species,
        "created_utc": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": " ".join(
            [
                "scripts/make_heavy_flavour_tables.py",
                "derive-bc",
                "--beauty",
                str(beauty),
                "--out",
                str(out),
                "--ratio",
                repr(ratio),
            ]
        ),
    }
    write_table(out, derived, counts, lp_edges, th_edges)
    return derived


def main_derive_bc(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="derive a B_c table from a beauty table (see the module docstring)")
    ap.add_argument("--beauty", required=True, help="beauty table (.npz) made by this script")
    ap.add_argument("--out", required=True)
    ap.add_argument("--ratio", type=float, default=BC_PER_B_PLUS, help="B_c+ per B+ (default: LHCb, 7.5e-3)")
    args = ap.parse_args(argv)
    header = derive_bc_table(Path(args.beauty), Path(args.out), args.ratio)
    print(json.dumps({"out": args.out, "multiplicity_scale": header["multiplicity_scale"]}))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["derive-bc"]:
        return main_derive_bc(argv[1:])
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

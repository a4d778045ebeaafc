"""Magnetic horns as toroidal fields: vectorised tracking of charged mesons through B_φ = μ₀ I / (2π r).

A horn is two coaxial conductors carrying the current I in opposite directions; by Ampère's law the field between
them is azimuthal, B_φ = μ₀ I / (2π r), and it vanishes inside the inner conductor and outside the outer one
(S. van der Meer, CERN 61-7 (1961); S.E. Kopp, "Accelerator neutrino beams", Phys. Rept. 439 (2007) 101,
arXiv:physics/0609129, Sec. 4.1, Eq. (7)). With I in kA and r in cm, B [T] = 0.02 I / r (the form used by the NuMI
simulation: B [kG] = I [kA] / (5 r [cm]), g4numi src/NumiMagneticField.cc). The horn's inner-conductor radius profile
r_in(z) and outer-conductor radius R_out(z) are tabulated (cm, beam frame) in the beam catalogue
(``[horn.field_model]``, see :mod:`darkbeam.beams.catalogue`), each with its source.

Tracking (z is the independent variable; all particles of one horn advance through the same z planes, so the
conductor radii are scalars per step). Per step Δz, a drift–kick–drift (leapfrog) scheme:

1. drift half a step: x⃗_⊥ += (p⃗_⊥ / p_z) Δz / 2;
2. kick: where r_in(z) < r < R_out(z), rotate p⃗ about the local field direction φ̂ = (−y, x, 0)/r by the angle
   α = −k q B_φ Δs / |p| with Δs = Δz |p| / p_z (the Lorentz force q v⃗ × B⃗ turns p⃗ at the angular rate
   −q B⃗ / (γ m); k = 0.299792458 GeV T⁻¹ m⁻¹ = 2.99792458e-3 GeV T⁻¹ cm⁻¹, PDG RPP 2024, "Passage of particles
   through matter", motion in a magnetic field: p [GeV] = 0.3 B [T] R [m]). The rotation is applied in the Cayley
   (Boris) form, an exact rotation by 2 atan(α/2) = α + O(α³) (J.P. Boris, Proc. 4th Conf. Num. Sim. Plasmas (1970) 3;
   H. Qin et al., Phys. Plasmas 20, 084503 (2013)), so |p⃗| is kept to rounding: a pure magnetic field does no work;
3. drift half a step with the new momentum.

This is second order in Δz inside the field; a conductor surface crossed within a step is resolved to one step
(first order). The sign: the '+' polarity focuses positive mesons (B_φ > 0: a positive charge moving along +z at
r > 0 is pushed towards the axis, F⃗ = q v⃗ × B⃗ ∝ ẑ × φ̂ = −r̂).

Approximations (stated): the conductors' material is not simulated — a meson crossing the thin inner conductor
(2–4 mm of aluminium, < 1 % of λ_I at normal incidence) keeps its momentum, with no multiple scattering, energy loss
or absorption; the field inside the inner-conductor metal is taken as zero (its current distribution is ignored).
A meson reaching the outer conductor (R_out) inside a horn, or arriving at a horn's upstream plane outside R_out, is
absorbed (the outer conductors are 1–2.5 cm of aluminium backed by the target-hall shielding, where such mesons end).
Mesons moving backwards (p_z ≤ 0) are not tracked. Between horns and after the last one the mesons fly straight.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: Magnetic rigidity constant k: Δp [GeV] = k q B [T] Δs [cm] (p = 0.299792458 B R, GeV, T, m; PDG RPP 2024)
K_GEV_PER_T_CM = 0.299792458e-2
#: μ₀ / (2π) in T cm / kA: B [T] = 0.02 I [kA] / r [cm] (μ₀/(2π) = 2e-7 T m / A; CODATA 2018)
MU0_OVER_2PI_T_CM_PER_KA = 0.02


@dataclass(frozen=True)
class HornGeometry:
    """One horn: tabulated inner-conductor outer radius r_in(z) and outer-conductor inner radius R_out(z).

    ``inner_z``/``inner_r`` and ``outer_z``/``outer_r`` are node arrays [cm] in the beam frame (linear interpolation
    between nodes); the field region is z_start ≤ z ≤ z_end (the ends of the inner-conductor table).
    """

    name: str
    inner_z: FloatArray
    inner_r: FloatArray
    outer_z: FloatArray
    outer_r: FloatArray

    @property
    def z_start(self) -> float:
        return float(self.inner_z[0])

    @property
    def z_end(self) -> float:
        return float(self.inner_z[-1])

    def inner_radius(self, z: float | FloatArray) -> FloatArray:
        """r_in(z) [cm]: outer surface of the inner conductor (field-free inside)."""
        return np.asarray(np.interp(z, self.inner_z, self.inner_r))

    def outer_radius(self, z: float | FloatArray) -> FloatArray:
        """R_out(z) [cm]: inner surface of the outer conductor (field-free outside)."""
        return np.asarray(np.interp(z, self.outer_z, self.outer_r))


@dataclass(frozen=True)
class HornTrack:
    """Result of :meth:`FieldHorns.track` for n mesons.

    ``points`` (n, K+1, 3): the production vertex, then the position at the downstream end of each of the K horns
    (a meson absorbed in a horn stays at its absorption point); ``momentum`` (n, 4): four-momentum after the last
    horn; ``alive``: False for mesons absorbed on an outer conductor.
    """

    points: FloatArray
    momentum: FloatArray
    alive: BoolArray


@dataclass(frozen=True)
class FieldHorns:
    """A system of horns on one current (the horns of a beam are in series, PRD 87, 012001; NIM A 806, 279).

    ``current_ka`` > 0; ``polarity`` +1 focuses positive mesons, −1 negative ones, 0 is horn off;
    ``step_cm`` the tracking step Δz.
    """

    horns: tuple[HornGeometry, ...]
    current_ka: float
    polarity: int
    step_cm: float = 2.0

    def field(self, position: FloatArray) -> FloatArray:
        """Magnetic field B⃗ [T] at ``position`` (n, 3) [cm]: μ₀ I/(2π r) φ̂ between the conductors, else 0."""
        pos = np.atleast_2d(np.asarray(position, dtype=float))
        x, y, z = pos[:, 0], pos[:, 1], pos[:, 2]
        r = np.hypot(x, y)
        b_phi = np.zeros(len(pos))
        for horn in self.horns:
            inside = (z >= horn.z_start) & (z <= horn.z_end)
            inside &= (r > horn.inner_radius(z)) & (r < horn.outer_radius(z))
            with np.errstate(divide="ignore", invalid="ignore"):
                b_phi = np.where(inside, self.polarity * MU0_OVER_2PI_T_CM_PER_KA * self.current_ka / r, b_phi)
        out = np.zeros((len(pos), 3))
        with np.errstate(divide="ignore", invalid="ignore"):
            out[:, 0] = np.where(r > 0, -b_phi * y / r, 0.0)
            out[:, 1] = np.where(r > 0, b_phi * x / r, 0.0)
        return out

    def track(self, momentum: FloatArray, vertex: FloatArray, charge: float) -> HornTrack:
        """Track mesons of one ``charge`` (units of e) from ``vertex`` (n, 3) [cm] with four-momenta (n, 4) [GeV]
        through every horn (module docstring); |p⃗| and E are unchanged."""
        n = len(momentum)
        p3 = np.array(momentum[:, :3], dtype=float)
        pos = np.array(vertex, dtype=float)
        alive = np.ones(n, dtype=bool)
        points = np.empty((n, len(self.horns) + 1, 3))
        points[:, 0] = pos
        tracked = p3[:, 2] > 0
        kq = K_GEV_PER_T_CM * float(charge) * self.polarity * MU0_OVER_2PI_T_CM_PER_KA * self.current_ka
        for h, horn in enumerate(self.horns):
            idx = np.flatnonzero(tracked & alive & (pos[:, 2] < horn.z_end))
            if len(idx) and self.polarity != 0:
                self._track_one(horn, idx, pos, p3, alive, kq)
            points[:, h + 1] = pos
        out = np.array(momentum, dtype=float, copy=True)
        out[:, :3] = p3
        return HornTrack(points, out, alive)

    def _track_one(
        self, horn: HornGeometry, idx: NDArray[np.intp], pos: FloatArray, p3: FloatArray, alive: BoolArray, kq: float
    ) -> None:
        """Track the mesons ``idx`` through ``horn``; updates ``pos``, ``p3`` and ``alive`` in place."""
        n_steps = max(1, int(np.ceil((horn.z_end - horn.z_start) / self.step_cm)))
        planes = np.linspace(horn.z_start, horn.z_end, n_steps + 1)
        z0 = pos[idx, 2]
        # first plane at or downstream of each meson's z: it drifts there straight (field over < 1 step neglected)
        k0 = np.searchsorted(planes, z0, side="left")
        order = np.argsort(k0, kind="stable")
        idx, k0 = idx[order], k0[order]
        x, y = pos[idx, 0].copy(), pos[idx, 1].copy()
        px, py, pz = p3[idx, 0].copy(), p3[idx, 1].copy(), p3[idx, 2].copy()
        live = np.ones(len(idx), dtype=bool)
        dz0 = planes[k0] - z0
        x += px / pz * dz0
        y += py / pz * dz0
        # mesons starting upstream of the horn must enter through its upstream face, inside the outer conductor
        upstream = k0 == 0
        live &= ~(upstream & (np.hypot(x, y) >= horn.outer_radius(horn.z_start)))
        z_stop = np.where(live, horn.z_end, horn.z_start)  # where each meson leaves the horn (or is absorbed)
        starts = np.searchsorted(k0, np.arange(n_steps + 1), side="right")  # active = prefix [:starts[k]]
        for k in range(n_steps):
            m = int(starts[k])
            if m == 0:
                continue
            dz = planes[k + 1] - planes[k]
            zm = 0.5 * (planes[k] + planes[k + 1])
            sx, sy, spx, spy, spz, sl = x[:m], y[:m], px[:m], py[:m], pz[:m], live[:m]
            before = sl.copy()
            half = sl * (0.5 * dz) / spz
            sx += spx * half
            sy += spy * half
            r = np.hypot(sx, sy)
            sl &= r < float(horn.outer_radius(zm))
            infield = sl & (r > float(horn.inner_radius(zm)))
            # rotation of (p_r, p_z) about φ̂ (p_φ unchanged): p_r' = p_r c + p_z s, p_z' = p_z c − p_r s, with the
            # Cayley (Boris) form c = (1 − t²)/(1 + t²), s = 2t/(1 + t²), t = α/2: an exact rotation (|p| kept to
            # rounding) by 2 atan(α/2) = α − α³/12 + …; α = −k q B_φ Δz / p_z, B_φ = μ₀ I/(2π r)
            with np.errstate(divide="ignore", invalid="ignore"):
                inv_r = np.where(infield, 1.0 / r, 0.0)
            t = (-0.5 * kq * dz) * inv_r / spz
            t2 = t * t
            den = 1.0 / (1.0 + t2)
            c_m1 = -2.0 * t2 * den  # c − 1
            s = 2.0 * t * den
            p_r = (sx * spx + sy * spy) * inv_r
            dpr = p_r * c_m1 + spz * s
            spz += spz * c_m1 - p_r * s
            spx += dpr * sx * inv_r
            spy += dpr * sy * inv_r
            sl &= spz > 0  # turned back by the field: lost
            z_stop[:m][before & ~sl] = zm
            with np.errstate(divide="ignore", invalid="ignore"):
                half = np.where(sl, 0.5 * dz / spz, 0.0)
            sx += spx * half
            sy += spy * half
        pos[idx, 0], pos[idx, 1], pos[idx, 2] = x, y, z_stop
        p3[idx, 0], p3[idx, 1], p3[idx, 2] = px, py, pz
        alive[idx] = live

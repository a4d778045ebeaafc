"""Upper limits on a signal in a single-bin counting experiment with known background.

Three constructions, each returning the upper limit ``s_up`` on the expected signal count at confidence level
``cl`` given ``observed`` events and ``background`` expected events:

* ``"classical"``: Neyman construction with the Poisson CDF, P(n ≤ n_obs | s + b) = 1 − CL (PDG RPP 2024,
  "Statistics" review, Eq. 40.76). Can be very strong when n_obs < b; returns 0 where s + b < b would be needed.
* ``"feldman_cousins"``: unified likelihood-ratio ordering, G.J. Feldman & R.D. Cousins, PRD 57, 3873 (1998),
  Section IV.B (reproduces their Table IV to the 0.01 quoted).
* ``"cls"``: modified frequentist CLs = P(n ≤ n_obs | s + b) / P(n ≤ n_obs | b) = 1 − CL (A.L. Read,
  J. Phys. G 28, 2693 (2002), Eq. 4 for a counting experiment).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import optimize, special, stats

from ..errors import check_choice, check_positive

Method = Literal["classical", "feldman_cousins", "cls"]
METHODS: tuple[str, ...] = ("classical", "feldman_cousins", "cls")


def _check(observed: int, background: float, cl: float) -> None:
    if int(observed) != observed or observed < 0:
        check_choice("observed", observed, ["non-negative integers"])
    check_positive("background", background, allow_zero=True)
    if not 0.0 < cl < 1.0:
        check_choice("cl", cl, ["a confidence level strictly between 0 and 1, e.g. 0.9 or 0.95"])


def poisson_cdf(observed: int, mean: float) -> float:
    """P(n ≤ observed | mean) = Q(observed + 1, mean), the regularised upper incomplete gamma function."""
    return float(special.gammaincc(observed + 1, mean))


def classical_upper_limit(observed: int, background: float, cl: float = 0.9) -> float:
    """Neyman upper limit: the s with P(n ≤ n_obs | s + b) = 1 − CL, clipped at 0 (PDG Eq. 40.76)."""
    _check(observed, background, cl)
    total = float(special.gammainccinv(observed + 1, 1.0 - cl))
    return max(total - background, 0.0)


def cls_upper_limit(observed: int, background: float, cl: float = 0.9) -> float:
    """CLs upper limit: P(n ≤ n_obs | s + b) = (1 − CL) P(n ≤ n_obs | b) (Read 2002, Eq. 4)."""
    _check(observed, background, cl)
    target = (1.0 - cl) * poisson_cdf(observed, background)

    def excess(signal: float) -> float:
        return poisson_cdf(observed, signal + background) - target

    upper = classical_upper_limit(observed, 0.0, cl) + 1.0
    return float(optimize.brentq(excess, 0.0, upper, xtol=1e-10))


def feldman_cousins_upper_limit(observed: int, background: float, cl: float = 0.9, *, step: float = 0.0005) -> float:
    """Feldman–Cousins upper limit with known background (PRD 57, 3873, Section IV.B), on a signal grid of
    spacing ``step``; the acceptance region at each s is built by the likelihood-ratio ordering
    R(n) = P(n | s + b) / P(n | max(0, n − b) + b)."""
    _check(observed, background, cl)
    n_max = int(observed + background + 20 + 10 * np.sqrt(observed + background + 20))
    s_max = classical_upper_limit(observed, 0.0, cl) + 5.0
    signal = np.arange(0.0, s_max, step)
    counts = np.arange(n_max + 1)
    prob = stats.poisson.pmf(counts[None, :], signal[:, None] + background)
    best = stats.poisson.pmf(counts, np.maximum(counts - background, 0.0) + background)
    ratio = prob / best[None, :]
    order = np.argsort(-ratio, axis=1, kind="stable")
    cumulative = np.cumsum(np.take_along_axis(prob, order, axis=1), axis=1)
    # ranks needed to reach the CL; n is accepted if its rank is within them
    needed = np.argmax(cumulative >= cl, axis=1)
    rank_of_observed = np.argmax(order == observed, axis=1)
    accepted = rank_of_observed <= needed
    return float(signal[np.nonzero(accepted)[0].max()])


def upper_limit(observed: int, background: float, cl: float = 0.9, method: str = "classical") -> float:
    """Upper limit on the expected signal count with the named ``method`` (one of :data:`METHODS`)."""
    check_choice("limit.method", method, METHODS)
    if method == "classical":
        return classical_upper_limit(observed, background, cl)
    if method == "cls":
        return cls_upper_limit(observed, background, cl)
    return feldman_cousins_upper_limit(observed, background, cl)

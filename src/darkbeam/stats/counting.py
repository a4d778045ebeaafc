"""Upper limits on a signal in a single-bin counting experiment with known background.

Three constructions, each returning the upper limit ``s_up`` on the expected signal count at confidence level
``cl`` given ``observed`` events and ``background`` expected events:

* ``"classical"``: Neyman construction with the Poisson CDF, P(n ≤ n_obs | s + b) = 1 − CL (PDG RPP 2024,
  "Statistics" review, Eq. 40.76). Can be very strong when n_obs < b; returns 0 where s + b < b would be needed.
* ``"feldman_cousins"``: unified likelihood-ratio ordering, G.J. Feldman & R.D. Cousins, PRD 57, 3873 (1998),
  Section IV.B (reproduces their Table IV to the 0.01 quoted).
* ``"cls"``: modified frequentist CLs = P(n ≤ n_obs | s + b) / P(n ≤ n_obs | b) = 1 − CL (A.L. Read,
  J. Phys. G 28, 2693 (2002), Eq. 4 for a counting experiment).
* ``"bayesian"``: the CL quantile of the posterior of s for a prior flat in a parameter g with s ∝ g^p (PDG RPP 2024,
  "Statistics" review, Sec. 40.4.1: Bayesian upper limit, Eq. 40.66 with the Poisson likelihood). p = 1 is the
  usual prior flat in s (for n_obs = 0: s_up = −ln(1 − CL) = 2.303 at 90 %); a search that puts its prior flat in
  the coupling of a signal ∝ g^p has prior density ∝ s^(1/p − 1) in s — e.g. T2K's HNL search, flat in |U|² with
  s ∝ |U|⁴ (p = 2; T2K PRD 100, 052006 (2019) data release, heavyNu_combined_model.py), gives for n_obs = 0
  s_up = [erf⁻¹(CL)]² = 1.353 at 90 %.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import optimize, special, stats

from ..errors import ConfigError, check_choice, check_positive

Method = Literal["classical", "feldman_cousins", "cls", "bayesian"]
METHODS: tuple[str, ...] = ("classical", "feldman_cousins", "cls", "bayesian")


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


def bayesian_upper_limit(observed: int, background: float, cl: float = 0.9, signal_power: float = 1.0) -> float:
    """Bayesian upper limit with a prior flat in g, s ∝ g^``signal_power`` (module docstring).

    The posterior of s is ∝ s^(a − 1) (s + b)^n e^(−s) with a = 1/p; expanding (s + b)^n binomially, its CDF is
    Σ_k C(n, k) b^(n−k) γ(a + k, S) / Σ_k C(n, k) b^(n−k) Γ(a + k) (γ, Γ: incomplete and complete gamma functions),
    solved for CDF(S) = CL."""
    _check(observed, background, cl)
    check_positive("signal_power", signal_power)
    a = 1.0 / signal_power
    k = np.arange(observed + 1)
    with np.errstate(divide="ignore"):  # b = 0: only the k = n term survives (xlogy(0, 0) = 0)
        log_terms = special.gammaln(observed + 1) - special.gammaln(k + 1) - special.gammaln(observed - k + 1)
        log_terms = log_terms + special.xlogy(observed - k, background) + special.gammaln(a + k)
    weights = np.exp(log_terms - np.max(log_terms))

    def excess(total: float) -> float:
        return float(np.sum(weights * special.gammainc(a + k, total)) / np.sum(weights)) - cl

    upper = classical_upper_limit(observed, 0.0, cl) * 10.0 + 10.0
    return float(optimize.brentq(excess, 0.0, upper, xtol=1e-12))


def upper_limit(
    observed: int, background: float, cl: float = 0.9, method: str = "classical", signal_power: float = 1.0
) -> float:
    """Upper limit on the expected signal count with the named ``method`` (one of :data:`METHODS`);
    ``signal_power``: for ``"bayesian"``, the power p of the coupling the prior is flat in (s ∝ g^p)."""
    check_choice("limit.method", method, METHODS)
    if method == "classical":
        return classical_upper_limit(observed, background, cl)
    if method == "cls":
        return cls_upper_limit(observed, background, cl)
    if method == "bayesian":
        return bayesian_upper_limit(observed, background, cl, signal_power)
    return feldman_cousins_upper_limit(observed, background, cl)


def upper_limit_with_background_uncertainty(
    observed: int,
    background: float,
    sigma_b: float,
    cl: float = 0.9,
    method: str = "classical",
    signal_power: float = 1.0,
) -> float:
    """Upper limit on the signal count: :func:`upper_limit` if ``sigma_b`` = 0, else the classical limit with the
    background marginalised over a Gaussian of width ``sigma_b`` (R.D. Cousins, V.L. Highland, NIM A 320 (1992) 331,
    Eqs. (7)-(8)): Σ_k π_k P(n ≤ n_obs | s + b_k) = 1 − CL with b_k on a Gaussian grid truncated at b ≥ 0."""
    check_positive("background_uncertainty", sigma_b, allow_zero=True)
    if sigma_b == 0.0:
        return upper_limit(observed, background, cl, method, signal_power)
    if method != "classical":
        raise ConfigError(
            f"limit.method = {method!r} is not allowed with background_uncertainty > 0; allowed: 'classical'"
        )
    z = np.linspace(-6.0, 6.0, 241)
    b_k = background + sigma_b * z
    prior = np.exp(-0.5 * z * z) * (b_k >= 0)
    prior = prior / prior.sum()
    b_k = np.clip(b_k, 0.0, None)

    def excess(signal: float) -> float:
        return float(np.sum(prior * special.gammaincc(observed + 1, signal + b_k))) - (1.0 - cl)

    high = max(observed, 1) + 10.0 * (np.sqrt(observed + background) + sigma_b) + 10.0
    if excess(0.0) <= 0.0:
        return 0.0
    return float(optimize.brentq(excess, 0.0, high, xtol=1e-8))

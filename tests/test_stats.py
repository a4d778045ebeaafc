"""Counting-experiment upper limits against published tables and closed forms."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from darkbeam.errors import ConfigError
from darkbeam.stats import (
    bayesian_upper_limit,
    classical_upper_limit,
    cls_upper_limit,
    excluded_band,
    feldman_cousins_upper_limit,
    poisson_cdf,
    upper_limit,
)


def test_classical_no_background_closed_form():
    # n = 0, b = 0: P(0 | s) = e^{-s} = 1 - CL  →  s = -ln(1 - CL)  (PDG RPP 2024, Statistics, Table 40.3: 2.30, 3.00)
    assert classical_upper_limit(0, 0.0, 0.9) == pytest.approx(-math.log(0.1), rel=1e-9)
    assert classical_upper_limit(0, 0.0, 0.95) == pytest.approx(-math.log(0.05), rel=1e-9)
    # PDG Table 40.3, n = 2, 90 % CL: 5.32
    assert classical_upper_limit(2, 0.0, 0.9) == pytest.approx(5.322, abs=1e-3)


def test_classical_subtracts_background_and_clips():
    assert classical_upper_limit(2, 1.0, 0.9) == pytest.approx(5.322 - 1.0, abs=1e-3)
    assert classical_upper_limit(0, 5.0, 0.9) == 0.0


@pytest.mark.parametrize(
    ("observed", "background", "expected"),
    # Feldman & Cousins, PRD 57, 3873 (1998), Table IV (90 % CL upper ends). For n0 = 0 at b >= 2 the table
    # quotes 1.26 / 1.08, wider than the plain construction (1.08 / 0.95), which FC discuss as the small-n0
    # ambiguity of Sec. V; those rows are not used here.
    [(0, 0.0, 2.44), (0, 0.5, 1.94), (0, 1.0, 1.61), (0, 1.5, 1.33), (1, 0.0, 4.36), (1, 1.0, 3.36)],
)
def test_feldman_cousins_table_iv(observed, background, expected):
    assert feldman_cousins_upper_limit(observed, background, 0.9) == pytest.approx(expected, abs=0.01)


@given(background=st.floats(0.0, 20.0), cl=st.sampled_from([0.68, 0.9, 0.95]))
@settings(max_examples=30, deadline=None)
def test_cls_with_zero_observed_is_background_independent(background, cl):
    # CLs = e^{-(s+b)}/e^{-b} = e^{-s}  →  s_up = -ln(1 - CL) for n = 0 (Read 2002, Eq. 4)
    assert cls_upper_limit(0, background, cl) == pytest.approx(-math.log(1 - cl), rel=1e-7)


@given(observed=st.integers(0, 30), background=st.floats(0.0, 30.0))
@settings(max_examples=40, deadline=None)
def test_cls_is_more_conservative_than_classical(observed, background):
    cls = cls_upper_limit(observed, background, 0.9)
    assert cls >= classical_upper_limit(observed, background, 0.9) - 1e-7
    # defining property of the limit
    target = 0.1 * poisson_cdf(observed, background)
    assert poisson_cdf(observed, cls + background) == pytest.approx(target, rel=1e-6, abs=1e-12)


def test_microboone_2021_counting_limit():
    # 1 observed on 1.9 expected (PRL 127, 151803): CLs 95 % upper limit 3.84 signal events, classical 2.84
    assert upper_limit(1, 1.9, 0.95, "cls") == pytest.approx(3.839, abs=2e-3)
    assert upper_limit(1, 1.9, 0.95, "classical") == pytest.approx(2.844, abs=2e-3)


def test_bad_inputs_name_the_field():
    with pytest.raises(ConfigError, match=r"limit\.method"):
        upper_limit(1, 1.0, 0.9, "jeffreys")
    with pytest.raises(ConfigError, match="background"):
        upper_limit(1, -1.0, 0.9)
    with pytest.raises(ConfigError, match="observed"):
        upper_limit(-1, 1.0, 0.9)


def test_excluded_band_interpolates_crossings():
    couplings = np.geomspace(1e-6, 1e-1, 51)
    # expected ∝ g⁴ below 1e-3 and killed above 1e-2: a band [g_lo, g_hi]
    expected = (couplings / 1e-4) ** 4 * np.exp(-((couplings / 1e-2) ** 2))
    lower, upper = excluded_band(couplings, expected[None, :], 1.0)
    assert lower[0] == pytest.approx(1e-4, rel=0.01)
    assert upper[0] > 1e-2
    none_lower, _ = excluded_band(couplings, np.zeros((1, 51)), 1.0)
    assert np.isnan(none_lower[0])


def test_bayesian_flat_prior_closed_forms():
    """Prior flat in s (p = 1), b = 0: the posterior is a Gamma(n + 1) density, s_up = P⁻¹(n + 1, CL) (equal to
    the classical limit; PDG RPP 2024 Statistics, Sec. 40.4.1). Prior flat in g with s ∝ g² (p = 2), n = 0: the
    posterior CDF is erf(√S), s_up = erf⁻¹(CL)² = 1.3528 at 90 % — T2K's HNL convention (PRD 100, 052006 data
    release: prior flat in |U|², N ∝ |U|⁴), 0.587 of the 2.303 of a flat prior in s."""
    from scipy import special

    for n in range(6):
        assert bayesian_upper_limit(n, 0.0, 0.9) == pytest.approx(special.gammaincinv(n + 1, 0.9), rel=1e-9)
    assert bayesian_upper_limit(0, 0.0, 0.9, signal_power=2.0) == pytest.approx(special.erfinv(0.9) ** 2, rel=1e-9)
    assert bayesian_upper_limit(0, 0.0, 0.9, signal_power=2.0) == pytest.approx(1.3528, abs=1e-4)
    # with n = 0 the background factor e^(-b) cancels in the posterior
    assert bayesian_upper_limit(0, 3.7, 0.95, signal_power=4.0) == pytest.approx(
        bayesian_upper_limit(0, 0.0, 0.95, signal_power=4.0), rel=1e-9
    )


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 8), st.floats(0.0, 10.0), st.sampled_from([0.68, 0.9, 0.95]), st.sampled_from([1.0, 2.0, 4.0]))
def test_bayesian_limit_is_the_posterior_quantile(observed, background, cl, power):
    """The closed-form CDF equals a direct numerical integral of s^(1/p − 1) (s + b)^n e^(−s)."""
    from scipy import integrate

    s_up = bayesian_upper_limit(observed, background, cl, signal_power=power)
    a = 1.0 / power

    def density(s: float) -> float:
        return s ** (a - 1.0) * (s + background) ** observed * math.exp(-s)

    inside = integrate.quad(density, 0.0, s_up, limit=200)[0]
    total = integrate.quad(density, 0.0, math.inf, limit=200)[0]
    assert inside / total == pytest.approx(cl, abs=1e-6)

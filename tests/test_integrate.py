"""VEGAS integrator (Lepage, J. Comput. Phys. 27 (1978) 192): accuracy on known integrals, error estimates,
reproducibility, sampling, and the 1 % default precision of upscattering σ(E_ν) against adaptive quadrature."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate as sp_integrate

from darkbeam.errors import ConfigError
from darkbeam.interactions.integrate import VegasMap, vegas
from darkbeam.interactions.upscattering import (
    DipolePortal,
    ZPrimePortal,
    dsigma_dq2,
    q2_range,
    target,
    total_cross_section,
)


def test_gaussian_peak_4d() -> None:
    """A narrow 4-d Gaussian (width 0.05 in the unit cube): exact value (erf)^4 known in closed form."""
    sigma = 0.05

    def f(x: np.ndarray) -> np.ndarray:
        return np.exp(-np.sum((x - 0.5) ** 2, axis=1) / (2 * sigma**2)) / (2 * math.pi * sigma**2) ** 2

    exact = math.erf(0.5 / (sigma * math.sqrt(2))) ** 4
    res = vegas(f, [[0, 1]] * 4, np.random.default_rng(1), n_eval=20_000, n_iter=6, n_warmup=6)
    assert res.value == pytest.approx(exact, rel=0.01)
    assert abs(res.value - exact) < 5 * res.error
    assert res.relative_error < 0.01


def test_power_law_adapts() -> None:
    """∫₀¹ x^(−0.4) dx = 5/3 (integrable singularity, finite variance): adaptation beats plain MC."""

    def f(x: np.ndarray) -> np.ndarray:
        return np.asarray(x[:, 0] ** -0.4)

    rng = np.random.default_rng(2)
    res = vegas(f, [[0, 1]], rng, n_eval=10_000, n_iter=8, n_warmup=5)
    assert res.value == pytest.approx(5 / 3, rel=0.003)
    plain = f(rng.random((80_000, 1)))
    assert res.error < 0.5 * plain.std() / math.sqrt(plain.size)


def test_reproducible_and_seed_dependent() -> None:
    def f(x: np.ndarray) -> np.ndarray:
        return np.asarray(np.sin(np.pi * x[:, 0]) * x[:, 1] ** 2)

    a = vegas(f, [[0, 1], [0, 2]], np.random.default_rng(5), n_eval=2000)
    b = vegas(f, [[0, 1], [0, 2]], np.random.default_rng(5), n_eval=2000)
    c = vegas(f, [[0, 1], [0, 2]], np.random.default_rng(6), n_eval=2000)
    assert a.value == b.value
    assert a.value != c.value
    assert a.value == pytest.approx(2 / np.pi * 8 / 3, rel=0.01)


def test_map_sampling_weights_sum_to_integral_and_unweight() -> None:
    def f(x: np.ndarray) -> np.ndarray:
        return np.asarray(3 * x[:, 0] ** 2)

    rng = np.random.default_rng(9)
    res = vegas(f, [[0, 1]], rng, n_eval=5000)
    x, w = res.map.sample(f, 50_000, rng)
    assert np.sum(w) == pytest.approx(1.0, rel=0.01)
    kept = res.map.unweight(x, w, rng)
    # unweighted events follow the density 3x²: mean 3/4
    assert kept[:, 0].mean() == pytest.approx(0.75, abs=0.01)
    # the map is a bijection onto the bounds with positive Jacobian
    xs, jac, _ = res.map.map(np.linspace(0, 0.999999, 101)[:, None])
    assert np.all(np.diff(xs[:, 0]) > 0)
    assert np.all(jac > 0)


def test_bad_arguments() -> None:
    with pytest.raises(ConfigError, match="bounds"):
        VegasMap([[1.0, 0.0]])
    with pytest.raises(ConfigError, match="n_eval"):
        vegas(lambda x: x[:, 0], [[0, 1]], np.random.default_rng(0), n_eval=1)
    with pytest.raises(ConfigError, match="non-finite"):
        vegas(lambda x: np.full(x.shape[0], np.inf), [[0, 1]], np.random.default_rng(0))


@pytest.mark.parametrize(
    ("portal", "m_n", "nuc", "regime", "energy"),
    [
        (ZPrimePortal(0.03, 1e-3, 1.0, 1e-3), 0.42, "C12", "coherent", 1.0),
        (ZPrimePortal(1.25, 1e-2, 1.0, 1e-3), 0.1, "Ar40", "p-el", 3.0),
        (DipolePortal(5e-7), 0.1, "Ar40", "coherent", 0.5),
        (DipolePortal(5e-7), 0.3, "C12", "p-el", 2.0),
    ],
)
def test_total_cross_section_default_precision(
    portal: ZPrimePortal | DipolePortal, m_n: float, nuc: str, regime: str, energy: float
) -> None:
    """Default-settings σ(E) agrees with scipy adaptive quadrature (in log Q²) within 1 % (the issue's target)."""
    tgt = target(nuc, regime)
    lo, hi = (float(v) for v in q2_range(energy, m_n, tgt.mass))

    def integrand(logq2: float) -> float:
        q2 = math.exp(logq2)
        return float(dsigma_dq2(energy, q2, m_n, tgt, portal)) * q2 * 1e40

    ref, _ = sp_integrate.quad(integrand, math.log(lo), math.log(hi), limit=400, epsrel=1e-8)
    for seed in (1, 2, 3):
        sigma, err = total_cross_section(energy, m_n, tgt, portal, np.random.default_rng(seed), return_error=True)
        assert float(sigma) * 1e40 == pytest.approx(ref, rel=0.01)
        assert float(err) / float(sigma) < 0.005

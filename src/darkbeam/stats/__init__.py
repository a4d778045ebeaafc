"""Statistics: counting-experiment upper limits and exclusion contours."""

from .contour import excluded_band
from .counting import (
    METHODS,
    bayesian_upper_limit,
    classical_upper_limit,
    cls_upper_limit,
    feldman_cousins_upper_limit,
    poisson_cdf,
    upper_limit,
    upper_limit_with_background_uncertainty,
)

__all__ = [
    "METHODS",
    "bayesian_upper_limit",
    "classical_upper_limit",
    "cls_upper_limit",
    "excluded_band",
    "feldman_cousins_upper_limit",
    "poisson_cdf",
    "upper_limit",
    "upper_limit_with_background_uncertainty",
]

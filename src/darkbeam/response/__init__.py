"""Fast detector response: selections and efficiencies applied to decay products."""

from .pair import PairSelection

__all__ = ["PairSelection"]

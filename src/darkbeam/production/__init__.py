"""Production stage: parent sources (decay at rest, in flight, ntuples) and dark particles from their decays."""

from .dark import cone_toward, produce
from .decay_at_rest import DecayAtRestSource
from .hadrons import HadronSample, HadronSource
from .parents import ParentDecays, ParentSource

__all__ = [
    "DecayAtRestSource",
    "HadronSample",
    "HadronSource",
    "ParentDecays",
    "ParentSource",
    "cone_toward",
    "produce",
]

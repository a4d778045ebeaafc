"""Production stage: hadrons made in the target, their transport and decays, and dark particles from the decays."""

from .dark import cone_toward, produce
from .decay_at_rest import DecayAtRestSource
from .hadrons import HadronSample, HadronSource
from .ntuple import NtupleSource
from .parents import ParentDecays, ParentSource
from .stopped_pion import StoppedPionSource
from .tabulated import TabulatedHadronSource, available_tables, load_table

__all__ = [
    "DecayAtRestSource",
    "HadronSample",
    "HadronSource",
    "NtupleSource",
    "ParentDecays",
    "ParentSource",
    "StoppedPionSource",
    "TabulatedHadronSource",
    "available_tables",
    "cone_toward",
    "load_table",
    "produce",
]

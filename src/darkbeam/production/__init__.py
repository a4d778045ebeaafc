"""Production stage: hadrons made in the target, their transport and decays, and dark particles from the decays."""

from .bremsstrahlung import BeamProtonSource
from .dark import cone_toward, produce
from .decay_at_rest import DecayAtRestSource
from .drell_yan import DrellYanSource
from .hadrons import HadronSample, HadronSource
from .ntuple import NtupleSource
from .parents import ParentDecays, ParentSource
from .primakoff import MesonMixingSource, PrimakoffPhotonSource
from .stopped_pion import StoppedPionSource
from .tabulated import TabulatedHadronSource, available_tables, load_table

__all__ = [
    "BeamProtonSource",
    "DecayAtRestSource",
    "DrellYanSource",
    "HadronSample",
    "HadronSource",
    "MesonMixingSource",
    "NtupleSource",
    "ParentDecays",
    "ParentSource",
    "PrimakoffPhotonSource",
    "StoppedPionSource",
    "TabulatedHadronSource",
    "available_tables",
    "cone_toward",
    "load_table",
    "produce",
]

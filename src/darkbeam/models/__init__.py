"""Portals: one module per model, all registered in :data:`MODELS`.

``darkbeam.models.HiggsPortalScalar(mass=0.1, sin_theta=1e-4)``, ``darkbeam.models.HNL(mass=0.2, umu2=1e-7)``,
``darkbeam.models.DarkPhoton(mass=0.1, epsilon=1e-4)``, ``darkbeam.models.ALP(mass=0.1, g_agg=1e-5)``,
``darkbeam.models.Millicharged(mass=0.05, epsilon=1e-3)``;
``MODELS[name]`` looks a model up by its registry name (``darkbeam list models``).
"""

from .alp import ALP, GluonALP
from .base import MODELS, DarkModel, DecayChannel, ProductionChannel, register_model
from .dark_photon import DarkPhoton
from .hnl import HNL
from .light_dark_matter import LightDarkMatter
from .millicharged import Millicharged
from .scalar import HiggsPortalScalar

MODELS.alias("darkphoton", "dark_photon")

__all__ = [
    "ALP",
    "HNL",
    "MODELS",
    "DarkModel",
    "DarkPhoton",
    "DecayChannel",
    "GluonALP",
    "HiggsPortalScalar",
    "LightDarkMatter",
    "Millicharged",
    "ProductionChannel",
    "register_model",
]

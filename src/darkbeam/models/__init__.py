"""Portals: one module per model, all registered in :data:`MODELS`.

``darkbeam.models.HiggsPortalScalar(mass=0.1, sin_theta=1e-4)``, ``darkbeam.models.HNL(mass=0.2, umu2=1e-7)``;
``MODELS[name]`` looks a model up by its registry name (``darkbeam list models``).
"""

from .base import MODELS, DarkModel, DecayChannel, ProductionChannel, register_model
from .scalar import HiggsPortalScalar

__all__ = [
    "MODELS",
    "DarkModel",
    "DecayChannel",
    "HiggsPortalScalar",
    "ProductionChannel",
    "register_model",
]

try:  # the HNL module is developed alongside; expose it when present
    from .hnl import HNL  # noqa: F401

    __all__.append("HNL")
except ImportError:  # pragma: no cover
    pass

"""Expected signal over a whole coupling axis from one FluxSample (design contract "Reweighting").

For a model whose rates scale as g^k (k = ``coupling_power``), going from the flux's reference coupling g₀ to g
multiplies production by s = (g/g₀)^k and divides the decay length λ = βγ cτ by s. The expected number of signal
events is then

    N(g) = POT × s × Σᵢ wᵢ [exp(−L₁ᵢ s/λ₀ᵢ) − exp(−L₂ᵢ s/λ₀ᵢ)] × BR(signal) × ε(m),

evaluated for all couplings at once as an (events × couplings) array, in chunks of events to bound memory.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..flux import FluxSample
from ..geometry import decay_probability
from ..interactions import signal_branching_ratio
from ..models.base import DarkModel

CHUNK_ELEMENTS = 4_000_000
"""Largest (events × couplings) block evaluated at once (32 MB of float64)."""


def expected_signal(
    flux: FluxSample,
    model: DarkModel,
    detector: str,
    couplings: NDArray[np.float64],
    channels: Sequence[str],
    pot: float,
    efficiency: float = 1.0,
) -> NDArray[np.float64]:
    """Expected signal events at each of ``couplings`` (same convention as ``model.coupling_name``).

    ``model`` supplies cτ and branching ratios at the flux's reference coupling (its own coupling is ignored).
    """
    reference = model.with_coupling(flux.reference_coupling)
    scale = np.asarray((np.asarray(couplings, dtype=float) / flux.reference_coupling) ** model.coupling_power)
    hit = flux.hits(detector)
    weight = flux.weight[hit]
    segments = [(entry[hit], exit_[hit]) for entry, exit_ in flux.segments(detector)]
    decay_length = flux.beta_gamma[hit] * reference.ctau()
    total = np.zeros(scale.shape)
    chunk = max(1, CHUNK_ELEMENTS // max(1, scale.size))
    for start in range(0, len(weight), chunk):  # loop over memory chunks, not events
        part = slice(start, start + chunk)
        lengths = decay_length[part, None] / scale[None, :]
        for entry, exit_ in segments:  # separate volumes of one detector add up
            total += weight[part] @ decay_probability(entry[part, None], exit_[part, None], lengths)
    br = signal_branching_ratio(reference, channels)
    return np.asarray(pot * scale * total * br * efficiency)

"""Detectors made of separate volumes, and parents from a beam (hadron production + transport)."""

import numpy as np
import pytest

import darkbeam as db
from darkbeam.geometry import Box, Union
from darkbeam.interactions import decay_events
from darkbeam.pipeline import DETECTOR, with_detector
from darkbeam.production import DecayAtRestSource, produce
from darkbeam.production.beam_source import BeamSource
from darkbeam.scan import expected_signal

TWO_TPCS = (
    Box(half_lengths=(100.0, 100.0, 50.0), center=(0.0, 0.0, 10_000.0)),
    Box(half_lengths=(100.0, 100.0, 50.0), center=(0.0, 0.0, 10_300.0)),
)


@pytest.fixture(scope="module")
def flux():
    model = db.models.HiggsPortalScalar(0.1, 1.0)
    source = DecayAtRestSource(321, 0.1, center=np.zeros(3))
    rng = np.random.default_rng(2)
    union = Union(*TWO_TPCS)
    return produce(model, source.sample(50_000, rng), rng, aim=union.bounding_sphere()), model


def test_separate_volumes_add_up(flux):
    sample, model = flux
    couplings = np.geomspace(1e-6, 1e-1, 30)
    union = with_detector(sample, Union(*TWO_TPCS))
    assert len(union.segments(DETECTOR)) == 2
    total = expected_signal(union, model, DETECTOR, couplings, ["e+e-"], 1e20)
    parts = sum(expected_signal(with_detector(sample, b), model, DETECTOR, couplings, ["e+e-"], 1e20) for b in TWO_TPCS)
    np.testing.assert_allclose(total, parts, rtol=1e-12)
    # the 200 cm gap between the boxes does not count: rays within 1.2° of the axis cross ≤ 2 × 100/cos θ of argon
    span_entry, span_exit = Union(*TWO_TPCS).intersect(sample.vertex, sample.direction)
    chord = union.chord(DETECTOR)
    through_both = chord > 199.9
    assert through_both.sum() > 100
    np.testing.assert_allclose(span_exit[through_both] - span_entry[through_both] - chord[through_both], 200, rtol=1e-3)
    assert union.chord(DETECTOR).max() < 201


def test_forced_decays_in_separate_volumes(flux):
    sample, model = flux
    union = with_detector(sample, Union(*TWO_TPCS))
    coupling = 3e-3  # λ ~ the detector scale, so both volumes matter and P differs between them
    events = decay_events(union, model.with_coupling(coupling), DETECTOR, ["e+e-"], 1e20, np.random.default_rng(3))
    expected = expected_signal(union, model, DETECTOR, np.array([coupling]), ["e+e-"], 1e20)[0]
    assert events.expected_events == pytest.approx(expected, rel=1e-9)
    vertex = events.vertex.reshape(len(events), -1, 3)[:, -1]  # decay products' production point
    inside = [box.contains(vertex) for box in TWO_TPCS]
    assert np.all(inside[0] | inside[1])
    # decays share the volumes in proportion to their decay probabilities
    upstream = np.sum(events.weight[inside[0]]) / events.expected_events
    assert 0.05 < upstream < 0.95


def test_beam_source_stages_partition_the_decays():
    rng = np.random.default_rng(4)
    stages = {
        stage: BeamSource("bnb", 321, stage=stage).sample(20_000, rng) for stage in ("all", "in_flight", "at_rest")
    }
    assert stages["all"].weight.sum() == pytest.approx(
        stages["in_flight"].weight.sum() + stages["at_rest"].weight.sum(), rel=0.05
    )
    assert np.all(stages["at_rest"].at_rest)
    assert not np.any(stages["in_flight"].at_rest)
    # K+ decays in flight along the 50 m BNB decay region, beyond the target
    z = stages["in_flight"].vertex[:, 2]
    assert np.all(z >= 0)
    assert np.average(z, weights=stages["in_flight"].weight) > 100.0

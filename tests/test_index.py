"""The Kafkaesque index: the brief's worked examples, bounds, monotonicity and weights."""

import math

import pytest

from simsuite.core.index import IndexWeights, band, kafkaesque_index, wait_share
from simsuite.model import Friction, FrictionKind, Outcome


def f(kind, **kw):
    return Friction(kind=kind, step=0, channel="phone", evidence="words", **kw)


def test_worked_example_resolved_with_transfer_repeat_and_explained_wait():
    frictions = [f(FrictionKind.TRANSFER), f(FrictionKind.REPEATED_INFORMATION),
                 f(FrictionKind.WAIT, minutes=4, explained=True)]
    index, components = kafkaesque_index(Outcome.RESOLVED, frictions)
    assert index == pytest.approx(31.9, abs=0.1)
    assert components["counts"]["transfer"] == 1
    assert components["wait_minutes_effective"] == 4


def test_worked_example_unresolved_with_dead_end_and_forced_switch():
    index, components = kafkaesque_index(Outcome.UNRESOLVED, [f(FrictionKind.DEAD_END), f(FrictionKind.FORCED_SWITCH)])
    assert index == pytest.approx(79.0, abs=0.1)
    assert components["band"] == "Kafkaesque"


def test_effortless_journey_scores_zero_and_promise_counts_half():
    assert kafkaesque_index(Outcome.RESOLVED, [])[0] == 0
    promised, _ = kafkaesque_index(Outcome.PROMISED, [])
    assert promised == pytest.approx(100 * (1 - 0.4 ** 0.5), abs=0.1)


def test_index_is_bounded_and_monotone():
    frictions = []
    last = 0.0
    for kind in list(FrictionKind) * 20:
        frictions.append(f(kind, minutes=30 if kind is FrictionKind.WAIT else None, explained=False))
        index, _ = kafkaesque_index(Outcome.UNRESOLVED, frictions)
        assert last <= index <= 100
        last = index
    assert last > 99


def test_unexplained_wait_counts_one_and_a_half_times():
    explained, _ = kafkaesque_index(Outcome.RESOLVED, [f(FrictionKind.WAIT, minutes=10, explained=True)])
    unexplained, c = kafkaesque_index(Outcome.RESOLVED, [f(FrictionKind.WAIT, minutes=10, explained=False)])
    assert c["wait_minutes_effective"] == 15
    assert unexplained > explained
    assert wait_share(30) == pytest.approx(1.0)
    assert wait_share(1000) == 1.0
    assert wait_share(4) == pytest.approx(math.log(5) / math.log(31))


def test_warm_transfer_counts_half():
    cold, _ = kafkaesque_index(Outcome.RESOLVED, [f(FrictionKind.TRANSFER)])
    warm, _ = kafkaesque_index(Outcome.RESOLVED, [f(FrictionKind.TRANSFER, factor=0.5)])
    assert warm == pytest.approx(100 * (1 - 0.9 ** 0.5), abs=0.1)
    assert warm < cold


def test_weights_are_configurable_and_checked():
    weights = IndexWeights().with_overrides({"transfer": 0.5})
    index, components = kafkaesque_index(Outcome.RESOLVED, [f(FrictionKind.TRANSFER)], weights)
    assert index == 50
    assert components["weights"]["transfer"] == 0.5
    with pytest.raises(ValueError, match="unknown index weight"):
        IndexWeights().with_overrides({"bureaucracy": 0.5})
    with pytest.raises(ValueError, match="below 1"):
        IndexWeights().with_overrides({"loop": 1.5})


@pytest.mark.parametrize("value,name", [(0, "effortless"), (19.9, "effortless"), (20, "friction"),
                                        (45, "high effort"), (60.1, "Kafkaesque"), (100, "Kafkaesque")])
def test_bands(value, name):
    assert band(value) == name


def test_friction_without_evidence_is_refused():
    with pytest.raises(ValueError, match="needs evidence"):
        Friction(kind=FrictionKind.LOOP, step=0, channel="web", evidence="  ")

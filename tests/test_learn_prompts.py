"""Learning what an IVR says from its webhooks (explore.learn), which a SIP call of the same IVR is heard
against: every option, silence, an unoffered key and each fact asked for, across transfers it answers."""

from __future__ import annotations

import pytest

from simsuite.demo import DEPARTMENTS
from simsuite.demo.server import DemoServer
from simsuite.explore.learn import learn_prompts


@pytest.fixture(scope="module")
def as_is():
    with DemoServer("as-is") as demo:
        yield demo.url


def test_prompts_behind_a_fact_demand_and_a_transfer_are_learned(as_is):
    prompts = learn_prompts(as_is, ["/lab/ivr/voice"], dialled=DEPARTMENTS)
    assert prompts[0] == "Thank you for calling Northside Diagnostics."
    assert "Sorry, that is not a valid option." in prompts                  # a key the menu did not offer
    assert "Can I have your booking reference, please?" in prompts          # silence at the agent
    assert any(p.startswith("Thank you. I can see your booking.") for p in prompts)  # the reference given
    assert "Scheduling department. Please enter or say your booking reference." in prompts  # the transfer
    assert "Thank you. We've emailed you a link to reschedule online. Goodbye." in prompts   # the e-mail given


def test_without_the_departments_a_transfer_ends_what_is_learned(as_is):
    prompts = learn_prompts(as_is, ["/lab/ivr/voice"])
    assert any(p.startswith("Thank you. I can see your booking.") for p in prompts)
    assert not any(p.startswith("Scheduling department") for p in prompts)


def test_learning_is_bounded_in_calls(as_is):
    few = learn_prompts(as_is, ["/lab/ivr/voice", "/telecom/ivr/voice"], max_calls=3)
    assert 0 < len(few) < len(learn_prompts(as_is, ["/lab/ivr/voice", "/telecom/ivr/voice"]))

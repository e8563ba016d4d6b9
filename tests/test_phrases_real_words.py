"""How simsuite reads what real lines say, one rule at a time: confirmations, channel demands, waits.

Each rule is checked on wording that fits it and on wording that must not (the near misses real lines
produce). End-to-end checks of the same rules against a served IVR are in test_phone_real_ivrs.py."""

import pytest

from simsuite.core.phrases import duration_minutes, load_phrases

PHRASES = load_phrases()


@pytest.mark.parametrize("sentence", [
    "Done.",
    "All set!",
    "Payment accepted.",
    "We've texted a new pickup code to the mobile number on the parcel.",
    "I have just rebooked your delivery for Tuesday.",
    "Your new permit will be mailed to you.",
    "Our repair partner will call you within 2 hours.",
    "Your travel pass is now active.",
    "Your nearest branches are at Main Street and Elm Avenue.",
    "Your parcel will be held until Saturday.",
])
def test_a_confirmation_of_what_was_done_resolves(sentence):
    assert PHRASES.resolves(sentence)


@pytest.mark.parametrize("sentence", [
    "Thank you for calling.",
    "Your current wait time is 20 minutes.",
    "We have not received your payment.",
    "Your call is on hold.",
    "Once we have the referral, our team will call you to book.",       # waits on the caller
    "We've sent you a link; please complete the form on our website.",  # sends the caller elsewhere
    "Your request is not available online.",
])
def test_what_is_not_done_does_not_resolve(sentence):
    assert not PHRASES.resolves(sentence)


def test_a_users_own_resolution_words_always_count():
    assert PHRASES.resolves("Please visit our website.", ["visit our website"])
    assert not PHRASES.resolves("Please visit our website.")


@pytest.mark.parametrize("sentence, channel", [
    ("Travel passes can be bought in the Kestrel app, under Travel.", "app"),
    ("To dispute a charge, open the Riverline app and choose Ride history.", "app"),
    ("Please try again later, or send us a message in the Bloom app.", "app"),
    ("You can file a claim online at acme dot com slash claims, where you can also upload photos.", "web"),
    ("For a list of charges, text the word USAGE to 2 2 8 4.", "sms"),
    ("Please write to billing at nimbus payroll dot com and include your company ID.", "email"),
    ("First permits are only issued at the permits counter in City Hall.", "in_person"),
])
def test_a_sentence_that_sends_the_caller_to_a_channel_is_a_demand(sentence, channel):
    assert PHRASES.channel_demands_in(sentence) == [(channel, sentence)]


@pytest.mark.parametrize("sentence", [
    "You can also start a claim in the app.",                    # one more way
    "Thanks for using the Kestrel app.",                         # no directive
    "Visitor passes are sold at the same counter.",              # "visitor" is not "visit"
    "Please ask your doctor's office to send it to us.",         # no channel place
    "Until then, you can still use the card in your wallet app.",
    "For faster service, visit acme dot com any time.",
])
def test_a_mention_of_a_channel_is_not_a_demand(sentence):
    assert PHRASES.channel_demands_in(sentence) == []


def test_after_a_confirmation_only_an_imperative_or_an_obligation_sends_the_caller():
    said = "Payment accepted. You can check your permit status on the city website. Goodbye."
    assert PHRASES.channel_demands_in(said) == []
    told = "Your card is frozen. To order a new one, visit our website."
    assert PHRASES.channel_demands_in(told) == [("web", "To order a new one, visit our website.")]


@pytest.mark.parametrize("sentence, minutes", [
    ("Your estimated wait is about 10 minutes.", 10),
    ("The estimated wait time is 25 minutes.", 25),
    ("You are number 3 in the queue.", None),
])
def test_a_wait_to_be_answered(sentence, minutes):
    assert PHRASES.queue_wait_in(sentence)
    assert duration_minutes(sentence) == minutes


@pytest.mark.parametrize("sentence", [
    "Please try again in a few minutes.",
    "Stay on the line: we can lock it in under a minute.",
    "Your ride is still open, and has been for [minutes] minutes.",
])
def test_minutes_that_are_no_wait_to_be_answered(sentence):
    assert not PHRASES.queue_wait_in(sentence)

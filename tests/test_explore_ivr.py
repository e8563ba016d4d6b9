"""IVR exploration and the goal-directed caller, against real IVRs on loopback (the demo and canned TwiML)."""

from __future__ import annotations

import re
import time

import pytest

from simsuite.explore import ENDS, ExploreMap
from simsuite.explore.goal import goal_caller, goal_words, similarity
from simsuite.explore.ivr import NO_INPUT, explore_ivr, prompt_key, replay_ivr
from simsuite.core.personas import make_persona

try:
    from twiml_server import TwimlServer, twiml
except ImportError:  # tests/ imported as a package
    from tests.twiml_server import TwimlServer, twiml

TELECOM = "/telecom/ivr/voice"
MAIN_PROMPT = "For billing, press 1. For new services and upgrades, press 2. For technical support, press 3."
NOT_IN_RECOVERED = {"unavailable_demand", "missing_option", "loop", "dead_end", "failed_option", "unannounced_option",
                     "error"}


@pytest.fixture(scope="module")
def as_is_map(as_is) -> ExploreMap:
    return explore_ivr(as_is.url, TELECOM, mode="as-is")


@pytest.fixture
def canned():
    server = TwimlServer().start()
    yield server
    server.stop()


def _found(explored: ExploreMap, kind: str) -> list:
    return [f for f in explored.findings if f.kind == kind]


def _moves(path: list[str]) -> list[str]:
    """A path with the values typed left out: "<phone=+1555...>" is "<phone>"."""
    return [re.sub(r"^<([a-z_]+)=.*>$", r"<\1>", move) for move in path]


def _check_shape(explored: ExploreMap) -> None:
    ids = {n.id for n in explored.nodes}
    assert len(ids) == len(explored.nodes)
    for edge in explored.edges:
        assert edge.source in ids and edge.target in ids
    for node in explored.nodes:
        assert node.end is None or node.end in ENDS
    for path in explored.stats["paths"]:
        assert path["end"] in ENDS
    explored.to_dict()


# -- the demo telecom, as-is ------------------------------------------------------------------------
def test_as_is_telecom_map_shows_the_loop_back_to_technical_support(as_is_map):
    _check_shape(as_is_map)
    loops = _found(as_is_map, "loop")
    assert any(_moves(f.path) == ["3", "<phone>", "2", NO_INPUT] and "Technical support" in f.evidence
               and "could not verify your account" in f.evidence for f in loops), loops
    tech = next(n for n in as_is_map.nodes if n.label.startswith("Technical support."))
    assert any(e.source != tech.id and e.target == tech.id and e.outcome == "loop" for e in as_is_map.edges)


def test_as_is_telecom_map_shows_visit_our_website_with_a_replayable_path(as_is, as_is_map):
    dead = [f for f in _found(as_is_map, "dead_end") if f.path == ["2"]]
    assert dead and dead[0].evidence.endswith("Please visit our website.")  # all the words heard there
    demands = _found(as_is_map, "unavailable_demand")
    assert any(_moves(f.path) == ["3", "<phone>"] and "visit our website" in f.evidence for f in demands)
    assert any(n.end == "dead_end" and n.path == ["2"] for n in as_is_map.nodes)
    call = replay_ivr(as_is.url, TELECOM, dead[0].path)
    try:
        assert not call.active and "Please visit our website." in call.transcript[-1][1]
    finally:
        call.owner.close()


def test_as_is_telecom_map_reaches_a_person_with_depth_and_time(as_is_map):
    first = as_is_map.stats["first_human"]
    assert first["min_depth"] == 2 and _moves(first["min_depth_path"]) == ["1", "<account_number>"]
    typed = first["min_depth_path"][1]
    assert re.fullmatch(r"<account_number=4[0-9]{9}>", typed)  # the path shows the value the caller typed
    assert 0 < first["min_sim_seconds"] < 60
    repair = next(p for p in as_is_map.stats["paths"] if _moves(p["keys"]) == ["3", "<phone>", "2", "<account_number>"])
    assert repair["end"] == "human" and repair["sim_seconds"] >= 2400  # 40 minutes in the repairs queue
    assert any(f.kind == "wait" for f in as_is_map.findings)
    assert _moves(_found(as_is_map, "human")[0].path) == ["1", "<account_number>"]
    assert all(p["index"] is not None and 0 <= p["index"] <= 100 for p in as_is_map.stats["paths"])
    assert as_is_map.stats["calls"] <= as_is_map.bounds["max_calls"]
    assert as_is_map.target == TELECOM and as_is_map.kind == "ivr"


def test_as_is_voicexml_map_finds_the_same_loop_after_two_silences(as_is):
    explored = explore_ivr(as_is.url, "/telecom/vxml/", probe_keys="")
    _check_shape(explored)
    assert any(f.path == ["3", "2", NO_INPUT, NO_INPUT] for f in _found(explored, "loop"))
    assert any(f.path == ["2"] for f in _found(explored, "dead_end"))
    assert explored.stats["ends"].get("human") == 2


def test_as_is_lab_menu_hides_no_option(as_is):
    explored = explore_ivr(as_is.url, "/lab/ivr/voice", max_depth=2)
    assert not _found(explored, "unannounced_option") and not _found(explored, "failed_option")
    assert {tuple(f.path) for f in _found(explored, "dead_end")} == {("1",), ("2",), ("3",)}
    assert explored.stats["first_human"]["min_depth_path"] == ["0"]


# -- the demo telecom, recovered ----------------------------------------------------------------------
def test_recovered_telecom_resolves_quickly_and_finds_nothing_false(recovered):
    explored = explore_ivr(recovered.url, TELECOM, mode="recovered")
    _check_shape(explored)
    resolved = [p for p in explored.stats["paths"] if p["end"] == "resolved"]
    assert any(p["keys"] == ["1"] and p["index"] == 0 and p["sim_seconds"] < 60 for p in resolved)
    assert not [f for f in explored.findings if f.kind in NOT_IN_RECOVERED], explored.findings


def test_recovered_voicexml_finds_nothing_false(recovered):
    explored = explore_ivr(recovered.url, "/telecom/vxml/", probe_keys="")
    assert explored.stats["ends"].get("resolved", 0) >= 2
    assert not [f for f in explored.findings if f.kind in NOT_IN_RECOVERED], explored.findings


# -- the goal-directed caller -------------------------------------------------------------------------
def test_goal_caller_finds_no_option_for_a_fire(as_is):
    persona = make_persona(3, "caller", channels=["phone"])
    explored = goal_caller(as_is.url, TELECOM, "report an outage after a fire", persona)
    _check_shape(explored)
    assert explored.goal == "report an outage after a fire"
    missing = _found(explored, "missing_option")
    assert missing and missing[0].evidence == MAIN_PROMPT and missing[0].path == []
    assert explored.stats["paths"][0]["keys"][0] == "0"  # a real caller's fallback
    assert explored.stats["end"] in ENDS and explored.stats["index"] > 60


def test_goal_caller_does_not_take_a_general_word_for_a_fit(as_is, recovered):
    fire = "report a fire that cut my phone and internet service"
    caller = make_persona(7, "explorer", channels=["phone"], knows=["name", "phone", "address", "postcode"],
                          situation=["no power or internet since the fire"])
    explored = goal_caller(as_is.url, TELECOM, fire, caller)
    missing = _found(explored, "missing_option")
    assert missing and missing[0].evidence == MAIN_PROMPT and missing[0].path == []
    after = goal_caller(recovered.url, TELECOM, fire, caller)
    assert after.stats["end"] == "resolved" and after.stats["paths"][0]["keys"] == ["1"]
    assert not _found(after, "missing_option")


def test_goal_caller_in_recovered_mode_is_resolved_without_missing_option(recovered):
    for goal in ("report a fire that cut my service", "report an outage after a fire"):
        explored = goal_caller(recovered.url, TELECOM, goal, None)
        assert explored.stats["end"] == "resolved", (goal, explored.stats)
        assert not _found(explored, "missing_option")


def test_goal_words_and_similarity():
    assert goal_words("Report a fire that cut my service") == ("report", "fire", "cut", "service")
    assert similarity("report an outage", "To report outages, press 4") == 2
    assert similarity("reschedule my appointment", "For billing") == 0
    assert similarity("fix my service", "For new services and upgrades") == 1
    assert similarity("fix my service", "For new services and upgrades", specific=True) == 0


# -- canned IVRs --------------------------------------------------------------------------------------
def _hidden_option_ivr(server: TwimlServer) -> None:
    server.add("/voice", twiml(
        '<Gather numDigits="1" action="/menu"><Say>For sales, press 1. For support, press 2. '
        'For billing, press 3.</Say></Gather>', "<Say>Goodbye.</Say><Hangup/>"))

    def menu(request):
        digits = request.params.get("Digits")
        if digits == "1":
            return twiml("<Say>Your order is booked. We will call you tomorrow.</Say><Hangup/>")
        if digits == "2":
            return twiml("<Say>Support is closed.</Say><Hangup/>")
        if digits == "3":
            return 500, "internal error"
        if digits == "9":
            return twiml("<Say>Connecting you to an agent.</Say><Dial><Number>+18005550199</Number></Dial>")
        return twiml("<Say>Sorry, that is not a valid option.</Say><Redirect>/voice</Redirect>")

    server.add("/menu", menu)


def test_unannounced_key_that_reaches_a_person_and_an_announced_option_that_fails(canned):
    _hidden_option_ivr(canned)
    explored = explore_ivr(canned.url, "/voice", max_depth=2)
    _check_shape(explored)
    hidden = _found(explored, "unannounced_option")
    assert [f.path for f in hidden] == [["9"]] and "human" in hidden[0].title
    assert hidden[0].evidence.startswith("Connecting you to an agent.")
    assert [f.path for f in _found(explored, "failed_option")] == [["3"]]
    assert any(f.path == ["3"] and "HTTP 500" in f.evidence for f in _found(explored, "error"))
    assert explored.stats["first_human"]["min_depth_path"] == ["9"]
    assert any(p["keys"] == ["1"] and p["end"] == "resolved" for p in explored.stats["paths"])
    edge = next(e for e in explored.edges if e.label == "9")
    assert edge.announced is False


def _endless_ivr(server: TwimlServer) -> None:
    server.add("/voice", twiml(
        '<Gather numDigits="1" action="/choice"><Say>Main menu. For the maze, press 1. For help, press 2. '
        'For the spin, press 3.</Say></Gather>', "<Redirect>/voice</Redirect>"))

    def choice(request):
        digits = request.params.get("Digits")
        if digits == "1":
            return twiml("<Redirect>/deep?n=1</Redirect>")
        if digits == "2":
            return "<html><body>Oops {{ not TwiML"
        if digits == "3":
            return twiml("<Redirect>/spin</Redirect>")
        return twiml("<Redirect>/voice</Redirect>")

    def deep(request):
        n = int(request.params.get("n", "1"))
        return twiml(f'<Gather numDigits="1" action="/deep?n={n + 1}"><Say>Level {n}. To go deeper, press 1.'
                     f'</Say></Gather><Redirect>/deep?n={n}</Redirect>')

    server.add("/choice", choice)
    server.add("/deep", deep)
    server.add("/spin", twiml("<Pause length=\"1\"/><Redirect>/spin</Redirect>"))


def test_exploration_stays_inside_its_bounds_on_an_endless_ivr(canned):
    _endless_ivr(canned)
    started = time.perf_counter()
    explored = explore_ivr(canned.url, "/voice", max_depth=4, max_calls=30)
    _check_shape(explored)
    assert time.perf_counter() - started < 10
    assert explored.stats["calls"] <= 30
    ends = {p["end"] for p in explored.stats["paths"]}
    assert ends <= {"loop", "error", "bounded"} and {"loop", "error", "bounded"} <= ends, ends
    assert any(f.kind == "loop" and f.path == ["3"] and "again and again" in f.evidence for f in explored.findings)
    assert any(f.kind == "error" and f.path == ["2"] for f in explored.findings)
    assert {tuple(f.path) for f in _found(explored, "failed_option")} >= {("2",), ("3",)}

    shallow = explore_ivr(canned.url, "/voice", max_depth=2, probe_keys="", lost_keys=(None,))
    assert max(n.depth for n in shallow.nodes) <= 3
    assert any(n.end == "bounded" and n.depth == 2 for n in shallow.nodes)


def test_goal_caller_stays_inside_its_bounds_on_an_endless_ivr(canned):
    _endless_ivr(canned)
    explored = goal_caller(canned.url, "/voice", "cancel my subscription", None, max_turns=6)
    _check_shape(explored)
    assert explored.stats["calls"] == 1 and explored.stats["turns"] <= 6
    assert explored.stats["end"] in {"loop", "error", "bounded"}
    missing = _found(explored, "missing_option")
    assert missing and missing[0].evidence.startswith("Main menu.") and missing[0].path == []


def test_a_redirect_to_another_host_ends_the_path_as_an_error(canned):
    canned.add("/voice", twiml('<Gather numDigits="1" action="/away"><Say>For news, press 1.</Say></Gather>'))
    canned.add("/away", twiml("<Redirect>http://elsewhere.invalid/ivr</Redirect>"))
    explored = explore_ivr(canned.url, "/voice", probe_keys="", lost_keys=())
    assert explored.stats["ends"] == {"error": 1}
    assert any(f.path == ["1"] and "elsewhere.invalid" in f.evidence for f in _found(explored, "error"))
    assert [f.path for f in _found(explored, "failed_option")] == [["1"]]


def test_exploration_of_an_ivr_that_returns_garbage_ends_at_once(canned):
    canned.add("/voice", "this is not xml <at all")
    explored = explore_ivr(canned.url, "/voice")
    assert explored.stats["calls"] == 1 and explored.stats["ends"] == {"error": 1}
    assert _found(explored, "error")[0].path == []
    canned.add("/spin", twiml("<Redirect>/spin</Redirect>"))
    spun = explore_ivr(canned.url, "/spin")
    assert spun.stats["ends"] == {"loop": 1} and _found(spun, "loop")


def test_simulated_time_per_call_is_bounded(as_is):
    explored = explore_ivr(as_is.url, "/lab/ivr/voice", max_depth=1, max_sim_minutes_per_call=10, probe_keys="")
    held = next(p for p in explored.stats["paths"] if p["keys"] == ["0"])
    assert held["end"] == "bounded" and held["sim_seconds"] <= 10 * 60 + 60
    assert explored.stats["first_human"] is None


def test_prompt_key_ignores_retry_apologies():
    assert prompt_key("Sorry, I did not get that. For billing, press 1.") == prompt_key("For billing, press 1.")
    assert prompt_key("For billing, press 1.") != prompt_key("For sales, press 1.")


def test_the_public_dialer_places_calls_with_a_fresh_journal_each(as_is):
    from simsuite.channels.phone.driver import Dialer, perform
    from simsuite.core.phrases import load_phrases
    from simsuite.core.target import Target

    persona = make_persona(2, "dialer", channels=["phone"], knows=["name", "phone"])
    dialer = Dialer(Target(base_url=as_is.url, phone_url=as_is.url), persona, load_phrases(), patience_minutes=30)
    first = dialer.call(TELECOM, shared=False)
    try:
        assert first.menu == {"1": "For billing", "2": "For new services and upgrades", "3": "For technical support"}
        perform(first, "2")
        assert not first.active and first.ended_by == "company"
        assert "Please visit our website." in first.heard_any("visit our website")
        assert [s.actor.value for s in first.journal.steps[:2]] == ["customer", "company"]  # called, then heard
        second = dialer.call(TELECOM, shared=False)
        assert second.journal is not first.journal and len(second.journal.steps) < len(first.journal.steps)
        perform(second, NO_INPUT)
        assert second.listening and dialer.calls == 2
        second.owner.close()
    finally:
        first.owner.close()

"""Chat and web exploration: the demo companies' maps, and the bounds on bots and sites built to go on forever."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any
from urllib.parse import urlsplit

import pytest

from simsuite.explore import ExploreMap
from simsuite.explore.chat import explore_chat
from simsuite.explore.web import explore_web
from simsuite.browser import BrowserPool

FRICTION = {"forced_channel_switch", "unavailable_demand", "dead_end", "loop", "failed_option"}


@pytest.fixture(scope="module")
def pool():
    with ExitStack() as stack:
        yield BrowserPool(stack)


def kinds(m: ExploreMap) -> list[str]:
    return [f.kind for f in m.findings]


def ends(m: ExploreMap) -> dict[str, int]:
    return m.stats["ends"]


# -- small servers the tests control ---------------------------------------------------------------
Respond = Callable[[str, str, bytes], tuple[int, str, bytes]]


def serve(respond: Respond) -> tuple[http.server.ThreadingHTTPServer, list]:
    """A loopback HTTP server answering every request with respond(method, path, body); returns it and its hits."""
    hits: list[tuple[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            hits.append((self.command, self.path))
            status, kind, out = respond(self.command, self.path, body)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        do_GET = do_POST = _answer

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, hits


@pytest.fixture
def servers():
    started = []

    def start(respond):
        server, hits = serve(respond)
        started.append(server)
        return f"http://127.0.0.1:{server.server_port}", hits

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def rasa_bot(turn: Callable[[str], Any]) -> Respond:
    """A Rasa REST bot whose reply depends only on the message: turn(message) -> list of replies, or an int status."""
    def respond(method: str, path: str, body: bytes) -> tuple[int, str, bytes]:
        message = json.loads(body or b"{}").get("message", "")
        answer = turn(message)
        if isinstance(answer, int):
            return answer, "text/plain", b"broken"
        return 200, "application/json", json.dumps(answer).encode()
    return respond


def buttons(*titles: str) -> list[dict[str, str]]:
    return [{"title": t, "payload": t} for t in titles]


# -- chat: the demo bots ---------------------------------------------------------------------------
def test_lab_bot_as_is_ends_elsewhere_with_a_forced_switch_and_its_path(as_is):
    m = explore_chat(as_is.url, "/lab/chat", mode="as-is")
    assert (m.kind, m.mode) == ("chat", "as-is")
    assert ends(m) == {"elsewhere": 1}
    end = next(n for n in m.nodes if n.end)
    assert end.path == ["[booking reference]"] and "toll-free line" in end.evidence
    switch = next(f for f in m.findings if f.kind == "forced_channel_switch")
    assert switch.path == ["[booking reference]"] and switch.evidence.startswith("Please call our toll-free line")
    assert switch.index is not None and switch.index > 60
    assert m.stats["conversations"] == 2 and m.stats["nodes"] == 2


def test_lab_bot_recovered_resolves_through_a_time_button_without_false_findings(recovered):
    m = explore_chat(recovered.url, "/lab/chat", mode="recovered")
    assert ends(m) == {"resolved": 3}
    resolved = [n for n in m.nodes if n.end == "resolved"]
    assert {n.path[1] for n in resolved} == {"Tuesday 1 December, 10:30", "Wednesday 2 December, 08:15",
                                            "Thursday 3 December, 14:00"}
    assert all(n.path[0] == "[booking reference]" and "has been moved" in n.evidence for n in resolved)
    assert m.findings == []
    assert all(p["index"] == 0.0 and len(p["keys"]) == 2 for p in m.stats["paths"])


def test_telecom_bot_as_is_demands_the_website_then_the_phone(as_is):
    m = explore_chat(as_is.url, "/telecom/chat", mode="as-is")
    assert ends(m) == {"elsewhere": 2}
    switches = {f.evidence: f.path for f in m.findings if f.kind == "forced_channel_switch"}
    website = next(e for e in switches if "check our website" in e)
    assert switches[website] == []
    call = "Please call technical support on 1-800-555-0123."
    assert switches[call] in (["Billing"], ["Technical support"])
    assert {e.label for e in m.edges} == {"Billing", "Technical support"}


def test_telecom_bot_recovered_resolves_at_once(recovered):
    m = explore_chat(recovered.url, "/telecom/chat")
    assert ends(m) == {"resolved": 1} and m.findings == [] and m.stats["conversations"] == 1
    assert "restore service by" in m.nodes[0].evidence


def test_a_persona_without_the_website_hears_an_unavailable_demand(as_is):
    from simsuite.core.personas import make_persona

    persona = make_persona(3, "fire", channels=("phone", "chat"))
    m = explore_chat(as_is.url, "/telecom/chat", persona=persona)
    assert "unavailable_demand" in kinds(m)


# -- chat: bots built to misbehave -----------------------------------------------------------------
def test_a_bot_that_always_offers_the_same_button_loops_and_stops(servers):
    url, hits = servers(rasa_bot(lambda message: [{"text": "Please choose.", "buttons": buttons("Again")}]))
    m = explore_chat(url)
    assert ends(m) == {"loop": 1}
    assert [(e.label, e.outcome) for e in m.edges] == [("Again", "loop")]
    loop = next(f for f in m.findings if f.kind == "loop")
    assert loop.path == ["Again"] and loop.evidence == "Please choose."
    assert len(hits) == 3  # the root conversation (1 request) and one replayed path (2)


def test_an_endless_menu_stops_at_the_depth_and_conversation_bounds(servers):
    def turn(message: str) -> list[dict]:
        where = "" if message == "Hello" else message.split()[1]  # "go 0.1" -> "0.1": a new menu every time
        return [{"text": f"Menu {where or 'top'}.", "buttons": buttons(f"go {where}.0".replace(" .", " "),
                                                                         f"go {where}.1".replace(" .", " "))}]

    url, hits = servers(rasa_bot(turn))
    deep = explore_chat(url, max_depth=3, max_conversations=1000)
    assert max(n.depth for n in deep.nodes) == 3
    assert deep.stats["ends"] == {"bounded": 8}  # 2 ** 3 states at depth 3, each with buttons left
    assert deep.stats["conversations"] == 1 + 2 + 4 + 8

    before = len(hits)
    wide = explore_chat(url, max_depth=50, max_conversations=5)
    assert wide.stats["conversations"] == 5
    assert len(hits) - before <= 5 * 3  # 5 conversations, none deeper than the root's grandchildren
    assert wide.stats["ends"]["bounded"] >= 1


def test_buttons_that_fail_are_findings_and_the_walk_goes_on(servers):
    def turn(message: str) -> Any:
        if message == "Broken":
            return 500
        if message == "Silent":
            return []
        if message == "Garbage":
            return {"not": "a list"}
        if message == "Help":
            return [{"text": "Sorry, this cannot be done online."}]
        return [{"text": "How can I help?", "buttons": buttons("Broken", "Silent", "Garbage", "Help")}]

    url, _ = servers(rasa_bot(turn))
    m = explore_chat(url)
    failed = {f.path[0] for f in m.findings if f.kind == "failed_option"}
    assert failed == {"Broken", "Silent", "Garbage"}
    assert m.stats["ends"] == {"dead_end": 2, "error": 2}
    outcomes = {e.label: e.outcome for e in m.edges}
    assert outcomes == {"Broken": "error", "Silent": "failed", "Garbage": "error", "Help": "ok"}
    assert any(f.kind == "dead_end" and f.path == ["Help"] for f in m.findings)


def test_an_unreachable_bot_is_an_error_not_a_map():
    from simsuite.errors import SiteUnreachable

    with pytest.raises(SiteUnreachable):
        explore_chat("http://127.0.0.1:9", "/bot")


# -- web: the demo help centre ---------------------------------------------------------------------
@pytest.mark.e2e
def test_web_as_is_finds_the_outages_page_that_knows_nothing(as_is):
    m = explore_web(as_is.url + "/telecom/", "outage", mode="as-is")  # its own browser (BrowserPool)
    assert (m.kind, m.goal) == ("web", "outage")
    outages = m.node("/telecom/outages")
    assert outages is not None and outages.path == ["Outages"] and outages.depth == 1
    assert outages.evidence == "There are no known outages in your area." and outages.end is None
    best = next(f for f in m.findings if f.kind == "best_path")
    assert best.path == ["Outages"] and best.evidence == outages.evidence
    assert m.stats["goal_reached"] is False and m.stats["best_path"]["depth"] == 1
    assert m.nodes[1].id == "/telecom/outages"  # the goal-matching link is followed first
    switch = next(f for f in m.findings if f.kind == "forced_channel_switch")
    assert switch.path == ["Support"] and "call technical support" in switch.evidence
    assert m.node("/telecom/support").end == "elsewhere"
    assert {e.label for e in m.edges if e.source == "/telecom/"} == {"Outages", "Billing", "Support", "Contact us"}


@pytest.mark.e2e
def test_web_recovered_resolves_on_the_outages_page(recovered, pool):
    start = recovered.url + "/telecom/"
    factory = pool.page_factory(frozenset({urlsplit(start).netloc}))
    m = explore_web(start, "outage", mode="recovered", page_factory=factory)
    outages = m.node("/telecom/outages")
    assert outages.end == "resolved" and "restore service by" in outages.evidence
    assert m.stats["goal_reached"] is True and m.stats["ends"]["resolved"] == 1
    resolved = next(p for p in m.stats["paths"] if p["end"] == "resolved")
    assert (resolved["keys"], resolved["index"]) == (["Outages"], 0.0)
    assert "missing_option" not in kinds(m)


@pytest.mark.e2e
def test_web_goal_words_no_link_offers_are_missing_options(as_is, pool):
    start = as_is.url + "/telecom/"
    m = explore_web(start, "fire outage", page_factory=pool.page_factory(frozenset({urlsplit(start).netloc})),
                    max_pages=2)
    missing = [f for f in m.findings if f.kind == "missing_option"]
    assert len(missing) == 1 and "'fire'" in missing[0].title
    assert missing[0].evidence == "Outages; Billing; Support; Contact us; All demo companies"


# -- web: hosts and bounds -------------------------------------------------------------------------
@pytest.mark.e2e
def test_web_explorer_never_requests_another_host(servers, pool):
    other, other_hits = servers(lambda method, path, body: (200, "text/html", b"<a href='/x'>outage news</a>"))

    def site(method: str, path: str, body: bytes) -> tuple[int, str, bytes]:
        page = (f"<title>Help</title><p>Help centre.</p><a href='{other}/outage'>Outage status</a>"
                f"<img src='{other}/pixel.png'><a href='/faq'>FAQ</a><a href='mailto:help@example.com'>Mail us</a>")
        if path == "/faq":
            page = "<title>FAQ</title><p>Nothing here about that.</p><a href='/'>Home</a>"
        return 200, "text/html", page.encode()

    start, hits = servers(site)
    m = explore_web(start + "/", "outage", page_factory=pool.page_factory(frozenset({urlsplit(start).netloc})))
    assert other_hits == []
    assert {n.id for n in m.nodes} == {"/", "/faq"}
    assert m.stats["links_skipped"]["other_host_links"] == 1 and m.stats["links_skipped"]["mailto_links"] == 1
    assert ("GET", "/faq") in hits


@pytest.mark.e2e
def test_web_explorer_on_an_endless_site_stops_at_its_bounds(servers, pool):
    def tree(method: str, path: str, body: bytes) -> tuple[int, str, bytes]:
        if not path.startswith("/n/"):
            return 404, "text/plain", b"no"
        return 200, "text/html", (f"<title>{path}</title><p>Page {path}.</p>"
                                  f"<a href='{path}0/'>left</a><a href='{path}1/'>right</a>").encode()

    start, hits = servers(tree)
    factory = pool.page_factory(frozenset({urlsplit(start).netloc}))
    deep = explore_web(start + "/n/", "anything", max_depth=2, max_pages=100, page_factory=factory)
    pages = [p for _, p in hits if p.startswith("/n/")]
    assert len(pages) == 7 and len(deep.nodes) == 7  # 1 + 2 + 4
    assert max(n.depth for n in deep.nodes) == 2 and deep.stats["ends"] == {"bounded": 4}

    hits.clear()
    wide = explore_web(start + "/n/", "anything", max_depth=40, max_pages=5, page_factory=factory)
    assert len([p for _, p in hits if p.startswith("/n/")]) == 5 and wide.stats["pages"] == 5
    assert wide.stats["frontier_left"] > 0

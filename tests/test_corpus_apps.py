"""The labelled corpus (tests/corpus/): every IVR app starts and answers TwiML, every label is well formed
and true to its app or export.

No simsuite here: the apps are called with plain httpx, the way Twilio calls a voice webhook, and a
small TwiML walker below replays each labelled path to check that the path exists and that the
evidence is heard at that place. The walker is deliberately minimal (it is not simsuite's phone
channel): Say and Play are heard, Gather waits for the next move, Redirect is followed, Dial,
Enqueue (after one pass of its waitUrl), Record, Hangup and Reject end the caller's path, and the
TwiML of a <Number url> (a whisper on the agent's leg) is never fetched.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
import yaml

CORPUS = Path(__file__).resolve().parent / "corpus"
_spec = importlib.util.spec_from_file_location("corpus_serve", CORPUS / "serve.py")
serve = importlib.util.module_from_spec(_spec)
sys.modules["corpus_serve"] = serve
_spec.loader.exec_module(serve)

IVR_KINDS = {"dead_end", "forced_channel_switch", "unavailable_demand", "repeated_information", "transfer",
             "loop", "wait", "missing_option"}
FLOW_KINDS = {"unavailable_demand", "dead_end", "loop", "forced_channel_switch", "missing_option", "unreachable",
              "transfer", "wait"}
CHANNELS = {"web", "phone", "chat", "email", "sms", "app", "in_person"}
FRAMEWORKS = {"flask": "wsgi", "django": "wsgi", "fastapi": "asgi", "starlette": "asgi", "stdlib": "wsgi"}
MOVE = re.compile(r"^([0-9*#]|<no input>|<fact:[a-z_]+>)$")
CASES = serve.cases()
FLOW_FILES = sorted(serve.FLOW_DIR.glob("*.json"))
LABELS = yaml.safe_load((serve.FLOW_DIR / "labels.yaml").read_text(encoding="utf-8"))


def _case(case_dir: Path) -> dict:
    return serve.load_case(case_dir)


# --------------------------------------------------------------------------- Twilio-style requests


def twilio_params(caller: dict) -> dict[str, str]:
    """The form fields Twilio sends with every voice webhook request, for this case's caller."""
    origin = caller.get("from", {})
    number = "+13125550147"
    params = {
        "CallSid": "CA" + uuid.uuid4().hex, "AccountSid": "AC" + "1" * 32, "ApiVersion": "2010-04-01",
        "From": number, "Caller": number, "To": "+18005550100", "Called": "+18005550100",
        "CallStatus": "in-progress", "Direction": "inbound",
        "FromCity": str(origin.get("city", "")).upper(), "FromState": str(origin.get("state", "")),
        "FromZip": str(origin.get("zip", "")), "FromCountry": str(origin.get("country", "")),
        "ToCity": "", "ToState": "", "ToZip": "", "ToCountry": "US",
        "CalledCity": "", "CalledState": "", "CalledZip": "", "CalledCountry": "US",
    }
    for key in ("City", "State", "Zip", "Country"):
        params["Caller" + key] = params["From" + key]
    return params


@dataclass
class Place:
    """What the caller heard after a number of moves, and how the call stood afterwards."""

    heard: list[str] = field(default_factory=list)
    ended: str = ""          # "", "hangup", "end", "dial", "queue", "record", "http"

    @property
    def text(self) -> str:
        return " ".join(self.heard)


class Walk:
    """Replay one caller's moves against a running IVR and keep what was heard at each place."""

    def __init__(self, base: str, meta: dict) -> None:
        self.base, self.meta = base, meta
        self.params = twilio_params(meta["caller"])
        self.facts = {k: str(v) for k, v in (meta["caller"].get("facts") or {}).items()}
        self.client = httpx.Client(base_url=base, follow_redirects=True, timeout=10)

    def fetch(self, url: str, method: str, extra: dict[str, str]) -> httpx.Response:
        data = {**self.params, **extra}
        if method.upper() == "GET":      # Twilio adds its parameters to the query the URL already has
            return self.client.get(httpx.URL(url).copy_merge_params(data))
        return self.client.post(url, data=data)

    def digits(self, move: str) -> str:
        if move.startswith("<fact:"):
            name = move[6:-1]
            assert name in self.facts, f"path uses <fact:{name}> but the caller does not know {name}"
            return self.facts[name]
        return move

    def run(self, moves: list[str]) -> list[Place]:
        places, pending = [Place()], list(moves)
        request = (self.meta["entry"], self.meta["entry_method"], {})
        with self.client:
            for _ in range(60):
                resp = self.fetch(*request)
                place = places[-1]
                if resp.status_code != 200:
                    place.heard.append(f"HTTP {resp.status_code}")
                    place.ended = "http"
                    return places
                root = ET.fromstring(resp.text.encode())
                assert root.tag == "Response", f"{request[0]} answered <{root.tag}>, not <Response>"
                request = self._verbs(root, str(resp.url), places, pending)
                if request is None:
                    return places
        raise AssertionError("more than 60 documents in one walk: an endless redirect?")

    def _speak(self, node: ET.Element, place: Place) -> None:
        if node.tag == "Say":
            place.heard.append((node.text or "").strip())
        elif node.tag == "Play" and (node.text or "").strip():
            place.heard.append(f"[play {node.text.strip()}]")

    def _verbs(self, root: ET.Element, here: str, places: list[Place], pending: list[str]):
        for verb in root:
            place = places[-1]
            if verb.tag in ("Say", "Play"):
                self._speak(verb, place)
            elif verb.tag == "Gather":
                for child in verb:
                    self._speak(child, place)
                if not pending:
                    return None
                move = pending.pop(0)
                places.append(Place())
                if move == "<no input>":
                    continue
                action = urljoin(here, verb.get("action") or here)
                return action, verb.get("method", "POST"), {"Digits": self.digits(move)}
            elif verb.tag == "Redirect":
                return urljoin(here, (verb.text or "").strip() or here), verb.get("method", "POST"), {}
            elif verb.tag == "Dial":
                place.ended = "dial"
                return self._ended(places, pending)
            elif verb.tag == "Enqueue":
                wait_url = verb.get("waitUrl")
                if wait_url:
                    resp = self.fetch(urljoin(here, wait_url), verb.get("waitUrlMethod", "POST"),
                                      {"QueuePosition": "3", "QueueTime": "0", "AvgQueueTime": "900"})
                    assert resp.status_code == 200, f"waitUrl {wait_url} answered {resp.status_code}"
                    for node in ET.fromstring(resp.text.encode()):
                        self._speak(node, place)
                        for child in node:
                            self._speak(child, place)
                place.ended = "queue"
                return self._ended(places, pending)
            elif verb.tag in ("Record", "Hangup", "Reject"):
                place.ended = verb.tag.lower() if verb.tag == "Record" else "hangup"
                return self._ended(places, pending)
        places[-1].ended = places[-1].ended or "end"
        return self._ended(places, pending)

    @staticmethod
    def _ended(places: list[Place], pending: list[str]):
        assert not pending, f"the call ended ({places[-1].ended}) with moves left: {pending}"
        return None


def heard_at(base: str, meta: dict, path: list[str]) -> Place:
    places = Walk(base, meta).run(path)
    assert len(places) == len(path) + 1, f"path {path} stopped after {len(places) - 1} moves"
    return places[-1]


# --------------------------------------------------------------------------- IVR cases


def test_there_are_enough_cases():
    frameworks = [_case(c)["framework"] for c in CASES]
    assert len(CASES) >= 10
    assert frameworks.count("flask") >= 2 and frameworks.count("django") >= 2
    assert frameworks.count("fastapi") + frameworks.count("starlette") >= 2 and "stdlib" in frameworks


@pytest.mark.parametrize("case_dir", CASES, ids=lambda p: p.name)
def test_case_yaml_is_well_formed(case_dir):
    meta = _case(case_dir)
    for key in ("name", "written_like", "framework", "interface", "entry", "entry_method", "caller", "goal",
                "friction", "clean"):
        assert key in meta, f"{case_dir.name}/case.yaml has no '{key}'"
    assert meta["name"] == case_dir.name
    assert FRAMEWORKS.get(meta["framework"]) == meta["interface"]
    assert meta["entry"].startswith("/") and meta["entry_method"] in ("GET", "POST")
    caller = meta["caller"]
    assert set(caller) >= {"channels", "facts", "from"} and set(caller["channels"]) <= CHANNELS
    assert set(caller["from"]) >= {"city", "state", "zip", "country"}
    assert meta["clean"], "every case lists at least one clean path"
    for item in meta["friction"]:
        assert set(item) >= {"kind", "path", "evidence", "why"}, item
        assert item["kind"] in IVR_KINDS, item
        assert item["evidence"] and item["why"], item
        assert all(MOVE.match(m) for m in item["path"]), item
    for item in meta["clean"]:
        assert all(MOVE.match(m) for m in item["path"]), item
        for bad in meta["friction"]:
            if bad["kind"] == "missing_option":   # judged against the goal, not against the path
                continue
            assert item["path"][:len(bad["path"])] != bad["path"], \
                f"clean path {item['path']} passes through the {bad['kind']} at {bad['path']}"
    assert "def make_app(" in (case_dir / "app.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("case_dir", CASES, ids=lambda p: p.name)
def test_entry_answers_twiml(case_dir):
    meta = _case(case_dir)
    with serve.serve_case(case_dir) as base:
        walk = Walk(base, meta)
        with walk.client:
            resp = walk.fetch(meta["entry"], meta["entry_method"], {})
        assert resp.status_code == 200, resp.text[:500]
        assert "xml" in resp.headers.get("content-type", ""), resp.headers
        root = ET.fromstring(resp.text.encode())
        assert root.tag == "Response"
        assert len(root), "an empty <Response> at the entry"


@pytest.mark.parametrize("case_dir", CASES, ids=lambda p: p.name)
def test_labels_are_true_to_the_app(case_dir):
    """Every labelled path exists, its evidence is heard right there, and every clean path can be walked."""
    meta = _case(case_dir)
    with serve.serve_case(case_dir) as base:
        for item in meta["friction"]:
            place = heard_at(base, meta, item["path"])
            if item["evidence"] == "<hangup>":
                assert place.ended in ("hangup", "end") and not place.text.strip(), (item, place)
            else:
                assert item["evidence"].lower() in place.text.lower(), (item, place.text)
        for item in meta["clean"]:
            places = Walk(base, meta).run(item["path"])
            assert len(places) == len(item["path"]) + 1, item
            assert all(p.ended != "http" for p in places), (item, places[-1].text)


# --------------------------------------------------------------------------- flow exports


def _flow_units(data) -> tuple[str, dict[str, str], dict[str, str]]:
    """The platform; per action id or state name, the text that belongs to it (for evidence); and, per
    block that some transition leads to, one block that leads there."""
    targets: dict[str, str] = {}
    if isinstance(data, dict) and isinstance(data.get("ContactFlow"), dict):
        data = json.loads(data["ContactFlow"]["Content"])
    if isinstance(data, dict) and "Actions" in data:
        meta = (data.get("Metadata") or {}).get("ActionMetadata") or {}
        for a in data["Actions"]:
            t = a.get("Transitions") or {}
            for nxt in [t.get("NextAction")] + [x["NextAction"] for x in t.get("Errors", []) + t.get("Conditions", [])]:
                if nxt:
                    targets.setdefault(nxt, a["Identifier"])
        targets.setdefault(data["StartAction"], "StartAction")
        return "connect", {a["Identifier"]: json.dumps([a, meta.get(a["Identifier"], {})], ensure_ascii=False)
                           for a in data["Actions"]}, targets
    if isinstance(data, dict) and isinstance(data.get("definition"), dict):
        data = data["definition"]
    for s in data["states"]:
        for t in s.get("transitions", []):
            if t.get("next"):
                targets.setdefault(t["next"], s["name"])
    targets.setdefault(data.get("initial_state", "Trigger"), "initial_state")
    return "studio", {s["name"]: json.dumps(s, ensure_ascii=False) for s in data["states"]}, targets


def test_every_flow_file_is_labelled():
    assert set(LABELS) == {p.name for p in FLOW_FILES}
    platforms = [LABELS[p.name]["platform"] for p in FLOW_FILES]
    assert platforms.count("connect") >= 6 and platforms.count("studio") >= 5
    assert sum(1 for p in FLOW_FILES if LABELS[p.name]["broken"]) >= 1
    assert len(FLOW_FILES) >= 12


@pytest.mark.parametrize("path", FLOW_FILES, ids=lambda p: p.name)
def test_flow_parses_and_labels_are_true(path):
    label = LABELS[path.name]
    for key in ("platform", "broken", "caller_channels", "findings", "clean"):
        assert key in label, f"labels.yaml {path.name} has no '{key}'"
    assert label["platform"] in ("connect", "studio") and set(label["caller_channels"]) <= CHANNELS
    text = path.read_text(encoding="utf-8")
    if label["broken"]:
        with pytest.raises(json.JSONDecodeError) as caught:
            json.loads(text)
        assert caught.value.lineno == label["line"], caught.value
        return
    platform, units, targets = _flow_units(json.loads(text))
    assert platform == label["platform"]
    for item in label["findings"]:
        assert set(item) >= {"kind", "at", "evidence", "branches", "why"}, item
        assert item["kind"] in FLOW_KINDS, item
        assert isinstance(item["branches"], int), item
        assert (item["branches"] == 0) == (item["kind"] == "unreachable"), item
        assert item["at"] in units, f"{item['at']} is not an action or state of {path.name}"
        assert item["evidence"].lower() in units[item["at"]].lower(), item
        if item["kind"] == "unreachable":
            assert item["at"] not in targets, f"{item['at']} is reached from {targets[item['at']]}"
    assert label["clean"], "every flow lists some clean states"
    for name in label["clean"]:
        assert name in units, f"clean state {name} is not in {path.name}"


def test_the_documented_traps_are_real():
    """The traps the case.yaml comments promise are really there, so a benchmark meets them."""
    by_name = {c.name: c for c in CASES}

    def raw(case: str, method: str, url: str, params: dict | None = None, **kw) -> httpx.Response:
        meta = _case(by_name[case])
        with serve.serve_case(by_name[case]) as base, httpx.Client(base_url=base) as client:
            data = {**twilio_params(meta["caller"]), **(params or {})}
            if method == "GET":
                return client.get(url, params=data, **kw)
            return client.post(url, data=data, **kw)

    assert raw("starlette-library-getonly", "POST", "/phone/welcome").status_code == 405
    assert raw("django-clinic-appendslash", "POST", "/ivr/welcome").headers["location"] == "/ivr/welcome/"
    assert raw("django-insurance-debug", "GET", "/claims/voice").status_code == 301
    crash = raw("django-insurance-debug", "GET", "/claims/status/", {"Digits": "204811937"},
                headers={"Accept": "text/html"})
    assert crash.status_code == 500 and "Traceback" in crash.text and "<html" in crash.text
    assert raw("flask-pizza-redirects", "POST", "/ivr/menu", {"Digits": "1"}).status_code == 307
    assert raw("flask-hotel-multibrand", "POST", "/voice").status_code == 302
    # the credit union reads request.values["Caller"]: without Twilio's Caller field the entry fails
    meta = _case(by_name["flask-creditunion-speech"])
    with serve.serve_case(by_name["flask-creditunion-speech"]) as base:
        data = {k: v for k, v in twilio_params(meta["caller"]).items() if k != "Caller"}
        assert httpx.post(base + "/voice/main", data=data).status_code == 400
    # the utility's outage option exists only for callers Twilio places in Illinois
    meta = _case(by_name["flask-utility-fromstate"])
    with serve.serve_case(by_name["flask-utility-fromstate"]) as base:
        elsewhere = httpx.post(base + "/ivr/answer", data={**twilio_params(meta["caller"]), "FromState": "IN"}).text
        here = httpx.post(base + "/ivr/answer", data=twilio_params(meta["caller"])).text
    assert "press 1" not in elsewhere and "calling from Illinois about a power outage, press 1" in here
    # the whisper is only on the manager's leg: the caller's path never hears it
    pizza = _case(by_name["flask-pizza-redirects"])
    with serve.serve_case(by_name["flask-pizza-redirects"]) as base:
        assert "accept this call" not in heard_at(base, pizza, ["3"]).text
        assert "accept this call" in httpx.post(base + "/ivr/whisper", data=twilio_params(pizza["caller"])).text

"""Broken IVR flow exports each get a clear message, never a traceback, a hang or a memory blow-up (issue 13).

The broken Twilio Studio and Amazon Connect exports are generated from tests/flows/studio_clean.json and
connect_clean.json with a fixed seed, so a failing case always comes back the same: truncated JSON, wrong types
at every level, names that point nowhere, names used twice, 20,000 levels of nesting, files far over any
export's size, very long strings, bytes that are not UTF-8, UTF-16, NUL bytes, binary garbage, wrappers whose
embedded flow is broken or a nesting bomb, NaN and Infinity, integers of thousands of digits. Each goes through
the loader the CLI uses (`analyse_flow`: read_flow_file, parse_flow, the analysis) and must raise a FlowError
naming the file (and the line, where the JSON has one) with a "Fix:", within 5 s. A few exports are odd but
legitimate (a cycle, a UTF-8 byte-order mark, null where an object may be empty): those are explored, not
refused. A handful go through the real CLI, which must exit 2 without a traceback, under 200 MB.
"""

from __future__ import annotations

import copy
import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from simsuite.explore.flows import FlowError, analyse_flow
from simsuite.explore.map import ExploreMap

from bounds import deadline, run_measured

ROOT = Path(__file__).resolve().parent.parent
FLOWS = ROOT / "tests" / "flows"
SEED = 13          # the number: change it to explore other cases, keep it to reproduce one
DEADLINE = 5.0     # seconds the loader may take on any one file
DEEP = 20_000      # nesting levels of the "deep" cases
MEMORY_MB = 200    # peak memory of the CLI on any one file

STUDIO: dict[str, Any] = json.loads((FLOWS / "studio_clean.json").read_text(encoding="utf-8"))  # REST resource
CONNECT: dict[str, Any] = json.loads((FLOWS / "connect_clean.json").read_text(encoding="utf-8"))
DROP = object()    # remove the key
REFUSED, EXPLORED = "refused", "explored"
NAN_MARK = "@@literal@@"


# -- generating broken exports ---------------------------------------------------------------------------------
def dump(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False)


def mutate(base: Any, path: tuple[Any, ...], value: Any) -> str:
    """The export with the value at `path` (keys and list indexes) replaced, or removed (DROP)."""
    doc = copy.deepcopy(base)
    *parents, last = path
    node = doc
    for part in parents:
        node = node[part]
    if value is DROP:
        del node[last]
    else:
        node[last] = value
    return dump(doc)


def with_literal(base: Any, path: tuple[Any, ...], literal: str) -> tuple[bytes, int]:
    """The export with a bare literal (NaN, a 5,000-digit number) at `path`, and the line it is on."""
    text = mutate(base, path, NAN_MARK)
    line = text[:text.index(NAN_MARK)].count("\n") + 1
    return text.replace(f'"{NAN_MARK}"', literal).encode(), line


def line_of(text: str, words: str) -> int:
    """The line of the first occurrence of `words`."""
    return text[:text.index(words)].count("\n") + 1


S = ("definition", "states")   # where a Studio export's states are
A = ("Actions",)               # where a Connect export's actions are

# (id, base, path, value): each is refused, with no line (the JSON is fine, its content is not)
WRONG: list[tuple[str, Any, tuple[Any, ...], Any]] = [
    # Studio: the states list and each state
    ("studio-states-a-dict", STUDIO, S, {"name": "Trigger"}),
    ("studio-states-a-string", STUDIO, S, "Trigger, main_menu"),
    ("studio-states-null", STUDIO, S, None),
    ("studio-states-a-number", STUDIO, S, 6),
    ("studio-states-empty", STUDIO, S, []),
    ("studio-state-a-string", STUDIO, (*S, 1), "main_menu"),
    ("studio-state-null", STUDIO, (*S, 1), None),
    ("studio-state-a-number", STUDIO, (*S, 1), 2),
    ("studio-state-a-list", STUDIO, (*S, 1), [{"name": "main_menu"}]),
    ("studio-state-true", STUDIO, (*S, 1), True),
    ("studio-name-a-number", STUDIO, (*S, 1, "name"), 5),
    ("studio-name-null", STUDIO, (*S, 1, "name"), None),
    ("studio-name-empty", STUDIO, (*S, 1, "name"), ""),
    ("studio-name-a-list", STUDIO, (*S, 1, "name"), ["main_menu"]),
    ("studio-no-name", STUDIO, (*S, 1, "name"), DROP),
    ("studio-type-a-number", STUDIO, (*S, 1, "type"), 7),
    ("studio-type-an-object", STUDIO, (*S, 1, "type"), {"widget": "say-play"}),
    ("studio-transitions-a-dict", STUDIO, (*S, 1, "transitions"), {"event": "keypress", "next": "route"}),
    ("studio-transitions-a-string", STUDIO, (*S, 1, "transitions"), "route"),
    ("studio-transition-a-string", STUDIO, (*S, 1, "transitions", 0), "route"),
    ("studio-transition-null", STUDIO, (*S, 1, "transitions", 0), None),
    ("studio-event-a-number", STUDIO, (*S, 1, "transitions", 0, "event"), 7),
    ("studio-next-a-number", STUDIO, (*S, 1, "transitions", 0, "next"), 5),
    ("studio-next-a-list", STUDIO, (*S, 1, "transitions", 0, "next"), ["route"]),
    ("studio-next-nowhere", STUDIO, (*S, 1, "transitions", 0, "next"), "route_menu"),
    ("studio-next-very-long", STUDIO, (*S, 1, "transitions", 0, "next"), "r" * 1_000_000),
    ("studio-conditions-a-string", STUDIO, (*S, 2, "transitions", 1, "conditions"), "1"),
    ("studio-conditions-a-dict", STUDIO, (*S, 2, "transitions", 1, "conditions"), {"type": "equal_to", "value": "1"}),
    ("studio-condition-a-string", STUDIO, (*S, 2, "transitions", 1, "conditions", 0), "equal_to 1"),
    ("studio-properties-a-list", STUDIO, (*S, 1, "properties"), [{"say": "Press 1"}]),
    ("studio-properties-a-string", STUDIO, (*S, 1, "properties"), "say: Press 1"),
    ("studio-say-a-number", STUDIO, (*S, 1, "properties", "say"), 5),
    ("studio-say-a-list", STUDIO, (*S, 1, "properties", "say"), ["Press 1 for your balance."]),
    ("studio-say-an-object", STUDIO, (*S, 4, "properties", "say"), {"text": "Your balance is ten dollars."}),
    ("studio-duplicate-names", STUDIO, (*S, 2, "name"), "main_menu"),
    ("studio-duplicate-long-names", STUDIO, (*S,), [{"name": "x" * 500_000, "type": "say-play"}] * 2),
    ("studio-initial-nowhere", STUDIO, ("definition", "initial_state"), "Start"),
    ("studio-initial-a-number", STUDIO, ("definition", "initial_state"), 0),
    ("studio-initial-an-object", STUDIO, ("definition", "initial_state"), {"name": "Trigger" * 1000}),
    ("studio-definition-null", STUDIO, ("definition",), None),
    ("studio-definition-a-list", STUDIO, ("definition",), [1, 2]),
    ("studio-definition-empty", STUDIO, ("definition",), {}),
    ("studio-too-many-states", STUDIO, S, [{"name": f"s{i}", "type": "say-play"} for i in range(12_000)]),
    # Connect: the actions list and each action
    ("connect-actions-a-dict", CONNECT, A, {"Welcome": {"Type": "MessageParticipant"}}),
    ("connect-actions-a-string", CONNECT, A, "Welcome"),
    ("connect-actions-null", CONNECT, A, None),
    ("connect-actions-empty", CONNECT, A, []),
    ("connect-action-a-string", CONNECT, (*A, 0), "Welcome"),
    ("connect-action-null", CONNECT, (*A, 0), None),
    ("connect-action-a-number", CONNECT, (*A, 0), 1),
    ("connect-identifier-a-number", CONNECT, (*A, 0, "Identifier"), 1),
    ("connect-identifier-empty", CONNECT, (*A, 0, "Identifier"), "  "),
    ("connect-type-a-list", CONNECT, (*A, 0, "Type"), ["MessageParticipant"]),
    ("connect-parameters-a-list", CONNECT, (*A, 0, "Parameters"), [{"Text": "Welcome."}]),
    ("connect-parameters-a-string", CONNECT, (*A, 0, "Parameters"), "Text=Welcome"),
    ("connect-parameters-empty-list", CONNECT, (*A, 0, "Parameters"), []),
    ("connect-text-a-number", CONNECT, (*A, 0, "Parameters", "Text"), 42),
    ("connect-text-a-list", CONNECT, (*A, 1, "Parameters", "Text"), ["Press 1.", "Press 2."]),
    ("connect-ssml-an-object", CONNECT, (*A, 0, "Parameters"), {"SSML": {"speak": "Welcome"}}),
    ("connect-transitions-a-list", CONNECT, (*A, 0, "Transitions"), [{"NextAction": "Menu"}]),
    ("connect-transitions-empty-list", CONNECT, (*A, 0, "Transitions"), []),
    ("connect-transitions-a-string", CONNECT, (*A, 0, "Transitions"), "Menu"),
    ("connect-conditions-a-dict", CONNECT, (*A, 1, "Transitions", "Conditions"), {"NextAction": "Balance"}),
    ("connect-conditions-strings", CONNECT, (*A, 1, "Transitions", "Conditions"), ["Balance", "SetQueue"]),
    ("connect-condition-not-an-object", CONNECT, (*A, 1, "Transitions", "Conditions", 0, "Condition"), "Equals 1"),
    ("connect-operands-a-string", CONNECT, (*A, 1, "Transitions", "Conditions", 0, "Condition", "Operands"), "12"),
    ("connect-operands-nested", CONNECT, (*A, 1, "Transitions", "Conditions", 0, "Condition", "Operands"), [["1"]]),
    ("connect-errors-a-string", CONNECT, (*A, 0, "Transitions", "Errors"), "NoMatchingError"),
    ("connect-errors-a-dict", CONNECT, (*A, 0, "Transitions", "Errors"), {"NextAction": "SetQueue"}),
    ("connect-next-a-number", CONNECT, (*A, 0, "Transitions", "NextAction"), 3),
    ("connect-next-a-list", CONNECT, (*A, 0, "Transitions", "NextAction"), ["Menu"]),
    ("connect-next-nowhere", CONNECT, (*A, 0, "Transitions", "NextAction"), "MainMenu"),
    ("connect-condition-next-nowhere", CONNECT, (*A, 1, "Transitions", "Conditions", 0, "NextAction"), "Balanse"),
    ("connect-error-next-null", CONNECT, (*A, 1, "Transitions", "Errors", 0, "NextAction"), None),
    ("connect-start-nowhere", CONNECT, ("StartAction",), "Start"),
    ("connect-start-a-number", CONNECT, ("StartAction",), 0),
    ("connect-start-null", CONNECT, ("StartAction",), None),
    ("connect-start-a-big-object", CONNECT, ("StartAction",), {f"k{i}": list(range(50)) for i in range(2000)}),
    ("connect-start-very-long", CONNECT, ("StartAction",), "W" * 2_000_000),
    ("connect-duplicate-identifiers", CONNECT, (*A, 1, "Identifier"), "Welcome"),
    ("connect-no-start", CONNECT, ("StartAction",), DROP),
]

# odd but legitimate: explored, not refused
ODD: list[tuple[str, Any, tuple[Any, ...], Any]] = [
    ("studio-cycle-back-to-the-menu", STUDIO, (*S, 4, "transitions"),
     [{"event": "audioComplete", "next": "main_menu"}]),
    ("studio-cycle-two-prompts", STUDIO, (*S,), [
        {"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingCall", "next": "a"}]},
        {"name": "a", "type": "say-play", "properties": {"say": "Hello."}, "transitions": [{"event": "audioComplete",
                                                                                          "next": "b"}]},
        {"name": "b", "type": "say-play", "properties": {"say": "Still here."},
         "transitions": [{"event": "audioComplete", "next": "a"}]}]),
    ("studio-properties-null", STUDIO, (*S, 1, "properties"), None),
    ("studio-nested-offset-90", STUDIO, (*S, 1, "properties", "offset"), json.loads("[" * 90 + "1" + "]" * 90)),
    ("connect-cycle-goodbye-to-welcome", CONNECT, (*A, 7, "Transitions"), {"NextAction": "Welcome"}),
    ("connect-self-loop", CONNECT, (*A, 6, "Transitions"), {"NextAction": "Callback"}),
    ("connect-parameters-null", CONNECT, (*A, 7, "Parameters"), None),
    ("connect-transitions-null", CONNECT, (*A, 7, "Transitions"), None),
    ("connect-metadata-a-string", CONNECT, ("Metadata",), "drawn in the console"),
]


def text_cases(rng: random.Random) -> list[tuple[str, bytes, Any, str]]:
    """Files broken as text or JSON: (id, content, line: an int, True for "some line", or None, verdict)."""
    studio, connect = dump(STUDIO), dump(CONNECT)
    compact = json.dumps(CONNECT)
    cases: list[tuple[str, bytes, Any, str]] = [
        ("empty", b"", 1, REFUSED),
        ("only-whitespace", b"  \n\n\t\n", True, REFUSED),
        ("json-null", b"null\n", None, REFUSED),
        ("json-number", b"42\n", None, REFUSED),
        ("json-string", b'"a flow"\n', None, REFUSED),
        ("json-true", b"true", None, REFUSED),
        ("json-empty-list", b"[]", None, REFUSED),
        ("json-empty-object", b"{}", None, REFUSED),
        ("json-list-of-flows", f"[{connect}]".encode(), None, REFUSED),
        ("two-documents", (connect + "\n" + connect).encode(), True, REFUSED),
        ("trailing-comma", ",\n  ]".join(connect.rsplit("\n  ]", 1)).encode(), True, REFUSED),
        ("comments", ("// exported from the console\n" + connect).encode(), 1, REFUSED),
        ("single-quotes", compact.replace('"', "'").encode(), 1, REFUSED),
        ("deep-lists-open", b"[" * DEEP, 1, REFUSED),
        ("deep-lists-closed", b"[" * DEEP + b"]" * DEEP, 1, REFUSED),
        ("deep-objects", b'{"a":' * DEEP + b"1" + b"}" * DEEP, 1, REFUSED),
        ("deep-in-a-state", studio.replace('"offset": {', '"offset": ' + "[" * DEEP + "1" + "]" * DEEP + ', "x": {', 1)
         .encode(), True, REFUSED),
        ("deep-150-pretty", json.dumps(json.loads("[" * 150 + "]" * 150), indent=1).encode(), True, REFUSED),
        ("utf8-bom", b"\xef\xbb\xbf" + connect.encode(), None, EXPLORED),
        ("utf16-le-bom", connect.encode("utf-16"), 1, REFUSED),
        ("utf16-be-bom", b"\xfe\xff" + connect.encode("utf-16-be"), 1, REFUSED),
        ("utf16-no-bom", connect.encode("utf-16-le"), 1, REFUSED),
        ("utf32", connect.encode("utf-32"), 1, REFUSED),
        ("nul-bytes", b"\x00" * 16, 1, REFUSED),
        ("nul-in-a-prompt", connect.replace("Welcome to", "Welcome\x00 to", 1).encode(), line_of(connect, "Welcome to"),
         REFUSED),
        ("latin-1", studio.replace("Goodbye.", "Au revoir, café.").encode("latin-1"), True, REFUSED),
        ("a-very-long-prompt", mutate(CONNECT, (*A, 0, "Parameters", "Text"), "Welcome to Acme. " * 200_000).encode(),
         None, REFUSED),
        ("a-very-long-line-of-junk", b'{"StartAction": "' + b"\xe2\x80\x94" * 1_000_000 + b'"', 1, REFUSED),
        ("huge-integer", *with_literal(CONNECT, (*A, 1, "Parameters", "InputTimeLimitSeconds"), "9" * 5000), REFUSED),
        ("huge-negative-integer", *with_literal(STUDIO, (*S, 1, "properties", "timeout"), "-" + "1" * 10_000), REFUSED),
        ("huge-float", *with_literal(STUDIO, (*S, 1, "properties", "number_of_digits"), "1e999999"), REFUSED),
        ("nan", *with_literal(STUDIO, (*S, 1, "properties", "timeout"), "NaN"), REFUSED),
        ("infinity", *with_literal(CONNECT, (*A, 1, "Parameters", "InputTimeLimitSeconds"), "Infinity"), REFUSED),
        ("minus-infinity", *with_literal(STUDIO, (*S, 0, "properties", "offset", "x"), "-Infinity"), REFUSED),
        # just under 5 MB (the largest export read), the most memory per byte JSON can ask for
        ("too-many-objects", b'{"states": [' + b",".join([b"{}"] * 1_600_000) + b'], "initial_state": "x"}', None,
         REFUSED),
        ("too-many-lists", b"[" + b",".join([b"[]"] * 1_600_000) + b"]", None, REFUSED),
        ("many-short-strings", b'{"Actions": [' + b",".join([b'"ab"'] * 950_000) + b'], "StartAction": "ab"}',
         None, REFUSED),
        ("many-numbers", b'{"Actions": [' + b",".join([b"300"] * 1_200_000) + b'], "StartAction": "ab"}', None,
         REFUSED),
        ("many-small-objects", b'{"states": [' + b",".join([b'{"a":1}'] * 240_000) + b'], "initial_state": "x"}',
         None, REFUSED),
        ("over-5-mb", connect.encode() + b" " * 5_000_000, None, REFUSED),
    ]
    for n in range(6):  # truncated at a random point: never valid JSON
        base = (studio, connect, compact)[n % 3]
        cut = rng.randrange(1, len(base) - 2)
        cases.append((f"truncated-{n}-at-{cut}", base[:cut].encode(), True, REFUSED))
    lines = studio.splitlines()
    quoted = [i for i, line in enumerate(lines) if '": "' in line]
    for n in range(3):  # a byte that is not UTF-8 inside a value, on a known line
        at = rng.choice(quoted)
        raw = [line.encode() for line in lines]
        raw[at] = raw[at].replace(b'": "', b'": "' + bytes([rng.choice([0x80, 0xC3, 0xE9, 0xFF])]), 1)
        cases.append((f"not-utf8-line-{at + 1}", b"\n".join(raw), at + 1, REFUSED))
    for n in range(4):  # binary garbage
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(20, 400)))
        cases.append((f"binary-{n}", blob, True, REFUSED))
    for n in range(3):  # printable garbage made of JSON's own characters
        chars = '{}[]:,"\\ \n\tabc123-.eE'
        cases.append((f"garbage-{n}", "".join(rng.choice(chars) for _ in range(200)).encode(), True, REFUSED))
    # wrappers whose embedded flow is broken
    content = json.dumps(CONNECT)
    described = {"ContactFlow": {"Arn": "arn:aws:connect:x", "Name": "Acme", "Type": "CONTACT_FLOW"}}

    def wrapped(inner: Any) -> bytes:
        doc = copy.deepcopy(described)
        doc["ContactFlow"]["Content"] = inner
        return dump(doc).encode()

    cases += [
        ("connect-content-fine", wrapped(content), None, EXPLORED),
        ("connect-content-truncated", wrapped(content[:len(content) // 2]), None, REFUSED),
        ("connect-content-a-nesting-bomb", wrapped("[" * DEEP + "]" * DEEP), None, REFUSED),
        ("connect-content-nan", wrapped(content.replace('"5"', "NaN")), None, REFUSED),
        ("connect-content-huge-integer", wrapped(content.replace('"5"', "7" * 6000)), None, REFUSED),
        ("connect-content-utf16-text", wrapped(content.encode("utf-16").decode("latin-1")), None, REFUSED),
        ("connect-content-a-string-in-a-string", wrapped(json.dumps(content)), None, REFUSED),
        ("connect-content-empty", wrapped(""), None, REFUSED),
        ("connect-content-a-number", wrapped(5), None, REFUSED),
        ("connect-contactflow-a-string", dump({"ContactFlow": content}).encode(), None, REFUSED),
        ("studio-definition-a-broken-string", mutate(STUDIO, ("definition",), json.dumps(STUDIO["definition"])[:-9])
         .encode(), None, REFUSED),
        ("studio-definition-a-nesting-bomb", mutate(STUDIO, ("definition",), "{\"a\":" * DEEP + "1" + "}" * DEEP)
         .encode(), None, REFUSED),
    ]
    return cases


def flow_cases() -> list[tuple[str, bytes, Any, str]]:
    rng = random.Random(SEED)
    cases = [(name, mutate(base, path, value).encode(), None, REFUSED) for name, base, path, value in WRONG]
    cases += [(name, mutate(base, path, value).encode(), None, EXPLORED) for name, base, path, value in ODD]
    return cases + text_cases(rng)


# -- checking ---------------------------------------------------------------------------------------------------
def loaded(path: Path) -> tuple[Any, float]:
    """What the CLI's loader makes of the file (a map, or the exception), and how long it took."""
    started = time.monotonic()
    try:
        with deadline(DEADLINE):
            value: Any = analyse_flow(path)
    except TimeoutError as exc:
        pytest.fail(f"{path.name}: hangs ({exc})")
    except (Exception, SystemExit) as exc:  # noqa: BLE001 -- judged by the caller
        value = exc
    return value, time.monotonic() - started


def refused(path: Path, line: Any) -> str:
    """The message the loader refuses the file with, after checking it is a clear, quick FlowError."""
    value, took = loaded(path)
    if isinstance(value, ExploreMap):
        pytest.fail(f"{path.name}: a broken export was accepted ({len(value.nodes)} nodes)")
    if not isinstance(value, FlowError):
        pytest.fail(f"{path.name}: raised {value.__class__.__name__}, not a FlowError: {value!r}"[:1500])
    message = str(value)
    assert took < DEADLINE
    assert message.startswith(str(path)), message[:2000]
    assert "Fix:" in message, message
    assert "Traceback" not in message and len(message) < 1000, message[:2000]
    if line is True:
        assert re.match(re.escape(str(path)) + r":\d+", message), f"no line in: {message}"
    elif line is not None:
        assert message.startswith(f"{path}:{line}:"), f"not line {line}: {message}"
    return message


def explored(path: Path) -> ExploreMap:
    """The map of an odd but legitimate export, made within the deadline."""
    value, took = loaded(path)
    if isinstance(value, BaseException):
        pytest.fail(f"{path.name}: a legitimate export was refused: {value!r}"[:1500])
    assert took < DEADLINE
    assert value.target == str(path) and value.nodes and value.stats["reachable"] >= 2
    return value


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


CASES = flow_cases()


def _ids(cases: list[tuple[str, bytes, Any, str]]) -> list[str]:
    return [c[0] for c in cases]


def test_the_bases_the_cases_break_are_clean_flows(tmp_path):
    for name, base in (("studio.json", STUDIO), ("connect.json", CONNECT)):
        explored_map = explored(_write(tmp_path, name, dump(base).encode()))
        assert not [f for f in explored_map.findings if f.kind in ("dead_end", "unreachable", "loop")]


def test_enough_cases_of_every_kind():
    assert len(CASES) >= 40 and len(set(_ids(CASES))) == len(CASES)
    assert sum(1 for name in _ids(CASES) if name.startswith("studio")) >= 20
    assert sum(1 for name in _ids(CASES) if name.startswith("connect")) >= 20


@pytest.mark.parametrize("name, content, line, verdict", CASES, ids=_ids(CASES))
def test_a_broken_flow_export_gets_a_clear_message(name, content, line, verdict, tmp_path):
    path = _write(tmp_path, "flow.json", content)
    if verdict == EXPLORED:
        explored(path)
    else:
        refused(path, line)


def test_a_file_far_over_any_exports_size_is_refused_before_it_is_read(tmp_path):
    """60 MB: a clean flow padded with white space (valid JSON) is refused by its size alone, at once."""
    path = tmp_path / "huge.json"
    with path.open("wb") as out:
        out.write(dump(CONNECT).encode())
        out.truncate(60_000_000)   # sparse: NUL bytes that are never read
    message = refused(path, None)
    assert "MB" in message and "60" in message


def test_what_the_messages_say(tmp_path):
    """The messages name the block and the value (cut short), and the fix; never the expanded structure."""
    def case(name: str) -> bytes:
        return next(content for case_name, content, _, _ in CASES if case_name == name)

    def says(name: str) -> str:
        return refused(_write(tmp_path, f"{name}.json", case(name)), None).split(": ", 1)[1]

    assert "state #2" in says("studio-state-a-string")
    assert "'main_menu'" in says("studio-say-a-number") and "'say'" in says("studio-say-a-number")
    assert "'Welcome'" in says("connect-text-a-number") and "'Text'" in says("connect-text-a-number")
    assert "r" * 100 not in says("studio-next-very-long")
    assert "k1" not in says("connect-start-a-big-object") and "W" * 100 not in says("connect-start-very-long")
    assert "two states are named" in says("studio-duplicate-long-names")
    assert "nested" in refused(_write(tmp_path, "deep.json", case("deep-lists-closed")), 1)
    assert "UTF-16" in refused(_write(tmp_path, "u16.json", case("utf16-le-bom")), 1)
    assert "NaN" in refused(_write(tmp_path, "nan.json", case("nan")), True)


def test_cycles_are_explored_and_a_cycle_with_no_way_out_is_a_loop(tmp_path):
    def case(name: str) -> bytes:
        return next(content for case_name, content, _, _ in CASES if case_name == name)

    for name in ("studio-cycle-two-prompts", "connect-self-loop"):
        assert "loop" in [f.kind for f in explored(_write(tmp_path, f"{name}.json", case(name))).findings]
    for name in ("studio-cycle-back-to-the-menu", "connect-cycle-goodbye-to-welcome"):  # each has a way on
        assert "loop" not in [f.kind for f in explored(_write(tmp_path, f"{name}.json", case(name))).findings]


# -- the real CLI, for a handful --------------------------------------------------------------------------------
CLI_CASES = ["deep-lists-closed", "too-many-objects", "utf16-le-bom", "huge-integer", "connect-content-a-nesting-bomb",
             "studio-duplicate-long-names", "many-short-strings", "many-numbers", "many-small-objects"]


def cli_run(path: Path, out: Path) -> tuple[int, str, int, float]:
    """`simsuite explore flow FILE` as a user runs it: exit code, output, peak memory (MB), seconds; failed
    if it still runs after 60 s."""
    done = run_measured([sys.executable, "-m", "simsuite.cli", "explore", "flow", str(path), "--out", str(out)], ROOT)
    if done.returncode == -9:
        pytest.fail(f"{path.name}: the CLI still runs after 60 s")
    return done.returncode, done.output, int(done.peak_mb), done.seconds


@pytest.mark.parametrize("name", CLI_CASES)
def test_the_cli_names_the_file_and_exits_2_within_time_and_memory(name, tmp_path):
    content = next(content for case_name, content, _, _ in CASES if case_name == name)
    path = _write(tmp_path, "broken flow.json", content)
    code, output, megabytes, seconds = cli_run(path, tmp_path / "out")
    assert code == 2, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert f"simsuite: {path}" in output and "Fix:" in output, output[-3000:]
    assert seconds < 60 and megabytes < MEMORY_MB, (seconds, megabytes)


def test_the_cli_refuses_a_60_mb_file_within_memory(tmp_path):
    """60 MB of one prompt in four-byte characters: read whole, its bytes, text and value take over 180 MB."""
    path = tmp_path / "huge.json"
    with path.open("wb") as out:
        out.write(b'{"Actions": [{"Identifier": "a", "Type": "MessageParticipant", "Parameters": {"Text": "')
        out.write("\N{TELEPHONE RECEIVER}".encode() * 15_000_000)
        out.write(b'"}}], "StartAction": "a"}')
    code, output, megabytes, seconds = cli_run(path, tmp_path / "out")
    assert code == 2 and "Traceback" not in output and f"simsuite: {path}" in output, output[-3000:]
    assert seconds < 60 and megabytes < MEMORY_MB, (seconds, megabytes)

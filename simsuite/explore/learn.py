"""What an IVR says, learned from its webhooks: the prompts a SIP call of the same IVR is heard against.

A company's staging line often answers as webhooks while its real number answers only a phone call; the
demo companies answer both ways. Calling the webhooks along every announced option (breadth first, a few
levels deep, a bounded number of calls) collects every sentence the IVR can say.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.personas import make_persona
from ..channels.phone import Call
from ..customer import Customer, Target
from ..errors import SimsuiteError
from ..model import Action

SAID = (Action.HEARD, Action.GATHER)
WAIT = ""  # a move that says nothing until the IVR times out
ANSWER = "answer:"  # a move that gives the fact asked for


def learn_prompts(phone_url: str, entries: list[str], *, depth: int = 6, max_calls: int = 200,
                  dialled: dict[str, str] | None = None) -> tuple[str, ...]:
    """Every prompt the IVR at `phone_url` says from `entries`, in the order first heard: each announced option,
    silence, a key it did not offer, and each fact it asks for (a made-up customer's) tried, `depth` moves
    deep; `dialled` are the numbers it transfers to that answer on the same webhooks."""
    heard: dict[str, None] = {}
    frontier: list[tuple[str, tuple[str, ...]]] = [(entry, ()) for entry in entries]
    seen: set[tuple[str, ...]] = set()
    calls = 0
    while frontier and calls < max_calls:
        entry, moves = frontier.pop(0)
        customer = Customer(make_persona(0, "learn", channels=["phone"]), None,
                            Target(base_url=phone_url, allowed_hosts=frozenset(), dialled=dict(dialled or {})))
        call = customer.phone.call(entry)
        calls += 1
        for move in moves:
            if call.listening:
                _make(call, move)
        if call.listening and len(moves) < depth:
            state = (entry, call.latest)
            if state not in seen:  # a prompt already explored from elsewhere is not explored again
                seen.add(state)
                frontier.extend((entry, (*moves, move)) for move in _moves(call))
        call.hangup()
        heard.update((s.text, None) for s in customer.steps if s.action in SAID and s.text)
    return tuple(heard)


def _moves(call: Call) -> list[str]:
    offered = list(call.options)
    unoffered = next((key for key in "9870*" if key not in offered), None)
    return [*offered, WAIT, *([unoffered] if offered and unoffered else []),
            *(ANSWER + fact for fact in call.asked_for)]


def _make(call: Call, move: str) -> None:
    if move == WAIT:
        call.wait()
    elif move.startswith(ANSWER):
        call.answer(move[len(ANSWER):])
    else:
        call.press(move)


def read_prompts(path: str | Path) -> tuple[str, ...]:
    """Prompts from a file: a results.json or explore map (every phone step's and state's words), or text
    with one prompt a line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SimsuiteError(f"{path}: cannot be read as prompts ({exc.__class__.__name__}). Fix: give a text file "
                            "with one prompt a line, or a results.json from a run against the IVR's webhooks") \
            from None
    if not text.lstrip().startswith("{"):
        return tuple(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SimsuiteError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}). Fix: give the results.json a run "
                            "wrote, unchanged") from None
    found: dict[str, None] = {}
    for journey in doc.get("journeys") or ():
        found.update((s["text"], None) for s in journey.get("steps") or ()
                     if s.get("channel") == "phone" and s.get("action") in ("heard", "gather") and s.get("text"))
    for explored in [*(doc.get("maps") or ()), *([doc] if "nodes" in doc else [])]:
        found.update((n["evidence"], None) for n in explored.get("nodes") or () if n.get("evidence"))
    return tuple(found)

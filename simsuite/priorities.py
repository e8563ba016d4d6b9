"""Fix these first: the problems whose removal would lower the index most, measured, not guessed.

A *problem* is one thing the company does that customers meet, in one or more journeys, often as several
frictions: a page that says "cannot be rescheduled online" and "please call" is one rule, met on the web
and again in chat. Frictions belong to one problem when

- they quote the same words (numbers aside), in any journey, whatever kind each was judged;
- they name the same destination (a phone number, a web address) and share a significant word (a company's
  one phone number serves many rules);
- they are blocking frictions (dead end, forced switch, unavailable demand) at the same step; or
- they are blocking frictions of the same scenario that share a significant word ("outage", "reschedule").

A problem's *drop* is measured: its frictions are removed from every journey they appear in, each
journey's index is recomputed with the journey's own weights (`core.index.kafkaesque_index`), and the
mode's mean index falls by the drop. A journey that ended unresolved at one of the problem's walls (its
last dead end or unavailable demand) is not charged that outcome once the wall is gone: removing a wall
removes what it caused.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Iterable

from .core.index import IndexWeights, kafkaesque_index
from .model import Friction, FrictionKind, Outcome

BLOCKING = frozenset({"dead_end", "forced_channel_switch", "unavailable_demand"})
WALLS = frozenset({"dead_end", "unavailable_demand"})
LIMIT = 5

REMEDIES: dict[str, str] = {
    "dead_end": "Give customers a way to finish this where they are, or a next step that does not start over.",
    "forced_channel_switch": "Let customers finish in the channel they started in; where another is needed, "
                             "hand the case over so they do not start again.",
    "unavailable_demand": "Offer a way that does not need what these customers lack (a call-back, a text "
                          "message, another channel they can use).",
    "missing_option": "Add the option customers look for, or send requests that match no option to a person.",
    "loop": "After one repeat, offer a person or a different path instead of the same prompt.",
    "repeated_information": "Carry what the customer already gave along with the case, so nobody asks again.",
    "transfer": "Route customers to the team that can help on the first try, with their case attached.",
    "wait": "Shorten the hold or offer a call-back, and always say how long the wait will be.",
}

_DESTINATION = re.compile(r"\+?\d[\d ().-]{6,}\d|[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^\s,;]*[^\s,;.])?", re.I)
_WORD = re.compile(r"[a-z][a-z'-]+")
_COMMON = frozenset("""
a about after again all also am an and any are as at be been before being but by can cannot can't could did
do does for from had has have here how i if in into is it its it's just let may me more most my no not now
of on once only or other our out over please press say see sorry than thank thanks that the their them then
there these they this those to too until up us very was we we'll we're we've were what when where which
while who will with would you you'll your yours call calling visit website web site online page phone line
number email e-mail mail chat use using go contact check team help
""".split())


def _normal(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(str(text).lower().split()))


def _stem(word: str) -> str:
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") else word


def significant_words(text: str) -> set[str]:
    """The words of `text` that say what it is about: no destinations, no common or channel words."""
    words = _WORD.findall(_DESTINATION.sub(" ", str(text)).lower())
    return {_stem(w) for w in words if len(w) >= 4 and w not in _COMMON}


def destinations(text: str) -> set[str]:
    """Phone numbers and web addresses `text` sends the customer to."""
    return {re.sub(r"\D", "", m) if m[0] in "+0123456789" else m.lower() for m in _DESTINATION.findall(str(text))}


class _Groups:
    """Union-find over friction keys (kind, words)."""

    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, x: Any) -> Any:
        root = x
        while self.parent.setdefault(root, root) != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def join(self, a: Any, b: Any) -> None:
        self.parent[self.find(a)] = self.find(b)


def _key(f: dict[str, Any]) -> tuple[str, str]:
    return str(f.get("kind")), _normal(f.get("evidence") or "")


def _group(journeys: list[dict[str, Any]]) -> dict[Any, list[tuple[dict[str, Any], int]]]:
    groups = _Groups()
    topics: dict[str, list[tuple[tuple[str, str], set[str]]]] = defaultdict(list)
    for j in journeys:
        at_step: dict[Any, tuple[str, str]] = {}
        said_at: dict[Any, set[str]] = defaultdict(set)  # what a step's blocking frictions are about, together
        for f in j.get("frictions") or ():
            if str(f.get("kind")) in BLOCKING:
                said_at[f.get("step")] |= significant_words(f.get("evidence") or "")
        for f in j.get("frictions") or ():
            key = _key(f)
            groups.join(key, ("words", key[1]))
            about = significant_words(f.get("evidence") or "") | (said_at[f.get("step")] if key[0] in BLOCKING else set())
            for place in destinations(f.get("evidence") or ""):  # one topic per destination, any scenario
                topics[f"destination {place}"].append((key, about))
            if key[0] in BLOCKING:
                step = f.get("step")
                if step in at_step:
                    groups.join(key, at_step[step])
                at_step[step] = key
                topics[str(j.get("scenario"))].append((key, significant_words(f.get("evidence") or "")))
    for members in topics.values():
        seen: dict[str, tuple[str, str]] = {}
        for key, words in members:
            for word in words:
                if word in seen:
                    groups.join(key, seen[word])
                else:
                    seen[word] = key
    problems: dict[Any, list[tuple[dict[str, Any], int]]] = defaultdict(list)
    for j in journeys:
        for i, f in enumerate(j.get("frictions") or ()):
            problems[groups.find(_key(f))].append((j, i))
    return problems


def _wall(j: dict[str, Any]) -> int | None:
    """The friction at which an unresolved journey ended: its last dead end or unavailable demand."""
    if j.get("outcome") not in (Outcome.UNRESOLVED.value, Outcome.PROMISED.value):
        return None
    frictions = j.get("frictions") or []
    return next((i for i in range(len(frictions) - 1, -1, -1) if frictions[i].get("kind") in WALLS), None)


_KINDS = frozenset(k.value for k in FrictionKind)
_OUTCOMES = frozenset(o.value for o in Outcome) - {Outcome.ERROR.value}


def _friction(f: dict[str, Any]) -> Friction:
    return Friction(kind=f["kind"], step=int(f.get("step") or 0), channel=str(f.get("channel") or ""),
                    evidence=str(f.get("evidence") or "").strip() or "-", factor=float(f.get("factor") or 1.0),
                    minutes=f.get("minutes"), explained=f.get("explained"))


def _index_without(j: dict[str, Any], removed: set[int]) -> float:
    weights = IndexWeights().with_overrides((j.get("components") or {}).get("weights"))
    outcome = Outcome(j.get("outcome"))
    if _wall(j) in removed:
        outcome = Outcome.RESOLVED
    kept = [_friction(f) for i, f in enumerate(j.get("frictions") or ()) if i not in removed]
    return kafkaesque_index(outcome, kept, weights)[0]


def _where(items: list[tuple[dict[str, Any], int]]) -> str:
    places: list[str] = []
    for j, i in items:
        f = j["frictions"][i]
        channel = str(f.get("channel") or "")
        step = next((s for s in j.get("steps") or () if s.get("index") == f.get("step")), {})
        title = str((step.get("data") or {}).get("title") or "").split(" - ")[0].strip()
        place = {"web": f"web page “{title}”" if title else "web site", "phone": "phone line",
                 "chat": "chat", "email": "e-mail"}.get(channel, channel)
        if place and place not in places:
            places.append(place)
    return ", ".join(places[:4])


def _lead(items: list[tuple[dict[str, Any], int]]) -> dict[str, Any]:
    """The friction that speaks for the problem: the heaviest kind, then the most often met."""
    weights = IndexWeights().weights
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for j, i in items:
        counts[_key(j["frictions"][i])] += 1
    j, i = max(items, key=lambda it: (weights.get(str(it[0]["frictions"][it[1]].get("kind")), 0.0),
                                      counts[_key(it[0]["frictions"][it[1]])]))
    return j["frictions"][i]


def fix_first(journeys: Iterable[dict[str, Any]], limit: int = LIMIT, mode_label: Any = None
              ) -> list[dict[str, Any]]:
    """The `limit` problems whose removal lowers a mode's mean index most, largest drop first.

    Each: rank, kind, kind_label, words (the company's words), where, customers, journeys, frictions
    ({journey, step, kind} of each friction it groups), modes, drop (the largest fall of a mode's mean
    index), drop_by_mode, remedy. Errors are left out.
    """
    label = mode_label or (lambda m: m if m else "target")
    judged = [j for j in journeys if j.get("outcome") in _OUTCOMES]
    scored = [{**j, "frictions": [f for f in j["frictions"] if f.get("kind") in _KINDS]}
              for j in judged if j.get("frictions")]
    by_mode: dict[str, int] = defaultdict(int)
    for j in judged:
        by_mode[label(j.get("mode"))] += 1
    ranked = []
    for items in _group(scored).values():
        removed: dict[str, set[int]] = defaultdict(set)
        owner = {}
        for j, i in items:
            removed[str(j.get("id"))].add(i)
            owner[str(j.get("id"))] = j
        drops: dict[str, float] = defaultdict(float)
        for jid, indices in removed.items():
            j = owner[jid]
            drops[label(j.get("mode"))] += _index_without(j, set()) - _index_without(j, indices)
        drop_by_mode = {m: round(total / by_mode[m], 1) for m, total in sorted(drops.items()) if by_mode[m]}
        if not drop_by_mode or max(drop_by_mode.values()) <= 0:
            continue
        lead = _lead(items)
        kind = str(lead.get("kind"))
        ranked.append({
            "kind": kind,
            "kind_label": FrictionKind(kind).label,
            "words": str(lead.get("evidence") or ""),
            "where": _where(items),
            "customers": len(removed),
            "journeys": sorted(removed),
            "frictions": [{"journey": str(j.get("id")), "step": j["frictions"][i].get("step"),
                           "kind": str(j["frictions"][i].get("kind"))} for j, i in items],
            "modes": sorted(drop_by_mode),
            "drop": max(drop_by_mode.values()),
            "drop_by_mode": drop_by_mode,
            "remedy": REMEDIES.get(kind, ""),
        })
    ranked.sort(key=lambda p: (-p["drop"], -p["customers"], p["words"]))
    return [{"rank": n, **p} for n, p in enumerate(ranked[:limit], start=1)]

"""Reading menus the way a caller hears them, and picking the option that fits what the customer wants.

A menu is read sentence by sentence (sentences run together, "directions.Press 2", are split first).
Every option in a sentence is read, with its words, whichever way round it is said: "For sales press 1,
for support press 2", "Press 1 for billing, 2 for support, or 0 for an operator", "press one to ...",
"press the star key", "press pound", "dial 9", "say billing or press 1". A key that only ends what the
caller types ("enter your zip code followed by the pound key") is not an option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..core.phrases import normalise, sentences

_WORD_KEYS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
              "seven": "7", "eight": "8", "nine": "9", "star": "*", "asterisk": "*", "pound": "#", "hash": "#",
              # Spanish, which many US lines offer: "para español, oprima nueve"
              "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6",
              "siete": "7", "ocho": "8", "nueve": "9", "estrella": "*", "numeral": "#"}
_KEY = r"(?:the\s+|el\s+)?(?:number\s+)?(?P<key>[0-9](?![0-9-])|" + "|".join(_WORD_KEYS) + r")(?:\s+(?:key|sign|button))?\b"
_PRESS = re.compile(rf"\b(?:press|push|dial|select|choose|hit|touch|enter|oprima|marque|presione|pulse)\s+{_KEY}",
                    re.I)
_BARE = re.compile(rf"(?:^|[,;]\s*|\b(?:or|and)\s+){_KEY}(?=\s+(?:for|to)\b)", re.I)
_ENTRY = re.compile(r"\b(?:enter|type|key in|input|punch in)\b", re.I)
_ENDS_INPUT = re.compile(r"\b(?:followed by|then|after)\s*$|^\s*(?:when (?:you(?:'re| are) )?(?:done|finished)|"
                         r"to (?:finish|end|complete|submit))\b", re.I)
_AFTER = re.compile(r"^[\s,:-]*(?:now\s*,?\s*)?(?=(?:for|to|if)\b)", re.I)
_CUT = re.compile(r"[,;.!?]|\s(?:or)\s", re.I)
_LEAD = re.compile(r"^[\s,;:.-]*(?:(?:or|and|then|please)\b[\s,]*)*(?:say\s+)?", re.I)
_TRAIL = re.compile(r"[\s,;:.!?-]*(?:\b(?:or|and|please|now)\b[\s,;:.!?-]*)*$", re.I)
_WORD = re.compile(r"[a-z0-9']+")
STOP_WORDS = frozenset("a an the to for of or and if your you is are on in at my please with this".split())


@dataclass(frozen=True)
class _Mention:
    key: str
    start: int
    end: int


def parse_menu(text: str) -> dict[str, str]:
    """Options a prompt announces, as key -> the words that describe it ("For billing, press 1")."""
    return dict(_menu(text))


@lru_cache(maxsize=2048)  # a caller, and more so an explorer, hears the same prompts again and again
def _menu(text: str) -> tuple[tuple[str, str], ...]:
    menu: dict[str, str] = {}
    for sentence in sentences(text):
        for key, label in _options(sentence):
            menu.setdefault(key, label)
    return tuple(menu.items())


def _mentions(sentence: str) -> list[_Mention]:
    found = {m.start("key"): m for m in _PRESS.finditer(sentence)}
    if found:
        for m in _BARE.finditer(sentence):
            found.setdefault(m.start("key"), m)
    out = []
    for start in sorted(found):
        m = found[start]
        key = m.group("key").lower()
        out.append(_Mention(_WORD_KEYS.get(key, key), m.start(), m.end()))
    return out


def _ends_input(sentence: str, m: _Mention) -> bool:
    """A # or * that finishes what the caller types, not an option."""
    if m.key not in "#*":
        return False
    return bool(_ENTRY.search(sentence) or _ENDS_INPUT.search(sentence[:m.start]) or
                _ENDS_INPUT.search(sentence[m.end:]))


def _options(sentence: str) -> list[tuple[str, str]]:
    mentions = [m for m in _mentions(sentence) if not _ends_input(sentence, m)]
    options, consumed = [], 0
    for i, m in enumerate(mentions):
        following = mentions[i + 1].start if i + 1 < len(mentions) else len(sentence)
        after, before = sentence[m.end:following], sentence[consumed:m.start]
        lead = _AFTER.match(after)
        said_after = lead is not None and not (before.strip(" ,") and after.lstrip().startswith(","))
        if said_after:
            rest = after[lead.end():]
            cut = _CUT.search(rest)
            label = rest[:cut.start()] if cut else rest
            consumed = m.end + lead.end() + len(label)
        else:
            label, consumed = before, m.end
        label = _TRAIL.sub("", _LEAD.sub("", label)).strip()
        options.append((m.key, label or sentence.strip()))
    return options


_DATA = re.compile(r"\b(?:enter|type|key in|input|punch in|say or enter|enter or say)\b[^.?!]*?\b(?:number|code|id|pin|"
                   r"date|zip|digits|postcode|password|extension)\b", re.I)


def asks_for_data(text: str) -> bool:
    """Whether a prompt asks the caller to type data ("enter your six digit repair order number"), whatever
    options it also offers ("if you don't have it, press zero")."""
    return bool(_DATA.search(text))


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(normalise(text)) if w not in STOP_WORDS}


def best_option(options: dict[str, str], wants: tuple[str, ...] | list[str]) -> str | None:
    """The key whose words cover one of `wants` best (every word of a want must appear), or None."""
    best: tuple[int, str] | None = None
    for want in wants:
        need = _words(want)
        if not need:
            continue
        for key, label in options.items():
            if need <= _words(label):
                score = len(need)
                if best is None or score > best[0]:
                    best = (score, key)
    return best[1] if best else None

"""Reading menus the way a caller hears them, and picking the option that fits what the customer wants."""

from __future__ import annotations

import re

from ..core.phrases import normalise, sentences

_KEY = r"(?P<key>[0-9]|\*|#|star|pound|hash)"
_PRESS = re.compile(rf"\b(?:press|select|choose|dial)\s+{_KEY}\b", re.I)
_WORD = re.compile(r"[a-z0-9']+")
_KEY_WORDS = {"star": "*", "pound": "#", "hash": "#"}
STOP_WORDS = frozenset("a an the to for of or and if your you is are on in at my please with this".split())


def parse_menu(text: str) -> dict[str, str]:
    """Options a prompt announces, as key -> the words that describe it ("For billing, press 1")."""
    menu: dict[str, str] = {}
    for sentence in sentences(text):
        for clause in re.split(r"[;]", sentence):
            match = _PRESS.search(clause)
            if not match:
                continue
            key = _KEY_WORDS.get(match.group("key").lower(), match.group("key"))
            label = (clause[:match.start()] + " " + clause[match.end():]).strip(" ,.")
            menu.setdefault(key, label or clause.strip())
    return menu


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

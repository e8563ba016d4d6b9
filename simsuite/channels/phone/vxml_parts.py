"""The parts of VoiceXML that need no running call: prompt rendering, choices, input interpretation, handlers.

Nothing here evaluates ECMAScript: a `<value expr>` may only name a field (or an `<enumerate>` variable)
or be a quoted literal; whatever cannot be evaluated is reported through the `note` callback.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable
from xml.etree.ElementTree import Element

from ...model import Step
from ..menus import best_option

VXML_NS = "http://www.w3.org/2001/vxml"
DEFAULT_TIMEOUT = 5.0
AUDIO_SECONDS = 5.0
HANDLERS = frozenset({"noinput", "nomatch", "catch", "help", "error"})
DIGIT_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
               "six": "6", "seven": "7", "eight": "8", "nine": "9"}
YES = frozenset({"yes", "yeah", "yep", "sure", "correct", "right", "true", "ok", "okay"})
NO = frozenset({"no", "nope", "wrong", "false", "incorrect"})

Choice = tuple[str, str, Element]  # (key, the words that describe it, the element)
Note = Callable[[Element, str], None]


def is_voicexml(root: Element) -> bool:
    """Whether a parsed document is VoiceXML: a `<vxml>` root, without a namespace or in VoiceXML's."""
    return root.tag in ("vxml", f"{{{VXML_NS}}}vxml")


def local(tag: object) -> str:
    """A tag without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def seconds(value: str | None, default: float) -> float:
    """A VoiceXML time designation ("5s", "500ms", "5") in seconds."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(ms|s)?\s*", value or "")
    if not match:
        return default
    n = float(match.group(1))
    return n / 1000.0 if match.group(2) == "ms" else n


def count_of(element: Element) -> int:
    """An element's `count` attribute (default 1)."""
    return int_or(element.get("count"), 1)


def int_or(value: str | None, default: int) -> int:
    """An integer attribute, or the default when absent or not a number."""
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def speakable(element: Element) -> list[str]:
    """The text of an element, leaving out grammars."""
    parts = [element.text or ""]
    for child in element:
        if child.tag != "grammar":
            parts.extend(speakable(child))
        parts.append(child.tail or "")
    return parts


def spoken_digits(text: str) -> str:
    """The digits a caller said ("four one one" -> "411")."""
    digits = []
    for word in re.findall(r"[a-z]+|[0-9]+", text.lower()):
        if word.isdigit():
            digits.append(word)
        elif word in DIGIT_WORDS:
            digits.append(DIGIT_WORDS[word])
    return "".join(digits)


def _label(element: Element) -> str:
    return " ".join("".join(speakable(element)).split())


def menu_choices(menu: Element) -> list[Choice]:
    """A `<menu>`'s choices, numbered 1-9 when `dtmf="true"` and a choice has no key of its own."""
    auto = (menu.get("dtmf") or "").lower() == "true"
    choices, n = [], 0
    for choice in menu:
        if choice.tag != "choice":
            continue
        key = choice.get("dtmf") or ""
        if not key and auto and n < 9:
            n += 1
            key = str(n)
        choices.append((key, _label(choice), choice))
    return choices


def field_options(field: Element) -> list[Choice]:
    """A `<field>`'s `<option>`s."""
    return [(o.get("dtmf") or "", _label(o), o) for o in field if o.tag == "option"]


def says(said: str, label: str) -> bool:
    """Whether words a caller said name a choice."""
    return bool(label) and (best_option({"k": label}, (said,)) is not None
                            or best_option({"k": said}, (label,)) is not None)


def matches(kind: str, value: str, key: str, label: str) -> bool:
    """Whether an input (keys or speech) picks the choice with this key and label."""
    return (kind == "dtmf" and bool(key) and value == key) or (kind == "speech" and says(value, label))


def submitted(element: Element, fields: list[str], values: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """What a `<submit>` sends (its namelist, else every field) and the names that have no value."""
    names = (element.get("namelist") or "").split() or fields
    return {n: values[n] for n in names if n in values}, [n for n in names if n not in values]


def collects_data(field: Element) -> bool:
    """Whether a field takes data (digits, a number, a date, a phone number, money), not a choice."""
    kinds = [field.get("type") or ""] + [(g.get("src") or "").rsplit("/", 1)[-1] for g in field if g.tag == "grammar"]
    return any(k.partition("?")[0] in ("digits", "number", "date", "phone", "currency", "time") for k in kinds)


def interpret(field: Element, kind: str, value: str, note: Note) -> str | None:
    """The field's value for this input, or None for a nomatch."""
    options = field_options(field)
    if options:
        return next((option.get("value") or label for key, label, option in options
                     if matches(kind, value, key, label)), None)
    kind_of = field.get("type") or ""
    for grammar in (g for g in field if g.tag == "grammar"):
        src = grammar.get("src") or ""
        if src.startswith("builtin:"):
            kind_of = kind_of or src.rsplit("/", 1)[-1]
        elif not kind_of:
            note(grammar, "grammar not evaluated: the input is taken as given")
    base, _, params = kind_of.partition("?")
    if base in ("digits", "number", "phone"):
        digits = value if kind == "dtmf" else spoken_digits(value)
        if not digits or not digits.isdigit():
            return None
        limits = dict(p.split("=", 1) for p in params.split(";") if "=" in p)
        length = len(digits)
        if ("length" in limits and length != int_or(limits["length"], length)) or \
                length < int_or(limits.get("minlength"), 0) or length > int_or(limits.get("maxlength"), length):
            return None
        return digits
    if base == "boolean":
        if kind == "dtmf":
            return {"1": "true", "2": "false"}.get(value)
        words = set(re.findall(r"[a-z]+", value.lower()))
        return "true" if words & YES else "false" if words & NO else None
    return value


def prompts_for(container: Element, count: int) -> list[Element]:
    """The prompts of a field, menu or handler to play at this visit (`count` selection)."""
    eligible = [p for p in container if p.tag in ("prompt", "audio") and count_of(p) <= count]
    best = max((count_of(p) for p in eligible), default=0)
    return [p for p in eligible if count_of(p) == best]


def last_prompt(steps: Iterable[Step], contact: str | None) -> str:
    """The last words the caller heard on this call since they last acted, or ''."""
    for earlier in reversed(list(steps)):
        if earlier.contact != contact or earlier.action in ("pressed", "said"):
            return ""
        if earlier.action in ("gather", "heard") and earlier.text:
            return earlier.text
    return ""


def find_handler(scopes: Iterable[Element], event: str, count: int, note: Note) -> Element | None:
    """The handler for an event at this count, from the innermost scope out (None: reprompt)."""
    candidates: list[Element] = []
    for scope in scopes:
        for child in scope:
            names = (child.get("event") or "").split() if child.tag == "catch" else [child.tag]
            if child.tag in HANDLERS and (event in names or (child.tag == "catch" and not names)):
                candidates.append(child)
    eligible = [c for c in candidates if count_of(c) <= count]
    if not eligible:
        return None
    best = max(count_of(c) for c in eligible)
    handler = next(c for c in eligible if count_of(c) == best)
    if handler.get("cond"):
        note(handler, f"cond {handler.get('cond')!r} on <{handler.tag}> not evaluated: treated as true")
    return handler


def property_of(scopes: Iterable[Element | None], name: str) -> str | None:
    """A `<property>` value from the innermost scope that sets it."""
    for scope in scopes:
        if scope is None:
            continue
        for child in scope:
            if child.tag == "property" and child.get("name") == name:
                return child.get("value")
    return None


class PromptRenderer:
    """Turns a prompt into the words said and the extra seconds of breaks and audio."""

    def __init__(self, values: dict[str, str], note: Note) -> None:
        self.values = values
        self.note = note
        self._enum: dict[str, str] = {}

    def render(self, element: Element, choices: list[Choice], audio: list[str]) -> tuple[str, float]:
        """The words of `element` and its extra seconds; audio files without text go into `audio`."""
        parts, extra = [element.text or ""], 0.0
        for child in element:
            tag = child.tag
            if tag == "break":
                extra += seconds(child.get("time"), 0.5)
                parts.append(" ")
            elif tag == "value":
                parts.append(self._value(child))
            elif tag == "enumerate":
                parts.append(" " + self._enumerate(child, choices, audio) + " ")
            elif tag == "audio" and not "".join(child.itertext()).strip():
                extra += AUDIO_SECONDS
                audio.append(child.get("src") or child.get("expr") or "(audio)")
            elif tag in ("grammar", "mark", "desc", "metadata"):
                pass
            else:
                text, more = self.render(child, choices, audio)
                parts.append(text)
                extra += more
            parts.append(child.tail or "")
        return "".join(parts), extra

    def _enumerate(self, element: Element, choices: list[Choice], audio: list[str]) -> str:
        if not choices:
            return ""
        template = bool((element.text or "").strip()) or len(element) > 0
        spoken = []
        for key, label, _ in choices:
            if template:
                self._enum = {"_prompt": label, "_dtmf": key}
                spoken.append(self.render(element, [], audio)[0])
                self._enum = {}
            else:
                spoken.append(f"For {label}, press {key}." if key else f"Say {label}.")
        return " ".join(spoken)

    def _value(self, element: Element) -> str:
        expr = (element.get("expr") or "").strip()
        if expr in self._enum:
            return self._enum[expr]
        if expr in self.values:
            return self.values[expr]
        literal = re.fullmatch(r"'([^']*)'|\"([^\"]*)\"", expr)
        if literal:
            return literal.group(1) if literal.group(1) is not None else literal.group(2)
        self.note(element, f"<value expr={expr!r}> not evaluated")
        return ""

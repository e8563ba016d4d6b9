"""Finding a control or a field by the name a person reads, as a person does: the exact name first, then
every word of it; on one form when the customer says which, or the one they are already filling.

A name is compared with icon glyphs and extra whitespace removed, case ignored, and "E-mail" read as
"Email". Several equally good matches that are not the same thing are refused with every candidate
named, so a script never types into the wrong form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...errors import ScriptError

_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
_WORD = re.compile(r"[a-z0-9]+")
_HYPHENATED = re.compile(r"(?<=\b[a-z])-(?=[a-z])")  # "e-mail" -> "email", "e-Mail" -> "email"


def clean(name: str) -> str:
    """A name as a person reads it: no icon glyphs, single spaces."""
    return " ".join(_PRIVATE_USE.sub(" ", name or "").split())


def comparable(name: str) -> str:
    """A name for comparison: cleaned, lower-case, "e-mail" as "email", punctuation as spaces."""
    return " ".join(_WORD.findall(_HYPHENATED.sub("", clean(name).casefold())))


@dataclass
class Candidate:
    """A control or field on the page, with every name it goes by and the form it belongs to."""

    ref: str
    names: list[str]
    tag: str = ""
    type: str = ""
    href: str = ""
    form: str = ""
    form_names: list[str] = field(default_factory=list)
    section: str = ""
    form_index: int = -1
    submits: bool = False
    options: list[str] = field(default_factory=list)
    required: bool = False
    blocked: dict[str, str] | None = None   # a submit button: what the browser refuses in its form, when scanned
    cached: bool = False                    # found in the page as last observed, not scanned just now

    @classmethod
    def from_page(cls, raw: dict[str, Any]) -> "Candidate":
        return cls(ref=raw["ref"], names=[clean(n) for n in raw.get("names") or [] if clean(n)],
                   tag=raw.get("tag", ""), type=raw.get("type", ""), href=raw.get("href", ""),
                   form=clean(raw.get("form", "")), section=clean(raw.get("section", "")),
                   form_names=[clean(n) for n in raw.get("formNames") or []],
                   form_index=int(raw.get("formIndex", -1)),
                   submits=bool(raw.get("submits")), options=list(raw.get("options") or []),
                   required=bool(raw.get("required")), blocked=raw.get("blocked") or None)

    @property
    def name(self) -> str:
        return self.names[0] if self.names else f"<{self.tag}>"

    def shown(self) -> str:
        """How a person would point at it: its name, and its form's heading when it has one."""
        where = f" (in the form '{self.form}')" if self.form else f" (under '{self.section}')" if self.section else ""
        return f"'{self.name}'{where}"


def matches(candidates: list[Candidate], wanted: str) -> list[Candidate]:
    """The candidates named exactly so (any of their names), else those whose name holds every word."""
    want = comparable(wanted)
    if not want:
        return []
    exact = [c for c in candidates if any(comparable(n) == want for n in c.names)]
    if exact:
        return exact
    words = set(want.split())
    return [c for c in candidates if any(words <= set(comparable(n).split()) for n in c.names)]


def headed(candidates: list[Candidate], wanted: str) -> list[Candidate]:
    """The one way on from the card or part headed exactly `wanted` ("Orders and delivery" for its
    "View articles" link), as a person clicks a card by its title; none if the part offers several."""
    want = comparable(wanted)
    under = [c for c in candidates if want and comparable(c.section) == want]
    return under if len({c.href.split("#")[0] if c.href else c.ref for c in under}) == 1 else []


def in_form(candidates: list[Candidate], form: str) -> list[Candidate]:
    """The candidates in the form whose label, legend, heading above it or name holds the words of `form`."""
    want = set(comparable(form).split())
    return [c for c in candidates if any(want <= set(comparable(name).split()) for name in (c.form_names or [c.form])
                                         if name)]


def near(candidates: list[Candidate], heading: str) -> list[Candidate]:
    """The candidates under the heading (or in the form) whose words hold the words of `heading`."""
    want = set(comparable(heading).split())
    return [c for c in candidates if any(place and want <= set(comparable(place).split())
                                         for place in (c.section, c.form))]


def choose(found: list[Candidate], wanted: str, *, form: str | None, filling: int | None, what: str,
           url: str, under: str | None = None) -> Candidate | None:
    """The one candidate meant, or None if there is none. Scoped to `form` (the form's heading) or `under`
    (the heading it sits under) when given, else to the form being filled when that settles it; links to
    the same address are one. Raises ScriptError when it is still ambiguous, naming every candidate."""
    for scope, pick, noun in ((form, in_form, "a form headed"), (under, near, "a part headed")):
        if not scope:
            continue
        scoped = pick(found, scope)
        if not scoped and found:
            places = sorted({c.form or c.section for c in found if c.form or c.section})
            raise ScriptError(f"no {what} '{wanted}' in {noun} '{scope}' on {url}; there is one under "
                              f"{', '.join(repr(p) for p in places) or 'no heading'}")
        found = scoped
    if not form and not under and filling is not None and len(found) > 1:
        found = [c for c in found if c.form_index == filling] or found
    distinct: dict[str, Candidate] = {}
    for c in found:  # the same link in the header and the footer is one way to go
        distinct.setdefault(c.href.split("#")[0] if c.href else c.ref, c)
    if len(distinct) > 1:
        shown = "; ".join(c.shown() for c in distinct.values())
        raise ScriptError(f"'{wanted}' could mean {len(distinct)} {what}s on {url}: {shown}. "
                          f"Fix: name it exactly, or say where: form='the form's heading' or "
                          f"under='the heading it is under'")
    return next(iter(distinct.values()), None)


def listing(candidates: list[Candidate], limit: int = 25) -> str:
    """The names on the page, for a message that says what does exist."""
    names = list(dict.fromkeys(c.shown() for c in candidates if c.names))
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more if names else "none"

"""Forms the web explorer sends: filled with what the customer knows, GET ones by default, POST only when
asked (sending a POST form on a real site makes real records: a ticket, an order, an account).

A form is filled the way the customer would: each field named like one of their facts gets its value, a
search box gets the goal's words, a drop-down its first real option, a required checkbox is ticked. A
required field asking for something the customer does not have leaves the form unsent: the demand is
what the map reports, not a made-up value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from ..channels.web.page_js import HELPERS_JS
from ..core.personas import Persona
from ..core.phrases import Phrases

_ONE_TIME = re.compile(r"csrf|xsrf|token|nonce|authenticity", re.I)
FORMS_JS = "() => {" + HELPERS_JS + r"""
  return Array.from(document.forms).filter(visible).map((f, index) => ({
    index: index,
    name: headingOf(f),
    method: (f.getAttribute('method') || 'get').toLowerCase(),
    action: f.action || location.href,
    search: isSearch(f),
    submit: controlName(f.querySelector('button:not([type=button]):not([type=reset]), input[type=submit]')
                        || document.createElement('span')),
    fields: Array.from(f.elements).filter(e => e.name && !e.disabled
        && !['submit', 'button', 'reset', 'image', 'file'].includes(e.type)
        && (e.type === 'hidden' || visible(e))).map(e => ({
      name: e.name, label: e.type === 'hidden' ? '' : (fieldNames(e)[0] || ''), type: e.type || e.tagName.toLowerCase(),
      value: e.value || '', required: required(e), checked: !!e.checked,
      options: e.tagName === 'SELECT' ? Array.from(e.options).map(o => o.value).filter(Boolean) : [],
    })),
  }));
}"""


@dataclass
class FormPlan:
    """A form on a page and how the customer would fill it: the values, or what they lack."""

    index: int
    name: str
    method: str
    action: str
    submit: str
    values: list[tuple[str, str]] = field(default_factory=list)   # (field name, value), in the form's order
    typed: dict[str, str] = field(default_factory=dict)           # label -> value, as the customer typed it
    fills: list[tuple[str, str, str]] = field(default_factory=list)  # (label, value, kind) to do in the browser
    lacking: list[str] = field(default_factory=list)              # labels of required fields they cannot fill

    @property
    def label(self) -> str:
        """How the map names sending it: "form 'Track a parcel' (postcode=60616)"."""
        typed = ", ".join(f"{k}={v}" for k, v in self.typed.items())
        return f"form '{self.name or self.submit or 'on the page'}'" + (f" ({typed})" if typed else "")

    @property
    def key(self) -> str:
        """What sending it asks of the site: the same form with the same values is one place to go."""
        return f"{self.method} {self.get_url()}"

    def get_url(self) -> str:
        """Where sending it by GET leads: the action with the values as its query."""
        parts = urlsplit(self.action)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(self.values), ""))


def plan_forms(raw_forms: list[dict[str, Any]], page_url: str, persona: Persona, phrases: Phrases,
               goal: str) -> list[FormPlan]:
    """How the customer would fill each form on a page."""
    plans = []
    for form in raw_forms:
        plan = FormPlan(index=form["index"], name=form["name"], method=form["method"],
                        action=urljoin(page_url, form["action"]), submit=form["submit"])
        for f in form["fields"]:
            value = _value(f, persona, phrases, goal, search=form["search"])
            if value is None:
                if f["required"]:
                    plan.lacking.append(f["label"] or f["name"])
                continue
            plan.values.append((f["name"], value))
            if f["type"] != "hidden" and f["label"]:
                plan.fills.append((f["label"], value, f["type"]))
            if f["type"] not in ("hidden", "checkbox", "radio", "select-one") and value:
                secret = f["type"] == "password" or value in persona.secret_values()
                plan.typed[f["label"] or f["name"]] = "[secret]" if secret else value
        plans.append(plan)
    return plans


def _value(f: dict[str, Any], persona: Persona, phrases: Phrases, goal: str, *, search: bool) -> str | None:
    kind = f["type"]
    if kind == "hidden":  # a session's anti-forgery token is not part of where a GET form leads
        return None if _ONE_TIME.search(f["name"]) else f["value"]
    if kind in ("checkbox", "radio"):
        return (f["value"] or "on") if (f["required"] or f["checked"]) else None
    if kind.startswith("select"):
        return f["value"] or (f["options"][0] if f["options"] else None)
    for fact, _ in phrases.fact_asks_in(f["label"] or f["name"], need_cue=False):
        if persona.knows_fact(fact):
            return persona.records[fact]
    if search or kind == "search" or f["name"] in ("q", "query", "search", "s"):
        return goal
    return f["value"] or None


def send_form(web: Any, plan: FormPlan) -> None:
    """Fill and send a form in the browser, as the customer would, through the web channel (every step
    recorded). Raises ScriptError if a field or the button cannot be found."""
    for label, value, kind in plan.fills:
        if kind in ("checkbox", "radio"):
            web.check(label, form=plan.name or None)
        elif kind.startswith("select"):
            continue  # left at the choice the site made
        else:
            web.fill(label, value, form=plan.name or None)
    web.click(plan.submit or "Submit", form=plan.name or None)

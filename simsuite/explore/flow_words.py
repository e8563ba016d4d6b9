"""The words a caller hears at a block of a flow export, and the keys a prompt offers.

Exports carry markup the caller never hears: SSML tags, Liquid tags and outputs (`{% if %}`, `{{ x }}`),
Terraform placeholders (`${var.x}`) and Connect attribute references (`$.External.x`). `spoken` turns a
prompt into its words, with each value filled in at run time shown readably as `[name]`. A recorded
prompt has no words: `recording_name` gives the name the export knows it by.
"""

from __future__ import annotations

import html
import re

from ..core.phrases import sentences

_SSML_TAG = re.compile(r"<[^>]*>")
_LIQUID_TAG = re.compile(r"\{%-?.*?-?%\}", re.DOTALL)
_TF_DIRECTIVE = re.compile(r"%\{[^}]*\}")
_OUTPUT = re.compile(r"\{\{-?(.*?)-?\}\}", re.DOTALL)
_TERRAFORM = re.compile(r"\$\{([^}]*)\}")
_CONNECT_REF = re.compile(r"\$\.[A-Za-z_]\w*(?:\.[A-Za-z_][\w-]*)*")
_GLUED = re.compile(r"([a-z0-9])([.!?])([A-Z])")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_GENERIC = frozenset({"var", "local", "module", "widgets", "flow", "variables", "trigger", "parsed", "external",
                      "attributes", "body", "call", "contact", "channel", "lex", "sessionattributes", "slots",
                      "data", "value"})
_INPUT_PARTS = frozenset({"digits", "speechresult"})
_RUNTIME = re.compile(r"\{\{\s*(?:widgets|flow)\.|\$\.(?:External|Attributes|Lex|Queue|Metrics)\.")

_KEY_WORDS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
              "seven": "7", "eight": "8", "nine": "9", "star": "*", "pound": "#", "hash": "#"}
_KEY = r"(?:[0-9*#]|zero|one|two|three|four|five|six|seven|eight|nine|star|pound|hash)"
_VERB = re.compile(rf"\b(?:press|push|dial|select|choose|oprima|marque|presione|pulse)\s+(?:the\s+)?({_KEY})"
                   rf"(?![\w*#])", re.IGNORECASE)
_LEAD_KEY = re.compile(rf"^\s*(?:or|and|then)?\s*({_KEY})(?![\w*#])(?!\s*(?:digit|number))", re.IGNORECASE)
_CLAUSE = re.compile(r",|;|\bor\b", re.IGNORECASE)


def spoken(text: str) -> str:
    """The words of a prompt as the caller hears them: markup stripped, run-time values shown as `[name]`."""
    if not text:
        return ""
    out = _SSML_TAG.sub(" ", text)
    out = html.unescape(out)
    out = _LIQUID_TAG.sub(" ", out)
    out = _TF_DIRECTIVE.sub(" ", out)
    out = _OUTPUT.sub(lambda m: _readable(m.group(1)), out)
    out = _TERRAFORM.sub(lambda m: _readable(m.group(1)), out)
    out = _CONNECT_REF.sub(lambda m: _readable(m.group(0)[2:]), out)
    out = _GLUED.sub(r"\1\2 \3", out)
    return re.sub(r"\s+([.,!?;:])", r"\1", re.sub(r"\s+", " ", out)).strip()


def speaks_runtime_values(text: str) -> bool:
    """Whether a prompt speaks values looked up while the call runs (a lookup's answer, a stored input)."""
    return bool(_RUNTIME.search(text or ""))


def _readable(expr: str) -> str:
    expr = expr.split("|")[0].strip()
    parts = [p for p in re.split(r"[.\[\]\"'\s$]+", expr) if p]
    names = [p for p in parts if p.lower() not in _GENERIC]
    if len(names) > 1 and names[-1].lower() in _INPUT_PARTS:
        names = names[:-1]
    name = names[-1] if names else (parts[-1] if parts else "value")
    return "[" + words_of(name) + "]"


def words_of(name: str) -> str:
    """A machine name as words: `outage_portal_url` and `dueDate` become `outage portal url`, `due date`."""
    name = re.sub(r"\.(wav|mp3|ogg|flac|aiff?)$", "", name, flags=re.IGNORECASE)
    name = _CAMEL.sub(" ", name)
    return re.sub(r"[\s_\-]+", " ", name).strip().lower()


def recording_name(reference: str, known_name: str = "") -> str:
    """The name of a recorded prompt: the name the export gives it, else the last part of its ARN or URL."""
    if known_name.strip():
        return known_name.strip()
    tail = reference.strip().split("?")[0].rstrip("/")
    return re.split(r"[/:]", tail)[-1] or tail


def offered_keys(text: str) -> dict[str, str]:
    """Keys a prompt offers ("press 1", "press one", "press the star key", "2 for support, or 0 for an
    operator" after a first "press"), each with the sentence that offers it."""
    offered: dict[str, str] = {}
    for sentence in sentences(text):
        running = False
        for clause in _CLAUSE.split(sentence):
            found = [m.group(1) for m in _VERB.finditer(clause)]
            if not found and running:
                lead = _LEAD_KEY.match(clause)
                found = [lead.group(1)] if lead else []
            running = running or bool(found)
            for key in found:
                offered.setdefault(_KEY_WORDS.get(key.lower(), key), sentence)
    return offered


def mentions_key(key: str, text: str) -> bool:
    """Whether a prompt names this key anywhere (as a digit or a word): the lenient test for an announcement."""
    low = text.lower()
    if re.search(rf"(?<![\w*#]){re.escape(key)}(?![\w*#])", low):
        return True
    words = [w for w, k in _KEY_WORDS.items() if k == key]
    return any(re.search(rf"\b{w}\b", low) for w in words)

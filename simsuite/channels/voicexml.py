"""The VoiceXML 2.1 dialect of the phone channel: runs `<vxml>` documents for a `Call`.

A simplified Form Interpretation Algorithm: `<form>` items (`<block>`, `<field>`, `<transfer>`) in order,
`<menu>`/`<choice>` (with `<enumerate>`), `<filled>`, `<noinput>`/`<nomatch>`/`<catch>` chosen by
`count` from the innermost scope out (default: reprompt), prompt `count` selection, `<goto>`,
`<submit>`, `<transfer>`, `<disconnect>`, `<exit>`, `<clear>`, `<reprompt>` and the properties
`timeout`, `inputmodes` and `termchar`. Nothing runs ECMAScript: `<if>`, `<var>`, `<assign>`,
`<script>`, `cond` and `expr` are recorded as notes and skipped; a `<value expr>` may only name a field.

Simulator convention, as for TwiML's `<Number url>`: a `<transfer dest>` that is an http(s) URL or a
relative path is fetched as the party who answers; any other dest (tel:, sip:) bridges the call to a
person outside the simulation and ends the phone leg.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable
from xml.etree.ElementTree import Element

from ..model import FrictionKind
from .menus import best_option
from .phone import WORDS_PER_SECOND, Listener

if TYPE_CHECKING:
    from .phone import Call

VXML_NS = "http://www.w3.org/2001/vxml"
DEFAULT_TIMEOUT = 5.0
AUDIO_SECONDS = 5.0
MAX_DIALOG_VISITS = 25
MAX_TRANSITIONS_WITHOUT_INPUT = 200

FORM_ITEMS = frozenset({"block", "field", "transfer", "initial", "subdialog", "record", "object"})
EVENTS = frozenset({"noinput", "nomatch"})
HANDLERS = frozenset({"noinput", "nomatch", "catch", "help", "error"})
INLINE = frozenset({"audio", "value", "break", "enumerate", "emphasis", "say-as", "prosody", "s", "p",
                    "sub", "mark", "voice", "phoneme", "lang", "desc"})
SILENT = frozenset({"log", "meta", "metadata", "property", "grammar", "catch", "noinput", "nomatch", "help",
                    "error", "filled", "option", "choice", "prompt"})
DIGIT_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
               "six": "6", "seven": "7", "eight": "8", "nine": "9"}
YES = frozenset({"yes", "yeah", "yep", "sure", "correct", "right", "true", "ok", "okay"})
NO = frozenset({"no", "nope", "wrong", "false", "incorrect"})
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def is_voicexml(root: Element) -> bool:
    """Whether a parsed document is VoiceXML: a `<vxml>` root, without a namespace or in VoiceXML's."""
    return root.tag in ("vxml", f"{{{VXML_NS}}}vxml")


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _seconds(value: str | None, default: float) -> float:
    """A VoiceXML time designation ("5s", "500ms", "5") in seconds."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(ms|s)?\s*", value or "")
    if not match:
        return default
    n = float(match.group(1))
    return n / 1000.0 if match.group(2) == "ms" else n


class _Stop(Exception):
    """A document was fetched or the call ended: the current document stops running."""


class _GotoDialog(Exception):
    def __init__(self, dialog: Element) -> None:
        self.dialog = dialog


class _GotoItem(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


class VoiceXmlInterpreter:
    """Runs the VoiceXML documents of one call; `Call` hands it each `<vxml>` document it fetches."""

    def __init__(self, call: "Call") -> None:
        self.call = call
        self.customer = call.customer
        self.url = ""
        self.root: Element | None = None
        self.dialogs: dict[str, Element] = {}
        self.dialog: Element | None = None
        self.item: Element | None = None
        self.values: dict[str, str] = {}
        self.done: set[str] = set()
        self.counts: dict[tuple[str, str], int] = {}
        self.prompt_counts: dict[str, int] = {}
        self.filled_ran: set[int] = set()
        self.play_prompts = True
        self.visits: dict[tuple[str, str], int] = {}
        self.transitions = 0
        self._deferred: Callable[[], None] | None = None
        self._next_item: str | None = None
        self._spoken: list[str] = []
        self._prompt_timeout: float | None = None
        self._noted: set[int] = set()
        self._enum: dict[str, str] = {}

    # -- documents and dialogs ----------------------------------------------------------------
    def load(self, root: Element, url: str, fragment: str = "") -> bool:
        """Make `root` the current document and enter its first dialog (or `#fragment`). False if the call ended."""
        for element in root.iter():
            element.tag = _local(element.tag)
        self.root, self.url, self._noted = root, url, set()
        self.dialogs = {}
        order: list[Element] = []
        for n, child in enumerate(root):
            if child.tag in ("form", "menu"):
                self.dialogs.setdefault(child.get("id") or f"_dialog{n}", child)
                order.append(child)
            elif child.tag not in SILENT:
                self._note(child, f"skipped unsupported <{child.tag}> in the document")
        if root.get("application"):
            self._note(root, f"application root document {root.get('application')} not loaded")
        shown = self.customer.target.relative(url)
        if fragment and fragment not in self.dialogs:
            self.call._record("bad_document", f"no dialog #{fragment} in the VoiceXML at {shown}", url=url)
            self.call._end("company", "the IVR sent the call to a VoiceXML dialog that does not exist")
            return False
        if not order:
            self.call._record("bad_document", f"VoiceXML without a <form> or <menu> at {shown}", url=url)
            self.call._end("company", "the IVR answered with a VoiceXML document that has no dialog")
            return False
        self._deferred = None
        return self._enter(self.dialogs[fragment] if fragment else order[0])

    def _dialog_id(self, dialog: Element) -> str:
        return next((k for k, v in self.dialogs.items() if v is dialog), "?")

    def _enter(self, dialog: Element) -> bool:
        """Enter a dialog: its variables, counters and guards start afresh. False if a bound ended the call."""
        self.dialog, self.item = dialog, None
        self.values, self.done, self.counts, self.prompt_counts = {}, set(), {}, {}
        self.filled_ran, self.play_prompts, self._next_item = set(), True, None
        self._spoken = []
        self.transitions += 1
        for child in dialog:
            if child.tag not in FORM_ITEMS | SILENT:
                self._note(child, f"skipped unsupported <{child.tag}> in #{self._dialog_id(dialog)}")
        return self._count_visit()

    def _count_visit(self) -> bool:
        key = (self.url, self._dialog_id(self.dialog))
        self.visits[key] = self.visits.get(key, 0) + 1
        if self.visits[key] > MAX_DIALOG_VISITS:
            return self._bounded(f"stopped after {MAX_DIALOG_VISITS} visits to dialog #{key[1]} without input progress")
        if self.transitions > MAX_TRANSITIONS_WITHOUT_INPUT:
            return self._bounded(f"stopped after {MAX_TRANSITIONS_WITHOUT_INPUT} dialog transitions without input")
        return True

    def _progress(self) -> None:
        self.visits.clear()
        self.transitions = 0

    def _bounded(self, detail: str) -> bool:
        name = self._dialog_id(self.dialog) if self.dialog is not None else "?"
        step, _ = self.call._record("bounded", detail)
        last = ""
        for earlier in reversed(self.customer.steps):
            if earlier.contact != self.call.contact or earlier.action in ("pressed", "said"):
                break
            if earlier.action in ("gather", "heard") and earlier.text:
                last = earlier.text
                break
        self.customer.friction(FrictionKind.LOOP, last or f"the VoiceXML dialog #{name} again and again",
                               detail=f"the IVR kept returning to #{name}; simulator bound reached", step=step)
        self.call._end("company", "the IVR looped without end")
        return False

    # -- running ------------------------------------------------------------------------------
    def run(self) -> None:
        """Run the current document until it listens, fetches another document, or the call ends."""
        call = self.call
        while call.active and not call.listening:
            if self.customer.clock.exhausted:
                call._end("customer", "the customer ran out of patience")
                return
            try:
                if self._deferred is not None:
                    action, self._deferred = self._deferred, None
                    action()
                elif self.dialog is None:
                    call._end("company", "the VoiceXML document ended, so the call ended")
                elif self.dialog.tag == "menu":
                    self._collect_menu(self.dialog)
                else:
                    self._form_step(self.dialog)
            except _GotoDialog as goto:
                self._enter(goto.dialog)
            except _GotoItem as goto:
                self._next_item = goto.name
            except _Stop:
                return

    def _defer(self, action: Callable[[], None]) -> None:
        self._deferred = action

    def _key(self, element: Element) -> str:
        if element is self.dialog:
            return "#" + self._dialog_id(element)
        return element.get("name") or f"_item{list(self.dialog).index(element)}"

    def _items(self, form: Element) -> list[Element]:
        return [c for c in form if c.tag in FORM_ITEMS]

    def _select(self, form: Element) -> Element | None:
        items = self._items(form)
        if self._next_item is not None:
            name, self._next_item = self._next_item, None
            found = next((i for i in items if i.get("name") == name), None)
            if found is not None:
                self.done.discard(self._key(found))
                return found
            self._note(form, f"goto nextitem={name!r}: no such item")
        for item in items:
            if self._key(item) not in self.done:
                if item.get("cond"):
                    self._note(item, f"cond {item.get('cond')!r} on <{item.tag}> not evaluated: treated as true")
                return item
        return None

    def _form_step(self, form: Element) -> None:
        item = self._select(form)
        if item is None:
            self.call._end("company", "the VoiceXML form ended with nothing more to do, so the call ended")
            raise _Stop
        self.item = item
        if item.tag == "field":
            self._collect_field(item)
            return
        self.done.add(self._key(item))
        if item.tag == "block":
            self._spoken = []
            self._exec(item)
        elif item.tag == "transfer":
            self._play_prompts(item, 1)
            self._transfer(item)
        else:
            self._note(item, f"skipped unsupported <{item.tag}> form item")

    # -- prompts ------------------------------------------------------------------------------
    def _play_prompts(self, container: Element, count: int, choices: list[tuple[str, str, Element]] = ()) -> None:
        prompts = [p for p in container if p.tag in ("prompt", "audio")]
        eligible = [p for p in prompts if _count(p) <= count]
        if not eligible:
            return
        best = max(_count(p) for p in eligible)
        for prompt in eligible:
            if _count(prompt) == best:
                self._speak_prompt(prompt, choices)

    def _speak_prompt(self, prompt: Element, choices: list[tuple[str, str, Element]] = ()) -> None:
        if prompt.get("cond"):
            self._note(prompt, f"cond {prompt.get('cond')!r} on <prompt> not evaluated: treated as true")
        if prompt.get("timeout"):
            self._prompt_timeout = _seconds(prompt.get("timeout"), DEFAULT_TIMEOUT)
        audio: list[str] = []
        text, extra = self._render(prompt, list(choices), audio)
        self._say(text, extra, audio)

    def _say(self, text: str, extra: float = 0.0, audio: list[str] = ()) -> None:
        text = " ".join(text.split())
        if text:
            self.call.hear(text, max(1.0, len(text.split()) / WORDS_PER_SECOND) + extra)
            self._spoken.append(text)
        elif audio:
            self.customer.clock.advance(extra)
            self.call._record("heard", f"Audio: {' '.join(audio)}", "", data={"audio": True})
        elif extra:
            self.customer.clock.advance(extra)

    def _render(self, element: Element, choices: list[tuple[str, str, Element]], audio: list[str]) -> tuple[str, float]:
        parts, extra = [element.text or ""], 0.0
        for child in element:
            tag = child.tag
            if tag == "break":
                extra += _seconds(child.get("time"), 0.5)
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
                text, more = self._render(child, choices, audio)
                parts.append(text)
                extra += more
            parts.append(child.tail or "")
        return "".join(parts), extra

    def _enumerate(self, element: Element, choices: list[tuple[str, str, Element]], audio: list[str]) -> str:
        if not choices:
            return ""
        template = bool((element.text or "").strip()) or len(element) > 0
        spoken = []
        for key, label, _ in choices:
            if template:
                self._enum = {"_prompt": label, "_dtmf": key}
                spoken.append(self._render(element, [], audio)[0])
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
        self._note(element, f"<value expr={expr!r}> not evaluated")
        return ""

    # -- listening ----------------------------------------------------------------------------
    def _property(self, element: Element, name: str) -> str | None:
        for scope in (element, self.dialog, self.root):
            if scope is None:
                continue
            for child in scope:
                if child.tag == "property" and child.get("name") == name:
                    return child.get("value")
        return None

    def _listen(self, element: Element, on_input: Callable[[str, str], None]) -> None:
        timeout = self._prompt_timeout
        if timeout is None:
            timeout = _seconds(element.get("timeout") or self._property(element, "timeout"), DEFAULT_TIMEOUT)
        modes = (self._property(element, "inputmodes") or "dtmf voice").lower().split()
        inputs = {"speech" if m == "voice" else m for m in modes} or {"dtmf"}
        listener = Listener(
            prompt=" ".join(self._spoken) or self.call.heard,
            timeout=min(600.0, max(0.5, timeout)),
            inputs=inputs,
            on_input=lambda kind, value: self._defer(lambda: on_input(kind, value)),
            on_timeout=lambda: self._defer(lambda: self._throw(element, "noinput")),
            finish_on_key=self._property(element, "termchar") or "#",
        )
        self._spoken, self._prompt_timeout = [], None
        self.call.listen(listener, dialog=self._dialog_id(self.dialog), item=self._key(element))

    def _collect_field(self, field: Element) -> None:
        key = self._key(field)
        if field.get("expr"):
            self._note(field, f"expr {field.get('expr')!r} on <field> not evaluated")
        options = self._options(field)
        if self.play_prompts:
            self.prompt_counts[key] = self.prompt_counts.get(key, 0) + 1
            self._play_prompts(field, self.prompt_counts[key], options)
        self.play_prompts = True
        self._listen(field, lambda kind, value: self._field_input(field, kind, value))

    def _collect_menu(self, menu: Element) -> None:
        key = self._key(menu)
        self.item = menu
        choices = self._choices(menu)
        if self.play_prompts:
            self.prompt_counts[key] = self.prompt_counts.get(key, 0) + 1
            self._play_prompts(menu, self.prompt_counts[key], choices)
        self.play_prompts = True
        self._listen(menu, lambda kind, value: self._menu_input(menu, kind, value))

    def _choices(self, menu: Element) -> list[tuple[str, str, Element]]:
        auto = (menu.get("dtmf") or "").lower() == "true"
        choices, n = [], 0
        for choice in menu:
            if choice.tag != "choice":
                continue
            label = " ".join("".join(_speakable(choice)).split())
            key = choice.get("dtmf") or ""
            if not key and auto and n < 9:
                n += 1
                key = str(n)
            choices.append((key, label, choice))
        return choices

    def _options(self, field: Element) -> list[tuple[str, str, Element]]:
        return [(o.get("dtmf") or "", " ".join("".join(_speakable(o)).split()), o) for o in field if o.tag == "option"]

    @staticmethod
    def _says(said: str, label: str) -> bool:
        return bool(label) and (best_option({"k": label}, (said,)) is not None
                                or best_option({"k": said}, (label,)) is not None)

    def _menu_input(self, menu: Element, kind: str, value: str) -> None:
        for key, label, choice in self._choices(menu):
            if (kind == "dtmf" and key and value == key) or (kind == "speech" and self._says(value, label)):
                self._progress()
                self._choose(menu, choice)
                return
        self._throw(menu, "nomatch")

    def _choose(self, menu: Element, choice: Element) -> None:
        target = choice.get("next")
        if target:
            self._goto(target)
        event = choice.get("event")
        if event in EVENTS:
            self._throw(menu, event)
            return
        self._note(choice, "a <choice> without next (event/expr not supported) does nothing")

    def _field_input(self, field: Element, kind: str, value: str) -> None:
        result = self._interpret(field, kind, value)
        if result is None:
            self._throw(field, "nomatch")
            return
        self._progress()
        name = self._key(field)
        self.values[name] = result
        self.done.add(name)
        for child in field:
            if child.tag == "filled":
                self._exec(child)
        self._form_filled(name)

    def _form_filled(self, name: str) -> None:
        form = self.dialog
        fields = [self._key(f) for f in form if f.tag == "field"]
        for n, filled in enumerate(c for c in form if c.tag == "filled"):
            if n in self.filled_ran:
                continue
            names = (filled.get("namelist") or "").split() or fields
            ready = name in names if (filled.get("mode") or "all") == "any" else all(x in self.values for x in names)
            if ready:
                self.filled_ran.add(n)
                self._exec(filled)

    def _interpret(self, field: Element, kind: str, value: str) -> str | None:
        """The field's value for this input, or None for a nomatch."""
        options = self._options(field)
        if options:
            for key, label, option in options:
                if (kind == "dtmf" and key and value == key) or (kind == "speech" and self._says(value, label)):
                    return option.get("value") or label
            return None
        kind_of = field.get("type") or ""
        for grammar in (g for g in field if g.tag == "grammar"):
            src = grammar.get("src") or ""
            if src.startswith("builtin:"):
                kind_of = kind_of or src.rsplit("/", 1)[-1]
            elif not kind_of:
                self._note(grammar, "grammar not evaluated: the input is taken as given")
        base, _, params = kind_of.partition("?")
        if base in ("digits", "number", "phone"):
            digits = value if kind == "dtmf" else _spoken_digits(value)
            if not digits or not digits.isdigit():
                return None
            limits = dict(p.split("=", 1) for p in params.split(";") if "=" in p)
            length = len(digits)
            if ("length" in limits and length != _int(limits["length"], length)) or \
                    length < _int(limits.get("minlength"), 0) or length > _int(limits.get("maxlength"), length):
                return None
            return digits
        if base == "boolean":
            if kind == "dtmf":
                return {"1": "true", "2": "false"}.get(value)
            words = set(re.findall(r"[a-z]+", value.lower()))
            return "true" if words & YES else "false" if words & NO else None
        return value

    # -- events -------------------------------------------------------------------------------
    def _throw(self, item: Element, event: str) -> None:
        key = (self._key(item), event)
        self.counts[key] = self.counts.get(key, 0) + 1
        if not self._count_visit():
            raise _Stop
        handler = self._handler(item, event, self.counts[key])
        if handler is None:
            self.play_prompts = True
            return
        self.play_prompts = False
        self._exec(handler)

    def _handler(self, item: Element, event: str, count: int) -> Element | None:
        candidates: list[Element] = []
        scopes = [item] + [s for s in (self.dialog, self.root) if s is not None and s is not item]
        for scope in scopes:
            for child in scope:
                names = (child.get("event") or "").split() if child.tag == "catch" else [child.tag]
                if child.tag in HANDLERS and (event in names or (child.tag == "catch" and not names)):
                    candidates.append(child)
        eligible = [c for c in candidates if _count(c) <= count]
        if not eligible:
            return None
        best = max(_count(c) for c in eligible)
        handler = next(c for c in eligible if _count(c) == best)
        if handler.get("cond"):
            self._note(handler, f"cond {handler.get('cond')!r} on <{handler.tag}> not evaluated: treated as true")
        return handler

    # -- executable content ------------------------------------------------------------------
    def _exec(self, container: Element) -> None:
        """Run executable content; loose text and inline speech elements between statements are prompts."""
        loose = Element("prompt")
        loose.text = container.text or ""

        def flush() -> None:
            if (loose.text or "").strip() or len(loose):
                self._speak_prompt(loose)
            loose.clear()

        for child in container:
            if child.tag in INLINE:
                loose.append(child)
                continue
            flush()
            self._statement(child)
            loose.text = child.tail or ""
        flush()

    def _statement(self, element: Element) -> None:
        tag = element.tag
        if tag == "prompt":
            self._speak_prompt(element)
        elif tag == "goto":
            if element.get("nextitem"):
                raise _GotoItem(element.get("nextitem"))
            if element.get("next"):
                self._goto(element.get("next"))
            self._note(element, "<goto> with expr or expritem not evaluated: skipped")
        elif tag == "submit":
            self._submit(element)
        elif tag == "transfer":
            self._play_prompts(element, 1)
            self._transfer(element)
        elif tag == "disconnect":
            self.call._end("company", "the IVR disconnected the call")
            raise _Stop
        elif tag == "exit":
            self.call._end("company", "the VoiceXML application exited, so the call ended")
            raise _Stop
        elif tag == "reprompt":
            self.play_prompts = True
        elif tag == "clear":
            self._clear(element)
        elif tag == "throw" and element.get("event") in EVENTS and self.item is not None:
            self._throw(self.item, element.get("event"))
        elif tag == "log":
            pass
        else:
            self._note(element, f"skipped unsupported <{tag}>")

    def _goto(self, target: str) -> None:
        if target.startswith("#"):
            dialog = self.dialogs.get(target[1:])
            if dialog is None:
                self.call._record("bad_document", f"goto {target}: no such dialog in the VoiceXML")
                self.call._end("company", "the IVR sent the call to a VoiceXML dialog that does not exist")
                raise _Stop
            self.call._record("goto", f"goto {target}")
            raise _GotoDialog(dialog)
        self.call._record("redirect", f"goto {target}")
        self.call.fetch(target, "GET", {}, twilio=False)
        raise _Stop

    def _submit(self, element: Element) -> None:
        target = element.get("next")
        if not target:
            self._note(element, "<submit> without next (expr not evaluated): skipped")
            return
        fields = [self._key(f) for f in self.dialog if f.tag == "field"] if self.dialog.tag == "form" else []
        names = (element.get("namelist") or "").split() or fields
        data = {n: self.values[n] for n in names if n in self.values}
        missing = [n for n in names if n not in self.values]
        if missing:
            self._note(element, f"<submit> namelist names without a value: {', '.join(missing)}")
        method = (element.get("method") or "get").upper()
        self.call._record("submit", f"submit {', '.join(data) or 'nothing'} to {target} ({method})",
                          data={"fields": sorted(data)})
        self.call.fetch(target, method, data, twilio=False)
        raise _Stop

    def _transfer(self, element: Element) -> None:
        dest = (element.get("dest") or "").strip()
        if not dest:
            self._note(element, "<transfer> without dest (destexpr not evaluated): skipped")
            return
        self.call._record("transfer", f"Transfer to {dest}", data={"target": dest, "noun": "transfer"})
        if dest.lower().startswith(("http://", "https://")) or not _SCHEME.match(dest):
            self.call.fetch(dest, "GET", {}, twilio=False)
            raise _Stop
        self.call.bridged_to = dest[4:] if dest.lower().startswith("tel:") else dest
        self.call._end("bridged", f"connected to {dest}, outside the simulation")
        raise _Stop

    def _clear(self, element: Element) -> None:
        keys = (element.get("namelist") or "").split()
        if not keys and self.dialog.tag == "form":
            keys = [self._key(i) for i in self._items(self.dialog)]
        for key in keys:
            self.values.pop(key, None)
            self.done.discard(key)
            self.prompt_counts.pop(key, None)
            for event in EVENTS:
                self.counts.pop((key, event), None)

    def _note(self, element: Element, detail: str) -> None:
        if id(element) in self._noted:
            return
        self._noted.add(id(element))
        self.call._record("note", detail)


def _count(element: Element) -> int:
    return _int(element.get("count"), 1)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _speakable(element: Element) -> list[str]:
    """The text of an element, leaving out grammars."""
    parts = [element.text or ""]
    for child in element:
        if child.tag != "grammar":
            parts.extend(_speakable(child))
        parts.append(child.tail or "")
    return parts


def _spoken_digits(text: str) -> str:
    digits = []
    for word in re.findall(r"[a-z]+|[0-9]+", text.lower()):
        if word.isdigit():
            digits.append(word)
        elif word in DIGIT_WORDS:
            digits.append(DIGIT_WORDS[word])
    return "".join(digits)

"""The VoiceXML 2.1 dialect of the phone channel: runs `<vxml>` documents on a call leg.

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

from ...model import Action, FrictionKind
from .leg import WORDS_PER_SECOND, Listener, only_recordings, recording
from .vxml_parts import (
    collects_data,
    DEFAULT_TIMEOUT,
    Choice,
    PromptRenderer,
    field_options,
    find_handler,
    interpret,
    is_voicexml,
    last_prompt,
    local,
    matches,
    menu_choices,
    prompts_for,
    property_of,
    seconds,
    submitted,
)

if TYPE_CHECKING:
    from .leg import IvrLeg

MAX_DIALOG_VISITS = 25
MAX_TRANSITIONS_WITHOUT_INPUT = 200

FORM_ITEMS = frozenset({"block", "field", "transfer", "initial", "subdialog", "record", "object"})
EVENTS = frozenset({"noinput", "nomatch"})
INLINE = frozenset({"audio", "value", "break", "enumerate", "emphasis", "say-as", "prosody", "s", "p",
                    "sub", "mark", "voice", "phoneme", "lang", "desc"})
SILENT = frozenset({"log", "meta", "metadata", "property", "grammar", "catch", "noinput", "nomatch", "help",
                    "error", "filled", "option", "choice", "prompt"})
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class _Stop(Exception):
    """A document was fetched or the call ended: the current document stops running."""


class _GotoDialog(Exception):
    def __init__(self, dialog: Element) -> None:
        self.dialog = dialog


class _GotoItem(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


class VoiceXmlDialect:
    """Runs the VoiceXML documents of one call leg."""

    name = "voicexml"

    accepts = staticmethod(is_voicexml)

    def __init__(self, leg: "IvrLeg") -> None:
        self.leg = leg
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
        self.renderer = PromptRenderer(self.values, self._note)

    # -- documents and dialogs ----------------------------------------------------------------
    def load(self, root: Element, url: str, fragment: str = "", first: bool = False) -> bool:
        """Make `root` the current document and enter its first dialog (or `#fragment`). False if the call ended."""
        for element in root.iter():
            element.tag = local(element.tag)
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
        shown = self.leg.relative(url)
        if fragment and fragment not in self.dialogs:
            self.leg.record(Action.BAD_DOCUMENT, f"no dialog #{fragment} in the VoiceXML at {shown}", url=url)
            self.leg.end("company", "the IVR sent the call to a VoiceXML dialog that does not exist")
            return False
        if not order:
            self.leg.record(Action.BAD_DOCUMENT, f"VoiceXML without a <form> or <menu> at {shown}", url=url)
            self.leg.end("company", "the IVR answered with a VoiceXML document that has no dialog")
            return False
        self._deferred = None
        return self._enter(self.dialogs[fragment] if fragment else order[0])

    def _dialog_id(self, dialog: Element) -> str:
        return next((k for k, v in self.dialogs.items() if v is dialog), "?")

    def _enter(self, dialog: Element) -> bool:
        """Enter a dialog: its variables, counters and guards start afresh. False if a bound ended the call."""
        self.dialog, self.item = dialog, None
        self.values, self.done, self.counts, self.prompt_counts = {}, set(), {}, {}
        self.renderer.values = self.values
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
        step = self.leg.record(Action.BOUNDED, detail)
        last = last_prompt(self.leg.journal.steps, self.leg.contact)
        self.leg.journal.friction(FrictionKind.LOOP, last or f"the VoiceXML dialog #{name} again and again",
                                  detail=f"the IVR kept returning to #{name}; simulator bound reached", step=step)
        self.leg.end("company", "the IVR looped without end")
        return False

    # -- running ------------------------------------------------------------------------------
    def run(self) -> None:
        """Run the current document until it listens, fetches another document, or the call ends."""
        leg = self.leg
        while leg.active and leg.listener is None:
            if self.leg.clock.exhausted:
                leg.end("customer", "the customer ran out of patience")
                return
            try:
                if self._deferred is not None:
                    action, self._deferred = self._deferred, None
                    action()
                elif self.dialog is None:
                    leg.end("company", "the VoiceXML document ended, so the call ended")
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
            self.leg.end("company", "the VoiceXML form ended with nothing more to do, so the call ended")
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
    def _play_prompts(self, container: Element, count: int, choices: list[Choice] = ()) -> None:
        for prompt in prompts_for(container, count):
            self._speak_prompt(prompt, choices)

    def _speak_prompt(self, prompt: Element, choices: list[Choice] = ()) -> None:
        if prompt.get("cond"):
            self._note(prompt, f"cond {prompt.get('cond')!r} on <prompt> not evaluated: treated as true")
        if prompt.get("timeout"):
            self._prompt_timeout = seconds(prompt.get("timeout"), DEFAULT_TIMEOUT)
        audio: list[str] = []
        text, extra = self.renderer.render(prompt, list(choices), audio)
        self._say(text, extra, audio)

    def _say(self, text: str, extra: float = 0.0, audio: list[str] = ()) -> None:
        text = " ".join(text.split())
        if text:
            self.leg.hear(text, max(1.0, len(text.split()) / WORDS_PER_SECOND) + extra)
            self._spoken.append(text)
        elif audio:
            self._spoken.append(self.leg.hear(" ".join(recording(a) for a in audio), extra,
                                              f"Audio: {' '.join(audio)}", audio=True))
        elif extra:
            self.leg.clock.advance(extra)

    # -- listening ----------------------------------------------------------------------------
    def _listen(self, element: Element, on_input: Callable[[str, str], None]) -> None:
        scopes = (element, self.dialog, self.root)
        timeout = self._prompt_timeout
        if timeout is None:
            timeout = seconds(element.get("timeout") or property_of(scopes, "timeout"), DEFAULT_TIMEOUT)
        modes = (property_of(scopes, "inputmodes") or "dtmf voice").lower().split()
        inputs = {"speech" if m == "voice" else m for m in modes} or {"dtmf"}
        listener = Listener(
            prompt=" ".join(self._spoken) or " ".join(self.leg.heard),
            timeout=min(600.0, max(0.5, timeout)),
            inputs=inputs,
            on_input=lambda kind, value: self._defer(lambda: on_input(kind, value)),
            on_timeout=lambda: self._defer(lambda: self._throw(element, "noinput")),
            finish_on_key=property_of(scopes, "termchar") or "#",
            audio=only_recordings(" ".join(self._spoken)),
            entry=element.tag == "field" and not field_options(element) and collects_data(element),
        )
        self._spoken, self._prompt_timeout = [], None
        self.leg.listen(listener, dialog=self._dialog_id(self.dialog), item=self._key(element))

    def _collect_field(self, field: Element) -> None:
        key = self._key(field)
        if field.get("expr"):
            self._note(field, f"expr {field.get('expr')!r} on <field> not evaluated")
        options = field_options(field)
        if self.play_prompts:
            self.prompt_counts[key] = self.prompt_counts.get(key, 0) + 1
            self._play_prompts(field, self.prompt_counts[key], options)
        self.play_prompts = True
        self._listen(field, lambda kind, value: self._field_input(field, kind, value))

    def _collect_menu(self, menu: Element) -> None:
        key = self._key(menu)
        self.item = menu
        choices = menu_choices(menu)
        if self.play_prompts:
            self.prompt_counts[key] = self.prompt_counts.get(key, 0) + 1
            self._play_prompts(menu, self.prompt_counts[key], choices)
        self.play_prompts = True
        self._listen(menu, lambda kind, value: self._menu_input(menu, kind, value))

    def _menu_input(self, menu: Element, kind: str, value: str) -> None:
        for key, label, choice in menu_choices(menu):
            if matches(kind, value, key, label):
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
        result = interpret(field, kind, value, self._note)
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

    # -- events -------------------------------------------------------------------------------
    def _throw(self, item: Element, event: str) -> None:
        key = (self._key(item), event)
        self.counts[key] = self.counts.get(key, 0) + 1
        if not self._count_visit():
            raise _Stop
        scopes = [item] + [s for s in (self.dialog, self.root) if s is not None and s is not item]
        handler = find_handler(scopes, event, self.counts[key], self._note)
        if handler is None:
            self.play_prompts = True
            return
        self.play_prompts = False
        self._exec(handler)

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
            self.leg.end("company", "the IVR disconnected the call")
            raise _Stop
        elif tag == "exit":
            self.leg.end("company", "the VoiceXML application exited, so the call ended")
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
                self.leg.record(Action.BAD_DOCUMENT, f"goto {target}: no such dialog in the VoiceXML")
                self.leg.end("company", "the IVR sent the call to a VoiceXML dialog that does not exist")
                raise _Stop
            self.leg.record(Action.GOTO, f"goto {target}")
            raise _GotoDialog(dialog)
        self.leg.record(Action.REDIRECT, f"goto {target}")
        self.leg.fetch(target, "GET", {}, twilio=False)
        raise _Stop

    def _submit(self, element: Element) -> None:
        target = element.get("next")
        if not target:
            self._note(element, "<submit> without next (expr not evaluated): skipped")
            return
        fields = [self._key(f) for f in self.dialog if f.tag == "field"] if self.dialog.tag == "form" else []
        data, missing = submitted(element, fields, self.values)
        if missing:
            self._note(element, f"<submit> namelist names without a value: {', '.join(missing)}")
        method = (element.get("method") or "get").upper()
        self.leg.record(Action.SUBMIT, f"submit {', '.join(data) or 'nothing'} to {target} ({method})",
                        data={"fields": sorted(data)})
        self.leg.fetch(target, method, data, twilio=False)
        raise _Stop

    def _transfer(self, element: Element) -> None:
        dest = (element.get("dest") or "").strip()
        if not dest:
            self._note(element, "<transfer> without dest (destexpr not evaluated): skipped")
            return
        self.leg.record(Action.TRANSFER, f"Transfer to {dest}", data={"target": dest, "noun": "transfer"})
        if dest.lower().startswith(("http://", "https://")) or not _SCHEME.match(dest):
            self.leg.fetch(dest, "GET", {}, twilio=False)
            raise _Stop
        self.leg.bridged_to = dest[4:] if dest.lower().startswith("tel:") else dest
        self.leg.end("bridged", f"connected to {dest}, outside the simulation")
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
        self.leg.record(Action.NOTE, detail)



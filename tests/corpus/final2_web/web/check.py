"""Check the web corpus: every case is served, every step is walked, every label is where it says.

    .venv/bin/python tests/corpus/final2_web/web/check.py              # every case, httpx and Chromium
    .venv/bin/python tests/corpus/final2_web/web/check.py -k gym       # cases whose name contains "gym"
    .venv/bin/python tests/corpus/final2_web/web/check.py --no-browser # the httpx walk only

Two independent walkers replay each case's steps against its app, served on 127.0.0.1 by
tests/corpus/serve.py (loaded by path; nothing here imports simsuite):

- a plain-HTTP walker (httpx and a small HTML parser) that follows links and submits forms the way a
  browser without JavaScript would, including the browser's own `required` check. It walks every case
  that does not declare `javascript: required`, and checks the shell of those that do;
- a real browser (Playwright driving /usr/bin/chromium) that names controls as a person reads them:
  links and buttons by their visible or accessible name, fields by label, aria-label, placeholder, or
  the text next to them.

For each case it checks that the YAML is well formed, that every step can be done, that every friction
label's evidence is visible on its page after its step (text, "HTTP nnn", or the browser's validation
message), that clean entries are at the page they name, that every page visited is either labelled or
clean, that select steps whose option is absent carry a missing_option label (and only those), that the
`mistakes:` name nothing on the page, that the declared `features:` are really there, that both
walkers reach the same pages, and that secrets never appear in any page.

This is a copy of tests/corpus/web/check.py pointed at the held-out set in
tests/corpus/final2_web/web/ (serve.py is still tests/corpus/serve.py); the checks are unchanged.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import time
import traceback
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit, parse_qsl

import httpx
import yaml

HERE = Path(__file__).resolve().parent
KINDS = {"dead_end", "forced_channel_switch", "unavailable_demand", "repeated_information", "transfer", "loop",
         "wait", "missing_option"}
FRAMEWORKS = {"flask", "django", "fastapi", "starlette", "stdlib", "static"}
STEP_KINDS = {"goto", "click", "fill", "select", "check", "later"}
PUA = re.compile("[\ue000-\uf8ff]")
FILL_MESSAGE = "Please fill out this field."


def load_serve():
    spec = importlib.util.spec_from_file_location("corpus_serve", HERE.parent.parent / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


serve = load_serve()


def web_cases(pattern: str | None = None) -> list[Path]:
    found = sorted(p for p in HERE.iterdir() if (p / "app.py").is_file() and (p / "case.yaml").is_file())
    return [p for p in found if not pattern or pattern in p.name]


def norm(text: str) -> str:
    text = PUA.sub(" ", text or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def name_matches(accessible: str, wanted: str) -> int:
    """2 for an exact match (glyphs and case ignored), 1 for a substring, 0 for none."""
    a, w = norm(accessible), norm(wanted)
    if not w:
        return 0
    if a == w:
        return 2
    return 1 if w in a else 0


# ---------------------------------------------------------------------------------------------------------
# case.yaml


def validate_case(case_dir: Path, case: dict) -> list[str]:
    errors = []
    for key in ("name", "written_like", "framework", "interface", "entry", "caller", "goal", "steps", "friction",
                "clean"):
        if key not in case:
            errors.append(f"case.yaml lacks {key!r}")
    if errors:
        return errors
    if case["name"] != case_dir.name:
        errors.append(f"name {case['name']!r} is not the directory name")
    if case["framework"] not in FRAMEWORKS:
        errors.append(f"unknown framework {case['framework']!r}")
    if case["interface"] not in ("wsgi", "asgi"):
        errors.append(f"unknown interface {case['interface']!r}")
    steps = case["steps"]
    for i, step in enumerate(steps, 1):
        if not isinstance(step, dict) or len(step) != 1 or next(iter(step)) not in STEP_KINDS:
            errors.append(f"step {i} is not one of {sorted(STEP_KINDS)}: {step!r}")
            continue
        kind, arg = next(iter(step.items()))
        if kind == "fill":
            sources = [k for k in ("fact", "text", "secret") if k in arg]
            if "field" not in arg or len(sources) != 1:
                errors.append(f"step {i}: fill needs field and one of fact/text/secret")
            if "fact" in arg and arg["fact"] not in case["caller"].get("facts", {}):
                errors.append(f"step {i}: fact {arg['fact']!r} is not among the caller's facts")
            if "secret" in arg and arg["secret"] not in (case["caller"].get("secrets") or {}):
                errors.append(f"step {i}: secret {arg['secret']!r} is not among the caller's secrets")
        if kind == "select" and not {"field", "option"} <= set(arg):
            errors.append(f"step {i}: select needs field and option")
    if steps and "goto" not in steps[0]:
        errors.append("the first step must be a goto")
    elif steps and steps[0]["goto"] != case["entry"]:
        errors.append("the first step must go to the entry")
    for label in case["friction"] or []:
        if label.get("kind") not in KINDS:
            errors.append(f"unknown friction kind {label.get('kind')!r}")
        for key in ("page", "step", "evidence", "why"):
            if key not in label:
                errors.append(f"friction label lacks {key!r}: {label}")
        if not 1 <= int(label.get("step", 0)) <= len(steps):
            errors.append(f"friction label step out of range: {label}")
        if "?" in str(label.get("page", "")):
            errors.append(f"a label's page is a path without a query: {label['page']}")
    for entry in case["clean"] or []:
        if not 1 <= int(entry.get("step", 0)) <= len(steps):
            errors.append(f"clean entry step out of range: {entry}")
        for label in case["friction"] or []:
            if (label["page"], label["step"]) == (entry["page"], entry["step"]):
                errors.append(f"{entry} is both clean and labelled {label['kind']}")
    seen = set()
    for label in case["friction"] or []:
        key = (label["kind"], label["page"])
        if key in seen:
            errors.append(f"{key} labelled twice (a friction met again on the same page counts once)")
        seen.add(key)
    for mistake in case.get("mistakes") or []:
        if "at_step" not in mistake or not ({"click", "fill", "select", "check"} & set(mistake)):
            errors.append(f"mistake needs at_step and one of click/fill/select/check: {mistake}")
    channels = case["caller"].get("channels") or []
    if "web" not in channels:
        errors.append("the caller cannot use the web")
    return errors


def fill_value(case: dict, arg: dict) -> str:
    if "fact" in arg:
        return str(case["caller"]["facts"][arg["fact"]])
    if "secret" in arg:
        return str(case["caller"]["secrets"][arg["secret"]])
    return str(arg["text"])


def secrets_of(case: dict) -> list[str]:
    values = [str(v) for v in (case["caller"].get("secrets") or {}).values()]
    values += [str(v) for v in (case.get("privacy") or {}).get("never_in_outputs") or []]
    return [v for v in values if v]


# ---------------------------------------------------------------------------------------------------------
# The plain-HTTP walker

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
INVISIBLE = {"script", "style", "template", "head", "title", "noscript"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def get(self, key, default=None):
        return self.attrs.get(key, default)

    def elements(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.elements()

    def text(self, visible_only: bool = True) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not (visible_only and (child.tag in INVISIBLE or "hidden" in child.attrs)):
                if child.tag == "img":
                    parts.append(child.get("alt", ""))
                parts.append(" " + child.text(visible_only) + " ")
        return "".join(parts)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def hidden(self) -> bool:
        return any("hidden" in n.attrs or n.tag in INVISIBLE for n in [self, *self.ancestors()])


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


FIELD_TAGS = {"input", "textarea", "select"}
NOT_FIELDS = {"hidden", "submit", "button", "image", "reset"}


def is_field(node: Node) -> bool:
    return node.tag in FIELD_TAGS and not (node.tag == "input" and node.get("type", "text").lower() in NOT_FIELDS)


class HttpWalker:
    """A browser without JavaScript: links, forms, the `required` check, cookies."""

    def __init__(self, base_url: str):
        self.base = base_url
        self.client = httpx.Client(base_url=base_url, follow_redirects=True, timeout=15)
        self.url = base_url
        self.status = 0
        self.html = ""
        self.root = parse("")
        self.values: dict[int, str] = {}
        self.checked: dict[int, bool] = {}
        self.history: list[dict] = []

    def close(self):
        self.client.close()

    # -- page state
    def load(self, response: httpx.Response):
        self.url = str(response.url)
        self.status = response.status_code
        self.html = response.text
        self.root = parse(self.html)
        self.values, self.checked = {}, {}
        self.redirects = [(r.status_code, str(r.headers.get("location", ""))) for r in response.history]

    def path(self) -> str:
        return urlsplit(self.url).path

    def page_text(self) -> str:
        body = next((n for n in self.root.elements() if n.tag == "body"), self.root)
        return body.text()

    def by_id(self, ident: str):
        return next((n for n in self.root.elements() if n.get("id") == ident), None)

    # -- naming
    def accessible_name(self, node: Node) -> str:
        if node.get("aria-label"):
            return node.get("aria-label")
        if node.get("aria-labelledby"):
            return " ".join(self.by_id(i).text() for i in node.get("aria-labelledby").split() if self.by_id(i))
        if node.tag == "input":
            return node.get("value", "")
        return node.text()

    def field_names(self, node: Node) -> list[str]:
        names = []
        if node.get("id"):
            names += [lab.text() for lab in self.root.elements() if lab.tag == "label" and lab.get("for") == node.get("id")]
        names += [a.text() for a in node.ancestors() if a.tag == "label"]
        for key in ("aria-label", "placeholder", "title"):
            if node.get(key):
                names.append(node.get(key))
        if node.get("aria-labelledby"):
            names.append(self.accessible_name(node))
        return names

    def in_scope(self, scope: Node | None):
        nodes = list((scope or self.root).elements())
        return [n for n in nodes if not n.hidden()]

    def find_field(self, name: str, scope: Node | None = None, want=is_field) -> list[Node]:
        nodes = self.in_scope(scope)
        fields = [n for n in nodes if want(n)]
        hits = [f for f in fields if any(name_matches(x, name) for x in self.field_names(f))]
        if hits:
            return hits
        # the text next to the field: a label whose `for` points nowhere, or any element with that text
        order = list(self.root.elements())
        position = {id(n): i for i, n in enumerate(order)}
        for node in nodes:
            if node.tag in ("label", "p", "span", "div", "legend", "strong") and name_matches(node.text(), name) \
                    and not any(isinstance(c, Node) and name_matches(c.text(), name) for c in node.children):
                after = [f for f in fields if position[id(f)] > position[id(node)]]
                if after:
                    return [after[0]]
        return []

    def form_names(self, form: Node) -> list[str]:
        names = [self.accessible_name(form)] if form.get("aria-label") or form.get("aria-labelledby") else []
        names += [n.text() for n in form.elements() if n.tag in ("h1", "h2", "h3", "h4", "legend")]
        order = list(self.root.elements())
        idx = order.index(form)
        before = [n for n in order[:idx] if n.tag in ("h1", "h2", "h3", "h4")]
        if before:
            names.append(before[-1].text())
        return names

    def find_form(self, name: str) -> Node | None:
        forms = [f for f in self.root.elements() if f.tag == "form"]
        hits = [f for f in forms if any(name_matches(x, name) for x in self.form_names(f))]
        return hits[0] if len(hits) == 1 else None

    def clickables(self, name: str) -> list[Node]:
        found = []
        for node in self.in_scope(None):
            is_link = node.tag == "a" and "href" in node.attrs
            is_button = node.tag == "button" or node.get("role") == "button" or (
                node.tag == "input" and node.get("type", "").lower() in ("submit", "button", "image"))
            if is_link or is_button:
                score = name_matches(self.accessible_name(node), name)
                if score:
                    found.append((score, node))
        best = max((s for s, _ in found), default=0)
        return [n for s, n in found if s == best]

    # -- actions
    def goto(self, path: str):
        self.load(self.client.get(path))

    def click(self, name: str) -> dict:
        nodes = self.clickables(name)
        if not nodes:
            raise StepError(f"no link or button named {name!r} on {self.path()}")
        hrefs = {n.get("href") for n in nodes}
        if len(nodes) > 1 and not (all(n.tag == "a" for n in nodes) and len(hrefs) == 1):
            raise StepError(f"{len(nodes)} different controls named {name!r} on {self.path()}")
        node = nodes[0]
        if node.tag == "a" and "href" in node.attrs:
            target = urljoin(self.url, node.get("href"))
            if urlsplit(target).netloc != urlsplit(self.base).netloc:
                return {"external": target}
            self.load(self.client.get(target))
            return {}
        if node.get("type", "submit" if node.tag == "button" else "").lower() != "submit":
            return {"js_only": True}
        form = next((a for a in node.ancestors() if a.tag == "form"), None)
        if form is None:
            return {"js_only": True}
        return self.submit(form, node)

    def submit(self, form: Node, button: Node) -> dict:
        controls = [n for n in form.elements() if n.tag in FIELD_TAGS and not n.hidden() or
                    (n.tag == "input" and n.get("type", "").lower() == "hidden")]
        if "novalidate" not in form.attrs and "formnovalidate" not in button.attrs:
            for n in controls:
                if "required" in n.attrs and "disabled" not in n.attrs:
                    kind = n.get("type", "text").lower()
                    if kind in ("checkbox", "radio"):
                        if not self.checked.get(id(n), "checked" in n.attrs):
                            return {"validation": "Please check this box if you want to proceed."}
                    elif not self.value_of(n):
                        return {"validation": "Please select an item in the list." if n.tag == "select"
                                else FILL_MESSAGE}
        data: list[tuple[str, str]] = []
        for n in controls:
            name = n.get("name")
            if not name or "disabled" in n.attrs:
                continue
            kind = n.get("type", "text").lower()
            if n.tag == "input" and kind in ("checkbox", "radio"):
                if self.checked.get(id(n), "checked" in n.attrs):
                    data.append((name, n.get("value", "on")))
            elif n.tag == "input" and kind == "file":
                continue
            else:
                data.append((name, self.value_of(n)))
        if button.get("name"):
            data.append((button.get("name"), button.get("value", "")))
        method = (button.get("formmethod") or form.get("method") or "get").lower()
        action = urljoin(self.url, button.get("formaction") or form.get("action") or self.url)
        if method == "get":
            parts = urlsplit(action)
            self.load(self.client.get(urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(data), ""))))
        elif (form.get("enctype") or "").lower() == "multipart/form-data":
            files = [(k, (None, v)) for k, v in data]
            self.load(self.client.post(action, files=files))
        else:
            self.load(self.client.post(action, content=urlencode(data),
                                       headers={"Content-Type": "application/x-www-form-urlencoded"}))
        return {}

    def value_of(self, node: Node) -> str:
        if id(node) in self.values:
            return self.values[id(node)]
        if node.tag == "textarea":
            return node.text(visible_only=False)
        if node.tag == "select":
            options = [o for o in node.elements() if o.tag == "option"]
            chosen = next((o for o in options if "selected" in o.attrs), options[0] if options else None)
            return "" if chosen is None else chosen.get("value", chosen.text().strip())
        return node.get("value", "")

    def fill(self, name: str, value: str, form: str | None = None):
        scope = None
        if form:
            scope = self.find_form(form)
            if scope is None:
                raise StepError(f"no single form named {form!r} on {self.path()}")
        fields = self.find_field(name, scope)
        if not fields:
            raise StepError(f"no field named {name!r} on {self.path()}")
        if len(fields) > 1:
            raise StepError(f"{len(fields)} fields named {name!r} on {self.path()}")
        self.values[id(fields[0])] = value

    def select(self, name: str, option: str) -> bool:
        fields = [f for f in self.find_field(name, want=lambda n: n.tag == "select")]
        if len(fields) != 1:
            raise StepError(f"no single list named {name!r} on {self.path()}")
        options = [o for o in fields[0].elements() if o.tag == "option"]
        hit = next((o for o in options if name_matches(o.text(), option)), None)
        if hit is None:
            return False
        self.values[id(fields[0])] = hit.get("value", hit.text().strip())
        return True

    def check(self, name: str):
        boxes = self.find_field(name, want=lambda n: n.tag == "input" and n.get("type", "").lower() in ("checkbox", "radio"))
        if len(boxes) != 1:
            raise StepError(f"no single box named {name!r} on {self.path()}")
        box = boxes[0]
        if box.get("type").lower() == "radio":
            for other in self.root.elements():
                if other.tag == "input" and other.get("name") == box.get("name"):
                    self.checked[id(other)] = False
        self.checked[id(box)] = True

    def exists(self, mistake: dict) -> bool:
        if "click" in mistake:
            return bool(self.clickables(mistake["click"]))
        if "fill" in mistake:
            return bool(self.find_field(mistake["fill"]))
        if "check" in mistake:
            return bool(self.find_field(mistake["check"]))
        return bool(self.find_field(mistake["select"]["field"], want=lambda n: n.tag == "select"))


class StepError(Exception):
    pass


def walk_http(case: dict, base_url: str) -> list[dict]:
    """Replay the steps without JavaScript; one record per step."""
    walker = HttpWalker(base_url)
    records = []
    try:
        for i, step in enumerate(case["steps"], 1):
            kind, arg = next(iter(step.items()))
            record = {"step": i, "kind": kind, "validation": None, "missing": False}
            if kind == "goto":
                walker.goto(arg)
            elif kind == "click":
                record.update(walker.click(arg))
            elif kind == "fill":
                walker.fill(arg["field"], fill_value(case, arg), arg.get("form"))
            elif kind == "select":
                record["missing"] = not walker.select(arg["field"], arg["option"])
            elif kind == "check":
                walker.check(arg)
            record.update(path=walker.path(), url=walker.url, status=walker.status, text=walker.page_text(),
                          html=walker.html)
            record["redirects"] = list(getattr(walker, "redirects", []))
            record["absent_mistakes"] = [m for m in case.get("mistakes") or [] if m["at_step"] == i and not walker.exists(m)]
            records.append(record)
    finally:
        walker.close()
    return records


# ---------------------------------------------------------------------------------------------------------
# The browser walker

PAGE_FACTS_JS = r"""
() => {
  const PUA = /[\ue000-\uf8ff]/;
  const visible = (e) => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                           return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const fields = [...document.querySelectorAll('input, textarea, select')].filter(e =>
      !['hidden', 'submit', 'button', 'image', 'reset'].includes((e.type || '').toLowerCase()) && visible(e));
  const hasLabel = (e) => (e.labels && e.labels.length > 0) || e.closest('label');
  const buttons = [...document.querySelectorAll('button, a, [role=button], input[type=submit]')].filter(visible);
  const text = (e) => (e.innerText || e.value || '').trim();
  const labelsFor = [...document.querySelectorAll('label[for]')];
  const forms = [...document.querySelectorAll('form')];
  const formLabels = forms.map(f => [...f.querySelectorAll('input, textarea, select')].map(e => {
      const l = (e.labels && e.labels[0] && e.labels[0].innerText) || e.getAttribute('aria-label') || e.placeholder || '';
      return l.replace(/[:*]/g, '').trim().toLowerCase(); }).filter(Boolean));
  let similar = false;
  for (let i = 0; i < formLabels.length; i++) for (let j = i + 1; j < formLabels.length; j++)
    if (formLabels[i].some(l => formLabels[j].includes(l))) similar = true;
  const cx = innerWidth / 2, cy = innerHeight / 2;
  const top = document.elementFromPoint(cx, cy);
  const overlay = [...document.querySelectorAll('body *')].find(e => {
      const s = getComputedStyle(e); return s.position === 'fixed' && /cookie/i.test(e.innerText || '') && visible(e); });
  const coverEl = top && top.closest('[role=dialog], [id*=cookie], [class*=cookie]');
  return {
    icon_glyph_button: buttons.some(b => PUA.test(text(b)) && text(b).replace(/[\ue000-\uf8ff]/g, '').trim().length > 0),
    icon_only_button: buttons.some(b => b.getAttribute('aria-label') && text(b).replace(/[\ue000-\uf8ff]/g, '').trim() === ''),
    label_for_nothing: labelsFor.some(l => !document.getElementById(l.htmlFor)),
    placeholder_only_field: fields.some(e => e.placeholder && !hasLabel(e) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')),
    aria_label_only_field: fields.some(e => e.getAttribute('aria-label') && !hasLabel(e)),
    two_forms_on_page: forms.filter(visible).length >= 2,
    two_forms_similar_labels: similar,
    cookie_banner: !!(overlay && coverEl),
    non_blocking_cookie_notice: !!(overlay && !coverEl),
    csrf_form: !!document.querySelector('input[name=csrfmiddlewaretoken], input[name=csrf_token]'),
    radio_buttons: !!document.querySelector('input[type=radio]'),
    required_field: fields.some(e => e.required),
    error_shown: !!document.querySelector('[role=alert]') && !!document.querySelector('[aria-invalid=true]'),
    chat_log: !!document.querySelector('[role=log]'),
  };
}
"""

CANDIDATES_JS = r"""
(els) => els.map(e => {
  const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
  let name = e.getAttribute('aria-label') || '';
  if (!name && e.getAttribute('aria-labelledby'))
    name = e.getAttribute('aria-labelledby').split(/\s+/).map(i => (document.getElementById(i) || {}).innerText || '').join(' ');
  if (!name) name = e.tagName === 'INPUT' ? (e.value || '') : (e.innerText || e.textContent || '');
  return {name, href: e.getAttribute('href'), visible: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'};
})
"""

FORMS_JS = r"""
() => [...document.querySelectorAll('form')].map(f => {
  const names = [];
  if (f.getAttribute('aria-label')) names.push(f.getAttribute('aria-label'));
  if (f.getAttribute('aria-labelledby')) names.push(f.getAttribute('aria-labelledby').split(/\s+/)
      .map(i => (document.getElementById(i) || {}).innerText || '').join(' '));
  f.querySelectorAll('h1, h2, h3, h4, legend').forEach(h => names.push(h.innerText));
  const all = [...document.querySelectorAll('h1, h2, h3, h4, form')];
  const before = all.slice(0, all.indexOf(f)).filter(e => e.tagName !== 'FORM');
  if (before.length) names.push(before[before.length - 1].innerText);
  return names;
})
"""

FIELD_KIND_JS = r"""
(e) => ({tag: e.tagName.toLowerCase(), type: (e.type || '').toLowerCase(),
         visible: (() => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })()})
"""

VALIDATION_JS = r"""
(el) => {
  const f = el.form || el.closest('form');
  if (!f || f.noValidate || el.formNoValidate || (el.type || '').toLowerCase() !== 'submit') return null;
  const bad = [...f.elements].find(e => e.willValidate && !e.checkValidity());
  return bad ? bad.validationMessage : null;
}
"""


class BrowserWalker:
    def __init__(self, browser, base_url: str, settle_ms: int):
        self.base = base_url
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        self.context.set_default_timeout(4000)
        self.page = self.context.new_page()
        self.settle_ms = settle_ms
        self.documents = 0
        self.last_status = 0
        self.last_redirects: list = []
        self.page.on("response", self._on_response)

    def close(self):
        self.context.close()

    def _on_response(self, response):
        request = response.request
        if request.is_navigation_request() and request.frame == self.page.main_frame and request.resource_type == "document":
            self.documents += 1
            self.last_status = response.status
            chain, r = [], request.redirected_from
            while r is not None:
                chain.append(r.url)
                r = r.redirected_from
            self.last_redirects = chain

    def path(self) -> str:
        return urlsplit(self.page.url).path

    def text(self) -> str:
        for _ in range(20):
            try:
                return self.page.inner_text("body")
            except Exception:
                time.sleep(0.1)
        return ""

    def settle(self):
        try:
            self.page.wait_for_load_state("load", timeout=8000)
        except Exception:
            pass
        last, stable_since, deadline = None, time.monotonic(), time.monotonic() + 10
        while time.monotonic() < deadline:
            current = self.text()
            if current != last:
                last, stable_since = current, time.monotonic()
            elif (time.monotonic() - stable_since) * 1000 >= self.settle_ms:
                return
            time.sleep(0.08)

    # -- finding things
    def scope(self, form: str | None):
        if not form:
            return self.page
        names = self.page.evaluate(FORMS_JS)
        hits = [i for i, ns in enumerate(names) if any(name_matches(n, form) for n in ns)]
        if len(hits) != 1:
            raise StepError(f"no single form named {form!r} on {self.path()} ({len(hits)} match)")
        return self.page.locator("form").nth(hits[0])

    def clickables(self, name: str):
        loc = self.page.locator("a[href], button, [role=button], input[type=submit], input[type=button]")
        infos = loc.evaluate_all(CANDIDATES_JS)
        scored = [(name_matches(info["name"], name), i, info) for i, info in enumerate(infos) if info["visible"]]
        scored = [s for s in scored if s[0]]
        best = max((s[0] for s in scored), default=0)
        return [(loc.nth(i), info) for score, i, info in scored if score == best]

    def fields(self, name: str, scope, kinds=("input", "textarea", "select"), types=None):
        def ok(el):
            info = el.evaluate(FIELD_KIND_JS)
            if not info["visible"] or info["tag"] not in kinds:
                return False
            if info["tag"] == "input" and info["type"] in NOT_FIELDS:
                return False
            return types is None or info["type"] in types

        for loc in (scope.get_by_label(name), scope.get_by_placeholder(name)):
            hits = [loc.nth(i) for i in range(loc.count()) if ok(loc.nth(i))]
            if hits:
                return hits
        # the text next to the field: a <label for> that points nowhere, a hint paragraph
        xpath = "xpath=following::*[self::input[not(@type='hidden')] or self::textarea or self::select][1]"
        for loc in (scope.locator("label", has_text=re.compile(re.escape(name), re.I)),
                    scope.get_by_text(name)):
            for i in range(loc.count()):
                nxt = loc.nth(i).locator(xpath)
                if nxt.count() and ok(nxt.first):
                    return [nxt.first]
        return []

    def exists(self, mistake: dict) -> bool:
        if "click" in mistake:
            return bool(self.clickables(mistake["click"]))
        if "fill" in mistake:
            return bool(self.fields(mistake["fill"], self.page))
        if "check" in mistake:
            return bool(self.fields(mistake["check"], self.page, kinds=("input",), types=("checkbox", "radio")))
        return bool(self.fields(mistake["select"]["field"], self.page, kinds=("select",)))

    # -- actions
    def click(self, name: str) -> dict:
        hits = self.clickables(name)
        if not hits:
            raise StepError(f"no link or button named {name!r} on {self.path()}")
        hrefs = {info["href"] for _, info in hits}
        if len(hits) > 1 and not (None not in hrefs and len(hrefs) == 1):
            raise StepError(f"{len(hits)} different controls named {name!r} on {self.path()}")
        target, info = hits[0]
        href = info["href"]
        if href and urlsplit(urljoin(self.page.url, href)).netloc not in ("", urlsplit(self.base).netloc):
            return {"external": href}
        validation = target.evaluate(VALIDATION_JS)
        before_text = self.text()
        started = time.monotonic()
        target.click()
        early = self.text()
        self.settle()
        return {"validation": validation, "late_change": self.text() not in (early, before_text),
                "elapsed": time.monotonic() - started}

    def fill(self, name: str, value: str, form: str | None):
        hits = self.fields(name, self.scope(form))
        if len(hits) != 1:
            raise StepError(f"{len(hits)} fields named {name!r} on {self.path()}")
        hits[0].fill(value)

    def select(self, name: str, option: str) -> bool:
        hits = self.fields(name, self.page, kinds=("select",))
        if len(hits) != 1:
            raise StepError(f"{len(hits)} lists named {name!r} on {self.path()}")
        labels = hits[0].locator("option").all_inner_texts()
        chosen = next((label for label in labels if name_matches(label, option)), None)
        if chosen is None:
            return False
        hits[0].select_option(label=chosen.strip())
        self.settle()
        return True

    def check(self, name: str):
        hits = self.fields(name, self.page, kinds=("input",), types=("checkbox", "radio"))
        if len(hits) != 1:
            raise StepError(f"{len(hits)} boxes named {name!r} on {self.path()}")
        hits[0].check()


def walk_browser(case: dict, base_url: str, browser) -> list[dict]:
    settle_ms = 1300 if case.get("javascript") == "required" else 400
    walker = BrowserWalker(browser, base_url, settle_ms)
    records = []
    try:
        for i, step in enumerate(case["steps"], 1):
            kind, arg = next(iter(step.items()))
            record = {"step": i, "kind": kind, "validation": None, "missing": False}
            docs = walker.documents
            facts_before = walker.page.evaluate(PAGE_FACTS_JS) if i > 1 else {}
            try:
                if kind == "goto":
                    walker.page.goto(base_url + arg)
                    walker.settle()
                elif kind == "click":
                    if i > 1 and facts_before.get("cookie_banner"):
                        record["banner_blocks"] = banner_blocks(walker, arg)
                    record.update(walker.click(arg))
                elif kind == "fill":
                    walker.fill(arg["field"], fill_value(case, arg), arg.get("form"))
                elif kind == "select":
                    record["missing"] = not walker.select(arg["field"], arg["option"])
                elif kind == "check":
                    walker.check(arg)
            except StepError:
                raise
            except Exception as exc:   # Playwright's timeouts: the control is there but cannot be used
                lines = [x for x in str(exc).splitlines() if x.strip()]
                hint = next((x.strip() for x in lines if "intercepts pointer events" in x), lines[0] if lines else "")
                raise StepError(f"step {i} ({kind} {arg!r}) failed: {hint}") from None
            record.update(path=walker.path(), url=walker.page.url, status=walker.last_status, text=walker.text(),
                          html=walker.page.content(), documents=walker.documents - docs,
                          redirects=list(walker.last_redirects) if walker.documents - docs else [],
                          facts=walker.page.evaluate(PAGE_FACTS_JS))
            record["absent_mistakes"] = [m for m in case.get("mistakes") or [] if m["at_step"] == i and not walker.exists(m)]
            records.append(record)
    finally:
        walker.close()
    return records


def banner_blocks(walker: BrowserWalker, name: str) -> bool | None:
    """With the cookie overlay up, does a click on a page link get through? (trial click: nothing happens)"""
    link = walker.page.locator("main a[href]").first
    if not link.count():
        return None
    try:
        link.click(trial=True, timeout=800)
        return False
    except Exception:
        return True


# ---------------------------------------------------------------------------------------------------------
# Checks on the records


def evidence_seen(evidence: str, record: dict) -> bool:
    status = re.fullmatch(r"HTTP (\d{3})", evidence.strip())
    if status:
        return record["status"] == int(status.group(1))
    if record.get("validation") and norm(evidence) in norm(record["validation"]):
        return True
    return norm(evidence) in norm(record["text"])


def check_records(case: dict, records: list[dict], walker: str) -> list[str]:
    problems = []
    steps = case["steps"]
    if len(records) != len(steps):
        return [f"{walker}: walked {len(records)} of {len(steps)} steps"]
    for label in case["friction"] or []:
        rec = records[label["step"] - 1]
        if rec["path"] != label["page"]:
            problems.append(f"{walker}: {label['kind']} at step {label['step']} is on {rec['path']}, not {label['page']}")
        elif not evidence_seen(label["evidence"], rec):
            problems.append(f"{walker}: {label['kind']} evidence {label['evidence']!r} not seen on {rec['path']} "
                            f"after step {label['step']}")
    for entry in case["clean"] or []:
        rec = records[entry["step"] - 1]
        if rec["path"] != entry["page"]:
            problems.append(f"{walker}: clean step {entry['step']} is on {rec['path']}, not {entry['page']}")
    covered = {x["page"] for x in (case["friction"] or [])} | {x["page"] for x in (case["clean"] or [])}
    for rec in records:
        if rec["path"] not in covered:
            problems.append(f"{walker}: step {rec['step']} reaches {rec['path']}, which is neither labelled nor clean")
    missing_steps = {r["step"] for r in records if r["missing"]}
    labelled = {x["step"] for x in case["friction"] or [] if x["kind"] == "missing_option"}
    for s in sorted(missing_steps - labelled):
        problems.append(f"{walker}: step {s} finds no fitting option but carries no missing_option label")
    for s in sorted(labelled - missing_steps):
        problems.append(f"{walker}: missing_option at step {s} but that step found its option (or is no select)")
    for rec in records:
        if rec["kind"] == "click" and rec.get("validation") and rec["path"] != records[rec["step"] - 2]["path"]:
            problems.append(f"{walker}: step {rec['step']} should have been blocked by the browser")
    for mistake in case.get("mistakes") or []:
        rec = records[mistake["at_step"] - 1]
        if mistake not in rec["absent_mistakes"]:
            problems.append(f"{walker}: mistake {mistake} names something that exists after step {mistake['at_step']}")
    for secret in secrets_of(case):
        for rec in records:
            if secret in rec["text"] or secret in rec["html"]:
                problems.append(f"{walker}: a secret appears in the page at step {rec['step']}")
                break
    return problems


def check_features(case: dict, records: list[dict]) -> list[str]:
    """The traps a case declares, seen in the browser walk."""
    problems = []
    facts = [r.get("facts", {}) for r in records]
    caller = case["caller"]

    def any_fact(key):
        return any(f.get(key) for f in facts)

    def seen(feature):
        if feature in ("icon_glyph_button", "icon_only_button", "label_for_nothing", "placeholder_only_field",
                       "aria_label_only_field", "two_forms_on_page", "two_forms_similar_labels", "csrf_form",
                       "radio_buttons", "required_field", "non_blocking_cookie_notice"):
            return any_fact(feature)
        if feature == "cookie_banner":
            return any_fact("cookie_banner") and any(r.get("banner_blocks") for r in records)
        if feature == "error_rerender":
            return any(r["kind"] == "click" and r.get("documents") and r["status"] == 200 and r["facts"].get("error_shown")
                       and r["path"] == records[r["step"] - 2]["path"] for r in records[1:])
        if feature == "silent_rerender":
            return any(r["kind"] == "click" and r.get("documents") and r["status"] == 200
                       and r["path"] == records[r["step"] - 2]["path"] and not r["facts"].get("error_shown")
                       and norm(r["text"]) == norm(next(p["text"] for p in records if p["path"] == r["path"]))
                       for r in records[1:])
        if feature == "browser_required_block":
            return any(r.get("validation") == FILL_MESSAGE and r.get("documents") == 0 for r in records)
        if feature == "spa_pushstate":
            later = [r for r in records[1:] if r["kind"] == "click"]
            return bool(later) and all(r.get("documents") == 0 for r in later) and \
                len({r["path"] for r in records}) > 2
        if feature == "get_lookup_403":
            return any(r["status"] == 403 and "?" in r["url"] and r["kind"] == "click" for r in records)
        if feature == "login_wall":
            return any(r.get("redirects") and re.search(r"log-?in|sign-?in", r["path"]) for r in records)
        if feature == "email_in_url":
            email = str(caller.get("facts", {}).get("email", ""))
            return bool(email) and any(email in r["url"] or email.replace("@", "%40") in r["url"] for r in records)
        if feature == "secret_link":
            return any(re.search(r"[?&](key|token)=", r["url"]) and any(s in r["url"] for s in secrets_of(case))
                       for r in records)
        if feature == "reference_confirmation":
            pattern = r"\[support-\d+\]|ticket id:? ?\d+|reference[^.]{0,20}? [a-z]{2}-[0-9a-z]{3,}"
            return any(re.search(pattern, norm(r["text"])) for r in records)
        if feature == "call_or_visit_page":
            return any(re.search(r"call (?:us|the clinic|our [a-z ]+)[^.]*\d{3,}|visit (?:the|any|a|our) ", norm(r["text"]))
                       for r in records)
        if feature == "fact_caller_lacks":
            return any(x["kind"] == "unavailable_demand" for x in case["friction"] or [])
        if feature == "missing_option_select":
            return any(r["missing"] for r in records)
        if feature == "append_slash_redirect":
            return any(r.get("redirects") and any(urlsplit(u).path + "/" == r["path"] for u in r["redirects"])
                       for r in records)
        if feature == "chat_widget_delayed":
            return any_fact("chat_log") and any(r.get("late_change") for r in records)
        return None

    for feature in case.get("features") or []:
        result = seen(feature)
        if result is None:
            problems.append(f"unknown feature {feature!r}")
        elif not result:
            problems.append(f"feature {feature!r} not seen in the browser walk")
    return problems


def check_js_shell(case: dict, base_url: str) -> list[str]:
    """For a JavaScript-only case: the server's answers, without running the script."""
    problems = []
    with httpx.Client(base_url=base_url, timeout=15) as client:
        entry = client.get(case["entry"])
        if entry.status_code != 200 or "<script" not in entry.text:
            problems.append(f"http: the entry answers {entry.status_code} without a script")
        if case["framework"] == "static":
            paths = {case["entry"]} | {x["page"] for x in case["friction"] or []} | {x["page"] for x in case["clean"] or []}
            bodies = {client.get(p).text for p in paths}
            if len(bodies) != 1:
                problems.append("http: the static host does not answer the same index.html for every route")
            unknown = client.get("/no/such/page")
            if unknown.status_code != 200:
                problems.append("http: an unknown route should still be index.html with 200")
            for label in case["friction"] or []:
                if not label["evidence"].startswith("HTTP ") and norm(label["evidence"]) in norm(entry.text):
                    problems.append(f"http: evidence {label['evidence']!r} is in the HTML; it should be drawn by JavaScript")
    return problems


# ---------------------------------------------------------------------------------------------------------


def run_case(case_dir: Path, browser) -> tuple[list[str], dict]:
    case = serve.load_case(case_dir)
    problems = validate_case(case_dir, case)
    if problems:
        return problems, {}
    summary = {}
    js = case.get("javascript") == "required"
    http_records = None
    with serve.serve_case(case_dir) as base_url:
        if js:
            problems += check_js_shell(case, base_url)
        else:
            try:
                http_records = walk_http(case, base_url)
                problems += check_records(case, http_records, "http")
                summary["http"] = len(http_records)
            except StepError as exc:
                problems.append(f"http: step not walkable: {exc}")
    if browser is not None:
        with serve.serve_case(case_dir) as base_url:
            try:
                records = walk_browser(case, base_url, browser)
                problems += check_records(case, records, "browser")
                problems += check_features(case, records)
                summary["browser"] = len(records)
                if http_records is not None:
                    a = [r["path"] for r in http_records]
                    b = [r["path"] for r in records]
                    if a != b:
                        problems.append(f"the walkers disagree on the pages: http {a} browser {b}")
            except StepError as exc:
                problems.append(f"browser: step not walkable: {exc}")
    return problems, summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="pattern", help="only cases whose name contains this")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium walk")
    args = parser.parse_args(argv)
    chosen = web_cases(args.pattern)
    if not chosen:
        print("no cases")
        return 1
    failures = 0
    playwright = browser = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright
        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
    try:
        for case_dir in chosen:
            started = time.monotonic()
            try:
                problems, summary = run_case(case_dir, browser)
            except Exception:
                problems, summary = [traceback.format_exc(limit=-3)], {}
            took = time.monotonic() - started
            if problems:
                failures += 1
                print(f"FAIL {case_dir.name} ({took:.1f}s)")
                for p in problems:
                    print(f"     - {p}")
            else:
                walked = ", ".join(f"{k} {v} steps" for k, v in summary.items())
                print(f"ok   {case_dir.name} ({walked}; {took:.1f}s)")
    finally:
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()
    print(f"{len(chosen) - failures} of {len(chosen)} web cases pass")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

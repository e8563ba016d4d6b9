"""Explore a help centre from its start page toward a goal, the way a goal-directed customer clicks.

The explorer opens the start page in a real browser through simsuite's `WebChannel` (so every page is a
recorded step and the detectors judge it: HTTP errors, "please call", dead-end phrases, form fields asking
for facts), reads the page's links, and visits them best-first: links whose text matches more of the
goal's words come first, then breadth-first (shallower first, in page order). It follows only links to
the start page's own origin (same scheme, host and port) and, by default, under the start page's folder
(`within`); it never requests any other host. It stops after `max_pages` pages or `max_depth` clicks.

A page ends a path when:

- "resolved": a sentence on it holds a resolution word (`RESOLUTION_WORDS`, configurable); the goal is met;
- "dead_end": the page answered with an HTTP error, or says the way is closed ("not available online")
  without sending the customer anywhere else (simsuite's dead-end detectors);
- "elsewhere": the page sends the customer to another channel ("please call", "visit a store");
- "error": the browser could not load it at all (a redirect to another host, a network failure);
- "bounded": it has links left unvisited when the depth ran out.

The start page is always read for links, whatever it says. A page "matches the goal" when one of its
sentences (or its title) holds every word of the goal; the best path is the shallowest resolved page, else
the shallowest page that matches the goal, else the page whose words match most.

    from simsuite.explore.web import explore_web
    m = explore_web("http://127.0.0.1:8000/telecom/", "outage", mode="as-is")
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import Error as PlaywrightError

from ..browser import BrowserPool
from ..core.target import Target
from ..customer import Customer
from ..errors import ScriptError, SimsuiteError, SiteUnreachable
from ..core.index import IndexWeights, kafkaesque_index
from ..model import Friction, FrictionKind, Outcome
from ..core.personas import Persona, make_persona
from ..core.phrases import Phrases, normalise, sentences
from .chat import RESOLUTION_WORDS, resolution_in
from .map import ExploreMap, Finding, MapEdge, MapNode
from .web_forms import FORMS_JS, FormPlan, plan_forms, send_form

FORM_MODES = ("none", "get", "all")
"""Which forms the explorer sends: none, GET forms (searches and lookups, the default), or all (POST forms
too: only on a site where creating records is fine, such as staging)."""

__all__ = ["RESOLUTION_WORDS", "explore_web", "goal_words"]

CLICK_SECONDS = 3.0
READING_WORDS_PER_SECOND = 4.0
MAX_READING_SECONDS = 60.0
_WORD = re.compile(r"[a-z0-9']+")
_STOP = frozenset("a an the to for of or and if your you is are on in at my me i it please with this "
                  "from by be can do how what when where why find get".split())
_LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]')).map(a => ({
  text: (a.innerText || a.getAttribute('aria-label') || a.title || '').replace(/\\s+/g, ' ').trim(),
  href: a.href
}))"""


def goal_words(text: str) -> set[str]:
    """The words of a goal or a link that matter for matching: lower-case, no stop words, no plural s."""
    return {w if len(w) < 4 else w.rstrip("s") for w in _WORD.findall(normalise(text)) if w not in _STOP}


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


@dataclass(order=True)
class _Todo:
    priority: tuple[int, int, int]
    url: str = field(compare=False)
    parent: str | None = field(compare=False)
    link: str = field(compare=False)
    depth: int = field(compare=False)
    path: list[str] = field(compare=False)
    form: FormPlan | None = field(default=None, compare=False)  # a POST form to send from the page at `url`


@dataclass
class _Page:
    node: MapNode
    url: str
    links: list[tuple[str, str]]       # (text, absolute URL without fragment), in scope only
    words: int = 0
    sends: list[tuple[str, str, FormPlan | None]] = field(default_factory=list)  # forms: (label, page URL, plan)


class _WebExplorer:
    def __init__(self, start_url: str, goal: str, *, mode: str | None, max_pages: int, max_depth: int,
                 within: str | None, resolution: Sequence[str], persona: Persona | None,
                 phrases: Phrases | None, forms: str = "get") -> None:
        if forms not in FORM_MODES:
            raise SimsuiteError(f"forms={forms!r}: use one of {', '.join(FORM_MODES)}")
        self.forms = forms
        if max_pages < 1 or max_depth < 0:
            raise ValueError("max_pages must be at least 1 and max_depth at least 0")
        scheme, netloc = _origin(start_url)
        if scheme not in ("http", "https") or not netloc:
            raise SimsuiteError(f"{start_url!r} is not an http(s) URL. Fix: give the help centre's start page, "
                                "e.g. http://127.0.0.1:8000/help/")
        self.start = urldefrag(start_url)[0]
        self.origin = (scheme, netloc)
        path = urlsplit(self.start).path or "/"
        self.within = within if within is not None else path[:path.rfind("/") + 1]
        if not self.within.startswith("/"):
            self.within = "/" + self.within
        self.goal = goal
        self.wants = goal_words(goal)
        self.max_pages, self.max_depth = max_pages, max_depth
        self.resolution = tuple(resolution)
        self.persona = persona or make_persona(0, "explore-web")
        if not self.persona.can_use("web"):
            raise ScriptError(f"persona {self.persona.id} cannot use the web in its situation "
                              f"({'; '.join(self.persona.situation) or 'web not among its channels'}). "
                              "Fix: explore with a persona who can use the web")
        self.phrases = phrases
        self.map = ExploreMap(kind="web", target=self.start, mode=mode, goal=goal,
                              bounds={"max_pages": max_pages, "max_depth": max_depth, "within": self.within})
        self.pages: dict[str, _Page] = {}        # final URL -> page
        self.aliases: dict[str, str] = {}        # requested URL -> final URL
        self.ends: Counter[str] = Counter()
        self.found: dict[tuple[str, str], Finding] = {}
        self.skipped: Counter[str] = Counter()
        self.all_link_words: set[str] = set()
        self.start_links: list[str] = []
        self.frontier_left = 0
        self.parents: dict[str, str | None] = {}
        self.frictions_at: dict[str, list[Friction]] = {}

    # -- scope -----------------------------------------------------------------------------------
    def in_scope(self, url: str) -> bool:
        """Same scheme, host and port as the start page, and under `within`."""
        return _origin(url) == self.origin and (urlsplit(url).path or "/").startswith(self.within)

    def score(self, text: str) -> int:
        """How many of the goal's words a link's text holds."""
        return len(self.wants & goal_words(text))

    # -- the walk --------------------------------------------------------------------------------
    def run(self, page_factory: Callable[[], Any]) -> ExploreMap:
        parts = urlsplit(self.start)
        base = f"{parts.scheme}://{parts.netloc}"
        customer = Customer(self.persona, None, Target(base_url=base, page_factory=page_factory,
                                                       allowed_hosts=frozenset({parts.netloc})),
                            phrases=self.phrases, patience_minutes=24 * 60)
        try:
            web = customer.web
            frontier: list[_Todo] = [_Todo((0, 0, 0), self.start, None, "", 0, [])]
            queued = {self.start}
            seq = 0
            while frontier and len(self.pages) < self.max_pages:
                todo = heapq.heappop(frontier)
                page = self._visit(customer, web, todo)
                if page is None or page.node.end is not None:
                    continue
                if todo.depth >= self.max_depth:
                    if any(u not in queued and u not in self.aliases for _, u in page.links):
                        page.node.end = "bounded"
                        self.ends["bounded"] += 1
                    continue
                for text, url, form in [(t, u, None) for t, u in page.links] + page.sends:
                    key = url if form is None else form.key  # the same lookup from two pages is sent once
                    if key in queued or url in self.aliases and form is None:
                        continue
                    queued.add(key)
                    seq += 1
                    heapq.heappush(frontier, _Todo((-self.score(text), todo.depth + 1, seq), url, page.node.id,
                                                   text, todo.depth + 1, todo.path + [text], form))
            self.frontier_left = len(frontier)
            customer.finish()
            self._copy_friction(customer)
        finally:
            customer.close()
        self._edges()
        self._goal_findings()
        self._paths()
        self._stats()
        return self.map

    def _visit(self, customer: Customer, web: Any, todo: _Todo) -> _Page | None:
        """Open one page, record it as a node and read its links; None if it is a page seen already."""
        first_step = len(customer.steps)
        customer.journal.given.clear()  # each place is reached by its own customer's path: nothing was given yet
        error = None
        try:
            web.goto(todo.url)
            if todo.form is not None:
                send_form(web, todo.form)
            final = urldefrag(web.url)[0]
        except (PlaywrightError, SimsuiteError) as exc:
            if todo.depth == 0 and isinstance(exc, SiteUnreachable):
                raise
            error = (str(exc).splitlines() or [exc.__class__.__name__])[0][:300]
            final = todo.url
        if todo.form is not None:  # what sending a form shows is its own place, even at the same address
            final = f"{final}#after-{todo.form.index}"
        else:
            self.aliases[todo.url] = final
        if final in self.pages and final != todo.url:
            if todo.parent is not None:
                self.map.edges.append(MapEdge(todo.parent, self.pages[final].node.id, todo.link))
            return None
        node_id = customer.journal.rewrite_url(final.split("#after-")[0]) or final
        if todo.form is not None:
            node_id = f"{node_id} (after {todo.form.label})"
            if todo.parent is not None:
                self.map.edges.append(MapEdge(todo.parent, node_id, todo.link))
        parent = self.map.node(todo.parent) if todo.parent else None
        sim = 0.0 if parent is None else parent.sim_seconds + CLICK_SECONDS + \
            min(MAX_READING_SECONDS, self.pages_by_id(parent.id).words / READING_WORDS_PER_SECOND)
        node = MapNode(id=node_id, label=node_id, kind="page", depth=todo.depth, sim_seconds=round(sim, 1),
                       path=list(todo.path))
        page = _Page(node, final, [])
        self.pages[final] = page
        self.parents[node.id] = todo.parent
        self.map.nodes.append(node)
        for step in customer.steps[first_step:]:
            step.data.setdefault("explore_path", list(todo.path))
        steps = [s for s in customer.steps[first_step:] if s.action == "page"]
        if error is not None or not steps:
            node.end, node.evidence = "error", error or "the page did not load"
            self.ends["error"] += 1
            self._finding("error", f"page could not be loaded: {node.evidence}", node.evidence, todo.path,
                          node.id)
            return page
        step = steps[-1]
        text = step.text
        page.words = len(text.split())
        node.label = (step.data.get("title") or node_id)[:200]
        try:
            raw = web.page.evaluate(_LINKS_JS)
        except PlaywrightError:
            raw = []
        page.links = self._links(raw, final, is_start=todo.depth == 0)
        if self.forms != "none":
            page.sends = self._sends(customer, web, final)
        node.end = self._end_of(customer, step, text, is_start=todo.depth == 0)
        link_texts = {str(link.get("text") or "").strip() for link in raw}
        node.evidence = self._evidence(customer, text, node.end, link_texts)
        if node.end:
            self.ends[node.end] += 1
        return page

    def _links(self, raw: list[dict[str, Any]], final: str, *, is_start: bool) -> list[tuple[str, str]]:
        """The page's links the explorer may follow (same origin, in scope), each once, in page order."""
        links: list[tuple[str, str]] = []
        seen: set[str] = set()
        for link in raw:
            text_, href = str(link.get("text") or "").strip(), urldefrag(str(link.get("href") or ""))[0]
            scheme = urlsplit(href).scheme.lower()
            if scheme not in ("http", "https"):
                self.skipped[f"{scheme or 'no'}_links"] += 1
                continue
            if text_:
                self.all_link_words |= goal_words(text_)
            if is_start and text_ and text_ not in self.start_links:
                self.start_links.append(text_)
            if _origin(href) != self.origin:
                self.skipped["other_host_links"] += 1
            elif not self.in_scope(href):
                self.skipped["out_of_scope_links"] += 1
            elif href not in seen and href != final:
                seen.add(href)
                links.append((text_ or href, href))
        return links

    def _sends(self, customer: Customer, web: Any, url: str) -> list[tuple[str, str, FormPlan | None]]:
        """The forms on the page the customer can fill, as places to go from this page: GET forms, and POST
        forms only with forms="all". Each is sent in the browser, so what comes back is judged."""
        try:
            raw = web.page.evaluate(FORMS_JS)
        except PlaywrightError:
            return []
        sends: list[tuple[str, str, FormPlan | None]] = []
        for plan in plan_forms(raw, url, self.persona, customer.phrases, self.goal):
            if plan.lacking:
                self.skipped["forms_lacking_facts"] += 1
            elif plan.method == "get" and self.in_scope(plan.get_url()):
                sends.append((plan.label, url, plan))  # sent in the browser, so what comes back is judged
            elif plan.method == "post" and self.forms == "all" and _origin(plan.action) == self.origin:
                sends.append((plan.label, url, plan))
            elif plan.method == "post":
                self.skipped["post_forms_not_sent"] += 1
        return sends

    def pages_by_id(self, node_id: str) -> _Page:
        return next(p for p in self.pages.values() if p.node.id == node_id)

    def _end_of(self, customer: Customer, step: Any, text: str, *, is_start: bool) -> str | None:
        if step.status is not None and step.status >= 400:
            return "dead_end"
        done = resolution_in(text, self.resolution)
        if done:
            step.data["resolved"] = done
            return "resolved"
        if is_start:
            return None
        if any(ch != "web" for ch, _ in customer.phrases.channel_demands_in(text)):
            return "elsewhere"
        if customer.phrases.dead_ends_in(text):
            return "dead_end"
        return None

    def _evidence(self, customer: Customer, text: str, end: str | None, links: set[str]) -> str:
        """The words that show why the page matters: why its path ends there, else the sentence that best
        matches the goal (link texts aside: a link is not an answer), else its first real sentence."""
        said = [s for s in sentences(text) if s not in links]
        if end == "resolved":
            return (resolution_in(text, self.resolution) or "")[:500]
        if end == "elsewhere":
            return next(s for ch, s in customer.phrases.channel_demands_in(text) if ch != "web")[:500]
        if end == "dead_end" and customer.phrases.dead_ends_in(text):
            return customer.phrases.dead_ends_in(text)[0][:500]
        best, best_key = "", (0, 0)
        for sentence in said:
            key = (self.score(sentence), min(len(sentence.split()), 30))
            if key[0] and key > best_key:
                best, best_key = sentence, key
        fallback = next((s for s in said if len(s.split()) >= 3), said[0] if said else "")
        return (best or fallback)[:500]

    # -- the map ---------------------------------------------------------------------------------
    def _finding(self, kind: str, title: str, evidence: str, path: list[str], node: str | None) -> None:
        key = (kind, evidence)
        if key not in self.found:
            self.found[key] = Finding(kind=kind, title=title, evidence=evidence, path=list(path), node=node)
            self.map.findings.append(self.found[key])

    def _copy_friction(self, customer: Customer) -> None:
        by_id = {p.node.id: p for p in self.pages.values()}
        for friction in customer.frictions:
            step = customer.steps[friction.step]
            page = by_id.get(urldefrag(step.url or "")[0])
            path = step.data.get("explore_path", page.node.path if page else [])
            if page is not None:
                self.frictions_at.setdefault(page.node.id, []).append(friction)
            self._finding(friction.kind.value, f"{friction.kind.label}: {friction.detail or friction.evidence}",
                          friction.evidence, path, page.node.id if page else None)

    def _edges(self) -> None:
        ids = {url: p.node.id for url, p in self.pages.items()}
        ids.update({asked: ids[final] for asked, final in self.aliases.items() if final in ids})
        have = {(e.source, e.target) for e in self.map.edges}
        for page in self.pages.values():
            for text, url in page.links:
                target = ids.get(url)
                if target is None or target == page.node.id or (page.node.id, target) in have:
                    continue
                have.add((page.node.id, target))
                end = self.map.node(target).end  # type: ignore[union-attr]
                outcome = "error" if end == "error" or (end == "dead_end" and self._http_error(target)) else "ok"
                self.map.edges.append(MapEdge(page.node.id, target, text, outcome=outcome))

    def _http_error(self, node_id: str) -> bool:
        return any(f.kind == FrictionKind.DEAD_END.value and f.node == node_id and f.evidence.startswith("HTTP ")
                   for f in self.map.findings)

    def _goal_findings(self) -> None:
        nodes = [p.node for p in self.pages.values() if p.node.end != "error"]
        resolved = [n for n in nodes if n.end == "resolved"]
        matching = [n for n in nodes if self.wants and self.wants <= (goal_words(n.evidence) | goal_words(n.label))]
        scored = sorted((n for n in nodes if self.score(n.evidence) or self.score(n.label)),
                        key=lambda n: (-max(self.score(n.evidence), self.score(n.label)), n.depth))
        best, how = None, ""
        if resolved:
            best, how = min(resolved, key=lambda n: n.depth), "resolves the goal"
        elif matching:
            best, how = min(matching, key=lambda n: n.depth), "matches every word of the goal, without resolving it"
        elif scored:
            best, how = scored[0], "matches part of the goal"
        self.map.stats["goal_reached"] = bool(resolved)
        if best is not None:
            self.map.stats["best_path"] = {"path": best.path, "depth": best.depth, "node": best.id, "how": how}
            shown = " > ".join(best.path) or "(the start page)"
            self._finding("best_path", f"best path toward '{self.goal}' ({how}), {best.depth} click(s): {shown}",
                          best.evidence or best.label, best.path, best.id)
        else:
            self.map.stats["best_path"] = None
            self._finding("goal_not_found", f"no page explored matches '{self.goal}'",
                          "; ".join(self.start_links) or "the start page has no links", [], None)
        if not resolved:
            missing = sorted(w for w in self.wants if w not in self.all_link_words)
            for word in missing:
                evidence = "; ".join(self.start_links) or "the start page has no links"
                self._finding("missing_option", f"no link for '{word}' (from the goal '{self.goal}')",
                              evidence if len(missing) == 1 else f"{evidence} [no link for '{word}']", [],
                              self.map.nodes[0].id if self.map.nodes else None)

    def _paths(self) -> None:
        """Each path that ends, with the Kafkaesque index of the friction on the pages along it."""
        paths = []
        for node in self.map.nodes:
            if node.end is None:
                continue
            index = None
            if node.end not in ("bounded", "error"):
                frictions, at = [], node.id
                while at is not None:
                    frictions.extend(self.frictions_at.get(at, []))
                    at = self.parents.get(at)
                outcome = Outcome.RESOLVED if node.end == "resolved" else Outcome.UNRESOLVED
                index, _ = kafkaesque_index(outcome, frictions, IndexWeights())
            paths.append({"keys": list(node.path), "end": node.end, "node": node.id, "index": index,
                          "sim_seconds": node.sim_seconds})
        self.map.stats["paths"] = paths
        for finding in self.map.findings:
            finding.index = next((p["index"] for p in paths if p["index"] is not None
                                  and p["keys"][:len(finding.path)] == finding.path), None)

    def _stats(self) -> None:
        self.map.stats.update({
            "pages": len(self.pages),
            "nodes": len(self.map.nodes),
            "edges": len(self.map.edges),
            "ends": dict(sorted(self.ends.items())),
            "max_depth_reached": max((n.depth for n in self.map.nodes), default=0),
            "links_skipped": {k: v for k, v in sorted(self.skipped.items()) if v},
            "frontier_left": self.frontier_left,
            "persona": self.persona.id,
        })


def explore_web(
    start_url: str,
    goal: str,
    *,
    mode: str | None = None,
    max_pages: int = 40,
    max_depth: int = 4,
    page_factory: Callable[[], Any] | None = None,
    within: str | None = None,
    resolution: Sequence[str] = RESOLUTION_WORDS,
    persona: Persona | None = None,
    phrases: Phrases | None = None,
    forms: str = "get",
) -> ExploreMap:
    """Explore a help centre from `start_url` toward `goal` (plain words) and return its map (kind "web").

    Pages are visited best-first by how many goal words a link's text holds, then breadth-first, only on
    the start page's scheme, host and port and under `within` (default: the start page's folder, e.g.
    "/telecom/"; pass "/" for the whole host), at most `max_pages` pages and `max_depth` clicks deep.
    `page_factory` makes the Playwright page to use (default: simsuite's `BrowserPool`, whose browser
    context cannot reach any other host); a page from elsewhere is guarded by the web channel's route.
    `forms` says which forms it fills with the persona's facts and sends (`FORM_MODES`): GET forms by
    default; POST forms only with "all", since sending them creates real records.
    """
    explorer = _WebExplorer(start_url, goal, mode=mode, max_pages=max_pages, max_depth=max_depth, within=within,
                            resolution=resolution, persona=persona, phrases=phrases, forms=forms)
    if page_factory is not None:
        return explorer.run(page_factory)
    with ExitStack() as stack:
        pool = BrowserPool(stack)
        return explorer.run(pool.page_factory(frozenset({urlsplit(explorer.start).netloc})))

"""Scenarios: YAML files in scenarios/ that say what went wrong, who the customer is, and the budget."""

from __future__ import annotations

import os

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ScenarioError, SimsuiteError
from ..model import FrictionKind
from .detectors import DETECTORS
from .files import BadYaml, NotUtf8, compose_yaml, read_text
from .index import DEFAULT_WEIGHTS
from .personas import CHANNELS, FACTS, Persona, make_persona

TOP_KEYS = {"name", "company", "situation", "goal", "persona", "journeys", "budget", "patience_minutes", "weights",
            "detectors", "time_limit_seconds"}
PERSONA_KEYS = {"count", "locale", "channels", "knows", "situation", "facts", "credentials"}
BUDGET_KEYS = {"max_index", "forbid"}
DETECTOR_KEYS = {"disable"}
KINDS = [k.value for k in FrictionKind]


@dataclass(frozen=True)
class Budget:
    """The friction a journey may cost before it fails: a maximum index and kinds that must not occur."""

    max_index: float | None = None
    forbid: tuple[str, ...] = ()

    def violations(self, index: float | None, frictions: list[Any]) -> list[str]:
        """Why a journey exceeds this budget, each with the evidence; empty if within it."""
        found = []
        if self.max_index is not None and index is not None and index > self.max_index:
            found.append(f"Kafkaesque index {index:g} exceeds the budget of {self.max_index:g}")
        for f in frictions:
            if f.kind.value in self.forbid:
                found.append(f"forbidden {f.kind.label} at step {f.step} ({f.channel}): \"{f.evidence}\"")
        return found

    def to_dict(self) -> dict[str, Any]:
        return {"max_index": self.max_index, "forbid": list(self.forbid)}


@dataclass(frozen=True)
class Scenario:
    """What went wrong, who the customer is, the goal, which journeys to run, and the budget."""

    name: str
    goal: str
    journeys: tuple[str, ...]
    situation: str = ""
    company: str = ""
    channels: tuple[str, ...] = CHANNELS
    knows: tuple[str, ...] = FACTS
    persona_situation: tuple[str, ...] = ()
    locale: str = "en_US"
    count: int = 1
    budget: Budget = field(default_factory=Budget)
    patience_minutes: float = 120.0
    weights: dict[str, float] = field(default_factory=dict)
    time_limit_seconds: float | None = None          # wall-clock limit of each journey (None: the run's)
    disabled_detectors: tuple[str, ...] = ()
    path: str = ""
    facts: tuple[tuple[str, str], ...] = ()           # facts of the site's own (an order number), with values
    credentials: tuple[tuple[str, str, str], ...] = ()  # (fact, value, environment variable): secret facts

    def personas(self, seed: int) -> list[Persona]:
        """This scenario's customers for a seed: the same seed gives the same customers."""
        secrets = self.secret_facts()
        return [make_persona(seed, self.name, i, channels=self.channels, knows=self.knows, locale=self.locale,
                             situation=self.persona_situation).with_facts(dict(self.facts))
                .with_facts(secrets, secret=True) for i in range(self.count)]

    def secret_facts(self) -> dict[str, str]:
        """The credentials' values, read from the environment where the scenario says so."""
        values = {}
        for fact, value, env in self.credentials:
            if env:
                if not os.environ.get(env):
                    raise SimsuiteError(f"{self.path or self.name}: credentials.{fact} comes from the environment "
                                        f"variable {env}, which is not set. Fix: export {env}=... before the run")
                value = os.environ[env]
            values[fact] = value
        return values


def default_scenario(journey: str) -> Scenario:
    """A scenario for a journey no scenario names: one customer with every channel and fact."""
    return Scenario(name=f"{journey}-default", goal=f"complete {journey}", journeys=(journey,))


class _Doc:
    """A YAML mapping with the line of every key, to point errors at the right line."""

    def __init__(self, path: str, node: yaml.Node) -> None:
        self.path = path
        self.node = node

    def fail(self, node: yaml.Node | None, problem: str, fix: str) -> ScenarioError:
        line = node.start_mark.line + 1 if node is not None else None
        return ScenarioError(self.path, line, problem, fix)

    def mapping(self, node: yaml.Node, what: str, allowed: set[str]) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping of keys to values", f"write {what} as `key: value` lines")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, f"a key in {what} is a list or mapping", "write plain `key: value` lines")
            key = str(key_node.value)
            if key not in allowed:
                raise self.fail(key_node, f"unknown key {key!r} in {what}",
                                f"use one of: {', '.join(sorted(allowed))}")
            if key in out:
                raise self.fail(key_node, f"key {key!r} appears twice in {what}", "keep one of them")
            out[key] = (key_node, value_node)
        return out

    def value(self, node: yaml.Node) -> Any:
        try:
            return yaml.safe_load(yaml.serialize(node))
        except (yaml.YAMLError, ValueError, TypeError) as exc:  # an explicit tag that does not fit: !!int abc
            raise self.fail(node, f"holds a value YAML cannot read ({exc})", "remove the !!tag or fix the value") \
                from None

    def text(self, entry: tuple[yaml.Node, yaml.Node] | None, name: str, default: str = "") -> str:
        if entry is None:
            return default
        node = entry[1]
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{name} must be text", f"write {name}: some words")
        if node.tag.endswith((":null", ":bool")):
            raise self.fail(node, f"{name} is {node.value or 'empty'!r}, not text",
                            f"write {name}: some words (in quotes if they are true, false, yes, no or null)")
        return str(node.value)

    def number(self, entry, name: str, low: float, high: float, default: Any, whole: bool = False) -> Any:
        if entry is None:
            return default
        value = self.value(entry[1])
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) or \
                not low <= value <= high:
            shown = repr(value)[:60] if isinstance(value, (str, int, float, type(None))) else \
                f"a {type(value).__name__}"
            raise self.fail(entry[1], f"{name} is {shown}",
                            f"make {name} a {'whole ' if whole else ''}number from {low:g} to {high:g}")
        return value

    def names(self, entry, name: str, allowed: list[str] | tuple[str, ...] | None,
              noun: str = "name") -> tuple[str, ...] | None:
        if entry is None:
            return None
        node = entry[1]
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{name} must be a list", f"write {name}: [a, b]")
        out = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip() or \
                    item.tag.endswith((":null", ":bool")):
                raise self.fail(item, f"{name} holds something that is not a name", "list plain names")
            value = str(item.value).strip()
            if allowed is not None and value not in allowed:
                raise self.fail(item, f"{value!r} is not a known {noun}",
                                f"use one of: {', '.join(allowed)}")
            out.append(value)
        return tuple(out)


def load_scenario(path: str | Path) -> Scenario:
    """Read and check one scenario file; a broken file raises ScenarioError naming file, line and fix."""
    p = Path(path)
    try:
        source = read_text(p)
    except OSError as exc:
        raise ScenarioError(str(p), None, f"cannot be read ({exc.strerror})", "check the path") from None
    except NotUtf8 as exc:
        raise ScenarioError(str(p), exc.line, f"is not UTF-8 text (byte 0x{exc.byte:02x})", exc.fix) from None
    try:
        root = compose_yaml(source)
    except BadYaml as exc:
        raise ScenarioError(str(p), exc.line, exc.problem, exc.fix) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioError(str(p), mark.line + 1 if mark else None,
                            f"is not valid YAML: {getattr(exc, 'problem', exc)}",
                            "check indentation and that every `key: value` has a space after the colon") from None
    if root is None:
        raise ScenarioError(str(p), None, "is empty", "add at least `goal:` and `journeys:`")
    doc = _Doc(str(p), root)
    top = doc.mapping(root, "the scenario", TOP_KEYS)
    for required in ("goal", "journeys"):
        if required not in top:
            raise doc.fail(root, f"the scenario has no `{required}`", f"add `{required}:` at the top level")
    if not doc.text(top["goal"], "goal").strip():
        raise doc.fail(top["goal"][1], "goal is empty", "write goal: what the customer wants done, in words")
    journeys = doc.names(top["journeys"], "journeys", None) or ()
    if not journeys:
        raise doc.fail(top["journeys"][1], "journeys is empty", "name at least one journey from journeys/")
    persona: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    if "persona" in top:
        persona = doc.mapping(top["persona"][1], "persona", PERSONA_KEYS)
    budget: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    if "budget" in top:
        budget = doc.mapping(top["budget"][1], "budget", BUDGET_KEYS)
    weights: dict[str, float] = {}
    if "weights" in top:
        for key, (key_node, value_node) in doc.mapping(top["weights"][1], "weights", set(DEFAULT_WEIGHTS)).items():
            weights[key] = doc.number((key_node, value_node), f"weight {key}", 0, 0.99, None)
    locale = doc.text(persona.get("locale"), "locale", "en_US")
    try:
        from faker import Faker

        Faker(locale)
    except AttributeError:
        raise doc.fail(persona["locale"][1], f"unknown Faker locale {locale!r}", "use a locale such as en_US or de_DE") \
            from None
    situation = doc.names(persona.get("situation"), "situation", None) if "situation" in persona else ()
    disabled: tuple[str, ...] = ()
    if "detectors" in top:
        switches = doc.mapping(top["detectors"][1], "detectors", DETECTOR_KEYS)
        disabled = doc.names(switches.get("disable"), "detectors.disable", DETECTORS.names(), "detector") or ()
    return Scenario(
        name=doc.text(top.get("name"), "name", p.stem) or p.stem,
        company=doc.text(top.get("company"), "company"),
        situation=doc.text(top.get("situation"), "situation"),
        goal=doc.text(top["goal"], "goal"),
        journeys=journeys,
        channels=doc.names(persona.get("channels"), "channels", CHANNELS, "channel") or
        (() if "channels" in persona else CHANNELS),
        knows=doc.names(persona.get("knows"), "knows", FACTS, "fact") or (() if "knows" in persona else FACTS),
        persona_situation=situation or (),
        locale=locale,
        count=doc.number(persona.get("count"), "count", 1, 1000, 1, whole=True),
        budget=Budget(
            max_index=doc.number(budget.get("max_index"), "max_index", 0, 100, None),
            forbid=doc.names(budget.get("forbid"), "forbid", KINDS, "friction kind") or (),
        ),
        patience_minutes=float(doc.number(top.get("patience_minutes"), "patience_minutes", 1, 24 * 60, 120)),
        weights=weights,
        time_limit_seconds=doc.number(top.get("time_limit_seconds"), "time_limit_seconds", 1, 24 * 3600, None),
        disabled_detectors=disabled,
        path=str(p),
        facts=_facts(doc, persona.get("facts")),
        credentials=_credentials(doc, persona.get("credentials")),
    )


def _facts(doc: _Doc, entry: tuple[yaml.Node, yaml.Node] | None) -> tuple[tuple[str, str], ...]:
    if entry is None:
        return ()
    out = []
    for name, (key_node, value_node) in doc.mapping(entry[1], "facts", _AnyKey()).items():
        if not isinstance(value_node, yaml.ScalarNode) or value_node.value in ("", None) or \
                value_node.tag.endswith(":null"):
            raise doc.fail(value_node, f"facts.{name} must be a value", f"write {name}: the value the customer types")
        out.append((name, str(value_node.value)))
    return tuple(out)


def _credentials(doc: _Doc, entry: tuple[yaml.Node, yaml.Node] | None) -> tuple[tuple[str, str, str], ...]:
    if entry is None:
        return ()
    out = []
    for name, (key_node, value_node) in doc.mapping(entry[1], "credentials", _AnyKey()).items():
        if isinstance(value_node, yaml.ScalarNode) and str(value_node.value):
            out.append((name, str(value_node.value), ""))
            continue
        env = doc.mapping(value_node, f"credentials.{name}", {"env"}).get("env") \
            if isinstance(value_node, yaml.MappingNode) else None
        if env is None or not isinstance(env[1], yaml.ScalarNode) or not str(env[1].value):
            raise doc.fail(value_node, f"credentials.{name} is neither a value nor {{env: VARIABLE}}",
                           f"write {name}: {{env: MY_SITE_PASSWORD}} and export the variable before the run")
        out.append((name, "", str(env[1].value)))
    return tuple(out)


class _AnyKey(set):
    """Every key is allowed (the names of a site's own facts)."""

    def __contains__(self, key: object) -> bool:
        return True


def load_scenarios(paths: list[str | Path]) -> list[Scenario]:
    """Every scenario in the given files and folders (*.yaml, *.yml), sorted by name; names must be unique."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted([*path.glob("*.yaml"), *path.glob("*.yml")]))
        elif path.exists():
            files.append(path)
        else:
            raise ScenarioError(str(path), None, "does not exist", "check the path to the scenario file or folder")
    scenarios = [load_scenario(f) for f in files]
    seen: dict[str, str] = {}
    for s in scenarios:
        if s.name in seen:
            raise ScenarioError(s.path, None, f"the name {s.name!r} is also used by {seen[s.name]}",
                                "give each scenario its own `name:`")
        seen[s.name] = s.path
    return sorted(scenarios, key=lambda s: s.name)

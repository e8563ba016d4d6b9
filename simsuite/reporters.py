"""Reporters and their registry: each turns a results document into a file in the output folder.

Every registered reporter runs after a run unless the run names the ones it wants (`--reporter`).
Add one with `@simsuite.register_reporter` on a class (made with no arguments) or an instance that has a
`name` and a `write(doc, out_dir) -> Path | None` method; or from a package's `simsuite.plugins` entry point.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Protocol, TypeVar, runtime_checkable
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from .core.registry import Registry
from .report.html import render_html
from .results import RESULTS_FILE, write_json_atomic

JUNIT_FILE = "junit.xml"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@runtime_checkable
class Reporter(Protocol):
    """Writes one kind of report from a results document; returns the file written, or None."""

    name: str

    def write(self, doc: dict[str, Any], out_dir: Path) -> Path | None: ...


REPORTERS: Registry[Reporter] = Registry(
    "reporter", how_to_add="Add one with @simsuite.register_reporter (a `name` and a `write(doc, out_dir)` method).")

R = TypeVar("R")


def register_reporter(reporter: R) -> R:
    """Register a reporter instance, or a class (made with no arguments), by its `name`.

    Usable as a class decorator; a later reporter with the same name replaces the earlier one.
    """
    instance = reporter() if isinstance(reporter, type) else reporter
    name = getattr(instance, "name", None)
    if not isinstance(name, str) or not name or not callable(getattr(instance, "write", None)):
        raise TypeError(f"{reporter!r} is not a reporter: it needs a `name` string and a `write(doc, out_dir)` method")
    REPORTERS.register(name, instance)
    return reporter


def reporters() -> list[Reporter]:
    """The registered reporters, in registration order."""
    return list(REPORTERS)


def write_reports(doc: dict[str, Any], out_dir: Path, names: Iterable[str] | None = None) -> list[Path]:
    """Run the named reporters (every registered one if None) on `doc`; returns the files they wrote."""
    if names is None:
        chosen = reporters()
    else:
        names = list(names)
        REPORTERS.check(names)
        chosen = [REPORTERS.get(n) for n in names]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for reporter in chosen:
        path = reporter.write(doc, out_dir)
        if path is not None:
            written.append(Path(path))
    return written


@register_reporter
class JsonReporter:
    """results.json, written atomically."""

    name = "json"

    def write(self, doc: dict[str, Any], out_dir: Path) -> Path | None:
        return write_json_atomic(Path(out_dir) / RESULTS_FILE, doc)


@register_reporter
class HtmlReporter:
    """report.html: one self-contained page for an executive, details one click away."""

    name = "html"

    def write(self, doc: dict[str, Any], out_dir: Path) -> Path | None:
        return render_html(doc, Path(out_dir))


@register_reporter
class JunitReporter:
    """junit.xml: one test case per journey, for CI systems; over budget is a failure, could not run an error."""

    name = "junit"

    def write(self, doc: dict[str, Any], out_dir: Path) -> Path | None:
        journeys = [j for j in doc.get("journeys") or () if isinstance(j, dict)]
        suite = Element("testsuite", name="simsuite", tests=str(len(journeys)),
                        failures=str(sum(1 for j in journeys if _failed(j))),
                        errors=str(sum(1 for j in journeys if j.get("outcome") == "error")),
                        time=f"{sum(float(j.get('wall_seconds') or 0) for j in journeys):.3f}")
        if (doc.get("run") or {}).get("started"):
            suite.set("timestamp", str(doc["run"]["started"]))
        for j in journeys:
            _testcase(suite, j)
        indent(suite)
        path = Path(out_dir) / JUNIT_FILE
        path.write_bytes(b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(suite, encoding="utf-8") + b"\n")
        return path


def _xml(text: Any) -> str:
    """Text a site sent, without the control characters XML 1.0 cannot carry."""
    return _CONTROL.sub("", str(text))


def _failed(j: dict[str, Any]) -> bool:
    return j.get("outcome") != "error" and bool(j.get("budget_violations"))


def _testcase(suite: Element, j: dict[str, Any]) -> None:
    persona = (j.get("persona") or {}).get("id", "")
    case = SubElement(suite, "testcase", classname=_xml(f"simsuite.{j.get('scenario', '')}"),
                      name=_xml(f"{j.get('journey', '')}[{j.get('mode') or 'target'}-{persona}]"),
                      time=f"{float(j.get('wall_seconds') or 0):.3f}")
    props = SubElement(case, "properties")
    for key in ("index", "outcome", "mode", "simulated_minutes"):
        SubElement(props, "property", name=f"simsuite_{key}", value="" if j.get(key) is None else _xml(j.get(key)))
    if j.get("outcome") == "error":
        SubElement(case, "error", message=_xml(j.get("error") or "the journey could not run")).text = \
            _xml(j.get("outcome_detail") or "")
    elif _failed(j):
        failure = SubElement(case, "failure", message=_xml("; ".join(j.get("budget_violations") or ())))
        failure.text = _xml("\n".join(f"step {f.get('step')} {f.get('channel')} {f.get('kind')}: \"{f.get('evidence')}\""
                                      for f in j.get("frictions") or ()))
    lines = [f"index {j.get('index')} ({j.get('outcome')}: {j.get('outcome_detail')})"]
    lines += [f"- {f.get('kind')} at step {f.get('step')} ({f.get('channel')}): \"{f.get('evidence')}\""
              for f in j.get("frictions") or ()]
    SubElement(case, "system-out").text = _xml("\n".join(lines))

"""A small registry of reporters: each turns a results document into a file in the output folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from .results import RESULTS_FILE, write_json_atomic


@runtime_checkable
class Reporter(Protocol):
    """Writes one kind of report from a results document; returns the file written, or None."""

    name: str

    def write(self, doc: dict[str, Any], out_dir: Path) -> Path | None: ...


_REGISTRY: dict[str, Reporter] = {}

R = TypeVar("R")


def register_reporter(reporter: R) -> R:
    """Register a reporter instance, or a class (instantiated with no arguments), by its `name`.

    Usable as a class decorator; a later reporter with the same name replaces the earlier one.
    """
    instance = reporter() if isinstance(reporter, type) else reporter
    name = getattr(instance, "name", None)
    if not isinstance(name, str) or not name or not callable(getattr(instance, "write", None)):
        raise TypeError(f"{reporter!r} is not a reporter: it needs a `name` string and a `write(doc, out_dir)` method")
    _REGISTRY[name] = instance
    return reporter


def reporters() -> list[Reporter]:
    """The registered reporters, in registration order."""
    return list(_REGISTRY.values())


def write_reports(doc: dict[str, Any], out_dir: Path, names: list[str] | None = None) -> list[Path]:
    """Run the named reporters (all if None) on `doc`; returns the files they wrote."""
    if names is None:
        chosen = reporters()
    else:
        unknown = [n for n in names if n not in _REGISTRY]
        if unknown:
            raise ValueError(f"unknown reporter(s) {unknown}; known: {sorted(_REGISTRY)}")
        chosen = [_REGISTRY[n] for n in names]
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
        from .report.html import render_html

        return render_html(doc, Path(out_dir))

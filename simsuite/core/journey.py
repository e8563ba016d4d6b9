"""Journey scripts: plain functions marked with @journey, found in the files of journeys/."""

from __future__ import annotations

import importlib.util
import inspect
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import JourneyNotFound, ScriptError

JourneyFunction = Callable[..., None]
MARK = "__simsuite_journey__"


@dataclass(frozen=True)
class JourneySpec:
    """A journey: its name, the script function and where it was defined."""

    name: str
    function: JourneyFunction
    description: str
    path: str


def journey(fn: JourneyFunction | None = None, *, name: str | None = None) -> Callable:
    """Mark a function `f(customer)` as a journey. Use as `@journey` or `@journey(name="...")`."""

    def mark(f: JourneyFunction) -> JourneyFunction:
        if not callable(f):
            raise ScriptError("@journey goes on a function that takes the customer")
        params = [p for p in inspect.signature(f).parameters.values()
                  if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if len(params) != 1:
            raise ScriptError(f"journey {f.__name__} in {inspect.getsourcefile(f)} must take exactly one "
                              f"argument, the customer (it takes {len(params)})")
        spec = JourneySpec(name or f.__name__, f, inspect.getdoc(f) or "", inspect.getsourcefile(f) or "")
        setattr(f, MARK, spec)
        return f

    return mark(fn) if fn is not None else mark


def journeys_in_module(module: object) -> list[JourneySpec]:
    """Every journey a module defines."""
    return [getattr(v, MARK) for v in vars(module).values() if callable(v) and hasattr(v, MARK)]


def load_journey_file(path: Path) -> list[JourneySpec]:
    """Import one journey script and return its journeys."""
    name = "simsuite_journeys." + path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise JourneyNotFound(f"{path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    folder = str(path.resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)  # journey scripts may share helpers from their own folder
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise ScriptError(f"{path}:{exc.lineno}: syntax error in journey script: {exc.msg}") from None
    return journeys_in_module(module)


def load_journeys(paths: list[str | Path]) -> dict[str, JourneySpec]:
    """Every journey in the given files and folders, by name; two journeys may not share a name."""
    found: dict[str, JourneySpec] = {}
    for path in map(Path, paths):
        if not path.exists():
            raise JourneyNotFound(f"{path} does not exist. Fix: give a journey file or the journeys/ folder")
        files = sorted(path.glob("*.py")) if path.is_dir() else [path]
        for file in files:
            if file.name.startswith("_"):
                continue
            for spec in load_journey_file(file):
                if spec.name in found and found[spec.name].path != spec.path:
                    raise ScriptError(f"two journeys are named {spec.name!r}: {found[spec.name].path} and "
                                      f"{spec.path}. Fix: rename one or pass @journey(name=...)")
                found[spec.name] = spec
    return found

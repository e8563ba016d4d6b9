"""Journey scripts: plain functions marked with @journey, found in the files of journeys/."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import sys
import traceback
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
            raise ScriptError(f"@journey goes on a function that takes the customer, not on {f!r}. "
                              "Fix: put @journey on the line above `def name(customer):`")
        params = [p for p in inspect.signature(f).parameters.values()
                  if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if len(params) != 1:
            raise ScriptError(f"journey {f.__name__} in {inspect.getsourcefile(f)} must take exactly one "
                              f"argument, the customer (it takes {len(params)}). Fix: def {f.__name__}(customer):")
        spec = JourneySpec(name or f.__name__, f, inspect.getdoc(f) or "", inspect.getsourcefile(f) or "")
        setattr(f, MARK, spec)
        return f

    return mark(fn) if fn is not None else mark


def journeys_in_module(module: object) -> list[JourneySpec]:
    """Every journey a module defines."""
    return [getattr(v, MARK) for v in vars(module).values() if callable(v) and hasattr(v, MARK)]


def load_journey_file(path: Path) -> list[JourneySpec]:
    """Import one journey script and return its journeys; ScriptError (file, line, fix) if it cannot be used."""
    path = Path(path)
    name = "simsuite_journeys." + path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise JourneyNotFound(f"{path}: not a Python file. Fix: give a .py journey file or the journeys/ folder")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    folder = str(path.resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)  # journey scripts may share helpers from their own folder
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        sys.modules.pop(name, None)
        where = f"{path}:{exc.lineno}" if exc.lineno else str(path)
        raise ScriptError(f"{where}: syntax error in journey script: {exc.msg}. Fix: correct the Python there "
                          "(and save the file as UTF-8)") from None
    except (Exception, SystemExit) as exc:  # the script's own code failed while it was imported
        sys.modules.pop(name, None)
        line = next((f.lineno for f in reversed(traceback.extract_tb(exc.__traceback__))
                     if Path(f.filename).resolve() == path.resolve()), None)
        where = f"{path}:{line}" if line else str(path)
        if isinstance(exc, ScriptError) and "Fix:" in str(exc):  # @journey used wrongly: say where
            raise ScriptError(f"{where}: {exc}") from None
        fix = (f"install {exc.name!r} or correct the import" if isinstance(exc, ImportError) and exc.name else
               "make the file's top level only import and define; do the work inside the journey function")
        raise ScriptError(f"{where}: the journey script failed while it was loaded "
                          f"({exc.__class__.__name__}: {exc}). Fix: {fix}") from None
    found = journeys_in_module(module)
    _check_journey_names(path, found)
    if not found:
        raise ScriptError(f"{path}: defines no journey. Fix: mark the journey function with @journey "
                          "(from simsuite import journey), or start a helper module's name with _")
    return found


def _check_journey_names(path: Path, found: list[JourneySpec]) -> None:
    """Two journeys of one file may not share a name, nor may one function be defined twice as a journey."""
    names = [s.name for s in found]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ScriptError(f"{path}: two journeys are named {twice[0]!r}. Fix: rename one or pass @journey(name=...)")
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError, OSError):
        return
    seen: dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                any("journey" in ast.unparse(d) for d in node.decorator_list):
            if node.name in seen:
                raise ScriptError(f"{path}:{node.lineno}: the journey {node.name!r} is defined twice (first at "
                                  f"line {seen[node.name]}); the second replaces the first. Fix: rename or "
                                  "remove one of them")
            seen[node.name] = node.lineno


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

"""The architecture holds: dependencies point one way, no import cycles, small modules, a short public API."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import simsuite

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "simsuite"
MAX_MODULE_LINES, MAX_FUNCTION_LINES, MAX_CLASS_LINES = 500, 80, 400


def _modules() -> dict[str, Path]:
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        mods[name.removesuffix(".__init__")] = path
    return mods


def _imports(name: str, path: Path, mods: dict[str, Path]) -> set[str]:
    """Every simsuite module `name` imports, at the top or inside functions; TYPE_CHECKING blocks excepted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)}
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
    return {m for m in found if m in mods and m != name}


def test_import_linter_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout and "KEPT" in done.stdout


def test_no_import_cycles_even_through_imports_inside_functions():
    mods = _modules()
    graph = {name: _imports(name, path, mods) for name, path in mods.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for name in graph:
        if name not in index:
            visit(name)
    assert cycles == []
    assert graph["simsuite.core.journal"] <= {"simsuite.model", "simsuite.errors"}


def test_modules_functions_and_classes_stay_small():
    too_big = []
    for name, path in _modules().items():
        source = path.read_text(encoding="utf-8")
        if (n := sum(1 for line in source.splitlines() if line.strip())) > MAX_MODULE_LINES:
            too_big.append(f"{name}: {n} lines")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            size = (node.end_lineno or node.lineno) - node.lineno + 1
            if isinstance(node, ast.ClassDef) and size > MAX_CLASS_LINES:
                too_big.append(f"{name}.{node.name}: class of {size} lines")
            elif not isinstance(node, ast.ClassDef) and size > MAX_FUNCTION_LINES:
                too_big.append(f"{name}.{node.name}: {size} lines")
    assert too_big == []


def test_the_public_api_is_short_documented_and_importable():
    assert sorted(simsuite.__all__) == sorted([
        "Action", "Actor", "Customer", "Detector", "Friction", "FrictionKind", "IndexWeights", "Journal",
        "JourneyResult", "Outcome", "Persona", "Registry", "RunConfig", "RunReport", "Scenario", "ScenarioError",
        "ScriptError", "SimsuiteError", "SiteUnreachable", "Step", "TargetConfig", "__version__", "band",
        "journey", "kafkaesque_index", "load_scenario", "make_persona", "register_channel", "register_detector",
        "register_reporter", "run",
    ])
    for name in simsuite.__all__:
        member = getattr(simsuite, name)
        if name != "__version__":
            assert (member.__doc__ or "").strip(), f"simsuite.{name} has no docstring"
    assert (PACKAGE / "py.typed").is_file()


def test_every_step_action_knows_who_acts():
    from simsuite.model import Action, Actor

    assert Action.PRESSED.actor is Actor.CUSTOMER and Action.NO_INPUT.actor is Actor.CUSTOMER
    assert Action.GATHER.actor is Actor.COMPANY and Action.GOTO.actor is Actor.COMPANY  # the IVR's own goto
    assert Action.NOTE.actor is Actor.SYSTEM and Action.BOUNDED.actor is Actor.SYSTEM
    assert all(isinstance(a.actor, Actor) for a in Action)

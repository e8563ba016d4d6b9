"""results.json: the run's data; a journal of finished journeys while it runs, so a crash keeps what was gathered."""

from __future__ import annotations

import copy
import json
import os
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .errors import SimsuiteError
from .model import Action, Actor
from .suite import summarize
from .version import __version__

SCHEMA_VERSION = 2  # 2: every step stores its actor (customer, company or system)
RESULTS_FILE = "results.json"
JOURNAL_FILE = "journal.jsonl"  # one line per finished journey while a run is going


class ResultsFileError(SimsuiteError, ValueError):
    """A file is not a simsuite results file, or was written by a newer simsuite."""


def now_iso() -> str:
    """The current wall-clock time, UTC, ISO 8601 to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def write_json_atomic(path: Path, doc: dict[str, Any]) -> Path:
    """Write `doc` as JSON to `path` atomically: a temp file in the same folder, then os.replace."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=2, ensure_ascii=False, default=str)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


class ResultsWriter:
    """Gathers journey results: each one appended to `journal.jsonl` as it finishes, `results.json` assembled
    from them.

    The journal costs the same for the thousandth journey as for the first. `results.json` is rewritten
    after each of the first journeys, then only when its last rewrite is a small share of the time since
    (so a long run spends at most about a fifth of its time on it), and always at `close()`. A reader of a
    run that was killed still gets every finished journey: `load_results` adds what the journal holds.
    Use as a context manager, or call `close()`; a run that never closes still leaves a loadable file whose
    `run.complete` is false.
    """

    ALWAYS_WRITTEN = 16  # journeys after which results.json is rewritten every time

    def __init__(self, out_dir: Path, run_meta: dict[str, Any] | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.out_dir / RESULTS_FILE
        self.run: dict[str, Any] = {**(run_meta or {})}
        self.run.setdefault("started", now_iso())
        self.run["finished"] = None
        self.run["complete"] = False
        self.journeys: list[dict[str, Any]] = []
        self.maps: list[dict[str, Any]] = []
        self._closed = False
        self._journal = open(self.out_dir / JOURNAL_FILE, "w", encoding="utf-8")
        self._last_write, self._write_cost = 0.0, 0.0
        self._append({"run": self.run})
        self._write()

    def document(self) -> dict[str, Any]:
        """The results document as it stands now."""
        return {
            "schema": SCHEMA_VERSION,
            "tool": {"name": "simsuite", "version": __version__},
            "run": dict(self.run),
            "journeys": list(self.journeys),
            "maps": list(self.maps),
            "summary": summarize(self.journeys),
        }

    def _append(self, entry: dict[str, Any]) -> None:
        self._journal.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
        self._journal.flush()
        os.fsync(self._journal.fileno())

    def _write(self) -> None:
        began = time.monotonic()
        write_json_atomic(self.path, self.document())
        self._last_write, self._write_cost = time.monotonic(), time.monotonic() - began

    def _maybe_write(self) -> None:
        due = len(self.journeys) <= self.ALWAYS_WRITTEN or \
            time.monotonic() - self._last_write >= max(1.0, 4 * self._write_cost)
        if due:
            self._write()

    def add(self, journey: dict[str, Any] | Any) -> None:
        """Append one journey (a dict, or anything with `to_dict()`) to the journal, and to results.json when due."""
        if self._closed:
            raise RuntimeError("this ResultsWriter is closed; start a new one for a new run")
        self.journeys.append(journey.to_dict() if hasattr(journey, "to_dict") else dict(journey))
        self._append({"journey": self.journeys[-1]})
        self._maybe_write()

    def add_map(self, explored: dict[str, Any] | Any) -> None:
        """Append one explorer map (a dict, or anything with `to_dict()`) and rewrite results.json."""
        if self._closed:
            raise RuntimeError("this ResultsWriter is closed; start a new one for a new run")
        self.maps.append(explored.to_dict() if hasattr(explored, "to_dict") else dict(explored))
        self._append({"map": self.maps[-1]})
        self._write()

    def close(self, complete: bool = True) -> dict[str, Any]:
        """Write the final document with `run.finished` and `run.complete`; returns it. The journal, now
        held whole by results.json, is removed."""
        if not self._closed:
            self.run["finished"] = now_iso()
            self.run["complete"] = bool(complete)
            self._closed = True
            self._write()
            self._journal.close()
            (self.out_dir / JOURNAL_FILE).unlink(missing_ok=True)
        return self.document()

    def __enter__(self) -> "ResultsWriter":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.close(complete=exc_type is None)


def read_journal(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The run, journeys and maps a journal holds; a line cut short by a crash ends it."""
    run: dict[str, Any] = {}
    journeys: list[dict[str, Any]] = []
    maps: list[dict[str, Any]] = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                break
            if not isinstance(entry, dict):
                break
            if isinstance(entry.get("run"), dict):
                run = entry["run"]
            elif isinstance(entry.get("journey"), dict):
                journeys.append(entry["journey"])
            elif isinstance(entry.get("map"), dict):
                maps.append(entry["map"])
    return run, journeys, maps


def _recover(path: Path, doc: dict[str, Any] | None) -> dict[str, Any] | None:
    """The document of a run that stopped before closing, with every journey its journal holds."""
    journal = path.parent / JOURNAL_FILE
    if not journal.is_file() or (doc is not None and (doc.get("run") or {}).get("complete")):
        return doc
    run, journeys, maps = read_journal(journal)
    if doc is not None and len(journeys) <= len(doc.get("journeys") or ()) and len(maps) <= len(doc.get("maps") or ()):
        return doc
    recovered = {"schema": SCHEMA_VERSION, "tool": {"name": "simsuite", "version": __version__},
                 "run": {**run, **((doc or {}).get("run") or {}), "complete": False, "recovered_from": JOURNAL_FILE},
                 "journeys": journeys, "maps": maps}
    recovered["summary"] = summarize(journeys)
    return recovered


def load_results(path: Path | str) -> dict[str, Any]:
    """Read a results.json, checking it is a simsuite results file this version can read."""
    path = Path(path)
    if path.is_dir():
        path = path / RESULTS_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        doc = _recover(path, None)
        if doc is None:
            raise ResultsFileError(f"{path}: no such results file; run simsuite first or check the path") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        doc = _recover(path, None)
        if doc is None:
            raise ResultsFileError(f"{path}: not a simsuite results file (not valid JSON: {exc})") from None
    else:
        if isinstance(doc, dict):
            doc = _recover(path, doc)
    if not isinstance(doc, dict) or (doc.get("tool") or {}).get("name") != "simsuite" \
            or not isinstance(doc.get("journeys"), list):
        raise ResultsFileError(
            f"{path}: not a simsuite results file (expected a JSON object with tool.name \"simsuite\" "
            "and a journeys list)")
    schema = doc.get("schema")
    if not isinstance(schema, int):
        raise ResultsFileError(f"{path}: not a simsuite results file (no integer \"schema\" field)")
    if schema > SCHEMA_VERSION:
        raise ResultsFileError(
            f"{path}: results schema {schema} is newer than this simsuite supports ({SCHEMA_VERSION}); "
            "upgrade simsuite to read it")
    if schema < 2:
        upgrade_steps(doc)
    doc.setdefault("run", {})
    doc.setdefault("maps", [])
    if not isinstance(doc.get("summary"), dict):
        doc["summary"] = summarize(doc["journeys"])
    return doc


def actor_of(step: dict[str, Any]) -> str:
    """Who acted at a stored step: its `actor`, else (schema 1) what its action implies."""
    actor = step.get("actor")
    if actor in ("customer", "company", "system"):
        return str(actor)
    try:
        action = Action(str(step.get("action", "")))
    except ValueError:
        return Actor.SYSTEM.value
    if action is Action.ENDED:
        by = (step.get("data") or {}).get("ended_by")
        return Actor.CUSTOMER.value if by == "customer" else Actor.COMPANY.value
    return action.actor.value


def upgrade_steps(doc: dict[str, Any]) -> dict[str, Any]:
    """Give every step of a schema-1 document its actor, in place; the document becomes schema 2."""
    for journey in doc.get("journeys") or ():
        for step in (journey.get("steps") or ()) if isinstance(journey, dict) else ():
            if isinstance(step, dict):
                step["actor"] = actor_of(step)
    doc["schema"] = SCHEMA_VERSION
    return doc


def strip_times(doc: dict[str, Any]) -> dict[str, Any]:
    """A deep copy without wall-clock fields, to compare two runs of the same seed."""
    out = copy.deepcopy(doc)
    run = out.get("run")
    if isinstance(run, dict):
        run.pop("started", None)
        run.pop("finished", None)
    for j in out.get("journeys") or ():
        if isinstance(j, dict):
            j.pop("started", None)
            j.pop("wall_seconds", None)
    return out

"""Run history: every finished results document, stored so a CX leader can trend and compare runs.

By default the history is a local SQLite file (`reports/history.sqlite`); `--history`/`SIMSUITE_HISTORY`
may name another file, a `sqlite:///path` URL, or a `postgresql://user:pass@host/db` URL where a team
shares history (needs the optional extra: `pip install simsuite[postgres]`).

Tables (schema version 3; `alertlog.py` describes the alert tables):

- `meta(key, value)`: `schema_version`.
- `runs`: one row per recorded run: id, seq (order of recording), started, finished, target, seed,
  version (simsuite's), git_revision, mean_index, journeys (count), recorded (wall clock), document
  (the whole results JSON).
- `scenario_runs`: one row per (run, scenario, mode): count, mean_index, max_index.
- `mode_runs`, `alerts`, `deliveries`, `open_alerts` (version 3): per-mode means, every alert raised and
  delivery tried (a run that could not run keeps its alert with no run row), and the alerts still open.

A run is *judged* when it has a mean index. Only judged runs are compared with (`previous`) and
trended; a run where no journey could run is not recorded as a run at all (older simsuites kept such
runs without a score: they stay listed by `runs()` but are skipped there too).

Schema version 1 (simsuite before history kept git revisions) had `runs` without `git_revision`,
`seq` and `recorded`, and no `scenario_runs`; opening such a file upgrades it in place (to 2, then 3).

Concurrent writers: SQLite runs in WAL mode with a busy timeout of 30 s, and every write is one
`BEGIN IMMEDIATE` transaction; PostgreSQL writes lock the runs table for the length of the insert.
"""

from __future__ import annotations

import copy
import json
import os
import re
import sqlite3
import subprocess
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence
from urllib.parse import urlsplit

from ..errors import SimsuiteError
from ..suite import summarize
from .alertlog import SCHEMA_V3, AlertLog, migrate_v2_to_v3, mode_rows

DEFAULT_HISTORY = "reports/history.sqlite"
SCHEMA_VERSION = 3
BUSY_TIMEOUT_MS = 30_000

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_RUN_COLUMNS = ("id", "started", "finished", "target", "seed", "version", "git_revision", "mean_index", "journeys")
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


class HistoryError(SimsuiteError):
    """The history database cannot be used as asked: an unknown run, a bad URL, a newer schema."""


def history_location(given: str | None) -> str:
    """Where history lives: `given`, else the `SIMSUITE_HISTORY` environment variable, else the default."""
    if given:
        return str(given)
    env = os.environ.get("SIMSUITE_HISTORY", "").strip()
    return env or DEFAULT_HISTORY


# --------------------------------------------------------------------------------------------------
# Backends: a thin layer over sqlite3 and psycopg so the SQL below is written once ("?" placeholders).


class _Backend:
    """One connection; `execute` returns the rows, `write()` is one exclusive transaction."""

    dialect = "sqlite"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    @contextmanager
    def write(self) -> Iterator[None]:
        raise NotImplementedError
        yield  # pragma: no cover

    def table_names(self) -> set[str]:
        raise NotImplementedError

    def columns(self, table: str) -> set[str]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class _SQLite(_Backend):
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                        check_same_thread=False)
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if path != ":memory:":
                mode = self._wal()
                if not mode or str(mode[0]).lower() != "wal":
                    raise HistoryError(f"{path}: SQLite could not switch to WAL mode (got {mode and mode[0]}); "
                                       "put the history on a local disk")
        except sqlite3.DatabaseError as exc:
            raise HistoryError(f"{path}: not a usable SQLite history database ({exc}); "
                               "give another path with --history or SIMSUITE_HISTORY") from None

    def _wal(self) -> Any:
        """Switch to WAL. SQLite does not wait on its busy timeout for this while another process creates
        the same new database, so a "locked" answer is retried for a while."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                return self.conn.execute("PRAGMA journal_mode = WAL").fetchone()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, tuple(params)).fetchall()

    @contextmanager
    def write(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def table_names(self) -> set[str]:
        return {r[0] for r in self.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def columns(self, table: str) -> set[str]:
        return {r[1] for r in self.execute(f"PRAGMA table_info({table})")}

    def close(self) -> None:
        self.conn.close()


class _Postgres(_Backend):
    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:
            raise HistoryError("a PostgreSQL history needs psycopg: pip install 'simsuite[postgres]' "
                               "(or psycopg[binary])") from None
        self._psycopg = psycopg
        try:
            self.conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise HistoryError(f"cannot connect to the history database {_redact(url)}: {exc}") from None

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self.conn.execute(self._sql(sql), tuple(params))  # type: ignore[arg-type]
        return cur.fetchall() if cur.description else []

    @contextmanager
    def write(self) -> Iterator[None]:
        with self.conn.transaction():
            if "runs" in self.table_names():
                self.conn.execute("LOCK TABLE runs IN SHARE ROW EXCLUSIVE MODE")
            else:  # first writer creates the schema; serialize creators with an advisory lock
                self.conn.execute("SELECT pg_advisory_xact_lock(7361726)")
            yield

    def table_names(self) -> set[str]:
        return {r[0] for r in self.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}

    def columns(self, table: str) -> set[str]:
        return {r[0] for r in self.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ?", (table,))}

    def close(self) -> None:
        self.conn.close()


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def _open(location: str | Path) -> tuple[_Backend, str]:
    """A backend for a file path or URL, and the location as shown to a user."""
    text = str(location)
    if not _URL.match(text):
        return _SQLite(text), text
    scheme = text.split("://", 1)[0].lower()
    base = scheme.split("+", 1)[0]
    if base == "sqlite":
        rest = text.split("://", 1)[1]
        # SQLAlchemy's convention: sqlite:///relative/path, sqlite:////absolute/path, sqlite:// = memory.
        path = rest[1:] if rest.startswith("/") else rest
        path = path.split("?", 1)[0] or ":memory:"
        return _SQLite(path), text
    if base in ("postgresql", "postgres"):
        url = "postgresql://" + text.split("://", 1)[1]
        return _Postgres(url), _redact(text)
    raise HistoryError(f"{_redact(text)}: unsupported history URL; use a file path, sqlite:///path "
                       "or postgresql://user:password@host/database")


# --------------------------------------------------------------------------------------------------
# Schema and migrations.

_SCHEMA_V2 = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS runs ("
    " id TEXT PRIMARY KEY, seq INTEGER NOT NULL, started TEXT, finished TEXT, target TEXT NOT NULL,"
    " seed INTEGER, version TEXT, git_revision TEXT, mean_index DOUBLE PRECISION, journeys INTEGER NOT NULL,"
    " recorded TEXT NOT NULL, document TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS runs_target_order ON runs (target, started, seq)",
    "CREATE INDEX IF NOT EXISTS runs_order ON runs (started, seq)",
    "CREATE TABLE IF NOT EXISTS scenario_runs ("
    " run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, scenario TEXT NOT NULL, mode TEXT NOT NULL,"
    " count INTEGER NOT NULL, mean_index DOUBLE PRECISION, max_index DOUBLE PRECISION,"
    " PRIMARY KEY (run_id, scenario, mode))",
)


def _scenario_rows(doc: dict[str, Any]) -> list[tuple[str, str, int, float | None, float | None]]:
    summary = summarize(list(doc.get("journeys") or []))
    return [(r["scenario"], r["mode"], int(r["count"]), r["mean_index"], r["max_index"])
            for r in summary["by_scenario"]]


def _migrate_v1_to_v2(db: _Backend) -> None:
    """v1 kept runs without git_revision, seq or recorded, and had no per-scenario rows."""
    cols = db.columns("runs")
    for name, kind in (("git_revision", "TEXT"), ("seq", "INTEGER"), ("recorded", "TEXT")):
        if name not in cols:
            db.execute(f"ALTER TABLE runs ADD COLUMN {name} {kind}")
    for stmt in _SCHEMA_V2:
        db.execute(stmt)
    rows = db.execute("SELECT id, started, document FROM runs ORDER BY started, id")
    now = _now()
    for seq, (run_id, started, document) in enumerate(rows, start=1):
        db.execute("UPDATE runs SET seq = ?, recorded = COALESCE(recorded, started, ?) WHERE id = ?",
                   (seq, now, run_id))
        try:
            doc = json.loads(document)
        except (TypeError, json.JSONDecodeError):
            continue
        if isinstance(doc, dict) and isinstance(doc.get("run"), dict):
            revision = doc["run"].get("git_revision")
            if revision:
                db.execute("UPDATE runs SET git_revision = ? WHERE id = ?", (str(revision), run_id))
        if isinstance(doc, dict):
            db.execute("DELETE FROM scenario_runs WHERE run_id = ?", (run_id,))
            for row in _scenario_rows(doc):
                db.execute("INSERT INTO scenario_runs (run_id, scenario, mode, count, mean_index, max_index) "
                           "VALUES (?, ?, ?, ?, ?, ?)", (run_id, *row))


_MIGRATIONS = {1: _migrate_v1_to_v2, 2: migrate_v2_to_v3}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


_git_cache: dict[str, str | None] = {}


def git_revision(cwd: str | None = None) -> str | None:
    """`git rev-parse --short HEAD` in `cwd` (default: the current directory), or None if that fails."""
    where = os.path.abspath(cwd or os.getcwd())
    if where not in _git_cache:
        try:
            out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=where, capture_output=True,
                                 text=True, timeout=10, check=False)
            _git_cache[where] = (out.stdout.strip() or None) if out.returncode == 0 else None
        except (OSError, subprocess.SubprocessError):
            _git_cache[where] = None
    return _git_cache[where]


def _target_label(target: Any) -> str:
    if isinstance(target, dict):
        url = target.get("base_url") or target.get("url") or target.get("name") or ""
        parts = urlsplit(str(url))
        if parts.hostname in _LOOPBACK:  # the demo and local servers pick a fresh port every run
            return f"{parts.scheme}://{parts.hostname}" if parts.scheme else str(parts.hostname)
        return str(url).rstrip("/")
    return str(target)


def default_target(doc: dict[str, Any]) -> str:
    """The target a run is filed under: run.target, else run.targets joined, else "demo".

    A target given as a RunTarget dict is named by its base URL; loopback URLs lose their port, which
    changes every run, so runs against the demo companies trend together.
    """
    run = doc.get("run") or {}
    if isinstance(run.get("target"), str) and run["target"].strip():
        return run["target"].strip()
    targets = run.get("targets") or []
    if isinstance(targets, (str, dict)):
        targets = [targets]
    labels: list[str] = []
    for t in targets:
        label = _target_label(t)
        if label and label not in labels:
            labels.append(label)
    return ", ".join(labels) or "demo"


def _as_int(value: Any) -> int | None:
    try:
        return int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------------------------------


class History(AlertLog):
    """Stored runs in SQLite (a file path or `sqlite:///` URL) or PostgreSQL (`postgresql://` URL)."""

    def __init__(self, location: str | Path) -> None:
        self.location = str(location)
        self._db, self.shown = _open(location)
        try:
            self._ensure_schema()
        except BaseException:
            self._db.close()
            raise

    # -- schema --------------------------------------------------------------------------------------

    def _version(self) -> int | None:
        tables = self._db.table_names()
        if "meta" not in tables:
            return 1 if "runs" in tables else None
        rows = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        if not rows:
            return 1 if "runs" in tables else None
        try:
            return int(rows[0][0])
        except (TypeError, ValueError):
            raise HistoryError(f"{self.shown}: meta.schema_version is {rows[0][0]!r}, not a number") from None

    def _ensure_schema(self) -> None:
        if self._version() == SCHEMA_VERSION:
            return
        with self._db.write():
            version = self._version()  # again, now that this connection holds the write lock
            if version is None:
                for stmt in (*_SCHEMA_V2, *SCHEMA_V3):
                    self._db.execute(stmt)
            elif version > SCHEMA_VERSION:
                raise HistoryError(f"{self.shown}: history schema {version} is newer than this simsuite "
                                   f"supports ({SCHEMA_VERSION}); upgrade simsuite to use it")
            else:
                while version < SCHEMA_VERSION:
                    _MIGRATIONS[version](self._db)
                    version += 1
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            self._db.execute("DELETE FROM meta WHERE key = 'schema_version'")
            self._db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def schema_version(self) -> int:
        """The schema version of the open database (always the current one once opened)."""
        return int(self._version() or SCHEMA_VERSION)

    # -- writing -------------------------------------------------------------------------------------

    def record(self, doc: dict[str, Any], *, target: str | None = None) -> str:
        """Store a finished results document and its per-scenario means; returns the new run id.

        The stored copy gains `run.id`, `run.target` and `run.git_revision`; `doc` itself is not changed.
        """
        if not isinstance(doc, dict) or not isinstance(doc.get("journeys"), list):
            raise HistoryError("only a simsuite results document (a dict with a journeys list) can be recorded")
        run_id = uuid.uuid4().hex[:12]
        stored = copy.deepcopy(doc)
        run = stored.setdefault("run", {})
        if not isinstance(run, dict):
            run = stored["run"] = {}
        label = target or default_target(stored)
        revision = run.get("git_revision") or git_revision()
        run["id"], run["target"], run["git_revision"] = run_id, label, revision
        summary = stored.get("summary") if isinstance(stored.get("summary"), dict) else summarize(stored["journeys"])
        mean = summary.get("mean_index")
        version = (stored.get("tool") or {}).get("version")
        started = run.get("started") or _now()
        document = json.dumps(stored, ensure_ascii=False, default=str)
        with self._db.write():
            seq = int(self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM runs")[0][0]) + 1
            self._db.execute(
                "INSERT INTO runs (id, seq, started, finished, target, seed, version, git_revision, mean_index,"
                " journeys, recorded, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, seq, started, run.get("finished"), label, _as_int(run.get("seed")),
                 str(version) if version is not None else None, revision,
                 float(mean) if mean is not None else None, len(stored["journeys"]), _now(), document))
            for row in _scenario_rows(stored):
                self._db.execute("INSERT INTO scenario_runs (run_id, scenario, mode, count, mean_index, max_index) "
                                 "VALUES (?, ?, ?, ?, ?, ?)", (run_id, *row))
            for mode_row in mode_rows(stored):
                self._db.execute("INSERT INTO mode_runs (run_id, mode, count, scored, mean_index) "
                                 "VALUES (?, ?, ?, ?, ?)", (run_id, *mode_row))
        return run_id

    # -- reading -------------------------------------------------------------------------------------

    @staticmethod
    def _row(row: Sequence[Any]) -> dict[str, Any]:
        return dict(zip(_RUN_COLUMNS, row))

    def runs(self, limit: int = 50, target: str | None = None) -> list[dict[str, Any]]:
        """Stored runs, newest first: id, started, finished, target, seed, version, git_revision,
        mean_index, journeys."""
        cols = ", ".join(_RUN_COLUMNS)
        where, params = ("WHERE target = ?", [target]) if target is not None else ("", [])
        rows = self._db.execute(f"SELECT {cols} FROM runs {where} ORDER BY started DESC, seq DESC LIMIT ?",
                                (*params, int(limit)))
        return [self._row(r) for r in rows]

    def _known(self, n: int = 5) -> str:
        ids = [r["id"] for r in self.runs(limit=n)]
        return ", ".join(ids) if ids else "none yet; record a run first"

    def resolve(self, run_id: str) -> str:
        """The full id of a run given its id, a unique prefix of it, "latest" or "previous"."""
        ref = str(run_id or "").strip()
        if ref.lower() == "latest":
            latest = self.runs(limit=1)
            if not latest:
                raise HistoryError(f"{self.shown}: no runs recorded yet, so there is no latest run")
            return latest[0]["id"]
        if ref.lower() == "previous":
            latest = self.runs(limit=1)
            before = self.previous(latest[0]["id"]) if latest else None
            if not before:
                raise HistoryError(f"{self.shown}: fewer than two runs of the latest run's target are recorded, "
                                   f"so there is no previous run (known runs: {self._known()})")
            return before["id"]
        if not ref:
            raise HistoryError(f"no run id given; known runs: {self._known()}")
        rows = self._db.execute("SELECT id FROM runs WHERE substr(id, 1, ?) = ? ORDER BY started DESC, seq DESC"
                                " LIMIT 6", (len(ref), ref))
        if not rows:
            raise HistoryError(f"no run {ref!r} in {self.shown}; known runs (newest first): {self._known()}")
        if len(rows) > 1 and rows[0][0] != ref:
            matches = ", ".join(r[0] for r in rows[:5])
            raise HistoryError(f"run id {ref!r} is ambiguous in {self.shown}: it starts {matches}; "
                               "give more characters")
        return str(rows[0][0])

    def load(self, run_id: str) -> dict[str, Any]:
        """The stored results document of a run (an id, a unique prefix, "latest" or "previous")."""
        full = self.resolve(run_id)
        rows = self._db.execute("SELECT document FROM runs WHERE id = ?", (full,))
        doc = json.loads(rows[0][0])
        if isinstance(doc, dict) and isinstance(doc.get("run"), dict):
            doc["run"].setdefault("id", full)  # runs recorded before ids were written into documents
        return doc

    def info(self, run_id: str) -> dict[str, Any]:
        """A run's row as in runs() (an id, a unique prefix, "latest" or "previous")."""
        full = self.resolve(run_id)
        cols = ", ".join(_RUN_COLUMNS)
        return self._row(self._db.execute(f"SELECT {cols} FROM runs WHERE id = ?", (full,))[0])

    def previous(self, run_id: str) -> dict[str, Any] | None:
        """The last judged run (one with a mean index) recorded before `run_id` for the same target (as in
        runs()), or None. A run without a score is never what a later run is compared with."""
        full = self.resolve(run_id)
        rows = self._db.execute("SELECT target, started, seq FROM runs WHERE id = ?", (full,))
        target, started, seq = rows[0]
        cols = ", ".join(_RUN_COLUMNS)
        found = self._db.execute(
            f"SELECT {cols} FROM runs WHERE target = ? AND mean_index IS NOT NULL"
            " AND (started < ? OR (started = ? AND seq < ?)) ORDER BY started DESC, seq DESC LIMIT 1",
            (target, started, started, seq))
        return self._row(found[0]) if found else None

    def last_judged(self, target: str) -> dict[str, Any] | None:
        """The newest judged run of `target` (as in runs()), or None."""
        cols = ", ".join(_RUN_COLUMNS)
        found = self._db.execute(f"SELECT {cols} FROM runs WHERE target = ? AND mean_index IS NOT NULL"
                                 " ORDER BY started DESC, seq DESC LIMIT 1", (target,))
        return self._row(found[0]) if found else None

    def trend(self, target: str | None = None, limit: int = 20) -> dict[str, Any]:
        """The last `limit` runs (of `target`, or all), oldest first, with per-scenario means.

        {"runs": [{"id", "started", "mean_index"}], "scenarios": {"<scenario> (<mode>)": [{"id",
        "started", "mean_index"}]}, "modes": {"<mode>": [{"id", "started", "mean_index"}]}}; a scenario or
        mode lists only the runs that ran it (a mode's mean is over its scored journeys of that run). Runs
        without a score (kept by older simsuites when nothing could run) are left out.
        """
        cols = ", ".join(_RUN_COLUMNS)
        where, params = ("AND target = ?", [target]) if target is not None else ("", [])
        runs = [self._row(r) for r in reversed(self._db.execute(
            f"SELECT {cols} FROM runs WHERE mean_index IS NOT NULL {where} ORDER BY started DESC, seq DESC LIMIT ?",
            (*params, int(limit))))]
        points = [{"id": r["id"], "started": r["started"], "mean_index": r["mean_index"]} for r in runs]
        scenarios: dict[str, list[dict[str, Any]]] = {}
        if runs:
            order = {r["id"]: i for i, r in enumerate(runs)}
            marks = ", ".join("?" for _ in runs)
            rows = self._db.execute(
                f"SELECT run_id, scenario, mode, mean_index FROM scenario_runs WHERE run_id IN ({marks})",
                [r["id"] for r in runs])
            rows.sort(key=lambda r: (r[1], r[2], order[r[0]]))
            for run_id, scenario, mode, mean in rows:
                scenarios.setdefault(f"{scenario} ({mode})", []).append(
                    {"id": run_id, "started": runs[order[run_id]]["started"], "mean_index": mean})
        return {"runs": points, "scenarios": scenarios, "modes": self._mode_trend(runs)}

    def _mode_trend(self, runs: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        """Each mode's mean index per run (oldest first), for the runs given; runs where it had no score are left
        out of its line."""
        modes: dict[str, list[dict[str, Any]]] = {}
        if not runs:
            return modes
        order = {r["id"]: i for i, r in enumerate(runs)}
        marks = ", ".join("?" for _ in runs)
        rows = self._db.execute(f"SELECT run_id, mode, mean_index FROM mode_runs WHERE run_id IN ({marks})"
                                " AND mean_index IS NOT NULL", [r["id"] for r in runs])
        rows.sort(key=lambda r: (r[1], order[r[0]]))
        for run_id, mode, mean in rows:
            modes.setdefault(str(mode), []).append({"id": run_id, "started": runs[order[run_id]]["started"],
                                                     "mean_index": mean})
        return modes

    # -- lifetime ------------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

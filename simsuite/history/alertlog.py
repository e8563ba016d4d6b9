"""What the history keeps about alerts: every alert raised, every delivery tried, and the alerts still open.

Tables added in schema version 3 (SQLite and PostgreSQL alike, written through the same backend):

- `alerts`: one row per alert a run raised: id, seq (order of recording), run_id (NULL for a run that could
  not run, which has no scored run row), target, at, kind, scenario, mode, message, body (the alert as JSON).
- `deliveries`: one row per delivery tried: id, seq, run_id (nullable, as above), target, at, destination (a
  safe description: scheme and host, never a token), ok (0/1), attempts, detail, alerts (how many it held).
- `open_alerts`: the conditions an earlier run alerted on that no "back to normal" has closed yet, per
  target: key (kind|scenario|mode|friction kind), opened (time), run_id, body (the alert as opened, JSON).
- `mode_runs`: one row per (run, mode): count, scored (journeys with a score), mean_index over the scored
  journeys; the per-mode trend reads it.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from ..suite import mode_label

if TYPE_CHECKING:
    from . import _Backend

SCHEMA_V3 = (
    "CREATE TABLE IF NOT EXISTS alerts ("
    " id TEXT PRIMARY KEY, seq INTEGER NOT NULL, run_id TEXT, target TEXT NOT NULL, at TEXT NOT NULL,"
    " kind TEXT NOT NULL, scenario TEXT, mode TEXT, message TEXT, body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS alerts_order ON alerts (target, seq)",
    "CREATE TABLE IF NOT EXISTS deliveries ("
    " id TEXT PRIMARY KEY, seq INTEGER NOT NULL, run_id TEXT, target TEXT NOT NULL, at TEXT NOT NULL,"
    " destination TEXT NOT NULL, ok INTEGER NOT NULL, attempts INTEGER NOT NULL, detail TEXT, alerts INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS deliveries_order ON deliveries (target, seq)",
    "CREATE TABLE IF NOT EXISTS open_alerts ("
    " target TEXT NOT NULL, key TEXT NOT NULL, opened TEXT NOT NULL, run_id TEXT, body TEXT NOT NULL,"
    " PRIMARY KEY (target, key))",
    "CREATE TABLE IF NOT EXISTS mode_runs ("
    " run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, mode TEXT NOT NULL, count INTEGER NOT NULL,"
    " scored INTEGER NOT NULL, mean_index DOUBLE PRECISION, PRIMARY KEY (run_id, mode))",
)


def mode_rows(doc: dict[str, Any]) -> list[tuple[str, int, int, float | None]]:
    """(mode, journeys, scored journeys, mean index of the scored ones) for each mode of a results document."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for j in doc.get("journeys") or ():
        if isinstance(j, dict):
            groups.setdefault(mode_label(j.get("mode")), []).append(j)
    rows = []
    for mode, members in sorted(groups.items()):
        scores = [float(j.get("index") or 0.0) for j in members if j.get("outcome") != "error"]
        rows.append((mode, len(members), len(scores), round(sum(scores) / len(scores), 1) if scores else None))
    return rows


def migrate_v2_to_v3(db: "_Backend") -> None:
    """v2 kept no alerts, deliveries, open alerts or per-mode means: add the tables and fill mode_runs."""
    for stmt in SCHEMA_V3:
        db.execute(stmt)
    for run_id, document in db.execute("SELECT id, document FROM runs"):
        try:
            doc = json.loads(document)
        except (TypeError, json.JSONDecodeError):
            continue
        if isinstance(doc, dict):
            db.execute("DELETE FROM mode_runs WHERE run_id = ?", (run_id,))
            for row in mode_rows(doc):
                db.execute("INSERT INTO mode_runs (run_id, mode, count, scored, mean_index) VALUES (?, ?, ?, ?, ?)",
                           (run_id, *row))


def _loads(text: Any) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (TypeError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


class AlertLog:
    """The alert half of `History`: it needs only `self._db` (a backend) from the class it is mixed into."""

    _db: "_Backend"

    def open_alerts(self, target: str) -> dict[str, dict[str, Any]]:
        """The alerts still open for `target`, by key, each as opened plus `opened` and `opened_run`."""
        rows = self._db.execute("SELECT key, opened, run_id, body FROM open_alerts WHERE target = ? ORDER BY key",
                                (target,))
        return {key: {**_loads(body), "opened": opened, "opened_run": run_id} for key, opened, run_id, body in rows}

    def record_alerts(self, target: str, run_id: str | None, at: str, alerts: list[dict[str, Any]],
                      still_open: dict[str, dict[str, Any]], deliveries: list[dict[str, Any]]) -> None:
        """Keep one run's alerts and deliveries, and replace `target`'s open alerts with `still_open`."""
        with self._db.write():
            seq = int(self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM alerts")[0][0])
            for seq, alert in enumerate(alerts, start=seq + 1):
                self._db.execute(
                    "INSERT INTO alerts (id, seq, run_id, target, at, kind, scenario, mode, message, body)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (uuid.uuid4().hex[:16], seq, run_id, target, at, str(alert.get("kind")), alert.get("scenario"),
                     alert.get("mode"), alert.get("message"), json.dumps(alert, ensure_ascii=False, default=str)))
            seq = int(self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM deliveries")[0][0])
            for seq, d in enumerate(deliveries, start=seq + 1):
                self._db.execute(
                    "INSERT INTO deliveries (id, seq, run_id, target, at, destination, ok, attempts, detail, alerts)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (uuid.uuid4().hex[:16], seq, run_id, target, str(d.get("at") or at), str(d.get("to")),
                     1 if d.get("ok") else 0, int(d.get("attempts") or 0), d.get("detail"), len(alerts)))
            self._db.execute("DELETE FROM open_alerts WHERE target = ?", (target,))
            for key, alert in sorted(still_open.items()):
                body = {k: v for k, v in alert.items() if k not in ("opened", "opened_run")}
                self._db.execute("INSERT INTO open_alerts (target, key, opened, run_id, body) VALUES (?, ?, ?, ?, ?)",
                                 (target, key, str(alert.get("opened") or at), alert.get("opened_run"),
                                  json.dumps(body, ensure_ascii=False, default=str)))

    def alerts(self, target: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Alerts kept, newest first (a run's own in the order raised, reversed): each alert's fields plus
        run_id, target and at."""
        where, params = ("WHERE target = ?", [target]) if target is not None else ("", [])
        rows = self._db.execute(f"SELECT run_id, target, at, body FROM alerts {where} ORDER BY seq DESC LIMIT ?",
                                (*params, int(limit)))
        return [{**_loads(body), "run_id": run_id, "target": tgt, "at": at} for run_id, tgt, at, body in rows]

    def deliveries(self, target: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Deliveries tried, newest first: {"to", "ok", "attempts", "detail", "at", "run_id", "target", "alerts"}."""
        where, params = ("WHERE target = ?", [target]) if target is not None else ("", [])
        rows = self._db.execute(
            f"SELECT destination, ok, attempts, detail, at, run_id, target, alerts FROM deliveries {where}"
            " ORDER BY seq DESC LIMIT ?", (*params, int(limit)))
        return [{"to": to, "ok": bool(ok), "attempts": attempts, "detail": detail, "at": at, "run_id": run_id,
                 "target": tgt, "alerts": n} for to, ok, attempts, detail, at, run_id, tgt, n in rows]

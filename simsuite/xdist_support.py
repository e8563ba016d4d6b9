"""The pytest plugin's journeys, gathered into one results document: run serially or by pytest-xdist workers.

Under `pytest -n N` every worker runs some journey items, but only the controller writes results.json,
keeps the history, alerts and runs the reporters. A worker sends each finished journey to the controller
on the item's test report (`report.simsuite`, serialized with the report as xdist does for every report),
so the controller's results.json is current after every journey and whatever finished survives a worker's
crash. At its end a worker puts its whole ledger (journeys, explorer maps) in `config.workeroutput`, and
the controller's `pytest_testnodedown` merges it, keeping what already arrived. Each worker also sends,
once, a catalog of the collected journey items with a stand-in result, so that a journey whose worker
crashed is recorded as an error. Journeys are ordered by their item's place in the collection, which is
the same on every worker, so the document does not depend on which worker ran what.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .core.personas import Persona
from .core.scenario import Scenario
from .results import ResultsWriter, write_json_atomic
from .runner import could_not_run

KEY = "simsuite"  # the report attribute and the workeroutput entry
JUNIT_KEYS = ("index", "outcome", "mode", "simulated_minutes")  # the properties reporters.JunitReporter writes
STASH_GATHERER = pytest.StashKey["Gatherer"]()
STASH_ORDER = pytest.StashKey[int]()
STASH_STAND_IN = pytest.StashKey[dict]()
STASH_JOURNEY = pytest.StashKey[dict]()


def is_worker(config: pytest.Config) -> bool:
    """True in a pytest-xdist worker process, which runs items but writes nothing."""
    return hasattr(config, "workerinput")


def plain(value: Any) -> Any:
    """`value` as results.json holds it (JSON types only), so it travels between processes unchanged."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def stand_in(journey: str, scenario: Scenario, persona: Persona, mode: str | None) -> dict[str, Any]:
    """The result a journey item gets if its worker dies before it finishes (its error is filled in then)."""
    return plain(could_not_run(scenario, journey, persona, mode).to_dict())


def junit_properties(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """The item's user_properties: pytest's --junitxml writes them, from every worker's reports too."""
    return [(f"simsuite_{k}", "" if data.get(k) is None else data[k]) for k in JUNIT_KEYS]


class Gatherer:
    """One pytest process's share of the run.

    Where items run (serially, or in a worker) it orders them and makes each item's payload; where results
    are written (serially, or in the controller) it takes payloads, keeps them in collection order and
    keeps results.json current after every journey.
    """

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        out = config.getoption("--sim-out")
        self.out = Path(out) if out else None
        self.origin = str(getattr(config, "workerinput", {}).get("workerid", ""))
        self.journeys: dict[str, tuple[int, dict[str, Any]]] = {}  # nodeid -> (order, result)
        self.maps: dict[tuple[Any, ...], dict[str, Any]] = {}     # (order, n, origin) -> map
        self.catalog: dict[str, dict[str, Any]] = {}              # nodeid -> {"order", "stand_in"}
        self.reported: set[str] = set()
        self.pending_maps: list[dict[str, Any]] = []
        self.catalog_sent = False
        self.end = 0  # the order given to maps made outside any item: after every item
        self.writer: ResultsWriter | None = None

    # -- where the items run --------------------------------------------------------------------------
    def collected(self, items: list[pytest.Item]) -> None:
        """Number the items in collection order (the same on every worker) and catalogue the journeys."""
        self.end = len(items)
        for order, item in enumerate(items):
            item.stash[STASH_ORDER] = order
            if STASH_STAND_IN in item.stash:
                self.catalog[item.nodeid] = {"order": order, "stand_in": item.stash[STASH_STAND_IN]}

    def made_map(self, explored: Any) -> None:
        """An explorer map made in this process; it leaves with the next report."""
        self.pending_maps.append(plain(explored.to_dict() if hasattr(explored, "to_dict") else explored))

    def payload(self, item: pytest.Item) -> dict[str, Any] | None:
        """What the item's report carries: its journey once it ran, maps made meanwhile, the catalog once."""
        order = item.stash.get(STASH_ORDER, self.end)
        payload: dict[str, Any] = {}
        journey = item.stash.get(STASH_JOURNEY, None)
        if journey is not None:
            payload["journey"] = {"order": order, "data": journey}
            del item.stash[STASH_JOURNEY]
        if self.pending_maps:
            payload["maps"] = self._pending_maps_at(order)
        if is_worker(self.config) and not self.catalog_sent:
            payload["catalog"], self.catalog_sent = self.catalog, True
        return payload or None

    def session_ended(self) -> None:
        """Keep the maps no report carried (made after the last item), after every item's."""
        self.take("", {"maps": self._pending_maps_at(self.end)})

    def _pending_maps_at(self, order: int) -> list[list[Any]]:
        """The maps not yet sent, keyed (order, n, origin) to sort by where they were made; none is pending after."""
        base = sum(1 for key in self.maps if key[0] == order and key[2] == self.origin)
        keyed = [[[order, base + n, self.origin], m] for n, m in enumerate(self.pending_maps)]
        self.pending_maps = []
        return keyed

    def worker_output(self) -> dict[str, Any]:
        """A worker's whole ledger, for `config.workeroutput`."""
        self.session_ended()
        return {"journeys": [[nodeid, order, data] for nodeid, (order, data) in self.journeys.items()],
                "maps": [[list(key), m] for key, m in self.maps.items()], "catalog": self.catalog}

    # -- where the results are written ------------------------------------------------------------------
    def take(self, nodeid: str, payload: dict[str, Any] | None, *, replace: bool = True) -> None:
        """Keep a payload: a journey replaces a stand-in or an earlier run of the same item (a rerun)."""
        if not payload:
            return
        for key, entry in (payload.get("catalog") or {}).items():
            self.catalog.setdefault(key, entry)
        changed = False
        if payload.get("journey") and (replace or nodeid not in self.journeys):
            self.journeys[nodeid] = (int(payload["journey"]["order"]), payload["journey"]["data"])
            changed = True
        for key, explored in payload.get("maps") or ():
            changed |= self.maps.setdefault(tuple(key), explored) is explored
        if changed:
            self._write()

    def crashed(self, nodeid: str, message: str) -> None:
        """A worker died running `nodeid`: a journey item with no result yet is kept as an error."""
        entry = self.catalog.get(nodeid)
        if entry is None or nodeid in self.journeys:
            return
        error = f"the pytest-xdist worker running this journey died: {message}"
        data = {**entry["stand_in"], "outcome_detail": error, "error": error,
                "budget_violations": [f"the journey could not run: {error}"]}
        self.take(nodeid, {"journey": {"order": entry["order"], "data": data}})

    def merge_worker(self, output: dict[str, Any] | None) -> None:
        """A worker's ledger from `pytest_testnodedown`: anything its reports did not bring is added."""
        if not output:
            return
        self.take("", {"catalog": output.get("catalog"), "maps": output.get("maps")})
        for nodeid, order, data in output.get("journeys") or ():
            self.take(nodeid, {"journey": {"order": order, "data": data}}, replace=False)

    def ordered(self) -> list[dict[str, Any]]:
        """The journeys in the order their items were collected."""
        return [data for _, _, data in sorted((order, nodeid, data) for nodeid, (order, data) in self.journeys.items())]

    def complete(self, stopped: bool) -> bool:
        """The run is complete when it was not stopped and every catalogued journey item was reported."""
        return not stopped and set(self.catalog) <= self.reported

    # -- hooks ------------------------------------------------------------------------------------------
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.collected(session.items)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report = yield
        payload = self.payload(item)
        if payload and is_worker(self.config):
            setattr(report, KEY, payload)  # serialized with the report, to the controller
        self.take(item.nodeid, payload)  # a worker keeps its ledger; serially this writes results.json
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not is_worker(self.config):
            self.reported.add(report.nodeid)
            self.take(report.nodeid, getattr(report, KEY, None))  # from a worker; serially there is none

    @pytest.hookimpl(optionalhook=True)
    def pytest_handlecrashitem(self, crashitem: str, report: pytest.TestReport, sched: Any) -> None:
        self.crashed(crashitem, str(report.longrepr))

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object | None) -> None:
        self.merge_worker(getattr(node, "workeroutput", {}).get(KEY))

    def _write(self) -> None:
        if self.out is None or is_worker(self.config):
            return
        if self.writer is None:
            self.writer = ResultsWriter(self.out, {"seed": self.config.getoption("--sim-seed"), "source": "pytest"})
        self.writer.journeys = self.ordered()
        self.writer.maps = [self.maps[key] for key in sorted(self.maps)]
        write_json_atomic(self.writer.path, self.writer.document())


def gatherer(config: pytest.Config) -> Gatherer:
    """The process's gatherer, registered as a plugin (its hooks below) by `simsuite.pytest_plugin`."""
    if STASH_GATHERER not in config.stash:
        config.stash[STASH_GATHERER] = Gatherer(config)
    return config.stash[STASH_GATHERER]

"""Workers: a suite's journeys spread over N processes on this machine, each with its own browser.

The parent plans the suite and hands out one journey run at a time; each worker loads the scenarios
and journeys itself, starts what its target needs (the demo companies, a mailbox) and a Chromium, and
sends back each result as it finishes. The parent writes results.json after every journey, keeps the
serial run's order in the end, and shows progress across workers. A worker that dies loses only the
journey it was running: that journey is an error, a new worker takes over, and the run goes on.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .browser import BrowserPool, RemoteBrowser
from .core.journey import load_journeys
from .core.phrases import Phrases, load_phrases
from .core.polite import HostGate, Politeness, set_default_gate
from .core.progress import LineProgress, Progress, journey_label
from .core.scenario import load_scenarios
from .core.shard import Shard
from .core.timelimit import DEFAULT_SECONDS
from .errors import SimsuiteError
from .results import ResultsWriter
from .runner import RunTarget, could_not_run, plan, run_journey, suite_meta
from .targets import TargetConfig, start_targets

Log = Callable[[str], None]
_POLL_S = 0.5


@dataclass(frozen=True)
class Job:
    """What every worker needs to run its share, in a form that crosses to another process."""

    target: TargetConfig
    scenarios: Path
    journeys: tuple[Path, ...]
    only_given: bool
    seed: int
    phrases: tuple[str, ...]
    out: Path
    remote: RemoteBrowser | None = None
    politeness: Politeness = Politeness()
    time_limit_s: float | None = DEFAULT_SECONDS

    def load(self) -> tuple[list[tuple[Any, Any, Any]], Phrases]:
        """The planned (scenario, journey, persona) runs, in the serial run's order, and the phrase lists."""
        journeys = load_journeys(list(self.journeys))
        only = set(journeys) if self.only_given else None
        items = list(plan(load_scenarios([self.scenarios]), journeys, self.seed, only))
        return items, load_phrases(*self.phrases)


def check_workers(workers: int, target: TargetConfig) -> None:
    """A usage error for a worker count that cannot work, with the fix."""
    if workers < 1:
        raise SimsuiteError(f"--workers {workers}: at least one worker is needed. Fix: --workers 1 (one after "
                            "another) or more")
    if workers > 1 and not target.demo and target.smtp_port:
        raise SimsuiteError(f"--workers {workers} with --smtp-port {target.smtp_port}: each worker has a mailbox of "
                            "its own, and the site relays its mail to one port. Fix: --workers 1 for journeys that "
                            "read mail, or leave --smtp-port out")


def run_with_workers(job: Job, workers: int, targets: list[RunTarget], *, shard: Shard | None = None,
                     explore: Callable[[RunTarget], list[Any]] | None = None, log: Log = print,
                     progress: Progress | None = None) -> dict[str, Any]:
    """Run the suite's journeys (this shard's, if given) in `workers` processes; the results document.
    `targets` describe where the parent's run points (the workers start their own)."""
    progress = progress or LineProgress(log)
    items, _ = job.load()
    meta, keys = suite_meta(items, targets, job.seed, shard)
    tasks = [(t, i) for t in range(len(targets)) for i in range(len(items)) if shard is None or shard.takes(keys[i])]
    progress.planned(len(tasks))
    writer = ResultsWriter(job.out, {**meta, "workers": workers})

    def label(task: tuple[int, int]) -> str:
        scenario, spec, _ = items[task[1]]
        return journey_label(targets[task[0]].mode, scenario.name, spec.name)

    pool = _Pool(job, workers, tasks, items, on_start=lambda task: progress.started(label(task)))
    complete = False
    try:
        for _number, message in pool.results():
            writer.add(message)
            progress.finished(label(tuple(message["order"])), message["index"], message["outcome"])
        writer.journeys.sort(key=lambda j: tuple(j["order"]))
        for target in targets if explore and (shard is None or shard.index == 1) else []:
            for explored in explore(target):
                writer.add_map(explored)
        complete = True
    finally:
        pool.stop()
        doc = writer.close(complete=complete)
    return doc


class _Pool:
    """The worker processes, the tasks they take one at a time, and who is running what."""

    def __init__(self, job: Job, workers: int, tasks: list[tuple[int, int]], items: list[Any],
                 on_start: Callable[[tuple[int, int]], None] = lambda task: None) -> None:
        self.job, self.tasks, self.items, self.context = job, tasks, items, multiprocessing.get_context("spawn")
        self.on_start = on_start
        self.todo, self.done_q = self.context.Queue(), self.context.Queue()
        for task in tasks:
            self.todo.put(task)
        self.procs: dict[int, Any] = {}
        self.running: dict[int, tuple[int, int]] = {}
        self.finished: set[tuple[int, int]] = set()
        self.next_number = 1
        for _ in range(min(workers, max(1, len(tasks)))):
            self._start()

    def _start(self) -> None:
        number, self.next_number = self.next_number, self.next_number + 1
        proc = self.context.Process(target=_work, args=(self.job, number, self.todo, self.done_q), daemon=True,
                                   name=f"simsuite-worker-{number}")
        proc.start()
        self.procs[number] = proc
        self.todo.put(None)  # one stop sign per worker, after the tasks

    def results(self):
        """(worker number, journey dict) as each journey finishes, until every task is accounted for."""
        while len(self.finished) < len(self.tasks):
            try:
                message = self.done_q.get(timeout=_POLL_S)
            except queue.Empty:
                yield from self._reap()
                continue
            kind, number, task = message[0], message[1], tuple(message[2])
            if kind == "start":
                self.running[number] = task
                self.on_start(task)
            elif task not in self.finished:
                self.running.pop(number, None)
                self.finished.add(task)
                yield number, message[3]

    def _reap(self):
        """Workers that died: the journey each was running is an error, and a new worker takes over."""
        for number, proc in list(self.procs.items()):
            if proc.is_alive():
                continue
            del self.procs[number]
            task = self.running.pop(number, None)
            if task is not None and task not in self.finished:
                self.finished.add(task)
                yield number, _lost(self.job, self.items[task[1]], task, proc.exitcode)
            if proc.exitcode != 0 and len(self.finished) < len(self.tasks):
                self._start()  # a worker that stopped normally took its stop sign: every task was taken

    def stop(self) -> None:
        deadline = time.monotonic() + 10
        for proc in self.procs.values():
            proc.join(timeout=max(0.1, deadline - time.monotonic()))
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)


def _work(job: Job, number: int, todo: Any, done: Any) -> None:
    """A worker process: take journey runs until the stop sign, and send each result back."""
    set_default_gate(HostGate(job.politeness))  # the same limits, shared with the other workers on this machine
    items, phrases = job.load()
    with ExitStack() as stack:
        targets = start_targets(job.target, stack, lambda _: None, customers=[persona for *_, persona in items])
        pool = BrowserPool(stack, remote=job.remote)
        while (task := todo.get()) is not None:
            t, i = task
            done.put(("start", number, task))
            scenario, spec, persona = items[i]
            result = run_journey(spec, scenario, persona, targets[t], page_factory=pool.page_factory(targets[t].hosts),
                                 report_dir=job.out, phrases=phrases, time_limit_s=job.time_limit_s)
            pool.release()
            done.put(("done", number, task, {**result.to_dict(), "order": [t, i]}))


def _lost(job: Job, item: tuple[Any, Any, Any], task: tuple[int, int], exitcode: int | None) -> dict[str, Any]:
    """The result of a journey whose worker died while running it: an error, never friction."""
    from .results import now_iso

    scenario, spec, persona = item
    modes = job.target.demo or (job.target.mode,)
    error = (f"the worker process running this journey stopped (exit code {exitcode}) before it finished; the "
             "other journeys ran on")
    result = could_not_run(scenario, spec.name, persona, modes[task[0]], error, started=now_iso())
    return {**result.to_dict(), "order": list(task)}

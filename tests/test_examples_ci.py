"""The CI and Kubernetes examples: every workflow against the schema its service publishes, and the shards.

GitHub workflows are checked against SchemaStore's github-workflow schema and GitLab pipelines against
GitLab's own, both as check-jsonschema vendors them (`--builtin-schema vendor.github-workflows`,
`vendor.gitlab-ci`), with the jsonschema library it uses and YAML read as it reads it (YAML 1.2, so
`on:` stays a string). A broken copy of each file must fail, or the check proves nothing; the
check-jsonschema command itself must agree. The sharded examples are checked for what a schema cannot
see: N shards numbered 1..N, every part reaching the merge, and the commands run with a stub simsuite.
"""

from __future__ import annotations

import copy
import fnmatch
import json
import os
import re
import shlex
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import ruamel.yaml

ROOT = Path(__file__).resolve().parent.parent
CI = ROOT / "examples" / "ci"
K8S = ROOT / "examples" / "k8s" / "simsuite-shards-job.yaml"
SHARDS_WORKFLOW = CI / "github-actions-shards.yml"
WEEKLY_WORKFLOW = CI / "github-actions.yml"
PYTEST_WORKFLOW = CI / "github-actions-pytest.yml"
GITLAB_PIPELINE = CI / "gitlab-ci.yml"
WORKFLOWS = sorted(p for p in CI.iterdir() if p.suffix in (".yml", ".yaml"))
SCHEMA_OF = {"github": "github-workflows", "gitlab": "gitlab-ci"}


# --------------------------------------------------------------------------------------------------
# Reading YAML and the schemas as check-jsonschema does


def _yaml() -> ruamel.yaml.YAML:
    """ruamel's safe loader (YAML 1.2), timestamps kept as strings, GitLab's !reference as a list."""
    impl = ruamel.yaml.YAML(typ="safe", pure=True)

    class Constructor(ruamel.yaml.SafeConstructor):  # a subclass, so the tags below stay local
        pass

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_yaml_str)
    Constructor.add_constructor("!reference", lambda loader, node: loader.construct_sequence(node))
    impl.Constructor = Constructor
    return impl


def _json_keys(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k): _json_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_json_keys(v) for v in data]
    return data


def load_yaml(path: Path) -> Any:
    return _json_keys(_yaml().load(path.read_text(encoding="utf-8")))


def load_yaml_documents(path: Path) -> list[Any]:
    return [_json_keys(d) for d in _yaml().load_all(path.read_text(encoding="utf-8")) if d is not None]


def kind_of(path: Path, doc: Any) -> str:
    """Which service a workflow file is for: 'github' or 'gitlab'."""
    if "gitlab" in path.name:
        return "gitlab"
    if isinstance(doc, dict) and "jobs" in doc and "on" in doc:
        return "github"
    raise AssertionError(f"{path.name}: neither a GitHub workflow nor a GitLab pipeline; give it a schema here")


_VALIDATORS: dict[str, jsonschema.protocols.Validator] = {}


def validator(kind: str) -> jsonschema.protocols.Validator:
    name = SCHEMA_OF[kind]
    if name not in _VALIDATORS:
        text = resources.files("check_jsonschema.builtin_schemas.vendor").joinpath(f"{name}.json").read_text("utf-8")
        schema = json.loads(text)
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        _VALIDATORS[name] = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return _VALIDATORS[name]


def schema_errors(kind: str, doc: Any) -> list[str]:
    return [f"at {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:300]}"
            for e in sorted(validator(kind).iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))]


def check_jsonschema(kind: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", f"vendor.{SCHEMA_OF[kind]}"]
    if kind == "gitlab":
        cmd += ["--data-transform", "gitlab-ci"]
    return subprocess.run([*cmd, *map(str, paths)], check=False, capture_output=True, text=True, timeout=120)


# --------------------------------------------------------------------------------------------------
# Every workflow file against its published schema


def test_the_examples_are_all_here():
    names = {p.name for p in WORKFLOWS}
    assert {"github-actions.yml", "github-actions-shards.yml", "github-actions-pytest.yml", "gitlab-ci.yml"} <= names
    for path in WORKFLOWS:
        kind_of(path, load_yaml(path))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_its_published_schema(path):
    doc = load_yaml(path)
    assert schema_errors(kind_of(path, doc), doc) == [], f"{path.name} breaks its schema"


def _first_job(doc: dict[str, Any], kind: str) -> dict[str, Any]:
    if kind == "github":
        return next(iter(doc["jobs"].values()))
    return next(v for k, v in doc.items() if isinstance(v, dict) and "script" in v and not k.startswith("."))


BROKEN = {
    "github": {
        "a job without runs-on": lambda job: job.pop("runs-on"),
        "steps as a mapping": lambda job: job.__setitem__("steps", {"run": {"run": "echo hi"}}),
        "a step with both uses and run": lambda job: job["steps"][0].__setitem__("run", "echo hi"),
    },
    "gitlab": {
        "script as a mapping": lambda job: job.__setitem__("script", {"run": "echo hi"}),
        "a misspelt key": lambda job: job.__setitem__("scripts", ["echo hi"]),
    },
}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_a_broken_copy_fails_its_schema(path):
    doc = load_yaml(path)
    kind = kind_of(path, doc)
    for what, breakage in BROKEN[kind].items():
        broken = copy.deepcopy(doc)
        breakage(_first_job(broken, kind))
        assert schema_errors(kind, broken), f"{path.name} with {what} still passes: the check proves nothing"


def test_check_jsonschema_agrees(tmp_path):
    """The command people run (and pre-commit hooks) passes every example and fails a broken copy."""
    by_kind: dict[str, list[Path]] = {}
    for path in WORKFLOWS:
        by_kind.setdefault(kind_of(path, load_yaml(path)), []).append(path)
    for kind, paths in by_kind.items():
        done = check_jsonschema(kind, *paths)
        assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text(SHARDS_WORKFLOW.read_text(encoding="utf-8").replace("runs-on: ubuntu-latest", "runs_on: x", 1))
    done = check_jsonschema("github", broken)
    assert done.returncode == 1, done.stdout + done.stderr


# --------------------------------------------------------------------------------------------------
# The sharded GitHub workflow: N shards, every part reaches the merge, the summary script runs

MATRIX_SHARD = "${{ matrix.shard }}"
SHARD_I = "@I@"  # MATRIX_SHARD in a command, as one word


def _steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [s for s in job["steps"] if str(s.get("uses", "")).split("@")[0] == action]


def _run_with(job: dict[str, Any], needle: str) -> str:
    runs = [s["run"] for s in job["steps"] if needle in str(s.get("run", ""))]
    assert len(runs) == 1, f"expected one step running {needle!r}, found {len(runs)}"
    return runs[0]


def test_shards_workflow_runs_n_shards_and_merges_every_part():
    doc = load_yaml(SHARDS_WORKFLOW)
    shard_jobs = {k: j for k, j in doc["jobs"].items() if "shard" in (j.get("strategy") or {}).get("matrix", {})}
    assert len(shard_jobs) == 1, "one matrix job over `shard`"
    (shard_name, shard_job), = shard_jobs.items()
    shards = shard_job["strategy"]["matrix"]["shard"]
    assert shard_job["strategy"].get("fail-fast") is False, "one failed shard must not cancel the others"

    run = " ".join(_run_with(shard_job, "simsuite run").replace(MATRIX_SHARD, SHARD_I).split())
    total = re.search(r"--shard\s+" + SHARD_I + r"/(\d+)\b", run)
    assert total, f"--shard {MATRIX_SHARD}/N not in: {run}"
    n = int(total.group(1))
    assert shards == list(range(1, n + 1)), f"matrix {shards} is not the shards 1..{n} of --shard I/{n}"
    out = re.search(r"--out\s+(\S+)", run).group(1)
    assert SHARD_I in out, "each shard writes to its own folder"
    assert "--history" not in run and "--pdf" not in run, "a shard writes only its part"

    upload, = _steps_using(shard_job, "actions/upload-artifact")
    upload_path = upload["with"]["path"].replace(MATRIX_SHARD, SHARD_I)
    assert upload_path.rstrip("/") == out.rstrip("/"), "the uploaded part is the folder the shard wrote"
    assert MATRIX_SHARD in upload["with"]["name"], "one artifact per shard"

    merge_jobs = [j for j in doc["jobs"].values() if "simsuite merge" in json.dumps(j)]
    assert len(merge_jobs) == 1
    merge_job = merge_jobs[0]
    needs = merge_job["needs"] if isinstance(merge_job["needs"], list) else [merge_job["needs"]]
    assert shard_name in needs
    assert "always()" in str(merge_job.get("if")), "the merge runs after a failed shard too, to name it"

    download, = _steps_using(merge_job, "actions/download-artifact")
    assert not download["with"].get("merge-multiple"), "merged into one folder the parts' results.json collide"
    base = download["with"]["path"].rstrip("/")
    names = [upload["with"]["name"].replace(MATRIX_SHARD, str(i)) for i in shards]
    assert all(fnmatch.fnmatchcase(name, download["with"]["pattern"]) for name in names)

    merge = _run_with(merge_job, "simsuite merge")
    words = shlex.split(merge.split("simsuite merge", 1)[1].replace("\\\n", " "))
    parts = words[:words.index("--out")]
    folders = [f"{base}/{name}/" for name in names]
    for folder in folders:
        assert any(fnmatch.fnmatchcase(folder, p) for p in parts), f"{folder} is not given to the merge ({parts})"
    assert "--history" in merge and "SIMSUITE_HISTORY_URL" in merge


def _summary_script(workflow: Path = SHARDS_WORKFLOW) -> str:
    doc = load_yaml(workflow)
    runs = [s["run"] for j in doc["jobs"].values() for s in j["steps"] if "GITHUB_STEP_SUMMARY" in str(s.get("run"))]
    assert len(runs) == 1, "one step writes the job summary"
    body = re.search(r"<<'EOF'\n(.*?)\nEOF\s*$", runs[0], re.DOTALL)
    assert body, "the summary is a Python heredoc"
    return body.group(1)


def _write_summary(tmp_path: Path, workflow: Path = SHARDS_WORKFLOW, **env: str) -> str:
    out = tmp_path / "summary.md"
    out.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-c", _summary_script(workflow)], check=False, cwd=tmp_path,
                          capture_output=True, text=True,
                          env={**os.environ, "GITHUB_STEP_SUMMARY": str(out), **env}, timeout=60)
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="utf-8")


def test_the_job_summary_reads_the_merged_results(tmp_path):
    from simsuite.suite import summarize

    def journey(scenario, index, outcome="completed", violations=()):
        return {"id": f"{scenario}/j/staging/p1", "scenario": scenario, "journey": "j", "mode": "staging",
                "outcome": outcome, "index": index, "steps": [], "frictions": [],
                "budget_violations": list(violations)}

    journeys = [journey("refund | web", 20.0), journey("move", 71.5, "gave_up", ["index 71.5 > budget 60"]),
                journey("move", 0.0, "error")]
    results = tmp_path / "reports" / "merged" / "results.json"
    results.parent.mkdir(parents=True)
    results.write_text(json.dumps({"schema": 2, "tool": {"name": "simsuite", "version": "0"},
                                   "run": {"merged_from": ["1/2", "2/2"]}, "journeys": journeys, "maps": [],
                                   "summary": summarize(journeys)}))
    text = _write_summary(tmp_path)
    assert "**3 journeys** from shards 1/2, 2/2" in text and "1 could not run" in text
    assert "| refund \\| web | staging | 1 | 20.0 | 20.0 |" in text
    assert "| move | staging | 2 | 71.5 | 71.5 |" in text
    assert "1 journey(s) over their friction budget" in text and "index 71.5 > budget 60" in text

    results.unlink()
    assert "No merged results" in _write_summary(tmp_path)


def _results_doc(journeys: list[dict[str, Any]]) -> str:
    from simsuite.suite import summarize

    return json.dumps({"schema": 2, "tool": {"name": "simsuite", "version": "0"}, "run": {}, "journeys": journeys,
                       "maps": [], "summary": summarize(journeys)})


def _journey(scenario, index, outcome="completed", violations=(), mode="staging"):
    return {"id": f"{scenario}/j/{mode}/p1", "scenario": scenario, "journey": "j", "mode": mode, "outcome": outcome,
            "index": index, "steps": [], "frictions": [], "budget_violations": list(violations)}


@pytest.mark.parametrize("workflow, folder", [(WEEKLY_WORKFLOW, "staging"), (PYTEST_WORKFLOW, "pytest")],
                         ids=["weekly", "pytest"])
def test_the_other_job_summaries_read_their_results(tmp_path, workflow, folder):
    """The summary reads the results.json the run step writes (--out / --sim-out), per scenario and mode."""
    doc = load_yaml(workflow)
    commands = " ".join(str(s.get("run", "")) for j in doc["jobs"].values() for s in j["steps"])
    assert re.search(r"--(?:sim-)?out\s+reports/" + folder + r"\b", commands), f"the run writes reports/{folder}"
    journeys = [_journey("refund | web", 20.0), _journey("move", 71.5, "gave_up", ["index 71.5 > budget 60"]),
                _journey("move", 30.0, mode="as-is")]
    results = tmp_path / "reports" / folder / "results.json"
    results.parent.mkdir(parents=True)
    results.write_text(_results_doc(journeys))
    text = _write_summary(tmp_path, workflow, REPORT_URL="https://example.test/artifact/1", RUN_EXIT="1",
                          PYTEST_EXIT="1")
    assert "**3 journeys**" in text
    assert "| refund \\| web | staging | 1 | 20.0 | 20.0 |" in text
    assert "| move | staging | 1 | 71.5 | 71.5 |" in text and "| move | as-is | 1 | 30.0 | 30.0 |" in text
    assert "index 71.5 > budget 60" in text
    assert "(https://example.test/artifact/1)" in text, "the summary links to the report artifact"
    results.unlink()
    assert "No results" in _write_summary(tmp_path, workflow, REPORT_URL="x")


# --------------------------------------------------------------------------------------------------
# The weekly GitHub workflow: history that a weekly schedule does not lose, exit codes, report, summary

HISTORY_FILE = "history.sqlite"


def _github_steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for j in doc["jobs"].values() for s in j["steps"]]


def _always(step: dict[str, Any]) -> bool:
    return "always()" in str(step.get("if", ""))


def weekly_problems(doc: dict[str, Any]) -> list[str]:
    """What makes the weekly workflow lose its history or its report; [] when it is right."""
    problems = []
    steps = _github_steps(doc)
    env = {k: v for j in doc["jobs"].values() for k, v in (j.get("env") or {}).items()}

    def mentions_history(value: Any) -> bool:
        text = str(value)
        return HISTORY_FILE in text or any(f"env.{k}" in text or f"${k}" in text
                                           for k, v in env.items() if HISTORY_FILE in str(v))

    for step in steps:
        if str(step.get("uses", "")).split("@")[0].startswith("actions/cache") and \
                mentions_history((step.get("with") or {}).get("path")):
            problems.append("the history is in actions/cache, evicted after 7 days unused: a weekly run loses it")
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    kept = [s for s in uploads if mentions_history(s["with"].get("path"))]
    if not kept:
        problems.append("the history file is not uploaded as an artifact")
    for step in kept:
        if not _always(step):
            problems.append("the history is not uploaded after a failed (over budget) run: add if: always()")
        if int(step["with"].get("retention-days", 90)) < 30:
            problems.append("the history artifact expires too soon for a weekly run")
    names = {s["with"]["name"] for s in kept}
    downloads = [s for s in steps if str(s.get("uses", "")).split("@")[0]
                 in ("actions/download-artifact", "dawidd6/action-download-artifact")]
    if not any((s.get("with") or {}).get("name") in names and
               ((s["with"].get("run-id") and s["with"].get("github-token")) or
                s["uses"].startswith("dawidd6/")) for s in downloads):
        problems.append("the previous run's history artifact is never downloaded (download-artifact needs "
                        "run-id and github-token to read another run)")
    if "actions: read" not in json.dumps(doc.get("permissions")).replace('"', "").replace("{", "").replace("}", ""):
        problems.append("permissions lack actions: read, needed to list and download another run's artifacts")
    run = next((s for s in steps if "simsuite run" in str(s.get("run", ""))), None)
    if run is None or "--history" not in run["run"]:
        problems.append("the run step does not give --history")
    out = re.search(r"--out\s+(\S+)", run["run"]).group(1).rstrip("/") if run else None
    reports = [s for s in uploads if out and str(s["with"].get("path", "")).rstrip("/") in (out, "reports")]
    if not reports or not all(_always(s) for s in reports):
        problems.append("the report folder is not uploaded with if: always() (a failed run's report is lost)")
    summaries = [s for s in steps if "GITHUB_STEP_SUMMARY" in str(s.get("run", ""))]
    if not summaries or not all(_always(s) for s in summaries):
        problems.append("no step writes $GITHUB_STEP_SUMMARY with if: always()")
    return problems


def test_the_weekly_workflow_keeps_history_report_and_summary():
    assert weekly_problems(load_yaml(WEEKLY_WORKFLOW)) == []


def _history_in_cache(doc):
    job = next(iter(doc["jobs"].values()))
    job["steps"].insert(1, {"uses": "actions/cache@v4", "with": {"path": "reports/history.sqlite", "key": "h"}})


def _step_where(doc, predicate):
    return next(s for s in _github_steps(doc) if predicate(s))


WEEKLY_BROKEN = {
    "the history in actions/cache": _history_in_cache,
    "the report uploaded only on success": lambda doc: _step_where(
        doc, lambda s: "report" in str(s.get("name", "")).lower() and "upload" in str(s.get("uses"))).pop("if"),
    "the history uploaded only on success": lambda doc: _step_where(
        doc, lambda s: "upload" in str(s.get("uses")) and HISTORY_FILE in str(s.get("with"))).pop("if"),
    "no job summary": lambda doc: [j["steps"].remove(s) for j in doc["jobs"].values() for s in list(j["steps"])
                                   if "GITHUB_STEP_SUMMARY" in str(s.get("run", ""))],
    "no download of the history": lambda doc: [j["steps"].remove(s) for j in doc["jobs"].values()
                                               for s in list(j["steps"]) if "download-artifact" in str(s.get("uses"))],
    "no actions: read": lambda doc: doc["permissions"].pop("actions"),
}


@pytest.mark.parametrize("what", WEEKLY_BROKEN)
def test_a_broken_weekly_workflow_fails_the_check(what):
    doc = load_yaml(WEEKLY_WORKFLOW)
    WEEKLY_BROKEN[what](doc)
    assert weekly_problems(doc), f"the weekly workflow with {what} still passes: the check proves nothing"


def _bash_step(script: str, tmp_path: Path, stub_exit: int, **env: str) -> tuple[subprocess.CompletedProcess, list, dict]:
    """Run a step's `run:` as GitHub does (bash -e), with a stub python3; its exit, calls and outputs."""
    bin_dir = tmp_path / "bin" if (tmp_path / "bin").exists() else _stub_bin(tmp_path)
    log, outputs = tmp_path / "calls.jsonl", tmp_path / "github_output"
    log.unlink(missing_ok=True)
    outputs.write_text("")
    done = subprocess.run(["bash", "-e", "-c", script], check=False, cwd=tmp_path, capture_output=True, text=True,
                          timeout=60, env={"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "STUB_LOG": str(log),
                                           "STUB_EXIT": str(stub_exit), "GITHUB_OUTPUT": str(outputs), **env})
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return done, calls, dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)


@pytest.mark.parametrize("code", [0, 1, 2, 3])
def test_the_weekly_run_step_fails_on_1_2_3_and_says_which(tmp_path, code):
    doc = load_yaml(WEEKLY_WORKFLOW)
    step = _step_where(doc, lambda s: "simsuite run" in str(s.get("run", "")))
    env = {k: str(v) for j in doc["jobs"].values() for k, v in (j.get("env") or {}).items() if "${{" not in str(v)}
    done, calls, outputs = _bash_step(step["run"], tmp_path, code, STAGING_URL="https://staging.test",
                                      SIMSUITE_WEBHOOK="", SIMSUITE_HISTORY_URL="", **env)
    assert done.returncode == code, done.stdout + done.stderr
    assert outputs.get("code") == str(code), "the exit code is a step output, for the summary"
    if code:
        assert "::error::" in done.stdout
    call, = calls
    assert call[:3] == ["bootstrap.py", "simsuite", "run"]
    assert call[call.index("--history") + 1] == "reports/history.sqlite"
    assert "--alert-webhook" not in call, "no webhook, no empty --alert-webhook"
    done, calls, _ = _bash_step(step["run"], tmp_path, 0, STAGING_URL="https://staging.test",
                                SIMSUITE_WEBHOOK="https://hooks.test/x?a=1", SIMSUITE_HISTORY_URL="postgresql://h/db",
                                **env)
    call, = calls
    assert call[call.index("--history") + 1] == "postgresql://h/db"
    assert call[call.index("--alert-webhook") + 1] == "https://hooks.test/x?a=1"


def test_the_weekly_and_pytest_workflows_cache_pip_and_the_browser():
    for path in (WEEKLY_WORKFLOW, PYTEST_WORKFLOW):
        steps = _github_steps(load_yaml(path))
        setup, = [s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python@")]
        assert setup["with"].get("cache") == "pip" and setup["with"].get("cache-dependency-path") == "pyproject.toml"
        caches = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache@")]
        assert any("ms-playwright" in str(s["with"]["path"]) for s in caches), f"{path.name}: no browser cache"


# --------------------------------------------------------------------------------------------------
# The pytest workflow


def test_the_pytest_workflow_runs_the_journeys_with_xdist_and_keeps_the_results():
    doc = load_yaml(PYTEST_WORKFLOW)
    steps = _github_steps(doc)
    run = _step_where(doc, lambda s: "pytest journeys/" in str(s.get("run", "")))["run"]
    words = shlex.split(run.split("pytest journeys/", 1)[1].split("||")[0].replace("\\\n", " "))
    assert words[words.index("-n") + 1] == "2"
    out = words[words.index("--sim-out") + 1]
    junit = words[words.index("--junitxml") + 1]
    assert Path(junit).parent == Path(out), "the JUnit file goes with the report"
    assert "--base-url" in words
    published = [s for s in steps if junit in json.dumps(s.get("with") or {}) and "upload-artifact" not in s["uses"]]
    assert published and all(_always(s) for s in published), "the JUnit results are published even when tests fail"
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    assert any(s["with"]["path"].rstrip("/") == out and _always(s) for s in uploads)
    assert any("GITHUB_STEP_SUMMARY" in str(s.get("run")) and _always(s) for s in steps)


# --------------------------------------------------------------------------------------------------
# The GitLab pipeline: an image with what bootstrap.py needs, history outside the CI cache


def gitlab_problems(doc: dict[str, Any]) -> list[str]:
    job = _first_job(doc, "gitlab")
    problems = []
    image = job.get("image") or doc.get("image") or doc.get("default", {}).get("image")
    image = image["name"] if isinstance(image, dict) else str(image)
    setup = "\n".join(map(str, [*(job.get("before_script") or []), *(job.get("script") or [])]))
    playwright_image = re.match(r"mcr\.microsoft\.com/playwright/python:v(\d+\.\d+\.\d+)", image)
    if not (re.match(r"python:3(\.\d+)?(-(bookworm|trixie|bullseye))?$", image) or "python3-venv" in setup):
        problems.append(f"{image} may lack Python's venv, which `python3 bootstrap.py` needs: use python:3.x "
                        "or install python3-venv")
    if playwright_image:
        if f"playwright=={playwright_image.group(1)}" not in setup:
            problems.append(f"set-up may install a Playwright newer than {image}'s browsers: "
                            f"pip install playwright=={playwright_image.group(1)}")
    elif not re.search(r"apt-get install[^\n]*\bchromium\b", setup):
        problems.append(f"{image} has no Chromium: apt-get install chromium")
    for path in (job.get("cache") or {}).get("paths", []) if isinstance(job.get("cache"), dict) else []:
        if HISTORY_FILE in path:
            problems.append("the history is in the CI cache (per runner, cleared any time)")
    artifacts = job.get("artifacts") or {}
    if artifacts.get("when") != "always":
        problems.append("artifacts are not kept when the job fails")
    if "junit" not in (artifacts.get("reports") or {}):
        problems.append("no artifacts:reports:junit")
    if "--history" not in setup or ("SIMSUITE_HISTORY_URL" not in setup and HISTORY_FILE not in json.dumps(job)):
        problems.append("the run keeps no history")
    return problems


def test_the_gitlab_pipeline_has_python_venv_a_browser_and_kept_history():
    assert gitlab_problems(load_yaml(GITLAB_PIPELINE)) == []


def _gitlab_with(image: str, *before: str):
    def change(doc):
        job = _first_job(doc, "gitlab")
        job["image"] = image
        job["before_script"] = [*before, *[line for line in job["before_script"] if "apt-get install" not in line]]
    return change


GITLAB_BROKEN = {
    "Playwright's image without venv": _gitlab_with("mcr.microsoft.com/playwright/python:v1.47.0-jammy"),
    "Playwright's image, unpinned": _gitlab_with("mcr.microsoft.com/playwright/python:v1.47.0-jammy",
                                                 "apt-get install -y python3-venv"),
    "python image without a browser": _gitlab_with("python:3.12-bookworm"),
    "history in the cache": lambda doc: _first_job(doc, "gitlab")["cache"]["paths"].append("reports/history.sqlite"),
    "artifacts only on success": lambda doc: _first_job(doc, "gitlab")["artifacts"].pop("when"),
}


@pytest.mark.parametrize("what", GITLAB_BROKEN)
def test_a_broken_gitlab_pipeline_fails_the_check(what):
    doc = load_yaml(GITLAB_PIPELINE)
    GITLAB_BROKEN[what](doc)
    assert gitlab_problems(doc), f"the pipeline with {what} still passes: the check proves nothing"


def test_the_playwright_image_route_passes_when_pinned():
    doc = load_yaml(GITLAB_PIPELINE)
    _gitlab_with("mcr.microsoft.com/playwright/python:v1.47.0-jammy", "apt-get install -y python3-venv",
                 "pip install playwright==1.47.0")(doc)
    assert gitlab_problems(doc) == []


# --------------------------------------------------------------------------------------------------
# The Kubernetes Indexed Job and its merge


def _manifests() -> list[dict[str, Any]]:
    docs = load_yaml_documents(K8S)
    assert docs and all(isinstance(d, dict) and d.get("apiVersion") and d.get("kind") for d in docs)
    return docs


def _script(container: dict[str, Any]) -> str:
    command = [*container.get("command", []), *container.get("args", [])]
    assert command[:2] == ["sh", "-c"], "the pods run a shell script"
    return command[2]


def _jobs() -> tuple[dict[str, Any], dict[str, Any]]:
    jobs = [d for d in _manifests() if d["kind"] == "Job"]
    indexed = [j for j in jobs if j["spec"].get("completionMode") == "Indexed"]
    merges = [j for j in jobs
              if any("simsuite merge" in _script(c) for c in j["spec"]["template"]["spec"]["containers"])]
    assert len(indexed) == 1 and len(merges) == 1 and indexed[0] is not merges[0]
    return indexed[0], merges[0]


def test_the_manifest_is_an_indexed_job_of_n_shards_and_a_merge():
    shards, merge = _jobs()
    spec = shards["spec"]
    container, = spec["template"]["spec"]["containers"]
    script = _script(container)
    assert re.search(r"\$\(\(\s*JOB_COMPLETION_INDEX\s*\+\s*1\s*\)\)", script), "shard I+1: Kubernetes counts from 0"
    n = int(re.search(r"--shard\s+\"?\$\{?\w+\}?/(\d+)\"?", script).group(1))
    assert spec["completions"] == spec["parallelism"] == n
    for job in (shards, merge):
        pod = job["spec"]["template"]["spec"]
        assert job["apiVersion"] == "batch/v1"
        assert pod["restartPolicy"] == "Never"
        assert isinstance(job["spec"]["backoffLimit"], int)
        for c in pod["containers"]:
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(c["resources"][kind]), f"{job['metadata']['name']}: {kind}"
    assert merge["spec"]["backoffLimit"] == 0, "a retried merge would keep a second history entry"
    assert merge["spec"].get("suspend") is True, "the merge waits until the shards are done"

    merge_container, = merge["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in merge_container["env"]}
    assert env["SIMSUITE_HISTORY_URL"]["valueFrom"]["secretKeyRef"]["name"], "the history URL comes from a Secret"
    assert '--history "$SIMSUITE_HISTORY_URL"' in _script(merge_container)

    claims = {d["metadata"]["name"]: d for d in _manifests() if d["kind"] == "PersistentVolumeClaim"}
    for job in (shards, merge):
        for volume in job["spec"]["template"]["spec"]["volumes"]:
            if "persistentVolumeClaim" in volume:
                claim = claims[volume["persistentVolumeClaim"]["claimName"]]
                assert "ReadWriteMany" in claim["spec"]["accessModes"], "shards on several nodes share it"


def _runnable(script: str, container: dict[str, Any], pod: dict[str, Any], root: Path) -> str:
    """The script with each mount of a claim moved under `root/<claim>/<subPath>`, as one volume's folders."""
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"]
              for v in pod["volumes"] if "persistentVolumeClaim" in v}
    for mount in container["volumeMounts"]:
        if mount["name"] in claims:
            target = root / claims[mount["name"]] / mount.get("subPath", "")
            target.mkdir(parents=True, exist_ok=True)
            script = re.sub(r"(?<![\w./-])" + re.escape(mount["mountPath"]) + r"(?=[/\"\s]|$)",
                            lambda _, to=str(target): to, script)
    return script


def _stub_bin(tmp_path: Path) -> Path:
    """A `python3` that records its arguments and, for `--out DIR`, writes DIR/results.json."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub = bin_dir / "python3"
    stub.write_text(f"""#!{sys.executable}
import json, os, sys
from pathlib import Path
args = sys.argv[1:]
with open(os.environ["STUB_LOG"], "a") as fh:
    fh.write(json.dumps(args) + "\\n")
if "--out" in args:
    out = Path(args[args.index("--out") + 1])
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text("{{}}")
sys.exit(int(os.environ.get("STUB_EXIT", "0")))
""")
    stub.chmod(0o755)
    return bin_dir


def _run_pod(script: str, container: dict[str, Any], tmp_path: Path, stub_exit: int = 0, **env: str):
    """Run a pod's script as its container would, with the container's env; the calls to the stub."""
    bin_dir = tmp_path / "bin" if (tmp_path / "bin").exists() else _stub_bin(tmp_path)
    log = tmp_path / "calls.jsonl"
    log.unlink(missing_ok=True)
    values = {e["name"]: e.get("value", f"<{e['name']}>") for e in container.get("env", [])}
    workdir = tmp_path / "app"
    workdir.mkdir(exist_ok=True)
    done = subprocess.run(["sh", "-c", script], check=False, cwd=workdir, capture_output=True, text=True, timeout=60,
                          env={"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
                               "STUB_LOG": str(log), "STUB_EXIT": str(stub_exit), **values, **env})
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return done, calls


def test_the_pods_commands_shard_by_index_and_the_merge_gets_every_part(tmp_path):
    shards, merge = _jobs()
    n = shards["spec"]["completions"]
    pod = shards["spec"]["template"]["spec"]
    container, = pod["containers"]
    volume = tmp_path / "volume"
    script = _runnable(_script(container), container, pod, volume)

    def parts() -> list[Path]:  # the folders holding a results.json, hidden ones (work in progress) aside
        return sorted(p.parent for p in volume.rglob("results.json")
                      if not any(part.startswith(".") for part in p.relative_to(volume).parts))

    for index in range(n):
        done, calls = _run_pod(script, container, tmp_path, JOB_COMPLETION_INDEX=str(index))
        assert done.returncode == 0, done.stderr
        call, = calls
        assert call[:3] == ["bootstrap.py", "simsuite", "run"]
        assert call[call.index("--shard") + 1] == f"{index + 1}/{n}", "shard I+1 of N: Kubernetes counts from 0"
        assert "--history" not in call
    made = parts()
    assert [p.name for p in made] == [f"shard-{i}" for i in range(1, n + 1)]

    done, _ = _run_pod(script, container, tmp_path, stub_exit=1, JOB_COMPLETION_INDEX="1")   # shard 2 crashes
    assert done.returncode != 0
    assert [p.name for p in parts()] == [f"shard-{i}" for i in range(1, n + 1) if i != 2], \
        "a crashed shard leaves no part (nor the last run's), so the merge names it missing"
    done, _ = _run_pod(script, container, tmp_path, JOB_COMPLETION_INDEX="1")                # its retry succeeds
    assert done.returncode == 0 and parts() == made

    merge_pod = merge["spec"]["template"]["spec"]
    merge_container, = merge_pod["containers"]
    merge_script = _runnable(_script(merge_container), merge_container, merge_pod, volume)
    done, calls = _run_pod(merge_script, merge_container, tmp_path)
    assert done.returncode == 0, done.stderr
    call, = calls
    assert call[:3] == ["bootstrap.py", "simsuite", "merge"]
    given = sorted(Path(p) for p in call[3:call.index("--out")])
    assert given == made, "the merge names every shard's folder, and nothing else"
    assert call[call.index("--history") + 1] == "<SIMSUITE_HISTORY_URL>"
    assert volume in Path(call[call.index("--out") + 1]).parents, "the report is kept on the volume"

"""A user's mistakes get clear messages; a site that is down is an error, not friction; a crash keeps results."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from simsuite import journey
from simsuite.core.journey import JourneySpec
from simsuite.results import load_results
from simsuite.runner import RunTarget, run_suite
from simsuite.core.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_broken_scenario_names_file_line_and_fix_without_traceback(simsuite_cli, tmp_path):
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "bad.yaml").write_text("goal: Move it.\njourneys: [reschedule_lab_appointment]\npersona:\n"
                                        "  channels: [web, fax]\n")
    done = simsuite_cli("run", "--base-url", "http://127.0.0.1:9", "--scenarios", str(scenarios),
                        "--out", str(tmp_path / "out"), str(ROOT / "journeys"))
    assert done.returncode == 2
    assert f"{scenarios / 'bad.yaml'}:4: 'fax' is not a known channel. Fix: use one of:" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_unknown_journey_in_a_scenario_is_named(simsuite_cli, tmp_path):
    (tmp_path / "s.yaml").write_text("goal: g\njourneys: [no_such_journey]\n")
    done = simsuite_cli("run", "--base-url", "http://127.0.0.1:9", "--scenarios", str(tmp_path),
                        "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "names journey 'no_such_journey', which no file defines" in done.stderr
    assert "Traceback" not in done.stderr


def test_site_that_is_down_is_an_error_outcome_not_friction(simsuite_cli, tmp_path):
    port = closed_port()
    out = tmp_path / "out"
    done = simsuite_cli("run", str(ROOT / "journeys" / "reschedule_lab_appointment.py"),
                        "--base-url", f"http://127.0.0.1:{port}", "--out", str(out),
                        "--history", str(tmp_path / "history.sqlite"))
    assert done.returncode == 3  # could not run: not "over budget" (1)
    assert "Traceback" not in done.stderr and "exceeded their friction budget" not in done.stdout
    assert "could not run (an error, not friction)" in done.stdout
    assert "not kept in the history" in done.stdout
    from simsuite.history import History

    with History(tmp_path / "history.sqlite") as store:  # no scored run, only the could_not_run alert
        assert store.runs() == [] and [a["kind"] for a in store.alerts()] == ["could_not_run"]
    doc = json.loads((out / "results.json").read_text())
    for j in doc["journeys"]:
        assert j["outcome"] == "error" and j["index"] is None and j["frictions"] == []
        assert "could not be reached" in j["error"]
    assert doc["summary"]["errors"] == len(doc["journeys"]) > 0
    assert "could not be reached" in done.stdout


def test_a_base_url_that_is_not_a_web_address_is_a_usage_error_not_friction(simsuite_cli, tmp_path):
    done = simsuite_cli("run", str(ROOT / "journeys" / "report_outage_in_a_fire.py"), "--base-url", "not-a-url",
                        "--out", str(tmp_path / "out"), "--no-history")
    assert done.returncode == 2
    assert "the base URL 'not-a-url' is not a web address. Fix:" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out" / "results.json").exists()


def test_crash_mid_run_keeps_what_was_gathered(tmp_path):
    calls = []

    @journey
    def fine(customer):
        calls.append("fine")
        customer.resolved("nothing to do")

    @journey
    def pulls_the_plug(customer):
        raise KeyboardInterrupt

    journeys = {"fine": fine.__simsuite_journey__, "pulls_the_plug": pulls_the_plug.__simsuite_journey__}
    assert isinstance(journeys["fine"], JourneySpec)
    scenario = Scenario(name="s", goal="g", journeys=("fine", "pulls_the_plug"))
    with pytest.raises(KeyboardInterrupt):
        run_suite([scenario], journeys, [RunTarget("t", "http://127.0.0.1:9")], seed=1, out_dir=tmp_path,
                  log=lambda line: None)
    doc = load_results(tmp_path / "results.json")
    assert calls == ["fine"]
    assert [j["journey"] for j in doc["journeys"]] == ["fine"]
    assert doc["run"]["complete"] is False


def test_script_bug_is_an_error_with_its_location_and_the_run_goes_on(tmp_path):
    @journey
    def buggy(customer):
        customer.fact("shoe_size")

    @journey
    def fine(customer):
        customer.resolved("ok")

    journeys = {"buggy": buggy.__simsuite_journey__, "fine": fine.__simsuite_journey__}
    doc = run_suite([Scenario(name="s", goal="g", journeys=("buggy", "fine"))], journeys,
                    [RunTarget(None, "http://127.0.0.1:9")], seed=1, out_dir=tmp_path, log=lambda line: None)
    buggy_result, fine_result = doc["journeys"]
    assert buggy_result["outcome"] == "error" and "test_cli_and_failures.py" in buggy_result["error"]
    assert fine_result["outcome"] == "resolved"


def test_journey_must_take_the_customer():
    from simsuite.errors import ScriptError

    with pytest.raises(ScriptError, match="must take exactly one argument"):
        @journey
        def no_customer():
            pass


def test_version_is_printed_and_option_prefixes_are_refused(capsys):
    from simsuite.cli import main
    from simsuite.version import __version__

    with pytest.raises(SystemExit) as shown:
        main(["--version"])
    assert shown.value.code == 0 and capsys.readouterr().out.strip() == f"simsuite {__version__}"
    with pytest.raises(SystemExit) as refused:  # --base is not taken to mean --base-url
        main(["run", "--base", "http://127.0.0.1:9", "--no-history"])
    assert refused.value.code == 2 and "--base-url" in capsys.readouterr().err


def test_a_scenario_naming_a_journey_the_given_files_lack_is_an_error_not_dropped(simsuite_cli, tmp_path):
    (tmp_path / "journeys").mkdir()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "journeys" / "mine.py").write_text(
        "from simsuite import journey\n\n@journey\ndef mine(customer):\n    customer.resolved('done')\n")
    (tmp_path / "scenarios" / "s.yaml").write_text("goal: g\njourneys: [mine, typo_journey]\n")
    done = simsuite_cli("run", str(tmp_path / "journeys" / "mine.py"), "--base-url", "http://127.0.0.1:9",
                        "--out", str(tmp_path / "out"), "--no-history")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "names journey 'typo_journey'" in done.stderr and "Known journeys: mine" in done.stderr
    assert not (tmp_path / "out" / "results.json").exists()  # refused before any journey ran


@pytest.mark.parametrize("kind", ["scenario", "phrases", "chat config"])
def test_a_file_that_is_not_utf8_names_its_line_and_the_fix(kind, simsuite_cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"goal: fine\njourneys: [j]\n# caf\xe9 in Latin-1\n")
    flag = {"scenario": "--scenarios", "phrases": "--phrases", "chat config": "--chat-config"}[kind]
    done = simsuite_cli("run", "--base-url", "http://127.0.0.1:9", flag, str(bad), "--out", str(tmp_path / "o"),
                        "--no-history")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{bad}:3:" in done.stderr and "not UTF-8" in done.stderr and "UTF-8" in done.stderr.split("Fix:")[1]


def test_every_subcommand_shows_an_example_and_every_option_says_what_it_does():
    import argparse

    from simsuite.cli import _parser

    seen: list[str] = []

    def walk(parser: argparse.ArgumentParser) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    seen.append(sub.prog)
                    assert sub.epilog and f"\n  {sub.prog}" in sub.epilog, f"{sub.prog} shows no example"
                    walk(sub)
            else:
                assert action.help, f"{parser.prog} {action.option_strings or action.dest} has no help text"

    walk(_parser())
    assert {"simsuite run", "simsuite merge", "simsuite explore web", "simsuite schedule"} <= set(seen)

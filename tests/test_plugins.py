"""Extension points: one registry type, and a plugin package that adds a channel, a detector and a reporter
through the `simsuite.plugins` entry-point group, without editing simsuite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree

import pytest

from simsuite.core.registry import Registry, RegistryError
from simsuite.core.scenario import load_scenario
from simsuite.errors import ScenarioError, SimsuiteError

PLUGIN = '''
"""A tiny third-party simsuite plugin: an SMS channel, a detector and a reporter."""
from pathlib import Path

from simsuite import Action, Detector, Friction, FrictionKind, register_channel, register_detector, register_reporter


@register_channel("sms")
class SmsChannel:
    name = "sms"

    def __init__(self, ctx):
        self.ctx = ctx
        self.contact = ctx.journal.new_contact("sms")

    def receive(self, text):
        self.ctx.clock.advance(30)
        return self.ctx.journal.record("sms", Action.HEARD, "text message", text, contact=self.contact)

    def close(self):
        pass


@register_detector
class ShoutingDetector(Detector):
    name = "shouting"

    def on_step(self, journal, step):
        if step.text and step.text.split(".")[0].isupper():
            yield Friction(kind=FrictionKind.DEAD_END, step=step.index, channel=step.channel,
                           evidence=step.text.split(".")[0], source=self.name)


@register_reporter
class CountReporter:
    name = "acme-count"

    def write(self, doc, out_dir):
        path = Path(out_dir) / "count.txt"
        path.write_text(str(len(doc["journeys"])))
        return path
'''

JOURNEY = '''
from simsuite import journey


@journey
def texted(customer):
    customer.channel("sms").receive("WE CANNOT HELP. Please visit our website.")
    customer.gave_up("nobody helped")
'''


@pytest.fixture
def plugin_project(tmp_path: Path) -> dict[str, Path]:
    """An installed plugin (its package and dist-info on a path folder) and a project using it."""
    site = tmp_path / "site"
    (site / "acme_simsuite").mkdir(parents=True)
    (site / "acme_simsuite" / "__init__.py").write_text(PLUGIN)
    info = site / "acme_simsuite-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-simsuite\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[simsuite.plugins]\nacme = acme_simsuite\n")
    project = tmp_path / "project"
    (project / "journeys").mkdir(parents=True)
    (project / "journeys" / "texted.py").write_text(JOURNEY)
    (project / "scenarios").mkdir()
    common = "goal: Get help.\njourneys: [texted]\npersona: {channels: [sms, phone]}\n"
    (project / "scenarios" / "all.yaml").write_text("name: all-detectors\n" + common)
    (project / "scenarios" / "quiet.yaml").write_text("name: without-channel-demands\n" + common +
                                                      "detectors: {disable: [channel-demand]}\n")
    return {"site": site, "project": project, "out": tmp_path / "out"}


def run(paths: dict[str, Path], *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(paths["site"]), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "simsuite.cli", *args], cwd=paths["project"], env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_plugin_package_adds_a_channel_a_detector_and_a_reporter(plugin_project):
    listed = run(plugin_project, "plugins")
    assert listed.returncode == 0, listed.stderr
    assert "sms" in listed.stdout and "acme_simsuite.SmsChannel" in listed.stdout
    assert "shouting" in listed.stdout and "acme-count" in listed.stdout

    out = plugin_project["out"]
    done = run(plugin_project, "run", "--base-url", "http://127.0.0.1:9", "--out", str(out), "--no-history")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "count.txt").read_text() == "2"  # every registered reporter runs, the plugin's too
    assert (out / "report.html").is_file() and (out / "junit.xml").is_file()
    doc = json.loads((out / "results.json").read_text())
    kinds = {j["scenario"]: sorted(f["kind"] for f in j["frictions"]) for j in doc["journeys"]}
    assert kinds["all-detectors"] == ["dead_end", "unavailable_demand"]
    assert kinds["without-channel-demands"] == ["dead_end"]  # the scenario switched the detector off
    shouted = next(f for f in doc["journeys"][0]["frictions"] if f["source"] == "shouting")
    assert shouted["evidence"] == "WE CANNOT HELP" and shouted["channel"] == "sms"
    assert doc["journeys"][0]["steps"][0]["actor"] == "company"


def test_reporter_narrows_the_reports_written(plugin_project):
    out = plugin_project["out"]
    done = run(plugin_project, "run", "--base-url", "http://127.0.0.1:9", "--out", str(out), "--no-history",
               "--reporter", "junit", "--reporter", "acme-count")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "count.txt").is_file() and (out / "junit.xml").is_file()
    assert not (out / "report.html").exists()
    cases = ElementTree.parse(out / "junit.xml").getroot().findall("testcase")
    assert len(cases) == 2 and all(c.find("failure") is None for c in cases)
    wrong = run(plugin_project, "run", "--base-url", "http://127.0.0.1:9", "--out", str(out), "--no-history",
                "--reporter", "pdf-magic")
    assert wrong.returncode == 2 and "unknown reporter 'pdf-magic'. Fix: use one of" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_a_broken_plugin_names_itself(plugin_project):
    (plugin_project["site"] / "acme_simsuite" / "__init__.py").write_text("raise RuntimeError('half installed')\n")
    done = run(plugin_project, "plugins")
    assert done.returncode == 2
    assert "the simsuite plugin 'acme' (acme_simsuite) failed to load: RuntimeError: half installed" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unknown_detector_in_a_scenario_names_file_line_and_the_known_ones(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("goal: g\njourneys: [j]\ndetectors:\n  disable: [loop, lop]\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:4: 'lop' is not a known detector. Fix: use one of: http-status,")
    assert load_scenario(_write(tmp_path / "ok.yaml", "goal: g\njourneys: [j]\ndetectors: {disable: [loop]}\n")
                         ).disabled_detectors == ("loop",)


def _write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text))
    return path


def test_registry_names_entries_in_order_and_explains_what_is_missing():
    things: Registry[object] = Registry("gadget", how_to_add="Add one with register().")

    @things.register()
    class Spanner:
        name = "spanner"

    things.register("hammer", Spanner)
    assert things.names() == ["spanner", "hammer"] and "hammer" in things and len(things) == 2
    assert things.get("spanner") is Spanner
    with pytest.raises(RegistryError) as caught:
        things.get("saw")
    assert str(caught.value) == "no gadget named 'saw'; known: spanner, hammer. Add one with register()."
    assert isinstance(caught.value, SimsuiteError)
    with pytest.raises(RegistryError, match="unknown gadget 'saw'. Fix: use one of spanner, hammer"):
        things.check(["spanner", "saw"])
    with pytest.raises(TypeError, match="needs a name"):
        things.register()(object())
    things.unregister("hammer")
    assert things.names() == ["spanner"]

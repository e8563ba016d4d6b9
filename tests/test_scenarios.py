"""Scenario files and personas: bundled files load, broken files name file, line and fix, seeds repeat."""

from pathlib import Path

import pytest

from simsuite.errors import ScenarioError
from simsuite.core.personas import make_persona
from simsuite.core.scenario import load_scenario, load_scenarios

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_bundled_scenarios_load():
    scenarios = load_scenarios([ROOT / "scenarios"])
    names = {s.name for s in scenarios}
    assert {"lab-reschedule", "telecom-fire-outage", "telecom-outage-credit"} <= names
    fire = next(s for s in scenarios if s.name == "telecom-fire-outage")
    assert fire.channels == ("phone",)
    assert "account_number" not in fire.knows
    assert fire.budget.max_index == 40 and fire.budget.forbid == ("unavailable_demand",)


GOOD = """\
name: move-it
goal: Move the appointment.
persona:
  count: 3
  channels: [web, phone]
  knows: [name, booking_reference]
journeys: [reschedule_lab_appointment]
budget:
  max_index: 30
"""


def test_personas_follow_the_scenario_and_the_seed(tmp_path):
    scenario = load_scenario(write(tmp_path, GOOD))
    first, again, other = scenario.personas(5), scenario.personas(5), scenario.personas(6)
    assert [p.to_dict() for p in first] == [p.to_dict() for p in again]
    assert [p.name for p in first] != [p.name for p in other]
    assert len(first) == 3
    assert all(p.channels == {"web", "phone"} and p.knows == {"name", "booking_reference"} for p in first)
    with pytest.raises(KeyError, match="does not know their account number"):
        first[0].fact("account_number")


def test_faker_locale_is_used():
    german = make_persona(1, "x", locale="de_DE")
    assert german.locale == "de_DE" and german.records["name"] != make_persona(1, "x").records["name"]


@pytest.mark.parametrize("text,line,words", [
    (GOOD.replace("goal: Move the appointment.", "goal Move: the: appointment:"), 2, "not valid YAML"),
    (GOOD + "colour: blue\n", 10, "unknown key 'colour'"),
    (GOOD.replace("[web, phone]", "[web, pigeon]"), 5, "'pigeon' is not a known channel"),
    (GOOD.replace("knows: [name, booking_reference]", "knows: [name, shoe_size]"), 6, "'shoe_size'"),
    (GOOD.replace("max_index: 30", "max_index: lots"), 9, "max_index is 'lots'"),
    (GOOD.replace("goal: Move the appointment.\n", ""), 1, "has no `goal`"),
    (GOOD.replace("[reschedule_lab_appointment]", "[]"), 7, "journeys is empty"),
    (GOOD.replace("  max_index: 30", "  forbid: [boredom]"), 9, "'boredom' is not a known friction kind"),
])
def test_broken_scenarios_name_file_line_and_fix(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert words in message
    assert "Fix: " in message


def test_duplicate_names_and_missing_paths_are_reported(tmp_path):
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(ScenarioError, match="also used by"):
        load_scenarios([tmp_path])
    with pytest.raises(ScenarioError, match="does not exist"):
        load_scenarios([tmp_path / "nope"])


def test_situations_take_channels_away():
    from simsuite.core.personas import make_persona

    fire = make_persona(1, "x", channels=["web", "phone", "email", "chat"], situation=["No power or internet since the fire"])
    assert fire.channels == {"phone"}
    deaf = make_persona(1, "x", channels=["web", "phone"], situation=["hard_of_hearing"])
    assert deaf.channels == {"web"}
    assert make_persona(1, "x", situation=["no email"]).can_use("email") is False
    assert make_persona(1, "x", situation=["outside business hours"]).outside_business_hours

"""What the main job explores on the demo companies: their IVRs breadth-first, and a caller with a goal."""

from __future__ import annotations

from typing import Any

from ..core.personas import make_persona
from .goal import goal_caller
from .ivr import explore_ivr

FIRE_GOAL = "report a fire that cut my phone and internet service"


def explore_demo(target: Any) -> list[Any]:
    """Maps of the demo IVRs of one mode (lab and telecom) and of a fire-hit caller's goal-directed call."""

    caller = make_persona(7, "explorer", channels=["phone"], knows=["name", "phone", "address", "postcode"],
                          situation=["no power or internet since the fire"])
    dialled = dict(target.dialled)
    return [
        explore_ivr(target.base_url, "/lab/ivr/voice", mode=target.mode, max_depth=6, max_calls=120, dialled=dialled),
        explore_ivr(target.base_url, "/telecom/ivr/voice", mode=target.mode, max_depth=6, max_calls=120,
                    dialled=dialled),
        goal_caller(target.base_url, "/telecom/ivr/voice", FIRE_GOAL, caller, mode=target.mode, dialled=dialled),
    ]

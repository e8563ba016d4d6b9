"""simsuite: synthetic customers run a company's real support flows and score the friction they meet.

    from simsuite import journey

    @journey
    def reschedule(customer):
        web = customer.web
        web.goto("/lab/")
        ...
"""

from .channels import register_channel
from .customer import Customer
from .detectors import Detector, register_detector
from .errors import ScenarioError, SimsuiteError, SiteUnreachable
from .index import IndexWeights, band, kafkaesque_index
from .journey import journey
from .model import Friction, FrictionKind, JourneyResult, Outcome, Step
from .personas import Persona, make_persona
from .reporters import register_reporter
from .scenario import Scenario, load_scenario

__version__ = "0.1.0"

__all__ = [
    "Customer",
    "Detector",
    "Friction",
    "FrictionKind",
    "IndexWeights",
    "JourneyResult",
    "Outcome",
    "Persona",
    "Scenario",
    "ScenarioError",
    "SimsuiteError",
    "SiteUnreachable",
    "Step",
    "band",
    "journey",
    "kafkaesque_index",
    "load_scenario",
    "make_persona",
    "register_channel",
    "register_detector",
    "register_reporter",
    "__version__",
]

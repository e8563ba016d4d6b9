"""simsuite: synthetic customers run a company's real support flows and score the friction they meet.

    from simsuite import journey

    @journey
    def reschedule(customer):
        web = customer.web
        web.goto("/lab/")
        ...

Extension points, each a `Registry` (also filled from the `simsuite.plugins` entry-point group):
`register_channel(name)`, `register_detector`, `register_reporter`.
"""

from .app import RunConfig, RunReport, TargetConfig, run
from .channels import register_channel
from .core.detectors import Detector, register_detector
from .core.index import IndexWeights, band, kafkaesque_index
from .core.journal import Journal
from .core.journey import journey
from .core.personas import Persona, make_persona
from .core.registry import Registry
from .core.scenario import Scenario, load_scenario
from .customer import Customer
from .errors import ScenarioError, ScriptError, SimsuiteError, SiteUnreachable
from .model import Action, Actor, Friction, FrictionKind, JourneyResult, Outcome, Step
from .reporters import register_reporter
from .version import __version__

__all__ = [
    "Action",
    "Actor",
    "Customer",
    "Detector",
    "Friction",
    "FrictionKind",
    "IndexWeights",
    "Journal",
    "JourneyResult",
    "Outcome",
    "Persona",
    "Registry",
    "RunConfig",
    "RunReport",
    "Scenario",
    "ScenarioError",
    "ScriptError",
    "SimsuiteError",
    "SiteUnreachable",
    "Step",
    "TargetConfig",
    "__version__",
    "band",
    "journey",
    "kafkaesque_index",
    "load_scenario",
    "make_persona",
    "register_channel",
    "register_detector",
    "register_reporter",
    "run",
]

"""The embedded demo companies: Northside Diagnostics (/lab/) and Metro Telecom (/telecom/).

Each runs in mode "as-is" (the Kafkaesque version) or "recovered" (after service recovery).
"""

from .app import MODES, create_app
from .server import DemoServer

__all__ = ["MODES", "DemoServer", "create_app"]

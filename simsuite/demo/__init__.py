"""The embedded demo companies: Northside Diagnostics (/lab/) and Metro Telecom (/telecom/).

Each runs in mode "as-is" (the Kafkaesque version) or "recovered" (after service recovery).
`DEPARTMENTS` are the numbers their IVRs transfer callers to that the companies answer themselves (a
run passes them to the phone channel as `Target.dialled`).
"""

from .app import MODES, create_app
from .lab import DEPARTMENTS as LAB_DEPARTMENTS
from .server import DemoServer
from .telecom import DEPARTMENTS as TELECOM_DEPARTMENTS

DEPARTMENTS: dict[str, str] = {**LAB_DEPARTMENTS, **TELECOM_DEPARTMENTS}

__all__ = ["DEPARTMENTS", "MODES", "DemoServer", "create_app"]

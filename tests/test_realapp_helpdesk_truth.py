"""The help desk's ground truth (tests/realapps/helpdesk/truth.yaml) checked against the running
django-helpdesk in every test run, so the truth the real-app journeys are judged by cannot drift from
the application. The checks live beside the truth, in tests/realapps/helpdesk/test_truth.py."""

import pytest

pytest.importorskip("helpdesk", reason="django-helpdesk is not installed (it is in the test extra)")

from tests.realapps.helpdesk.test_truth import *  # noqa: E402,F401,F403  (the checks, collected here)

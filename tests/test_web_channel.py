"""The web channel against the demo lab in a real Chromium: steps, statuses, options, screenshots."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from simsuite.core.target import Target
from simsuite.customer import Customer
from simsuite.model import FrictionKind
from simsuite.core.personas import make_persona
from simsuite.browser import BrowserPool
from simsuite.runner import RunTarget
from simsuite.core.scenario import Scenario

pytestmark = pytest.mark.e2e


@pytest.fixture
def customer(recovered, tmp_path):
    with ExitStack() as stack:
        pool = BrowserPool(stack)
        hosts = RunTarget(None, recovered.url).hosts
        yield Customer(make_persona(2, "web"), Scenario(name="w", goal="g", journeys=("j",)),
                       Target(base_url=recovered.url, page_factory=pool.page_factory(hosts), allowed_hosts=hosts,
                              artifacts_dir=tmp_path / "shots", report_dir=tmp_path))


def test_each_navigation_is_a_step_with_url_status_text_and_fields(customer):
    web = customer.web
    web.goto("/lab/")
    assert web.click("Manage my booking") is True
    page = customer.steps[-1]
    assert (page.action, page.url, page.status) == ("page", "/lab/manage", 200)
    assert "Booking reference" in page.data["fields"] and page.data["navigated"] is True
    assert "Northside Diagnostics" in page.data["title"] and "Northside Diagnostics" in web.text
    assert page.text.strip().startswith("Manage my booking")  # the page's own words, not the site's header


def test_missing_link_is_reported_not_crashed(customer):
    customer.web.goto("/lab/")
    assert customer.web.click("Talk to a human") is False
    assert customer.steps[-1].action == "looked"
    assert customer.frictions == []


def test_error_page_is_a_dead_end_with_status_and_screenshot(customer, tmp_path):
    customer.web.goto("/lab/no-such-page")
    dead = [f for f in customer.frictions if f.kind is FrictionKind.DEAD_END]
    assert dead and dead[0].evidence == "HTTP 404 at /lab/no-such-page"
    shot = customer.steps[dead[0].step].artifact
    assert shot and (tmp_path / shot).read_bytes()[:4] == b"\x89PNG"


def test_select_without_a_fitting_option_is_a_missing_option(customer):
    web = customer.web
    web.goto(f"/lab/booking/{customer.fact('booking_reference')}/reschedule")
    assert web.select("New date and time", "sunday evening") is None
    missing = customer.frictions[-1]
    assert missing.kind is FrictionKind.MISSING_OPTION and "Tuesday 1 December" in missing.evidence
    assert web.select("New date and time", "wednesday") == "Wednesday 2 December, 08:15"

"""A cookie banner is the site's chrome, like its header and footer: never what a page says to the customer."""

from __future__ import annotations

import threading
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from simsuite.browser import BrowserPool
from simsuite.core.personas import FACTS, make_persona
from simsuite.core.scenario import Scenario
from simsuite.core.target import Target
from simsuite.customer import Customer
from simsuite.model import Action
from simsuite.runner import RunTarget

pytestmark = pytest.mark.e2e

BANNERS = {
    "govuk": '<div class="govuk-cookie-banner" role="region" aria-label="Cookies on Example Council">'
             "<p>We'd like to use analytics cookies.</p><button>Accept analytics cookies</button></div>",
    "onetrust": '<div id="onetrust-banner-sdk"><p>We use cookies to improve your experience.</p>'
                "<button>Accept all</button></div>",
}


def page(banner: str) -> bytes:
    return (f"<!doctype html><html><head><title>Bins</title></head><body>{banner}<main><h1>Bin collections</h1>"
            "<p>Your bins are collected every Tuesday.</p></main></body></html>").encode()


@pytest.mark.parametrize("kind", sorted(BANNERS))
def test_the_banner_is_not_the_page_s_words(kind):
    body = page(BANNERS[kind])

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        with ExitStack() as stack:
            pool = BrowserPool(stack)
            customer = Customer(make_persona(1, "bins", 0, knows=FACTS), Scenario(name="bins", goal="g", journeys=("j",)),
                                Target(base_url=url, page_factory=pool.page_factory(RunTarget(None, url).hosts)))
            customer.web.goto("/")
            step = next(s for s in customer.journal.steps if s.action == Action.PAGE)
    finally:
        server.shutdown()
    assert "collected every Tuesday" in step.text and "cookies" not in step.text.lower()

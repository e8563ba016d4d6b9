"""A page that redraws its form after it was observed: the customer still fills and sends it.

simsuite acts on the controls it saw when it last looked at the page; a page that replaced them since (a
framework re-rendering after load) is looked at afresh instead of failing the journey.
"""

from __future__ import annotations

import threading
import time
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from simsuite.browser import BrowserPool
from simsuite.core.personas import FACTS, make_persona
from simsuite.core.scenario import Scenario
from simsuite.core.target import Target
from simsuite.customer import Customer
from simsuite.runner import RunTarget

pytestmark = pytest.mark.e2e

FORM = ('<form method="get" action="/done"><h2>Find my order</h2><label for="o">Order number</label>'
        '<input id="o" name="order" required><button type="submit">Find</button></form>')
PAGE = f"""<!doctype html><html lang="en"><head><title>Orders</title></head><body><main><h1>Orders</h1>
<div id="app">{FORM}</div></main>
<script>
  window.redraw = () => {{  // a re-render: new elements, the value typed kept
    const typed = document.getElementById('o').value;
    document.getElementById('app').innerHTML = {FORM!r};
    document.getElementById('o').value = typed;
  }};
</script></body></html>"""
DONE = "<!doctype html><html><head><title>Found</title></head><body><main><h1>Your order is on its way</h1></main></body></html>"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = (DONE if self.path.startswith("/done") else PAGE).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def customer(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    hosts = RunTarget(None, url).hosts
    with ExitStack() as stack:
        pool = BrowserPool(stack)
        yield Customer(make_persona(3, "redraw", 0, knows=FACTS),
                       Scenario(name="redraw", goal="find my order", journeys=("j",)),
                       Target(base_url=url, page_factory=pool.page_factory(hosts), allowed_hosts=hosts))
    server.shutdown()


def test_a_form_redrawn_after_the_page_was_seen_is_still_filled_and_sent(customer):
    web = customer.web.goto("/")
    web.page.evaluate("window.redraw()")  # every control the customer saw is replaced by a copy
    began = time.monotonic()
    web.fill("Order number", "A-1234")
    web.page.evaluate("window.redraw()")
    assert web.click("Find") is True
    assert time.monotonic() - began < 8
    assert "Your order is on its way" in web.text
    assert "/done?order=A-1234" in web.page.url

"""A run touches only the hosts it was pointed at: the browser cannot reach any other host."""

from __future__ import annotations

import http.server
import threading
from contextlib import ExitStack

import pytest
from playwright.sync_api import sync_playwright

from simsuite.browser import find_browser
from simsuite.browser import BrowserPool

pytestmark = pytest.mark.e2e


def serve(handler_body):
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(handler_body().encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, hits


@pytest.fixture
def sites():
    other, other_hits = serve(lambda: "secret")
    port = other.server_port
    target, _ = serve(lambda: f'<img src="http://127.0.0.1:{port}/leak.png">'
                              f'<img src="http://localhost:{port}/leak2.png"><p>hello</p>')
    yield f"127.0.0.1:{target.server_port}", other_hits
    other.shutdown()
    target.shutdown()


def test_run_contexts_block_every_other_host(sites):
    target_host, other_hits = sites
    with ExitStack() as stack:
        page = BrowserPool(stack).page_factory(frozenset({target_host}))()
        response = page.goto(f"http://{target_host}/")
        page.wait_for_load_state("load")
        assert response.status == 200 and "hello" in page.inner_text("body")
    assert other_hits == []


def test_web_channel_guards_a_page_it_did_not_make(sites):
    from simsuite.customer import Customer, Target
    from simsuite.core.personas import make_persona
    from simsuite.core.scenario import Scenario

    target_host, other_hits = sites
    with sync_playwright() as p:
        browser = p.chromium.launch(**find_browser().launch_kwargs())
        page = browser.new_page()
        customer = Customer(make_persona(1, "g"), Scenario(name="g", goal="g", journeys=("j",)),
                            Target(base_url=f"http://{target_host}", page_factory=lambda: page,
                                   allowed_hosts=frozenset({target_host})))
        customer.web.goto("/")
        page.wait_for_load_state("load")
        assert customer.steps[-1].status == 200 and "hello" in customer.steps[-1].text
        browser.close()
    assert other_hits == []

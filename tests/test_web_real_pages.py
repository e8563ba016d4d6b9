"""The web channel on pages written the way real sites write them, served over real HTTP to a real Chromium.

One small Flask app (run by werkzeug on a free loopback port) serves every page: icon-font buttons, orphan
labels, two forms with near-identical fields, help-centre cards, a required field the browser blocks, forms
handed back with and without a message, a cookie banner over a button, a single-page app, a chat widget that
answers late. Each test drives the product's own Customer and WebChannel and checks what the customer did
(what the server received) and how the journey was judged (steps and friction).
"""

from __future__ import annotations

import json
import textwrap
from concurrent.futures import ThreadPoolExecutor
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field

import pytest
from flask import Flask, redirect, request
from werkzeug.serving import make_server

import simsuite
from simsuite import ScriptError
from simsuite.browser import BrowserPool
from simsuite.core.journey import load_journey_file
from simsuite.core.personas import FACTS, make_persona
from simsuite.core.scenario import Scenario
from simsuite.core.target import Target
from simsuite.customer import Customer
from simsuite.model import Action, FrictionKind, Outcome
from simsuite.runner import RunTarget, run_journey

pytestmark = pytest.mark.e2e

ICON = "\ue0a1"  # a glyph of an icon font (Unicode private use), as Font Awesome and friends put in buttons


# -- the site --------------------------------------------------------------------------------------
def layout(title: str, body: str, script: str = "") -> str:
    """A page with the chrome every real site has: a header with navigation and a footer."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Acme Support</title>
<style>body{{font-family:sans-serif;margin:0}} main{{padding:10px 20px}} .col{{display:inline-block;
vertical-align:top;width:45%}} label{{display:block;margin-top:6px}}</style></head>
<body>
<header class="site-header"><nav><a href="/">Home</a> <a href="/help/">Help Center</a>
<a href="/contact">Contact us</a></nav></header>
<main>
{body}
</main>
<footer class="site-footer"><p>&copy; Acme Ltd. All rights reserved.</p></footer>
{f"<script>{script}</script>" if script else ""}
</body></html>"""


@dataclass
class Site:
    url: str
    posts: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (path, form) of every POST
    gets: list[str] = field(default_factory=list)                           # the path of every GET

    def posted(self, path: str) -> list[dict[str, str]]:
        return [form for where, form in self.posts if where == path]


def make_app(site: Site) -> Flask:
    app = Flask("real_pages")

    @app.before_request
    def keep() -> None:
        if request.method == "POST":
            site.posts.append((request.path, request.form.to_dict()))
        else:
            site.gets.append(request.path)

    # 1. a button named with an icon glyph and words
    @app.route("/ticket/new", methods=["GET", "POST"])
    def new_ticket():
        if request.method == "POST":
            return redirect("/ticket/thanks", code=303)
        return layout("Open a ticket", f"""
<h1>Open a support ticket</h1>
<form method="post" action="/ticket/new">
  <label for="subject">Subject</label><input id="subject" name="subject" type="text">
  <button type="submit" class="btn btn-primary"><i class="icon icon-send">{ICON}</i> Submit Ticket</button>
</form>""")

    @app.route("/ticket/thanks")
    def ticket_thanks():
        return layout("Thank you", "<h1>Thank you</h1><p>We have received your ticket and will answer it soon.</p>")

    # 2. an orphan label: its `for` names no element, the input follows it
    @app.route("/profile", methods=["GET", "POST"])
    def profile():
        if request.method == "POST":
            return layout("Saved", "<h1>Details saved</h1><p>Your contact details have been updated.</p>")
        return layout("Your details", """
<h1>Your contact details</h1>
<form method="post" action="/profile">
  <div class="form-row"><label for="fullname">Your name</label><input id="contact-nm-7" name="contact_nm" type="text"></div>
  <div class="form-row"><label for="company">Company name</label><input id="company" name="company" type="text"></div>
  <button type="submit">Save details</button>
</form>""")

    # 3. two forms on one page, fields labelled nearly alike (a help desk's home page)
    @app.route("/support")
    def support():
        return layout("Support Center", """
<h1>Support Center</h1>
<div class="col">
  <h2>Submit a Ticket</h2>
  <form method="post" action="/support/submit">
    <label for="s-email">Your E-mail Address</label><input id="s-email" name="email" type="email">
    <label for="s-subject">Subject</label><input id="s-subject" name="subject" type="text">
    <button type="submit">Submit</button>
  </form>
</div>
<div class="col">
  <h2>View a Ticket</h2>
  <form method="post" action="/support/view">
    <label for="v-ticket">Ticket ID</label><input id="v-ticket" name="ticket" type="text">
    <label for="v-email">Your E-Mail Address</label><input id="v-email" name="email" type="email">
    <button type="submit">View Ticket</button>
  </form>
</div>""")

    @app.route("/support/submit", methods=["POST"])
    def support_submit():
        return layout("Ticket received", "<h1>Ticket received</h1><p>We will write to you soon.</p>")

    @app.route("/support/view", methods=["POST"])
    def support_view():
        return layout("Your ticket", "<h1>Your ticket</h1><p>Status: open. An engineer is looking at it.</p>")

    # 4. help-centre cards: the same link text under each card's heading
    @app.route("/help/")
    def help_home():
        return layout("Help Center", """
<h1>How can we help?</h1>
<div class="cards">
  <div class="card"><h2 class="card-title">Orders and delivery</h2>
    <p>Track a parcel, change a delivery date or cancel an order.</p>
    <a class="btn" href="/help/orders">View articles</a></div>
  <div class="card"><h2 class="card-title">Returns and refunds</h2>
    <p>Send something back and see when your money arrives.</p>
    <a class="btn" href="/help/returns">View articles</a></div>
</div>""")

    @app.route("/help/orders")
    def help_orders():
        return layout("Orders and delivery", "<h1>Orders and delivery</h1><ul><li><a href='/help/orders/track'>"
                      "Where is my order?</a></li><li><a href='/help/orders/cancel'>Cancelling an order</a></li></ul>")

    @app.route("/help/returns")
    def help_returns():
        return layout("Returns and refunds", "<h1>Returns and refunds</h1><ul><li><a href='/help/returns/start'>"
                      "Starting a return</a></li></ul>")

    # 6. required fields the browser checks before sending
    @app.route("/callback", methods=["GET", "POST"])
    def callback():
        if request.method == "POST":
            return layout("Requested", "<h1>Callback requested</h1><p>Your request has been received.</p>")
        return layout("Request a callback", """
<h1>Request a callback</h1>
<form method="post" action="/callback">
  <label for="cb-name">Your name</label><input id="cb-name" name="name" type="text" required>
  <label for="cb-email">Your E-mail Address</label><input id="cb-email" name="email" type="email" required>
  <button type="submit">Send request</button>
</form>""")

    # 7. a form handed back: with a message, and silently
    reschedule_form = """
<h1>Reschedule your delivery</h1>
{alert}
<form method="post" action="{action}">
  <label for="when">Preferred date</label><input id="when" name="when" type="text">
  <button type="submit">Reschedule</button>
</form>"""

    @app.route("/reschedule/checked", methods=["GET", "POST"])
    def reschedule_checked():
        alert = ('<div class="alert alert-danger" role="alert">Please enter a valid date</div>'
                 if request.method == "POST" else "")
        return layout("Reschedule", reschedule_form.format(alert=alert, action="/reschedule/checked"))

    @app.route("/reschedule/silent", methods=["GET", "POST"])
    def reschedule_silent():  # whatever is sent, the same empty form comes back with 200
        return layout("Reschedule", reschedule_form.format(alert="", action="/reschedule/silent"))

    # 8. a cookie banner over the form's button
    @app.route("/contact", methods=["GET", "POST"])
    def contact():
        if request.method == "POST":
            return layout("Sent", "<h1>Message sent</h1><p>We will reply within two days.</p>")
        return layout("Contact us", """
<h1>Contact us</h1>
<form method="post" action="/contact">
  <label for="topic">Topic</label><input id="topic" name="topic" type="text" value="Delivery">
  <button type="submit">Send message</button>
</form>
<div id="cookie-consent" style="position:fixed;left:0;right:0;top:90px;bottom:0;z-index:9999;background:#222;
     color:#fff;padding:24px">
  <p>We use cookies to make our site work and to understand how you use it.</p>
  <button type="button" onclick="document.getElementById('cookie-consent').remove()">Accept all cookies</button>
</div>""")

    # 9. a single-page app: a link handled by the app's router with history.pushState
    @app.route("/app/")
    @app.route("/app/<path:route>")
    def spa(route: str = ""):
        return layout("My account", '<div id="root"><h1>Your account</h1>'
                      '<p><a href="/app/orders" data-route>Track my order</a></p></div>', script="""
document.addEventListener('click', e => {
  const a = e.target.closest('a[data-route]');
  if (!a) return;
  e.preventDefault();
  history.pushState({}, '', a.getAttribute('href'));
  document.getElementById('root').innerHTML =
    '<h1>Your orders</h1><p>Order 5521 left our warehouse on Monday and arrives on Thursday.</p>';
});""")

    # 10. a chat widget whose bot answers after a second and a half
    @app.route("/chat-help")
    def chat_help():
        return layout("Chat", """
<h1>Chat with us</h1>
<div class="chat-widget" role="region" aria-label="Chat">
  <div id="chat-log" aria-live="polite"><p>Hi! Ask us anything about your order.</p></div>
  <input id="chat-input" type="text" aria-label="Type your message" placeholder="Type your message...">
  <button type="button" id="chat-send">Send</button>
</div>""", script="""
document.getElementById('chat-send').addEventListener('click', () => {
  const input = document.getElementById('chat-input'), log = document.getElementById('chat-log');
  const mine = document.createElement('p'); mine.textContent = 'You: ' + input.value; log.appendChild(mine);
  input.value = '';
  setTimeout(() => {
    const reply = document.createElement('p');
    reply.textContent = 'Thanks for your message. Your parcel left our warehouse yesterday.';
    log.appendChild(reply);
  }, 1500);
});""")

    return app


@pytest.fixture(scope="module")
def site():
    """Every page above, served by one Flask app on a free loopback port for the whole module."""
    site = Site(url="")
    server = make_server("127.0.0.1", 0, make_app(site), threaded=True)
    site.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def pool():
    """One Chromium for the module; each customer gets a fresh context of it."""
    with ExitStack() as stack:
        yield BrowserPool(stack)


@pytest.fixture
def make_customer(site, pool, tmp_path):
    """A function making a customer on the site (who knows `knows`), as the runner makes one."""
    site.posts.clear()
    site.gets.clear()
    hosts = RunTarget(None, site.url).hosts
    made: list[Customer] = []

    def make(knows=FACTS) -> Customer:
        customer = Customer(make_persona(11, "real-pages", len(made), knows=knows),
                            Scenario(name="real-pages", goal="get help", journeys=("j",)),
                            Target(base_url=site.url, page_factory=pool.page_factory(hosts), allowed_hosts=hosts,
                                   artifacts_dir=tmp_path / "shots", report_dir=tmp_path))
        made.append(customer)
        return customer

    yield make
    for customer in made:
        customer.close()
    pool.release()


@pytest.fixture
def customer(make_customer):
    return make_customer()


def kinds(customer) -> list[FrictionKind]:
    return [f.kind for f in customer.frictions]


def run_file(tmp_path, site, pool, source: str, *, knows=FACTS):
    """Write a journey file in tmp_path and run it through the runner, as `simsuite run` does."""
    path = tmp_path / f"real_pages_{abs(hash(source)) % 10**8}.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    (spec,) = load_journey_file(path)
    scenario = Scenario(name="real-pages-run", goal="get help", journeys=(spec.name,), knows=tuple(knows))
    (persona,) = scenario.personas(3)
    target = RunTarget("real", site.url)
    try:
        return run_journey(spec, scenario, persona, target, page_factory=pool.page_factory(target.hosts),
                           report_dir=tmp_path)
    finally:
        pool.release()


# -- 1. icon glyphs in a button's name -----------------------------------------------------------------
def test_button_named_with_an_icon_glyph_is_found_by_its_words_and_sends_the_form(customer, site):
    web = customer.web
    web.goto("/ticket/new")
    web.fill("Subject", "Cannot log in")
    started = time.monotonic()
    assert web.click("Submit Ticket") is True
    assert time.monotonic() - started < 2.5  # found at once, not after looking for it until giving up
    assert site.posted("/ticket/new") == [{"subject": "Cannot log in"}]
    page = customer.steps[-1]
    assert (page.action, page.url, page.status) == (Action.PAGE, "/ticket/thanks", 200)
    assert page.data["navigated"] is True and "We have received your ticket" in page.text
    click = next(s for s in customer.steps if s.action is Action.CLICK)
    assert click.detail == "clicked 'Submit Ticket'"  # the name as a person reads it: no glyph
    assert customer.frictions == []


# -- 2. an orphan label -----------------------------------------------------------------------------
def test_orphan_label_names_the_input_that_follows_it(customer, site):
    web = customer.web
    web.goto("/profile")
    assert web.fields == ["'Your name' (in the form 'Your contact details')",
                          "'Company name' (in the form 'Your contact details')"]
    web.fill("Your name", "Dana Whitfield")
    assert web.click("Save details") is True
    assert site.posted("/profile") == [{"contact_nm": "Dana Whitfield", "company": ""}]
    assert customer.steps[-1].url == "/profile" and "Details saved" in web.text


# -- 3. two forms with near-identical labels ----------------------------------------------------------
def test_a_field_in_two_forms_is_ambiguous_until_the_form_is_named(customer, site):
    web = customer.web
    web.goto("/support")
    with pytest.raises(ScriptError) as raised:
        web.fill("Your E-mail Address", "dana@example.com")
    message = str(raised.value)
    assert "could mean 2 fields" in message
    assert "'Your E-mail Address' (in the form 'Submit a Ticket')" in message
    assert "'Your E-Mail Address' (in the form 'View a Ticket')" in message
    assert "form=" in message  # says how to fix it
    assert not [s for s in customer.steps if s.action is Action.FILL]  # nothing typed anywhere

    web.fill("Your E-mail Address", "dana@example.com", form="View a Ticket")
    web.fill("Ticket ID", "HD-4821")
    assert web.click("View Ticket") is True
    assert site.posted("/support/view") == [{"ticket": "HD-4821", "email": "dana@example.com"}]
    assert site.posted("/support/submit") == []
    assert "Status: open" in web.text


def test_once_a_form_is_being_filled_a_field_both_forms_have_goes_to_that_one(customer, site):
    web = customer.web
    web.goto("/support")
    web.fill("Subject", "My parcel never came")  # only the "Submit a Ticket" form has a subject
    web.fill("Your E-mail Address", "dana@example.com")  # no form named: the one being filled
    assert web.click("Submit") is True
    assert site.posted("/support/submit") == [{"email": "dana@example.com", "subject": "My parcel never came"}]
    assert site.posted("/support/view") == []

    web.goto("/support")  # a new page: nothing is being filled any more, so it is ambiguous again
    with pytest.raises(ScriptError, match="could mean 2 fields"):
        web.fill("Your E-mail Address", "dana@example.com")


# -- 4. the same link under two headings; a card's title -----------------------------------------------
def test_under_picks_a_link_by_the_heading_it_is_under(customer, site):
    web = customer.web
    web.goto("/help/")
    with pytest.raises(ScriptError) as raised:
        web.click("View articles")
    assert "'Orders and delivery'" in str(raised.value) and "'Returns and refunds'" in str(raised.value)
    assert web.click("View articles", under="Returns and refunds") is True
    assert customer.steps[-1].url == "/help/returns" and "Starting a return" in web.text
    assert "/help/orders" not in site.gets


def test_clicking_a_cards_title_follows_the_cards_only_link(customer, site):
    web = customer.web
    web.goto("/help/")
    assert web.click("Orders and delivery") is True  # a heading, not a link: the card's one way on
    page = customer.steps[-1]
    assert (page.action, page.url) == (Action.PAGE, "/help/orders") and "Where is my order?" in page.text
    assert site.gets.count("/help/orders") == 1 and "/help/returns" not in site.gets
    click = next(s for s in customer.steps if s.action is Action.CLICK)
    assert "View articles" in click.detail and "Orders and delivery" in click.detail


# -- 5. absence is the company's; misuse is the script's ------------------------------------------------
def test_a_missing_button_is_looked_for_and_not_found_without_friction(customer):
    web = customer.web
    web.goto("/help/")
    assert web.click("No such button") is False
    looked = customer.steps[-1]
    assert looked.action is Action.LOOKED
    assert "No such button" in looked.detail
    assert "'View articles' (under 'Orders and delivery')" in looked.detail and "'Contact us'" in looked.detail
    assert customer.frictions == []


def test_a_missing_field_is_a_script_error_listing_the_fields_there_are(customer):
    web = customer.web
    web.goto("/profile")
    with pytest.raises(ScriptError) as raised:
        web.fill("No such field", "x")
    message = str(raised.value)
    assert "no field 'No such field' on /profile" in message
    assert "Your name" in message and "Company name" in message


def test_a_script_error_makes_the_journey_an_error_never_friction(tmp_path, site, pool):
    result = run_file(tmp_path, site, pool, """
        from simsuite import journey

        @journey
        def update_my_phone(customer):
            web = customer.web
            web.goto("/no-such-page")          # a 404: a dead end, had the journey not broken
            web.goto("/profile")
            web.fill("Your phone number", customer.fact("phone"))
            web.click("Save details")
            customer.resolved("saved")
        """)
    assert result.outcome is Outcome.ERROR
    assert result.error.startswith("ScriptError: no field 'Your phone number' on /profile")
    assert "Your name" in result.error and "(at real_pages_" in result.error
    assert result.frictions == [] and result.index is None
    assert any(s.status == 404 for s in result.steps)  # the 404 was seen, and still counts against no one
    assert result.to_dict()["outcome"] == "error"


# -- 6. the browser will not send a form with a required field empty ------------------------------------
def test_a_required_field_left_empty_is_refused_by_the_browser_in_its_own_words(customer, site):
    web = customer.web
    web.goto("/callback")
    web.fill("Your E-mail Address", "dana@example.com")
    assert web.click("Send request") is False
    message = web.page.evaluate("document.getElementById('cb-name').validationMessage")
    assert message  # the browser's own words, in its own language
    refused = customer.steps[-1]
    assert refused.action is Action.REFUSED and refused.data["by"] == "browser"
    assert refused.text == f"Your name: {message}" and web.refused == refused.text
    assert site.posted("/callback") == []
    assert customer.frictions == []  # the customer has a name: filling it in is the script's job


def test_a_required_field_for_a_fact_the_customer_lacks_is_a_demand_and_a_dead_end(make_customer, site):
    customer = make_customer(knows=("name", "phone", "address"))
    web = customer.web
    web.goto("/callback")
    web.fill("Your name", customer.fact("name"))
    assert web.click("Send request") is False
    message = web.page.evaluate("document.getElementById('cb-email').validationMessage")
    refused = customer.steps[-1]
    assert refused.action is Action.REFUSED and refused.text == f"Your E-mail Address: {message}"
    demands = [f for f in customer.frictions if f.kind is FrictionKind.UNAVAILABLE_DEMAND]
    assert len(demands) == 1, demands  # one demand for the field in this visit, not one per sighting
    assert "Your E-mail Address" in demands[0].evidence and "email" in demands[0].detail
    dead = [f for f in customer.frictions if f.kind is FrictionKind.DEAD_END]
    assert len(dead) == 1 and dead[0].evidence == refused.text and dead[0].step == refused.index
    assert site.posted("/callback") == []


# -- 7. a form handed back ------------------------------------------------------------------------------
def test_a_form_handed_back_with_a_message_is_no_friction(customer, site):
    web = customer.web
    web.goto("/reschedule/checked")
    web.fill("Preferred date", "next Tuesday")
    assert web.click("Reschedule") is True
    assert site.posted("/reschedule/checked") == [{"when": "next Tuesday"}]
    refused = next(s for s in customer.steps if s.action is Action.REFUSED)
    assert refused.text == "Please enter a valid date" and refused.data["by"] == "site"
    assert web.refused == "Please enter a valid date"
    assert customer.frictions == []


def test_a_form_handed_back_unchanged_and_silent_is_a_loop_quoting_the_heading(customer, site):
    web = customer.web
    web.goto("/reschedule/silent")
    web.fill("Preferred date", "next Tuesday")
    assert web.click("Reschedule") is True
    assert site.posted("/reschedule/silent") == [{"when": "next Tuesday"}]
    refused = next(s for s in customer.steps if s.action is Action.REFUSED)
    assert refused.data.get("silent") is True
    loops = [f for f in customer.frictions if f.kind is FrictionKind.LOOP]
    assert len(loops) == 1 and kinds(customer) == [FrictionKind.LOOP]
    assert "Reschedule your delivery" in loops[0].evidence and "HTTP 200" in loops[0].evidence


# -- 8. a cookie banner over the button ----------------------------------------------------------------
def test_a_button_under_a_cookie_banner_is_not_clicked_and_the_banner_is_quoted(customer, site):
    web = customer.web
    web.goto("/contact")
    assert web.click("Send message") is False
    looked = customer.steps[-1]
    assert looked.action is Action.LOOKED
    assert looked.detail.startswith("'Send message' could not be clicked: something covers it:")
    assert "We use cookies to make our site work" in looked.detail
    assert site.posted("/contact") == []

    assert web.click("Accept all cookies") is True  # what a person does next
    assert web.click("Send message") is True
    assert site.posted("/contact") == [{"topic": "Delivery"}] and "Message sent" in web.text


# -- 9. a single-page app -----------------------------------------------------------------------------
def test_a_route_change_by_push_state_is_a_navigation_to_the_new_path(customer, site):
    web = customer.web
    web.goto("/app/")
    assert web.click("Track my order") is True
    click = max(i for i, s in enumerate(customer.steps) if s.action is Action.CLICK)
    page = customer.steps[click + 1]
    assert page.action is Action.PAGE and page.url == "/app/orders"
    assert page.data["navigated"] is True and "Order 5521 left our warehouse" in page.text
    assert "/app/orders" not in site.gets  # the app changed the route itself: no page was loaded
    assert web.url.endswith("/app/orders")


# -- 10. a chat widget that answers late -------------------------------------------------------------
def test_wait_for_sees_a_late_widget_reply_and_gives_up_within_its_bound(customer):
    web = customer.web
    web.goto("/chat-help")
    web.fill("Type your message", "Where is my parcel?")
    assert web.click("Send") is True
    assert not web.has_text("Thanks for your message")  # the bot has not answered yet
    started = time.monotonic()
    assert web.wait_for("Thanks", seconds=5) is True
    assert time.monotonic() - started < 5
    assert "Thanks for your message. Your parcel left our warehouse yesterday." in web.text
    assert customer.steps[-1].action is Action.PAGE and "Your parcel left our warehouse" in customer.steps[-1].text

    started = time.monotonic()
    assert web.wait_for("your refund has been issued", seconds=2) is False
    elapsed = time.monotonic() - started
    assert 1.9 <= elapsed < 2 + 3  # it waited, and no longer than its bound
    assert "never appeared" in customer.steps[-1].detail


# -- 11. days pass between visits ---------------------------------------------------------------------
def test_two_days_later_is_a_step_of_the_customers_own_time_and_no_wait(customer, site):
    web = customer.web
    web.goto("/help/")
    assert web.click("Orders and delivery") is True
    before, patience = customer.clock.minutes, customer.clock.limit
    later = customer.later(days=2, why="to see whether the parcel came")
    assert later.action is Action.LATER and later.detail == "2 days later" and later.data["minutes"] == 2 * 24 * 60
    assert customer.clock.minutes - before == pytest.approx(2 * 24 * 60)
    assert customer.clock.limit - patience == pytest.approx(2 * 24 * 60 * 60)  # no patience spent on it
    assert not customer.clock.exhausted
    web.goto("/help/orders")  # straight back to the page seen two days ago
    assert customer.steps[-1].url == "/help/orders" and site.gets.count("/help/orders") == 2
    assert [s.action for s in customer.steps].count(Action.LATER) == 1
    assert customer.frictions == []  # no wait, no loop


def test_clicking_back_to_the_same_page_two_days_later_is_no_loop(customer, site):
    web = customer.web
    web.goto("/help/")
    assert web.click("Orders and delivery") is True
    customer.later(days=2)
    web.goto("/help/")
    assert web.click("Orders and delivery") is True  # the way a person goes back: the same card
    assert customer.steps[-1].url == "/help/orders" and site.gets.count("/help/orders") == 2
    assert FrictionKind.WAIT not in kinds(customer)
    assert FrictionKind.LOOP not in kinds(customer), [f.detail for f in customer.frictions]


# -- 12. a fact the customer does not know ------------------------------------------------------------
def test_asking_for_a_fact_the_persona_lacks_is_an_error_naming_the_fact_and_the_fix(tmp_path, site):
    journeys, scenarios, out = tmp_path / "journeys", tmp_path / "scenarios", tmp_path / "out"
    journeys.mkdir()
    scenarios.mkdir()
    (journeys / "email_me.py").write_text(textwrap.dedent("""
        from simsuite import journey

        @journey
        def send_me_my_ticket(customer):
            web = customer.web
            web.goto("/support")
            web.fill("Your E-mail Address", customer.fact("email"), form="View a Ticket")
            web.click("View Ticket")
            customer.resolved("seen")
        """), encoding="utf-8")
    (scenarios / "no_email.yaml").write_text(textwrap.dedent("""
        name: no-email-on-file
        goal: See my ticket.
        persona:
          channels: [web, phone]
          knows: [name, phone]
        journeys: [send_me_my_ticket]
        """), encoding="utf-8")
    config = simsuite.RunConfig(target=simsuite.TargetConfig(base_url=site.url, mode="real-pages"), out=out,
                                journeys=(journeys / "email_me.py",), only_given=True, keep_history=False,
                                reporters=("json",))
    # run() starts its own Playwright; this module's is running in this thread, so run it in another one
    with ThreadPoolExecutor(1) as runner:
        report = runner.submit(simsuite.run, config, log=lambda line: None).result(timeout=120)
    (journey,) = report.doc["journeys"]
    assert journey["scenario"] == "no-email-on-file" and journey["outcome"] == "error"
    assert journey["error"].startswith("MissingFact: this customer does not know their email")
    assert "customer.knows('email')" in journey["error"] and "knows: [...]" in journey["error"]
    assert journey["frictions"] == [] and journey["index"] is None
    assert [s["url"] for s in journey["steps"] if s["action"] == "page"] == ["/support"]  # it ran until then
    assert report.exit_code == 3  # the script could not act: "could not run", not over budget
    assert json.loads((out / "results.json").read_text())["journeys"][0]["outcome"] == "error"

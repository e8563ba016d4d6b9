"""Privacy by default: what a run writes down never holds a secret, a customer's e-mail address in a URL, or
the customer's own facts where a URL carries them.

First the `Redactor` on its own, then a whole run (`simsuite.run`) against a small real site on loopback whose
links carry keys, tokens, an e-mail address, a car registration and URL credentials, with a customer who signs
in with a password read from the environment: every output (results.json, report.html, the PDF, the history
database, the terminal) is searched for each secret, and the site is asked whether the run really worked.
"""

from __future__ import annotations

import json
import re
import textwrap
import threading
from pathlib import Path

import pytest

from simsuite.core.redact import REDACTED, SECRET, SECRET_PARAMS, Redactor
from simsuite.core.target import Target

# -- the Redactor -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["key", "token", "password", "csrf", "csrfmiddlewaretoken", "csrftoken", "_token",
                                  "session", "secret", "api_key", "access_token", "email", "Key", "PASSWORD"])
def test_a_secret_query_param_keeps_its_name_and_loses_its_value(name):
    redacted = Redactor().url(f"/view/?ticket=T-1&{name}=VALUE123XYZ&page=2")
    assert redacted == f"/view/?ticket=T-1&{name}={REDACTED}&page=2"
    assert "VALUE123XYZ" not in redacted


def test_a_longer_name_ending_in_a_secret_word_is_secret_but_harmless_names_are_not():
    url = "/x?reset_token=R1&csrf_token=C1&user-password=P1&zip_code=60616&bypass=yes&passport=no&pin=1234"
    redacted = Redactor().url(url)
    for value in ("R1", "C1", "P1", "=1234"):
        assert value not in redacted, (value, redacted)
    assert "zip_code=60616" in redacted and "bypass=yes" in redacted and "passport=no" in redacted
    assert "reset_token=[redacted]" in redacted and "pin=[redacted]" in redacted


def test_a_configured_extra_param_is_redacted_too_and_only_with_the_configuration():
    url = "/offer?voucher=VOUCH789&colour=red"
    assert Redactor().url(url) == url
    redacted = Redactor((*SECRET_PARAMS, "voucher")).url(url)
    assert redacted == f"/offer?voucher={REDACTED}&colour=red"
    # the same through a target's rewriters, as every journey records its steps
    text, to_url = Target(base_url="http://127.0.0.1:9", redact_params=("Voucher",)).rewriters()
    assert to_url("http://127.0.0.1:9/offer?voucher=VOUCH789") == f"/offer?voucher={REDACTED}"
    assert "VOUCH789" not in text("the page http://127.0.0.1:9/offer?voucher=VOUCH789 opened")


def test_url_credentials_become_a_placeholder_before_the_host():
    r = Redactor()
    assert r.url("https://bob:s3cr3t-pw@example.com/feed?x=1") == "https://[credentials]@example.com/feed?x=1"
    assert r.url("ftp://anonymous@files.example.com/pub/") == "ftp://[credentials]@files.example.com/pub/"
    assert r.url("http://bob:pw@127.0.0.1:8080/") == "http://[credentials]@127.0.0.1:8080/"
    said = r.text("The feed lives at https://bob:s3cr3t-pw@example.com/feed, keep it safe.")
    assert "s3cr3t-pw" not in said and "bob" not in said and "https://[credentials]@example.com/feed" in said


@pytest.mark.parametrize("url, masked", [
    ("/track/john.doe@example.com", "/track/j***@example.com"),
    ("/track/john.doe%40example.com", "/track/j***@example.com"),
    ("https://shop.example.com/u/Maria.Lopez@mail.example.org/orders", "https://shop.example.com/u/M***@mail.example.org/orders"),
    ("/lookup?who=someone@example.com&ticket=4", "/lookup?who=s***@example.com&ticket=4"),
    ("/lookup?who=someone%40example.com&ticket=4", "/lookup?who=s***@example.com&ticket=4"),
])
def test_an_email_address_in_a_url_path_or_query_is_masked(url, masked):
    assert Redactor().url(url) == masked


def test_an_email_param_loses_its_value_whole():
    for url in ("/view/?email=someone@example.com&ticket=2", "/view/?email=someone%40example.com&ticket=2"):
        redacted = Redactor().url(url)
        assert redacted == f"/view/?email={REDACTED}&ticket=2"
        assert "someone" not in redacted


def test_secret_values_are_hidden_everywhere_in_free_text_and_urls():
    r = Redactor(secrets=["hunter2-Pass!", "Rosebud-1941"])
    said = r.text("Password = hunter2-Pass! and then Rosebud-1941; again hunter2-Pass!")
    assert "hunter2" not in said and "Rosebud" not in said
    assert said.count(SECRET) == 3
    assert "hunter2" not in r.url("/search?q=hunter2-Pass!")
    assert "Rosebud" not in r.url("/answer/Rosebud-1941/")
    assert r.text("no secret here") == "no secret here"
    # too short to hide safely: a two-letter secret would eat ordinary words
    assert Redactor(secrets=["ab"]).text("about") == "about"
    # added later, as a customer learns one
    assert SECRET in Redactor().with_secrets(["S3-cret-value"]).text("it is S3-cret-value")


def test_personal_values_are_masked_in_urls_only_as_whole_words():
    r = Redactor(personal=["AB12CDE", "42421", "76543210"])
    assert r.url("/car/AB12CDE/") == "/car/A***/"
    assert r.url("/car?reg=AB12CDE&x=1") == "/car?reg=A***&x=1"
    assert r.url("http://127.0.0.1:42421/order/42421#42421") == "http://127.0.0.1:42421/order/4***#4***"
    # never inside a port, a host or a longer number or word
    assert r.url("http://127.0.0.1:42421/") == "http://127.0.0.1:42421/"
    assert r.url("http://127.0.0.1:42421/order/142421/") == "http://127.0.0.1:42421/order/142421/"
    assert r.url("/order/424210") == "/order/424210"
    assert r.url("/car/XAB12CDE/") == "/car/XAB12CDE/"
    assert r.url("/booking/7654321099") == "/booking/7654321099"
    # free text is not a URL: the customer's own words keep their facts ("Registration = AB12CDE")
    assert r.text("Registration = AB12CDE") == "Registration = AB12CDE"
    # but a URL inside free text is a URL
    assert "AB12CDE" not in r.text("opened http://127.0.0.1:42421/car/AB12CDE/?tab=mot")
    # a value too short to mask whole words safely is left alone
    assert Redactor(personal=["12"]).url("/a/12/") == "/a/12/"


def test_relative_urls_with_a_query_inside_free_text_are_redacted():
    r = Redactor()
    assert r.text("opened /view/?key=abc") == f"opened /view/?key={REDACTED}"
    said = r.text("after clicking 'View' the page /view/?ticket=support-2&email=a.b%40example.com&key=3f2b8c1e was shown")
    assert "3f2b8c1e" not in said and "a.b" not in said and "example.com" not in said.replace("[redacted]", "")
    assert "ticket=support-2" in said
    assert r.text("(see /reset?token=TOK456)") == f"(see /reset?token={REDACTED})"
    # a question is not a URL
    assert r.text("Did it arrive? Yes.") == "Did it arrive? Yes."


def test_a_url_without_secrets_is_left_as_it_is():
    r = Redactor(personal=["AB12CDE"])
    for url in ("/", "/kb/orders/?kbitem=1", "https://example.com/help/?q=parcel&page=2", "", None):
        assert r.url(url) == url


# -- a whole run against a real site --------------------------------------------------------------

PASSWORD = "Xq7-Correct-Horse-Battery-41"       # from the environment, as a scenario's credentials say
SECURITY_ANSWER = "Rosebud-Sled-1941"           # a secret fact written in the scenario
MEMORABLE = "Marmalade-Tuesday-88"              # typed into a password field; not a secret fact
USERNAME = "ada.lovelace77"
REGISTRATION = "AB12CDE"                        # the customer's car: a fact of theirs
SITE_EMAIL = "someone@example.com"
KEY, TOKEN, VOUCHER, SESSION = "SECRETKEY123", "TOK456", "VOUCH789", "SESS0N-9f8e7d"
FEED_USER, FEED_PASSWORD = "feeduser", "FEEDPASS99"

NEVER = {  # what must never be written down, and why
    "the password": PASSWORD,
    "the security answer": SECURITY_ANSWER,
    "the memorable word typed into a password field": MEMORABLE,
    "the key": KEY,
    "the token": TOKEN,
    "the custom redacted param": VOUCHER,
    "the session": SESSION,
    "the URL credentials' password": FEED_PASSWORD,
    "the URL credentials' user": FEED_USER,
    "the e-mail address in the link": SITE_EMAIL,
    "the e-mail address in the link, encoded": SITE_EMAIL.replace("@", "%40"),
}
REGISTRATION_IN_A_URL = re.compile(rf"(?:/|=|%2F){REGISTRATION}(?![A-Za-z0-9])")


def _site(state: dict):
    from flask import Flask, redirect, request

    app = Flask("privacy_site")

    def page(title: str, body: str) -> str:
        return (f"<!doctype html><html><head><title>{title} - Acme Portal</title></head>"
                f"<body><main><h1>{title}</h1>{body}</main></body></html>")

    @app.get("/")
    def home():
        return page("Acme Portal", '<p>Welcome to the customer portal.</p><a href="/login">Sign in</a>')

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "POST":
            form = request.form
            ok = (form.get("username") == USERNAME and form.get("password") == PASSWORD
                  and form.get("memorable") == MEMORABLE and form.get("answer") == SECURITY_ANSWER)
            state["logins"].append(ok)
            if ok:
                return redirect(f"/account/?session={SESSION}", 303)
            return page("Sign in", "<p class='error'>Those details are not right.</p>"), 200
        return page("Sign in", """
            <form method="post" action="/login">
              <label for="u">Username</label> <input id="u" name="username" required>
              <label for="p">Password</label> <input id="p" name="password" type="password" required>
              <label for="m">Memorable word</label> <input id="m" name="memorable" type="password" required>
              <label for="a">Security answer</label> <input id="a" name="answer" type="text" required>
              <button type="submit">Sign in</button>
            </form>""")

    @app.get("/account/")
    def account():
        port = request.host.rsplit(":", 1)[1]
        ticket = f"/view/?ticket=T-1&email={SITE_EMAIL}&key={KEY}&token={TOKEN}&voucher={VOUCHER}"
        feed = f"http://{FEED_USER}:{FEED_PASSWORD}@127.0.0.1:{port}/feed/"
        return page("Your account", f"""
            <p>You are signed in as {USERNAME}.</p>
            <ul>
              <li><a href="{ticket}">View my ticket</a></li>
              <li><a href="/car/{REGISTRATION}/">My car</a></li>
              <li><a href="{feed}">Private feed</a></li>
            </ul>""")

    @app.get("/view/")
    def view():
        args = request.args
        state["tickets"].append(dict(args))
        if args.get("key") != KEY or args.get("email") != SITE_EMAIL:
            return page("View a ticket", "<p>We could not find that ticket.</p>"), 404
        share = f"/view/?ticket=T-1&email={SITE_EMAIL}&key={KEY}"
        return page("Ticket T-1", f"""
            <p>Ticket T-1 is open and our team is looking into your missing parcel.</p>
            <p>Your private link is {share} so keep it safe.</p>""")

    @app.get("/car/<reg>/")
    def car(reg: str):
        state["cars"].append(reg)
        return page("Your car", "<p>Your car is booked in for its MOT on Tuesday at 9am.</p>"
                                "<p>To change the booking you must call us on 0800 123 4567.</p>")

    @app.get("/track/<path:who>")
    def track(who: str):
        return page("Your parcels", "<p>Your parcel left our warehouse yesterday.</p>")

    @app.get("/feed/")
    def feed():
        auth = request.authorization
        state["feeds"].append((auth.username, auth.password) if auth else None)
        if not auth or (auth.username, auth.password) != (FEED_USER, FEED_PASSWORD):
            return page("Sign in to your feed", "<p>This feed needs its user name and password.</p>"), 401, \
                {"WWW-Authenticate": 'Basic realm="feed"'}
        port = request.host.rsplit(":", 1)[1]
        return page("Your private feed", f"<p>Your feed is ready. Its address is "
                                         f"http://{FEED_USER}:{FEED_PASSWORD}@127.0.0.1:{port}/feed/ for your reader.</p>")

    return app


JOURNEY = '''
from simsuite import journey


@journey
def privacy_portal_visit(customer):
    """Sign in, look at the ticket, the car's booking and the private feed."""
    web = customer.web
    web.goto("/")
    web.click("Sign in")
    web.fill("Username", customer.fact("username"))
    web.fill("Password", customer.fact("password"))
    web.fill("Memorable word", "{memorable}")
    web.fill("Security answer", customer.fact("security_answer"))
    web.click("Sign in")
    if not web.has_text("You are signed in"):
        return customer.gave_up("Could not sign in.")
    web.click("View my ticket")
    opened = web.sentence_with("is open")
    web.goto("/account/")
    web.click("My car")
    web.goto("/account/")
    web.click("Private feed")
    if opened and web.has_text("Your feed is ready"):
        return customer.resolved(opened)
    customer.gave_up("The portal did not show my ticket.")
'''.replace("{memorable}", MEMORABLE)

SCENARIO = f"""
name: privacy-portal
company: Acme Portal
situation: A parcel went missing and the car needs its MOT.
goal: Sign in, see the ticket about the parcel and the car's booking.
persona:
  count: 1
  locale: en_GB
  channels: [web]
  knows: [name, email]
  facts:
    username: {USERNAME}
    car_registration: {REGISTRATION}
  credentials:
    password: {{env: SIMS_TEST_PASSWORD}}
    security_answer: {SECURITY_ANSWER}
journeys: [privacy_portal_visit]
budget:
  max_index: 100
"""


@pytest.fixture(scope="module")
def site():
    """The portal on a free loopback port, and what it was sent."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):   # no access log: it would print the secrets the site was sent
            pass

    state: dict = {"logins": [], "tickets": [], "cars": [], "feeds": []}
    server = make_server("127.0.0.1", 0, _site(state), threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def portal_run(site, tmp_path_factory):
    """One run of the portal journey through `simsuite.run`, with history and a PDF."""
    import simsuite
    from simsuite.app import RunConfig, TargetConfig

    url, state = site
    tmp = tmp_path_factory.mktemp("privacy")
    (tmp / "journeys").mkdir()
    (tmp / "scenarios").mkdir()
    journey_file = tmp / "journeys" / "privacy_portal_visit.py"
    journey_file.write_text(textwrap.dedent(JOURNEY), encoding="utf-8")
    (tmp / "scenarios" / "privacy.yaml").write_text(SCENARIO, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIMS_TEST_PASSWORD", PASSWORD)
        lines: list[str] = []
        config = RunConfig(target=TargetConfig(base_url=url, mode="privacy", redact_params=("voucher",)),
                           out=tmp / "out", scenarios=tmp / "scenarios", journeys=(journey_file,), only_given=True,
                           seed=11, pdf="full", keep_history=True, history=str(tmp / "h.sqlite"),
                           fail_over_budget=False)
        report = simsuite.run(config, log=lines.append)
    return {"tmp": tmp, "out": tmp / "out", "report": report, "log": "\n".join(lines), "state": state}


def _journey(run: dict) -> dict:
    journeys = run["report"].doc["journeys"]
    assert len(journeys) == 1, [j["id"] for j in journeys]
    return journeys[0]


def test_the_run_worked_the_customer_signed_in_and_followed_every_link(portal_run):
    j = _journey(portal_run)
    state = portal_run["state"]
    assert j["outcome"] == "resolved", (j.get("error"), j["outcome_detail"])
    assert "Ticket T-1 is open" in j["outcome_detail"]
    assert state["logins"] == [True]                        # the real password reached the site
    assert state["tickets"] and state["tickets"][-1]["key"] == KEY and state["tickets"][-1]["voucher"] == VOUCHER
    assert state["cars"] == [REGISTRATION]
    assert state["feeds"][-1] == (FEED_USER, FEED_PASSWORD)   # the browser used the URL's credentials
    urls = [s.get("url") or "" for s in j["steps"]]
    assert any(u.startswith("/view/?ticket=T-1") for u in urls), urls
    assert any(u.startswith("/car/") for u in urls) and any(u.endswith("/feed/") for u in urls), urls


def test_the_steps_say_what_happened_with_the_secrets_replaced(portal_run):
    j = _journey(portal_run)
    details = [s["detail"] for s in j["steps"]]
    assert "Password = [hidden]" in details, details
    assert "Memorable word = [hidden]" in details, details
    assert f"Security answer = {SECRET}" in details, details
    assert f"Username = {USERNAME}" in details                # not secret: the customer's own words
    view = next(s for s in j["steps"] if (s.get("url") or "").startswith("/view/"))
    assert view["url"] == f"/view/?ticket=T-1&email={REDACTED}&key={REDACTED}&token={REDACTED}&voucher={REDACTED}"
    assert f"key={REDACTED}" in view["text"] and "keep it safe" in view["text"]
    car = next(s for s in j["steps"] if (s.get("url") or "").startswith("/car/"))
    assert car["url"] == f"/car/{REGISTRATION[0]}***/"
    feed = next(s for s in j["steps"] if (s.get("url") or "").endswith("/feed/"))
    assert "[credentials]@" in feed["text"] and "Your feed is ready" in feed["text"]
    assert j["persona"]["records"]["password"] == SECRET and j["persona"]["records"]["security_answer"] == SECRET


def _outputs(run: dict) -> dict[str, str]:
    out: Path = run["out"]
    from pypdf import PdfReader

    pdf = out / "report.pdf"
    assert pdf.is_file(), sorted(p.name for p in out.iterdir())
    pdf_text = "\n".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
    pdf_text += "\n" + re.sub(r"\s+", "", pdf_text)  # a value the PDF wrapped over two lines is still found
    history = run["tmp"] / "h.sqlite"
    history_bytes = b"".join(p.read_bytes() for p in sorted(run["tmp"].glob("h.sqlite*")))
    assert history.is_file()
    return {
        "results.json": (out / "results.json").read_text(encoding="utf-8"),
        "report.html": (out / "report.html").read_text(encoding="utf-8"),
        "junit.xml": (out / "junit.xml").read_text(encoding="utf-8") if (out / "junit.xml").exists() else "",
        "report.pdf": pdf_text,
        "history": history_bytes.decode("utf-8", errors="replace"),
        "terminal": run["log"],
    }


def test_no_secret_appears_in_any_output(portal_run):
    outputs = _outputs(portal_run)
    # none of the checks below is vacuous: each output holds this run
    assert "privacy-portal" in outputs["results.json"] and "privacy-portal" in outputs["report.html"]
    assert "privacy-portal" in outputs["history"] and "Ticket T-1 is open" in outputs["history"]
    assert "privacy-portal" in outputs["report.pdf"] and "[redacted]" in outputs["report.pdf"], outputs["report.pdf"][:500]
    leaks = [(what, name) for name, text in outputs.items() for what, value in NEVER.items() if value in text]
    assert leaks == []
    in_urls = [(name, m.group(0)) for name, text in outputs.items() for m in REGISTRATION_IN_A_URL.finditer(text)]
    assert in_urls == [], "the car registration is written down inside a URL"


def test_the_registration_appears_only_as_a_fact_never_in_a_step_url(portal_run):
    j = _journey(portal_run)
    for step in j["steps"]:
        assert REGISTRATION not in (step.get("url") or ""), step
        assert not REGISTRATION_IN_A_URL.search(json.dumps(step)), step
    for friction in j["frictions"]:
        assert not any(v in json.dumps(friction) for v in NEVER.values()), friction


def test_screenshot_steps_hold_no_secret(portal_run):
    j = _journey(portal_run)
    shots = [s for s in j["steps"] if s.get("artifact")]
    assert shots, "the car page's phone demand should have produced a screenshot"
    for step in shots:
        assert (portal_run["out"] / step["artifact"]).read_bytes()[:4] == b"\x89PNG"
        said = json.dumps(step)
        assert not [w for w, v in NEVER.items() if v in said], step
        assert not REGISTRATION_IN_A_URL.search(said), step
        # a screenshot file's name never carries the secrets either
        assert not [v for v in NEVER.values() if v in step["artifact"]]
    names = [p.name for p in (portal_run["out"] / "artifacts").rglob("*")]
    assert not [n for n in names for v in (*NEVER.values(), REGISTRATION) if v in n], names


def test_the_cli_turns_redact_param_and_mask_into_the_target():
    from simsuite.cli import _parser, run_config

    args = _parser().parse_args(["run", "--base-url", "http://127.0.0.1:9", "--redact-param", "voucher",
                                 "--redact-param", "order_ref", "--mask", ".card-number", "--no-history"])
    target = run_config(args).target
    assert target.redact_params == ("voucher", "order_ref") and target.mask_selectors == (".card-number",)


def test_a_scenario_whose_password_variable_is_not_set_is_refused_before_anything_runs(tmp_path, monkeypatch):
    from simsuite.core.scenario import load_scenario
    from simsuite.errors import SimsuiteError

    monkeypatch.delenv("SIMS_TEST_PASSWORD", raising=False)
    path = tmp_path / "privacy.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    scenario = load_scenario(path)
    with pytest.raises(SimsuiteError, match="SIMS_TEST_PASSWORD"):
        scenario.personas(1)
    monkeypatch.setenv("SIMS_TEST_PASSWORD", PASSWORD)
    persona = scenario.personas(1)[0]
    assert persona.fact("password") == PASSWORD and PASSWORD in persona.secret_values()
    assert SECURITY_ANSWER in persona.secret_values() and REGISTRATION in persona.personal_values()
    assert PASSWORD not in persona.personal_values() and persona.to_dict()["records"]["password"] == SECRET


def test_a_path_the_script_opens_is_masked_in_the_step_detail_too(site):
    from contextlib import ExitStack

    from simsuite.browser import BrowserPool
    from simsuite.core.personas import make_persona
    from simsuite.core.scenario import Scenario
    from simsuite.customer import Customer
    from simsuite.runner import RunTarget

    url, _ = site
    persona = make_persona(1, "privacy").with_facts({"car_registration": REGISTRATION})
    with ExitStack() as stack:
        hosts = RunTarget(None, url).hosts
        customer = Customer(persona, Scenario(name="p", goal="g", journeys=("j",)),
                            Target(base_url=url, page_factory=BrowserPool(stack).page_factory(hosts),
                                   allowed_hosts=hosts))
        web = customer.web
        web.goto(f"/car/{REGISTRATION}/")
        car = customer.steps[-1]
        web.goto(f"/track/{SITE_EMAIL}")
        track = customer.steps[-1]
    assert car.url == f"/car/{REGISTRATION[0]}***/" and car.status == 200   # the url field is masked ...
    assert track.url == "/track/s***@example.com" and track.status == 200
    assert REGISTRATION not in car.detail, car.detail                       # ... and so must its detail be
    assert SITE_EMAIL not in track.detail, track.detail

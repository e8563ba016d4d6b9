"""Wexcombe Borough Council: a GOV.UK-style council website (web only).

Written like many council sites: a "service finder" of A to Z links, step-by-step start pages with a green
start button, a cookie banner with two buttons, "Was this page useful?" feedback, and content written by
different teams over the years (so the same rule is worded differently on different pages).
"""

from flask import Flask, request

SHELL = """<!DOCTYPE html><html lang="en" class="govuk-template"><head><meta charset="utf-8">
<title>{title} - Wexcombe Borough Council</title></head><body class="govuk-template__body">
<div class="govuk-cookie-banner" role="region" aria-label="Cookies on Wexcombe Borough Council">
 <p>We'd like to use analytics cookies so we can understand how you use the site.</p>
 <button type="button" onclick="this.parentNode.hidden=true">Accept analytics cookies</button>
 <button type="button" onclick="this.parentNode.hidden=true">Reject analytics cookies</button></div>
<header class="govuk-header"><a href="/" class="govuk-header__link">Wexcombe Borough Council</a>
 <nav><a href="/bins">Bins and recycling</a> <a href="/parking">Parking</a> <a href="/council-tax">Council tax</a> <a href="/a-z">A to Z</a></nav></header>
<main class="govuk-main-wrapper" id="main-content"><h1 class="govuk-heading-l">{title}</h1>{body}
<div class="feedback"><p>Was this page useful?</p><a href="/feedback?useful=yes">Yes</a> <a href="/feedback?useful=no">No</a></div></main>
<footer class="govuk-footer"><a href="/contact">Contact us</a> · <a href="/accessibility">Accessibility statement</a> ·
<a href="/privacy">Privacy</a> · <a href="/cookies">Cookies</a><p>Wexcombe Borough Council, Civic Centre, Market Street, Wexcombe WX1 1AA</p></footer>
</body></html>"""


def page(title, body):
    return SHELL.format(title=title, body=body)


def make_app():
    app = Flask(__name__)

    @app.get("/")
    def home():
        return page("Wexcombe Borough Council", "<ul><li><a href='/bins/missed'>Report a missed bin collection</a></li>"
                    "<li><a href='/bins/new'>Order a new or replacement bin</a></li>"
                    "<li><a href='/parking/resident'>Apply for a resident parking permit</a></li>"
                    "<li><a href='/parking/visitor'>Visitor parking permits</a></li></ul>")

    @app.get("/bins")
    def bins():
        return page("Bins and recycling", """<p>Your bins are collected every other week.</p>
<ul><li><a href="/bins/missed">Report a missed bin collection</a></li><li><a href="/bins/new">Order a new or replacement bin</a></li></ul>
<p>Please allow 48 hours after your collection day before reporting a missed bin, as crews may still be working in your area.</p>""")

    @app.route("/bins/missed", methods=["GET", "POST"])
    def missed():
        if request.method == "POST":
            return page("Report a missed bin collection", """<div class="govuk-error-summary">
<p>Reports can't be made until two working days after your collection day.</p>
<p>If your bin has still not been emptied by then, please come back and report it.</p></div>""")
        return page("Report a missed bin collection", """<p>Use this form to tell us your bin was not emptied.</p>
<form method="post"><label for="pc">Postcode</label><input id="pc" name="postcode" required>
<label for="bin">Which bin was missed?</label><select id="bin" name="bin"><option>Green (garden waste)</option>
<option>Blue (recycling)</option><option>Black (general waste)</option></select>
<button type="submit" class="govuk-button">Report missed bin</button></form>""")

    @app.route("/bins/new", methods=["GET", "POST"])
    def new_bin():
        return page("Order a new or replacement bin", """<p>Replacement bins cost £25 and are delivered within 10 working days.</p>
<p>You need a My Wexcombe account to request a replacement bin.</p>
<p><a href="/my-wexcombe/sign-in">Sign in to My Wexcombe</a></p>""")

    @app.route("/my-wexcombe/sign-in", methods=["GET", "POST"])
    def sign_in():
        note = "<p class='govuk-error-message'>Your username or password is incorrect.</p>" if request.method == "POST" else ""
        return page("Sign in to My Wexcombe", f"""{note}<form method="post">
<label for="u">Username</label><input id="u" name="username" required>
<label for="p">Password</label><input id="p" name="password" type="password" required>
<button type="submit" class="govuk-button">Sign in</button></form>
<p>New accounts are being paused while we move to a new system.</p>""")

    @app.get("/parking")
    def parking():
        return page("Parking", "<ul><li><a href='/parking/resident'>Apply for a resident parking permit</a></li>"
                    "<li><a href='/parking/visitor'>Visitor parking permits</a></li></ul>")

    @app.get("/parking/resident")
    def resident():
        return page("Apply for a resident parking permit", """<p>A permit costs £60 a year for the first car.</p>
<p>Resident parking permits are not available online.</p>
<p>Please bring proof of address and your vehicle's V5C logbook to the Civic Centre counter, Monday to Friday, 9am to 4pm.</p>""")

    @app.get("/parking/visitor")
    def visitor():
        return page("Visitor parking permits", """<p>Visitor permits are sold in books of 10 half-day scratch cards.</p>
<p>Visitor permits must be collected in person from the Civic Centre.</p>
<p class="notice">The pay-by-card machine at the Civic Centre is temporarily unavailable; please bring cash or a cheque.</p>""")

    @app.get("/<path:anything>")
    def other(anything):
        return page("Page not found", "<p>If you typed the web address, check it is correct.</p>"), 404

    return app

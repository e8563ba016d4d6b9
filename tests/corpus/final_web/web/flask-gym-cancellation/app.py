"""Ironbark Gyms support centre and Members Area, as a small Flask app.

Written like a budget gym chain's site: a consent-management dialog with a dimmed backdrop that covers
the page until a choice is made (kept in the `ib_cmp` cookie by the dialog's own script), a support
centre with an FAQ list, and a Members Area behind a login (303 to /login?next=...). The login form
labels the membership number properly, but the password box has only an aria-label, and the button
ends in a Font Awesome "sign in" glyph (U+F090). The "Freeze or cancel" page carries two forms, one
to freeze and one to cancel, each asking to "Confirm your membership number" although the member has
just logged in with it. The leaving reasons have nothing for moving away, and a cancellation request
is only "noted": it has to be finished at the member's home club, in person.
"""

from flask import Flask, redirect, render_template_string, request, session, url_for

MEMBERS = {
    "70183426": {"password": "Kirkstall!Lift24", "first_name": "Priya", "club": "Ironbark Leeds Kirkstall Road",
                 "plan": "Off-Peak Flex, £24.99 a month"},
}

BASE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} – Ironbark Gyms</title>
<style>
  body { margin: 0; font-family: "Trebuchet MS", Arial, sans-serif; background: #fafafa; color: #1d1d1d; }
  .ib-header { background: #13294b; color: #fff; padding: 14px 36px; display: flex; justify-content: space-between; }
  .ib-header a { color: #fff; text-decoration: none; margin-left: 22px; font-weight: bold; }
  .ib-header .brand { font-size: 22px; margin-left: 0; letter-spacing: 1px; }
  main { max-width: 820px; margin: 28px auto; background: #fff; padding: 26px 34px; min-height: 420px; }
  .fa { font-family: "Font Awesome 5 Free"; font-weight: 900; font-style: normal; margin-left: 8px; }
  .btn { background: #e4572e; color: #fff; border: 0; border-radius: 22px; padding: 11px 24px; font-size: 15px;
         cursor: pointer; text-decoration: none; display: inline-block; }
  .btn.secondary { background: #13294b; }
  .row { margin: 12px 0; }
  .row label { display: block; font-weight: bold; margin-bottom: 4px; }
  .row input[type=text], .row input[type=password], .row select { width: 300px; padding: 8px; }
  .panel { border: 1px solid #d7dbe2; border-radius: 8px; padding: 16px 22px; margin: 18px 0; }
  .faq li { margin: 8px 0; }
  footer { text-align: center; font-size: 13px; color: #555; padding: 24px; }
  .cmp-shade { position: fixed; inset: 0; background: rgba(10, 20, 40, .6); z-index: 50; }
  .cmp-box { position: fixed; top: 50%; left: 50%; transform: translate(-50%, -50%); z-index: 51; width: 480px;
             background: #fff; border-radius: 10px; padding: 24px 28px; font-size: 14px; }
  .cmp-box button { margin: 10px 8px 0 0; }
</style>
</head>
<body>
<div class="ib-header">
  <a class="brand" href="/">IRONBARK</a>
  <nav aria-label="Site"><a href="/clubs/">Find a club</a><a href="/join/">Join</a><a href="/support/">Support</a><a href="/members/">Members Area</a></nav>
</div>
<main>
{{ body|safe }}
</main>
<footer>
  Ironbark Gyms Ltd · <a href="/legal/terms">Membership terms</a> · <a href="/legal/privacy">Privacy</a> ·
  Questions? Call Member Services on 0330 088 2210 (Mon–Fri, 9am–5pm)
</footer>
{% if not consent %}
<div class="cmp-shade" id="cookie-shade"></div>
<div class="cmp-box" role="dialog" aria-modal="true" aria-labelledby="cmp-h">
  <h2 id="cmp-h">Your privacy choices</h2>
  <p>Ironbark and our partners use cookies and similar technologies to run this site, measure how it's used and
     show you relevant offers. Choose "Accept all" to allow all cookies, or manage them yourself.</p>
  <button type="button" class="btn" data-choice="all">Accept all</button>
  <button type="button" class="btn secondary" data-choice="essential">Reject non-essential</button>
  <button type="button" data-choice="essential" style="background:none;border:0;text-decoration:underline">Manage preferences</button>
</div>
<script>
  document.querySelectorAll('[data-choice]').forEach(function (b) {
    b.addEventListener('click', function () {
      document.cookie = 'ib_cmp=' + b.dataset.choice + '; path=/; max-age=15552000; SameSite=Lax';
      document.querySelector('.cmp-box').remove();
      document.getElementById('cookie-shade').remove();
    });
  });
</script>
{% endif %}
</body>
</html>"""

SUPPORT = """
<h1>Support centre</h1>
<form action="/support/search" method="get" role="search">
  <input type="text" name="q" placeholder="Search support" style="width:360px;padding:9px">
</form>
<h2>Top questions</h2>
<ul class="faq">
  <li><a href="/support/articles/book-a-class">How do I book a class?</a></li>
  <li><a href="/support/articles/change-payment-date">Can I change my payment date?</a></li>
  <li><a href="/support/articles/cancel-membership">How do I cancel my membership?</a></li>
  <li><a href="/support/articles/guest-passes">Can I bring a friend?</a></li>
  <li><a href="/support/articles/pin-code">I've forgotten my entry PIN</a></li>
</ul>
<h2>Browse by topic</h2>
<p><a href="/support/topics/membership">Membership and payments</a> · <a href="/support/topics/classes">Classes</a> ·
   <a href="/support/topics/clubs">Our clubs</a> · <a href="/support/topics/app">The Ironbark app</a></p>
"""

ARTICLE = """
<p><a href="/support/">Support centre</a> › Membership and payments</p>
<h1>How do I cancel my membership?</h1>
<p>We're sorry to see you go. You can ask to cancel your membership online from the Members Area at any
   time. You'll need your membership number (it's on your welcome e-mail and on the back of your key fob)
   and your password.</p>
<p>If you'd rather take a break, you can freeze your membership for 1 to 3 months instead.</p>
<p><a class="btn" href="/members/cancel">Go to the Members Area</a></p>
<h2>Related articles</h2>
<ul class="faq"><li><a href="/support/articles/freeze">Freezing your membership</a></li>
<li><a href="/support/articles/change-club">Changing your home club</a></li></ul>
"""

LOGIN = """
<h1>Log in to the Members Area</h1>
{% if error %}<p role="alert" style="color:#b00020">{{ error }}</p>{% endif %}
<form method="post" action="/login">
  <input type="hidden" name="next" value="{{ next }}">
  <div class="row">
    <label for="member-number">Membership number</label>
    <input type="text" id="member-number" name="member_number" inputmode="numeric" autocomplete="username">
  </div>
  <div class="row">
    <input type="password" name="password" aria-label="Password" autocomplete="current-password" style="width:300px;padding:8px">
  </div>
  <div class="row"><input type="checkbox" id="remember" name="remember"> <label for="remember" style="display:inline">Keep me logged in</label></div>
  <button type="submit" class="btn">Log in<i class="fa">\uf090</i></button>
</form>
<p><a href="/members/reset">Forgotten your password?</a></p>
<p>Not a member yet? <a href="/join/">Join Ironbark</a></p>
"""

FREEZE_OR_CANCEL = """
<h1>Before you go, {{ member.first_name }}</h1>
<p>You're on <strong>{{ member.plan }}</strong> at {{ member.club }}. Did you know you can freeze your
   membership for up to 3 months for £5 a month?</p>
<form class="panel" method="post" action="/members/freeze">
  <h2>Freeze your membership</h2>
  <div class="row"><label for="fz-number">Confirm your membership number</label>
    <input type="text" id="fz-number" name="member_number"></div>
  <div class="row"><label for="fz-length">Freeze length</label>
    <select id="fz-length" name="months"><option>1 month</option><option>2 months</option><option>3 months</option></select></div>
  <button type="submit" class="btn secondary">Freeze membership</button>
</form>
<form class="panel" method="post" action="/members/cancel">
  <h2>Cancel your membership</h2>
  <div class="row"><label for="cx-number">Confirm your membership number</label>
    <input type="text" id="cx-number" name="member_number"></div>
  <div class="row"><label for="cx-reason">Why are you leaving?</label>
    <select id="cx-reason" name="reason">
      <option value="">Choose a reason</option>
      <option value="price">It's too expensive</option>
      <option value="usage">I'm not using it enough</option>
      <option value="facilities">I'm unhappy with the facilities</option>
      <option value="classes">The class timetable doesn't suit me</option>
      <option value="competitor">I'm joining another gym</option>
      <option value="medical">Injury or illness (doctor's note needed)</option>
    </select></div>
  <button type="submit" class="btn">Request cancellation<i class="fa">\uf054</i></button>
</form>
"""

NEXT_STEPS = """
<h1>One more step</h1>
<p>Thanks, {{ member.first_name }}. We've noted that you'd like to leave us.</p>
<div class="panel">
  <p><strong>For your security, cancellations can't be completed online.</strong></p>
  <p>Please visit the reception desk at your home club, {{ member.club }}, with photo ID to finish
     cancelling. Our club team will confirm your last payment date there.</p>
</div>
<p><a href="/members/">Back to the Members Area</a></p>
"""

SIMPLE = """<h1>{{ heading }}</h1><p>{{ text }}</p><p><a href="/support/">Back to the support centre</a></p>"""


def make_app():
    app = Flask(__name__)
    app.secret_key = "ironbark-corpus-not-a-secret"

    def page(title, body, **ctx):
        inner = render_template_string(body, **ctx)
        return render_template_string(BASE, title=title, body=inner, consent=request.cookies.get("ib_cmp"))

    def member():
        return MEMBERS.get(session.get("member", ""))

    @app.get("/")
    def home():
        return page("Home", '<h1>Train your way</h1><p><a href="/join/">Join from £19.99 a month</a></p>')

    @app.get("/support/")
    def support():
        return page("Support", SUPPORT)

    @app.get("/support/articles/cancel-membership")
    def cancel_article():
        return page("How do I cancel my membership?", ARTICLE)

    @app.get("/support/<path:rest>")
    def other_support(rest):
        return page("Support", SIMPLE, heading="Support", text="This article is coming soon.")

    @app.get("/login")
    def login():
        return page("Log in", LOGIN, next=request.args.get("next", "/members/"), error=None)

    @app.post("/login")
    def login_post():
        number = request.form.get("member_number", "").strip()
        target = request.form.get("next") or "/members/"
        if not target.startswith("/"):
            target = "/members/"
        record = MEMBERS.get(number)
        if record is None or record["password"] != request.form.get("password", ""):
            return page("Log in", LOGIN, next=target,
                        error="Your membership number or password is incorrect. Please try again."), 200
        session["member"] = number
        return redirect(target, code=303)

    @app.get("/members/")
    def members_home():
        if member() is None:
            return redirect(url_for("login", next="/members/"), code=303)
        return page("Members Area", SIMPLE, heading=f"Welcome back, {member()['first_name']}",
                    text="Your membership is active.")

    @app.get("/members/cancel")
    def freeze_or_cancel():
        if member() is None:
            return redirect(url_for("login", next="/members/cancel"), code=303)
        return page("Freeze or cancel", FREEZE_OR_CANCEL, member=member())

    @app.post("/members/cancel")
    def cancel_post():
        if member() is None:
            return redirect(url_for("login", next="/members/cancel"), code=303)
        return redirect("/members/cancel/next-steps", code=303)

    @app.post("/members/freeze")
    def freeze_post():
        if member() is None:
            return redirect(url_for("login", next="/members/cancel"), code=303)
        return page("Freeze booked", SIMPLE, heading="Your freeze is booked", text="We've e-mailed you the details.")

    @app.get("/members/cancel/next-steps")
    def next_steps():
        if member() is None:
            return redirect(url_for("login", next="/members/cancel"), code=303)
        return page("One more step", NEXT_STEPS, member=member())

    return app

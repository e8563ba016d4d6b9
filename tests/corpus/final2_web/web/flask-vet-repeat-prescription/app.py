"""Willowbrook Veterinary Group's client site, as a Flask application.

Written like a small vet group's "My Pets" portal: a home page under a cookie-consent overlay (a
full-screen dimmer that takes every click until "Accept all cookies" or "Reject non-essential"),
service cards, a pet-travel teaser and an out-of-hours number in the footer. "Order a repeat
prescription" is behind a sign-in (302 to /sign-in?next=...); the e-mail box has only a placeholder and
the password box only an aria-label. The order form lists the medicines the practice dispenses for the
client's pets; medicines prescribed elsewhere (a referral hospital) are not in the list, and "Medicine
not in the list?" says they cannot be ordered online and sends the client to the dispensary's phone.
"""

from flask import Flask, redirect, request, session, url_for

CLIENTS = {"joanna.kerr@example.com": {"password": "Biscuit&Pepper-2019", "name": "Joanna Kerr"}}

MEDICINES = [
    "Apoquel 16mg tablets",
    "Bravecto Chewable Tablets for large dogs (20-40kg)",
    "Cardisure 5mg flavoured tablets",
    "Metacam 1.5mg/ml oral suspension for dogs",
    "Milbemax tablets for cats",
    "Vetmedin 5mg hard capsules",
    "Yumove Advance 360 (joint supplement)",
]

PAGE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Willowbrook Vets</title>
<style>
  @font-face {{ font-family: "Material Icons"; src: url("/static/fonts/MaterialIcons-Regular.woff2") format("woff2"); }}
  .mi {{ font-family: "Material Icons"; font-style: normal; }}
  body {{ margin: 0; font-family: "Nunito", Verdana, sans-serif; color: #1f2d2a; background: #f6faf8; }}
  header {{ background: #2f6b57; color: #fff; padding: 12px 32px; display: flex; justify-content: space-between; align-items: center; }}
  header a {{ color: #fff; margin-left: 18px; text-decoration: none; }}
  header .brand {{ font-size: 21px; font-weight: 700; }}
  main {{ max-width: 860px; margin: 28px auto; padding: 0 20px; }}
  .cards {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }}
  .card {{ background: #fff; border: 1px solid #d4e3dc; border-radius: 8px; padding: 18px; }}
  .card a {{ font-weight: 700; color: #2f6b57; }}
  .teaser {{ margin-top: 26px; background: #e8f2ee; padding: 14px 18px; border-radius: 8px; }}
  .field {{ margin: 16px 0; }}
  .field label {{ display: block; font-weight: 700; margin-bottom: 4px; }}
  .field input[type=email], .field input[type=password], .field select, .field textarea {{ width: 360px; padding: 9px; border: 1px solid #9bb5aa; }}
  .radios label {{ font-weight: 400; display: inline; }}
  .btn {{ background: #2f6b57; color: #fff; border: 0; border-radius: 4px; padding: 10px 20px; font-size: 15px; cursor: pointer; }}
  .hint {{ color: #55665f; font-size: 14px; }}
  footer {{ text-align: center; color: #55665f; font-size: 13px; padding: 26px; border-top: 1px solid #d4e3dc; margin-top: 40px; }}
  #cookie-consent {{ position: fixed; inset: 0; background: rgba(20, 30, 28, .72); z-index: 50; display: flex; align-items: center; justify-content: center; }}
  #cookie-consent .box {{ background: #fff; max-width: 520px; padding: 26px 30px; border-radius: 10px; }}
</style>
</head>
<body>
<header><span class="brand">Willowbrook Vets</span>
  <nav><a href="/">Home</a><a href="/practices">Our practices</a><a href="/account/prescriptions">My Pets</a></nav></header>
<main>
{body}
</main>
<footer>Willowbrook Veterinary Group Ltd, registered with the RCVS Practice Standards Scheme.<br>
  Emergency out of hours? Our night team at Harlow Road is on 01632 960 999.</footer>
{consent}
</body>
</html>"""

CONSENT = """<div id="cookie-consent" role="dialog" aria-modal="true" aria-labelledby="cc-title">
  <div class="box">
    <h2 id="cc-title">Your cookie choices</h2>
    <p>We use essential cookies to run this site, and with your permission analytics cookies to see which pages
       pet owners find useful.</p>
    <button type="button" class="btn" onclick="consent('all')">Accept all cookies</button>
    <button type="button" class="btn" style="background:#5c6e68" onclick="consent('essential')">Reject non-essential</button>
  </div>
</div>
<script>
function consent(level) {
  document.cookie = "wb_cookie_choice=" + level + "; path=/; max-age=31536000; SameSite=Lax";
  document.getElementById("cookie-consent").remove();
}
</script>"""

HOME = """
<h1>Caring for your pets, close to home</h1>
<p>Five practices across Harlow and Epping. What would you like to do?</p>
<div class="cards">
  <div class="card"><a href="/account/prescriptions">Order a repeat prescription</a>
    <p class="hint">For medicines your Willowbrook vet has prescribed.</p></div>
  <div class="card"><a href="/appointments">Book an appointment</a>
    <p class="hint">Consultations, vaccinations and nurse clinics.</p></div>
  <div class="card"><a href="/insurance">Insurance claims</a>
    <p class="hint">We can claim directly from most insurers.</p></div>
</div>
<div class="teaser">
  <h3><a href="/advice/pet-travel">Travelling abroad with your pet?</a></h3>
  <p>Animal Health Certificates must be issued no more than 10 days before you travel, so book your
     appointment early.</p>
</div>
"""

SIGN_IN = """
<h1>Sign in to My Pets</h1>
<p>Use the e-mail address you gave us when you registered your pet.</p>
<form method="post" action="/sign-in?next={next}">
  <div class="field"><input type="email" name="email" placeholder="Email address" autocomplete="username"></div>
  <div class="field"><input type="password" name="password" aria-label="Password" autocomplete="current-password"></div>
  {error}
  <button type="submit" class="btn">Sign in <i class="mi" aria-hidden="true">\ue5c8</i></button>
</form>
<p class="hint"><a href="/sign-in/forgotten">Forgotten your password?</a></p>
"""

PRESCRIPTIONS = """
<h1>Repeat prescriptions</h1>
<p>Hello {name}. Choose the pet and the medicine you need. A vet checks every request before it is
   dispensed, and we'll e-mail you when it's ready to collect from Harlow Road.</p>
<form method="post" action="/account/prescriptions">
  <div class="field radios"><strong>Which pet is it for?</strong><br>
    <input type="radio" id="pet-biscuit" name="pet" value="biscuit"> <label for="pet-biscuit">Biscuit (Labrador, 11 years)</label><br>
    <input type="radio" id="pet-pepper" name="pet" value="pepper"> <label for="pet-pepper">Pepper (cat, 6 years)</label>
  </div>
  <div class="field"><label for="med">Medicine</label>
    <select id="med" name="medicine">
      <option value="">Choose a medicine</option>
      {options}
    </select></div>
  <div class="field"><label for="qty">Quantity or pack size</label><input type="text" id="qty" name="quantity" style="width:120px;padding:9px"></div>
  <div class="field"><label for="notes">Anything the vet should know?</label><textarea id="notes" name="notes" rows="3"></textarea></div>
  <button type="submit" class="btn">Send request <i class="mi" aria-hidden="true">\ue163</i></button>
</form>
<p><a href="/account/prescriptions/not-listed">Medicine not in the list?</a></p>
"""

NOT_LISTED = """
<h1>Medicines that aren't in the list</h1>
<p>We can only take online orders for medicines a Willowbrook vet has prescribed for your pet. Medicines
   prescribed by another practice or by a referral hospital can't be ordered online.</p>
<p>Please phone our dispensary on <strong>01632 960 455</strong> (Monday to Friday, 9am to 5pm). We'll need to
   get the prescription from the vet who issued it, which usually takes 3 to 5 working days.</p>
<p><a href="/account/prescriptions">Back to repeat prescriptions</a></p>
"""

SIMPLE = "<h1>{heading}</h1><p>{text}</p><p><a href=\"/\">Back to the home page</a></p>"


def make_app():
    app = Flask(__name__)
    app.secret_key = "willowbrook-corpus-not-a-secret"

    def render(title, body):
        consent = "" if request.cookies.get("wb_cookie_choice") else CONSENT
        return PAGE.format(title=title, body=body, consent=consent)

    def signed_in():
        return session.get("client") in CLIENTS

    @app.get("/")
    def home():
        return render("Home", HOME)

    @app.route("/sign-in", methods=["GET", "POST"])
    def sign_in():
        nxt = request.args.get("next", "/account/prescriptions")
        if not nxt.startswith("/"):
            nxt = "/account/prescriptions"
        error = ""
        if request.method == "POST":
            email = request.form.get("email", "").strip().lower()
            client = CLIENTS.get(email)
            if client and request.form.get("password") == client["password"]:
                session["client"] = email
                return redirect(nxt, code=303)
            error = '<p role="alert" style="color:#a4262c">That e-mail address and password don\'t match our records.</p>'
        return render("Sign in", SIGN_IN.format(next=nxt, error=error))

    @app.route("/account/prescriptions", methods=["GET", "POST"])
    def prescriptions():
        if not signed_in():
            return redirect(url_for("sign_in", next="/account/prescriptions"))
        if request.method == "POST":
            return render("Request sent", SIMPLE.format(heading="Request sent",
                                                        text="Thank you. We'll e-mail you when it's ready to collect."))
        options = "\n      ".join(f'<option value="m{i}">{m}</option>' for i, m in enumerate(MEDICINES))
        name = CLIENTS[session["client"]]["name"].split()[0]
        return render("Repeat prescriptions", PRESCRIPTIONS.format(name=name, options=options))

    @app.get("/account/prescriptions/not-listed")
    def not_listed():
        if not signed_in():
            return redirect(url_for("sign_in", next="/account/prescriptions/not-listed"))
        return render("Medicines not in the list", NOT_LISTED)

    @app.get("/<path:other>")
    def other(other):
        return render("Willowbrook Vets", SIMPLE.format(heading="Coming soon", text="This page is being updated.")), 404

    return app

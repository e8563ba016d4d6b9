"""Riverside Physio clinic finder and online booking, as a Starlette app.

Written like a clinic chain's marketing site with a booking widget: the home page's "Find a clinic" box
is a GET search (an aria-label and a placeholder, no label; the button is an icon-only magnifier named by
aria-label). The search path sits behind the CDN's bot rule, which answers every query with the CDN's
own 403 "Access Denied" page. The clinic list, a clinic page, an availability form, and a waiting list
that confirms with a reference. Online booking shows no slots for the next 14 days and sends the patient
to the clinic's phone line or the waiting list.
"""

from html import escape

from starlette.applications import Starlette
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.routing import Route

CLINICS = {
    "battersea": {"name": "Battersea", "address": "112 Northcote Road, London SW11 6QP",
                  "phone": "020 7946 0321", "hours": "Mon–Fri 7am–8pm, Sat 8am–2pm"},
    "clapham-junction": {"name": "Clapham Junction", "address": "4 St John's Hill, London SW11 1SA",
                         "phone": "020 7946 0544", "hours": "Mon–Fri 7am–8pm"},
    "putney": {"name": "Putney", "address": "27 Lower Richmond Road, London SW15 1JP",
               "phone": "020 7946 0870", "hours": "Mon–Sat 8am–6pm"},
    "wimbledon": {"name": "Wimbledon", "address": "9 Hartfield Road, London SW19 3SE",
                  "phone": "020 7946 0912", "hours": "Mon–Fri 8am–7pm"},
}
WAITING_LIST = {}   # (clinic, email) -> reference

LAYOUT = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} · Riverside Physio</title>
<style>
 body {{ margin:0; font-family: Lato, "Helvetica Neue", Arial, sans-serif; color:#17324d; }}
 .nav {{ display:flex; justify-content:space-between; align-items:center; padding:18px 48px; border-bottom:3px solid #1fa99a; }}
 .nav a {{ color:#17324d; text-decoration:none; margin-left:24px; }}
 .brand {{ font-weight:700; font-size:22px; color:#1fa99a !important; margin:0 !important; }}
 main {{ max-width:900px; margin:30px auto; padding:0 20px; min-height:460px; }}
 .hero {{ background:#e8f6f4; padding:34px; border-radius:12px; }}
 .search {{ display:flex; gap:0; margin-top:14px; }}
 .search input {{ width:360px; padding:12px; border:1px solid #1fa99a; border-radius:6px 0 0 6px; font-size:16px; }}
 .search button {{ background:#1fa99a; color:#fff; border:0; border-radius:0 6px 6px 0; padding:0 16px; cursor:pointer; }}
 .mi {{ font-family:"Material Icons"; font-style:normal; font-size:22px; }}
 .btn {{ background:#f26b3a; color:#fff; padding:11px 22px; border:0; border-radius:6px; text-decoration:none; display:inline-block; cursor:pointer; font-size:15px; }}
 .clinics li {{ margin:10px 0; }}
 label {{ display:block; font-weight:700; margin-top:14px; }}
 select, input[type=text], input[type=email] {{ width:340px; padding:9px; margin-top:4px; }}
 .panel {{ border:1px solid #cfe3e0; padding:18px 22px; border-radius:8px; margin:20px 0; }}
 footer {{ background:#17324d; color:#cbd6e2; padding:26px 48px; font-size:13px; }}
 footer a {{ color:#cbd6e2; margin-right:14px; }}
</style>
</head>
<body>
<div class="nav">
  <a class="brand" href="/">Riverside Physio</a>
  <nav><a href="/treatments/">Treatments</a><a href="/clinics/">Our clinics</a><a href="/prices/">Prices</a><a href="/insurance/">Insurance</a></nav>
</div>
<main>
{body}
</main>
<footer>
  <p><a href="/clinics/">Clinics</a><a href="/careers/">Careers</a><a href="/privacy/">Privacy</a><a href="/accessibility/">Accessibility</a></p>
  <p>Riverside Physio is a trading name of Riverside Health Partners LLP. Registered with the CQC.</p>
</footer>
</body>
</html>"""

HOME = """
<section class="hero">
  <h1>Physiotherapy that gets you moving</h1>
  <p>Book an assessment with a chartered physiotherapist at one of our four South West London clinics.</p>
  <h2>Find a clinic near you</h2>
  <form action="/clinics/search" method="get" class="search">
    <input type="text" name="q" aria-label="Postcode or town" placeholder="e.g. SW11 or Battersea">
    <button type="submit" aria-label="Search"><i class="mi">\ue8b6</i></button>
  </form>
  <p><a href="/clinics/">View all clinics</a></p>
</section>
<h2>Why Riverside?</h2>
<ul>
  <li>Appointments from 7am, evenings and Saturdays</li>
  <li>Recognised by all major insurers</li>
  <li>No GP referral needed</li>
</ul>
"""

DENIED = """<HTML><HEAD>
<TITLE>Access Denied</TITLE>
</HEAD><BODY>
<H1>Access Denied</H1>

You don't have permission to access "http&#58;&#47;&#47;www&#46;riversidephysio&#46;example&#47;clinics&#47;search&#63;" on this server.<P>
Reference&#32;&#35;18&#46;6f2e3b17&#46;1718000000&#46;2a4c1d
<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;18&#46;6f2e3b17&#46;1718000000&#46;2a4c1d</P>
</BODY>
</HTML>
"""

CLINIC_LIST = """
<h1>Our clinics</h1>
<ul class="clinics">
{items}
</ul>
"""

CLINIC = """
<p><a href="/clinics/">Our clinics</a> › {name}</p>
<h1>Riverside Physio {name}</h1>
<p>{address}</p>
<p>Opening hours: {hours}</p>
<p>Reception: {phone}</p>
<p><a class="btn" href="/clinics/{slug}/book">Book an appointment</a></p>
<h2>Treatments at this clinic</h2>
<ul><li>Physiotherapy</li><li>Sports massage</li><li>Acupuncture</li><li>Pilates classes</li></ul>
"""

BOOK = """
<p><a href="/clinics/">Our clinics</a> › <a href="/clinics/{slug}/">{name}</a> › Book</p>
<h1>Book an appointment at {name}</h1>
<form method="post" action="/clinics/{slug}/book">
  <label for="type">Appointment type</label>
  <select id="type" name="type">
    <option value="initial">Initial assessment (45 min) – £75</option>
    <option value="follow-up">Follow-up (30 min) – £60</option>
    <option value="massage">Sports massage (60 min) – £70</option>
  </select>
  <label for="week">When would you like to come in?</label>
  <select id="week" name="week">
    <option value="this">This week</option>
    <option value="next">Next week</option>
    <option value="any">Any time in the next 14 days</option>
  </select>
  <p><button class="btn" type="submit">Check availability</button></p>
</form>
{result}
"""

NO_SLOTS = """
<div class="panel" role="status">
  <h2>No appointments available</h2>
  <p>Sorry, there are no appointments available to book online at {name} in the next 14 days.</p>
  <p>Please call the clinic on {phone} to check for cancellations, or join our waiting list and we'll
  let you know as soon as a space opens up.</p>
  <p><a class="btn" href="/clinics/{slug}/waiting-list">Join the waiting list</a></p>
</div>
"""

WAITLIST = """
<p><a href="/clinics/{slug}/">{name}</a> › Waiting list</p>
<h1>Join the waiting list for {name}</h1>
<form method="post" action="/clinics/{slug}/waiting-list">
  <label for="wl-name">Full name</label>
  <input type="text" id="wl-name" name="name" required>
  <label for="wl-email">Email address</label>
  <input type="email" id="wl-email" name="email" required>
  <label for="wl-type">Appointment type</label>
  <select id="wl-type" name="type">
    <option value="initial">Initial assessment</option>
    <option value="follow-up">Follow-up</option>
  </select>
  <p><label style="font-weight:400"><input type="checkbox" name="any_clinic" value="yes"> I'm happy to be seen at any Riverside clinic</label></p>
  <p><button class="btn" type="submit">Join waiting list</button></p>
</form>
"""

WAITLIST_DONE = """
<h1>You're on the list!</h1>
<p>Your waiting list reference is <strong>{ref}</strong>.</p>
<p>We'll email you as soon as an appointment becomes available at {name}. This usually takes 2 to 3 weeks.</p>
<p><a href="/">Back to the home page</a></p>
"""


def page(title, body, status=200):
    return HTMLResponse(LAYOUT.format(title=title, body=body), status_code=status)


async def home(request):
    return page("Home", HOME)


async def search(request):
    # The CDN's WAF rule "block query strings on /clinics/search" (added during a bot attack, never removed).
    return HTMLResponse(DENIED, status_code=403)


async def clinic_list(request):
    items = "\n".join(f'<li><a href="/clinics/{slug}/">{c["name"]}</a> – {c["address"]}</li>'
                      for slug, c in CLINICS.items())
    return page("Our clinics", CLINIC_LIST.format(items=items))


def _clinic(request):
    slug = request.path_params["slug"]
    return slug, CLINICS.get(slug)


async def clinic(request):
    slug, c = _clinic(request)
    if c is None:
        return page("Not found", "<h1>Page not found</h1>", 404)
    return page(c["name"], CLINIC.format(slug=slug, **c))


async def book(request):
    slug, c = _clinic(request)
    if c is None:
        return page("Not found", "<h1>Page not found</h1>", 404)
    result = ""
    if request.method == "POST":
        await request.form()
        result = NO_SLOTS.format(slug=slug, **c)
    return page(f"Book at {c['name']}", BOOK.format(slug=slug, name=c["name"], result=result))


async def waiting_list(request):
    slug, c = _clinic(request)
    if c is None:
        return page("Not found", "<h1>Page not found</h1>", 404)
    if request.method == "POST":
        form = await request.form()
        email = str(form.get("email", "")).strip().lower()
        if not email or not form.get("name"):
            return page("Waiting list", WAITLIST.format(slug=slug, name=c["name"]))
        ref = WAITING_LIST.setdefault((slug, email), f"WL-{2291 + len(WAITING_LIST)}")
        return RedirectResponse(f"/clinics/{slug}/waiting-list/done?ref={ref}", status_code=303)
    return page("Waiting list", WAITLIST.format(slug=slug, name=c["name"]))


async def waiting_list_done(request):
    slug, c = _clinic(request)
    ref = escape(request.query_params.get("ref", ""))
    if c is None or not ref:
        return page("Not found", "<h1>Page not found</h1>", 404)
    return page("You're on the list", WAITLIST_DONE.format(ref=ref, name=c["name"]))


def make_app():
    return Starlette(routes=[
        Route("/", home),
        Route("/clinics/search", search),
        Route("/clinics/", clinic_list),
        Route("/clinics/{slug}/", clinic),
        Route("/clinics/{slug}/book", book, methods=["GET", "POST"]),
        Route("/clinics/{slug}/waiting-list", waiting_list, methods=["GET", "POST"]),
        Route("/clinics/{slug}/waiting-list/done", waiting_list_done),
    ])

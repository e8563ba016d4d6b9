"""Northgate University's admissions help pages, as a Starlette application.

Written like a university admissions office's "Ask Admissions" knowledge base: a search box with only an
aria-label and an icon-only search button (GET /help/search?q=...), a results-day teaser, an article on
deferring a place that says to send an enquiry with the "Deferred entry" topic, and an enquiry form whose
required "Topic" list has no such topic. The "UCAS Personal ID" label's `for` names an id that does not
exist; the e-mail box has only a placeholder. A sent enquiry gets a reference, and enquiries about offers
are passed to the admissions office of the applicant's school, with a reply time.
"""

from html import escape

from starlette.applications import Starlette
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.routing import Route

TOPICS = ["Applying and entry requirements", "Offers and conditions", "Fees and funding", "Accommodation",
          "Visas and immigration", "Clearing"]

ARTICLES = {
    "deferred-entry": ("Can I defer my place to next year?", """
<p>Most of our undergraduate courses accept requests to defer for one year. Medicine, Dentistry and
   courses with a professional placement in the first year do not.</p>
<p>Requests must reach us by 31 August in the year you applied. If your offer is conditional, we'll
   decide once your results are in.</p>
<p>To ask, <a href="/enquiry">send us an enquiry</a> and choose <strong>Deferred entry</strong> as the topic.</p>
"""),
    "changing-course": ("Can I change my course after I've been made an offer?", """
<p>You may be able to change to a related course before you start. Send us an enquiry and tell us which
   course you'd like to move to.</p>
"""),
}

BASE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} | Ask Admissions | Northgate University</title>
<style>
  @font-face {{ font-family: "ng-icons"; src: url("/assets/ng-icons.woff2") format("woff2"); }}
  .i {{ font-family: "ng-icons"; font-style: normal; }}
  body {{ margin: 0; font-family: Georgia, "Times New Roman", serif; color: #222; background: #fbfaf7; }}
  .mast {{ background: #5b1f3a; color: #fff; padding: 18px 40px; font-size: 22px; }}
  .mast small {{ display: block; font-size: 14px; opacity: .85; }}
  .search {{ background: #efe6ea; padding: 16px 40px; }}
  .search input {{ width: 420px; padding: 9px; border: 1px solid #8a6a78; }}
  .search button {{ padding: 8px 12px; border: 1px solid #5b1f3a; background: #5b1f3a; color: #fff; cursor: pointer; }}
  .content {{ max-width: 800px; margin: 24px auto; padding: 0 30px; font-family: Verdana, sans-serif; font-size: 15px; }}
  .notice {{ border-left: 5px solid #c99a2e; background: #fff8e6; padding: 10px 16px; }}
  .fld {{ margin: 16px 0; }}
  .fld label {{ display: block; font-weight: bold; margin-bottom: 4px; }}
  .fld input, .fld select, .fld textarea {{ width: 380px; padding: 8px; }}
  .send {{ background: #5b1f3a; color: #fff; border: 0; padding: 10px 20px; font-size: 15px; cursor: pointer; }}
  .foot {{ text-align: center; font-size: 12px; color: #666; padding: 30px; }}
</style>
</head>
<body>
<div class="mast">Northgate University<small>Ask Admissions</small></div>
<div class="search">
  <form method="get" action="/help/search" role="search">
    <input type="search" name="q" aria-label="Search admissions help" value="{q}">
    <button type="submit" aria-label="Search"><span class="i" aria-hidden="true">\ue8b6</span></button>
  </form>
</div>
<div class="content">
{body}
</div>
<div class="foot">Admissions Office, Northgate University, Kingsway Building. Open Monday to Friday, 10am to 4pm.</div>
</body>
</html>"""

HUB = """
<h1>How can we help?</h1>
<p>Search our answers, or browse the most asked questions below.</p>
<ul>
  <li><a href="/help/articles/changing-course">Can I change my course after I've been made an offer?</a></li>
  <li><a href="/help/articles/deferred-entry">Can I defer my place to next year?</a></li>
</ul>
<div class="notice"><strong>Results day, Thursday 14 August.</strong> If you're holding a conditional offer, your
  place will show on UCAS Hub from 8am. You don't need to contact us.</div>
"""

ENQUIRY = """
<h1>Send us an enquiry</h1>
<p>Tell us what you need and we'll get back to you by e-mail. All fields are required.</p>
<form method="post" action="/enquiry">
  <div class="fld"><label for="topic">Topic</label>
    <select id="topic" name="topic" required>
      <option value="">Please choose</option>
      {topics}
    </select></div>
  <div class="fld"><label for="ucas-id">UCAS Personal ID</label>
    <input type="text" id="ucasid" name="ucas_id" required>
    <small>Ten digits, shown on UCAS Hub, for example 123-456-7890.</small></div>
  <div class="fld"><input type="email" name="email" placeholder="Email address" required></div>
  <div class="fld"><label for="msg">Your question</label><textarea id="msg" name="message" rows="5" required></textarea></div>
  <button type="submit" class="send">Send enquiry <span class="i" aria-hidden="true">\ue163</span></button>
</form>
"""

SENT = """
<h1>Thank you, we've received your enquiry</h1>
<p>Your enquiry reference is <strong>AQ-40721</strong>. We've sent a copy to {email}.</p>
<p>Questions about offers are answered by the admissions tutor for your course, so we've passed your enquiry to the
   School of Chemistry's admissions office. They aim to reply within 15 working days.</p>
<p><a href="/help/">Back to Ask Admissions</a></p>
"""


def make_app():
    def page(title, body, q="", status=200):
        return HTMLResponse(BASE.format(title=escape(title), body=body, q=escape(q)), status_code=status)

    async def hub(request):
        return page("Help", HUB)

    async def search(request):
        q = request.query_params.get("q", "").strip()
        words = [w for w in q.lower().split() if w]
        hits = [(slug, title) for slug, (title, text) in ARTICLES.items()
                if any(w[:5] in (title + text).lower() for w in words)]
        items = "".join(f'<li><a href="/help/articles/{slug}">{escape(title)}</a></li>' for slug, title in hits)
        body = (f"<h1>Results for \u201c{escape(q)}\u201d</h1>"
                + (f"<ol>{items}</ol>" if items else "<p>No answers matched your search.</p>"))
        return page("Search", body, q=q)

    async def article(request):
        slug = request.path_params["slug"]
        if slug not in ARTICLES:
            return page("Not found", "<h1>Page not found</h1>", status=404)
        title, text = ARTICLES[slug]
        return page(title, f"<h1>{escape(title)}</h1>{text}")

    async def enquiry(request):
        if request.method == "POST":
            form = await request.form()
            response = RedirectResponse("/enquiry/sent", status_code=303)
            response.set_cookie("ng_enq", str(form.get("email", "")).replace("@", "%40"), httponly=True)
            return response
        topics = "\n      ".join(f'<option value="{i}">{escape(t)}</option>' for i, t in enumerate(TOPICS))
        return page("Send us an enquiry", ENQUIRY.format(topics=topics))

    async def sent(request):
        email = request.cookies.get("ng_enq", "").replace("%40", "@") or "your e-mail address"
        return page("Enquiry received", SENT.format(email=escape(email)))

    async def root(request):
        return RedirectResponse("/help/", status_code=302)

    return Starlette(routes=[
        Route("/", root),
        Route("/help/", hub),
        Route("/help/search", search),
        Route("/help/articles/{slug}", article),
        Route("/enquiry", enquiry, methods=["GET", "POST"]),
        Route("/enquiry/sent", sent),
    ])

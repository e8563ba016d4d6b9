"""Tallyho help centre and request form, as a FastAPI app.

Written like a SaaS company's hosted help centre (the Zendesk Guide kind): "Submit a request" in the
header, promoted articles, a request form whose every field carries the HTML `required` attribute (the
browser itself blocks the submission and says "Please fill out this field."), including the workspace's
licence key, which only the workspace admin can see. The submit button ends in a Font Awesome glyph
(U+F1D8). Requests opened by e-mail are viewed through a guest link that carries the requester's
e-mail address and a secret key: /support/requests/view?email=...&key=....
"""

from html import escape

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

LICENCES = {"TH-8841-2297-5530"}
# Requests opened through the e-mail channel; the guest key is what the reply e-mail links to.
REQUESTS = {
    "5d41402abc4b2a76b9719d911017c592": {
        "id": 12, "email": "jane.doe@example.com", "subject": "Account locked", "status": "Solved",
        "thread": [
            ("Jane Doe", "Hi, I've been locked out of my Tallyho account after too many password attempts. "
                         "Can you unlock it? My address is jane.doe@example.com."),
            ("Marta (Tallyho Security)", "Hi Jane, thanks for getting in touch. We've unlocked your account. "
                                         "You can log in again now; we recommend resetting your password."),
        ],
    },
}
NEXT_ID = [13]

LAYOUT = """<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<title>{title} – Tallyho Help Center</title>
<style>
 body {{ margin:0; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; color:#2f3941; }}
 .header {{ display:flex; justify-content:space-between; align-items:center; padding:18px 5%; border-bottom:1px solid #e9ebed; }}
 .header a {{ color:#2f3941; text-decoration:none; margin-left:20px; }}
 .logo {{ font-weight:700; font-size:20px; color:#6b4ce6 !important; margin:0 !important; }}
 .submit-a-request {{ border:1px solid #6b4ce6; color:#6b4ce6 !important; padding:8px 14px; border-radius:4px; }}
 .container {{ max-width:1000px; margin:0 auto; padding:30px 5%; display:grid; grid-template-columns:3fr 1fr; gap:40px; min-height:480px; }}
 .breadcrumbs {{ font-size:13px; color:#68737d; }}
 .form-field {{ margin-bottom:20px; }}
 .form-field label {{ display:block; font-size:13px; font-weight:600; margin-bottom:5px; }}
 .form-field label .required {{ color:#cc3340; }}
 .form-field input[type=text], .form-field input[type=email], .form-field textarea {{ width:100%; box-sizing:border-box; padding:9px; border:1px solid #87929d; border-radius:4px; }}
 .form-field p {{ font-size:12px; color:#68737d; margin:4px 0 0; }}
 .fa {{ font-family:"Font Awesome 5 Free"; font-style:normal; }}
 .button {{ background:#6b4ce6; color:#fff; border:0; border-radius:4px; padding:10px 22px; font-size:14px; cursor:pointer; }}
 .sidebar h3 {{ font-size:15px; }}
 .comment {{ border-top:1px solid #e9ebed; padding:14px 0; }}
 .status-label {{ background:#68737d; color:#fff; border-radius:4px; padding:2px 8px; font-size:12px; text-transform:uppercase; }}
 .footer {{ border-top:1px solid #e9ebed; padding:24px 5%; font-size:13px; color:#68737d; }}
</style>
</head>
<body>
<header class="header">
  <a class="logo" href="/support/">tallyho <span style="font-weight:400;color:#2f3941">Help Center</span></a>
  <nav><a href="https://status.tallyho.example/">System status</a><a href="/support/community/">Community</a>
       <a class="submit-a-request" href="/support/requests/new">Submit a request</a><a href="/support/signin">Sign in</a></nav>
</header>
{body}
<footer class="footer">Tallyho Inc. · <a href="/support/">Help Center</a> · <a href="/privacy">Privacy</a> · Powered by Zendesk</footer>
</body>
</html>"""

HOME = """<div class="container"><div>
<h1>How can we help?</h1>
<form role="search" action="/support/search" method="get"><input type="search" name="query" aria-label="Search" placeholder="Search" style="width:70%;padding:10px"></form>
<h2>Categories</h2>
<ul>
  <li><a href="/support/categories/getting-started">Getting started</a></li>
  <li><a href="/support/categories/account-and-billing">Account &amp; billing</a></li>
  <li><a href="/support/categories/integrations">Integrations</a></li>
  <li><a href="/support/categories/admin">Workspace administration</a></li>
</ul>
<h2>Promoted articles</h2>
<ul>
  <li><a href="/support/articles/locked-out">I'm locked out of my account</a></li>
  <li><a href="/support/articles/find-licence-key">Where do I find my licence key?</a></li>
  <li><a href="/support/articles/sso">Setting up single sign-on</a></li>
</ul>
</div><aside class="sidebar"><h3>Can't find what you're looking for?</h3>
<p>Our support team is here Monday to Friday.</p><p><a href="/support/requests/new">Submit a request</a></p></aside></div>"""

NEW_REQUEST = """<div class="container"><div>
<p class="breadcrumbs"><a href="/support/">Tallyho Help Center</a> › Submit a request</p>
<h1>Submit a request</h1>
{errors}
<form id="new_request" action="/support/requests" method="post" enctype="multipart/form-data">
  <div class="form-field">
    <label for="request_anonymous_requester_email">Your email address<span class="required">*</span></label>
    <input type="email" id="request_anonymous_requester_email" name="email" required>
  </div>
  <div class="form-field">
    <label for="request_custom_fields_name">Full name<span class="required">*</span></label>
    <input type="text" id="request_custom_fields_name" name="name" required>
  </div>
  <div class="form-field">
    <label for="request_custom_fields_licence">Licence key<span class="required">*</span></label>
    <input type="text" id="request_custom_fields_licence" name="licence" required aria-describedby="licence_hint">
    <p id="licence_hint">Found in Admin › Billing › Licence. Ask your workspace admin if you can't see it.</p>
  </div>
  <div class="form-field">
    <label for="request_subject">Subject<span class="required">*</span></label>
    <input type="text" id="request_subject" name="subject" required maxlength="150">
  </div>
  <div class="form-field">
    <label for="request_description">Description<span class="required">*</span></label>
    <textarea id="request_description" name="description" rows="7" required></textarea>
    <p>Please enter the details of your request. A member of our support staff will respond as soon as possible.</p>
  </div>
  <div class="form-field">
    <label for="request-attachments">Attachments <span style="font-weight:400">(optional)</span></label>
    <input type="file" id="request-attachments" name="attachments" multiple>
  </div>
  <button type="submit" class="button">Submit <i class="fa">\uf1d8</i></button>
</form>
</div>
<aside class="sidebar">
  <h3>Before you submit</h3>
  <ul>
    <li><a href="/support/articles/locked-out">Locked out? Read this first</a></li>
    <li><a href="https://status.tallyho.example/">Check system status</a></li>
  </ul>
</aside></div>"""

LOCKED_OUT = """<div class="container"><div>
<p class="breadcrumbs"><a href="/support/">Tallyho Help Center</a> › Account &amp; billing</p>
<h1>I'm locked out of my account</h1>
<p>After five failed sign-in attempts we lock the account to protect your workspace.</p>
<p>For security reasons our support team can't unlock accounts from a help center request. Please ask
your workspace admin to unlock you from Admin › Members, or email security@tallyho.example from the
address on your account. We'll reply within 1 business day.</p>
<h2>Related articles</h2>
<ul><li><a href="/support/articles/reset-password">Resetting your password</a></li>
    <li><a href="/support/articles/sso">Setting up single sign-on</a></li></ul>
</div><aside class="sidebar"><h3>Was this article helpful?</h3><p><a href="?vote=up">Yes</a> · <a href="?vote=down">No</a></p></aside></div>"""

VIEW = """<div class="container"><div>
<p class="breadcrumbs"><a href="/support/">Tallyho Help Center</a> › My requests</p>
<h1>[support-{id}] {subject}</h1>
<p>Status: <span class="status-label">{status}</span></p>
{thread}
<p>This request is closed for comments. You can <a href="/support/requests/new">create a follow-up</a>.</p>
</div><aside class="sidebar"><h3>Requester</h3><p>{email}</p><h3>Request #</h3><p>{id}</p></aside></div>"""

CREATED = """<div class="container"><div><h1>Request received</h1>
<p>Your request [support-{id}] has been received and is being reviewed by our support staff.</p>
<p>To add additional comments, reply to the email we've sent you.</p></div></div>"""


def page(title, body, status=200):
    return HTMLResponse(LAYOUT.format(title=escape(title), body=body), status_code=status)


def make_app():
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/support/", response_class=HTMLResponse)
    def home():
        return page("Tallyho Help Center", HOME)

    @app.get("/support/requests/new", response_class=HTMLResponse)
    def new_request():
        return page("Submit a request", NEW_REQUEST.format(errors=""))

    @app.post("/support/requests")
    async def create_request(request: Request):
        form = await request.form()
        fields = {k: str(form.get(k, "")).strip() for k in ("email", "name", "licence", "subject", "description")}
        missing = [k for k, v in fields.items() if not v]
        if missing or fields["licence"] not in LICENCES:
            errors = ('<div role="alert" class="notification notification-error">'
                      '<p>Please fix the errors below and submit again.</p><ul>'
                      + ("".join(f"<li>{escape(k.capitalize())}: cannot be blank</li>" for k in missing)
                         or "<li>Licence key: is not a valid licence key</li>") + "</ul></div>")
            return page("Submit a request", NEW_REQUEST.format(errors=errors), status=422)
        number = NEXT_ID[0]
        NEXT_ID[0] += 1
        return page("Request received", CREATED.format(id=number))

    @app.get("/support/articles/locked-out", response_class=HTMLResponse)
    def locked_out():
        return page("I'm locked out of my account", LOCKED_OUT)

    @app.get("/support/requests/view", response_class=HTMLResponse)
    def view(email: str = "", key: str = ""):
        req = REQUESTS.get(key)
        if req is None or req["email"] != email.strip().lower():
            return page("Sign in", '<div class="container"><div><h1>Sign in to Tallyho Help Center</h1>'
                                   '<p>This link has expired. <a href="/support/signin">Sign in</a> to see your '
                                   'requests.</p></div></div>', status=401)
        thread = "".join(f'<div class="comment"><strong>{escape(who)}</strong><p>{escape(text)}</p></div>'
                         for who, text in req["thread"])
        return page(f"[support-{req['id']}] {req['subject']}",
                    VIEW.format(id=req["id"], subject=escape(req["subject"]), status=req["status"],
                                thread=thread, email=escape(req["email"])))

    @app.get("/support/{rest:path}", response_class=HTMLResponse)
    def elsewhere(rest: str):
        return page("Tallyho Help Center", '<div class="container"><div><h1>Coming soon</h1><p>'
                                           '<a href="/support/">Back to the Help Center</a></p></div></div>')

    return app

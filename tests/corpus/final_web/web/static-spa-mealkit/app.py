"""Harvestbox recipe-box account pages: a single-page app and the tiny WSGI host that serves it.

Written like a meal-kit subscription's web account (a React/Vue build, here hand-written): the host
answers the same index.html for every route (200, even unknown ones), /assets/app.js draws every page
and routes with history.pushState (links never load a document after the first), and /api/* answers
JSON. The customer arrives from the "Manage your box" e-mail, whose link carries her e-mail address and
a secret key (`/account?email=...&key=...`); the API exchanges them for an `hb_session` cookie, and the
key is never written into the page. The pause page offers 1 to 4 weeks and sends longer breaks to the
mobile app; the help article on longer pauses links straight back to the same pause page; the contact
page no longer takes e-mail or web messages and sends everyone to the app.
"""

import json
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs

HERE = Path(__file__).resolve().parent
LINK_KEY = "7d1f0c5e2b9a4c33"
SESSION = "hb-3f8a61"
ACCOUNT = {
    "first_name": "Jo",
    "email": "jo.bennett@example.com",
    "plan": "3 recipes for 2 people, every week",
    "next_box": "Thursday 14 November",
    "next_window": "between 7am and 7pm",
    "pause_weeks": [1, 2, 3, 4],
    "pause_starts": ["Thursday 14 November", "Thursday 21 November", "Thursday 28 November"],
}

INDEX = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harvestbox</title>
<style>
  body { margin: 0; font-family: "Helvetica Neue", Arial, sans-serif; color: #203a2b; background: #f7f5ef; }
  header { background: #2f6b3f; padding: 14px 32px; display: flex; gap: 24px; align-items: center; }
  header a { color: #fff; text-decoration: none; }
  header .logo { font-weight: bold; font-size: 21px; margin-right: 20px; }
  #root { max-width: 720px; margin: 28px auto; background: #fff; padding: 24px 32px; border-radius: 12px; min-height: 360px; }
  .card { border: 1px solid #dfe6df; border-radius: 10px; padding: 14px 18px; margin: 14px 0; }
  .note { background: #fff5d9; border-radius: 8px; padding: 12px 16px; margin: 16px 0; }
  .menu a { display: block; padding: 10px 0; border-bottom: 1px solid #eee; color: #2f6b3f; }
  label { display: block; font-weight: bold; margin: 14px 0 4px; }
  select { padding: 8px; width: 260px; }
  button.primary { background: #e86a33; color: #fff; border: 0; border-radius: 20px; padding: 10px 24px; font-size: 15px; margin-top: 16px; }
  footer { text-align: center; font-size: 13px; padding: 18px; }
  footer a { color: #2f6b3f; margin: 0 8px; }
</style>
</head>
<body>
<header><a class="logo" href="/account" data-link>Harvestbox</a><a href="/account" data-link>My account</a><a href="/help" data-link>Help</a></header>
<main id="root"><p>Loading…</p></main>
<footer><a href="/help/contact" data-link>Contact us</a><a href="/terms" data-link>Terms</a></footer>
<script src="/assets/app.js"></script>
</body>
</html>"""


def make_app():
    script = (HERE / "app.js").read_bytes()
    index = INDEX.encode("utf-8")

    def send(start_response, status, body, content_type, headers=()):
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store"), *headers])
        return [body]

    def send_json(start_response, status, data, headers=()):
        return send(start_response, status, json.dumps(data).encode("utf-8"), "application/json", headers)

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "/")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        cookies = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        signed_in = "hb_session" in cookies and cookies["hb_session"].value == SESSION
        if path == "/assets/app.js":
            return send(start_response, "200 OK", script, "text/javascript; charset=utf-8")
        if path == "/api/account":
            if query.get("email", "").lower() == ACCOUNT["email"] and query.get("key") == LINK_KEY:
                cookie = ("Set-Cookie", f"hb_session={SESSION}; Path=/; HttpOnly; SameSite=Lax")
                return send_json(start_response, "200 OK", ACCOUNT, [cookie])
            if signed_in:
                return send_json(start_response, "200 OK", ACCOUNT)
            return send_json(start_response, "401 Unauthorized", {"error": "link_expired"})
        if path == "/api/pause":
            if not signed_in:
                return send_json(start_response, "401 Unauthorized", {"error": "signed_out"})
            length = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            except ValueError:
                body = {}
            weeks = int(body.get("weeks") or 0)
            if weeks not in ACCOUNT["pause_weeks"]:
                return send_json(start_response, "400 Bad Request", {"error": "weeks"})
            return send_json(start_response, "200 OK", {"ok": True, "weeks": weeks, "from": body.get("from")})
        if path.startswith("/api/"):
            return send_json(start_response, "404 Not Found", {"error": "not_found"})
        # Every other route is the app shell: the router draws the page.
        return send(start_response, "200 OK", index, "text/html; charset=utf-8")

    return app

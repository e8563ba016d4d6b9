"""FixPoint Repairs' "track my repair" single-page app, with the tiny WSGI host that serves it.

Written like a phone-repair chain's customer app built with a client-side router: the host answers
index.html (an empty shell) for every route with 200, /assets/app.js draws every page and navigates
with history.pushState, and /api/repairs/lookup (POST, JSON) finds a repair by job number and postcode.
The status page gives the repair estimate; "Manage this repair" offers a list of changes with no way to
cancel; the help article on cancelling says it can be done on that same page; the contact page has
stopped taking web messages and sends customers to the store's phone.
"""

import json

REPAIRS = {
    ("FP-220417", "BS56XR"): {
        "job": "FP-220417",
        "device": "Apple iPhone 13 (midnight)",
        "work": "Screen replacement",
        "status": "Waiting for parts",
        "store": "FixPoint Bristol Broadmead",
        "quote": "£89.00",
    },
}

INDEX = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>FixPoint Repairs</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<div id="root"><noscript>You need to enable JavaScript to run this app.</noscript></div>
<script src="/assets/app.js"></script>
</body>
</html>"""

CSS = """
@font-face { font-family: "fp-icons"; src: url("/assets/fp-icons.woff2") format("woff2"); }
.ic { font-family: "fp-icons"; font-style: normal; }
body { margin: 0; font-family: "Inter", system-ui, sans-serif; background: #f2f4f7; color: #101828; }
.nav { background: #ff5a1f; color: #fff; padding: 14px 30px; display: flex; gap: 22px; align-items: center; }
.nav a { color: #fff; text-decoration: none; }
.nav .logo { font-weight: 800; font-size: 20px; margin-right: auto; }
.view { max-width: 640px; margin: 30px auto; background: #fff; border-radius: 12px; padding: 26px 32px;
        box-shadow: 0 2px 6px rgba(16, 24, 40, .08); }
.fg { margin: 16px 0; }
.fg label { display: block; font-weight: 600; margin-bottom: 5px; }
.fg input, .fg select { width: 100%; box-sizing: border-box; padding: 10px; border: 1px solid #d0d5dd; border-radius: 8px; }
.primary { background: #ff5a1f; color: #fff; border: 0; border-radius: 8px; padding: 11px 20px; font-size: 15px; cursor: pointer; }
.pill { display: inline-block; background: #fff4ed; color: #b93815; border-radius: 20px; padding: 3px 12px; font-weight: 600; }
.muted { color: #667085; font-size: 14px; }
"""

APP_JS = r"""
(function () {
  var root = document.getElementById("root");
  var repair = JSON.parse(sessionStorage.getItem("fp_repair") || "null");

  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]; }); }
  function shell(inner) {
    return '<nav class="nav"><span class="logo">FixPoint</span>' +
      '<a href="/track" data-link>Track a repair</a><a href="/stores" data-link>Find a store</a></nav>' +
      '<main class="view">' + inner + '</main>';
  }
  function go(path) { history.pushState({}, "", path); render(); }

  var views = {
    "/track": function () {
      return '<h1>Track your repair</h1><p class="muted">Your job number is on the booking-in slip and in our text message.</p>' +
        '<form id="track"><div class="fg"><label for="job">Job number</label><input id="job" name="job" autocomplete="off"></div>' +
        '<div class="fg"><input id="pc" name="postcode" placeholder="Postcode"></div>' +
        '<p id="err" role="alert" class="muted"></p>' +
        '<button type="submit" class="primary">Track repair <i class="ic" aria-hidden="true">\uf002</i></button></form>';
    },
    "/repair/status": function () {
      if (!repair) return views["/track"]();
      return '<h1>Your repair</h1><p>Job ' + esc(repair.job) + ' &middot; ' + esc(repair.device) + ' &middot; ' + esc(repair.work) + '</p>' +
        '<p><span class="pill">' + esc(repair.status) + '</span></p>' +
        '<p>Your new screen is on order. We expect to finish the repair in 5 to 8 working days, and we\'ll text you ' +
        'when it\'s ready to collect from ' + esc(repair.store) + '.</p>' +
        '<p class="muted">Quote accepted: ' + esc(repair.quote) + ', paid when you collect.</p>' +
        '<p><a href="/repair/manage" data-link>Manage this repair</a></p>';
    },
    "/repair/manage": function () {
      if (!repair) return views["/track"]();
      return '<h1>Manage this repair</h1><p class="muted">Job ' + esc(repair.job) + '</p>' +
        '<form id="manage"><div class="fg"><label for="act">What would you like to do?</label><select id="act" name="action">' +
        '<option value="">Select an option</option>' +
        '<option>Change my collection store</option>' +
        '<option>Add a tempered-glass screen protector (£9.99)</option>' +
        '<option>Update my contact number</option>' +
        '<option>Upgrade to express repair (£25)</option>' +
        '</select></div><button type="submit" class="primary">Continue</button></form>' +
        '<p><a href="/help/cancelling" data-link>How do I cancel a repair?</a></p>' +
        '<p><a href="/contact" data-link>Contact us</a></p>';
    },
    "/help/cancelling": function () {
      return '<h1>Cancelling a repair</h1>' +
        '<p>Changed your mind? You can cancel a repair free of charge at any time before the work starts, ' +
        'from the Manage this repair page. We\'ll let you know when your device is ready to collect.</p>' +
        '<p><a href="/repair/manage" data-link>Manage this repair</a></p>';
    },
    "/contact": function () {
      return '<h1>Contact us</h1>' +
        '<p>We\'ve stopped answering web messages while we move to a new booking system.</p>' +
        '<p>Repairs that are already booked in can\'t be changed or cancelled online. Please call the store ' +
        'that has your device: FixPoint Bristol Broadmead, 0117 496 0183, open 9am to 6pm every day.</p>';
    },
    "/stores": function () {
      return '<h1>Find a store</h1><p>We have 34 stores across the UK.</p>';
    }
  };

  function render() {
    var view = views[location.pathname] || views["/track"];
    root.innerHTML = shell(view());
    var track = document.getElementById("track");
    if (track) track.addEventListener("submit", function (ev) {
      ev.preventDefault();
      fetch("/api/repairs/lookup", {method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({job: track.job.value, postcode: track.postcode.value})})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { document.getElementById("err").textContent = "We couldn't find that repair. Check the job number and postcode."; return; }
          repair = data; sessionStorage.setItem("fp_repair", JSON.stringify(data)); go("/repair/status");
        });
    });
    var manage = document.getElementById("manage");
    if (manage) manage.addEventListener("submit", function (ev) { ev.preventDefault(); });
  }

  document.addEventListener("click", function (ev) {
    var a = ev.target.closest("a[data-link]");
    if (!a) return;
    ev.preventDefault();
    go(a.getAttribute("href"));
  });
  window.addEventListener("popstate", render);
  render();
})();
"""


def make_app():
    def send(start_response, status, ctype, body):
        data = body.encode("utf-8")
        start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(data))),
                                ("Cache-Control", "no-store")])
        return [data]

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "/")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/assets/app.js":
            return send(start_response, "200 OK", "application/javascript; charset=utf-8", APP_JS)
        if path == "/assets/app.css":
            return send(start_response, "200 OK", "text/css; charset=utf-8", CSS)
        if path.startswith("/assets/") or path == "/favicon.ico":
            return send(start_response, "404 Not Found", "text/plain", "")
        if path == "/api/repairs/lookup":
            if method != "POST":
                return send(start_response, "405 Method Not Allowed", "application/json", '{"error": "method"}')
            length = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            except ValueError:
                body = {}
            key = (str(body.get("job", "")).strip().upper(), str(body.get("postcode", "")).replace(" ", "").upper())
            found = REPAIRS.get(key)
            if not found:
                return send(start_response, "404 Not Found", "application/json", '{"error": "not_found"}')
            return send(start_response, "200 OK", "application/json", json.dumps(found, ensure_ascii=False))
        if path.startswith("/api/"):
            return send(start_response, "404 Not Found", "application/json", '{"error": "not_found"}')
        return send(start_response, "200 OK", "text/html; charset=utf-8", INDEX)

    return app

"""Swiftpost parcel tracking: a plain static single-page app and the tiny WSGI app that serves it.

Written like a React/Vue build deployed to a static host with "rewrite every path to index.html": the
server answers index.html with 200 for every route, and /static/* from disk. Pages are rendered by
static/app.js, which routes on the client with history.pushState; clicking a link never asks the server
for a document. The tracking link in the shipping e-mail carries a secret `?key=` that unlocks the
recipient's name.
"""

import mimetypes
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"


def make_app():
    index = (HERE / "index.html").read_bytes()

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if path.startswith("/static/"):
            target = (STATIC / path[len("/static/"):]).resolve()
            if target.is_file() and STATIC in target.parents:
                data = target.read_bytes()
                ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                if ctype.startswith("text/") or ctype.endswith("javascript"):
                    ctype += "; charset=utf-8"
                start_response("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(data))),
                                          ("Cache-Control", "public, max-age=3600")])
                return [data]
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"Not Found"]
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(index))),
                                  ("Cache-Control", "no-cache")])
        return [index]

    return app

"""Serve a real django-helpdesk (PyPI `django-helpdesk` 2.6) on loopback: `with serve_helpdesk() as base_url: ...`.

Each call makes a fresh SQLite database in a temporary directory, runs every migration (django-helpdesk's
own data migrations included: its e-mail templates, its default settings), seeds the help desk a small
company would have (see SEED below), and serves the WSGI application, static files included, on
127.0.0.1 at a free port. Django keeps one settings object per process, so the site runs in a child
process of its own (this file, run as `python serve.py`), like the Django cases of tests/corpus/serve.py;
the child prints the base URL when it is ready and stops when its stdin closes.

E-mail never leaves the machine: by default every message the help desk sends is written as a file into
`site.mail_dir` (Django's file backend); with `smtp_port=N` (or the environment variable
HDSITE_SMTP_PORT) it goes to an SMTP server on 127.0.0.1:N instead, such as simsuite's own (`--smtp-port`).

The value yielded is the base URL (a str, "http://127.0.0.1:PORT") that also carries `mail_dir` (a Path)
and `seed` (the SEED dict), so a test can read both without another lookup.

    .venv/bin/python tests/realapps/helpdesk/serve.py          # serve until Ctrl-D / stdin closes
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"

# What the help desk holds when it starts. The existing ticket's secret key is fixed so a test can build
# the link the help desk e-mails (`/view/?ticket=support-1&email=...&key=...`).
SEED: dict[str, Any] = {
    "company": "Helpdesk",
    "queues": [
        # (title, slug, allow_public_submission)
        ("Customer Support", "support", True),
        ("Billing", "billing", True),
        ("Internal IT", "internal", False),
    ],
    "staff": {"username": "agent", "password": "agent-password-1", "email": "agent@helpdesk.example.com"},
    "kb": [
        {
            "name": "orders", "title": "Orders and delivery", "slug": "orders", "queue": "support",
            "description": "Tracking a parcel, late deliveries and returns.",
            "items": [
                ("Where is my order?", "My order has not arrived. How can I track it?",
                 ("Every order ships with a tracking number, sent by e-mail when the parcel leaves our "
                  "warehouse. Orders arrive within 5 working days.")),
                ("How do I return an item?", "I want to send something back.",
                 ("You can return any item within 30 days. Print the return label from the e-mail "
                  "confirming your order and drop the parcel at any post office.")),
            ],
        },
        {
            "name": "account", "title": "Account and billing", "slug": "account", "queue": "billing",
            "description": "Passwords, invoices and payments.",
            "items": [
                ("How do I reset my password?", "I forgot my password and cannot sign in.",
                 ("Use the 'Forgot password' link on the sign-in page. We e-mail you a link that is "
                  "valid for 24 hours.")),
                ("Why was I charged twice?", "My card shows two payments for one order.",
                 ("The first payment is a pre-authorisation that your bank releases within 3 working "
                  "days. Only one payment is taken.")),
            ],
        },
    ],
    "ticket": {
        "queue": "support", "id": 1, "reference": "support-1", "shown_as": "[support-1]",
        "title": "Parcel never arrived",
        "description": "Order 48213 was due last week and the tracking page has not changed since.",
        "email": "maria.lopez@example.com",
        "secret_key": "3f2b8c1e-7d4a-4e59-9a61-2c5d8e0f1a7b",
        "followup": "We have asked the courier to trace your parcel and will write again within 2 working days.",
    },
}


class HelpdeskSite(str):
    """The base URL, with where the help desk's mail goes and what it was seeded with."""

    mail_dir: Path
    seed: dict[str, Any]

    def __new__(cls, url: str, mail_dir: Path, seed: dict[str, Any]) -> HelpdeskSite:  # noqa: PYI034
        site = super().__new__(cls, url)
        site.mail_dir = mail_dir
        site.seed = seed
        return site


def _seed(port: int) -> None:
    """Fill the migrated database with SEED (runs inside the child, after django.setup())."""
    from django.contrib.auth import get_user_model
    from django.contrib.sites.models import Site
    from helpdesk.models import FollowUp, KBCategory, KBItem, Queue, Ticket

    # Links in the help desk's e-mails are built from the Sites framework: make them point here.
    Site.objects.update_or_create(pk=1, defaults={"domain": f"{HOST}:{port}", "name": SEED["company"]})
    queues = {}
    for title, slug, public in SEED["queues"]:
        queues[slug] = Queue.objects.create(
            title=title, slug=slug, allow_public_submission=public,
            email_address=f"{slug}@helpdesk.example.com")
    staff = SEED["staff"]
    user = get_user_model().objects.create_user(staff["username"], staff["email"], staff["password"],
                                                is_staff=True, first_name="Alex")
    for cat in SEED["kb"]:
        category = KBCategory.objects.create(name=cat["name"], title=cat["title"], slug=cat["slug"],
                                             description=cat["description"], queue=queues[cat["queue"]])
        for order, (title, question, answer) in enumerate(cat["items"], start=1):
            KBItem.objects.create(category=category, title=title, question=question, answer=answer, order=order)
    t = SEED["ticket"]
    ticket = Ticket.objects.create(id=t["id"], title=t["title"], description=t["description"],
                                   queue=queues[t["queue"]], submitter_email=t["email"], priority=3,
                                   secret_key=t["secret_key"])
    FollowUp.objects.create(ticket=ticket, title="Ticket Opened", comment=t["description"], public=True)
    FollowUp.objects.create(ticket=ticket, title="Comment", comment=t["followup"], public=True, user=user)


def _serve_here(data_dir: Path, ready: Any) -> None:
    """Child-process mode: migrate, seed, serve; call ready(url) once listening; return when stdin closes."""
    import threading

    os.environ["HDSITE_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdsite.settings")
    sys.path.insert(0, str(HERE))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)

    from hdsite.wsgi import application
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:   # no access log on stderr
            pass

    server = make_server(HOST, 0, application, threaded=True, request_handler=QuietHandler)
    _seed(server.server_port)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        ready(f"http://{HOST}:{server.server_port}")
        sys.stdin.read()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def serve_helpdesk(*, smtp_port: int | None = None, start_timeout: float = 60.0) -> Iterator[HelpdeskSite]:
    """Serve a freshly seeded django-helpdesk on 127.0.0.1 (a free port); yield its base URL; stop on exit."""
    data_dir = Path(tempfile.mkdtemp(prefix="helpdesk-"))
    mail_dir = data_dir / "mail"
    mail_dir.mkdir()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "HDSITE_DIR": str(data_dir)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if smtp_port is not None:
        env["HDSITE_SMTP_PORT"] = str(smtp_port)
    child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--data-dir", str(data_dir)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env, cwd=str(HERE))
    try:
        deadline = time.monotonic() + start_timeout
        line = ""
        while time.monotonic() < deadline:
            line = child.stdout.readline().strip() if child.stdout else ""
            if line.startswith("http://") or not line and child.poll() is not None:
                break
        if not line.startswith("http://"):
            child.kill()
            _, err = child.communicate(timeout=10)
            raise RuntimeError(f"django-helpdesk did not start: {line!r}\n{err[-3000:]}")
        yield HelpdeskSite(line, mail_dir, SEED)
    finally:
        if child.poll() is None:
            if child.stdin:
                child.stdin.close()          # the child stops when its stdin closes
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.terminate()
                child.wait(timeout=10)
        for stream in (child.stdout, child.stderr):
            if stream:
                stream.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def _main(argv: list[str]) -> int:
    if argv[:1] == ["--data-dir"] and len(argv) == 2:       # the child started by serve_helpdesk()
        _serve_here(Path(argv[1]), lambda url: print(url, flush=True))
        return 0
    if argv:
        print("usage: python serve.py        (serves a fresh help desk until stdin closes)", file=sys.stderr)
        return 2
    with serve_helpdesk() as url:                            # by hand: print the URL, serve until Ctrl-D
        print(url, "(mail in", url.mail_dir, ")", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            sys.stdin.read()
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))

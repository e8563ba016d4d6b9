"""The Flask app that serves both demo companies in one mode."""

from __future__ import annotations

from flask import Flask, render_template

from .chat import bp as chat_bp
from .lab import COMPANY as LAB
from .lab import bp as lab_bp
from .telecom import COMPANY as TELECOM
from .telecom import bp as telecom_bp
from .vxml import bp as vxml_bp

MODES = ("as-is", "recovered")

COMPANIES = (
    {"name": LAB["name"], "web": "/lab/", "ivr": "/lab/ivr/voice",
     "pages": [("Manage my booking", "/lab/manage"), ("Contact us", "/lab/contact")]},
    {"name": TELECOM["name"], "web": "/telecom/", "ivr": "/telecom/ivr/voice",
     "pages": [("Outages", "/telecom/outages"), ("Billing", "/telecom/billing")]},
)


def create_app(mode: str, mail_relay: tuple[str, int] | None = None) -> Flask:
    """Build the demo app: Northside Diagnostics under /lab/, Metro Telecom under /telecom/.

    `mode` is "as-is" (the Kafkaesque companies) or "recovered" (after service recovery).
    `mail_relay` is the (host, port) of the SMTP relay the companies send mail through
    (`simsuite.demo.mail.send_mail`); None drops their mail.
    """
    if mode not in MODES:
        raise ValueError(f"unknown demo mode {mode!r}: use one of {', '.join(repr(m) for m in MODES)}")
    app = Flask(__name__, static_folder=None)
    app.config["DEMO_MODE"] = mode
    app.config["MAIL_RELAY"] = (mail_relay[0], int(mail_relay[1])) if mail_relay else None
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.register_blueprint(lab_bp)
    app.register_blueprint(telecom_bp)
    app.register_blueprint(vxml_bp)
    app.register_blueprint(chat_bp)

    @app.context_processor
    def _mode() -> dict[str, str]:
        return {"mode": mode}

    @app.route("/", methods=["GET", "POST"])
    def index() -> str:
        return render_template("index.html", title="simsuite demo companies", companies=COMPANIES)

    return app

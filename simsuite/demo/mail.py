"""Outgoing mail for the demo companies, through the relay the app was configured with.

`create_app(mode, mail_relay=(host, port))` points the companies at an SMTP relay (simsuite's own
`MailServer` in a run). Without a relay the mail is dropped, as a company without mail would.
If the relay is configured but down, `send_mail` logs a warning and returns False rather than raising:
a company whose mail system fails still answers the customer's request, and the customer simply
never gets the mail (which the email channel records as "no mail", within its bounds). It never hangs:
connecting and talking to the relay time out after 5 seconds.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

DEFAULT_FROM = "no-reply@northside.example"
SMTP_TIMEOUT_S = 5.0


def _one_line(value: str) -> str:
    """A header value on one line (no CR/LF, so no header injection)."""
    return " ".join(str(value).split())


def send_mail(to: str, subject: str, text: str, html: str | None = None, *, from_: str = DEFAULT_FROM) -> bool:
    """Send a mail from the demo company to `to`; True if the relay accepted it.

    Reads the relay from `current_app.config["MAIL_RELAY"]` ((host, port) or None), so call it inside
    a request or app context. Returns False if no relay is configured or the relay is down or refuses it.
    """
    relay = current_app.config.get("MAIL_RELAY")
    if not relay:
        return False
    host, port = relay
    msg = EmailMessage()
    msg["From"] = _one_line(from_)
    msg["To"] = _one_line(to)
    msg["Subject"] = _one_line(subject)
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    try:
        with smtplib.SMTP(host, int(port), timeout=SMTP_TIMEOUT_S) as smtp:
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        current_app.logger.warning("mail to %s not sent: relay %s:%s failed (%s)", to, host, port, exc)
        return False
    return True

"""The email channel: the customer's real mailbox on simsuite's loopback SMTP server.

A journey waits for the company's mail in real time, boundedly, and the simulated clock moves on as
if the customer checked their inbox: one minute when mail is there, the whole window when none came.
Each message read is a "heard" step, so the detectors judge what the company wrote; following a link
opens it in the customer's browser (the web channel).

    mail = customer.email.wait_for("Manage your booking", within_minutes=30)
    if mail is not None:
        customer.email.follow(mail, "Manage my booking")
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..errors import ScriptError
from ..model import Action

if TYPE_CHECKING:
    from ..core.context import ChannelContext
    from ..mailbox import Message

TEXT_LIMIT = 4000
READ_MINUTES = 1.0
MAX_REAL_TIMEOUT_S = 120.0


class EmailChannel:
    """The customer's inbox: wait for the company's mail, read it, follow its links."""

    name = "email"

    def __init__(self, ctx: "ChannelContext") -> None:
        mailbox = ctx.target.mailbox
        if mailbox is None or not callable(getattr(mailbox, "wait_for", None)):
            raise ScriptError("no mailbox to receive the company's mail: run through `simsuite` (which starts "
                              "one) or pass Target(mailbox=simsuite.mailbox.MailServer(...)) started and "
                              "with the company's mail relay pointed at it")
        address = ctx.persona.records.get("email", "")
        if not address:
            raise ScriptError("this persona has no email address in its records")
        self.ctx = ctx
        self.journal = ctx.journal
        self.mailbox = mailbox
        self.read: list["Message"] = []
        self._contacts: dict[int, str] = {}

    @property
    def address(self) -> str:
        """The customer's email address (the persona's `records["email"]`)."""
        return self.ctx.persona.records["email"]

    def wait_for(
        self,
        subject: str | None = None,
        *,
        containing: str | None = None,
        within_minutes: float = 60,
        real_timeout_s: float = 5.0,
    ) -> "Message | None":
        """The next unread message whose subject holds `subject` and whose text holds `containing`.

        Waits in real time at most `real_timeout_s` seconds (capped at 120). A message read advances
        the simulated clock by one minute and is recorded as a "heard" step with its text; no message
        advances the clock by `within_minutes` and records a "no_mail" step, and returns None.
        """
        if within_minutes < 0:
            raise ScriptError("within_minutes must be zero or more")
        subject_key = subject.lower() if subject else None
        containing_key = containing.lower() if containing else None
        done = set(self._contacts)

        def fits(message: "Message") -> bool:
            if message.index in done:
                return False
            if subject_key is not None and subject_key not in message.subject.lower():
                return False
            return containing_key is None or containing_key in f"{message.subject}\n{message.text}".lower()

        timeout = min(MAX_REAL_TIMEOUT_S, max(0.0, float(real_timeout_s)))
        message = self.mailbox.wait_for(self.address, fits, timeout)
        if message is None:
            self.ctx.clock.advance(within_minutes * 60)
            about = f" about {subject}" if subject else ""
            self.journal.record("email", Action.NO_MAIL, f"no mail{about} within {within_minutes:g} min", "",
                                 data={"subject": subject, "containing": containing, "address": self.address})
            return None
        contact = self.journal.new_contact("email")
        self._contacts[message.index] = contact
        self.read.append(message)
        self.ctx.clock.advance(READ_MINUTES * 60)
        self.journal.record(
            "email", Action.HEARD, f"mail from {message.sender}: {message.subject}", message.text[:TEXT_LIMIT],
            contact=contact,
            data={"subject": message.subject, "links": [{"text": t, "href": h} for t, h in message.links]})
        return message

    def follow(self, message: "Message", link_text: str) -> bool:
        """Open the link in `message` whose text (or address) holds `link_text`, in the customer's browser.

        False, with a "looked" step, if the message has no such web link. A link to a host this run may
        not touch raises HostNotAllowed; a customer without the web gets ScriptError.
        """
        contact = self._contacts.get(message.index) or self._contacts.setdefault(
            message.index, self.journal.new_contact("email"))
        key = link_text.lower()
        link = next((lk for lk in message.links if key in lk[0].lower()), None) or next(
            (lk for lk in message.links if key in lk[1].lower()), None)
        parts = urlsplit(link[1]) if link else None
        if link is None or parts is None or parts.scheme.lower() not in ("http", "https"):
            why = "found no such link" if link is None else f"its link {link[1]!r} is not a web address"
            self.journal.record("email", Action.LOOKED, f"looked for '{link_text}' in the mail '{message.subject}' "
                                 f"and {why}", "", contact=contact)
            return False
        if not self.journal.can_use("web"):
            raise ScriptError("following a link in a mail needs the web, which this customer cannot use; "
                              "check customer.can_use('web') first")
        text, href = link
        root = self.ctx.target.base_url.rstrip("/")
        if href == root or href.startswith(root + "/") or href.startswith(root + "?"):
            where = href[len(root):] or "/"
        else:
            self.ctx.target.check_host(href, f"the mail '{message.subject}' links to")
            where = href
        self.journal.record("email", Action.CLICK, f"clicked '{text}' in the mail '{message.subject}'", "",
                            url=href, contact=contact)
        self.ctx.clock.advance(3)
        self.ctx.sibling("web").goto(where)
        return True

    def close(self) -> None:
        """Nothing to release: the mailbox belongs to the run."""

"""Start the demo companies as run targets, each mode with its own server and customers' mailbox."""

from __future__ import annotations

from contextlib import ExitStack

from ..mailbox import MailServer
from ..runner import RunTarget
from .server import DemoServer


def start_demo(stack: ExitStack, modes: tuple[str, ...] = ("as-is", "recovered")) -> list[RunTarget]:
    """One RunTarget per mode: a DemoServer on loopback whose mail reaches a MailServer; closed by `stack`."""
    targets = []
    for mode in modes:
        mailbox = stack.enter_context(MailServer())
        server = stack.enter_context(DemoServer(mode, mail_relay=(mailbox.host, mailbox.port)))
        targets.append(RunTarget(mode, server.url, mailbox=mailbox))
    return targets

"""What a run is pointed at: the demo companies in some modes, or a site's URLs, and starting what they need."""

from __future__ import annotations

import os
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Callable, Sequence
from urllib.parse import unquote, urlsplit, urlunsplit

from .core.personas import Persona
from .mailbox import MailServer
from .runner import RunTarget

DEMO_MODES = ("as-is", "recovered")


@dataclass(frozen=True)
class TargetConfig:
    """What to run against: the demo companies in some modes, or a site's URLs."""

    demo: tuple[str, ...] = ()
    base_url: str | None = None
    phone_url: str | None = None
    chat_url: str | None = None
    chat_config: str | None = None  # a YAML file describing a generic HTTP/JSON bot
    smtp_port: int = 0
    mode: str | None = None
    phone_method: str = "POST"                 # how the number's voice URL is requested
    phone_number: str = "+18005550100"         # the number the customers dial
    dialled: tuple[tuple[str, str], ...] = ()  # numbers the IVR may dial that the site answers: (number, path)
    redact_params: tuple[str, ...] = ()        # query parameters redacted besides redact.SECRET_PARAMS
    mask_selectors: tuple[str, ...] = ()       # CSS selectors masked in screenshots (password fields always are)
    basic_auth: tuple[str, str] | None = field(default=None, repr=False)  # user and password for the site's URLs
    phone_prompts: tuple[str, ...] = ()        # what a SIP line is expected to say (see explore.learn)
    audio: bool = False                        # the demo's IVRs called over SIP with audio, not as webhooks

    def __post_init__(self) -> None:
        """Credentials written into a URL (https://user:password@host/) are taken out of it: they are sent as
        HTTP basic authentication, never written down, and never reach the browser's proxy settings."""
        for name in ("base_url", "phone_url", "chat_url"):
            url = getattr(self, name)
            if not url or "@" not in urlsplit(url).netloc:
                continue
            parts = urlsplit(url)
            if parts.username is not None and self.basic_auth is None:
                object.__setattr__(self, "basic_auth", (unquote(parts.username), unquote(parts.password or "")))
            object.__setattr__(self, name, urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1])))

    @property
    def label(self) -> str:
        """How history files this target: "demo", else the mode label, else the base URL."""
        return "demo" if self.demo else (self.mode or self.base_url or "target")



def start_targets(target: TargetConfig, stack: ExitStack, log: Callable[[str], None] = print,
                  customers: Sequence[Persona] = ()) -> list[RunTarget]:
    """Start what the targets need (demo servers, the customers' mailbox); `stack` stops them. With audio, the
    demo's phone lines know the `customers` who will call (their records), as a company's speech
    recogniser knows its own customers."""
    if target.demo:
        from .demo import DEPARTMENTS, DemoServer

        targets = []
        for mode in target.demo:
            mailbox = stack.enter_context(MailServer())
            server = stack.enter_context(DemoServer(mode, mail_relay=(mailbox.host, mailbox.port)))
            phone_url, prompts = (_audio_front(server.url, stack, customers, DEPARTMENTS) if target.audio
                                  else (None, ()))
            targets.append(RunTarget(mode, server.url, phone_url, mailbox=mailbox, dialled=tuple(DEPARTMENTS.items()),
                                     demo=True, redact_params=target.redact_params,
                                     mask_selectors=target.mask_selectors, phone_prompts=prompts))
        log(f"simsuite: demo companies on {', '.join(f'{t.mode} {t.base_url}' for t in targets)}")
        return targets
    from .channels.chat import chat_config_from_file

    config = chat_config_from_file(target.chat_config) if target.chat_config else {}
    site = RunTarget(target.mode, (target.base_url or "").rstrip("/"), (target.phone_url or "").rstrip("/") or None,
                     (target.chat_url or "").rstrip("/") or None, tuple(config.items()), phone_method=target.phone_method)
    mailbox = stack.enter_context(MailServer(port=target.smtp_port))
    log(f"simsuite: customers' mailbox at smtp://{mailbox.host}:{mailbox.port}")
    return [RunTarget(site.mode, site.base_url, site.phone_url, site.chat_url, site.chat_config, mailbox,
                      phone_method=target.phone_method, phone_number=target.phone_number, dialled=target.dialled,
                      redact_params=target.redact_params, mask_selectors=target.mask_selectors,
                      basic_auth=target.basic_auth, phone_prompts=target.phone_prompts,
                      sip_credentials=sip_credentials())]


DEMO_IVRS = ("/lab/ivr/voice", "/telecom/ivr/voice")
DEMO_HOLD_SPEED = 600.0  # a demo hold of 35 minutes passes in 3.5 s of real time


def _audio_front(base_url: str, stack: ExitStack, customers: Sequence[Persona],
                 departments: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """A SIP front for a demo server's IVRs (its departments' numbers answered there too), and the prompts its
    webhooks say (what calls are heard against)."""
    from .explore.learn import learn_prompts
    from .voice.front import TwimlFront

    records = dict.fromkeys(value for persona in customers for fact, value in persona.records.items()
                            if value and fact not in persona.secrets)
    front = stack.enter_context(TwimlFront(base_url, routes=departments, hold_speed=DEMO_HOLD_SPEED,
                                           vocabulary=list(records)))
    return f"sip:127.0.0.1:{front.port}", learn_prompts(base_url, list(DEMO_IVRS), dialled=departments)


def sip_credentials() -> tuple[str, str] | None:
    """A SIP trunk's digest user and password, from SIMSUITE_SIP_USERNAME and SIMSUITE_SIP_PASSWORD (never
    written: a journal redacts the password wherever it would appear)."""
    user = os.environ.get("SIMSUITE_SIP_USERNAME")
    return (user, os.environ.get("SIMSUITE_SIP_PASSWORD", "")) if user else None



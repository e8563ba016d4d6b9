"""Where a journey's channels point, and the one guard that keeps them on the hosts a run may touch."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from ..errors import HostNotAllowed
from .redact import SECRET_PARAMS, Redactor

_HARMLESS_SCHEMES = ("data:", "about:", "blob:")


@dataclass
class Target:
    """The web base URL, the phone and chat bases, and what the run shares with every journey."""

    base_url: str
    phone_url: str | None = None
    chat_url: str | None = None
    chat_config: dict[str, Any] = field(default_factory=dict)
    mailbox: Any = None
    http_client: Any = None  # an httpx.Client to share between contacts (the explorers make many calls)
    artifacts_dir: Path | None = None
    report_dir: Path | None = None
    page_factory: Callable[[], Any] | None = None
    allowed_hosts: frozenset[str] = frozenset()
    phone_method: str = "POST"         # how the number's voice URL is requested: POST or GET
    phone_number: str = "+18005550100"  # the number the customer dials (Twilio's To and Called)
    phone_location: dict[str, str] = field(default_factory=dict)  # its city, state, zip, country
    dialled: dict[str, str] = field(default_factory=dict)  # numbers the IVR may dial -> the voice URL answering
    mask_selectors: tuple[str, ...] = ()  # CSS selectors masked in screenshots (password fields always are)
    redact_params: tuple[str, ...] = ()   # query parameters redacted besides redact.SECRET_PARAMS
    basic_auth: tuple[str, str] | None = field(default=None, repr=False)  # user, password: sent, never written
    phone_prompts: tuple[str, ...] = ()   # what a SIP line is expected to say (learned from a map): heard against
    sip_credentials: tuple[str, str] | None = field(default=None, repr=False)  # a trunk's digest user, password
    extra: dict[str, Any] = field(default_factory=dict)

    def authorization(self) -> dict[str, str]:
        """The header that carries `basic_auth`, if the run was given credentials (empty otherwise)."""
        if not self.basic_auth:
            return {}
        token = base64.b64encode(":".join(self.basic_auth).encode("utf-8")).decode("ascii")
        return {"Authorization": f"Basic {token}"}

    @property
    def hosts(self) -> frozenset[str]:
        """The hosts this run may touch: `allowed_hosts`, else the hosts of the target's own URLs."""
        if self.allowed_hosts:
            return self.allowed_hosts
        return frozenset(urlsplit(u).netloc for u in (self.base_url, self.phone_url, self.chat_url) if u)

    def allows(self, url: str) -> bool:
        """Whether a URL is on a host this run may touch (data: and about: URLs always are)."""
        if url.startswith(_HARMLESS_SCHEMES):
            return True
        host = urlsplit(url).netloc
        return not host or host in self.hosts

    def check_host(self, url: str, what: str = "") -> None:
        """Raise HostNotAllowed for a URL on another host; `what` says who sent the customer there."""
        if not self.allows(url):
            lead = f"{what} {url}" if what else url
            raise HostNotAllowed(f"{lead}, outside the hosts this run may touch ({', '.join(sorted(self.hosts))})")

    def check_sip(self, uri: str) -> None:
        """Raise HostNotAllowed for a SIP address on another host than the phone URL's (and the base URL's)."""
        def host(address: str | None) -> str:
            rest = (address or "").partition(":")[2]
            return rest.rpartition("@")[2].split(";")[0].split(">")[0].lower()

        allowed = {host(self.phone_url)} | {h.lower() for h in self.hosts}
        if host(uri) not in allowed:
            raise HostNotAllowed(f"the call to {uri}, outside the hosts this run may touch "
                                 f"({', '.join(sorted(a for a in allowed if a))})")

    def rewriters(self, secrets: Iterable[str] = (), personal: Iterable[str] = ()
                  ) -> tuple[Callable[[str], str], Callable[[Any], Any]]:
        """How a journey on this target writes text and URLs down: secrets, and e-mail addresses and the
        customer's `personal` facts in URLs, redacted (see `redact`), then the target's own URLs as paths."""
        secrets = [*secrets, *([self.basic_auth[1]] if self.basic_auth and self.basic_auth[1] else []),
                   *([self.sip_credentials[1]] if self.sip_credentials and self.sip_credentials[1] else [])]
        redactor = Redactor((*SECRET_PARAMS, *self.redact_params), secrets, personal)

        def text(value: str) -> str:
            return self.relative_text(redactor.text(value))

        def url(value: Any) -> Any:
            return redactor.url(self.relative(value)) if value else value

        return text, url

    def relative_text(self, text: str) -> str:
        """Text with the target's own absolute URLs written as paths, so results do not depend on ports."""
        if "://" not in text:
            return text
        for base in (self.base_url, self.phone_url, self.chat_url):
            if base and base.rstrip("/") in text:
                text = text.replace(base.rstrip("/") + "/", "/")
        return text

    def relative(self, url: str | None) -> str | None:
        """A URL on the target as a path ("/lab/manage"), so results do not depend on the port used."""
        if not url:
            return url
        for base in (self.base_url, self.phone_url, self.chat_url):
            if base and url.startswith(base.rstrip("/") + "/"):
                return url[len(base.rstrip("/")):]
            if base and url == base.rstrip("/"):
                return "/"
        return url

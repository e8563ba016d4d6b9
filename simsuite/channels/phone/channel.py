"""The customer's phone: places calls to an IVR's webhooks, the way Twilio or a VoiceXML browser does."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urljoin

from ...model import Action
from .call import Call
from .leg import IvrLeg, new_http_client
from .sip_leg import SipLeg, sip_address

if TYPE_CHECKING:
    from ...core.context import ChannelContext


class PhoneChannel:
    """The customer's phone. `call(path)` dials the IVR at a path under the phone URL."""

    name = "phone"

    def __init__(self, ctx: "ChannelContext") -> None:
        self.ctx = ctx
        target = ctx.target
        self.base = target.phone_url or target.base_url
        self._own_http = target.http_client is None
        self.http = target.http_client or new_http_client()
        if self._own_http and target.basic_auth:
            self.http.headers.update(target.authorization())
        self.calls: list[Call] = []

    def call(self, path: str = "/", *, to: str | None = None, method: str | None = None) -> Call:
        """Dial the IVR at `path` (relative to the phone URL) and run it until it listens or ends.

        `to` is the number dialled (default: the target's `phone_number`); `method` how its voice URL is
        requested (default: the target's `phone_method`, POST unless configured GET).
        """
        target = self.ctx.target
        to = to or target.phone_number
        if self.base.startswith(("sip:", "sips:")) or path.startswith(("sip:", "sips:")):
            return self._call_sip(sip_address(self.base, path), to)
        url = urljoin(self.base.rstrip("/") + "/", path.lstrip("/"))
        leg = IvrLeg(self.ctx, self.http, url, to, self.ctx.journal.new_contact("call"))
        call = Call(self.ctx, leg, self)
        self.calls.append(call)
        leg.record(Action.CALL, f"called {to}", url=url)
        leg.fetch(url, method or target.phone_method, {}, first=True)
        leg.run()
        return call

    def _call_sip(self, uri: str, to: str) -> Call:
        """A real call with audio (see `sip_leg`), to a SIP address on the target's phone host only."""
        self.ctx.target.check_sip(uri)
        leg = SipLeg(self.ctx, uri, to, self.ctx.journal.new_contact("call"),
                     credentials=self.ctx.target.sip_credentials)
        call = Call(self.ctx, leg, self)
        self.calls.append(call)
        leg.record(Action.CALL, f"called {uri}", url=uri)
        leg.start()
        return call

    def close(self) -> None:
        """Hang up every call still connected and release the HTTP client."""
        for call in self.calls:
            call.hangup()
        if self._own_http:
            self.http.close()

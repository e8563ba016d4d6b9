"""A small SIP server for fronts: answers calls (100, 180, 200 with SDP, resent until ACKed), and lets the
company end (BYE), transfer (REFER) and hold (re-INVITE) them. A call runs in a thread of its own.
"""

from __future__ import annotations

import random
import re
import socket
import threading
from typing import Callable

from .rtp import RtpStream
from .sip import REASONS, T1, Media, Message, address_of, messages, new_branch, new_tag, offer, tag_of, uri_of

class IncomingCall:
    """A call a `SipServer` answered: who was called (`user`), its audio, and the company's own acts."""

    def __init__(self, server: "SipServer", invite: Message, source: tuple[str, int], media: Media,
                 user: str) -> None:
        self.server = server
        self.user = user
        self.caller = source
        self.call_id = invite.get("call-id")
        self.remote_tag = tag_of(invite.get("from"))
        self.local_tag = new_tag()
        self.from_value = f"{invite.get('to')};tag={self.local_tag}"
        self.to_value = invite.get("from")
        self.target = uri_of(invite.get("contact")) or f"sip:{source[0]}:{source[1]}"
        self.rtp = RtpStream(server.host)
        self.rtp.connect((media.host, media.port), media.payload_type, media.event_type)
        self.ended = threading.Event()
        self.acked = threading.Event()
        self._cseq = random.randint(1, 1000)

    def hangup(self) -> None:
        """The company ends the call (BYE)."""
        if not self.ended.is_set():
            self.ended.set()
            self._request("BYE")
        self.rtp.close()

    def refer(self, target: str) -> None:
        """The company transfers the caller (REFER, Refer-To `target`)."""
        self._request("REFER", extra=[("refer-to", f"<{target}>"), ("referred-by", self.from_value)])

    def hold(self, on: bool = True) -> None:
        """The company puts the caller on hold (a re-INVITE offering sendonly media) or takes them off it."""
        sdp = offer(self.server.host, self.rtp.port, direction="sendonly" if on else "sendrecv")
        self._request("INVITE", extra=[("content-type", "application/sdp")], body=sdp)

    def ack(self, cseq: int) -> None:
        """Acknowledge the caller's 200 to a re-INVITE."""
        self._request("ACK", cseq=cseq)

    def _request(self, method: str, extra: list[tuple[str, str]] | None = None, body: str = "",
                 cseq: int | None = None) -> None:
        if cseq is None:
            self._cseq += 1
        headers = [("via", f"SIP/2.0/UDP {self.server.host}:{self.server.port};branch={new_branch()}"),
                   ("max-forwards", "70"), ("from", self.from_value), ("to", self.to_value),
                   ("call-id", self.call_id), ("cseq", f"{cseq or self._cseq} {method}"),
                   ("contact", f"<sip:front@{self.server.host}:{self.server.port}>"), *(extra or [])]
        self.server.send(Message(f"{method} {self.target} SIP/2.0", headers, body), address_of(self.target))


class SipServer:
    """Answers SIP calls on `host:port` (0: any free port) and runs `handler(call)` for each in a thread.

    `screen(user)` may refuse a call before it is answered with a status (404 for a number nobody has, 486
    busy); None answers it. The server ends a call on its own after `max_call_s`.
    """

    def __init__(self, handler: Callable[[IncomingCall], None], *, host: str = "127.0.0.1", port: int = 0,
                 screen: Callable[[str], int | None] | None = None, max_call_s: float = 600.0) -> None:
        self.handler, self.screen, self.max_call_s = handler, screen, max_call_s
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, port))
        self.sock.settimeout(0.05)
        self.host, self.port = self.sock.getsockname()
        self.calls: dict[str, IncomingCall] = {}
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=f"sip-server-{self.port}", daemon=True)

    @property
    def uri(self) -> str:
        return f"sip:{self.host}:{self.port}"

    def start(self) -> "SipServer":
        self._thread.start()
        return self

    def close(self) -> None:
        """End every call and stop serving."""
        for call in list(self.calls.values()):
            call.hangup()
        self._closed.set()
        self._thread.join(timeout=2)
        self.sock.close()

    def send(self, message: Message, to: tuple[str, int]) -> None:
        try:
            self.sock.sendto(message.encode(), to)
        except OSError:
            pass

    def _serve(self) -> None:
        for message, source in messages(self.sock, self._closed):
            call = self.calls.get(message.get("call-id"))
            if not message.is_request:
                if call is not None and message.method == "INVITE" and 200 <= message.status < 300:
                    call.ack(int(message.get("cseq").split()[0]))
                continue
            method = message.method
            if method == "INVITE" and call is None:
                self._invite(message, source)
            elif method == "INVITE":  # a resent INVITE, or a re-INVITE: answer with the same media
                self._respond(message, source, 200, call, offer(self.host, call.rtp.port))
            elif method == "ACK" and call is not None:
                call.acked.set()
            elif method == "BYE":
                self._respond(message, source, 200 if call else 481, call)
                if call is not None:
                    call.ended.set()
            elif method == "CANCEL":
                self._respond(message, source, 200, call)
            elif method == "INFO" and call is not None:
                found = re.search(r"Signal\s*=\s*([0-9*#A-D])", message.body)
                if found and call.rtp.on_key:
                    call.rtp.keys.append(found.group(1))
                    call.rtp.on_key(found.group(1))
                self._respond(message, source, 200, call)
            else:
                self._respond(message, source, 200 if call else 481, call)

    def _invite(self, invite: Message, source: tuple[str, int]) -> None:
        self._respond(invite, source, 100)
        found = re.match(r"INVITE sips?:([^@;>\s]*)@", invite.first)
        user = found.group(1) if found else ""
        refusal = self.screen(user) if self.screen else None
        media = Media.parse(invite.body, source[0])
        if refusal is None and media is None:
            refusal = 488
        if refusal is not None:
            self._respond(invite, source, refusal, tag=new_tag())
            return
        call = IncomingCall(self, invite, source, media, user)
        self.calls[call.call_id] = call
        self._respond(invite, source, 180, call)
        threading.Thread(target=self._run, args=(call, invite, source), name="sip-call", daemon=True).start()

    def _run(self, call: IncomingCall, invite: Message, source: tuple[str, int]) -> None:
        answer = offer(self.host, call.rtp.port)
        wait = T1
        for _ in range(7):  # resend the 200 until the ACK comes (timer G), about 30 s at most
            self._respond(invite, source, 200, call, answer)
            if call.acked.wait(wait) or call.ended.is_set():
                break
            wait = min(wait * 2, 4.0)
        if not call.acked.is_set():
            call.ended.set()
        else:
            timer = threading.Timer(self.max_call_s, call.hangup)
            timer.daemon = True
            timer.start()
            try:
                self.handler(call)
            finally:
                timer.cancel()
        call.hangup()
        self.calls.pop(call.call_id, None)

    def _respond(self, request: Message, source: tuple[str, int], status: int, call: IncomingCall | None = None,
                 sdp: str = "", tag: str = "") -> None:
        headers = []
        for name, value in request.headers:
            if name == "to" and status > 100 and not tag_of(value):
                value = f"{value};tag={call.local_tag if call else tag or new_tag()}"
            if name in ("via", "from", "to", "call-id", "cseq"):
                headers.append((name, value))
        if call is not None and status < 300:
            headers.append(("contact", f"<sip:front@{self.host}:{self.port}>"))
        if sdp:
            headers.append(("content-type", "application/sdp"))
        self.send(Message(f"SIP/2.0 {status} {REASONS.get(status, 'OK')}", headers, sdp), source)

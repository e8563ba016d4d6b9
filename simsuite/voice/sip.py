"""SIP over UDP (RFC 3261), as much as a caller and a small IVR front need: messages, SDP offer and answer
(RFC 3264; PCMU, PCMA, telephone-event), digest authentication for a trunk, and the dialogs of one call.

`OutgoingCall` is the caller: INVITE (resent until answered), early media, ACK, CANCEL, BYE, and the
company's BYE, REFER (a transfer) and re-INVITE (a hold) taken and recorded as events. `SipServer` answers
calls for a front: 100, 180, 200 with SDP (resent until ACKed), BYE and REFER of its own. Every wait is
bounded; a peer that does not answer is a status, never a hang.
"""

from __future__ import annotations

import hashlib
import queue
import random
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from .rtp import RtpStream

T1 = 0.5
COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact", "l": "content-length",
           "c": "content-type", "r": "refer-to"}
REASONS = {100: "Trying", 180: "Ringing", 183: "Session Progress", 200: "OK", 202: "Accepted", 400: "Bad Request",
           404: "Not Found", 405: "Method Not Allowed", 481: "Call/Transaction Does Not Exist", 486: "Busy Here",
           487: "Request Terminated", 488: "Not Acceptable Here", 500: "Server Internal Error"}


@dataclass
class Message:
    """A SIP request or response: its first line, headers in order, and body."""

    first: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""

    @classmethod
    def parse(cls, data: bytes) -> "Message | None":
        """The message in a datagram; None if it is not SIP."""
        text = data.decode("utf-8", "replace")
        head, _, body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        if not lines or not (lines[0].startswith("SIP/2.0 ") or lines[0].endswith(" SIP/2.0")):
            return None
        headers: list[tuple[str, str]] = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and headers:
                headers[-1] = (headers[-1][0], f"{headers[-1][1]} {line.strip()}")
            elif ":" in line:
                name, _, value = line.partition(":")
                name = name.strip().lower()
                headers.append((COMPACT.get(name, name), value.strip()))
        return cls(lines[0], headers, body)

    def encode(self) -> bytes:
        """The message as sent, with its Content-Length."""
        lines = [self.first, *(f"{_title(n)}: {v}" for n, v in self.headers if n != "content-length")]
        body = self.body.encode()
        return ("\r\n".join([*lines, f"Content-Length: {len(body)}"]) + "\r\n\r\n").encode() + body

    def get(self, name: str, default: str = "") -> str:
        """The first value of a header (case-insensitive; compact forms too)."""
        return next((v for n, v in self.headers if n == name.lower()), default)

    def all(self, name: str) -> list[str]:
        """Every value of a header, in order."""
        return [v for n, v in self.headers if n == name.lower()]

    @property
    def is_request(self) -> bool:
        return not self.first.startswith("SIP/2.0 ")

    @property
    def method(self) -> str:
        return self.first.split()[0] if self.is_request else self.get("cseq").split()[-1]

    @property
    def status(self) -> int:
        return int(self.first.split()[1]) if not self.is_request else 0

    @property
    def reason(self) -> str:
        return self.first.split(" ", 2)[2] if not self.is_request and self.first.count(" ") >= 2 else ""


def _title(name: str) -> str:
    return {"call-id": "Call-ID", "cseq": "CSeq", "www-authenticate": "WWW-Authenticate"}.get(
        name, "-".join(part.capitalize() for part in name.split("-")))


def tag_of(value: str) -> str:
    """The tag parameter of a From or To value."""
    found = re.search(r";\s*tag=([^;>\s]+)", value)
    return found.group(1) if found else ""


def uri_of(value: str) -> str:
    """The URI inside a name-addr (`"Lab" <sip:lab@host>;tag=x`) or an addr-spec."""
    found = re.search(r"<([^>]+)>", value)
    return found.group(1) if found else value.split(";")[0].strip()


def address_of(uri: str, default_port: int = 5060) -> tuple[str, int]:
    """(host, port) a SIP URI is reached at over UDP (no DNS SRV: the host itself)."""
    found = re.match(r"sips?:(?:[^@]*@)?(\[[^\]]+\]|[^:;>?]+)(?::(\d+))?", uri.strip())
    if not found:
        raise ValueError(f"not a SIP address: {uri!r}")
    host = found.group(1).strip("[]")
    return socket.gethostbyname(host), int(found.group(2) or default_port)


def new_tag() -> str:
    return f"{random.getrandbits(40):010x}"


def new_branch() -> str:
    return f"z9hG4bK{random.getrandbits(48):012x}"


# -- SDP ----------------------------------------------------------------------------------------------
def offer(host: str, port: int, event_type: int = 101, direction: str = "sendrecv") -> str:
    """An SDP offer (or answer) of PCMU, PCMA and telephone-event."""
    session = random.getrandbits(31)
    return "\r\n".join([
        "v=0", f"o=simsuite {session} {session} IN IP4 {host}", "s=simsuite", f"c=IN IP4 {host}", "t=0 0",
        f"m=audio {port} RTP/AVP 0 8 {event_type}", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
        f"a=rtpmap:{event_type} telephone-event/8000", f"a=fmtp:{event_type} 0-16", "a=ptime:20",
        f"a={direction}"]) + "\r\n"


@dataclass(frozen=True)
class Media:
    """What a peer's SDP says: where to send audio, the codec chosen, its event type, and the direction."""

    host: str
    port: int
    payload_type: int
    event_type: int | None
    direction: str

    @classmethod
    def parse(cls, sdp: str, fallback_host: str) -> "Media | None":
        """The peer's media, choosing PCMU or PCMA in the order it lists them; None if it offers neither."""
        connection = re.search(r"^c=IN IP4 (\S+)", sdp, re.M)
        line = re.search(r"^m=audio (\d+) RTP/AVP ([\d ]+)", sdp, re.M)
        if not line:
            return None
        types = [int(t) for t in line.group(2).split()]
        events = [int(t) for t, name in re.findall(r"^a=rtpmap:(\d+) (\S+)", sdp, re.M)
                  if name.lower().startswith("telephone-event/8000")]
        chosen = next((t for t in types if t in (0, 8)), None)
        if chosen is None:
            return None
        direction = next((d for d in ("sendonly", "recvonly", "inactive") if f"a={d}" in sdp), "sendrecv")
        host = connection.group(1) if connection else fallback_host
        if host == "0.0.0.0":
            direction = "inactive"
            host = fallback_host
        return cls(host, int(line.group(1)), chosen, events[0] if events else None, direction)


# -- digest authentication (RFC 2617 / 8760) ---------------------------------------------------------
def digest(challenge: str, method: str, uri: str, username: str, password: str) -> str:
    """The Authorization value answering a WWW- or Proxy-Authenticate challenge."""
    params = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge))
    algorithm = params.get("algorithm", "MD5").upper()
    hash_ = (lambda s: hashlib.sha256(s.encode()).hexdigest()) if algorithm.startswith("SHA-256") else \
        (lambda s: hashlib.md5(s.encode()).hexdigest())  # noqa: S324 - the protocol's own hash
    realm, nonce = params.get("realm", ""), params.get("nonce", "")
    ha1, ha2 = hash_(f"{username}:{realm}:{password}"), hash_(f"{method}:{uri}")
    parts = [f'username="{username}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{uri}"',
             f"algorithm={algorithm}"]
    if "auth" in params.get("qop", "").split(","):
        cnonce, count = f"{random.getrandbits(64):016x}", "00000001"
        response = hash_(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")
        parts += ["qop=auth", f"nc={count}", f'cnonce="{cnonce}"']
    else:
        response = hash_(f"{ha1}:{nonce}:{ha2}")
    parts.append(f'response="{response}"')
    if "opaque" in params:
        parts.append(f'opaque="{params["opaque"]}"')
    return "Digest " + ", ".join(parts)


# -- the caller ---------------------------------------------------------------------------------------
@dataclass
class CallEvent:
    """Something the company did to the call: "transfer" (REFER, to whom), "hold" or "resume"
    (re-INVITE), "bye" (it hung up)."""

    kind: str
    detail: str = ""
    at: float = field(default_factory=time.monotonic)


class OutgoingCall:
    """One call placed to a SIP URI from `host`. `start` dials and waits for an answer or early media."""

    def __init__(self, uri: str, *, host: str = "127.0.0.1", user: str = "simsuite",
                 credentials: tuple[str, str] | None = None) -> None:
        self.uri = uri
        self.remote = address_of(uri)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.sock.settimeout(0.05)
        self.local = self.sock.getsockname()
        self.rtp = RtpStream(host)
        self.credentials = credentials
        self.call_id = f"{random.getrandbits(96):024x}@{host}"
        self.from_value = f"<sip:{user}@{host}:{self.local[1]}>;tag={new_tag()}"
        self.to_value = f"<{uri}>"
        self.contact = f"<sip:{user}@{host}:{self.local[1]}>"
        self.state = "idle"      # calling, early, connected, ended, failed
        self.status: int | None = None
        self.reason = ""
        self.ended_by: str | None = None
        self.media: Media | None = None
        self.events: queue.Queue[CallEvent] = queue.Queue()
        self._cseq = 0
        self._invite: Message | None = None
        self._target = uri                  # the remote target: the Contact of the answer
        self._answered = threading.Event()  # any final response, or early media
        self._responses: dict[tuple[int, str], threading.Event] = {}
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._receive, name="sip-call", daemon=True)
        self._thread.start()

    # -- what a caller does --------------------------------------------------------------------
    def start(self, ring_timeout: float = 30.0) -> str:
        """Dial, and wait until the call is answered, plays early media, fails, or rings out (then
        CANCEL). Returns the state: "connected", "early", "failed" or "ended"."""
        self.state = "calling"
        self._send_invite()
        deadline, interval = time.monotonic() + ring_timeout, T1
        next_resend = time.monotonic() + interval
        while not self._answered.wait(0.02):
            now = time.monotonic()
            if now >= deadline:
                self._cancel()
                self.state, self.status = "failed", self.status or 408
                self.reason = self.reason or "no answer"
                break
            if now >= next_resend and self.status is None:  # no provisional answer yet: resend (timer A)
                self._send(self._invite)
                interval = min(interval * 2, 4.0)
                next_resend = now + interval
        return self.state

    def wait_connected(self, timeout: float) -> bool:
        """While early media plays, wait (at most `timeout`) for the answer; whether the call is connected."""
        deadline = time.monotonic() + timeout
        while self.state == "early" and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.state == "connected"

    def press(self, key: str) -> None:
        """A key: an RFC 4733 event if the peer takes them, else SIP INFO (application/dtmf-relay)."""
        if self.media is not None and self.media.event_type is not None:
            self.rtp.press(key)
        elif self.state == "connected":
            self._request("INFO", f"Signal={key}\r\nDuration=160\r\n", "application/dtmf-relay")

    def hangup(self) -> None:
        """End the call from the caller's side: BYE if answered, CANCEL while it rings."""
        if self.state == "connected":
            self.ended_by = "customer"
            self.state = "ended"
            done = self._request("BYE")
            done.wait(4 * T1 * 4)
        elif self.state in ("calling", "early"):
            self._cancel()
            self.state, self.ended_by = "ended", "customer"
        self.close()

    def close(self) -> None:
        """Release the sockets and threads."""
        self._closed.set()
        self.rtp.close()
        self._thread.join(timeout=1)
        self.sock.close()

    # -- signalling ---------------------------------------------------------------------------
    def _send_invite(self, authorization: tuple[str, str] | None = None) -> None:
        self._cseq += 1
        headers = self._headers("INVITE", self.uri)
        if authorization:
            headers.append(authorization)
        headers += [("contact", self.contact), ("content-type", "application/sdp"),
                    ("allow", "INVITE, ACK, CANCEL, BYE, REFER, NOTIFY, INFO, OPTIONS")]
        self._invite = Message(f"INVITE {self.uri} SIP/2.0", headers, offer(self.rtp.host, self.rtp.port))
        self._send(self._invite)

    def _headers(self, method: str, uri: str, cseq: int | None = None) -> list[tuple[str, str]]:
        return [("via", f"SIP/2.0/UDP {self.local[0]}:{self.local[1]};branch={new_branch()};rport"),
                ("max-forwards", "70"), ("from", self.from_value), ("to", self.to_value),
                ("call-id", self.call_id), ("cseq", f"{cseq or self._cseq} {method}"),
                ("user-agent", "simsuite")]

    def _request(self, method: str, body: str = "", content_type: str = "") -> threading.Event:
        self._cseq += 1
        headers = self._headers(method, self._target)
        if content_type:
            headers.append(("content-type", content_type))
        message = Message(f"{method} {self._target} SIP/2.0", headers, body)
        done = self._responses[(self._cseq, method)] = threading.Event()
        for wait in (T1, 2 * T1, 4 * T1):  # a few resends, then give up (the peer may be gone)
            self._send(message)
            if done.wait(wait):
                break
        return done

    def _cancel(self) -> None:
        if self._invite is None:
            return
        headers = [(n, v) for n, v in self._invite.headers if n in ("via", "from", "to", "call-id", "max-forwards")]
        headers.append(("cseq", f"{self._invite.get('cseq').split()[0]} CANCEL"))
        self._send(Message(f"CANCEL {self.uri} SIP/2.0", headers))

    def _ack(self, response: Message) -> None:
        cseq = int(response.get("cseq").split()[0])
        if 200 <= response.status < 300:  # a transaction of its own, to the answer's Contact
            headers, first = self._headers("ACK", self._target, cseq), f"ACK {self._target} SIP/2.0"
        else:                              # part of the INVITE's transaction: its Via
            headers = [("via", self._invite.get("via") if self._invite else ""), ("max-forwards", "70"),
                       ("from", self.from_value), ("to", ""), ("call-id", self.call_id), ("cseq", f"{cseq} ACK")]
            first = f"ACK {self.uri} SIP/2.0"
        self._send(Message(first, [(n, response.get("to")) if n == "to" else (n, v) for n, v in headers]))

    def _send(self, message: Message, to: tuple[str, int] | None = None) -> None:
        try:
            self.sock.sendto(message.encode(), to or self.remote)
        except OSError:
            pass

    def _receive(self) -> None:
        while not self._closed.is_set():
            try:
                data, source = self.sock.recvfrom(65535)
            except (socket.timeout, OSError):
                continue
            message = Message.parse(data)
            if message is None or message.get("call-id") != self.call_id:
                continue
            if message.is_request:
                self._on_request(message, source)
            else:
                self._on_response(message)

    def _on_response(self, response: Message) -> None:
        cseq, method = response.get("cseq").split()[0], response.method
        if method != "INVITE":
            if response.status >= 200 and (int(cseq), method) in self._responses:
                self._responses[(int(cseq), method)].set()
            return
        status = response.status
        if status < 200:
            self.status = self.status or status
            if status == 183 and response.body and self.state == "calling":
                self._take_media(response)
                self.state = "early"
                self._answered.set()
            return
        self.status, self.reason = status, response.reason
        if self.state in ("connected", "ended") and 200 <= status < 300:
            self._ack(response)  # a resent 200: ACK again
            return
        if status in (401, 407) and self.credentials and not any(n.endswith("authorization")
                                                                  for n, _ in (self._invite.headers if self._invite
                                                                               else [])):
            self._ack(response)
            name = "authorization" if status == 401 else "proxy-authorization"
            challenge = response.get("www-authenticate" if status == 401 else "proxy-authenticate")
            self.status = None
            self._send_invite((name, digest(challenge, "INVITE", self.uri, *self.credentials)))
            return
        self.to_value = response.get("to")
        if 200 <= status < 300:
            self._target = uri_of(response.get("contact")) or self.uri
            self._take_media(response)
            self.state = "connected"
            self._ack(response)
        else:
            self._ack(response)
            self.state = "failed" if self.state == "calling" else "ended"
            if self.state == "ended":
                self.ended_by = self.ended_by or "company"
                self.events.put(CallEvent("bye", f"{status} {response.reason}"))
        self._answered.set()

    def _take_media(self, response: Message) -> None:
        media = Media.parse(response.body, self.remote[0])
        if media is not None:
            self.media = media
            self.rtp.connect((media.host, media.port), media.payload_type, media.event_type)

    def _on_request(self, request: Message, source: tuple[str, int]) -> None:
        method = request.method
        if method == "BYE":
            self._respond(request, source, 200)
            if self.state != "ended":
                self.state, self.ended_by = "ended", self.ended_by or "company"
                self.events.put(CallEvent("bye"))
        elif method == "REFER":
            self._respond(request, source, 202)
            self.events.put(CallEvent("transfer", uri_of(request.get("refer-to"))))
        elif method == "INVITE":  # a re-INVITE: hold, resume, or new media
            media = Media.parse(request.body, source[0])
            held = media is not None and media.direction in ("sendonly", "inactive")
            direction = "recvonly" if held else "sendrecv"
            self._respond(request, source, 200, offer(self.rtp.host, self.rtp.port, direction=direction))
            if media is not None:
                self.media = media
                self.rtp.connect((media.host, media.port), media.payload_type, media.event_type)
            self.events.put(CallEvent("hold" if held else "resume"))
        elif method == "ACK":
            return
        else:  # NOTIFY, INFO, OPTIONS, UPDATE
            self._respond(request, source, 200)

    def _respond(self, request: Message, source: tuple[str, int], status: int, sdp: str = "") -> None:
        headers = [(n, v) for n, v in request.headers if n in ("via", "from", "to", "call-id", "cseq")]
        if sdp:
            headers += [("contact", self.contact), ("content-type", "application/sdp")]
        self._send(Message(f"SIP/2.0 {status} {REASONS.get(status, 'OK')}", headers, sdp), source)


# -- the front's side ---------------------------------------------------------------------------------
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
        while not self._closed.is_set():
            try:
                data, source = self.sock.recvfrom(65535)
            except (socket.timeout, OSError):
                continue
            message = Message.parse(data)
            if message is None:
                continue
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

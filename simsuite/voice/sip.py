"""SIP over UDP (RFC 3261), as much as a caller and a small IVR front need: messages, SDP offer and answer
(RFC 3264; PCMU, PCMA, telephone-event) and digest authentication for a trunk. The dialogs are in
`caller` (OutgoingCall) and `server` (SipServer, IncomingCall).
"""

from __future__ import annotations

import hashlib
import random
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field


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
    found = re.match(r"sips?:(?:[^@]*@)?(\[[^\]]+\]|[^:;>?]+)(?::(\d+))?(?=$|[;>?])", uri.strip())
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


def messages(sock: socket.socket, closed: threading.Event) -> Iterator[tuple[Message, tuple[str, int]]]:
    """The SIP messages arriving on `sock` (with their source) until `closed` is set; other datagrams skipped.
    The socket needs a short timeout so `closed` is seen."""
    while not closed.is_set():
        try:
            data, source = sock.recvfrom(65535)
        except OSError:  # a timeout, or the socket closed under us
            continue
        message = Message.parse(data)
        if message is not None:
            yield message, source

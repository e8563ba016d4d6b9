"""The caller's side of one SIP call: INVITE (resent until answered), early media, ACK, CANCEL, BYE, and the
company's BYE, REFER (a transfer) and re-INVITE (a hold) taken and kept as events. Every wait is bounded;
a peer that does not answer is a status, never a hang.
"""

from __future__ import annotations

import queue
import random
import socket
import threading
import time
from dataclasses import dataclass, field

from .rtp import RtpStream
from .sip import REASONS, T1, Media, Message, address_of, digest, messages, new_branch, new_tag, offer, uri_of

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
        self._authorized = False            # a challenge answered once: a second 401 is the final answer
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
        for message, source in messages(self.sock, self._closed):
            if message.get("call-id") != self.call_id:
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
        if status in (401, 407) and self.credentials and not self._authorized:
            self._ack(response)
            self._authorized = True
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



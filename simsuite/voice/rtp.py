"""One call's audio: RTP over UDP with G.711 (RFC 3550, 3551) and keys as RFC 4733 telephone events.

`RtpStream` receives in a thread of its own: audio is decoded and kept, with the time a peer left silent
(no packets: silence suppression, a peer that sends nothing) filled with silence as the clock runs, so
what a caller "hears" always keeps pace with real time. Keys arrive as events, each reported on its first
packet (some phones send the end of an event late or never). Sending is paced at 20 ms a packet.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from typing import Callable

import numpy as np

from .codec import PAYLOADS

RATE = 8000
FRAME = 160                      # samples in 20 ms
EVENTS = "0123456789*#ABCD"
JITTER_S = 0.2                   # how late audio may arrive before the gap counts as silence


def packet(payload_type: int, seq: int, timestamp: int, ssrc: int, payload: bytes, marker: bool = False) -> bytes:
    """An RTP packet (version 2, no CSRC, no extension)."""
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | payload_type, seq & 0xFFFF,
                       timestamp & 0xFFFFFFFF, ssrc) + payload


def parse(data: bytes) -> tuple[int, int, int, bytes] | None:
    """(payload type, sequence number, timestamp, payload) of an RTP packet; None if it is not one."""
    if len(data) < 12 or data[0] >> 6 != 2:
        return None
    offset = 12 + 4 * (data[0] & 0x0F)
    if data[0] & 0x10 and len(data) >= offset + 4:
        offset += 4 + 4 * struct.unpack("!H", data[offset + 2:offset + 4])[0]
    payload = data[offset:]
    if data[0] & 0x20 and payload:
        payload = payload[:-payload[-1]]
    seq, timestamp = struct.unpack("!HI", data[2:8])
    return data[1] & 0x7F, seq, timestamp, payload


class RtpStream:
    """The audio of one call: bound on `host`, sending to the peer `connect` names."""

    def __init__(self, host: str = "127.0.0.1", on_key: Callable[[str], None] | None = None) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.sock.settimeout(0.05)
        self.host, self.port = self.sock.getsockname()
        self.remote: tuple[str, int] | None = None
        self.payload_type = 0
        self.event_type: int | None = 101
        self.on_key = on_key
        self.keys: list[str] = []
        self.packets_received = 0
        self._ssrc, self._seq, self._ts = random.getrandbits(32), random.getrandbits(16), random.getrandbits(32)
        self._lock = threading.Lock()
        self._chunks: list[np.ndarray] = []
        self._started = time.monotonic()
        self._delivered = 0               # samples handed out by `read`, received or filled in
        self._event_stamps: set[int] = set()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._receive, name=f"rtp-{self.port}", daemon=True)
        self._thread.start()

    def connect(self, remote: tuple[str, int], payload_type: int = 0, event_type: int | None = 101) -> None:
        """Send to `remote` with this audio payload type (0 PCMU, 8 PCMA) and telephone-event type."""
        self.remote, self.payload_type, self.event_type = remote, payload_type, event_type

    # -- hearing ------------------------------------------------------------------------------
    def read(self) -> np.ndarray:
        """The audio received since the last read, with silence where the peer sent nothing in time."""
        with self._lock:
            chunks, self._chunks = self._chunks, []
        audio = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
        due = int((time.monotonic() - self._started - JITTER_S) * RATE) - self._delivered
        if due > len(audio):
            audio = np.concatenate([audio, np.zeros(due - len(audio), np.int16)])
        self._delivered += len(audio)
        return audio

    def _receive(self) -> None:
        while not self._closed.is_set():
            try:
                data, _ = self.sock.recvfrom(4096)
            except (socket.timeout, OSError):
                continue
            parsed = parse(data)
            if parsed is None:
                continue
            kind, _, stamp, payload = parsed
            self.packets_received += 1
            if kind in PAYLOADS:
                audio = PAYLOADS[kind][2](payload)
                with self._lock:
                    self._chunks.append(audio)
            elif kind >= 96 and len(payload) >= 4 and stamp not in self._event_stamps:
                self._event_stamps.add(stamp)
                key = EVENTS[payload[0]] if payload[0] < len(EVENTS) else ""
                if key:
                    self.keys.append(key)
                    if self.on_key:
                        self.on_key(key)

    # -- speaking -----------------------------------------------------------------------------
    def play(self, pcm: np.ndarray, stop: threading.Event | None = None) -> bool:
        """Send 8 kHz audio in real time; False if `stop` was set (or the stream closed) before the end."""
        if self.remote is None:
            return False
        encode = PAYLOADS[self.payload_type][1]
        pcm = np.concatenate([pcm.astype(np.int16), np.zeros((-len(pcm)) % FRAME, np.int16)])
        started = time.monotonic()
        for n, at in enumerate(range(0, len(pcm), FRAME)):
            if (stop is not None and stop.is_set()) or self._closed.is_set():
                return False
            self._send(packet(self.payload_type, self._seq, self._ts, self._ssrc, encode(pcm[at:at + FRAME]),
                              marker=n == 0))
            self._seq, self._ts = self._seq + 1, self._ts + FRAME
            time.sleep(max(0.0, started + (n + 1) * 0.02 - time.monotonic()))
        return True

    def press(self, key: str, duration_ms: int = 160) -> None:
        """Send one key as an RFC 4733 event: packets every 20 ms, then three marking its end."""
        if self.remote is None or self.event_type is None:
            return
        event, volume = EVENTS.index(key), 10
        for n, length in enumerate(range(FRAME, duration_ms * 8 + 1, FRAME)):
            self._send(packet(self.event_type, self._seq, self._ts, self._ssrc,
                              struct.pack("!BBH", event, volume, length), marker=n == 0))
            self._seq += 1
            time.sleep(0.02)
        for _ in range(3):
            self._send(packet(self.event_type, self._seq, self._ts, self._ssrc,
                              struct.pack("!BBH", event, 0x80 | volume, duration_ms * 8)))
            self._seq += 1
        self._ts += duration_ms * 8 + FRAME
        time.sleep(0.06)  # the gap between two keys

    def _send(self, data: bytes) -> None:
        try:
            self.sock.sendto(data, self.remote)
        except OSError:
            pass  # the peer is gone: the call's signalling says so

    def close(self) -> None:
        """Stop receiving and release the port."""
        self._closed.set()
        self._thread.join(timeout=1)
        self.sock.close()

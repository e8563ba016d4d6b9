"""G.711 (mu-law, PCMU; A-law, PCMA): 8 kHz telephone audio, one byte a sample, in numpy."""

from __future__ import annotations

import numpy as np

_BIAS = 0x84


def ulaw_encode(pcm: np.ndarray) -> bytes:
    """16-bit samples to mu-law bytes (bit-exact with CPython's audioop)."""
    v = pcm.astype(np.int32) >> 2
    mask = np.where(v < 0, 0x7F, 0xFF)
    v = np.minimum(np.abs(v), 8159) + 0x21
    seg = np.clip(np.floor(np.log2(v)).astype(np.int32) - 5, 0, 7)
    u = np.where(v > 0x1FFF, 0x7F, (seg << 4) | ((v >> (seg + 1)) & 0x0F))
    return ((u ^ mask) & 0xFF).astype(np.uint8).tobytes()


def ulaw_decode(data: bytes) -> np.ndarray:
    """Mu-law bytes to 16-bit samples."""
    u = ~np.frombuffer(data, np.uint8).astype(np.int32) & 0xFF
    sign, exp, mant = u & 0x80, (u >> 4) & 0x07, u & 0x0F
    x = (((mant << 3) + _BIAS) << exp) - _BIAS
    return np.where(sign, -x, x).astype(np.int16)


def alaw_decode(data: bytes) -> np.ndarray:
    """A-law bytes to 16-bit samples."""
    a = np.frombuffer(data, np.uint8).astype(np.int32) ^ 0x55
    sign, exp, mant = a & 0x80, (a >> 4) & 0x07, a & 0x0F
    x = np.where(exp == 0, (mant << 4) + 8, ((mant << 4) + 0x108) << np.maximum(exp - 1, 0))
    return np.where(sign, x, -x).astype(np.int16)


def alaw_encode(pcm: np.ndarray) -> bytes:
    """16-bit samples to A-law bytes."""
    v = pcm.astype(np.int32) >> 3
    mask = np.where(v >= 0, 0xD5, 0x55)
    v = np.where(v < 0, -v - 1, v)
    v = np.minimum(v, 0xFFF)
    seg = np.clip(np.floor(np.log2(np.maximum(v, 1))).astype(np.int32) - 4, 0, 7)
    a = np.where(seg == 0, v >> 1, (seg << 4) | ((v >> seg) & 0x0F))
    return ((a ^ mask) & 0xFF).astype(np.uint8).tobytes()


PAYLOADS = {0: ("PCMU", ulaw_encode, ulaw_decode), 8: ("PCMA", alaw_encode, alaw_decode)}

"""Words to 8 kHz telephone audio with espeak-ng, and WAV files in and out.

`synthesise` runs the `espeak-ng` command (22050 Hz), resamples to 8000 Hz with an FFT (a band-limited
brick-wall filter, no scipy) and remembers what it said: an IVR says the same prompts on every call.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np

from ..errors import SimsuiteError

RATE = 8000
ESPEAK_TIMEOUT_S = 10.0


class VoiceUnavailable(SimsuiteError):
    """Speech cannot be synthesised here (espeak-ng missing or failing)."""


def espeak_path() -> str:
    """The espeak-ng command's path; VoiceUnavailable if it is not installed."""
    path = shutil.which("espeak-ng")
    if path is None:
        raise VoiceUnavailable("espeak-ng is not installed, so simsuite cannot speak on a call. "
                               "Fix: apt-get install espeak-ng")
    return path


def synthesise(text: str, *, voice: str = "en-us", speed: int = 165) -> np.ndarray:
    """`text` spoken by espeak-ng as int16 samples at 8 kHz (read-only, memoised per text, voice, speed)."""
    return _synthesise(text, voice, int(speed))


@functools.lru_cache(maxsize=512)
def _synthesise(text: str, voice: str, speed: int) -> np.ndarray:
    pcm, rate = _espeak(text, voice, speed)
    out = resample(pcm, rate, RATE)
    out.flags.writeable = False
    return out


def _espeak(text: str, voice: str, speed: int) -> tuple[np.ndarray, int]:
    command = espeak_path()
    with tempfile.TemporaryDirectory(prefix="simsuite-speech-") as tmp:
        path = os.path.join(tmp, "say.wav")
        try:
            subprocess.run([command, "-v", voice, "-s", str(speed), "-w", path, "--stdin"],
                           input=text.encode("utf-8"), capture_output=True, timeout=ESPEAK_TIMEOUT_S, check=True)
        except subprocess.TimeoutExpired:
            raise VoiceUnavailable(f"espeak-ng took over {ESPEAK_TIMEOUT_S:.0f} s to say {text[:60]!r}. "
                                   "Fix: say shorter texts, or check the espeak-ng installation") from None
        except subprocess.CalledProcessError as exc:
            detail = exc.stderr.decode("utf-8", "replace").strip().rstrip(".")[:200]
            raise VoiceUnavailable(f"espeak-ng failed with voice {voice!r}: {detail or exc.returncode}. "
                                   "Fix: pick a voice from `espeak-ng --voices`, or apt-get install espeak-ng") from None
        return read_wav(path)


def resample(pcm: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """`pcm` from `rate_in` to `rate_out` Hz by FFT (band-limited to the lower Nyquist), as int16."""
    x = np.asarray(pcm, dtype=np.float64)
    if rate_in == rate_out or x.size == 0:
        return np.clip(np.round(x), -32768, 32767).astype(np.int16)
    pad = int(0.05 * rate_in)
    x = np.concatenate([np.zeros(pad), x, np.zeros(pad)])
    n_in = x.size
    n_out = int(round(n_in * rate_out / rate_in))
    spectrum = np.fft.rfft(x)
    bins = n_out // 2 + 1
    if bins <= spectrum.size:
        spectrum = spectrum[:bins]
    else:
        spectrum = np.concatenate([spectrum, np.zeros(bins - spectrum.size, dtype=spectrum.dtype)])
    y = np.fft.irfft(spectrum, n_out) * (n_out / n_in)
    cut = int(round(pad * rate_out / rate_in))
    y = y[cut:n_out - cut]
    return np.clip(np.round(y), -32768, 32767).astype(np.int16)


def silence(seconds: float, rate: int = RATE) -> np.ndarray:
    """`seconds` of digital silence at `rate` (int16 zeros)."""
    return np.zeros(max(0, int(round(seconds * rate))), dtype=np.int16)


def write_wav(path: str | os.PathLike[str], pcm: np.ndarray, rate: int = RATE) -> Path:
    """Write mono 16-bit `pcm` to a WAV file; returns its path."""
    target = Path(path)
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(int(rate))
        out.writeframes(np.asarray(pcm, dtype="<i2").tobytes())
    return target


def read_wav(path: str | os.PathLike[str]) -> tuple[np.ndarray, int]:
    """A 16-bit WAV file as (mono int16 samples, rate); stereo is mixed down."""
    with wave.open(str(path), "rb") as src:
        if src.getsampwidth() != 2:
            raise SimsuiteError(f"{path}: only 16-bit WAV files can be read. Fix: convert it to 16-bit PCM")
        channels, rate = src.getnchannels(), src.getframerate()
        data = np.frombuffer(src.readframes(src.getnframes()), dtype="<i2")
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1).round()
    return data.astype(np.int16), rate

"""A call's audio split into prompts by silence, as it streams: the words the line says between its pauses."""

from __future__ import annotations

import collections
import math
from dataclasses import dataclass

import numpy as np

@dataclass(frozen=True, eq=False)
class Prompt:
    """One stretch of speech in a stream: its samples (with a little silence around) and where it lies."""

    pcm: np.ndarray
    start_s: float
    end_s: float
    rate: int = 8000
    complete: bool = True  # False when cut at max_prompt_s or by flush() while still speaking

    @property
    def duration_s(self) -> float:
        """Seconds from the first to the last voiced frame."""
        return self.end_s - self.start_s


class PromptSplitter:
    """Streaming endpointing by frame energy: speech, then end_silence_s of silence, ends a prompt.

    Frames louder than `threshold_db` (dBFS), or than 12 dB over the line's noise floor when the line is
    noisy, are speech. Pauses shorter than `end_silence_s` are bridged; stretches of speech shorter than
    `min_speech_s` are clicks, not prompts; a prompt longer than `max_prompt_s` is cut there.
    """

    PAD_S = 0.2
    FLOOR_MARGIN_DB = 12.0
    FLOOR_RISE_DB_PER_S = 1.0

    def __init__(self, rate: int = 8000, frame_ms: int = 20, threshold_db: float = -45,
                 end_silence_s: float = 0.8, min_speech_s: float = 0.2, max_prompt_s: float = 120.0) -> None:
        self.rate = rate
        self.frame = max(1, int(rate * frame_ms / 1000))
        self.threshold_db = threshold_db
        self.end_frames = max(1, round(end_silence_s * rate / self.frame))
        self.min_frames = max(1, round(min_speech_s * rate / self.frame))
        self.max_frames = max(1, round(max_prompt_s * rate / self.frame))
        self.pad_frames = max(1, round(self.PAD_S * rate / self.frame))
        self._floor = threshold_db - self.FLOOR_MARGIN_DB
        self._rest = np.zeros(0, dtype=np.int16)
        self._pos = 0  # frames seen
        self._before: collections.deque[np.ndarray] = collections.deque(maxlen=self.pad_frames)
        self._frames: list[np.ndarray] = []
        self._start = -1  # first voiced frame of the prompt being heard, -1 when none
        self._voiced = 0
        self._last_voiced_end = 0  # frame index just after the last voiced frame of an accepted stretch
        self._confirmed_end = 0
        self._previous_end = 0

    @property
    def speaking(self) -> bool:
        """Speech has started and not yet ended."""
        return self._start >= 0 and self._voiced >= self.min_frames

    @property
    def silent_for(self) -> float:
        """Seconds of silence since the last speech (or since the start of the stream)."""
        last = self._last_voiced_end if self.speaking else self._confirmed_end
        return (self._pos - last) * self.frame / self.rate

    @property
    def position_s(self) -> float:
        """Seconds of audio fed so far (whole frames)."""
        return self._pos * self.frame / self.rate

    def feed(self, pcm: np.ndarray) -> list[Prompt]:
        """Take more samples; returns the prompts that ended within them."""
        data = np.concatenate([self._rest, np.asarray(pcm, dtype=np.int16).ravel()])
        whole = len(data) // self.frame * self.frame
        self._rest = data[whole:]
        ended: list[Prompt] = []
        for frame in data[:whole].reshape(-1, self.frame):
            prompt = self._step(frame)
            if prompt is not None:
                ended.append(prompt)
        return ended

    def flush(self) -> list[Prompt]:
        """End the stream: the prompt being heard, if it is speech, ends here."""
        prompt = self._emit(complete=False) if self.speaking else None
        self._reset_prompt()
        return [prompt] if prompt is not None else []

    def _is_voiced(self, frame: np.ndarray) -> bool:
        power = float(np.mean(np.square(frame, dtype=np.float64))) / 32768.0 ** 2
        level = 10 * math.log10(power) if power > 0 else -120.0
        if level < self._floor:
            self._floor = level
        else:
            self._floor += self.FLOOR_RISE_DB_PER_S * self.frame / self.rate
        return level > max(self.threshold_db, self._floor + self.FLOOR_MARGIN_DB)

    def _step(self, frame: np.ndarray) -> Prompt | None:
        voiced = self._is_voiced(frame)
        self._pos += 1
        if self._start < 0:
            if not voiced:
                self._before.append(frame)
                return None
            self._start, self._voiced = self._pos - 1, 0
            self._frames = list(self._before)
            self._before.clear()
            self._previous_end = self._last_voiced_end
        self._frames.append(frame)
        if voiced:
            self._voiced += 1
            self._last_voiced_end = self._pos
        if self._pos - self._start >= self.max_frames and self.speaking:
            prompt = self._emit(complete=False)
            self._reset_prompt()
            return prompt
        if self._pos - self._last_voiced_end < self.end_frames:
            return None
        prompt = self._emit(complete=True) if self.speaking else None
        if prompt is None:
            self._last_voiced_end = self._previous_end
        self._reset_prompt()
        return prompt

    def _emit(self, *, complete: bool) -> Prompt:
        self._confirmed_end = self._last_voiced_end
        lead = len(self._frames) - (self._pos - self._start)
        keep = lead + (self._last_voiced_end - self._start) + self.pad_frames
        pcm = np.concatenate(self._frames[:keep]) if self._frames else np.zeros(0, np.int16)
        return Prompt(pcm, self._start * self.frame / self.rate, self._last_voiced_end * self.frame / self.rate,
                      self.rate, complete)

    def _reset_prompt(self) -> None:
        tail = self._frames[-self.pad_frames:] if self._frames else []
        self._before.clear()
        self._before.extend(tail)
        self._frames, self._start, self._voiced = [], -1, 0

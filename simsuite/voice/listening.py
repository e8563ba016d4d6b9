"""The front's ear: what a caller says while a `<Gather input="speech">` listens, as Twilio would hear it.

`CallerEar` reads the caller's audio beside the prompt being played: speech starting interrupts the prompt
(barge-in), and an utterance ends after `end_silence_s` of silence. `understand` turns the utterance into a
`SpeechResult`: first against the phrases the IVR expects (the Gather's `hints`, and the words a company's
recogniser is adapted to, such as its customers' records), else as an open transcription, which on
telephone audio is rough but, as a real platform's, still tells the IVR that the caller said something.
"""

from __future__ import annotations

import os
import queue
import threading
from typing import Any, Callable, Sequence

import numpy as np

from .hearing import Recogniser, conditioned
from .prompts import Prompt, PromptSplitter
from .rtp import RtpStream
from .speech import resample

MAX_UTTERANCE_S = 30.0


class CallerEar:
    """Listens to the caller on `rtp` until stopped: `speaking` is set (and `on_speech` called) when speech
    starts, and each finished utterance is put on `utterances`."""

    def __init__(self, rtp: RtpStream, end_silence_s: float = 1.0,
                 on_speech: Callable[[], None] | None = None) -> None:
        self.rtp = rtp
        self.on_speech = on_speech
        self.speaking = threading.Event()
        self.utterances: queue.Queue[Prompt] = queue.Queue()
        self._splitter = PromptSplitter(end_silence_s=end_silence_s, max_prompt_s=MAX_UTTERANCE_S)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="caller-ear", daemon=True)

    def __enter__(self) -> "CallerEar":
        self.rtp.read()  # what was said before the Gather listened is not its input
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=1.0)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            for utterance in self._splitter.feed(self.rtp.read()):
                self.utterances.put(utterance)
            if self._splitter.speaking and not self.speaking.is_set():
                self.speaking.set()
                if self.on_speech is not None:
                    self.on_speech()


def understand(pcm: np.ndarray, expected: Sequence[str], recogniser: Recogniser) -> tuple[str, float]:
    """The SpeechResult and Confidence of an utterance: the expected phrase it says (the longest, when the
    grammar heard several), else an open transcription with a low confidence."""
    heard = recogniser.recognise(pcm, 8000, list(expected)) if expected else None
    if heard is not None and heard.text:
        return max(heard.phrases, key=len), heard.confidence
    return transcribe(pcm), 0.3


_open: dict[str, Any] = {}
_open_lock = threading.Lock()


def transcribe(pcm: np.ndarray, rate: int = 8000) -> str:
    """Open transcription with pocketsphinx's bundled English language model ('' if it hears no words)."""
    with _open_lock:
        decoder = _open.get("decoder")
        if decoder is None:
            try:
                from pocketsphinx import Decoder, get_model_path
            except ImportError:
                return ""

            model = os.path.join(get_model_path(), "en-us")
            decoder = _open["decoder"] = Decoder(hmm=os.path.join(model, "en-us"),
                                                 lm=os.path.join(model, "en-us.lm.bin"),
                                                 dict=os.path.join(model, "cmudict-en-us.dict"),
                                                 samprate=16000, loglevel="FATAL")
        decoder.start_utt()
        decoder.process_raw(conditioned(resample(pcm, rate, 16000), 16000).tobytes(), full_utt=True)
        decoder.end_utt()
        hypothesis = decoder.hyp()
        return hypothesis.hypstr if hypothesis is not None else ""

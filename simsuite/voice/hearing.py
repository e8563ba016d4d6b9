"""Hearing a call: audio split into prompts by silence, each recognised against what the caller expects.

Open transcription of 8 kHz telephone audio with the models shipped in packages is poor, so a prompt is
recognised against the phrases a caller expects to hear (a menu's likely options, the words a journey
waits for, the prompts of an earlier map): `GrammarRecogniser` decodes it with pocketsphinx under a
finite-state grammar "one or more of these phrases" with a loop of free phones beside it, and a prompt
that free phones explain better than the phrases is not recognised. A stronger recogniser (a local
model, a cloud service) is one class with a `recognise` method, added with
`RECOGNISERS.register(name, factory)`.
"""

from __future__ import annotations

import collections
import math
import os
import re
import threading
from dataclasses import dataclass
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from ..core.registry import Registry
from .speech import VoiceUnavailable, resample
from .words import Alternatives, Vocabulary

# --- recognition --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recognition:
    """What a prompt was heard as: its words ('' if nothing), a confidence 0..1, the expected phrases."""

    text: str
    confidence: float
    phrases: tuple[str, ...] = ()


class Recogniser(Protocol):
    """Anything that turns a prompt's audio into the expected phrases it says."""

    def recognise(self, pcm: np.ndarray, rate: int, expected: Sequence[str]) -> Recognition:
        """The prompt `pcm` (int16 at `rate` Hz) recognised against the `expected` phrase texts."""
        ...


NOTHING = Recognition("", 0.0, ())

_SENTENCE_END = re.compile(r"(?<=[.?!])[\"')\]]*\s+|;\s*|,\s+(?=or\s)", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """The phrases a caller hears in a prompt's text: sentences, and clauses after ';' or ', or'."""
    parts = (part.strip() for part in _SENTENCE_END.split(text or ""))
    return [part for part in parts if re.search(r"\w", part)]


# --- the grammar and its decoder ----------------------------------------------------------------------------


def _without_gaps(slots: Sequence[Alternatives]) -> list[Alternatives]:
    """The same phrase with no slot that may be left out (each merged into its neighbour)."""
    merged: list[Alternatives] = []
    pending: Alternatives = ((),)
    for slot in slots:
        joined = tuple(dict.fromkeys(a + b for a in pending for b in slot))
        if () in joined:
            pending = joined
        else:
            merged.append(joined)
            pending = ((),)
    if pending != ((),):
        if merged:
            merged[-1] = tuple(dict.fromkeys(a + b for a in merged[-1] for b in pending))
        else:
            merged.append(tuple(alt for alt in pending if alt))
    return [slot for slot in merged if slot]


def grammar_transitions(phrases: Sequence[Sequence[Alternatives]], start: float = 1.0) -> list[tuple[Any, ...]]:
    """A finite-state grammar "one or more of the phrases", as pocketsphinx `create_fsg` transitions.

    State 0 starts; every phrase ends in state 1, where another may start or a null transition leads to
    the final state 2. Each phrase is a chain of its slots, each alternative a chain of words. pocketsphinx
    follows one null transition in a row, so a slot that may be left out is merged into its neighbour.
    """
    chains = [chain for chain in (_without_gaps(slots) for slots in phrases) if chain]
    transitions: list[tuple[Any, ...]] = [(1, 2, 1.0)]
    states = 3
    for chain in chains:
        sources = [0, 1]
        for number, slot in enumerate(chain):
            if number == len(chain) - 1:
                end = 1
            else:
                end, states = states, states + 1
            for words in slot:
                for source in sources:
                    at = source
                    for k, word in enumerate(words):
                        if k == len(words) - 1:
                            target = end
                        else:
                            target, states = states, states + 1
                        weight = start / len(chains) if number == 0 and k == 0 else 1.0
                        transitions.append((at, target, weight, word))
                        at = target
            sources = [end]
    return transitions


PHONES = "AA AH EH IY UW ER S F K T N M L R".split()
"""The free phones of the garbage loop: a few broad sounds (all 39 cost twice the time and reject no better)."""
GARBAGE_WORD = "+{}+"


def garbage_transitions(weight: float, state: int = 3) -> list[tuple[Any, ...]]:
    """A loop of free phones beside the phrases, each costing `weight`: speech no phrase explains."""
    words = [GARBAGE_WORD.format(phone.lower()) for phone in PHONES]
    return [(source, target, weight, word) for source in (0, 1, state) for target in (1, state) for word in words]


def _ends(words: Sequence[str], start: int, slots: Sequence[Alternatives]) -> set[int]:
    positions = {start}
    for slot in slots:
        positions = {p + len(alt) for p in positions for alt in slot if tuple(words[p:p + len(alt)]) == alt}
        if not positions:
            break
    return positions


def parse_phrases(words: Sequence[str], phrases: Sequence[Sequence[Alternatives]]) -> tuple[list[int], int]:
    """The fewest phrases (indexes) that say `words` from the start, and how many words they cover."""
    best: dict[int, list[int]] = {0: []}
    for start in range(len(words) + 1):
        if start not in best:
            continue
        for index, slots in enumerate(phrases):
            if not slots:
                continue
            for end in _ends(words, start, slots):
                if end > start and (end not in best or len(best[start]) + 1 < len(best[end])):
                    best[end] = best[start] + [index]
    reached = max(best)
    return best[reached], reached


_PAD_S = 0.25
_FLOOR_DB = -26.0


def _frame_levels(pcm: np.ndarray, frame: int) -> np.ndarray:
    whole = len(pcm) // frame * frame
    if whole == 0:
        return np.zeros(1)
    return np.sqrt(np.mean(np.square(pcm[:whole].reshape(-1, frame)), axis=1))


def conditioned(pcm: np.ndarray, rate: int) -> np.ndarray:
    """`pcm` padded with silence and given a steady noise floor _FLOOR_DB under its speech.

    pocketsphinx's model was trained on audio that always has some noise: digital silence (exact zeros)
    cannot be aligned at all, and near-silent pauses pull its cepstral mean off the speech. A line that
    is already that noisy gets no more.
    """
    x = np.asarray(pcm, dtype=np.float64)
    pad = np.zeros(int(_PAD_S * rate))
    x = np.concatenate([pad, x, pad])
    levels = _frame_levels(x, max(1, rate // 50))
    speech, floor = float(np.percentile(levels, 90)), float(np.percentile(levels, 10))
    target = max(speech * 10 ** (_FLOOR_DB / 20), 2.0)
    extra = math.sqrt(max(target ** 2 - floor ** 2, 0.0))
    noise = np.random.default_rng(len(x)).normal(0.0, extra, len(x))
    return np.clip(np.round(x + noise), -32768, 32767).astype(np.int16)


def _model_path() -> str:
    from pocketsphinx import get_model_path  # the caller checked it can be imported

    return os.path.join(get_model_path(), "en-us")


@dataclass
class _Grammar:
    decoder: Any
    phrases: list[list[Alternatives]]
    lock: threading.Lock


@dataclass(frozen=True)
class _Word:
    word: str
    frames: int

    @property
    def garbage(self) -> bool:
        return self.word.startswith("+")


def judge(words: Sequence[_Word], phrases: Sequence[Sequence[Alternatives]]) -> tuple[list[int], float, bool]:
    """The phrases that runs of words between free phones say in full, the share of speech frames they
    cover, and whether every run was whole phrases."""
    runs: list[list[_Word]] = [[]]
    for word in words:
        if word.garbage:
            runs.append([])
        else:
            runs[-1].append(word)
    said: list[int] = []
    covered, whole = 0, True
    for run in filter(None, runs):
        indexes, reached = parse_phrases([w.word for w in run], phrases)
        if reached == len(run):
            said += indexes
            covered += sum(w.frames for w in run)
        else:
            whole = False
    total = sum(w.frames for w in words)
    return said, min(covered / total, 1.0) if total > 0 else 0.0, whole


class GrammarRecogniser:
    """pocketsphinx 5 under a grammar "one or more of the expected phrases", beside a loop of free phones.

    The audio is upsampled to 16 kHz (the bundled model's rate) and given a faint noise floor; beams are
    wide. Speech that no phrase explains is taken by the free phones, which cost `garbage` each: the
    confidence is the share of speech in whole phrases, and a prompt under `accept` of it, or with a
    phrase cut by free phones, is not recognised (text '', confidence < 0.5).
    """

    name = "grammar"
    RATE = 16000
    CONFIG: dict[str, Any] = {"beam": 1e-80, "wbeam": 1e-60, "pbeam": 1e-80, "bestpath": False,
                              "fillprob": 1e-2, "silprob": 0.1}
    CACHE = 8

    def __init__(self, *, garbage: float = 1e-11, start: float = 1e-3, accept: float = 0.85, **config: Any) -> None:
        self.garbage = garbage
        self.start = start
        self.accept = accept
        self.config = {**self.CONFIG, **config}
        self._grammars: collections.OrderedDict[tuple[str, ...], _Grammar] = collections.OrderedDict()
        self._lock = threading.Lock()

    def _decoder(self) -> Any:
        try:
            from pocketsphinx import Decoder
        except ImportError:
            raise VoiceUnavailable("pocketsphinx is not installed, so simsuite cannot hear a call. "
                                   "Fix: pip install pocketsphinx") from None

        model = _model_path()
        return Decoder(hmm=os.path.join(model, "en-us"), dict=os.path.join(model, "cmudict-en-us.dict"),
                       lm=None, samprate=self.RATE, loglevel="FATAL", **self.config)

    def grammar(self, expected: Sequence[str]) -> _Grammar:
        """The decoder for these expected phrases (built once, the last CACHE kept)."""
        key = tuple(expected)
        with self._lock:
            found = self._grammars.get(key)
            if found is not None:
                self._grammars.move_to_end(key)
                return found
        made = self._build(key)
        with self._lock:
            self._grammars[key] = made
            while len(self._grammars) > self.CACHE:
                self._grammars.popitem(last=False)
        return made

    def _build(self, expected: Sequence[str]) -> _Grammar:
        decoder = self._decoder()
        vocabulary = Vocabulary(decoder.lookup_word)
        phrases = [vocabulary.phrase(text) for text in expected]
        transitions = grammar_transitions(phrases, self.start)
        if self.garbage > 0:
            for number, phone in enumerate(PHONES):
                decoder.add_word(GARBAGE_WORD.format(phone.lower()), phone, number == len(PHONES) - 1)
            transitions += garbage_transitions(self.garbage, 1 + max(t[1] for t in transitions))
        decoder.add_fsg("prompts", decoder.create_fsg("prompts", 0, 2, transitions))
        decoder.activate_search("prompts")
        return _Grammar(decoder, phrases, threading.Lock())

    def recognise(self, pcm: np.ndarray, rate: int, expected: Sequence[str]) -> Recognition:
        """The prompt recognised as a sequence of the expected phrases, or text '' with a low confidence."""
        expected = [text for text in dict.fromkeys(expected) if text.strip()]
        if not expected or len(pcm) < rate // 10:
            return NOTHING
        grammar = self.grammar(expected)
        if not any(grammar.phrases):
            return NOTHING
        words = self._decode(grammar, conditioned(resample(pcm, rate, self.RATE), self.RATE))
        indexes, covered, whole = judge(words, grammar.phrases)
        phrases = tuple(expected[i] for i in indexes)
        confidence = round(covered, 3)
        if not phrases or not whole or covered < self.accept:
            return Recognition("", min(confidence, 0.49), phrases)
        return Recognition(" ".join(phrases), max(confidence, 0.5), phrases)

    def _decode(self, grammar: _Grammar, audio: np.ndarray) -> list[_Word]:
        with grammar.lock:
            decoder = grammar.decoder
            decoder.start_utt()
            decoder.process_raw(audio.tobytes(), full_utt=True)
            decoder.end_utt()
            if decoder.hyp() is None:
                return []
            return [_Word(re.sub(r"\(\d+\)$", "", s.word), s.end_frame - s.start_frame + 1)
                    for s in decoder.seg() or () if not s.word.startswith(("<", "[", "("))]


RECOGNISERS: Registry[Callable[[], Recogniser]] = Registry(
    "speech recogniser",
    how_to_add="Add one with simsuite.voice.hearing.RECOGNISERS.register(name, factory): a factory of an "
               "object with recognise(pcm, rate, expected) -> Recognition.")
RECOGNISERS.register("grammar", GrammarRecogniser)

_default: dict[str, Recogniser] = {}
_default_lock = threading.Lock()


def default_recogniser(name: str = "grammar") -> Recogniser:
    """The recogniser registered as `name` (one instance per process, decoders kept warm)."""
    with _default_lock:
        if name not in _default:
            _default[name] = RECOGNISERS.get(name)()
        return _default[name]

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

# --- prompts by silence -------------------------------------------------------------------------------------


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


# --- words as pocketsphinx says them ------------------------------------------------------------------------

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
            "nine": "ninth", "twelve": "twelfth"}
_SEPARATORS = {".": "dot", "/": "slash", "@": "at", "-": "", "_": "underscore", "+": "plus", "&": "and",
               "%": "percent", "#": "pound"}

Alternatives = tuple[tuple[str, ...], ...]
"""One slot of a phrase: the word sequences it may be said as (an empty one: it may be left out)."""


def cardinal(n: int, *, british: bool = False) -> list[str]:
    """`n` (0 <= n < 10**9) in words: 555 -> five hundred fifty five (british: five hundred and fifty five)."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    for size, name in ((10**6, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            head = cardinal(n // size, british=british) + [name]
            rest = n % size
            if not rest:
                return head
            joint = ["and"] if british and rest < 100 else []
            return head + joint + cardinal(rest, british=british)
    raise ValueError(n)


def ordinal(n: int) -> list[str]:
    """`n` as an ordinal: 1 -> first, 21 -> twenty first."""
    words = cardinal(n)
    last = words[-1]
    if last in _ORDINAL:
        words[-1] = _ORDINAL[last]
    elif last.endswith("y"):
        words[-1] = last[:-1] + "ieth"
    else:
        words[-1] = last + "th"
    return words


def _digit_words(digits: str) -> list[str]:
    return [_ONES[int(d)] for d in digits]


def number_readings(digits: str) -> Alternatives:
    """How a string of digits may be said: digit by digit ('0' also as 'oh') and, without a leading zero,
    as a number (with and without the British 'and')."""
    readings = [tuple(_digit_words(digits)), tuple("oh" if d == "0" else _ONES[int(d)] for d in digits)]
    if len(digits) < 10 and not (len(digits) > 1 and digits.startswith("0")):
        readings += [tuple(cardinal(int(digits))), tuple(cardinal(int(digits), british=True))]
    return tuple(dict.fromkeys(readings))


def _time_readings(hours: str, minutes: str) -> Alternatives:
    hour = number_readings(hours.lstrip("0") or "0")
    m = int(minutes)
    if m == 0:
        tails: Alternatives = (("o'clock",), ("hundred",), ("zero", "zero"), ("oh", "oh"), ())
    elif m < 10:
        tails = (("oh", _ONES[m]), ("zero", _ONES[m]))
    else:
        tails = (tuple(cardinal(m)),)
    return tuple(dict.fromkeys(h + t for h in hour for t in tails))


class Vocabulary:
    """Turns written words into the words a pronouncing dictionary knows (`lookup(word)` -> phones or None)."""

    def __init__(self, lookup: Callable[[str], Any]) -> None:
        self._lookup = lookup
        self._known: dict[str, bool] = {}

    def knows(self, word: str) -> bool:
        """The dictionary has `word`."""
        if word not in self._known:
            self._known[word] = bool(word) and self._lookup(word) is not None
        return self._known[word]

    def phrase(self, text: str) -> list[Alternatives]:
        """A phrase as slots of alternative word sequences, every word known to the dictionary."""
        slots: list[Alternatives] = []
        for token in text.lower().split():
            token = token.strip(",;:!?\"'()[]{}")
            slots += self._token(token if self.knows(token) else token.strip("."))
        return [slot for slot in slots if slot and slot != ((),)]

    def _token(self, token: str) -> list[Alternatives]:
        if not token:
            return []
        if self.knows(token) and not re.search(r"[0-9]", token):
            return [((token,),)]
        time = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})", token)
        if time:
            return [_time_readings(time.group(1), time.group(2))]
        if re.fullmatch(r"[0-9]+", token):
            return [number_readings(token)]
        ordinal_match = re.fullmatch(r"([0-9]+)(st|nd|rd|th)", token)
        if ordinal_match:
            return [(tuple(ordinal(int(ordinal_match.group(1)))), *number_readings(ordinal_match.group(1)))]
        parts = [p for p in re.split(r"([0-9]+|[./@\-_+&%#$])", token) if p]
        if len(parts) > 1:
            return self._parts(parts)
        return [self._word(token)]

    def _parts(self, parts: list[str]) -> list[Alternatives]:
        slots: list[Alternatives] = []
        for i, part in enumerate(parts):
            if part in _SEPARATORS:
                spoken = _SEPARATORS[part]
                between_digits = 0 < i < len(parts) - 1 and parts[i - 1].isdigit() and parts[i + 1].isdigit()
                if part == "-" and between_digits:
                    slots.append((("dash",), ()))
                elif part == "." and between_digits:
                    slots.append((("point",), ("dot",)))
                elif spoken and self.knows(spoken) and 0 < i < len(parts) - 1:
                    slots.append(((spoken,),))
            elif part == "$":
                continue
            elif part.isdigit():
                slots.append(number_readings(part))
            elif i > 0 and parts[i - 1].isdigit() and len(part) <= 3 and part not in ("st", "nd", "rd", "th"):
                slots.append(tuple(dict.fromkeys((self._letters(part), *self._word(part)))))
            else:
                slots.append(self._word(part))
        return slots

    def _letters(self, word: str) -> tuple[str, ...]:
        return tuple(ch for ch in word if self.knows(ch))

    def _word(self, word: str) -> Alternatives:
        if self.knows(word):
            return ((word,),)
        plain = word.replace("'", "")
        if plain != word and self.knows(plain):
            return ((plain,),)
        split = self._compound(plain)
        if split:
            return (split,)
        if len(plain) <= 5:
            return (self._letters(plain),)
        return ((),)

    def _compound(self, word: str) -> tuple[str, ...]:
        """The fewest dictionary words (3+ letters each) that spell `word`, or () if none do."""
        best: dict[int, tuple[str, ...]] = {0: ()}
        for end in range(3, len(word) + 1):
            options = [best[start] + (word[start:end],) for start in range(0, end - 2)
                       if start in best and self.knows(word[start:end])]
            if options:
                best[end] = min(options, key=len)
        return best.get(len(word), ()) if len(best.get(len(word), ())) > 1 else ()


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

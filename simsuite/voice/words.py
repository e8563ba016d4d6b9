"""Words as pocketsphinx says them: digits, times, addresses, run-together words and acronyms written out the
ways a caller hears them, each a choice of readings (`Alternatives`) that a grammar can accept."""

from __future__ import annotations

import re
from typing import Any, Callable

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
        initial = self._initial(plain)
        if initial:
            return (initial,)
        if len(plain) <= 5:
            return (self._letters(plain),)
        return ((),)

    def _initial(self, word: str) -> tuple[str, ...]:
        """An initial run into a name, as user names are (`jsmith` is said "j smith"), or ()."""
        if len(word) < 5 or not self.knows(word[0]):
            return ()
        rest = word[1:]
        return (word[0], rest) if self.knows(rest) else ((word[0], *self._compound(rest)) if self._compound(rest)
                                                          else ())

    def _compound(self, word: str) -> tuple[str, ...]:
        """The fewest dictionary words (3+ letters each) that spell `word`, or () if none do."""
        best: dict[int, tuple[str, ...]] = {0: ()}
        for end in range(3, len(word) + 1):
            options = [best[start] + (word[start:end],) for start in range(0, end - 2)
                       if start in best and self.knows(word[start:end])]
            if options:
                best[end] = min(options, key=len)
        return best.get(len(word), ()) if len(best.get(len(word), ())) > 1 else ()

"""Benchmark: are the demo IVRs' prompts recognised over a telephone line, and at what cost?

The prompts are every `say(...)` text of the demo companies' TwiML IVRs (simsuite/demo/*.py), collected
from the source (`demo_prompts`); the expected phrases are their sentences (`hearing.sentences`), ALL of
them at once, as a caller that learned the whole map would expect. Each prompt is synthesised with
espeak-ng, passed through G.711 mu-law (as RTP carries it) and recognised by the default recogniser.
A prompt is recognised exactly when the text is its own sentences, in order. Conditions:

  same voice    en-us at 165 words a minute (the voice the demo's SIP front speaks with)
  other voice   en-gb at 185 words a minute
  noisy line    en-us with white noise 20 dB under the speech (before mu-law)
  outside       prompts no demo IVR says (two of them one or two words from one it does): recognised
                as nothing (text '') is right

Prints per condition: prompts, recognised exactly (rejected, for outside), accuracy, mean and max ms
per prompt, and each miss with what was heard. Exit status 0 whatever the figures (a measurement); 2 if
it cannot run (espeak-ng or pocketsphinx missing).

    .venv/bin/python benchmarks/voice_recognition.py [--quiet] [--condition NAME ...]
"""

from __future__ import annotations

import argparse
import ast
import importlib
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUTSIDE = (
    "Welcome to the zoo, the penguins are fed at noon.",
    "Your parcel will arrive tomorrow morning.",
    "Our offices are closed for the holiday.",
    "Please say your date of birth.",
    "To hear these options again, press star.",
    "Welcome to the zoo.",
    "Thank you for calling Metro Bank.",
    "For billing, press 4.",
)


def _is_docstring(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(node)
    body = getattr(parents.get(parent), "body", None) if parent is not None else None
    return isinstance(parent, ast.Expr) and bool(body) and body[0] is parent


def _sentence_like(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value.strip() \
        and node.value.rstrip()[-1:] in ".?!"


def _say_texts(path: Path) -> list[str]:
    module = importlib.import_module(f"simsuite.demo.{path.stem}")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    texts: list[str] = []
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        for call in ast.walk(function):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "say"
                    and call.args):
                continue
            try:  # a literal, a module constant, an f-string of constants
                texts.append(eval(compile(ast.Expression(call.args[0]), str(path), "eval"), vars(module)))
            except Exception:  # a local variable: the function's sentence-like strings are what it may say
                texts += [n.value for n in ast.walk(function) if _sentence_like(n) and not _is_docstring(n, parents)]
    return texts


def demo_prompts() -> list[str]:
    """Every text the demo IVRs say with TwiML `say(...)`, once each, in source order."""
    import simsuite.demo as demo

    texts: list[str] = []
    for path in sorted(Path(demo.__file__).parent.glob("*.py")):
        if "say(" in path.read_text(encoding="utf-8") and path.stem != "twiml":
            texts += _say_texts(path)
    return list(dict.fromkeys(t for t in texts if isinstance(t, str) and t.strip()))


def expected_phrases(prompts: list[str]) -> list[str]:
    """The sentences of all the prompts, once each: what a caller who knows the whole map expects."""
    from simsuite.voice.hearing import sentences

    return list(dict.fromkeys(s for prompt in prompts for s in sentences(prompt)))


def with_noise(pcm: np.ndarray, snr_db: float) -> np.ndarray:
    """`pcm` with white noise `snr_db` under its speech level, and half a second of that noise before it."""
    x = pcm.astype(np.float64)
    level = float(np.sqrt(np.mean(np.square(x[np.abs(x) > 100])))) if np.any(np.abs(x) > 100) else 1000.0
    rng = np.random.default_rng(len(pcm))
    x = np.concatenate([np.zeros(4000), x])
    x += rng.normal(0.0, level * 10 ** (-snr_db / 20), len(x))
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


def over_the_line(text: str, *, voice: str = "en-us", speed: int = 165, snr_db: float | None = None) -> np.ndarray:
    """`text` synthesised, with noise if asked, through mu-law and back: what RTP delivers."""
    from simsuite.voice.codec import ulaw_decode, ulaw_encode
    from simsuite.voice.speech import synthesise

    pcm = synthesise(text, voice=voice, speed=speed)
    if snr_db is not None:
        pcm = with_noise(pcm, snr_db)
    return ulaw_decode(ulaw_encode(pcm))


@dataclass
class Outcome:
    """One condition's figures."""

    name: str
    prompts: int = 0
    right: int = 0
    millis: list[float] = field(default_factory=list)
    misses: list[tuple[str, str, float]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.prompts if self.prompts else 0.0


def measure(name: str, prompts: list[str], expected: list[str], *, inside: bool = True, **line) -> Outcome:
    """Recognise every prompt over the line: exactly its sentences (inside) or nothing (outside)."""
    from simsuite.voice.hearing import default_recogniser, sentences

    recogniser = default_recogniser()
    outcome = Outcome(name)
    for prompt in prompts:
        pcm = over_the_line(prompt, **line)
        started = time.perf_counter()
        heard = recogniser.recognise(pcm, 8000, expected)
        outcome.millis.append((time.perf_counter() - started) * 1000)
        want = " ".join(sentences(prompt)) if inside else ""
        outcome.prompts += 1
        if heard.text == want:
            outcome.right += 1
        else:
            outcome.misses.append((prompt, heard.text or "(nothing) " + " | ".join(heard.phrases), heard.confidence))
    return outcome


CONDITIONS = {
    "same voice": dict(voice="en-us", speed=165),
    "other voice": dict(voice="en-gb", speed=185),
    "noisy line": dict(voice="en-us", speed=165, snr_db=20.0),
    "outside": dict(voice="en-us", speed=165),
}


def report(outcome: Outcome, *, quiet: bool) -> None:
    """Print one condition's line, and its misses unless quiet."""
    what = "rejected" if outcome.name == "outside" else "recognised exactly"
    print(f"{outcome.name:12s}  prompts {outcome.prompts:3d}  {what} {outcome.right:3d}  "
          f"accuracy {outcome.accuracy:6.1%}  mean {statistics.fmean(outcome.millis):5.0f} ms  "
          f"max {max(outcome.millis):5.0f} ms per prompt")
    if not quiet:
        for prompt, heard, confidence in outcome.misses:
            print(f"    miss: {prompt[:70]!r}\n          heard {heard[:110]!r} (confidence {confidence:.2f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quiet", action="store_true", help="figures only, no misses")
    parser.add_argument("--condition", action="append", choices=list(CONDITIONS),
                        help="run only these conditions (default: all)")
    args = parser.parse_args(argv)

    from simsuite.voice.speech import VoiceUnavailable

    prompts = demo_prompts()
    expected = expected_phrases(prompts)
    print(f"demo IVR prompts: {len(prompts)}, expected sentences: {len(expected)}")
    try:
        started = time.perf_counter()
        from simsuite.voice.hearing import default_recogniser

        default_recogniser().recognise(over_the_line(prompts[0]), 8000, expected)  # builds the decoder
        print(f"first prompt, decoder built: {(time.perf_counter() - started) * 1000:.0f} ms")
        for name in args.condition or list(CONDITIONS):
            inside = name != "outside"
            report(measure(name, prompts if inside else list(OUTSIDE), expected, inside=inside,
                           **CONDITIONS[name]), quiet=args.quiet)
    except VoiceUnavailable as exc:
        print(f"cannot run: {exc}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

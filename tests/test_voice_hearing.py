"""Audio of a call: G.711 round trips, speech synthesised by espeak-ng, prompts split by silence, and the
demo IVRs' prompts recognised over mu-law against every sentence the demo says (benchmarks/
voice_recognition.py prints the same with another voice and a noisy line)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

if shutil.which("espeak-ng") is None:
    pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)", allow_module_level=True)

from simsuite.voice import speech  # noqa: E402
from simsuite.voice.codec import alaw_decode, alaw_encode, ulaw_decode, ulaw_encode  # noqa: E402
from simsuite.voice.hearing import RECOGNISERS, Recognition, default_recogniser, sentences  # noqa: E402
from simsuite.voice.prompts import PromptSplitter  # noqa: E402
from simsuite.voice.words import Vocabulary, number_readings  # noqa: E402
from simsuite.voice.speech import VoiceUnavailable, read_wav, silence, synthesise, write_wav  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from voice_recognition import demo_prompts, expected_phrases, over_the_line  # noqa: E402


def _snr_db(clean: np.ndarray, coded: np.ndarray) -> float:
    clean, coded = clean.astype(np.float64), coded.astype(np.float64)
    return 10 * np.log10(np.sum(clean ** 2) / max(np.sum((clean - coded) ** 2), 1.0))


# --- speech and G.711 --------------------------------------------------------------------------------------


def test_speech_is_8khz_int16_memoised_and_read_only():
    pcm = synthesise("Press 1 to reschedule.")
    assert pcm.dtype == np.int16 and 1.0 < len(pcm) / 8000 < 4.0
    assert np.abs(pcm).max() > 5000
    assert synthesise("Press 1 to reschedule.") is pcm
    assert not pcm.flags.writeable
    assert len(synthesise("Press 1 to reschedule.", speed=250)) < len(pcm)


def test_resampling_keeps_the_voice_band_and_drops_what_8khz_cannot_carry():
    t = np.arange(22050) / 22050
    low = speech.resample((np.sin(2 * np.pi * 1000 * t) * 10000).astype(np.int16), 22050, 8000)
    high = speech.resample((np.sin(2 * np.pi * 6000 * t) * 10000).astype(np.int16), 22050, 8000)
    assert len(low) == 8000
    assert 9500 < np.abs(low[800:-800]).max() < 10500
    assert np.abs(high[800:-800]).max() < 50


def test_g711_round_trips_keep_speech():
    pcm = synthesise("Thank you for calling Northside Diagnostics.")
    for encode, decode in ((ulaw_encode, ulaw_decode), (alaw_encode, alaw_decode)):
        coded = encode(pcm)
        assert len(coded) == len(pcm)
        heard = decode(coded)
        assert _snr_db(pcm, heard) > 30
        assert encode(heard) == coded


def test_silence_and_wav_files(tmp_path):
    assert len(silence(0.5)) == 4000 and not silence(0.5).any()
    pcm = np.concatenate([synthesise("Goodbye."), silence(0.25)])
    path = write_wav(tmp_path / "prompt.wav", pcm)
    back, rate = read_wav(path)
    assert rate == 8000 and np.array_equal(back, pcm)


def test_no_espeak_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(speech.shutil, "which", lambda name: None)
    with pytest.raises(VoiceUnavailable, match="apt-get install espeak-ng"):
        synthesise("A text never said before, 4242.")


# --- prompts by silence -------------------------------------------------------------------------------------


def _feed(splitter: PromptSplitter, pcm: np.ndarray, chunk: int = 160) -> list:
    prompts = []
    for start in range(0, len(pcm), chunk):
        prompts += splitter.feed(pcm[start:start + chunk])
    return prompts


def test_prompts_are_split_where_the_silence_is_long_enough():
    first, second, third = (synthesise(t) for t in (
        "Welcome to Metro Telecom.", "For billing, press 1. For sales, press 2.", "Goodbye."))
    stream = np.concatenate([silence(1.0), first, silence(1.5), second, silence(0.3), third, silence(2.0)])
    splitter = PromptSplitter()
    prompts = _feed(splitter, stream) + splitter.flush()
    assert len(prompts) == 2  # the 0.3 s pause between sentences is bridged
    starts = [1.0, 1.0 + len(first) / 8000 + 1.5]
    for prompt, start in zip(prompts, starts):
        assert abs(prompt.start_s - start) < 0.15
        assert prompt.complete and len(prompt.pcm) / 8000 >= prompt.end_s - prompt.start_s
    assert prompts[1].end_s < len(stream) / 8000 - 1.9
    assert abs(prompts[0].end_s - (1.0 + len(first) / 8000)) < 0.6
    assert not splitter.speaking and splitter.silent_for >= 1.9


def test_speaking_and_silent_for_follow_the_stream():
    splitter = PromptSplitter()
    assert _feed(splitter, silence(1.0)) == [] and not splitter.speaking
    assert splitter.silent_for == pytest.approx(1.0, abs=0.03)
    words = synthesise("Please hold for the next available agent.")
    _feed(splitter, words[: len(words) // 2])
    assert splitter.speaking and splitter.silent_for < 0.5
    cut = splitter.flush()
    assert len(cut) == 1 and not cut[0].complete and not splitter.speaking


def test_a_click_is_not_a_prompt_and_a_prompt_that_never_ends_is_cut():
    click = (np.random.default_rng(1).normal(0, 8000, 480)).astype(np.int16)  # 60 ms
    splitter = PromptSplitter()
    assert _feed(splitter, np.concatenate([silence(0.5), click, silence(1.5)])) == []
    assert splitter.silent_for > 1.9
    tone = (np.sin(np.arange(8000 * 5) * 2 * np.pi * 440 / 8000) * 8000).astype(np.int16)
    cut = _feed(PromptSplitter(max_prompt_s=2.0), tone)
    assert len(cut) == 2 and not cut[0].complete
    assert cut[0].end_s - cut[0].start_s == pytest.approx(2.0, abs=0.05)


# --- words, phrases and the registry -----------------------------------------------------------------------


def test_sentences_split_a_prompt_into_what_a_caller_expects():
    assert sentences("For billing, press 1. For sales, or 2 for support; press 0 for an operator. Right? "
                     "Visit acme.example/help at 10:30.") == [
        "For billing, press 1.", "For sales", "or 2 for support", "press 0 for an operator.", "Right?",
        "Visit acme.example/help at 10:30."]
    assert sentences("") == [] and sentences(" ... ") == []


def test_numbers_and_addresses_become_the_words_people_say():
    assert ("five", "five", "one", "two", "zero") in number_readings("55120")
    assert ("fifty", "five", "thousand", "one", "hundred", "twenty") in number_readings("55120")
    assert ("oh", "one", "oh", "oh") in number_readings("0100")
    known = {"press", "one", "to", "reschedule", "visit", "metro", "telecom", "dot", "example", "slash",
             "help", "ten", "thirty", "i", "v", "r"}
    phrase = Vocabulary(lambda w: "X" if w in known else None).phrase
    assert phrase("Press 1 to reschedule.") == [(("press",),), (("one",),), (("to",),), (("reschedule",),)]
    assert [slot[0] for slot in phrase("Visit metrotelecom.example/help")] == [
        ("visit",), ("metro", "telecom"), ("dot",), ("example",), ("slash",), ("help",)]
    assert ("ten", "thirty") in phrase("10:30")[0]
    assert phrase("IVR") == [(("i", "v", "r"),)]


def test_recognisers_are_a_registry_a_user_can_add_to():
    assert "grammar" in RECOGNISERS.names()
    assert type(default_recogniser()).__name__ == "GrammarRecogniser"

    class Echo:
        def recognise(self, pcm, rate, expected):
            return Recognition(expected[0], 1.0, (expected[0],))

    RECOGNISERS.register("echo", Echo)
    try:
        assert default_recogniser("echo").recognise(silence(1), 8000, ["Hello."]).text == "Hello."
    finally:
        RECOGNISERS.unregister("echo")


# --- recognition over the line -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    pytest.importorskip("pocketsphinx")
    prompts = demo_prompts()
    return prompts, expected_phrases(prompts)


def test_the_demo_prompts_are_recognised_over_mu_law(demo):
    prompts, expected = demo
    assert len(prompts) >= 40 and len(expected) >= 80
    recogniser = default_recogniser()
    misses = []
    for prompt in prompts:
        heard = recogniser.recognise(over_the_line(prompt), 8000, expected)
        if heard.text != " ".join(sentences(prompt)):
            misses.append((prompt, heard))
        else:
            assert heard.confidence >= 0.5 and heard.phrases == tuple(sentences(prompt))
    assert len(misses) <= 0.05 * len(prompts), misses


def test_a_prompt_outside_the_expected_phrases_is_not_recognised(demo):
    _, expected = demo
    for text in ("Welcome to the zoo, the penguins are fed at noon.", "Your parcel will arrive tomorrow morning."):
        heard = default_recogniser().recognise(over_the_line(text), 8000, expected)
        assert heard.text == "" or heard.confidence < 0.5, heard


def test_silence_and_nothing_expected_are_heard_as_nothing(demo):
    _, expected = demo
    recogniser = default_recogniser()
    assert recogniser.recognise(silence(1.0), 8000, expected).text == ""
    assert recogniser.recognise(synthesise("Goodbye."), 8000, []) == Recognition("", 0.0, ())


def test_a_user_name_of_an_initial_and_a_name_is_said_as_both():
    known = {"j", "smith", "at", "example", "dot", "com", "b", "men", "doza", "mendoza", "x"}
    phrase = Vocabulary(lambda w: "X" if w in known else None).phrase
    assert [slot[0] for slot in phrase("jsmith@example.com")] == [("j", "smith"), ("at",), ("example",), ("dot",),
                                                                  ("com",)]
    assert phrase("bmendoza")[0][0] == ("b", "mendoza")
    assert ("x", "qztwv") not in [alt for slot in phrase("xqztwv") for alt in slot]  # only before a known word

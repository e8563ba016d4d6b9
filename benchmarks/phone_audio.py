"""Benchmark: the demo's journeys with the phone called over SIP (real audio) against the same over webhooks.

Runs `simsuite demo` twice into temporary folders, once as usual and once with `--audio` (each IVR behind
simsuite's SIP front: TwiML spoken by espeak-ng, heard by the SIP leg, recognised against the prompts the
webhooks say), and compares each journey: its outcome, its friction kinds, and its Kafkaesque index. The
issue asks for the same outcomes and kinds and indexes within 5 points (holds are real time over audio, sped
up by the demo front). Prints one row a journey, the counts that agree, and the wall time of both runs.

Exit status: 0 whatever the figures; 1 if a run could not run at all.

    .venv/bin/python benchmarks/phone_audio.py [--mode as-is|recovered|both] [--scenarios PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_demo(out: Path, mode: str, scenarios: str | None, audio: bool) -> tuple[dict, float]:
    command = [sys.executable, "-m", "simsuite.cli", "demo", "--mode", mode, "--no-explore", "--no-history",
               "--out", str(out), *(["--scenarios", scenarios] if scenarios else []), *(["--audio"] if audio else [])]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if not (out / "results.json").exists():
        sys.exit(f"the {'audio' if audio else 'webhook'} run wrote no results (exit {done.returncode}):\n"
                 f"{done.stderr[-2000:]}")
    return json.loads((out / "results.json").read_text()), seconds


def summary(doc: dict) -> dict[str, tuple[str, tuple[str, ...], float | None, bool]]:
    out = {}
    for journey in doc["journeys"]:
        phoned = any(s.get("channel") == "phone" for s in journey.get("steps") or ())
        kinds = tuple(sorted({f["kind"] for f in journey.get("frictions") or ()}))
        out[journey["id"]] = (journey.get("outcome", {}).get("kind") if isinstance(journey.get("outcome"), dict)
                              else journey.get("outcome"), kinds, journey.get("index"), phoned)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", default="both", choices=("as-is", "recovered", "both"))
    parser.add_argument("--scenarios", help="scenario file or folder (default: every bundled scenario)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        hooks, hook_s = run_demo(Path(tmp) / "webhooks", args.mode, args.scenarios, audio=False)
        audio, audio_s = run_demo(Path(tmp) / "audio", args.mode, args.scenarios, audio=True)
    by_hooks, by_audio = summary(hooks), summary(audio)
    same_outcome = same_kinds = close = phoned = 0
    print(f"{'journey':58} {'outcome (webhook / audio)':32} {'index':>13}  kinds")
    for jid, (outcome, kinds, index, used_phone) in by_hooks.items():
        if jid not in by_audio or not used_phone:
            continue
        phoned += 1
        a_outcome, a_kinds, a_index, _ = by_audio[jid]
        same_outcome += outcome == a_outcome
        same_kinds += kinds == a_kinds
        near = index is not None and a_index is not None and abs(index - a_index) <= 5
        close += near
        print(f"{jid[:58]:58} {f'{outcome} / {a_outcome}':32} {index or 0:5.1f} {a_index or 0:5.1f}  "
              f"{'same' if kinds == a_kinds else f'{list(kinds)} / {list(a_kinds)}'}")
    print(f"\njourneys that call: {phoned}; same outcome {same_outcome}/{phoned}; same friction kinds "
          f"{same_kinds}/{phoned}; index within 5 points {close}/{phoned}")
    print(f"wall time: webhooks {hook_s:.0f} s, audio {audio_s:.0f} s ({audio_s / max(hook_s, 1e-9):.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

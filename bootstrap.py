#!/usr/bin/env python3
"""Set up everything simsuite needs (virtual environment, packages, a Chromium) and run a task.

    python3 bootstrap.py demo [simsuite demo options]   # the main job: demo companies, every journey, a report
    python3 bootstrap.py test [pytest options]          # the tests
    python3 bootstrap.py bench                          # the benchmarks (overhead, exploration, scale, validity)
    python3 bootstrap.py simsuite ARGS...               # any simsuite command in the environment

Only Python 3 is needed. The environment lives in .venv (or $SIMSUITE_VENV) and is refreshed when
pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("SIMSUITE_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".simsuite-installed"


def say(message: str) -> None:
    print(f"bootstrap: {message}", flush=True)


def run(*cmd: str | Path) -> None:
    done = subprocess.run([str(c) for c in cmd], cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"bootstrap: `{' '.join(map(str, cmd))}` failed with exit code {done.returncode}")


def ensure_environment() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not PYTHON.exists():
        say(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    say("installing simsuite and its packages")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", f"{ROOT}[test]")
    STAMP.write_text(wanted)


def ensure_browser() -> None:
    run(PYTHON, "-c", "from simsuite.browser import ensure_browser; "
        "spec = ensure_browser(); print('bootstrap: browser:', spec.executable_path or 'Playwright Chromium')")


def ensure_voice() -> None:
    run(PYTHON, "-c", "from simsuite.voice.install import ensure_voice; ensure_voice()")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test", "bench", "simsuite"):
        print(__doc__)
        return 2
    task, rest = argv[0], argv[1:]
    ensure_environment()
    ensure_browser()
    ensure_voice()
    if task == "demo":
        cmd = [BIN / "simsuite", "demo", *rest]
    elif task == "simsuite":
        cmd = [BIN / "simsuite", *rest]
    elif task == "test":
        cmd = [PYTHON, "-m", "pytest", *(rest or ["tests"])]
    else:
        codes = [subprocess.run([str(PYTHON), str(ROOT / "benchmarks" / name), *rest], cwd=ROOT).returncode
                 for name in ("web_overhead.py", "explore_throughput.py", "report_render.py", "scale.py",
                              "results_scale.py", "validity.py", "voice_recognition.py")]
        return max(codes)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

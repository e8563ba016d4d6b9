"""What calls with audio need from the machine (espeak-ng to speak; SIPp for the tests' independent peer),
found, or installed the way the browser is: Debian's packages when simsuite runs as root with apt-get."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Callable

PACKAGES = {"espeak-ng": "espeak-ng", "sipp": "sip-tester"}


def missing() -> list[str]:
    """The commands calls with audio need that this machine lacks."""
    return [command for command in PACKAGES if shutil.which(command) is None]


def ensure_voice(log: Callable[[str], None] = print) -> list[str]:
    """Install what is missing where that is possible; the commands still missing (and said so)."""
    lacking = missing()
    apt = shutil.which("apt-get")
    if lacking and apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        log(f"simsuite: installing {', '.join(PACKAGES[c] for c in lacking)} for calls with audio ...")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt, "update", "-qq"], env=env, check=False, capture_output=True)
        subprocess.run([apt, "install", "-y", "-qq", "--no-install-recommends", *(PACKAGES[c] for c in lacking)],
                       env=env, check=False, capture_output=True)
        lacking = missing()
    if lacking:
        log(f"simsuite: {', '.join(lacking)} not found, so calls with audio (SIP) are skipped here. Fix: "
            f"apt-get install {' '.join(PACKAGES[c] for c in lacking)}")
    return lacking

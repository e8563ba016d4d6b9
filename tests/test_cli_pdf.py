"""`--pdf` prints the journeys that matter; `--pdf full` prints every journey."""

from __future__ import annotations

import shutil

import pytest
from pypdf import PdfReader


@pytest.mark.e2e
def test_pdf_and_pdf_full_from_the_command_line(demo_run, tmp_path, simsuite_cli):
    out, _, _ = demo_run
    copy = tmp_path / "demo"
    shutil.copytree(out, copy)
    pages = {}
    for option in (["--pdf"], ["--pdf", "full"]):
        done = simsuite_cli("report", str(copy / "results.json"), *option)
        assert done.returncode == 0, done.stderr
        pages[" ".join(option)] = len(PdfReader(copy / "report.pdf").pages)
    assert pages["--pdf"] <= 8 < pages["--pdf full"], pages
    wrong = simsuite_cli("report", str(copy / "results.json"), "--pdf", "everything")
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr

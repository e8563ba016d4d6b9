"""Reading the files a user writes (scenarios, phrase lists, chat configs): UTF-8, or a clear error."""

from __future__ import annotations

from pathlib import Path


class NotUtf8(ValueError):
    """A file that is not UTF-8 text: the line of its first bad byte, and that byte."""

    def __init__(self, line: int, byte: int) -> None:
        super().__init__(f"line {line}: byte 0x{byte:02x} is not UTF-8")
        self.line, self.byte = line, byte

    @property
    def fix(self) -> str:
        return "save the file as UTF-8 (most editors: Save with encoding, UTF-8)"


def read_text(path: str | Path) -> str:
    """The file's text; NotUtf8, naming the line of the first byte that is not UTF-8, if it is not UTF-8."""
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8(raw[:exc.start].count(b"\n") + 1, raw[exc.start]) from None

"""The blocks and moves a flow export is read into (shared by the Studio and Connect readers), and the checks
that keep a malformed export's message short: values shown cut to 60 characters, never expanded."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import SimsuiteError

RESOLUTION_WORDS: tuple[str, ...] = (
    "your balance is", "has been", "is confirmed", "we have sent", "we've sent", "is on its way",
    "is scheduled", "is booked", "resolved", "refund",
)
"""Words that make a spoken ending count as a resolution (matched case-insensitively), besides the
phrase lists' `resolutions`."""

STUDIO_RESOLVES: tuple[str, ...] = ("connect-call-to", "enqueue-call", "send-to-flex")
CONNECT_RESOLVES: tuple[str, ...] = (
    "TransferContactToQueue", "TransferParticipantToThirdParty", "CreateCallbackContact",
)
"""Block types that hand the caller on (to a person, a queue or a call back): a call ending there is served."""

MOVE_KINDS = ("normal", "choice", "timeout", "nomatch", "else", "error", "hangup")
"""choice: the caller's key, word or intent matched; timeout: the caller said nothing; nomatch: what the
caller said matched nothing; else: a check's unmatched branch; error: the system failed; hangup: the
caller or the far end hung up."""


MAX_BLOCKS = 5_000
"""States or actions a flow may hold: Twilio Studio allows 2,000 widgets and a Connect flow's content is at most
256,000 characters; a larger list is not an export, and its analysis would run for minutes."""

MAX_PROMPT = 10_000
"""Characters one prompt may hold: far more than a text-to-speech prompt speaks."""

SHOWN = 60
"""Characters of a value from the export a message shows."""


class FlowError(SimsuiteError):
    """A flow export cannot be analysed: the message names the file, the place and the fix."""

    def __init__(self, path: str, problem: str, fix: str, line: int | None = None,
                 column: int | None = None) -> None:
        where = str(path) + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: {problem}. Fix: {fix}")
        self.path, self.problem, self.fix, self.line, self.column = str(path), problem, fix, line, column


@dataclass
class FlowState:
    """One block: what the caller hears there and what it does."""

    id: str
    type: str
    text: str = ""              # the words the caller hears (markup stripped, run-time values as [name])
    kind: str = "state"         # menu (offers choices), data (collects digits or words), prompt, state
    resolves: bool = False      # hands the caller on: a queue, a person, a call back
    terminal: bool = False      # the call ends here (a disconnect, or no way on)
    elsewhere: bool = False     # continues in another flow
    feeds_from: str | None = None   # for a check: the input block whose answer it reads
    recording: str = ""         # the recording's name, when the prompt is audio
    detail: str = ""            # what identifies the block when it says nothing (type, queue, number)
    role: str = ""              # transfer, queue, callback, record, elsewhere, end
    dynamic: bool = False       # speaks values looked up while the call runs
    intents: bool = False       # a bot: its branches are intents, not keys
    name: str = ""              # the block's name in the export, where it has one besides its id

    @property
    def heard(self) -> str:
        """What the caller hears, for evidence: the words, or the recording's name."""
        if self.text:
            return self.text
        return f"recording {self.recording}" if self.recording else ""

    @property
    def says(self) -> bool:
        """Whether the caller hears anything here."""
        return bool(self.text or self.recording)


@dataclass
class FlowMove:
    """A way from one block to the next; `target` None ends the call."""

    source: str
    target: str | None
    label: str
    kind: str = "normal"        # one of MOVE_KINDS
    keys: tuple[str, ...] = ()  # keypad values this move answers to


@dataclass
class Flow:
    """A parsed export: its platform, first block, blocks and moves."""

    kind: str
    start: str
    states: dict[str, FlowState] = field(default_factory=dict)
    moves: list[FlowMove] = field(default_factory=list)


def shown(value: Any) -> str:
    """A value from the export as a message shows it: text quoted and cut short, a list or an object by its
    kind and size, never expanded."""
    if isinstance(value, str):
        return "'" + (value if len(value) <= SHOWN else value[:SHOWN - 3] + "...") + "'"
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, (int, float)):
        return shown_number(value)
    if isinstance(value, list):
        return f"a list of {len(value):,} item{'s' if len(value) > 1 else ''}" if value else "an empty list"
    if isinstance(value, dict):
        return f"an object of {len(value):,} key{'s' if len(value) > 1 else ''}" if value else "an empty object"
    return type(value).__name__


def shown_number(value: float) -> str:
    """A number as a message shows it: never more than 60 characters."""
    text = repr(value) if isinstance(value, float) or abs(value) < 10 ** SHOWN else "a number of over 60 digits"
    return text[:SHOWN]


def field_text(owner: str, block: dict[str, Any], key: str, source: str, limit: int | None = None) -> str:
    """A text field of a block, stripped: "" when absent or null; a FlowError naming the block, the field and
    the value when it is not text (or longer than `limit`)."""
    value = block.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FlowError(source, f"{owner} has {_a(key)} '{key}' that is {shown(value)}, not a text",
                        f"make '{key}' a text in double quotes, or export the flow again")
    if limit is not None and len(value) > limit:
        raise FlowError(source, f"{owner} has {_a(key)} '{key}' of {len(value):,} characters, longer than any "
                        f"spoken prompt (at most {limit:,})",
                        "check that the text is the prompt, or split it over several blocks")
    return value.strip()


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def object_field(owner: str, block: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    """An object field of a block: {} when absent or null; a FlowError when it is anything else."""
    value = block.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FlowError(source, f"{owner} has '{key}' that is {shown(value)}, not an object",
                        f"make '{key}' a JSON object {{...}}")
    return value


def list_field(owner: str, block: dict[str, Any], key: str, source: str, what: str) -> list[dict[str, Any]]:
    """A list-of-objects field of a block: [] when absent or null; a FlowError when it is anything else."""
    value = block.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise FlowError(source, f"{owner} has '{key}' that is {shown(value)}, not a list",
                        f"make '{key}' a list of {what}")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise FlowError(source, f"{owner} has '{key}' whose item #{i + 1} is {shown(item)}, not an object",
                            f"make '{key}' a list of {what}")
    return value


def scalar_text(value: Any) -> str:
    """A text, number or true/false as text (as an export writes a condition's value); anything else is none."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)):
        return shown_number(value)
    return ""


def text_of(value: Any) -> str:
    """A string parameter, stripped; anything else is no text."""
    return value.strip() if isinstance(value, str) else ""


def mapping(value: Any) -> dict[str, Any]:
    """An object parameter; anything else is an empty one."""
    return value if isinstance(value, dict) else {}


def names(states: dict[str, FlowState]) -> str:
    """The first block names, for a message that lists the choices."""
    listed = [name if len(name) <= 30 else name[:27] + "..." for name in list(states)[:13]]
    return ", ".join(listed[:12]) + (", ..." if len(listed) > 12 else "")

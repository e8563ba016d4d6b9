"""The blocks and moves a flow export is read into (shared by the Studio and Connect readers)."""

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


def text_of(value: Any) -> str:
    """A string parameter, stripped; anything else is no text."""
    return value.strip() if isinstance(value, str) else ""


def mapping(value: Any) -> dict[str, Any]:
    """An object parameter; anything else is an empty one."""
    return value if isinstance(value, dict) else {}


def names(states: dict[str, FlowState]) -> str:
    """The first block names, for a message that lists the choices."""
    listed = list(states)
    return ", ".join(listed[:12]) + (", ..." if len(listed) > 12 else "")

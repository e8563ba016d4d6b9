"""The dialects an IVR may speak (TwiML, VoiceXML, or one a plugin adds), chosen by each document's root.

A dialect is made once per call by `factory(leg)` and handed every document whose root it `accepts`.
`load` makes a document current (False if that ended the call); `run` runs it until the leg listens,
another document is fetched, or the call ends. It acts only through the leg's public methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol
from xml.etree.ElementTree import Element

from ...core.registry import Registry

if TYPE_CHECKING:
    from .leg import IvrLeg


class Dialect(Protocol):
    """How one IVR document language runs on a call leg."""

    def load(self, root: Element, url: str, fragment: str, first: bool) -> bool: ...

    def run(self) -> None: ...


class DialectFactory(Protocol):
    """A dialect class: it says which documents it runs, and is made once per call."""

    @staticmethod
    def accepts(root: Element) -> bool: ...

    def __call__(self, leg: "IvrLeg") -> Dialect: ...


DIALECTS: Registry[DialectFactory] = Registry(
    "phone dialect", how_to_add="Add one with simsuite.channels.phone.DIALECTS.register(name, factory).")

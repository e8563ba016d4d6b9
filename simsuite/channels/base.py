"""What every channel is: made from a journey's narrow context, named, and able to release what it holds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Protocol

from ..core.registry import Registry

if TYPE_CHECKING:
    from ..core.context import ChannelContext


class Channel(Protocol):
    """What every channel adapter provides: a name and a way to release what it holds."""

    name: str

    def close(self) -> None: ...


ChannelFactory = Callable[["ChannelContext"], Channel]

CHANNELS: Registry[ChannelFactory] = Registry(
    "channel", how_to_add="Add one with @simsuite.register_channel(name) on a factory f(context) -> channel.")


def register_channel(name: str) -> Callable[[ChannelFactory], ChannelFactory]:
    """Decorator: register a factory `f(context) -> Channel` (a class works) under a channel name."""
    return CHANNELS.register(name)

"""Channel adapters and their registry: a user adds a channel without editing simsuite."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Protocol

from ..errors import ScriptError

if TYPE_CHECKING:
    from ..customer import Customer


class Channel(Protocol):
    """What every channel adapter provides: a name and a way to release what it holds."""

    name: str

    def close(self) -> None: ...


ChannelFactory = Callable[["Customer"], Channel]
_REGISTRY: dict[str, ChannelFactory] = {}


def register_channel(name: str) -> Callable[[ChannelFactory], ChannelFactory]:
    """Decorator: register a factory `f(customer) -> Channel` under a channel name."""

    def deco(factory: ChannelFactory) -> ChannelFactory:
        _REGISTRY[name] = factory
        return factory

    return deco


def make_channel(name: str, customer: "Customer") -> Channel:
    """Make the named channel for a customer."""
    _load_builtins()
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ScriptError(f"no channel named {name!r}; known channels: {sorted(_REGISTRY)}. "
                          "Register one with @simsuite.register_channel(name).") from None
    return factory(customer)


def registered_channels() -> list[str]:
    """Names of every registered channel."""
    _load_builtins()
    return sorted(_REGISTRY)


def _load_builtins() -> None:
    from . import chat, email, phone, web  # noqa: F401  (registers them)

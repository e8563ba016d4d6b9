"""One registry type for every extension point: channels, detectors, reporters and phone dialects.

A registry maps names to entries, in registration order. simsuite adds its built-in entries where
they are defined; a user's package adds its own, without editing simsuite, in either of two ways:

- call the registry's `register` (as a decorator or directly) in code the run imports, or
- declare an entry point in the `simsuite.plugins` group of its package metadata::

      [project.entry-points."simsuite.plugins"]
      acme = "acme_simsuite"            # a module: importing it runs its @register decorators
      acme-setup = "acme_simsuite:setup"  # or a callable, called once with no arguments

Plugins are loaded once, the first time any registry is asked what it holds.
"""

from __future__ import annotations

import importlib.metadata
import threading
from types import ModuleType
from typing import Any, Callable, Generic, Iterator, TypeVar, overload

from ..errors import SimsuiteError

PLUGIN_GROUP = "simsuite.plugins"

T = TypeVar("T")

_plugins_loaded = False
_plugins_lock = threading.RLock()


class RegistryError(SimsuiteError, KeyError):
    """A name that no registry entry has, or a plugin that failed to load."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def load_plugins(group: str = PLUGIN_GROUP) -> list[str]:
    """Load every installed plugin once (later calls do nothing); returns the entry points loaded."""
    global _plugins_loaded
    with _plugins_lock:
        if _plugins_loaded:
            return []
        _plugins_loaded = True
        loaded = []
        for point in sorted(importlib.metadata.entry_points(group=group), key=lambda p: p.name):
            try:
                obj = point.load()
                if callable(obj) and not isinstance(obj, ModuleType):
                    obj()
            except Exception as exc:  # a broken plugin must name itself, not crash with a traceback
                raise RegistryError(f"the simsuite plugin {point.name!r} ({point.value}) failed to load: "
                                    f"{exc.__class__.__name__}: {exc}. Fix: repair or uninstall that package")
            loaded.append(point.name)
        return loaded


def reset_plugins() -> None:
    """Forget that plugins were loaded, so the next query loads them again (for tests)."""
    global _plugins_loaded
    with _plugins_lock:
        _plugins_loaded = False


class Registry(Generic[T]):
    """Named entries of one kind (`kind` names it in messages, e.g. "detector")."""

    def __init__(self, kind: str, *, how_to_add: str = "") -> None:
        self.kind = kind
        self.how_to_add = how_to_add
        self._entries: dict[str, T] = {}

    @overload
    def register(self, name: str | None = None) -> Callable[[T], T]: ...

    @overload
    def register(self, name: str | None, entry: T) -> T: ...

    def register(self, name: str | None = None, entry: Any = None) -> Any:
        """Add an entry under `name` (default: the entry's own `name` attribute); a later one replaces it.

        `register("x", obj)` adds directly and returns `obj`; `@register("x")` or `@register()` decorates.
        """
        def add(item: T) -> T:
            key = name if name is not None else getattr(item, "name", None)
            if not isinstance(key, str) or not key.strip():
                raise TypeError(f"a {self.kind} needs a name: pass register(name) or give it a `name` attribute")
            self._entries[key] = item
            return item

        return add(entry) if entry is not None else add

    def unregister(self, name: str) -> None:
        """Remove an entry (no error if absent)."""
        self._entries.pop(name, None)

    def get(self, name: str) -> T:
        """The entry with this name; RegistryError lists the names there are."""
        load_plugins()
        try:
            return self._entries[name]
        except KeyError:
            known = ", ".join(self._entries) or "none"
            hint = f" {self.how_to_add}" if self.how_to_add else ""
            raise RegistryError(f"no {self.kind} named {name!r}; known: {known}.{hint}") from None

    def check(self, names: Any, source: str = "") -> None:
        """Raise RegistryError for the first name that is not registered."""
        for name in names:
            if name not in self:
                known = ", ".join(self.names())
                where = f"{source}: " if source else ""
                raise RegistryError(f"{where}unknown {self.kind} {name!r}. Fix: use one of {known}")

    def names(self) -> list[str]:
        """Every name, in registration order."""
        load_plugins()
        return list(self._entries)

    def items(self) -> list[tuple[str, T]]:
        """Every (name, entry), in registration order."""
        load_plugins()
        return list(self._entries.items())

    def __contains__(self, name: object) -> bool:
        load_plugins()
        return name in self._entries

    def __iter__(self) -> Iterator[T]:
        return iter([entry for _, entry in self.items()])

    def __len__(self) -> int:
        return len(self.items())

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, {list(self._entries)})"

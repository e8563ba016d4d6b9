"""The web channel: a real browser tab, controls found by the names a person reads, forms judged as sent."""

from .channel import WebChannel
from .find import clean as clean_name

__all__ = ["WebChannel", "clean_name"]

"""simsuite's version, in a module of its own so any part can read it without importing the package."""

__version__ = "0.2.0"

"""The chat channel (being written)."""

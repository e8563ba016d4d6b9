"""The email channel (being written)."""

"""Reports from a results document: the HTML page for a reader and the terminal summary."""

from .html import render_html
from .summary import format_summary

__all__ = ["render_html", "format_summary"]

"""Widgets shared by several screens."""

from tui.widgets.jobbar import JobBar

__all__ = ["JobBar"]

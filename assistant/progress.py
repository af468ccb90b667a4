"""The progress callback every long core job takes."""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[int, int, str], None]
"""Called as ``progress(done, total, item)`` each time a job settles an item."""

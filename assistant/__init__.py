"""Persona Assistant: the headless core.

Everything the CLI and the terminal app do is done here. This package never
imports Textual or the ``tui`` package (a test checks it).
"""

__version__ = "0.1.0"

"""The core stays headless: importing it never pulls in Textual or the UI."""

from __future__ import annotations

import subprocess
import sys

CHECK = (
    "import sys, importlib, pkgutil, assistant\n"
    "for m in pkgutil.walk_packages(assistant.__path__, 'assistant.'):\n"
    "    if '_bundled' in m.name or m.name.endswith('__main__'):\n"
    "        continue\n"
    "    importlib.import_module(m.name)\n"
    "bad = [m for m in ('textual', 'tui') if m in sys.modules]\n"
    "print(','.join(bad))\n"
)


def test_core_never_imports_textual() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "", f"assistant imported UI modules: {out.stdout}"

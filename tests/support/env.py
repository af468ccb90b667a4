"""The environment every test runs in: temp home folders, offline models, no
user settings, and network-blocked Python subprocesses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.settings import ENV_OVERRIDES, SECRET_ENV

SETTINGS_ENV = sorted({*ENV_OVERRIDES, *SECRET_ENV, "PERSONA_WORKSPACE"})
"""Every environment variable the settings and workspace discovery read."""

CLEARED_PREFIXES = ("PERSONA_", "OPENAI_", "CHROMA_")
"""Any variable with these prefixes is cleared too (the OpenAI SDK's and Chroma's own)."""

OPT_IN = {"PERSONA_LOCAL_LLM"}
"""Test switches kept from the caller's environment (tests/llm/test_local_llm.py)."""

PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
"""A proxy would route loopback test servers elsewhere."""

PINNED = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
}
"""Set for every test: no model hub, no Chroma telemetry."""

HOME_VARS = ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME")
"""Pointed at a per-test temp folder."""

NETBLOCK = Path(__file__).resolve().parent / "netblock"
"""Holds the sitecustomize.py that blocks non-loopback connects in subprocesses."""


def cleared_names(environ: dict[str, str] | os._Environ[str]) -> set[str]:
    """The variables of ``environ`` a test must not see."""
    found = {n for n in environ if n.startswith(CLEARED_PREFIXES) and n not in OPT_IN}
    return found | set(SETTINGS_ENV) | set(PROXIES)


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Temp home and XDG folders, pinned offline switches, no settings variables,
    and this package's network block first on PYTHONPATH for subprocesses."""
    folders = (home, home / ".config", home / ".cache", home / ".local" / "share")
    for name, folder in zip(HOME_VARS, folders, strict=True):
        monkeypatch.setenv(name, str(folder))
    for name, value in PINNED.items():
        monkeypatch.setenv(name, value)
    for name in cleared_names(os.environ):
        monkeypatch.delenv(name, raising=False)
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(NETBLOCK), path) if p))

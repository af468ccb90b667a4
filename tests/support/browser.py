"""A real headless Chromium, offline: the system package (`chromium-headless-shell`,
installed by .ci/run). Not finding it fails the test: the HTML report is only
tested when a browser has loaded it."""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

CANDIDATES = (
    "chromium-headless-shell",
    "chrome-headless-shell",
    "chromium",
    "chromium-browser",
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/lib/chromium/chrome-headless-shell",
)
OFFLINE = (
    "--headless",
    "--disable-gpu",
    "--no-sandbox",
    "--no-first-run",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--proxy-server=127.0.0.1:9",  # every request goes to a closed loopback port
    "--host-resolver-rules=MAP * ~NOTFOUND",  # and no name resolves
)


def chromium() -> str:
    """The headless Chromium binary (``PERSONA_TEST_CHROMIUM`` overrides); fails when absent."""
    override = os.environ.get("PERSONA_TEST_CHROMIUM")
    for name in ([override] if override else []) + list(CANDIDATES):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        "no headless Chromium found (looked for " + ", ".join(CANDIDATES) + "): install it "
        "with `apt-get install -y chromium-headless-shell` (.ci/run does this when it is absent)"
    )


def _run(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    cmd = [chromium(), *OFFLINE, f"--user-data-dir={profile}", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{cmd} failed ({proc.returncode}): {proc.stderr[-2000:]}"
    return proc


def dump_dom(url: str, profile: Path) -> str:
    """The DOM after the page has loaded, as Chromium serialises it."""
    return _run(["--dump-dom", url], profile).stdout


def screenshot(url: str, out: Path, width: int, height: int, profile: Path) -> bytes:
    """A PNG of the viewport (``width`` × ``height``) with the page at ``url``."""
    _run([f"--screenshot={out}", f"--window-size={width},{height}", url], profile)
    return out.read_bytes()


class Page(HTMLParser):
    """Ids, links, resource references and claim badges of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[tuple[str, str, str]] = []
        self.claims = 0
        self.badges = 0
        self.quotes = 0
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.add(tag)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        for name in ("src", "srcset", "xlink:href", "data", "poster", "action"):
            if name in a:
                self.resources.append((tag, name, a[name]))
        if tag == "link":
            self.resources.append((tag, "href", a.get("href", "")))
        cls = a.get("class", "").split()
        self.claims += "claim" in cls
        self.badges += "badge" in cls
        self.quotes += tag == "article" and "quote" in cls

"""The HTML report in a real headless Chromium, with the network off: it loads whole,
every footnote link lands on an element of the page, and a persona card renders."""

from __future__ import annotations

from pathlib import Path

from assistant.export import collect_export_data, write_export
from assistant.export.html.page import CARD_HEADER
from assistant.workspace import Workspace
from tests.support.browser import Page, dump_dom, screenshot
from tests.support.png import read_png


def _report(ws: Workspace, out: Path) -> Path:
    files = write_export(collect_export_data(ws), ["html"], out)
    assert [p.name for p in files] == ["report.html"]
    return files[0]


def test_network_is_off_in_the_browser(tmp_path: Path) -> None:
    """The harness itself: a page that asks for a remote image sees it fail."""
    page = tmp_path / "probe.html"
    page.write_text(
        '<html><body><img src="http://example.com/x.png" '
        "onerror=\"document.body.setAttribute('data-net','off')\" "
        "onload=\"document.body.setAttribute('data-net','on')\"></body></html>"
    )
    dom = dump_dom(page.as_uri(), tmp_path / "profile")
    assert 'data-net="off"' in dom


def test_report_loads_offline_and_every_link_resolves(
    generated_ws: Workspace, tmp_path: Path
) -> None:
    path = _report(generated_ws, tmp_path / "out")
    source = path.read_text(encoding="utf-8")
    dom = dump_dom(path.as_uri(), tmp_path / "profile")
    page = Page()
    page.feed(dom)
    # Loaded whole: the last element is there, and as many quotes as the export has.
    assert 'id="end"' in dom
    data = collect_export_data(generated_ws)
    assert page.quotes == len(data.evidence.quotes) > 100
    # Self-contained: nothing fetched from elsewhere, no scripts.
    assert page.resources == []
    assert "script" not in page.tags and "@import" not in source and "url(" not in source
    assert not [h for h in page.links if not h.startswith("#")]
    # Every footnote and link lands on an element of the page.
    missing = sorted({h for h in page.links if h[1:] not in page.ids})
    assert missing == []
    footnotes = [h for h in page.links if h.startswith("#e")]
    assert len(footnotes) > 100
    # Every claim is badged.
    claims = sum(len(i.claims()) for i in data.bundle.review_items if i.status != "rejected")
    assert page.claims == page.badges == claims


def test_persona_card_screenshot(generated_ws: Workspace, tmp_path: Path) -> None:
    path = _report(generated_ws, tmp_path / "out")
    dom = dump_dom(path.as_uri(), tmp_path / "profile")
    page = Page()
    page.feed(dom)
    solo = sorted(i for i in page.ids if i.startswith("only-persona-"))
    assert solo, "no persona card in the report"
    header = (int(CARD_HEADER[1:3], 16), int(CARD_HEADER[3:5], 16), int(CARD_HEADER[5:7], 16))
    png = screenshot(f"{path.as_uri()}#{solo[0]}", tmp_path / "card.png", 900, 1200, tmp_path / "p")
    image = read_png(png)
    assert (image.width, image.height) == (900, 1200)
    colours = image.colours()
    total = image.width * image.height
    assert len(colours) > 50  # text, badges, borders: not a blank page
    assert colours[(255, 255, 255)] < total * 0.95
    top = [p for row in image.rows[:120] for p in row]
    assert top.count(header) > 900 * 40  # the card's header band is at the top
    # Without the fragment the page starts with its title, not a card.
    whole = read_png(screenshot(path.as_uri(), tmp_path / "top.png", 900, 1200, tmp_path / "p"))
    assert [p for row in whole.rows[:120] for p in row].count(header) == 0

"""`persona export --format html`: escaping, badges, quotes in context, file modes and
a folder that holds files the export did not write."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.export import collect_export_data, render_html, write_export
from assistant.review import add_claim, list_items
from assistant.workspace import Workspace
from tests.support.browser import Page
from tests.support.cli import run_cli

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_text_is_escaped(items_ws: Workspace) -> None:
    persona = next(i for i in list_items(items_ws, "persona") if i.key == "persona:champion")
    add_claim(items_ws, persona.id, "notes", HOSTILE, new_field=True)
    page = render_html(collect_export_data(items_ws))["report.html"]
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in page


def test_every_claim_badged_with_the_markdown_statuses(items_ws: Workspace) -> None:
    page = render_html(collect_export_data(items_ws))["report.html"]
    assert 'class="badge badge-supported"' in page
    assert 'class="badge badge-assumption"' in page
    # The ICP summary, an assumption, is badged like every claim (HTML and Markdown).
    summary = page.split("Finance teams that outgrew spreadsheets.")[0].rsplit("<li", 1)[1]
    assert "badge-assumption" in summary and "ASSUMPTION" in summary


def test_icp_summary_is_badged_in_markdown(items_ws: Workspace, tmp_path: Path) -> None:
    write_export(collect_export_data(items_ws), ["md"], tmp_path / "out")
    icp = (tmp_path / "out" / "icp.md").read_text(encoding="utf-8")
    line = next(x for x in icp.splitlines() if "Finance teams that outgrew spreadsheets." in x)
    assert line.startswith("- ⚠️ **ASSUMPTION** (no verified evidence) — Finance teams")
    lead = icp.split("## Firmographics")[0]  # still the lead, before every section
    assert line in lead


def test_footnotes_open_the_quote_with_its_turns(items_ws: Workspace) -> None:
    data = collect_export_data(items_ws)
    page = render_html(data)["report.html"]
    cited = [q for q in data.evidence.quotes if f'href="#{q.anchor}"' in page]
    assert cited
    for ref in cited:
        article = page.split(f'id="{ref.anchor}"', 1)[1].split("</article>", 1)[0]
        if ref.start is None:
            continue
        turns = data.context[ref.number]
        assert len(turns) >= 2  # the quote's turn and a neighbour
        marked = [t for t in turns if t.mark is not None]
        assert len(marked) == 1
        lo, hi = marked[0].mark or (0, 0)
        assert marked[0].text[lo:hi] == ref.quote
        assert "<mark>" in article and "Cited by:" in article


def test_files_are_0644_unless_private(
    items_ws: Workspace, tmp_path: Path, umask_022: None
) -> None:
    data = collect_export_data(items_ws)
    shared = write_export(data, ["html", "md"], tmp_path / "shared")
    assert {_mode(p) for p in shared} == {0o644}
    private = write_export(data, ["html", "md"], tmp_path / "private", private=True)
    assert {_mode(p) for p in private} == {0o600}
    assert _mode(tmp_path / "private" / "personas") == 0o700


def test_private_setting_and_flag(items_ws: Workspace, tmp_path: Path, umask_022: None) -> None:
    config = items_ws.root / "persona.toml"
    text = config.read_text(encoding="utf-8")
    assert "\n[export]\n" in text  # the template of `persona init` has the section
    config.write_text(text.replace("\n[export]\n", "\n[export]\nprivate = true\n"))
    items_ws.close()
    ws = ["--workspace", str(items_ws.root)]
    res = run_cli(*ws, "export", "-f", "html", "--out", str(tmp_path / "a"))
    assert res.code == 0, res.stderr
    assert _mode(tmp_path / "a" / "report.html") == 0o600
    res = run_cli(*ws, "export", "-f", "html", "--no-private", "--out", str(tmp_path / "b"))
    assert res.code == 0, res.stderr
    assert _mode(tmp_path / "b" / "report.html") == 0o644


def test_foreign_files_are_kept_and_a_file_in_the_way_stops(
    items_ws: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "report.html").write_text("my own report")
    items_ws.close()
    ws = ["--workspace", str(items_ws.root)]
    res = run_cli(*ws, "export", "--format", "html,md", "--out", str(out))
    assert res.code == 2
    assert "already holds report.html, not written by an earlier export" in res.stderr
    assert "nothing was written" in res.stderr and "Traceback" not in res.stderr
    assert (out / "report.html").read_text() == "my own report"
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "report.html"]
    (out / "report.html").unlink()
    res = run_cli(*ws, "export", "--format", "html", "--out", str(out), "--json")
    assert res.code == 0, res.stderr
    assert res.json()["files"] == [str(out.resolve() / "report.html")]
    # Again: the report is ours now, so it is replaced; the user's file stays.
    res = run_cli(*ws, "export", "--format", "html", "--out", str(out))
    assert res.code == 0, res.stderr
    assert (out / "notes.txt").read_text() == "mine"
    assert "wrote 1 file (html)" in res.stderr


def test_report_without_drafts_says_what_to_run(extracted_ws: Workspace) -> None:
    page_text = render_html(collect_export_data(extracted_ws))["report.html"]
    for hint in ("persona personas", "persona messaging", "persona themes", "persona icp"):
        assert f"<code>{hint}</code>" in page_text
    page = Page()
    page.feed(page_text)
    assert sorted({h for h in page.links if h[1:] not in page.ids}) == []
    assert page.quotes > 100 and page.claims == 0


def test_redacted_report_keeps_its_markup(items_ws: Workspace, tmp_path: Path) -> None:
    from assistant.export.html.page import STYLE

    assert "Dana Whitfield" in render_html(collect_export_data(items_ws))["report.html"]
    items_ws.close()
    out = tmp_path / "out"
    res = run_cli(
        "--workspace", str(items_ws.root), "export", "-f", "html", "--redact", "-o", str(out)
    )
    assert res.code == 0, res.stderr
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "Dana Whitfield" not in text and "[PERSON_" in text
    assert STYLE in text
    page = Page()
    page.feed(text)
    assert sorted({h for h in page.links if h[1:] not in page.ids}) == []

"""Commands over the interview library: ingest, interviews, show, speakers, search, reindex."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from assistant.cli import filter_opts as F
from assistant.cli.root import (
    JsonOption,
    NoWaitOption,
    app,
    emit_json,
    info,
    open_workspace,
    state,
)
from assistant.errors import UsageError
from assistant.progress import ProgressFn
from assistant.wording import count

META = "Interview metadata (override the files' own, field by field)"
INGEST_STATUSES = ("ingested", "updated", "unchanged", "duplicate", "skipped", "failed")


@contextmanager
def _progress(enabled: bool, label: str) -> Iterator[ProgressFn | None]:
    """A rich progress bar on stderr when it is a terminal; None otherwise."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}", style="dim"),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def update(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total, description=Path(path).name)

        yield update


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or globs.")],
    json_out: JsonOption = False,
    format_name: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="NAME",
            help="Read every file as this format instead of detecting one (`persona formats`).",
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="Interview title.", rich_help_panel=META)
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="Interview date, YYYY-MM-DD.", rich_help_panel=META)
    ] = None,
    interviewer: Annotated[
        str | None,
        typer.Option(help="Speaker label of the interviewer.", rich_help_panel=META),
    ] = None,
    participant: Annotated[
        list[str] | None,
        typer.Option(
            help='"Name; Title; dmu_role" (repeatable; dmu_role: champion, economic_buyer, '
            "technical_buyer, end_user, other).",
            rich_help_panel=META,
        ),
    ] = None,
    company: Annotated[
        str | None, typer.Option(help="Account company.", rich_help_panel=META)
    ] = None,
    industry: Annotated[str | None, typer.Option(rich_help_panel=META)] = None,
    employees: Annotated[int | None, typer.Option(rich_help_panel=META)] = None,
    revenue: Annotated[str | None, typer.Option(help='e.g. "$40M".', rich_help_panel=META)] = None,
    region: Annotated[str | None, typer.Option(rich_help_panel=META)] = None,
    tech: Annotated[
        list[str] | None, typer.Option(help="A tool they use (repeatable).", rich_help_panel=META)
    ] = None,
    arr: Annotated[float | None, typer.Option(help="ARR in USD.", rich_help_panel=META)] = None,
    ltv: Annotated[float | None, typer.Option(help="LTV in USD.", rich_help_panel=META)] = None,
    tenure_months: Annotated[int | None, typer.Option(rich_help_panel=META)] = None,
    expanded: Annotated[
        bool | None, typer.Option("--expanded/--not-expanded", rich_help_panel=META)
    ] = None,
    referred: Annotated[
        bool | None, typer.Option("--referred/--not-referred", rich_help_panel=META)
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option(help="A tag (repeatable).", rich_help_panel=META)
    ] = None,
    no_wait: NoWaitOption = False,
) -> None:
    """Ingest interview files: parse, chunk, embed and index them.

    Each file's layout is found by its content (`persona formats`); each file's
    line says what it became: format, speakers, diarized or not, and warnings.
    Unchanged files are not re-read; changed files replace their old chunks; a
    file with the same content as another is a duplicate. In folders,
    README/LICENSE/CHANGELOG/SOURCES files and other file types are skipped.
    Metadata flags apply to every file given, win over the files' own
    metadata field by field, and are kept for later re-ingests.
    Exit 1 when any file failed (the others are still ingested).
    """
    from assistant.cli.meta_flags import meta_from_flags
    from assistant.library import ingest_paths

    meta = meta_from_flags(
        {
            "--title": title,
            "--date": date,
            "--interviewer": interviewer,
            "--participant": participant,
            "--company": company,
            "--industry": industry,
            "--employees": employees,
            "--revenue": revenue,
            "--region": region,
            "--tech": tech,
            "--arr": arr,
            "--ltv": ltv,
            "--tenure-months": tenure_months,
            "--expanded/--not-expanded": expanded,
            "--referred/--not-referred": referred,
            "--tag": tag,
        }
    )
    if format_name is not None:
        from assistant.ingest.registry import get

        get(format_name)  # an unknown name is a usage error before any file is read
    if no_wait:
        state.no_wait = True
    ws = open_workspace()
    with _progress(not json_out, "ingesting") as progress:
        results = ingest_paths(ws, paths, progress=progress, meta=meta, format=format_name)
    failed = [r for r in results if r.status == "failed"]
    if json_out:
        emit_json([r.to_json() for r in results])
    else:
        for r in results:
            info(r.report())
            for warning in r.warnings:
                info(f"  warning: {warning}")
        n = {s: sum(r.status == s for r in results) for s in INGEST_STATUSES}
        info(", ".join(f"{n[s]} {s}" for s in INGEST_STATUSES))
    if failed:
        raise typer.Exit(1)


@app.command("interviews")
def interviews_cmd(
    company: F.Company = None,
    industry: F.Industry = None,
    segment: F.Segment = None,
    role: F.Role = None,
    tag: F.Tag = None,
    json_out: JsonOption = False,
) -> None:
    """List the interviews in the workspace (all, or those the filters keep)."""
    from assistant.library import list_interviews
    from assistant.selection import select_interviews

    ws = open_workspace()
    items = list_interviews(ws)
    flt = F.make_filter(company, industry, segment, role, tag)
    if flt.active:
        keep = set(select_interviews(ws, flt))
        items = [i for i in items if i.id in keep]
        info(f"{count(len(items), 'interview')} matching {flt.describe()}")
    if json_out:
        emit_json([i.to_json() for i in items])
        return
    if not items:
        info("no interviews yet: run `persona ingest PATH`")
        return
    header = ("id", "title", "format", "turns", "speakers (role)")
    rows = []
    for i in items:
        who = ", ".join(f"{s.label} ({s.role})" for s in i.speakers)
        fmt = i.format if i.kind == "verbatim" else f"{i.format} ({i.kind})"
        rows.append((i.id, i.title, fmt, str(i.turns), who))
    if not sys.stdout.isatty():  # piped: plain tab-separated lines, nothing cut
        for row in (header, *rows):
            typer.echo("\t".join(" ".join(cell.split()) for cell in row))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*header)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


@app.command("show")
def show_cmd(
    interview_id: Annotated[str, typer.Argument(metavar="ID", help="Interview id or prefix.")],
    json_out: JsonOption = False,
) -> None:
    """Show one interview: account, summary, insights, company facts, buying process, turns."""
    from assistant.accounts import load_identity
    from assistant.extract.report import analysis_lines
    from assistant.extract.store import list_analyses, list_insights
    from assistant.library import get_interview

    ws = open_workspace()
    detail = get_interview(ws, interview_id)
    s = detail.summary
    account = load_identity(ws.conn).of(s.id)
    analyses = list_analyses(ws.conn, s.id)
    analysis = analyses[0] if analyses else None
    insights = list_insights(ws.conn, s.id)
    if json_out:
        data = detail.to_json()
        data["account"] = {"name": account.name, "key": account.key, "source": account.source}
        data["analysis"] = None if analysis is None else analysis.to_json()
        data["insights"] = [i.to_json() for i in insights]
        emit_json(data)
        return
    t = detail.transcript
    typer.echo(f"{s.id}: {s.title}")
    kind = "" if s.kind == "verbatim" else f", {s.kind}"
    typer.echo(f"source: {s.source} ({s.format}{kind})")
    for warning in s.warnings:
        typer.echo(f"warning: {warning}")
    typer.echo(f"account: {account.name} (from {account.source})")
    typer.echo(f"roles: {t.role_method} (confidence {t.role_confidence:.2f})")
    for line in analysis_lines(analysis, insights):
        typer.echo(line)
    typer.echo("\n## Transcript")
    for turn in t.turns:
        when = f" [{turn.start:.0f}s]" if turn.start is not None else ""
        typer.echo(f"\n#{turn.index} {turn.speaker} ({turn.role}){when}\n{turn.text}")


@app.command("speakers")
def speakers_cmd(
    interview_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="Interview id or prefix.")
    ] = None,
    interviewer: Annotated[
        list[str] | None,
        typer.Option("--interviewer", metavar="LABEL", help="An interviewer (repeatable)."),
    ] = None,
    participant: Annotated[
        list[str] | None,
        typer.Option("--participant", metavar="LABEL", help="A participant (repeatable)."),
    ] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            metavar="LABEL=ROLE",
            help="interviewer, participant, observer or unknown (repeatable).",
        ),
    ] = None,
    name: Annotated[
        list[str] | None,
        typer.Option(
            "--name",
            metavar="LABEL=NAME",
            help="The metadata participant a label is (repeatable).",
        ),
    ] = None,
    review: Annotated[
        bool, typer.Option("--review", help="List interviews whose attribution is unsure.")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Show an interview's speakers: role, confidence, method, turns and a sample line.

    --interviewer, --participant, --role and --name are applied together (all
    or nothing), kept across re-ingests, and re-check the interview's quotes.
    --review lists the interviews that need a speaker check.
    """
    from assistant.library.speaker_listing import needing_review, speakers_report
    from assistant.library.speakers import parse_name_flags, parse_role_flags, set_speakers

    ws = open_workspace()
    if review:
        if interview_id or interviewer or participant or role or name:
            raise UsageError("--review lists interviews: give no ID or role options with it")
        items = needing_review(ws)
        if json_out:
            emit_json([i.to_json() for i in items])
            return
        if not items:
            info("every interview's speakers are attributed with confidence")
        for i in items:
            unsure = ", ".join(i.unsure) or "-"
            typer.echo(
                f"{i.interview_id}: {i.title} — confidence {i.confidence:.2f} ({i.method}); "
                f"unsure: {unsure}"
            )
        if items:
            info(
                f"{count(len(items), 'interview')} need a speaker check: persona speakers ID --role ..."
            )
        return
    if interview_id is None:
        raise UsageError("give an interview ID, or --review to list those needing a check")
    roles = parse_role_flags(interviewer, participant, role)
    names = parse_name_flags(name)
    if roles or names:
        report = set_speakers(ws, interview_id, roles, names)
    else:
        report = speakers_report(ws, interview_id)
    if json_out:
        emit_json(report.to_json())
        return
    flag = "  (needs a speaker check)" if report.needs_check else ""
    typer.echo(
        f"{report.interview_id}: {report.title} — confidence {report.confidence:.2f} "
        f"({report.method}){flag}"
    )
    for sp in report.speakers:
        who = f" = {sp.shown_as}" if sp.participant else ""
        typer.echo(
            f"  {sp.label}{who}: {sp.role} ({sp.confidence:.2f}, {sp.method}, {count(sp.turns, 'turn')})"
        )
        typer.echo(f"      “{sp.sample}”")
    if roles or names:
        info(
            f"changed: {', '.join(report.changed) or 'nothing'}; "
            f"{report.evidence_changed} of {count(report.evidence_checked, 'quote')} changed status"
        )


@app.command("search")
def search_cmd(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("-k", min=1, help="Number of hits.")] = 10,
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="Speaker role (participant, interviewer, any) or a DMU role (champion, "
            "economic_buyer, technical_buyer, end_user, other: participants' words only).",
        ),
    ] = "any",
    interview: Annotated[
        str | None, typer.Option("--interview", metavar="ID", help="Only this interview.")
    ] = None,
    company: F.Company = None,
    industry: F.Industry = None,
    segment: F.Segment = None,
    tag: F.Tag = None,
    json_out: JsonOption = False,
) -> None:
    """Hybrid search (vectors + BM25 keywords) over interview chunks."""
    from assistant.search import search_filtered

    ws = open_workspace()
    found = search_filtered(
        ws,
        query,
        k=k,
        role=role,
        interview=interview,
        company=company,
        industry=industry,
        segment=segment,
        tag=tag,
    )
    for warning in found.warnings:
        info(f"warning: {warning}")
    if json_out:
        emit_json(
            [
                {**h.to_json(), "speaker_name": who}
                for h, who in zip(found.hits, found.speakers, strict=True)
            ]
        )
        return
    if found.selected is not None:
        info(f"searching {count(found.selected, 'interview')} matching {found.filters}")
    if not found.hits:
        info("no matches")
    for h, who in zip(found.hits, found.speakers, strict=True):
        typer.echo(f"{h.interview_id} #{h.turn} {who} ({h.role})  score {h.score:.4f}")
        typer.echo(f"  {h.text[:300]}{'…' if len(h.text) > 300 else ''}\n")


@app.command("reindex")
def reindex_cmd(json_out: JsonOption = False) -> None:
    """Re-embed every chunk with the configured embedding model."""
    from assistant.library import reindex

    ws = open_workspace()
    with _progress(not json_out, "embedding") as progress:
        n = reindex(ws, progress=progress)
    from assistant import db
    from assistant.embeddings import META_KEY

    model = db.get_meta(ws.conn, META_KEY)
    if json_out:
        emit_json({"chunks": n, "model": model})
    else:
        info(f"re-embedded {count(n, 'chunk')} with {model}")

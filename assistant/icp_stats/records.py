"""Account records from interview metadata and verified company facts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from assistant.accounts import (
    COMPANY_FACT_ATTRIBUTES,
    AccountIdentity,
    load_identity,
    load_metas,
    resolve_identity,
)
from assistant.facts import FactRow, verified_facts
from assistant.firmographics import (
    Quantity,
    QuantityError,
    parse_count,
    parse_money,
)
from assistant.icp_stats.models import AccountRecord
from assistant.models import InterviewMeta
from assistant.workspace import Workspace


def _quantity(
    rec: AccountRecord, what: str, value: int | str | None, parse: Callable[[Any], Quantity]
) -> Quantity | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse(value)
    except QuantityError as exc:
        rec.warnings.append(
            f"{rec.company}: {what} {value!r} is not read as a number ({exc}); no band"
        )
        return None


def accounts_from_meta(
    interviews: Iterable[tuple[str, InterviewMeta]],
    facts: Iterable[FactRow] = (),
    identity: AccountIdentity | None = None,
) -> list[AccountRecord]:
    """Group interviews into accounts by :mod:`assistant.accounts` (unknown: one each).

    Metadata fills firmographics first; verified facts fill an industry,
    region, head count or revenue the metadata lacks, and add tools.
    """
    interviews = list(interviews)
    facts = list(facts)
    if identity is None:
        stated: dict[str, list[str]] = {}
        for f in facts:
            if f.attribute.strip().casefold() in COMPANY_FACT_ATTRIBUTES:
                stated.setdefault(f.interview_id, []).append(f.value)
        identity = resolve_identity(interviews, stated)
    by_key: dict[str, AccountRecord] = {}
    owner: dict[str, AccountRecord] = {}
    for iid, meta in interviews:
        ref = identity.of(iid)
        rec = by_key.setdefault(
            ref.key, AccountRecord(company=ref.name, key=ref.key, interviews=[])
        )
        rec.interviews.append(iid)
        owner[iid] = rec
        segment = meta.segment or _tag_segment(meta.tags)
        if segment and rec.segment and segment.casefold() != rec.segment.casefold():
            rec.warnings.append(
                f"{rec.company}: interview {iid} puts the account in segment {segment!r}, "
                f"another interview in {rec.segment!r}; kept {rec.segment!r}"
            )
        rec.segment = rec.segment or segment
        acc = meta.account
        if acc is None:
            continue
        rec.industry = rec.industry or acc.industry
        if rec.employees is None:
            rec.employees = _quantity(rec, "employees", acc.employees, parse_count)
        if rec.revenue is None:
            rec.revenue = _quantity(rec, "revenue", acc.revenue, parse_money)
        rec.region = rec.region or acc.region
        _add_tools(rec, acc.tech_stack)
        rec.metrics = rec.metrics or acc.metrics
    for fact in facts:
        rec_or_none = owner.get(fact.interview_id)
        if rec_or_none is None:
            continue
        attr = fact.attribute.casefold()
        if fact.group == "tech_stack":
            _add_tools(rec_or_none, [fact.value])
        elif fact.group != "firmographic":
            continue
        elif attr in ("industry", "region") and getattr(rec_or_none, attr) is None:
            setattr(rec_or_none, attr, fact.value)
        elif attr in ("employees", "head count", "headcount") and rec_or_none.employees is None:
            rec_or_none.employees = _quantity(rec_or_none, "employees", fact.value, parse_count)
        elif attr in ("revenue", "annual revenue") and rec_or_none.revenue is None:
            rec_or_none.revenue = _quantity(rec_or_none, "revenue", fact.value, parse_money)
    return sorted(by_key.values(), key=lambda a: a.company.casefold())


def _tag_segment(tags: Iterable[str]) -> str | None:
    """The segment named by a ``segment:NAME`` (or ``segment=NAME``) tag."""
    for tag in tags:
        head, sep, rest = tag.partition(":") if ":" in tag else tag.partition("=")
        if sep and head.strip().casefold() == "segment" and rest.strip():
            return rest.strip()
    return None


def _add_tools(rec: AccountRecord, tools: Iterable[str]) -> None:
    have = {t.casefold() for t in rec.tech_stack}
    for tool in tools:
        if tool.strip() and tool.casefold() not in have:
            rec.tech_stack.append(tool.strip())
            have.add(tool.casefold())


def load_accounts(ws: Workspace) -> list[AccountRecord]:
    """The workspace's interviewed accounts, from metadata and extracted facts."""
    return accounts_from_meta(load_metas(ws.conn), verified_facts(ws.conn), load_identity(ws.conn))

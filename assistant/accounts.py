"""Account identity: which account (company) each interview belongs to, decided in one place.

:func:`load_identity` is the only way the CLI, the app, the prompts and the
exports learn an interview's account, so every count of accounts agrees.

Rule, per interview:

1. the metadata's ``account.company``, else a participant's ``company``;
2. else a company name the participant stated (an extracted company fact
   ``company`` / ``company name`` / ``organisation`` with a verified quote);
3. else the interview is an account of its own, ``(unknown: ID)``.

Names are compared by :func:`company_key`: Unicode-normalised, case-folded,
punctuation and legal suffixes (Inc, LLC, GmbH, ...) dropped, so "Acme, Inc."
and "ACME" are one account. The user merges accounts the rule keeps apart
with ``persona accounts merge A B`` (stored in ``account_merges``, migration 7).
Whatever the rule had to decide is reported, never hidden: an interview whose
metadata and own words name different companies, and an account spelled
several ways, each give a warning.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from assistant import db
from assistant.errors import UsageError
from assistant.facts import verified_facts
from assistant.models import EvidenceStatus, InterviewMeta
from assistant.text_identity import normalise
from assistant.workspace import Workspace

Source = Literal["metadata", "participant", "fact", "none"]
COMPANY_FACT_ATTRIBUTES = frozenset(
    {"company", "company name", "organisation", "organization", "employer", "account"}
)
_LEGAL = frozenset(
    {
        "inc",
        "incorporated",
        "llc",
        "ltd",
        "limited",
        "corp",
        "corporation",
        "co",
        "company",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "bv",
        "nv",
        "plc",
        "pty",
        "srl",
        "spa",
        "oy",
        "ab",
        "as",
    }
)


def company_key(name: str) -> str:
    """The identity of a company name: ``"Acme, Inc."`` and ``"ACME"`` give ``"acme"``."""
    words = normalise(unicodedata.normalize("NFKC", name).replace("&", " and ")).split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1] in _LEGAL:
        words = words[:-1]
    return " ".join(words)


@dataclass(frozen=True)
class AccountRef:
    """The account of one interview."""

    key: str
    name: str
    source: Source

    @property
    def known(self) -> bool:
        return self.source != "none"


@dataclass
class AccountIdentity:
    """Every interview's account, the spellings seen and what had to be decided."""

    by_interview: dict[str, AccountRef]
    spellings: dict[str, list[str]] = field(default_factory=dict)
    merges: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def of(self, interview_id: str) -> AccountRef:
        """The account of an interview (an unknown interview is its own account)."""
        ref = self.by_interview.get(interview_id)
        if ref is None:
            return AccountRef(f"interview:{interview_id}", f"(unknown: {interview_id})", "none")
        return ref

    def keys_of(self, interview_ids: Iterable[str]) -> set[str]:
        """The distinct accounts of some interviews: what every account count counts."""
        return {self.of(i).key for i in interview_ids}

    def names_of(self, interview_ids: Iterable[str]) -> list[str]:
        """Account names of some interviews, sorted, each once."""
        names = {self.of(i).key: self.of(i).name for i in interview_ids}
        return sorted(names.values(), key=str.casefold)

    def accounts(self) -> dict[str, list[str]]:
        """Account key -> its interview ids (sorted)."""
        out: dict[str, list[str]] = defaultdict(list)
        for iid in sorted(self.by_interview):
            out[self.by_interview[iid].key].append(iid)
        return dict(out)

    def find(self, name: str) -> str | None:
        """The key of the account called ``name`` (any spelling, merges followed), or None."""
        key = _follow(self.merges, company_key(name))
        known = {ref.key for ref in self.by_interview.values()}
        if key in known:
            return key
        for ref in self.by_interview.values():
            if ref.name.casefold() == name.strip().casefold() or ref.key == name.strip():
                return ref.key
        return None


def _follow(merges: Mapping[str, str], key: str) -> str:
    seen = {key}
    while key in merges:
        key = merges[key]
        if key in seen:  # a cycle cannot be stored, but never loop
            break
        seen.add(key)
    return key


def meta_company(meta: InterviewMeta) -> tuple[str | None, Source]:
    """The company the metadata names, and where it came from."""
    if meta.account is not None and meta.account.company and meta.account.company.strip():
        return meta.account.company.strip(), "metadata"
    for p in meta.participants:
        if p.company and p.company.strip():
            return p.company.strip(), "participant"
    return None, "none"


def resolve_identity(
    interviews: Iterable[tuple[str, InterviewMeta]],
    stated: Mapping[str, Iterable[str]] | None = None,
    merges: Mapping[str, str] | None = None,
) -> AccountIdentity:
    """Decide every interview's account (see the module docstring).

    ``stated``: interview id -> company names the participant stated (verified facts).
    ``merges``: account key -> the key it was merged into.
    """
    stated = stated or {}
    merges = dict(merges or {})
    chosen: dict[str, tuple[str, str, Source]] = {}
    own: dict[str, str] = {}
    warnings: list[str] = []
    for iid, meta in sorted(interviews, key=lambda x: x[0]):
        name, source = meta_company(meta)
        said = [s.strip() for s in stated.get(iid, []) if s.strip()]
        if name is None and said:
            name, source = said[0], "fact"
        if name is not None:
            for other in dict.fromkeys(said):
                if company_key(other) != company_key(name):
                    warnings.append(
                        f"interview {iid}: the {source} names {name!r} but the participant "
                        f"said {other!r}; counted as {name!r} (if they are one account: "
                        f"persona accounts merge {other!r} {name!r})"
                    )
        if name is None:
            chosen[iid] = (f"interview:{iid}", f"(unknown: {iid})", "none")
        else:
            own[iid] = company_key(name)
            chosen[iid] = (_follow(merges, own[iid]), name, source)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for key, name, source in chosen.values():
        if source != "none":
            spellings[key][name] += 1
    # The name shown: the metadata's spelling before the participant's, the account's
    # own spelling before those of accounts merged into it, then the most common.
    ranked: dict[str, Counter[tuple[int, str]]] = defaultdict(Counter)
    for iid, (key, name, source) in chosen.items():
        if source != "none":
            rank = (own.get(iid) != key) * 2 + (source == "fact")
            ranked[key][(rank, name)] += 1
    names = {
        key: sorted(c.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))[0][0][1]
        for key, c in ranked.items()
    }
    for key, c in sorted(spellings.items()):
        if len(c) > 1:
            listed = ", ".join(repr(s) for s in sorted(c))
            warnings.append(
                f"account {names[key]!r} is spelled {len(c)} ways across its interviews "
                f"({listed}); counted as one account"
            )
    by_interview = {
        iid: AccountRef(key, names.get(key, name), source)
        for iid, (key, name, source) in chosen.items()
    }
    return AccountIdentity(
        by_interview,
        {k: sorted(c) for k, c in spellings.items()},
        merges,
        warnings,
    )


# ---------------------------------------------------------------- database


def stated_companies(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Company names participants stated (company facts with a verified quote), by interview."""
    out: dict[str, list[str]] = defaultdict(list)
    for fact in verified_facts(conn):
        if fact.attribute.strip().casefold() in COMPANY_FACT_ATTRIBUTES:
            out[fact.interview_id].append(fact.value)
    return dict(out)


def load_merges(conn: sqlite3.Connection) -> dict[str, str]:
    """Account merges the user made: key -> key it was merged into."""
    return {r[0]: r[1] for r in conn.execute("SELECT alias_key, target_key FROM account_merges")}


def load_metas(conn: sqlite3.Connection) -> list[tuple[str, InterviewMeta]]:
    """Every interview's metadata, by id."""
    rows = conn.execute("SELECT id, meta_json FROM interviews ORDER BY id").fetchall()
    return [(r[0], InterviewMeta.model_validate(json.loads(r[1]))) for r in rows]


def load_identity(conn: sqlite3.Connection) -> AccountIdentity:
    """Every interview's account in this workspace (the one function all counts use)."""
    return resolve_identity(load_metas(conn), stated_companies(conn), load_merges(conn))


def merge_accounts(ws: Workspace, source: str, target: str) -> tuple[str, str]:
    """Count account ``source`` as part of account ``target``; return their keys.

    Both must be accounts of this workspace (any spelling). Merging an account
    into itself, or into one already merged into it, is refused.
    """
    identity = load_identity(ws.conn)
    src, dst = identity.find(source), identity.find(target)
    for given, key in ((source, src), (target, dst)):
        if key is None:
            raise UsageError(f"no account {given!r}: see `persona accounts`")
    assert src is not None and dst is not None
    if src == dst:
        raise UsageError(f"{source!r} and {target!r} are already one account")
    if src.startswith("interview:"):
        raise UsageError(
            f"{source!r} has no company name to merge by: give the interview a company "
            "(`persona ingest FILE --company NAME`)"
        )
    with db.transaction(ws.conn):
        ws.conn.execute(
            "INSERT INTO account_merges(alias_key, target_key, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT(alias_key) DO UPDATE SET target_key = excluded.target_key, "
            "created_at = excluded.created_at",
            (src, dst, db.now_iso()),
        )
        refresh_support(ws.conn)
    return src, dst


def unmerge_account(ws: Workspace, name: str) -> list[str]:
    """Undo every merge into or out of the account called ``name``; return the keys freed."""
    key = company_key(name)
    merges = load_merges(ws.conn)
    freed = [k for k, v in merges.items() if k == key or v == key]
    if not freed:
        raise UsageError(f"{name!r} is not part of any merge: see `persona accounts`")
    with db.transaction(ws.conn):
        ws.conn.executemany("DELETE FROM account_merges WHERE alias_key = ?", [(k,) for k in freed])
        refresh_support(ws.conn)
    return sorted(freed)


def refresh_support(conn: sqlite3.Connection) -> int:
    """Recount the accounts behind every stored claim (after a merge); return claims changed."""
    identity = load_identity(conn)
    changed = 0
    rows = conn.execute("SELECT id, evidence_json, support_accounts FROM review_claims").fetchall()
    for claim_id, evidence_json, old in rows:
        verified = {
            e["interview_id"]
            for e in json.loads(evidence_json)
            if e.get("status") == EvidenceStatus.verified and not e.get("described_by")
        }
        new = len(identity.keys_of(verified))
        if new != old:
            conn.execute(
                "UPDATE review_claims SET support_accounts = ? WHERE id = ?", (new, claim_id)
            )
            changed += 1
    return changed

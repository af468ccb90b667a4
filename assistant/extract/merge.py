"""Merge the checked analyses of a long interview's windows into one.

Insights of the same kind whose statements are embedding-similar (cosine at
or above the threshold) are merged: the first statement is kept and the
evidence of all of them is kept (de-duplicated by located span). Company
facts merge on equal group, attribute and value; buying-process lists on
equal text; single findings (trigger, timeline) keep the first one given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from assistant.embeddings import Embedder
from assistant.extract.checked import CheckedAnalysis, CheckedFact, CheckedInsight, Evidence

_INTENSITY = {None: 0, "low": 1, "medium": 2, "high": 3}


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


def _add_evidence(target: list[Evidence], extra: list[Evidence]) -> None:
    seen = {e.key() for e in target}
    for ev in extra:
        if ev.key() not in seen:
            seen.add(ev.key())
            target.append(ev)


def merge_insights(
    insights: list[CheckedInsight], embedder: Embedder, threshold: float
) -> list[CheckedInsight]:
    """De-duplicate insights: same kind and cosine(statement) >= ``threshold``."""
    if len(insights) < 2:
        return list(insights)
    vectors = embedder.embed([i.statement for i in insights])
    kept: list[tuple[CheckedInsight, Sequence[float]]] = []
    for insight, vec in zip(insights, vectors, strict=True):
        match = next(
            (
                k
                for k, kv in kept
                if k.kind == insight.kind
                and k.speaker == insight.speaker
                and _cosine(kv, vec) >= threshold
            ),
            None,
        )
        if match is None:
            clone = CheckedInsight(**{**vars(insight), "evidence": list(insight.evidence)})
            kept.append((clone, vec))
            continue
        _add_evidence(match.evidence, insight.evidence)
        if _INTENSITY[insight.intensity] > _INTENSITY[match.intensity]:
            match.intensity = insight.intensity
        match.metric = match.metric or insight.metric
        match.dmu_role = match.dmu_role or insight.dmu_role
    return [k for k, _ in kept]


def merge_facts(facts: list[CheckedFact]) -> list[CheckedFact]:
    """De-duplicate company facts with equal group, attribute and value."""
    out: dict[tuple[str, str, str], CheckedFact] = {}
    for f in facts:
        key = (f.group, f.attribute.strip().lower(), f.value.strip().lower())
        if key in out:
            _add_evidence(out[key].evidence, f.evidence)
        else:
            out[key] = CheckedFact(f.group, f.attribute, f.value, list(f.evidence))
    return list(out.values())


def _item_key(item: dict[str, Any]) -> str:
    return str(item.get("text") or item.get("name_or_title") or "").strip().lower()


def _merge_ev_json(target: list[dict[str, Any]], extra: list[dict[str, Any]]) -> None:
    def key(e: dict[str, Any]) -> tuple[Any, ...]:
        if e.get("start") is not None:
            return ("span", e["start"], e["end"])
        return ("text", str(e["quote"]).strip().lower())

    seen = {key(e) for e in target}
    for e in extra:
        if key(e) not in seen:
            seen.add(key(e))
            target.append(e)


def merge_buying_process(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Combine buying processes: first trigger/timeline, lists merged on equal text."""
    merged: dict[str, Any] = {}
    for bp in parts:
        for field, value in bp.items():
            if isinstance(value, list):
                items: list[dict[str, Any]] = merged.setdefault(field, [])
                for item in value:
                    same = next((m for m in items if _item_key(m) == _item_key(item)), None)
                    if same is None:
                        items.append({**item, "evidence": list(item.get("evidence", []))})
                    else:
                        _merge_ev_json(same["evidence"], item.get("evidence", []))
            elif merged.get(field) is None:
                merged[field] = value
    return merged


def merge_analyses(
    parts: list[CheckedAnalysis], embedder: Embedder, threshold: float
) -> CheckedAnalysis:
    """One analysis from the windows' analyses (in window order)."""
    if len(parts) == 1:
        return parts[0]
    insights = merge_insights([i for p in parts for i in p.insights], embedder, threshold)
    facts = merge_facts([f for p in parts for f in p.facts])
    bp = merge_buying_process([p.buying_process for p in parts])
    summary = " ".join(
        f"(Part {n} of {len(parts)}) {p.summary.strip()}" for n, p in enumerate(parts, 1)
    )
    return CheckedAnalysis(summary, insights, facts, bp, windows=len(parts))

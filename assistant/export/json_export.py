"""JSON export: one file, ``export.json``, that loads back with ``ExportBundle``.

Shape: ``{"format_version", "provenance", "interviews", "review_items",
"insights", "icp_statistics"}``; each part validates into its own model
(:class:`~assistant.review.ReviewItem`,
:class:`~assistant.extract.store.StoredInsight`,
:class:`~assistant.icp_stats.IcpStatistics`).
"""

from __future__ import annotations

import json

from assistant.export.data import ExportBundle, ExportData

JSON_FILE = "export.json"


def render_json(data: ExportData) -> dict[str, str]:
    """``{"export.json": text}`` (stable key order, two-space indent, UTF-8)."""
    payload = data.bundle.model_dump(mode="json")
    return {JSON_FILE: json.dumps(payload, indent=2, ensure_ascii=False) + "\n"}


def load_bundle(text: str) -> ExportBundle:
    """Read an ``export.json`` back into its models."""
    return ExportBundle.model_validate_json(text)

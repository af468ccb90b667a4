"""Stable hashing of JSON-serialisable data (fixture keys, incremental-step inputs)."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def stable_hash(data: Any) -> str:
    """Short stable hash of ``data``: canonical JSON (sorted keys), SHA-256, 16 hex digits."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]

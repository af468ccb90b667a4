"""Theme naming on the realistic set: authored names by theme id, and an id echoed in
another case (fixtures/realistic/drift/theme-id-case.json) is repaired, not dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.extract import extract_interviews
from assistant.generate import generate_themes
from tests.support.realistic import THEME_ID_DRIFT, THEME_NAMES, available, realistic_run

pytestmark = pytest.mark.skipif(
    not available(), reason="../shared/data/anthropic-interviewer is not present"
)


@pytest.mark.parametrize("drift", [None, "theme-id-case"])
def test_every_theme_gets_its_name(tmp_path: Path, drift: str | None) -> None:
    names = json.loads(THEME_NAMES.read_text(encoding="utf-8"))
    with realistic_run(tmp_path / "ws", drift) as run:
        assert all(o.status == "extracted" for o in extract_interviews(run.ws, run.settings))
        result = generate_themes(run.ws, run.settings)
    labels = {t.key: t.label for t in result.themes}
    assert labels == {key: n["label"] for key, n in names.items()}  # none "Unnamed"
    assert result.complete
    if drift is None:
        assert result.warnings == []
    else:
        (echoed,) = json.loads(THEME_ID_DRIFT.read_text(encoding="utf-8")).values()
        said = " ".join(str(w) for w in result.warnings)
        assert echoed in said, said  # the repair is reported, not silent

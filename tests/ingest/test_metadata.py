"""Front matter, sidecars, overrides and readable validation errors."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.errors import MetadataError
from assistant.ingest import parse_file
from assistant.models import DmuRole, InterviewMeta, Participant

DIALOGUE = "Sam: How do you close?\nDana: Slowly.\nSam: Why?\nDana: Manual work.\n"
FRONT = """---
title: Northwind CFO
date: 2024-03-14
interviewer: Sam
participants:
  - name: Dana
    title: CFO
    dmu_role: economic_buyer
account:
  company: Northwind
  employees: 420
  tech_stack: [NetSuite, Excel]
  metrics: {arr: 48000, tenure_months: 26, expanded: yes, referred: no}
tags: [finance]
---
"""


def test_front_matter(write):
    t = parse_file(write("nw.md", FRONT + DIALOGUE))
    assert t.title == "Northwind CFO"
    assert t.meta.date == date(2024, 3, 14)
    assert t.meta.participants[0].dmu_role is DmuRole.economic_buyer
    assert t.meta.account is not None and t.meta.account.metrics is not None
    assert t.meta.account.metrics.expanded is True
    assert t.role_method == "metadata"
    assert [x.speaker for x in t.turns] == ["Sam", "Dana", "Sam", "Dana"]
    assert "title" not in t.text


def test_sidecar_and_merge_order(write):
    path = write("acme.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Sam>Hi?</v>\n")
    write("acme.meta.yaml", "title: From sidecar\ntags: [a]\nparticipants: [Dana]\n")
    t = parse_file(path)
    assert t.title == "From sidecar"
    assert t.meta.participants == [Participant(name="Dana")]
    override = InterviewMeta(tags=["b"])
    t = parse_file(path, meta_override=override)
    assert t.meta.tags == ["b"]
    assert t.title == "From sidecar"


def test_sidecar_beats_front_matter(write):
    path = write("x.md", "---\ntitle: Front\ndate: 2024-01-02\n---\n" + DIALOGUE)
    write("x.meta.yml", "title: Side\n")
    t = parse_file(path)
    assert t.title == "Side"
    assert t.meta.date == date(2024, 1, 2)


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        (
            "participants:\n  - name: D\n    dmu_role: boss\n",
            "participants.0.dmu_role: expected one of champion, economic_buyer, "
            "technical_buyer, end_user, other",
        ),
        ("date: last week\n", "date: expected a date like 2024-03-14"),
        (
            "account: {employees: many}\n",
            "account.employees: expected a head count like 1400, 50-100 or about 2,000",
        ),
        ("account: {metrics: {arr: -5}}\n", "account.metrics.arr: expected a number >= 0"),
        ("account: {metrics: {expanded: maybe}}\n", "expanded: expected yes or no"),
        ("account: {sector: x}\n", "account.sector: unknown field (allowed: company,"),
        ("tags: finance\n", "tags: expected a list"),
        ("- just\n- a list\n", "expected a mapping of fields, got a list"),
        ("title: [unclosed\n", "metadata is not valid YAML at line"),
        ("kind: memo\n", "kind: expected one of notes, transcript"),
    ],
)
def test_sidecar_errors_name_file_field_and_form(write, yaml_text, expected):
    path = write("acme.txt", DIALOGUE)
    write("acme.meta.yaml", yaml_text)
    with pytest.raises(MetadataError) as err:
        parse_file(path)
    assert err.value.path.endswith("acme.meta.yaml")
    assert expected in err.value.reason
    assert "\n" not in str(err.value)


def test_front_matter_error_names_the_transcript(write):
    with pytest.raises(MetadataError) as err:
        parse_file(write("fm.md", "---\ndate: 2024-13-45\n---\n" + DIALOGUE))
    assert err.value.path.endswith("fm.md")
    assert "date: expected a date" in err.value.reason


def test_unclosed_front_matter_is_text(write):
    t = parse_file(write("open.md", "---\n" + DIALOGUE))
    assert [x.speaker for x in t.turns] == ["Sam", "Dana", "Sam", "Dana"]


def test_unknown_front_matter_keys_are_kept_with_a_warning(write):
    front = (
        "---\ntitle: Ep 12\nguest: Rae Lind\nyoutube_url: https://example.com/v\ntitel: x\n---\n"
    )
    t = parse_file(write("ep.md", front + DIALOGUE))
    assert t.meta.title == "Ep 12"
    assert t.meta.extra == {
        "guest": "Rae Lind",
        "youtube_url": "https://example.com/v",
        "titel": "x",
    }
    assert t.warnings == [
        "guest: not a field we know, kept as extra metadata",
        "youtube_url: not a field we know, kept as extra metadata",
        "titel: not a field we know, kept as extra metadata (did you mean 'title'?)",
    ]


def test_a_known_key_of_the_wrong_type_is_still_an_error(write):
    with pytest.raises(MetadataError, match="tags: expected a list"):
        parse_file(write("ep.md", "---\nguest: Rae\ntags: finance\n---\n" + DIALOGUE))

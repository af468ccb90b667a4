"""What the model must echo: the repair rule, field repair, salvage, and the id checks."""

from __future__ import annotations

from typing import Any

from assistant.ask import passage_check
from assistant.extract.summarize import interview_id_check
from assistant.llm.echo import Match, match_choice, repair_fields, salvage
from assistant.schemas import BatchSummary, InterviewAnalysis, QuestionAnswer
from tests.support.answers import analysis, insight, quote

IDS = ["theme:pain:acme-cfo:i1", "theme:pain:acme-cfo:i12", "theme:result:beta-ops:i3"]


def test_match_choice_repairs_only_the_unambiguous() -> None:
    assert match_choice("theme:pain:acme-cfo:i1", IDS) == Match("theme:pain:acme-cfo:i1", False)
    assert match_choice(" THEME:Pain:ACME-CFO:I1 ", IDS) == Match(IDS[0], True)  # case, spaces
    assert match_choice('"theme:result:beta-ops:i3"', IDS) == Match(IDS[2], True)  # quoted
    assert match_choice("theme:result:beta", IDS) == Match(IDS[2], True)  # a unique prefix
    assert match_choice("theme:pain:acme-cfo:i", IDS) is None  # a prefix of two
    assert match_choice("theme:pain:other:i1", IDS) is None
    assert match_choice("th", IDS) is None  # too short to name anything
    assert match_choice("Economic Buyer", ["economic_buyer", "end_user"]) == Match(
        "economic_buyer", True
    )


def _analysis(**changes: Any) -> dict[str, Any]:
    item = insight("Closing took nine days.", [quote("Our close took nine business days.", "Dana")])
    return analysis([{**item, "speaker": "Dana", **changes}], summary="Dana described the close.")


def test_repair_fields_fixes_names_and_enum_values_and_says_so() -> None:
    data = _analysis(kind="Pain", dmu_role="Economic Buyer")
    data["insights"][0]["Statement"] = data["insights"][0].pop("statement")
    fixed, notes = repair_fields(data, InterviewAnalysis)
    value = InterviewAnalysis.model_validate(fixed)
    assert value.insights[0].kind.value == "pain"
    assert value.insights[0].dmu_role is not None
    assert value.insights[0].dmu_role.value == "economic_buyer"
    assert notes == [
        'field "Statement" read as "statement" at insights[0]',
        '"Pain" read as "pain" at insights[0].kind',
        '"Economic Buyer" read as "economic_buyer" at insights[0].dmu_role',
    ]


def test_two_close_unknown_keys_are_not_guessed() -> None:
    data = _analysis()
    item = data["insights"][0]
    del item["statement"]
    item["statment"] = "a"
    item["statemnt"] = "b"
    fixed, notes = repair_fields(data, InterviewAnalysis)
    assert "statement" not in fixed["insights"][0] and notes == []


def test_salvage_keeps_what_is_valid() -> None:
    data = _analysis()
    data["insights"].append({**data["insights"][0], "statement": "No quotes.", "quotes": []})
    data["insights"][0]["colour"] = "blue"
    value, notes = salvage(data, InterviewAnalysis)
    assert isinstance(value, InterviewAnalysis)
    assert [i.statement for i in value.insights] == ["Closing took nine days."]
    assert notes == [
        'dropped insights[1] "No quotes." (quotes: Value error, give 1 to 3 quotes, got 0)',
        'ignored the unknown field "colour" in insights[0]',
    ]
    data["summary"] = ""  # required and invalid: nothing can be kept
    assert salvage(data, InterviewAnalysis)[0] is None


def test_summary_interview_ids_are_repaired_or_re_asked() -> None:
    summary = BatchSummary.model_validate(
        {
            "headline": "h",
            "top_pains": [
                {"label": "Slow close", "kind": "pain", "interviews": ["ACME-CFO", "zeta"],
                 "description": "d"}
            ],
            "top_results": [],
            "top_aha_moments": [],
            "notable_quotes": [
                {"interview_id": "beta-o", "quote": "q", "speaker": "S", "why": "w"}
            ],
            "role_differences": [],
            "open_questions": [],
            "markdown": "m",
        }
    )  # fmt: skip
    checked = interview_id_check(["acme-cfo", "beta-ops"])(summary)
    assert checked.value.top_pains[0].interviews == ["acme-cfo", "zeta"]
    assert checked.value.notable_quotes[0].interview_id == "beta-ops"
    assert checked.repairs == [
        'interview id "ACME-CFO" read as "acme-cfo"',
        'interview id "beta-o" read as "beta-ops"',
    ]
    assert checked.problems == ['interview ids not in this batch: "zeta"']
    assert '"acme-cfo", "beta-ops"' in checked.choices


def test_ask_citations_outside_the_passages_are_re_asked() -> None:
    answer = QuestionAnswer.model_validate(
        {
            "answer": "Slow [1], costly [7].",
            "citations": [{"passage": 1, "quote": "a"}, {"passage": 7, "quote": "b"}],
        }
    )
    checked = passage_check(5)(answer)
    assert checked.problems == ["cited passages that were not given: [7]"]
    assert checked.choices == "cite only passages [1] to [5]"
    assert passage_check(7)(answer).problems == []

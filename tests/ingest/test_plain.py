"""Plain text and Markdown transcripts with ``Name:`` labels."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.ingest import parse_file
from assistant.ingest.plain import is_speaker_label, parse_labelled
from assistant.models import InterviewMeta, Participant, SpeakerRole, normalize_turn_text
from tests.support.ingest import check_offsets

BASIC = """Interviewer: Thanks for joining. How do you close the books today?
Interviewee: Mostly spreadsheets.
We export from the ERP and reconcile by hand.
Interviewer: What breaks most often?
Interviewee: Intercompany eliminations. Note: that's the big one.
"""


def test_interviewer_interviewee_labels(write):
    t = parse_file(write("call.txt", BASIC))
    assert t.format == "labelled"
    assert t.verbatim is True
    assert [x.speaker for x in t.turns] == ["Interviewer", "Interviewee"] * 2
    assert t.turns[1].text == "Mostly spreadsheets. We export from the ERP and reconcile by hand."
    assert t.turns[3].text.endswith("Note: that's the big one.")
    assert t.speakers() == [
        ("Interviewer", SpeakerRole.interviewer, 2),
        ("Interviewee", SpeakerRole.participant, 2),
    ]
    assert t.role_method == "label"
    assert t.title == "call"
    check_offsets(t)


def test_q_a_labels(write):
    t = parse_file(write("qa.txt", "Q: Which tools?\nA: NetSuite.\nQ: Why?\nA: Cost.\n"))
    roles = {x.speaker: x.role for x in t.turns}
    assert roles == {"Q": SpeakerRole.interviewer, "A": SpeakerRole.participant}


def test_markdown_preamble_and_ai_user_labels(write):
    text = (
        "# Dialog 00001\n\n**Transcript ID:** creativity_0009\n\n---\n\n"
        "Assistant: Hi there! Shall we begin?\n\nUser: sounds great\n\n"
        "AI: Wonderful.\n\nCould you tell me about your work?\n\n"
        "User: I illustrate books.\n\nFrustrated: it kept failing.\n\n---\n\nAI: Thanks!\n"
    )
    t = parse_file(write("00001.md", text))
    assert t.format == "labelled"
    assert t.title == "Dialog 00001"
    assert [x.speaker for x in t.turns] == ["Assistant", "User", "AI", "User", "AI"]
    assert t.turns[2].text == "Wonderful. Could you tell me about your work?"
    # A one-off "Frustrated:" inside an answer is prose, not a speaker.
    assert t.turns[3].text == "I illustrate books. Frustrated: it kept failing."
    assert "Transcript ID" not in t.text
    assert {x.speaker: x.role for x in t.turns} == {
        "Assistant": SpeakerRole.interviewer,
        "User": SpeakerRole.participant,
        "AI": SpeakerRole.interviewer,
    }
    check_offsets(t)


def test_bold_labels_both_styles(write):
    text = (
        "**Interviewer:** How many entities?\n\n**Dana Whitfield**: Fourteen.\n\n"
        "**Interviewer:** Across regions?\n\n**Dana Whitfield**: Three regions.\n"
    )
    t = parse_file(write("bold.md", text))
    assert [x.speaker for x in t.turns] == ["Interviewer", "Dana Whitfield"] * 2
    assert t.turns[1].text == "Fourteen."
    assert t.turns[1].role is SpeakerRole.participant


def test_numbered_labels_and_names_with_spaces(write):
    text = (
        "Interviewer 1: Hi both.\nDana Whitfield: Hi.\nInterviewer 2: Who approves spend?\n"
        "Dana Whitfield: Our CFO, Marcus.\nMarcus Lee: That's me.\nInterviewer 1: Great?\n"
    )
    t = parse_file(write("three.txt", text))
    roles = {s: r for s, r, _ in t.speakers()}
    assert roles == {
        "Interviewer 1": SpeakerRole.interviewer,
        "Dana Whitfield": SpeakerRole.participant,
        "Interviewer 2": SpeakerRole.interviewer,
        "Marcus Lee": SpeakerRole.participant,
    }


def test_urls_and_mid_sentence_colons_are_not_labels(write):
    text = (
        "Sam: See https: //example.com and also\nhttps://example.com/docs for details.\n"
        "Dana: The ratio was 3:1, roughly. Note: not audited.\nSam: OK?\nDana: Yes.\n"
    )
    t = parse_file(write("urls.txt", text))
    assert [x.speaker for x in t.turns] == ["Sam", "Dana", "Sam", "Dana"]
    assert "https://example.com/docs" in t.turns[0].text


def test_timestamped_labels(write):
    t = parse_file(write("ts.txt", "[00:01:05] Sam: Hi?\n[00:01:09] Dana: Hello.\n"))
    assert [x.start for x in t.turns] == [65.0, 69.0]


def test_preamble_prose_is_kept_as_notes(write):
    t = parse_file(write("pre.txt", "Recorded on site.\n\nSam: Hi?\nDana: Hi.\n"))
    assert t.turns[0].speaker == "Notes"
    assert t.turns[0].role is SpeakerRole.unknown
    assert t.turns[0].text == "Recorded on site."


def test_label_shape_rules():
    assert is_speaker_label("Dana Whitfield")
    assert is_speaker_label("interviewer")
    assert is_speaker_label("Jean-Luc van der Berg")
    assert not is_speaker_label("For example")
    assert not is_speaker_label("Note")
    assert not is_speaker_label("One Two Three Four Five")
    assert not is_speaker_label("frustrated")


def test_key_value_notes_are_not_a_dialogue():
    lines = ["Budget: 50k", "Timeline: Q3", "Decision Maker: Sarah"]
    assert parse_labelled(lines, markdown=False) is None
    assert parse_labelled(["Dana: hi"], markdown=False) is None


def test_label_on_its_own_line(write):
    text = "**Interviewer:**\nHow do you pay vendors?\n\n**Dana:**\nBy check.\n\n**Interviewer:**\nWhy?\n"
    t = parse_file(write("own.md", text))
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("Interviewer", "How do you pay vendors?"),
        ("Dana", "By check."),
        ("Interviewer", "Why?"),
    ]


def test_one_off_heading_label_without_text_is_prose(write):
    text = (
        "AI: What did you do?\nUser: Several things.\nInitial Steps:\nWe wrote scripts.\n"
        "AI: Then?\nUser: We shipped.\n"
    )
    t = parse_file(write("steps.txt", text))
    assert [x.speaker for x in t.turns] == ["AI", "User", "AI", "User"]
    assert t.turns[1].text == "Several things. Initial Steps: We wrote scripts."


def test_metadata_name_may_speak_once(write):
    text = "Sam: Hi?\nDana: Hi.\nSam: Why?\nDana: Cost.\nLee: Also speed.\n"
    path = write("once.txt", text)
    assert "Lee" not in {x.speaker for x in parse_file(path).turns}
    t = parse_file(path, meta_override=InterviewMeta(participants=[Participant(name="Lee")]))
    assert [x.speaker for x in t.turns][-1] == "Lee"


_LABELS = {"Interviewer": "Interviewer", "Dana Whitfield": "Dana Whitfield", "**Q:**": "Q"}
_LABELS |= {"Speaker 2": "Speaker 2", "User": "User"}
_body = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Cn", "Co", "Zl", "Zp"), blacklist_characters=":"
    ),
    min_size=1,
    max_size=40,
).filter(
    lambda s: (
        normalize_turn_text(s) and not s.lstrip().startswith(("#", "---", "***", "___", "==="))
    )
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(_LABELS)), _body), min_size=2, max_size=12))
def test_any_labelled_text_keeps_speakers_and_offsets(tmp_path_factory, turns):
    lines = [f"{label if label.startswith('**') else label + ':'} {body}" for label, body in turns]
    path = tmp_path_factory.mktemp("h") / "h.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    t = parse_file(path)
    check_offsets(t)
    speakers = [_LABELS[label] for label, _ in turns]
    if len(speakers) > 2 and len(set(speakers)) == len(speakers):
        assert t.format == "notes"
    else:
        assert [x.speaker for x in t.turns] == speakers
        assert [x.text for x in t.turns] == [normalize_turn_text(b) for _, b in turns]


def test_time_after_the_label_is_the_turn_start(write):
    text = "Speaker 1: [00:00:04] Hello?\nSpeaker 2: [00:00:09] Hi.\nSpeaker 1: (1:02:03) Why?\n"
    t = parse_file(write("rev-old.txt", text))
    assert [(x.speaker, x.start, x.text) for x in t.turns] == [
        ("Speaker 1", 4.0, "Hello?"),
        ("Speaker 2", 9.0, "Hi."),
        ("Speaker 1", 3723.0, "Why?"),
    ]


def test_markdown_entities_and_emphasis_are_removed(write):
    text = "**Ana:** Is it *really* that slow?\n**Bo:** Yes &amp; it costs us.\n" * 2
    t = parse_file(write("x.md", text))
    assert [x.text for x in t.turns][:2] == ["Is it really that slow?", "Yes & it costs us."]


def test_metadata_block_at_the_top_is_not_turns_even_for_a_speaking_label(write):
    text = (
        "# Interview 5\n\nInterviewer: Sarah Kim\nInterviewee: Jack (26, student)\nDate: 3 March 2025\n\n"
        "Interviewer: So tell me about your week.\nJack: Busy.\nInterviewer: Why?\nJack: Exams.\n"
    )
    t = parse_file(write("header.md", text))
    assert [x.speaker for x in t.turns] == ["Interviewer", "Jack"] * 2
    assert t.turns[0].text == "So tell me about your week."
    assert any("Interviewee: Jack (26, student)" in w for w in t.warnings)


def test_notes_labels_after_the_dialogue_are_not_speakers(write):
    text = (
        "Interviewer: Why did you buy?\nJack: Cost.\nInterviewer: Anything else?\nJack: Speed.\n"
        "Interview Notes: keen on a pilot.\nKey Takeaways: price matters.\n"
    )
    t = parse_file(write("notes.txt", text))
    assert [x.speaker for x in t.turns] == ["Interviewer", "Jack", "Interviewer", "Jack", "Notes"]
    assert t.turns[3].text == "Speed."
    assert t.turns[-1].role is SpeakerRole.unknown

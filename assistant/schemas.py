"""Pydantic models the LLM fills: one place for every LLM output schema.

The models are written for OpenAI *strict* structured outputs, which most
local servers (vLLM, llama.cpp, Ollama) also accept:

- every field is required; "optional" means nullable (``X | None`` with no
  default), and no field has a default value;
- every object forbids extra keys (``additionalProperties: false``);
- kinds are enums, each with an ``other`` value;
- no free-form ``dict`` fields.

Length limits (1–3 evidence quotes) are *not* put in the JSON schema:
``minItems``/``maxItems`` are recent additions to strict mode and are rejected
or ignored by older OpenAI-compatible servers. The limit is stated in the
field description (the model reads it) and enforced by a validator, so a
violation becomes a validation error that the retry loop feeds back.

Send :func:`assistant.llm.schemas.strict_json_schema` (not
``model_json_schema``); :func:`assistant.llm.schemas.strict_schema_problems`
lists anything strict mode would refuse.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

from assistant.llm.schemas import StrictModel
from assistant.models import DmuRole

MAX_QUOTES = 3

# ---------------------------------------------------------------- enums


class InsightKind(StrEnum):
    """What an insight is about."""

    pain = "pain"
    aha_moment = "aha_moment"
    result = "result"
    trigger = "trigger"
    objection = "objection"
    alternative = "alternative"
    goal = "goal"
    requirement = "requirement"
    channel = "channel"
    other = "other"


class Intensity(StrEnum):
    """How strongly the speaker expressed it."""

    low = "low"
    medium = "medium"
    high = "high"


class FactGroup(StrEnum):
    """Which part of the ideal customer profile a company fact belongs to."""

    firmographic = "firmographic"
    tech_stack = "tech_stack"
    other = "other"


# ---------------------------------------------------------------- validators


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _quote_count(minimum: int) -> Any:
    def check(quotes: list[QuoteRef]) -> list[QuoteRef]:
        if not minimum <= len(quotes) <= MAX_QUOTES:
            raise ValueError(
                f"give {minimum} to {MAX_QUOTES} quotes, got {len(quotes)}"
                + (" (pick the strongest)" if len(quotes) > MAX_QUOTES else "")
            )
        return quotes

    return AfterValidator(check)


NonBlank = Annotated[str, AfterValidator(_nonblank)]

# ---------------------------------------------------------------- models


class QuoteRef(StrictModel):
    """A verbatim quote offered as evidence; checked later against the transcript."""

    quote: NonBlank = Field(
        description='Exact words from one place in one turn; no paraphrase or joining; "..." '
        "marks an omission."
    )
    speaker: NonBlank = Field(description="Speaker label as written before the colon.")


EvidenceQuotes = Annotated[list[QuoteRef], _quote_count(1)]
OptionalQuotes = Annotated[list[QuoteRef], _quote_count(0)]


class Metric(StrictModel):
    """A quantified result as stated; null for any part not said."""

    before: str | None = Field(description='Value before, as said (e.g. "3 days"), or null.')
    after: str | None = Field(description="Value after, as said, or null.")
    unit: str | None = Field(description='Unit (e.g. "hours per close"), or null.')
    period: str | None = Field(description="Time frame of the change, or null.")


class Finding(StrictModel):
    """One pain, aha moment, result or other finding, with its evidence (no buying role)."""

    kind: InsightKind = Field(description="Kind of finding; other if none fits.")
    statement: NonBlank = Field(description="One neutral sentence, adding nothing not said.")
    intensity: Intensity | None = Field(description="How strongly said; null if no sign.")
    metric: Metric | None = Field(description="Numbers stated for a result; else null.")
    speaker: NonBlank = Field(description="Label of the speaker who said it.")
    quotes: EvidenceQuotes = Field(
        description=f"1 to {MAX_QUOTES} quotes by that speaker supporting it."
    )


class ExtractedInsight(Finding):
    """One finding of a B2B interview, with the speaker's role in the buying decision."""

    dmu_role: DmuRole | None = Field(
        description="The speaker's role in the buying decision; null if unclear."
    )


class CompanyFact(StrictModel):
    """A fact the participant stated about their company."""

    group: FactGroup = Field(
        description="firmographic (industry, size, region...), tech_stack (a tool in use) or other."
    )
    attribute: NonBlank = Field(description='E.g. "industry", "employees", "tool".')
    value: NonBlank = Field(description='As stated, e.g. "dental clinics", "NetSuite".')
    quotes: EvidenceQuotes = Field(description=f"1 to {MAX_QUOTES} quotes stating it.")


class EvidencedText(StrictModel):
    """A short finding about the buying process, with its evidence."""

    text: NonBlank = Field(description="A short neutral phrase.")
    quotes: EvidenceQuotes = Field(description=f"1 to {MAX_QUOTES} quotes supporting it.")


class Person(StrictModel):
    """A person or role named as part of a decision."""

    name_or_title: NonBlank = Field(description='As mentioned, e.g. "our CFO".')
    notes: str | None = Field(description="What they did or cared about; null if not said.")
    quotes: OptionalQuotes = Field(description=f"0 to {MAX_QUOTES} quotes mentioning them.")


class Stakeholder(Person):
    """A person or role named as part of the purchase (the decision-making unit)."""

    dmu_role: DmuRole | None = Field(description="Their role in the decision; null if not shown.")


class _Process(StrictModel):
    """What the two process shapes share."""

    trigger: EvidencedText | None = Field(description="What started the search; null if not said.")
    alternatives_considered: list[EvidencedText] = Field(
        description="Options weighed: products, in-house builds, the status quo."
    )
    evaluation_criteria: list[EvidencedText] = Field(description="What options were judged on.")
    timeline: EvidencedText | None = Field(
        description="How long it took or when; null if not said."
    )
    budget_signals: list[EvidencedText] = Field(description="Budget, price or who paid.")


class DecisionProcess(_Process):
    """How they decided: trigger, options, criteria, time, money and people (no buying roles)."""

    people: list[Person] = Field(description="People named as involved in the decision.")


class BuyingProcess(_Process):
    """How the company bought: trigger, options, criteria, time, money and people."""

    stakeholders: list[Stakeholder] = Field(description="People and roles in the decision.")


class InterviewAnalysis(StrictModel):
    """Everything extracted from one interview (or one window of a long one)."""

    summary: NonBlank = Field(description="Three to five neutral sentences.")
    insights: list[ExtractedInsight] = Field(description="Findings, each with its quotes.")
    company_facts: list[CompanyFact] = Field(
        description="Firmographic and tech-stack facts stated; empty if none."
    )
    buying_process: BuyingProcess = Field(description="How the purchase happened.")


class StudyInterviewAnalysis(StrictModel):
    """Everything extracted from one consumer or internal interview (or one window of one)."""

    summary: NonBlank = Field(description="Three to five neutral sentences.")
    insights: list[Finding] = Field(description="Findings, each with its quotes.")
    decision: DecisionProcess = Field(description="How they came to choose or use it.")

    def to_analysis(self) -> InterviewAnalysis:
        """The stored shape: no buying roles, no company facts."""
        d = self.decision
        return InterviewAnalysis(
            summary=self.summary,
            insights=[ExtractedInsight(**i.model_dump(), dmu_role=None) for i in self.insights],
            company_facts=[],
            buying_process=BuyingProcess(
                **d.model_dump(exclude={"people"}),
                stakeholders=[Stakeholder(**p.model_dump(), dmu_role=None) for p in d.people],
            ),
        )


def extraction_model(audience: str) -> type[InterviewAnalysis] | type[StudyInterviewAnalysis]:
    """The extraction schema of a study: buying roles and company facts for b2b only."""
    return InterviewAnalysis if audience == "b2b" else StudyInterviewAnalysis


EXTRACTION_MODELS: tuple[type[BaseModel], ...] = (
    QuoteRef,
    Metric,
    Finding,
    ExtractedInsight,
    CompanyFact,
    EvidencedText,
    Person,
    Stakeholder,
    DecisionProcess,
    BuyingProcess,
    InterviewAnalysis,
    StudyInterviewAnalysis,
)

# ---------------------------------------------------------------- batch summary (map-reduce)


class SummaryTheme(StrictModel):
    """A finding shared across interviews, with the interviews that support it."""

    label: NonBlank = Field(description='A short name for the theme, e.g. "Slow month-end close".')
    kind: InsightKind = Field(description="What kind of finding the theme is; other if none fits.")
    interviews: list[NonBlank] = Field(
        description="Ids of the interviews that mention it, each once; their count is the support."
    )
    description: NonBlank = Field(
        description="One or two neutral sentences on what those interviews said, without adding "
        "anything not said."
    )


class NotableQuote(StrictModel):
    """A participant quote worth reading in full; checked later against its transcript."""

    interview_id: NonBlank = Field(description="Id of the interview the quote comes from.")
    quote: NonBlank = Field(
        description="The participant's exact words, copied character for character from one "
        "place in that transcript; never the interviewer's words, never joined or paraphrased."
    )
    speaker: NonBlank = Field(
        description="The speaker label exactly as it appears in that transcript."
    )
    why: NonBlank = Field(description="Why the quote matters, in one short sentence.")


class RoleDifference(StrictModel):
    """How one decision-making-unit role saw things differently from the others."""

    dmu_role: DmuRole = Field(description="The role in the buying decision this is about.")
    difference: NonBlank = Field(
        description="What people in this role cared about or said that the other roles did not."
    )
    interviews: list[NonBlank] = Field(
        description="Ids of the interviews with a participant in this role that support it."
    )


class BatchSummary(StrictModel):
    """The reduce step: one summary of a set of interviews, each claim counted."""

    headline: NonBlank = Field(
        description="One sentence: the most important finding across the interviews."
    )
    top_pains: list[SummaryTheme] = Field(
        description="The most widely supported pains, most interviews first; empty if none."
    )
    top_results: list[SummaryTheme] = Field(
        description="The most widely supported results, with numbers in the description where "
        "said; empty if none."
    )
    top_aha_moments: list[SummaryTheme] = Field(
        description="Moments when the value clicked, grouped by theme; empty if none."
    )
    notable_quotes: list[NotableQuote] = Field(
        description="A few verbatim participant quotes worth reading; empty if none."
    )
    role_differences: list[RoleDifference] = Field(
        description="How champions, economic buyers, technical buyers, end users and others "
        "differed; empty if the interviews do not show it."
    )
    open_questions: list[NonBlank] = Field(
        description="Questions the interviews raise but do not answer, including claims that "
        "rest on only one or two interviews; empty if none."
    )
    markdown: NonBlank = Field(
        description="The whole summary written as Markdown for people to read, consistent with "
        "the fields above."
    )


BATCH_SUMMARY_MODELS: tuple[type[BaseModel], ...] = (
    SummaryTheme,
    NotableQuote,
    RoleDifference,
    BatchSummary,
)


# ---------------------------------------------------------------- themes, personas, ICP, messaging


class ThemeName(StrictModel):
    """A name and description for one cluster of insights."""

    theme_id: NonBlank = Field(description="The id of the cluster exactly as given.")
    label: NonBlank = Field(
        description='A short name for the theme in plain words, e.g. "Slow month-end close".'
    )
    description: NonBlank = Field(
        description="One or two neutral sentences on what the members say, adding nothing "
        "that is not in them."
    )


class ThemeNames(StrictModel):
    """Names and descriptions for a batch of clusters, one per cluster given."""

    themes: list[ThemeName] = Field(description="One entry per cluster given, in the same order.")


class CitedClaim(StrictModel):
    """One claim of a draft and the evidence ids it rests on."""

    text: NonBlank = Field(description="The claim in one short sentence or phrase.")
    evidence_ids: list[NonBlank] = Field(
        description="Ids of the insights (or company facts) given that support the claim, "
        "copied exactly; empty when nothing given supports it (it is then an assumption)."
    )


class PersonaDraft(StrictModel):
    """A buyer persona for one decision-making-unit role, every claim citing insights."""

    name: NonBlank = Field(
        description='An alliterative label of title and first name, e.g. "Controller Carla".'
    )
    titles_and_seniority: list[CitedClaim] = Field(description="Typical job titles and seniority.")
    goals: list[CitedClaim] = Field(description="What they want to achieve.")
    challenges: list[CitedClaim] = Field(description="The pains and struggles they face.")
    motivations: list[CitedClaim] = Field(description="Why they act: what moved them to buy.")
    objections: list[CitedClaim] = Field(description="Concerns and risks they raised.")
    buying_behaviour: list[CitedClaim] = Field(
        description="How they research, evaluate and decide; who they involve."
    )
    channels: list[CitedClaim] = Field(description="Where they learn about tools and vendors.")
    success_metrics: list[CitedClaim] = Field(
        description="How they measure success, with the numbers they gave."
    )
    quote_insight_ids: list[NonBlank] = Field(
        description="Ids of 2 to 4 insights whose verified quotes best show their own words."
    )


class IcpAttribute(StrEnum):
    """ICP attributes the statistics know (see assistant.icp_stats.ATTRIBUTES)."""

    industry = "industry"
    employee_band = "employee_band"
    revenue_band = "revenue_band"
    region = "region"
    tech_stack = "tech_stack"


class FitCriterion(StrictModel):
    """One firmographic or tech-stack criterion of the ICP, as allowed values."""

    attribute: IcpAttribute = Field(description="The attribute the criterion is about.")
    values: list[NonBlank] = Field(
        description="Allowed values, written exactly as in the statistics tables."
    )


class IcpDraft(StrictModel):
    """The ideal customer profile: four groups, disqualifiers and segment neighbourhoods."""

    summary: NonBlank = Field(description="One or two sentences: the ICP in plain words.")
    firmographics: list[CitedClaim] = Field(
        description="Industry, size, region, budget and business type of the best accounts."
    )
    challenges_and_goals: list[CitedClaim] = Field(description="Pains and business objectives.")
    tech_stack: list[CitedClaim] = Field(description="Tools and environment the product must fit.")
    behaviours: list[CitedClaim] = Field(
        description="How the company buys: triggers, decision speed, who is involved, adoption."
    )
    disqualifiers: list[CitedClaim] = Field(
        description="Signs an account is a poor fit (anti-ICP), from accounts that struggled."
    )
    neighbourhoods: list[CitedClaim] = Field(
        description="Segment neighbourhoods where ICP accounts cluster, e.g. multi-entity "
        "companies on NetSuite."
    )
    fit_criteria: list[FitCriterion] = Field(
        description="The firmographic and tech-stack criteria of this draft as allowed values; "
        "code counts how many interviewed accounts fit them."
    )


class ValueProposition(CitedClaim):
    """The value proposition of one role's messaging."""

    text: NonBlank = Field(description="One sentence: what the product does for this role.")


class EmailDraft(CitedClaim):
    """A first outreach email."""

    text: NonBlank = Field(
        description="Subject line first, then a blank line and a body of at most 120 words."
    )


class LinkedInMessage(CitedClaim):
    """A LinkedIn connection message."""

    text: NonBlank = Field(description="At most 300 characters, no subject line.")


class TalkTrack(CitedClaim):
    """What to say on a first call."""

    text: NonBlank = Field(description="4 to 6 spoken sentences for a first call.")


class MessagingDraft(StrictModel):
    """Messaging for one persona and one decision-making-unit role, every message citing insights.

    The role is not asked for: code knows which role each call was made for
    and sets it.
    """

    value_proposition: ValueProposition = Field(description="One sentence value proposition.")
    key_messages: list[CitedClaim] = Field(
        description="3 to 5 key messages in the customers' own words."
    )
    proof_points: list[CitedClaim] = Field(
        description="Results with their metrics (before, after, period) as customers stated them."
    )
    objection_handling: list[CitedClaim] = Field(
        description="Real objections raised and how they were resolved, one per claim."
    )
    channels: list[CitedClaim] = Field(description="Where to reach this role.")
    email_draft: EmailDraft = Field(
        description="Outreach email: subject line first, body of at most 120 words."
    )
    linkedin_message: LinkedInMessage = Field(description="LinkedIn message, under 300 characters.")
    talk_track: TalkTrack = Field(description="Talk track for a first call, 4 to 6 sentences.")


GENERATION_MODELS: tuple[type[BaseModel], ...] = (
    ThemeName,
    ThemeNames,
    CitedClaim,
    PersonaDraft,
    FitCriterion,
    IcpDraft,
    ValueProposition,
    EmailDraft,
    LinkedInMessage,
    TalkTrack,
    MessagingDraft,
)


# ---------------------------------------------------------------- ask (question answering)


class Citation(StrictModel):
    """A cited passage and the exact words from it that support the answer."""

    passage: int = Field(
        description="The number n of the retrieved passage cited as [n] in the answer."
    )
    quote: NonBlank = Field(
        description="The participant's exact words, copied character for character from "
        "passage n; never paraphrased or joined from several places."
    )


class QuestionAnswer(StrictModel):
    """An answer built only from the numbered passages, citing them."""

    answer: NonBlank = Field(
        description="The answer in a few sentences, each claim followed by the [n] markers of "
        "the passages that support it. If the passages do not answer the question, say so."
    )
    citations: list[Citation] = Field(
        description="One entry per [n] used in the answer, with the supporting words from "
        "passage n; empty when the passages do not answer the question."
    )


ASK_MODELS: tuple[type[BaseModel], ...] = (Citation, QuestionAnswer)


# -- Field order of review items (shared by the generators, exports and the app) ----------

PERSONA_CLAIM_FIELDS: tuple[str, ...] = (
    "titles_and_seniority",
    "goals",
    "challenges",
    "motivations",
    "objections",
    "buying_behaviour",
    "channels",
    "success_metrics",
)
"""Persona fields the model drafts as claims; a persona item adds "quotes" (filled by code)."""

ICP_CLAIM_FIELDS: tuple[str, ...] = (
    "firmographics",
    "challenges_and_goals",
    "tech_stack",
    "behaviours",
    "disqualifiers",
    "neighbourhoods",
)
"""ICP fields the model drafts as claims; an ICP item starts with a "summary" field."""

MESSAGING_CLAIM_FIELDS: tuple[str, ...] = (
    "value_proposition",
    "key_messages",
    "proof_points",
    "objection_handling",
    "channels",
    "email_draft",
    "linkedin_message",
    "talk_track",
)
"""Messaging fields of one persona × role cell, in reading order."""

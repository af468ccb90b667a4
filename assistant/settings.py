"""Settings: persona.toml sections, overridden by environment variables.

Each section is a pydantic model and a field of :class:`Settings`; that class
is the one place a section is declared. :func:`load_settings` reads the
workspace's persona.toml, refuses unknown sections and keys (with a
did-you-mean), and applies the environment on top (env wins).
:func:`config_template` writes the commented persona.toml of `persona init`
from the same models.
:func:`explain_settings` reports each effective value and where it came from
(``env:NAME``, ``persona.toml`` or ``default``) for `persona config`; secrets
are masked. The OpenAI API key is read from ``OPENAI_API_KEY`` only: it is a
:class:`~pydantic.SecretStr`, refused in persona.toml, and never printed.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo

from assistant.errors import UsageError
from assistant.evidence.verify import DEFAULT_FUZZY_THRESHOLD


class EmbeddingSettings(BaseModel):
    """[embeddings]: which model turns chunks into vectors."""

    model_config = ConfigDict(extra="forbid")

    provider: Literal["local", "openai"] = Field(
        "local", description="local = sentence-transformers offline; openai = /embeddings endpoint."
    )
    model: str | None = Field(
        None,
        description="Model name; default all-MiniLM-L6-v2 (local) or text-embedding-3-small (openai).",
        examples=["all-MiniLM-L6-v2"],
    )
    batch_size: int = Field(64, ge=1, description="Texts per embedding call.")
    runtime: Literal["onnx-int8", "onnx", "torch"] = Field(
        "onnx-int8",
        description="Local model runner: onnx-int8 = ONNX Runtime with int8 weights (a model "
        "of its own: switching needs `persona reindex`); onnx = ONNX Runtime fp32 (exported "
        "once to the cache folder); torch = sentence-transformers (same vectors as onnx).",
    )
    threads: int = Field(
        0, ge=0, description="ONNX Runtime threads for batches (0 = one per core); queries use 1."
    )

    @property
    def model_name(self) -> str:
        """The model name, with the provider's default filled in."""
        if self.model:
            return self.model
        return "all-MiniLM-L6-v2" if self.provider == "local" else "text-embedding-3-small"


class ChromaSettings(BaseModel):
    """[chroma]: embedded store in .persona/chroma/ (default) or a Chroma server."""

    model_config = ConfigDict(extra="forbid")

    host: str | None = Field(
        None, description="Chroma server host; unset = embedded store.", examples=["127.0.0.1"]
    )
    port: int = Field(8000, description="Chroma server port.")
    collection: str = Field("chunks", description="Collection holding transcript chunks.")


class IngestSettings(BaseModel):
    """[ingest]: limits and chunk sizes."""

    model_config = ConfigDict(extra="forbid")

    max_file_mb: float = Field(20.0, gt=0, description="Files larger than this are refused.")
    chunk_chars: int = Field(1000, ge=200, description="Maximum characters per chunk.")


StructuredMethod = Literal["auto", "json_schema", "function_calling", "json_mode"]
ServerKind = Literal[
    "auto", "openai", "vllm", "ollama", "llama-server", "llama-cpp-python", "lmstudio", "other"
]
LlmMode = Literal["live", "replay", "record"]


class ModelPrice(BaseModel):
    """USD per 1M tokens for one model (``[llm.prices."MODEL"]``)."""

    model_config = ConfigDict(extra="forbid")

    input: float = Field(ge=0, description="USD per 1M input (prompt) tokens.")
    output: float = Field(ge=0, description="USD per 1M output (completion) tokens.")


class LlmSettings(BaseModel):
    """[llm]: the OpenAI-compatible endpoint, structured output, limits, cost and fixtures."""

    model_config = ConfigDict(extra="forbid")

    base_url: str | None = Field(
        None,
        description="OpenAI-compatible base URL (…/v1); unset = api.openai.com.",
        examples=["http://localhost:11434/v1"],
    )
    model: str = Field("gpt-4o-mini", description="Chat model name sent to the endpoint.")
    structured_output: StructuredMethod = Field(
        "auto", description="How structured output is requested; auto picks per server."
    )
    server: ServerKind = Field(
        "auto", description="Server kind; auto = guess from base_url, then a /models probe."
    )
    max_concurrency: int = Field(4, ge=1, le=256, description="Calls in flight at once.")
    budget_usd: float | None = Field(
        None,
        ge=0,
        description="Refuse or stop a batch at this spend (USD); unset = none.",
        examples=[5.0],
    )
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature.")
    max_output_tokens: int = Field(
        16384,
        ge=1,
        description="The most output tokens the model can give in one answer (gpt-4o-mini: "
        "16384); each task's cap ([output_tokens]) is never above it.",
    )
    timeout_s: float = Field(60.0, gt=0, description="Seconds before one HTTP attempt times out.")
    max_retries: int = Field(3, ge=0, description="Retries on 429, 5xx and timeouts.")
    max_reasks: int = Field(2, ge=0, description="Re-asks with the validation error.")
    retry_base_s: float = Field(0.5, ge=0, description="First backoff delay; doubles per retry.")
    est_output_tokens: int | None = Field(
        None,
        ge=0,
        description="Expected output tokens per call, for estimates; unset = per task, from "
        "the run log's history for the model, else a calibrated default.",
        examples=[1500],
    )
    max_prompt_tokens: int = Field(
        24000,
        ge=1000,
        description="Input-token budget of one generation call; larger prompts list fewer "
        "insights (noted in the run log), never sent over it.",
    )
    mode: LlmMode = Field(
        "live", description="live = call the endpoint; replay = cassettes only; record = both."
    )
    cassette_dir: Path | None = Field(
        None,
        description="Cassette folder for replay/record; unset = bundled fixtures/cassettes.",
        examples=["cassettes"],
    )
    prices: dict[str, ModelPrice] = Field(
        default_factory=dict,
        description="USD per 1M tokens for a model, over the genai-prices table.",
        examples=[{"MODEL": {"input": 0.15, "output": 0.6}}],
    )
    api_key: SecretStr | None = Field(
        None, description="From OPENAI_API_KEY only; never stored, printed or recorded."
    )


class ExtractSettings(BaseModel):
    """[extract]: windows for long transcripts, insight merging and quote checking."""

    model_config = ConfigDict(extra="forbid")

    window_tokens: int = Field(
        6000,
        ge=200,
        description="Transcripts above this many tokens are split into overlapping windows.",
    )
    overlap_turns: int = Field(2, ge=0, description="Turns repeated between adjacent windows.")
    merge_threshold: float = Field(
        0.85,
        gt=0,
        le=1,
        description="Cosine similarity at which two same-kind insights of windows are merged.",
    )
    fuzzy_threshold: float = Field(
        DEFAULT_FUZZY_THRESHOLD, ge=0, le=100, description="Quote verifier fuzzy threshold."
    )


class GenerateSettings(BaseModel):
    """[generate]: how themes, personas and the ICP are drafted."""

    model_config = ConfigDict(extra="forbid")

    persona_segments: Literal["split", "warn"] = Field(
        "split",
        description="When a role's interviews fall into segments that share no theme: "
        "split drafts one persona per segment and role; warn keeps one and says so.",
    )


Audience = Literal["b2b", "b2c", "internal"]


class StudySettings(BaseModel):
    """[study]: what the research is about; every prompt states it to the model."""

    model_config = ConfigDict(extra="forbid")

    product: str | None = Field(
        None, description="Product (or service) the interviews are about.", examples=["Tallyflow"]
    )
    description: str | None = Field(
        None,
        description="What the product does, in one line.",
        examples=["Accounts-payable automation for mid-market finance teams."],
    )
    audience: Audience = Field(
        "b2b",
        description="Who the interviews are with: b2b = people at customer companies (buying "
        "roles, company facts); b2c = consumers; internal = colleagues in your organisation.",
    )
    decision: str | None = Field(
        None,
        description="The decision the research serves, in one line.",
        examples=["Which segment to target next quarter."],
    )


class OutputTokenSettings(BaseModel):
    """[output_tokens]: each task's output-token cap: base + per_input x input tokens."""

    model_config = ConfigDict(extra="forbid")

    extract_interview: int = Field(
        4000, ge=64, description="Base cap of one extraction call (one window)."
    )
    extract_interview_per_input: float = Field(
        0.6, ge=0, description="Extraction cap added per input token of the call."
    )
    summarize_interviews: int = Field(2000, ge=64, description="Base cap of a batch summary.")
    summarize_interviews_per_input: float = Field(
        0.5, ge=0, description="Batch summary cap added per input token."
    )
    name_themes: int = Field(500, ge=64, description="Base cap of one theme-naming call.")
    name_themes_per_input: float = Field(
        0.6, ge=0, description="Theme-naming cap added per input token."
    )
    draft_personas: int = Field(1500, ge=64, description="Base cap of one persona draft.")
    draft_personas_per_input: float = Field(
        0.2, ge=0, description="Persona cap added per input token."
    )
    draft_icp: int = Field(2000, ge=64, description="Base cap of the ICP draft.")
    draft_icp_per_input: float = Field(0.05, ge=0, description="ICP cap added per input token.")
    draft_messaging: int = Field(2000, ge=64, description="Base cap of one messaging call.")
    draft_messaging_per_input: float = Field(
        0.3, ge=0, description="Messaging cap added per input token."
    )
    answer_question: int = Field(600, ge=64, description="Base cap of one `persona ask` answer.")
    answer_question_per_input: float = Field(
        0.3, ge=0, description="Answer cap added per input token."
    )
    other: int = Field(1000, ge=64, description="Base cap of any other task.")
    other_per_input: float = Field(0.5, ge=0, description="Other tasks' cap per input token.")

    def rule(self, task: str) -> tuple[int, float]:
        """(base, per_input) of ``task`` (tasks without fields of their own use ``other``)."""
        name = task if task in type(self).model_fields and task != "other" else "other"
        return int(getattr(self, name)), float(getattr(self, f"{name}_per_input"))


class PrivacySettings(BaseModel):
    """[privacy]: what leaves the machine in LLM requests."""

    model_config = ConfigDict(extra="forbid")

    redact: bool = Field(
        True,
        description="Replace emails, phones, ID/card numbers, addresses and known names with "
        "placeholders before any LLM call (--no-redact turns it off for one command).",
    )


class ExportSettings(BaseModel):
    """[export]: how `persona export` writes its files."""

    model_config = ConfigDict(extra="forbid")

    private: bool = Field(
        False,
        description="Write export files readable by you only (0600) instead of 0644 "
        "(--private / --no-private decide for one export).",
    )


class Settings(BaseModel):
    """All settings of a workspace: one field per persona.toml section.

    Adding a section is a change here only: write a pydantic model with
    ``extra="forbid"``, a docstring ``"[name]: what it holds."`` and a
    ``description`` (plus ``examples`` when the default is None) on each
    field, and add it below. Strict loading, `persona config` and the
    persona.toml template of `persona init` follow from this class.
    """

    model_config = ConfigDict(extra="forbid")

    embeddings: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    llm: LlmSettings = Field(default_factory=LlmSettings)
    extract: ExtractSettings = Field(default_factory=ExtractSettings)
    generate: GenerateSettings = Field(default_factory=GenerateSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    export: ExportSettings = Field(default_factory=ExportSettings)
    study: StudySettings = Field(default_factory=StudySettings)
    output_tokens: OutputTokenSettings = Field(default_factory=OutputTokenSettings)


ENV_OVERRIDES: dict[str, tuple[str, str]] = {
    "CHROMA_HOST": ("chroma", "host"),
    "CHROMA_PORT": ("chroma", "port"),
    "PERSONA_EMBEDDINGS_PROVIDER": ("embeddings", "provider"),
    "PERSONA_EMBEDDINGS_MODEL": ("embeddings", "model"),
    "PERSONA_EMBEDDINGS_RUNTIME": ("embeddings", "runtime"),
    "OPENAI_BASE_URL": ("llm", "base_url"),
    "PERSONA_MODEL": ("llm", "model"),
    "PERSONA_STRUCTURED_OUTPUT": ("llm", "structured_output"),
    "PERSONA_LLM_SERVER": ("llm", "server"),
    "PERSONA_MAX_CONCURRENCY": ("llm", "max_concurrency"),
    "PERSONA_BUDGET_USD": ("llm", "budget_usd"),
    "PERSONA_TEMPERATURE": ("llm", "temperature"),
    "PERSONA_MAX_OUTPUT_TOKENS": ("llm", "max_output_tokens"),
    "PERSONA_MAX_PROMPT_TOKENS": ("llm", "max_prompt_tokens"),
    "PERSONA_LLM_TIMEOUT": ("llm", "timeout_s"),
    "PERSONA_LLM_MAX_RETRIES": ("llm", "max_retries"),
    "PERSONA_LLM_MODE": ("llm", "mode"),
    "PERSONA_CASSETTE_DIR": ("llm", "cassette_dir"),
    "PERSONA_REDACT": ("privacy", "redact"),
}
"""Environment variables and the setting each one overrides (env wins over persona.toml)."""

SECRET_ENV: dict[str, tuple[str, str]] = {"OPENAI_API_KEY": ("llm", "api_key")}
"""Secrets: read from the environment only, refused in persona.toml."""


def _merged(
    config_data: dict[str, Any] | None,
) -> tuple[dict[str, Any], dict[tuple[str, str], str]]:
    """persona.toml data with env overrides applied, and the env var behind each override."""
    data: dict[str, Any] = {
        k: dict(v) if isinstance(v, dict) else v for k, v in (config_data or {}).items()
    }
    for env, (section, key) in SECRET_ENV.items():
        if key in (data.get(section) or {}):
            raise UsageError(
                f"persona.toml: [{section}] {key} is not allowed: set the {env} environment "
                "variable instead (secrets never go in the config file)"
            )
    from_env: dict[tuple[str, str], str] = {}
    for env, (section, key) in {**ENV_OVERRIDES, **SECRET_ENV}.items():
        if os.environ.get(env):
            data.setdefault(section, {})[key] = os.environ[env]
            from_env[(section, key)] = env
    return data, from_env


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The settings model a field holds, if it is one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _dict_value_model(annotation: Any) -> type[BaseModel] | None:
    """``M`` for a field typed ``dict[str, M]`` with ``M`` a settings model."""
    if get_origin(annotation) is dict:
        return _model_of(get_args(annotation)[1])
    return None


def _did_you_mean(name: str, known: list[str]) -> str:
    """``did you mean 'x'?`` with the closest known names, else the list of known ones."""
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.75)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    return f"known: {', '.join(sorted(known))}"


def unknown_keys(
    data: Mapping[str, Any], model: type[BaseModel] = Settings, where: str = ""
) -> list[str]:
    """One message per section or key of ``data`` that ``model`` does not define."""
    problems: list[str] = []
    known = list(model.model_fields)
    for key, value in data.items():
        field = model.model_fields.get(key)
        if field is None:
            if where:
                problems.append(f"unknown key {key!r} in [{where}]: {_did_you_mean(key, known)}")
            else:
                problems.append(f"unknown section [{key}]: {_did_you_mean(key, known)}")
            continue
        path = f"{where}.{key}" if where else key
        sub = _model_of(field.annotation)
        if sub is not None and isinstance(value, Mapping):
            problems += unknown_keys(value, sub, path)
        item = _dict_value_model(field.annotation)
        if item is not None and isinstance(value, Mapping):
            for name, entry in value.items():
                if isinstance(entry, Mapping):
                    problems += unknown_keys(entry, item, f"{path}.{json.dumps(name)}")
    return problems


def load_settings(config_data: dict[str, Any] | None = None) -> Settings:
    """Build settings from persona.toml data with environment overrides applied.

    Unknown sections and keys are a :class:`UsageError` naming each one with
    the closest known name."""
    problems = unknown_keys(config_data or {})
    if problems:
        raise UsageError("persona.toml: " + "; ".join(problems))
    data, from_env = _merged(config_data)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(str(p) for p in first["loc"])
        env = from_env.get((loc[0], loc[1])) if len(loc) >= 2 else None
        if env is not None:
            raise UsageError(f"environment variable {env}: {first['msg']}") from exc
        where = ".".join(loc)
        raise UsageError(f"persona.toml: [{where}] {first['msg']}") from exc


@dataclass(frozen=True)
class SettingValue:
    """One effective setting for `persona config`: dotted key, shown value, source."""

    key: str
    value: Any
    source: str


MASK = "********"


def explain_settings(config_data: dict[str, Any] | None = None) -> list[SettingValue]:
    """Every effective setting with where it came from (``env:NAME``, ``persona.toml``,
    ``default``). Secrets are shown as ``********`` when set, ``None`` when not."""
    settings = load_settings(config_data)
    _, from_env = _merged(config_data)
    toml = config_data or {}
    out: list[SettingValue] = []
    for section_name in type(settings).model_fields:
        section = getattr(settings, section_name)
        if not isinstance(section, BaseModel):
            continue
        for key in type(section).model_fields:
            value = getattr(section, key)
            if (section_name, key) in from_env:
                source = f"env:{from_env[(section_name, key)]}"
            elif key in (toml.get(section_name) or {}):
                source = "persona.toml"
            else:
                source = "default"
            if isinstance(value, SecretStr):
                value = MASK
            elif isinstance(value, BaseModel):
                value = value.model_dump(mode="json")
            elif isinstance(value, dict):
                value = {
                    k: v.model_dump(mode="json") if isinstance(v, BaseModel) else v
                    for k, v in value.items()
                }
            elif isinstance(value, Path):
                value = str(value)
            out.append(SettingValue(f"{section_name}.{key}", value, source))
    return out


TEMPLATE_HEADER = """\
# Persona Assistant workspace configuration.
# Every section and setting is listed below, commented out, with its default
# (or an example where there is no default). Environment variables win over
# this file; `persona config` shows the effective value of each setting and
# where it came from. An unknown section or key is an error.
# The API key is read from OPENAI_API_KEY only; never put it in this file.
"""


def _toml_value(value: Any) -> str:
    """``value`` as a TOML literal (strings, numbers, booleans, paths)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _field_example(field: FieldInfo) -> Any:
    """The value shown for a field: its default, else its first example."""
    if field.default is not None and not field.is_required():
        return field.default
    return field.examples[0] if field.examples else None


def _section_lines(
    name: str, model: type[BaseModel], values: Mapping[str, Any] | None = None
) -> list[str]:
    doc = (model.__doc__ or "").strip().splitlines()[0]
    env_of = {target: env for env, target in ENV_OVERRIDES.items()}
    secret = {target for target in SECRET_ENV.values()}
    summary = doc.split(": ", 1)[-1]
    lines = [f"[{name}]", f"# {summary[:1].upper()}{summary[1:]}"]
    tables: list[str] = []
    for key, field in model.model_fields.items():
        if (name, key) in secret:
            continue
        env = env_of.get((name, key))
        note = (field.description or "") + (f" Env: {env}." if env else "")
        item = _dict_value_model(field.annotation)
        if item is not None:
            example = field.examples[0] if field.examples else {"NAME": {}}
            for entry, values in example.items():
                tables.append(f"# [{name}.{key}.{json.dumps(entry)}]  # {note}")
                tables += [f"# {k} = {_toml_value(v)}" for k, v in values.items()]
            continue
        if values and values.get(key) is not None:
            lines.append(f"{key} = {_toml_value(values[key])}  # {note}")
            continue
        value = _field_example(field)
        if value is None:  # tests/test_config_strict.py asks for examples=[...]
            lines.append(f"# {key}: unset by default.  # {note}")
        else:
            lines.append(f"# {key} = {_toml_value(value)}  # {note}")
    return lines + tables


def config_template(values: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """The commented persona.toml written by `persona init`: every section of
    :class:`Settings` with each key's default, description and env variable.
    ``values`` (section -> key -> value, e.g. the ``[study]`` that `persona init`
    asked for) are written as set, uncommented; unknown keys are refused."""
    problems = unknown_keys(values or {})
    if problems:
        raise UsageError("; ".join(problems))
    parts = [TEMPLATE_HEADER]
    for name, field in Settings.model_fields.items():
        model = _model_of(field.annotation)
        if model is not None:
            given = (values or {}).get(name)
            parts.append("\n".join(_section_lines(name, model, given)) + "\n")
    return "\n".join(parts)

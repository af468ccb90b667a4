"""Generation: themes, personas, ICP and messaging, every claim linked to evidence.

Modules: :mod:`~assistant.generate.common` (evidence links, LLM runs, storing
review items), :mod:`~assistant.generate.themes`,
:mod:`~assistant.generate.personas`, :mod:`~assistant.generate.icp`,
:mod:`~assistant.generate.messaging` and :mod:`~assistant.generate.analyze` (the
incremental pipeline).
"""

from assistant.generate.analyze import (
    AnalyzeReport,
    analyze,
    estimate_analysis,
    estimate_pipeline,
    estimate_regeneration,
)
from assistant.generate.icp import IcpOutcome, generate_icp, icp_report
from assistant.generate.messaging import MessagingOutcome, generate_messaging
from assistant.generate.personas import PersonaOutcome, generate_personas
from assistant.generate.themes import ThemeResult, generate_themes, plan_themes

__all__ = [
    "AnalyzeReport",
    "IcpOutcome",
    "MessagingOutcome",
    "PersonaOutcome",
    "ThemeResult",
    "analyze",
    "estimate_analysis",
    "estimate_pipeline",
    "estimate_regeneration",
    "generate_icp",
    "generate_messaging",
    "generate_personas",
    "generate_themes",
    "icp_report",
    "plan_themes",
]

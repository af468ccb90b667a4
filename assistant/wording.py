"""How numbers read in messages: counts with the right singular or plural, thousands
separators in token counts, and US dollar amounts."""

from __future__ import annotations

IRREGULAR: dict[str, str] = {
    "analysis": "analyses",
    "child": "children",
    "person": "people",
    "persona": "personas",
    "quote": "quotes",
    "entity": "entities",
}


def plural(noun: str) -> str:
    """The plural of an English noun: ``interview`` → ``interviews``, ``reply`` → ``replies``."""
    if noun in IRREGULAR:
        return IRREGULAR[noun]
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def count(n: int, noun: str, many: str | None = None) -> str:
    """``1 interview``, ``2 interviews``, ``1,204 quotes`` (``many``: an irregular plural)."""
    word = noun if n == 1 else (many or plural(noun))
    return f"{n:,} {word}"


def tokens(n: int) -> str:
    """A token count with thousands separators: ``1,204,311``."""
    return f"{n:,}"


def usd(amount: float) -> str:
    """A dollar amount with thousands separators: ``$1,234.56``; cents below $1 keep 4 digits."""
    if 0 < abs(amount) < 0.01:
        return f"${amount:,.4f}"
    return f"${amount:,.2f}"

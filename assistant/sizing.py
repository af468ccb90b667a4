"""Market sizing worksheet: TAM, SAM and SOM from the user's counts and the ICP's fit rate.

The user gives, per segment, how many companies are in it and the average
contract value (ACV) per year, plus the share of the serviceable market they
can realistically win (a YAML file or `persona sizing` flags)::

    currency: USD            # optional; ACVs may carry it instead ("$9k")
    obtainable_share: 5%     # SOM = SAM × this (your assumption)
    segments:
      - name: Segment 1: dental clinics   # matched to `persona segments` when it can be
        companies: 12000
        acv: $9,000

Formulas (every input printed beside the number it feeds):

- **TAM** = Σ companies × ACV — every company in the segments given;
- **SAM** = Σ companies × ICP fit rate × ACV — the fit rate is measured: the
  share of the segment's interviewed accounts that fit the ICP draft (the
  whole sample's rate when the segment has no interviewed accounts);
- **SOM** = SAM × obtainable share.

Nothing is guessed: a missing or negative count, an ACV that is not an
amount, ACVs in two currencies, a share outside 0–100 %, or no ICP fit rate to
use each stop with a message naming the field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from assistant import db
from assistant.errors import UsageError
from assistant.firmographics import QuantityError, parse_money
from assistant.wording import count
from assistant.workspace import Workspace

META_KEY = "sizing.input"
"""Where the last worksheet input is kept, so the export can print it with the ICP."""


class SegmentInput(BaseModel):
    """One segment's counts as the user gave them (validated)."""

    name: str
    companies: int
    acv: float
    acv_text: str


class SizingInput(BaseModel):
    """The worksheet's inputs: every one of them the user's."""

    segments: list[SegmentInput]
    currency: str | None
    obtainable_share: float
    source: str


class SegmentSize(BaseModel):
    """TAM and SAM of one segment, with the fit rate used and where it came from."""

    name: str
    companies: int
    acv: float
    tam: float
    fit_rate: float
    fit_source: str
    sam: float
    som: float


class SizingResult(BaseModel):
    """TAM, SAM and SOM with every assumption beside them."""

    inputs: SizingInput
    segments: list[SegmentSize]
    tam: float
    sam: float
    som: float
    caveats: list[str]

    def lines(self) -> list[str]:
        """The worksheet as text lines (CLI and the ICP one-pager share them)."""
        cur = self.inputs.currency or "(currency not stated)"
        share = self.inputs.obtainable_share
        out = [
            f"TAM {_money(self.tam)} {cur} = Σ companies × ACV",
            f"SAM {_money(self.sam)} {cur} = Σ companies × ICP fit rate × ACV",
            f"SOM {_money(self.som)} {cur} = SAM × obtainable share {share:.1%} (your assumption)",
        ]
        for s in self.segments:
            out.append(
                f"  {s.name}: {s.companies:,} companies (your count) × ACV "
                f"{_money(s.acv)} (your figure) = TAM {_money(s.tam)}; × fit rate "
                f"{s.fit_rate:.0%} ({s.fit_source}) = SAM {_money(s.sam)}; SOM {_money(s.som)}"
            )
        out += [f"  caveat: {c}" for c in self.caveats]
        return out

    def to_markdown(self) -> str:
        """The sizing section of the one-page ICP document."""
        cur = self.inputs.currency or "(currency not stated)"
        lines = [
            "## Market size (TAM, SAM, SOM)",
            "",
            f"From {self.inputs.source}. Counts, contract values and the obtainable share are "
            "**the user's assumptions**; fit rates are measured on the interviewed accounts.",
            "",
            f"| | {cur} | how |",
            "| --- | --- | --- |",
            f"| TAM | {_money(self.tam)} | Σ companies × ACV |",
            f"| SAM | {_money(self.sam)} | Σ companies × ICP fit rate × ACV |",
            f"| SOM | {_money(self.som)} | SAM × {self.inputs.obtainable_share:.1%} "
            "(user's assumption) |",
            "",
            "| segment | companies (user's) | ACV (user's) | TAM | ICP fit rate | SAM | SOM |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for s in self.segments:
            lines.append(
                f"| {s.name} | {s.companies:,} | {_money(s.acv)} | {_money(s.tam)} | "
                f"{s.fit_rate:.0%} ({s.fit_source}) | {_money(s.sam)} | {_money(s.som)} |"
            )
        if self.caveats:
            lines += ["", *[f"- **warning**: {c}" for c in self.caveats]]
        return "\n".join(lines) + "\n"


def _money(v: float) -> str:
    return f"{v:,.0f}"


def _share(value: object, where: str) -> float:
    text = str(value).strip()
    try:
        share = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise UsageError(f"{where}: expected a share like 5% or 0.05, got {value!r}") from None
    if not 0 < share <= 1:
        raise UsageError(f"{where}: the share must be above 0 and at most 100%, got {value!r}")
    return share


def parse_input(data: object, source: str) -> SizingInput:
    """Validate the worksheet (a YAML mapping); every problem names its field."""
    if not isinstance(data, dict):
        raise UsageError(f"{source}: expected a mapping with segments and obtainable_share")
    unknown = sorted(set(data) - {"segments", "currency", "obtainable_share"})
    if unknown:
        raise UsageError(
            f"{source}: unknown field(s) {', '.join(unknown)} "
            "(allowed: segments, currency, obtainable_share)"
        )
    segments = data.get("segments")
    if not isinstance(segments, list) or not segments:
        raise UsageError(f"{source}: segments: give at least one segment with companies and acv")
    if data.get("obtainable_share") is None:
        raise UsageError(
            f"{source}: obtainable_share: missing — the share of the serviceable market you "
            "can realistically win (e.g. 5%); it is your assumption, never guessed"
        )
    share = _share(data["obtainable_share"], f"{source}: obtainable_share")
    currency = str(data["currency"]).upper() if data.get("currency") else None
    out: list[SegmentInput] = []
    for n, seg in enumerate(segments):
        where = f"{source}: segments[{n}]"
        if not isinstance(seg, dict):
            raise UsageError(f"{where}: expected a mapping with name, companies and acv")
        name = str(seg.get("name") or f"segment {n + 1}")
        companies = seg.get("companies")
        if companies is None:
            raise UsageError(f"{where}.companies: missing — how many companies are in {name!r}?")
        if isinstance(companies, bool) or not isinstance(companies, int):
            raise UsageError(f"{where}.companies: expected a whole number, got {companies!r}")
        if companies < 0:
            raise UsageError(f"{where}.companies: must be 0 or more, got {companies}")
        acv_raw = seg.get("acv")
        if acv_raw is None:
            raise UsageError(f"{where}.acv: missing — the average contract value per year")
        try:
            acv = parse_money(acv_raw if isinstance(acv_raw, int | float) else str(acv_raw))
        except QuantityError as exc:
            raise UsageError(f"{where}.acv: {exc}") from None
        if acv.low is None or acv.low != acv.high:
            raise UsageError(f"{where}.acv: give one amount, not a range or a bound")
        if acv.low < 0:
            raise UsageError(f"{where}.acv: must be 0 or more")
        if acv.currency:
            if currency and acv.currency != currency:
                raise UsageError(
                    f"{where}.acv: {acv_raw!r} is in {acv.currency} but the worksheet is in "
                    f"{currency}: give one currency (nothing is converted)"
                )
            currency = acv.currency
        out.append(SegmentInput(name=name, companies=companies, acv=acv.low, acv_text=str(acv_raw)))
    return SizingInput(segments=out, currency=currency, obtainable_share=share, source=source)


def read_input(path: Path) -> SizingInput:
    """Read and validate a sizing YAML file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise UsageError(f"{path}: not valid YAML: {exc}") from None
    return parse_input(data, path.name)


def compute_sizing(ws: Workspace, inputs: SizingInput) -> SizingResult:
    """TAM, SAM and SOM of the worksheet, with fit rates measured on the interviews."""
    from assistant.segments import compute_segments

    seg = compute_segments(ws)
    if seg.icp_criteria is None:
        raise UsageError(
            "no ICP fit criteria yet: run `persona icp` first (SAM uses the share of "
            "interviewed accounts that fit the ICP)"
        )
    fitted = [s for s in seg.segments if s.fit is not None]
    k = sum(s.fit[0] for s in fitted if s.fit)
    n = sum(s.fit[1] for s in fitted if s.fit)
    if not n:
        raise UsageError("no interviewed accounts to measure the ICP fit rate on")
    caveats = []
    if n < 10:
        caveats.append(f"fit rates rest on {n} interviewed accounts: indicative only")
    by_name = {s.name.casefold(): s for s in seg.segments}
    sizes = []
    for s in inputs.segments:
        mine = by_name.get(s.name.casefold())
        if mine is not None and mine.fit is not None and mine.fit[1]:
            rate = mine.fit[0] / mine.fit[1]
            how = f"measured: {mine.fit[0]} of {mine.fit[1]} interviewed accounts fit"
        else:
            rate = k / n
            how = f"measured on all interviews: {k} of {count(n, 'account')} fit"
            caveats.append(
                f"{s.name!r} matches no segment of `persona segments`: the whole sample's fit "
                "rate is used"
            )
        tam = s.companies * s.acv
        sam = tam * rate
        sizes.append(
            SegmentSize(
                name=s.name,
                companies=s.companies,
                acv=s.acv,
                tam=tam,
                fit_rate=round(rate, 4),
                fit_source=how,
                sam=sam,
                som=sam * inputs.obtainable_share,
            )
        )
    return SizingResult(
        inputs=inputs,
        segments=sizes,
        tam=sum(x.tam for x in sizes),
        sam=sum(x.sam for x in sizes),
        som=sum(x.som for x in sizes),
        caveats=caveats,
    )


def save_input(ws: Workspace, inputs: SizingInput) -> None:
    """Keep the worksheet so the export prints it with the ICP one-pager."""
    db.set_meta(ws.conn, META_KEY, inputs.model_dump_json())


def saved_sizing(ws: Workspace) -> tuple[SizingResult | None, str | None]:
    """The saved worksheet computed again (None without one), and why it could not be."""
    raw = db.get_meta(ws.conn, META_KEY)
    if not raw:
        return None, None
    try:
        return compute_sizing(ws, SizingInput.model_validate(json.loads(raw))), None
    except UsageError as exc:
        return None, str(exc)


def to_json(result: SizingResult) -> dict[str, Any]:
    """The worksheet as JSON, each input marked as the user's."""
    data = result.model_dump()
    data["assumptions"] = {
        "companies": "user",
        "acv": "user",
        "obtainable_share": "user",
        "fit_rate": "measured on interviewed accounts",
    }
    return data

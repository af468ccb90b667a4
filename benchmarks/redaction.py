"""PII detection: precision and recall of our patterns vs Presidio and scrubadub.

Measured on the labelled sample in ``tests/support/pii_sample.py`` (``SAMPLE``,
written with the patterns, and ``HELD_OUT``, written afterwards and never used
to tune them). A detection counts as a true positive when it overlaps a gold
span of the same label; every other detection is a false positive (the
negatives — money, dates, durations, invoice and version numbers — have no
gold spans). Names are not measured here: they come from metadata, not
detection.

Presidio runs with its pattern recognisers only (no NLP engine, no spaCy
model download): Email, Phone (libphonenumber), CreditCard, UsSsn, UkNino.
scrubadub runs with its default detectors. Neither is a dependency of the
project: install them to compare (``pip install presidio-analyzer scrubadub``);
a missing one is reported as not measured.

Usage: ``python benchmarks/redaction.py`` (writes the "PII redaction" section
of benchmarks/RESULTS.md).
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.privacy.patterns import LABELS, find_pii
from benchmarks.results import write_section
from tests.support.pii_sample import (
    HELD_OUT,
    SAMPLE,
    Detector,
    precision_recall,
    score,
)


def own(text: str) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in find_pii(text)]


def presidio() -> Detector | None:
    try:
        pa = importlib.import_module("presidio_analyzer.predefined_recognizers")
    except ImportError:
        return None
    recognisers = [
        (pa.EmailRecognizer(), "EMAIL_ADDRESS", "EMAIL"),
        (pa.PhoneRecognizer(), "PHONE_NUMBER", "PHONE"),
        (pa.CreditCardRecognizer(), "CREDIT_CARD", "CARD"),
        (pa.UsSsnRecognizer(), "US_SSN", "ID"),
        (pa.UkNinoRecognizer(), "UK_NINO", "ID"),
    ]

    def detect(text: str) -> list[tuple[int, int, str]]:
        out = []
        for rec, entity, label in recognisers:
            for r in rec.analyze(text, [entity], None) or []:
                if r.score >= 0.4:
                    out.append((r.start, r.end, label))
        return out

    return detect


def scrubadub() -> Detector | None:
    try:
        sd = importlib.import_module("scrubadub")
    except ImportError:
        return None
    scrubber = sd.Scrubber()
    kinds = {
        "email": "EMAIL",
        "phone": "PHONE",
        "credit_card": "CARD",
        "social_security_number": "ID",
        "national_insurance_number": "ID",
        "address": "ADDRESS",
        "postalcode": "ADDRESS",
    }

    def detect(text: str) -> list[tuple[int, int, str]]:
        return [
            (f.beg, f.end, kinds.get(f.type, f.type.upper())) for f in scrubber.iter_filth(text)
        ]

    return detect


def main() -> None:
    detectors: dict[str, Detector | None] = {
        "own patterns + phonenumbers (shipped)": own,
        "presidio-analyzer, pattern recognisers": presidio(),
        "scrubadub, default detectors": scrubadub(),
    }
    lines = [
        f"Labelled sample: {len(SAMPLE)} lines written with the patterns, {len(HELD_OUT)} "
        "held-out lines written afterwards; overlap match per label. "
        f"Machine load (1 min): {os.getloadavg()[0]:.1f}.",
        "",
        "| detector | set | precision | recall | per label (P/R) | ms per line |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, detector in detectors.items():
        if detector is None:
            lines.append(f"| {name} | — | not installed | | | |")
            continue
        for set_name, cases in (("sample", SAMPLE), ("held-out", HELD_OUT)):
            start = time.perf_counter()
            counts = score(detector, cases)
            took = (time.perf_counter() - start) * 1000 / len(cases)
            tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
            p, r = precision_recall(tp, fp, fn)
            per = ", ".join(
                f"{label} {precision_recall(*counts[label])[0]:.2f}/{precision_recall(*counts[label])[1]:.2f}"
                for label in LABELS
                if label in counts
            )
            lines.append(f"| {name} | {set_name} | {p:.2f} | {r:.2f} | {per} | {took:.1f} |")
    body = "\n".join(lines)
    print(body)
    write_section("## PII redaction", body)


if __name__ == "__main__":
    main()

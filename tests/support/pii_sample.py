"""A labelled sample for measuring PII detection: transcript-like lines, written for
this project (no real person's data), with the exact spans that must be redacted.

Each case is ``(text, [(surface, label), ...])``; spans are found by exact
search in the text. Labels: EMAIL, PHONE, CARD, ID (national-ID-like numbers:
US SSN, UK NINO, ...), ADDRESS (street addresses). Negatives (numbers that are
not PII: money, dates, durations, invoice numbers, versions, percentages) are
cases with no spans: any detection in them is a false positive.
"""

from __future__ import annotations

from collections.abc import Callable

Detector = Callable[[str], list[tuple[int, int, str]]]
Case = tuple[str, list[tuple[str, str]]]

LABELS = ("EMAIL", "PHONE", "CARD", "ID", "ADDRESS")

SAMPLE: list[tuple[str, list[tuple[str, str]]]] = [
    # --- emails
    (
        "Dana: Just email me at dana.whitfield@northwind-foods.com and I'll forward it.",
        [("dana.whitfield@northwind-foods.com", "EMAIL")],
    ),
    (
        "Marcus: The approvals go to ap+invoices@cedar-ridge.co.uk, which nobody reads.",
        [("ap+invoices@cedar-ridge.co.uk", "EMAIL")],
    ),
    (
        "Priya: send it to PRIYA_K@Harbor-Point.io, caps and all.",
        [("PRIYA_K@Harbor-Point.io", "EMAIL")],
    ),
    ("Interviewer: Is it okay if I follow up at the address on your card?", []),
    (
        "Dana: our shared inbox is finance@brightline.example; the vendor portal is another story.",
        [("finance@brightline.example", "EMAIL")],
    ),
    # --- phones
    ("Dana: my cell is (415) 555-0132 if the call drops.", [("(415) 555-0132", "PHONE")]),
    ("Marcus: Call the controller on 415-555-0199 after four.", [("415-555-0199", "PHONE")]),
    ("Priya: the UK office is +44 20 7946 0958, ask for Tom.", [("+44 20 7946 0958", "PHONE")]),
    ("Ravi: I texted him from +1 212 555 0147 at midnight.", [("+1 212 555 0147", "PHONE")]),
    (
        "Dana: The German team is on +49 30 901820, they answer in English.",
        [("+49 30 901820", "PHONE")],
    ),
    ("Mei: dial 020 7946 0321 and press two for accounts payable.", [("020 7946 0321", "PHONE")]),
    ("Marcus: reach me at 415.555.0188 any time.", [("415.555.0188", "PHONE")]),
    # --- cards
    (
        "Dana: I paid the late fee with card 4111 1111 1111 1111, the corporate Visa.",
        [("4111 1111 1111 1111", "CARD")],
    ),
    (
        "Ravi: the AmEx ends up as 378282246310005 in the ERP, unmasked.",
        [("378282246310005", "CARD")],
    ),
    (
        "Mei: the test Mastercard 5555-5555-5555-4444 was still on file.",
        [("5555-5555-5555-4444", "CARD")],
    ),
    # --- national IDs
    ("Priya: payroll once emailed my SSN, 123-45-6789, in plain text.", [("123-45-6789", "ID")]),
    (
        "Tom: my NI number is JG 12 34 56 C, HR needed it for the vendor form.",
        [("JG 12 34 56 C", "ID")],
    ),
    ("Dana: the contractor's social was 078-05-1120 on the W-9.", [("078-05-1120", "ID")]),
    # --- street addresses
    (
        "Marcus: invoices go to 1450 Harbor Boulevard, Suite 300, and then sit there.",
        [("1450 Harbor Boulevard", "ADDRESS")],
    ),
    ("Dana: the warehouse at 22 Elm Street gets the paper copies.", [("22 Elm Street", "ADDRESS")]),
    ("Priya: we moved to 5 Canal Road last spring.", [("5 Canal Road", "ADDRESS")]),
    ("Ravi: checks came to 901 W. Madison Ave. until March.", [("901 W. Madison Ave", "ADDRESS")]),
    ("Mei: our HQ is 77 Mass Ave, the dome building.", [("77 Mass Ave", "ADDRESS")]),
    # --- mixed
    (
        "Dana: email dana@northwind.example or call 415-555-0101; the office is 10 Market St.",
        [
            ("dana@northwind.example", "EMAIL"),
            ("415-555-0101", "PHONE"),
            ("10 Market St", "ADDRESS"),
        ],
    ),
    # --- negatives: numbers that are not PII
    ("Dana: Month-end close took eleven days, sometimes 12 or 14.", []),
    ("Marcus: We process about 4,200 invoices a month across 3 entities.", []),
    ("Priya: Revenue is around $40M, up 12.5% on last year.", []),
    ("Ravi: Invoice INV-2023-00451 was paid twice in March 2024.", []),
    ("Mei: We upgraded to version 2.14.3 on 2024-03-01 at 10:30.", []),
    ("Dana: the PO number was 4500012345 and the vendor id 100234.", []),
    ("Marcus: ARR was 1,250,000 dollars and LTV about 3.4 million.", []),
    ("Priya: our GL code 6100-200-300 is for software.", []),
    ("Ravi: the batch had 1234 5678 lines, roughly.", []),
    ("Mei: we were on step 3 of 5 in the SOC 2 audit, report due 2024-06-30.", []),
    ("Dana: the ticket is #88213 in Jira and it has 27 comments.", []),
    ("Marcus: we paid 2 x 1,499.00 per seat for 25 seats.", []),
    ("Tom: we were in Suite 300 for years before the move.", []),
    ("Priya: I have been at the company 4 years and 7 months.", []),
]

HELD_OUT: list[tuple[str, list[tuple[str, str]]]] = [
    # Written after the patterns, never used to tune them: an honest second measure.
    (
        "Renee: ping renee.ortiz@tallyflow-demo.com or my assistant at r.assist@tallyflow-demo.com.",
        [("renee.ortiz@tallyflow-demo.com", "EMAIL"), ("r.assist@tallyflow-demo.com", "EMAIL")],
    ),
    ("Ana: the front desk number is 312-555-0176, ext 4.", [("312-555-0176", "PHONE")]),
    ("Ana: our Paris office is +33 1 42 68 53 00.", [("+33 1 42 68 53 00", "PHONE")]),
    (
        "Ana: I called 1-800-555-0199 three times about the duplicate charge.",
        [("1-800-555-0199", "PHONE")],
    ),
    (
        "Ben: the Discover card 6011 1111 1111 1117 was the one they charged.",
        [("6011 1111 1111 1117", "CARD")],
    ),
    (
        "Ben: his social security number, 219-09-9999, was on the scanned form.",
        [("219-09-9999", "ID")],
    ),
    ("Ben: mail the checks to 400 Broad St., not the old PO box.", [("400 Broad St", "ADDRESS")]),
    ("Ana: the depot is at 18 Old Mill Lane in the next town.", [("18 Old Mill Lane", "ADDRESS")]),
    ("Ben: We close in 9 business days now, down from 15.", []),
    ("Ana: the contract was $120,000 over 36 months.", []),
    ("Ben: approval limits are 5,000 for managers and 25,000 for directors.", []),
    ("Ana: we ran 3 pilots in Q2 2023 with 48 users each.", []),
    ("Ben: the error code was 0x80070005 on every sync.", []),
    ("Ana: release 10.4.1 fixed it on 03/14/2024.", []),
    ("Ben: there were 1,024 open items at 11:45 pm on the last day.", []),
]


def gold_spans(case: Case) -> list[tuple[int, int, str]]:
    """The (start, end, label) spans of a case."""
    text, gold = case
    out = []
    for surface, label in gold:
        start = text.index(surface)
        out.append((start, start + len(surface), label))
    return out


def score(detector: Detector, cases: list[Case]) -> dict[str, tuple[int, int, int]]:
    """label -> (true positives, false positives, false negatives); a detection is a
    true positive when it overlaps an unmatched gold span of the same label."""
    counts = {label: [0, 0, 0] for label in LABELS}
    for case in cases:
        gold = gold_spans(case)
        matched: set[int] = set()
        for start, end, label in detector(case[0]):
            hit = next(
                (
                    i
                    for i, (a, b, g) in enumerate(gold)
                    if g == label and a < end and start < b and i not in matched
                ),
                None,
            )
            if hit is None:
                counts.setdefault(label, [0, 0, 0])[1] += 1
            else:
                matched.add(hit)
                counts[label][0] += 1
        for i, (_, _, label) in enumerate(gold):
            if i not in matched:
                counts[label][2] += 1
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def precision_recall(tp: int, fp: int, fn: int) -> tuple[float, float]:
    """(precision, recall); 1.0 where nothing was expected or found."""
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)

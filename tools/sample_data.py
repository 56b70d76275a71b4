"""Generate the illustrative payments files in data/payments/ from data/awards.csv.

The sample data set is fictional. Payments follow the funding schedule in the
commissioning strategy: each award is paid monthly in arrears, so the payment
for a month (its `period`) is made early in the following month, and the
payments over the whole term add up to the amount awarded. Only payments made
between FIRST_PAYMENT and LAST_PAYMENT are written, one file per financial year.

Run from the repository root:  python tools/sample_data.py
The output is the same on every run (fixed seed, standard library only), so
regenerate after editing awards.csv and commit the result.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

SEED = 20261124
FIRST_PAYMENT = dt.date(2024, 4, 1)
LAST_PAYMENT = dt.date(2026, 10, 31)
HEADER = ["date", "provider_id", "award_id", "amount", "description", "invoice_received", "period",
          "supplier", "supplier_id", "supplier_type", "expense_area", "expense_type", "value_for_money"]

# England and Wales bank holidays that fall in the first weeks of a month, when payment runs happen.
BANK_HOLIDAYS = {
    dt.date(2024, 5, 6), dt.date(2024, 5, 27), dt.date(2024, 8, 26), dt.date(2024, 12, 25),
    dt.date(2024, 12, 26), dt.date(2025, 1, 1), dt.date(2025, 4, 18), dt.date(2025, 4, 21),
    dt.date(2025, 5, 5), dt.date(2025, 5, 26), dt.date(2025, 8, 25), dt.date(2025, 12, 25),
    dt.date(2025, 12, 26), dt.date(2026, 1, 1), dt.date(2026, 4, 3), dt.date(2026, 4, 6),
    dt.date(2026, 5, 4), dt.date(2026, 5, 25), dt.date(2026, 8, 31),
}

# Larger services invoice each part of the service on its own line: (label, share of the month).
COMPONENTS = {
    "BPCC-2022-002": [("community advocates", 70), ("court advocates", 30)],
    "BPCC-2022-003": [("needs assessment and case management", 60), ("enhanced support caseworkers", 40)],
    "BPCC-2023-002": [("adult advisers", 75), ("children and young people's adviser", 25)],
    "BPCC-2023-006": [("behaviour change programme", 75), ("partner support service", 25)],
    "BPCC-2024-001": [("assessment and intervention", 80), ("speech and language screening", 20)],
    "BPCC-2024-002": [("centre-based support", 60), ("outreach", 40)],
    "BPCC-2024-014": [("community advocates", 50), ("court advocates", 20), ("hospital advocates", 20),
                      ("children and young people's adviser", 10)],
    "BPCC-2025-001": [("adult advisers", 65), ("children and young people's adviser", 20),
                      ("sexual assault referral pathway adviser", 15)],
    "BPCC-2025-007": [("needs assessment and case management", 60), ("enhanced support caseworkers", 40)],
    "BPCC-2026-010": [("behaviour change programme", 75), ("partner support service", 25)],
}

# Every other award is paid against its budget lines, one payment line each.
BUDGET_LINES = {
    "community-group": [("volunteer expenses", 40), ("equipment and materials", 35), ("venue hire", 25)],
    "grant": [("staff costs", 70), ("running costs", 15), ("training and clinical supervision", 10),
              ("volunteer and participant expenses", 5)],
    "contract": [("service delivery", 75), ("management and overheads", 15), ("training and supervision", 5),
                 ("case management system", 5)],
}

# One-off payments that are not for an award: (date, provider_id, amount, description).
ONE_OFFS = [
    ("2024-09-09", "360G-bedfordshirepcc-greensand-ridge-rural-watch", "186.50",
     "Grant in kind: printing of rural crime prevention leaflets"),
    ("2025-03-10", "360G-bedfordshirepcc-flitwick-and-district-neighbourhood-watch", "240.00",
     "Contribution to venue hire for volunteer coordinator training"),
    ("2025-07-14", "360G-bedfordshirepcc-biggleswade-riverside-residents-group", "350.00",
     "One-off contribution to the costs of a community safety awareness day"),
    ("2025-11-17", "GB-CHC-1299109", "95.00",
     "Reimbursement of interpreting costs at third-party reporting centre training"),
    ("2026-10-19", "360G-bedfordshirepcc-houghton-regis-interfaith-friendship-circle", "450.00",
     "Contribution to Hate Crime Awareness Week event costs"),
]

# Spending that is not with a funded provider, for the statutory list of spending over £500: rent, IT,
# a share of a survey with partners, and two people (named by placeholders, never published).
# (date, supplier, supplier_id, supplier_type, expense area, expense type, amount, description, invoice, value for money)
OFFICE, COMMISSIONING = "Office of the Police and Crime Commissioner", "Commissioning"
RENT_VFM = "Lease agreed in 2023 after comparing three local offices; rent reviewed against the district valuer's advice"
IT_VFM = "Bought through a national framework after three quotes"
SURVEY_VFM = "Costs shared equally by the partners that use the survey"
SUPPLIERS = [
    ("2025-04-07", "Quillfeather Office Lettings Ltd", "", "organisation", OFFICE, "Rent", "4250.00",
     "Office rent, April to June 2025", "2025-03-28", RENT_VFM),
    ("2025-06-16", "Bytewren IT Services Ltd", "GB-COH-19000901", "organisation", OFFICE, "IT software and licences",
     "1180.00", "Annual licence for the grants management system", "2025-05-30", IT_VFM),
    ("2025-09-22", "Mrs A Example", "", "individual", COMMISSIONING, "Interpreting and translation", "640.00",
     "Interpreting at victim engagement sessions", "2025-09-01", "Paid at the agreed regional rate for interpreters"),
    ("2025-11-10", "Kestrelmoor Shared Services Partnership", "", "organisation", COMMISSIONING,
     "Contributions to other public bodies", "12500.00", "Share of the county-wide community safety survey",
     "2025-10-06", SURVEY_VFM),
    ("2026-02-02", "Quillfeather Office Lettings Ltd", "", "organisation", OFFICE, "Rent", "4250.00",
     "Office rent, January to March 2026", "2025-11-28", RENT_VFM),
    ("2026-04-13", "Quillfeather Office Lettings Ltd", "", "organisation", OFFICE, "Rent", "4380.00",
     "Office rent, April to June 2026", "2026-03-30", RENT_VFM),
    ("2026-05-26", "J Samplewright Training", "", "sole-trader", COMMISSIONING, "Training", "950.00",
     "Trauma-informed practice training for provider staff", "2026-04-20", "The lowest of three quotes for the course"),
    ("2026-07-06", "Bytewren IT Services Ltd", "GB-COH-19000901", "organisation", OFFICE, "IT software and licences",
     "1215.00", "Annual licence for the grants management system", "2026-06-29", IT_VFM),
    ("2026-08-17", "Dr B Sample", "", "individual", COMMISSIONING, "Professional fees", "1800.00",
     "Independent evaluation panel member for the serious violence call", "2026-07-14",
     "Paid at the published day rate for independent panel members"),
    ("2026-09-28", "Kestrelmoor Shared Services Partnership", "", "organisation", COMMISSIONING,
     "Contributions to other public bodies", "-1200.00", "Refund: survey came in under budget", "", SURVEY_VFM),
]

# Refunds and corrections: (date, award_id, amount, description). Negative amounts.
REFUNDS = [
    ("2024-12-16", "BPCC-2023-010", "-612.40",
     "Refund of unspent grant returned by the group at the end of the grant year"),
    ("2025-08-12", "BPCC-2024-006", "-3150.00",
     "Refund of underspend on a vacant caseworker post, returned at the end of the grant"),
    ("2025-12-15", "BPCC-2024-012", "-280.15",
     "Refund of unspent grant returned by the group at the end of the grant year"),
    ("2026-05-11", "BPCC-2025-009", "-1240.00",
     "Credit note: correction to invoiced lighting works"),
]

# Payments under a contract's terms beside its monthly ones: (date, award_id, amount, description,
# invoice received). Both are over £30,000: the Procurement Act's section 70 asks for the first to be
# published, under a contract procured after 1 April 2026, and not the second, under one procured
# before (the duties page counts the first only).
ADVANCES = [
    ("2026-10-05", "BPCC-2026-010", "37000.00",
     "Contract payment in advance for October to December 2026: group programme and partner support", "2026-09-28"),
    ("2026-07-06", "BPCC-2025-007", "31500.00",
     "One-off contract payment: mobilising the second caseworker team", "2026-06-26"),
]

# Payment errors put right the following month: (award_id, period, extra, description of the correction).
OVERPAID = ("BPCC-2022-002", "2024-11", 85000,
            "Correction: recovery of overpayment on the November 2024 invoice")
DUPLICATED = ("BPCC-2023-008", "2025-01",
              "Correction: reversal of duplicate payment made in error")


def pence(text: str) -> int:
    """Turn an amount in pounds written as digits into whole pence."""
    pounds, _, pennies = text.partition(".")
    sign = -1 if pounds.startswith("-") else 1
    return sign * (abs(int(pounds)) * 100 + int((pennies + "00")[:2]))


def pounds(value: int) -> str:
    """Write whole pence as pounds with two decimals, e.g. 41667 -> 416.67."""
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value) // 100}.{abs(value) % 100:02d}"


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month from start's month to end's month inclusive."""
    out, month = [], start.replace(day=1)
    while month <= end:
        out.append(month)
        month = next_month(month)
    return out


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def working_days(month: dt.date, count: int) -> list[dt.date]:
    """The first `count` working days of a month."""
    days, day = [], month
    while len(days) < count:
        if day.weekday() < 5 and day not in BANK_HOLIDAYS:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def split(total: int, parts: int) -> list[int]:
    """Split pence into `parts` near-equal instalments, the remainder going to the last."""
    each = total // parts
    return [each] * (parts - 1) + [total - each * (parts - 1)]


def shares(total: int, weights: list[int]) -> list[int]:
    amounts = [total * w // sum(weights) for w in weights]
    amounts[-1] += total - sum(amounts)
    return amounts


def financial_year(day: dt.date) -> str:
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def invoice_date(rng: random.Random, paid: dt.date, late: bool) -> str:
    """An invoice date before the payment: usually 5 to 25 days, or over 30 when paid late."""
    days = rng.randint(31, 40) if late else rng.randint(5, 25)
    return (paid - dt.timedelta(days=days)).isoformat()


def payment_lines(award: dict, organisation_type: str) -> list[tuple[str, int]]:
    """The lines an award's monthly payment is split into, with their shares."""
    if award["id"] in COMPONENTS:
        return COMPONENTS[award["id"]]
    if organisation_type == "community-group":
        return BUDGET_LINES["community-group"]
    return BUDGET_LINES[award["award_type"]]


def award_payments(award: dict, organisation_type: str, rng: random.Random) -> list[dict]:
    """Monthly-in-arrears payments for one award, limited to the publishing window."""
    start = dt.date.fromisoformat(award["start_date"])
    end = dt.date.fromisoformat(award["end_date"])
    periods = months(start, end)
    instalments = split(pence(award["amount_awarded"]), len(periods))
    parts = payment_lines(award, organisation_type)
    rows = []
    for period, instalment in zip(periods, instalments):
        paid_month = next_month(period)
        # A few invoices are queried and paid the month after; never for the latest months.
        late = rng.random() < 0.01 and paid_month < dt.date(2026, 9, 1)
        if late:
            paid_month = next_month(paid_month)
        run = working_days(paid_month, 8)
        paid = rng.choice(run[4:] if late else run)
        if not FIRST_PAYMENT <= paid <= LAST_PAYMENT:
            continue
        # One invoice per month covers every line of that month's payment.
        invoiced = invoice_date(rng, paid, late) if late or rng.random() < 0.33 else ""
        for (label, weight), amount in zip(parts, shares(instalment, [w for _, w in parts])):
            what = f"{award['award_type'].capitalize()} payment for {period:%B %Y}"
            rows.append({
                "date": paid.isoformat(),
                "provider_id": award["provider_id"],
                "award_id": award["id"],
                "amount": amount,
                "description": f"{what}: {label}",
                "invoice_received": invoiced,
                "period": f"{period:%Y-%m}",
            })
    return rows


def corrections(rows: list[dict], awards: dict[str, dict], rng: random.Random) -> list[dict]:
    """Add the refunds, the overpayment recovered and the duplicate reversed."""
    extra = []
    for date, award_id, amount, description in REFUNDS:
        award = awards[award_id]
        extra.append({"date": date, "provider_id": award["provider_id"], "award_id": award_id,
                      "amount": pence(amount), "description": description,
                      "invoice_received": "", "period": ""})
    award_id, period, overpaid, description = OVERPAID
    row = next(r for r in rows if r["award_id"] == award_id and r["period"] == period)
    row["amount"] += overpaid
    paid = dt.date.fromisoformat(row["date"])
    extra.append({**row, "date": rng.choice(working_days(next_month(paid), 8)).isoformat(),
                  "amount": -overpaid, "description": description, "invoice_received": ""})
    award_id, period, description = DUPLICATED
    row = next(r for r in rows if r["award_id"] == award_id and r["period"] == period)
    paid = dt.date.fromisoformat(row["date"])
    again = paid + dt.timedelta(days=1 if paid.weekday() < 4 else 3)
    extra.append({**row, "date": again.isoformat(), "invoice_received": "",
                  "description": row["description"] + " (duplicate, reversed)"})
    extra.append({**row, "date": rng.choice(working_days(next_month(paid), 8)).isoformat(),
                  "amount": -row["amount"], "description": description, "invoice_received": ""})
    return extra


def advances(awards: dict[str, dict]) -> list[dict]:
    return [{"date": date, "provider_id": awards[award_id]["provider_id"], "award_id": award_id, "amount": pence(amount),
             "description": description, "invoice_received": invoice, "period": ""}
            for date, award_id, amount, description, invoice in ADVANCES]


def one_offs() -> list[dict]:
    return [{"date": date, "provider_id": provider, "award_id": "", "amount": pence(amount),
             "description": description, "invoice_received": "", "period": ""}
            for date, provider, amount, description in ONE_OFFS]


def supplier_payments() -> list[dict]:
    return [{"date": date, "provider_id": "", "award_id": "", "amount": pence(amount), "description": description,
             "invoice_received": invoice, "period": "", "supplier": supplier, "supplier_id": supplier_id,
             "supplier_type": kind, "expense_area": area, "expense_type": expense, "value_for_money": reason}
            for date, supplier, supplier_id, kind, area, expense, amount, description, invoice, reason in SUPPLIERS]


def generate(root: Path) -> dict[str, int]:
    """Write data/payments/<financial year>.csv; return the number of rows in each file."""
    with open(root / "data" / "awards.csv", newline="", encoding="utf-8-sig") as f:
        awards = {row["id"]: row for row in csv.DictReader(f)}
    with open(root / "data" / "providers.csv", newline="", encoding="utf-8-sig") as f:
        types = {row["id"]: row["organisation_type"] for row in csv.DictReader(f)}
    rng = random.Random(SEED)
    rows = [row for award in awards.values()
            for row in award_payments(award, types[award["provider_id"]], rng)]
    rows += corrections(rows, awards, rng) + one_offs() + advances(awards)
    rows.sort(key=lambda r: (r["date"], r["award_id"] or "~", r["description"]))
    # Added after the sort of the rest, so the payments generated before suppliers were added keep their order.
    rows = _merged(rows, supplier_payments())
    by_year: dict[str, list[dict]] = {}
    for row in rows:
        by_year.setdefault(financial_year(dt.date.fromisoformat(row["date"])), []).append(row)
    folder = root / "data" / "payments"
    folder.mkdir(parents=True, exist_ok=True)
    for year, year_rows in by_year.items():
        with open(folder / f"{year}.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=HEADER, lineterminator="\n", restval="")
            writer.writeheader()
            for row in year_rows:
                writer.writerow({**row, "amount": pounds(row["amount"])})
    return {year: len(year_rows) for year, year_rows in sorted(by_year.items())}


def _merged(rows: list[dict], extra: list[dict]) -> list[dict]:
    """rows with each of extra placed after the last row of its date or earlier."""
    out = list(rows)
    for row in sorted(extra, key=lambda r: r["date"]):
        at = max((i + 1 for i, r in enumerate(out) if r["date"] <= row["date"]), default=0)
        out.insert(at, row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="repository root (default: the one this script is in)")
    counts = generate(parser.parse_args().root)
    for year, count in counts.items():
        print(f"data/payments/{year}.csv: {count} rows")


if __name__ == "__main__":
    main()

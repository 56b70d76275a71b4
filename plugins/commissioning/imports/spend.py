"""`import-spend FILE --mapping MAPPING.yaml`: a finance system's spend export (CSV or Excel) into
data/payments/<financial year>.csv.

The mapping names the export's columns and its date format. Each payee is matched to a provider (by
org-id, then company or charity number, then name, each name match reported to confirm); anyone else
is a supplier, and a payment to a person is written without their name. A payment is linked to an
award only where the export or the mapping says which.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..load import codes
from ..load.fields import financial_year_of
from ..load.models import Payment
from ..load.rules.statutory import PERSONAL_TITLE
from ..problems import DataError, Problem
from . import csv_files, mapping as mapping_file
from .command import add_data_arguments, content_of, finish, funder_of, guarded, now
from .report import Report
from .source import Rows, as_text, read_rows
from .spend_mapping import COLUMNS, REQUIRED, starter
from .staging import check_and_write
from .suppliers import Matcher, registered
from .values import amount_text, date_pattern, parse_amount, parse_day

SUPPLIER_TYPE_WORDS = {"organisation": "organisation", "organization": "organisation", "company": "organisation",
                       "individual": "individual", "person": "individual", "sole trader": "sole-trader",
                       "sole-trader": "sole-trader"}


def add_arguments(parser) -> None:
    parser.add_argument("file", type=Path, help="the spend export: .csv or .xlsx")
    parser.add_argument("--mapping", type=Path, required=True, help="the mapping file (written on the first run)")
    add_data_arguments(parser)
    parser.add_argument("--replace", action="store_true",
                        help="replace the payments already in data/ between the export's first and last dates")


def _checked_mapping(answers: mapping_file.Mapping, rows: Rows) -> list[Problem]:
    problems = []
    for field in COLUMNS:
        column = answers.text("columns", field)
        if field in REQUIRED and not column:
            problems.append(answers.problem(("columns", field), f"is empty; name the export's column that holds {COLUMNS[field][0]}"))
        elif column and column not in rows.header:
            problems.append(answers.problem(("columns", field), (
                f"'{column}' is not a column of the export; its columns are {', '.join(h for h in rows.header if h)}")))
    try:
        date_pattern(answers.text("date_format") or "DD/MM/YYYY")
    except ValueError as exc:
        problems.append(answers.problem(("date_format",), str(exc)))
    for value, kind in answers.group("supplier_types").items():
        if str(kind or "").strip() not in codes.SUPPLIER_TYPES:
            problems.append(answers.problem(("supplier_types", value), f"must be one of {', '.join(codes.SUPPLIER_TYPES)}"))
    for name, given in answers.group("suppliers").items():
        kind = str((given or {}).get("supplier_type") or "").strip() if isinstance(given, dict) else ""
        if kind and kind not in codes.SUPPLIER_TYPES:
            problems.append(answers.problem(("suppliers", name, "supplier_type"), f"must be one of {', '.join(codes.SUPPLIER_TYPES)}"))
    return problems


class _Cached:
    """A parser run once for each distinct value: an export repeats its dates and amounts."""

    def __init__(self, parse):
        self.parse, self.seen = parse, {}

    def __call__(self, value):
        key = (type(value), value)
        if key not in self.seen:
            try:
                self.seen[key] = (self.parse(value), None)
            except ValueError as exc:
                self.seen[key] = (None, str(exc))
        return self.seen[key]


def payment_rows(rows: Rows, answers: mapping_file.Mapping, providers: list[dict], awards: dict[str, str],
                 report: Report) -> tuple[list[dict[str, str]], list[Problem]]:
    """Each row of the export as a payment row, by financial year; every bad cell a problem."""
    column = {field: answers.text("columns", field) for field in COLUMNS}
    date_format = answers.text("date_format") or "DD/MM/YYYY"
    day_of = _Cached(lambda v: parse_day(v, date_format))
    amount_of = _Cached(parse_amount)
    kinds = {str(k).strip().lower(): str(v).strip() for k, v in answers.group("supplier_types").items() if v}
    confirmed = {str(k).strip(): v for k, v in answers.group("suppliers").items() if isinstance(v, dict)}
    references = {str(k).strip(): str(v).strip() for k, v in answers.group("award_references").items() if v}
    default_description = answers.text("description")
    matcher = Matcher(providers)
    matched: dict[tuple, object] = {}
    problems: list[Problem] = []
    out = []
    for index in range(len(rows.rows)):
        record = rows.record(index)
        cell = lambda field: as_text(record.get(column[field])) if column[field] else ""  # noqa: E731
        where = lambda field, message: rows.problem(index, column[field], f"'{as_text(record.get(column[field]))}' {message}")  # noqa: E731
        day, error = day_of(record.get(column["date"]))
        if error:
            problems.append(where("date", error))
        amount, amount_error = amount_of(record.get(column["amount"]))
        if amount_error:
            problems.append(where("amount", amount_error))
        name = " ".join(cell("supplier").split())
        if not name:
            problems.append(rows.problem(index, column["supplier"], "is empty; every payment names who was paid"))
        if error or amount_error or not name:
            continue
        if not amount:
            report.add("dropped", "rows of 0.00, which pay nothing", f"line {rows.lines[index]}")
            continue
        given = confirmed.get(name, {})
        kind = str(given.get("supplier_type") or "").strip() or kinds.get(cell("supplier_type").lower()) \
            or SUPPLIER_TYPE_WORDS.get(cell("supplier_type").lower(), "")
        if not kind and PERSONAL_TITLE.match(name):
            kind = "individual"
            report.add("defaulted", "payees whose name starts with a personal title (Mr, Mrs, Dr ...): an individual, name withheld",
                       f"line {rows.lines[index]}")
        row = {"date": day.isoformat(), "amount": amount_text(amount), "expense_area": cell("expense_area"),
               "expense_type": cell("expense_type"), "value_for_money": cell("value_for_money")}
        row["description"] = cell("description") or default_description or cell("expense_type")
        if not cell("description") and row["description"]:
            report.add("defaulted", "payments with no description of their own: "
                       + ("the mapping's description" if default_description else "their expense type"), f"line {rows.lines[index]}")
        if not row["description"]:
            row["description"] = "Payment"
            report.add("defaulted", "payments with no description or expense type: 'Payment'", f"line {rows.lines[index]}")
        for field in ("invoice_received",):
            if cell(field):
                value, problem = day_of(record.get(column[field]))
                if problem:
                    problems.append(where(field, problem))
                else:
                    row[field] = value.isoformat()
        if cell("vat_not_recoverable"):
            value, problem = amount_of(record.get(column["vat_not_recoverable"]))
            if problem:
                problems.append(where("vat_not_recoverable", problem))
            elif value:
                row["vat_not_recoverable"] = amount_text(abs(value))
        if kind in codes.PERSONAL_SUPPLIER_TYPES:
            # A person's name never reaches data/: the files are public in git, not only on the site.
            row.update(supplier=codes.REDACTED_SUPPLIER, supplier_type=kind)
            report.add("imported", "payments to individuals and sole traders, written without their name", count=1)
            out.append(row)
            continue
        provider = _provider(name, given, cell, matcher, matched, report)
        if provider:
            row["provider_id"] = provider
        else:
            row["supplier"] = name
            found = registered(cell("supplier_id")) or (("company", cell("company_number")) if registered(cell("company_number")) else None)
            if found:
                row["supplier_id"] = found[1] if found[0] == "org-id" else f"GB-COH-{found[1].upper()}"
        award = str(given.get("award_id") or "").strip() if provider else ""
        reference = cell("award_id")
        if reference and not award:
            award = references.get(reference) or (reference if reference in awards else "")
            if not award:
                report.add("dropped", "award references that are no award id (add them under award_references): not linked", reference)
        if award and not provider:
            report.add("dropped", "award links for payees that are not providers: not linked", f"{name}: {award}")
            award = ""
        if award:
            row["award_id"] = award
        out.append(row)
    return out, problems


def _provider(name: str, given: dict, cell, matcher: Matcher, matched: dict, report: Report) -> str | None:
    said = str(given.get("provider_id") or "").strip()
    if said:
        return None if said.lower() == "none" else said
    key = (name, cell("supplier_id"), cell("company_number"), cell("charity_number"))
    if key not in matched:
        match = matcher.match(*key)
        matched[key] = match
        if match.how == "name":
            report.add("confirm", "payees matched to a provider by name alone: confirm each under suppliers in the mapping "
                       "(provider_id, or none)", f"{name} as {match.provider_id}")
        elif match.how:
            report.add("imported", f"payees matched to a provider by {match.how}", name)
        elif match.close:
            report.add("confirm", "payees whose name is close to a provider's but not the same, written as suppliers: "
                       "if one is that provider, say so under suppliers in the mapping", f"{name} (like {match.close})")
        else:
            report.add("imported", "payees that are not providers, written as suppliers", name)
    return matched[key].provider_id


@guarded
def run(args) -> int:
    data_dir = Path(args.data)
    funder_of(data_dir)  # a funder.yaml with problems is reported before anything else
    where = Path(args.mapping)
    answers = mapping_file.load(where, str(where))
    header_row = answers.text("header_row") or "1"
    rows = read_rows(Path(args.file), str(args.file), answers.text("sheet") or None,
                     int(header_row) if header_row.isdigit() else 1)
    if not answers.exists:
        where.write_text(starter(rows, Path(args.file).name), encoding="utf-8")
        print(f"Wrote {where}, with a guess at the export column for each field. Check it, then run the command again.")
        return 1
    problems = _checked_mapping(answers, rows)
    if problems:
        raise DataError(problems)
    report = Report(f"Imported from {args.file}:")
    if rows.encoding != "utf-8":
        report.add("changed", f"files read as {rows.encoding} text, not UTF-8", str(args.file))
    providers = csv_files.read(data_dir / "providers.csv", f"{data_dir.name}/providers.csv")
    awards = csv_files.read(data_dir / "awards.csv", f"{data_dir.name}/awards.csv")
    provider_rows = [providers.values(i) for i in range(len(providers.rows))] if providers else []
    award_ids = {awards.values(i)["id"]: awards.values(i).get("provider_id", "") for i in range(len(awards.rows))} if awards else {}
    payments, problems = payment_rows(rows, answers, provider_rows, award_ids, report)
    if problems:
        raise DataError(problems)
    report.add("imported", "payments", count=len(payments))
    changes = _by_year(data_dir, payments, args.replace, report)
    checked = check_and_write(data_dir, content_of(data_dir), changes, now())
    print(report.text())
    return finish(checked, "Check the report above, then commit the files.")


def _by_year(data_dir: Path, payments: list[dict], replace: bool, report: Report) -> dict[str, str]:
    years: dict[str, list[dict]] = {}
    for row in payments:
        years.setdefault(financial_year_of(date.fromisoformat(row["date"])), []).append(row)
    first = min((r["date"] for r in payments), default="")
    last = max((r["date"] for r in payments), default="")
    required = tuple(n for n, f in Payment.model_fields.items() if f.is_required())
    changes = {}
    for year, rows in sorted(years.items()):
        relative = f"payments/{year}.csv"
        existing = csv_files.read(data_dir / relative, f"{data_dir.name}/{relative}")
        between = (lambda values: first <= values.get("date", "") <= last) if replace else None
        merged = csv_files.merge_unkeyed(existing, rows, list(Payment.model_fields), required, replace=between)
        if merged.unchanged:
            report.add("dropped", "payments already in data/payments/ (the same in every column): not added twice",
                       relative, count=merged.unchanged)
        if merged.replaced:
            report.add("imported", "payments replaced (--replace), between the export's first and last dates", relative,
                       count=merged.replaced)
        if merged.changed:
            changes[relative] = merged.text
    return changes

"""`import-360giving FILE`: a 360Giving file's grants into data/awards.csv and their recipients into
data/providers.csv.

Grants keep their ids (less the funder's own 360Giving prefix), amounts, dates and places. What
360Giving does not hold (the funding stream, priorities and route of each grant programme, and the type
of an organisation nothing says) comes from the mapping file, which the first run writes for staff to
fill in. A row already in data/ that differs from the file is kept as it is, unless --replace.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..load import codes
from ..load.fields import TITLE_LIMIT, months_before
from ..load.models import Award, Provider
from ..load.read import parse_yaml
from ..problems import DataError, Problem
from . import csv_files, mapping as mapping_file
from .command import add_data_arguments, content_of, finish, funder_of, guarded, now
from .grants_file import Grant, read_grants
from .grants_mapping import (
    corrected, grant_dates, grant_duration, location_key, mapping_entries, programme_key, unanswered,
)
from .recipients import recipients
from .report import Report
from .staging import check_and_write



def add_arguments(parser) -> None:
    parser.add_argument("file", type=Path, help="the 360Giving file: .json, or .csv or .xlsx in 360Giving's column titles")
    add_data_arguments(parser)
    parser.add_argument("--mapping", type=Path, help="the mapping file (default: beside FILE, named FILE.mapping.yaml)")
    parser.add_argument("--replace", action="store_true", help="overwrite rows of data/ that differ from the file")


def mapping_path(file: Path, given: Path | None) -> Path:
    return given or file.with_name(file.stem + ".mapping.yaml")


# --- grants as awards ---------------------------------------------------------------------------


def _day(grant: Grant, path: tuple, text: str, problems: list[Problem]) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        problems.append(grant.problem(path, f"'{text}' is not a date; 360Giving writes dates YYYY-MM-DD"))
        return None


def end_from_duration(start: date, months: int) -> date:
    """The last day of a term of `months` months from start: 12 months from 1 April is 31 March."""
    later = months_before(_midday(start), -months).date()
    return date.fromordinal(later.toordinal() - 1)


def _midday(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12)


def money_text(grant: Grant, value, problems: list[Problem]) -> str:
    try:
        amount = Decimal(str(value).replace(",", "").replace("£", "").strip())
    except InvalidOperation:
        amount = None
    if amount is None or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        problems.append(grant.problem(("amountAwarded",), f"'{value}' is not an amount in pounds and pence"))
        return ""
    return str(int(amount)) if amount == amount.to_integral_value() else f"{amount:.2f}"


def award_id(grant_id: str, funder) -> str:
    """Our reference: the 360Giving id less the funder's own prefix (the site puts it back)."""
    prefix = funder.grant_id_prefix + "-"
    return grant_id[len(prefix):] if grant_id.lower().startswith(prefix.lower()) else grant_id


def award_rows(grants: list[Grant], funder, answers: mapping_file.Mapping, provider_of: dict[int, str],
               report: Report) -> tuple[list[dict[str, str]], list[Problem]]:
    problems: list[Problem] = []
    ids = {str(g.data.get("id") or "").strip(): award_id(str(g.data.get("id") or "").strip(), funder) for g in grants}
    rows = []
    for grant in grants:
        if grant.index not in provider_of:
            continue
        key = programme_key(grant)
        given = lambda name: answers.text("grant_programmes", key, name)  # noqa: E731
        if str(grant.data.get("currency") or "GBP").upper() != "GBP":
            problems.append(grant.problem(("currency",), f"is {grant.data.get('currency')}; only grants in pounds (GBP) can be imported"))
            continue
        title = corrected(answers, grant.id, "title", " ".join(str(grant.data.get("title") or "").split()))
        description = corrected(answers, grant.id, "description", str(grant.data.get("description") or "").strip())
        if answers.group("corrections", grant.id):
            report.add("changed", "grants whose title or description the mapping corrects (under corrections)", grant.id)
        if not title:
            problems.append(grant.problem(("title",), "is empty; every grant needs a title"))
            continue
        if not description:
            description = title
            report.add("defaulted", "grants with no description: the title is used", grant.id)
        if len(title) >= TITLE_LIMIT:
            title = title[:TITLE_LIMIT - 2].rsplit(" ", 1)[0] + "…"
            report.add("changed", f"titles of {TITLE_LIMIT} characters or more, shortened (the description keeps its text)", grant.id)
        awarded = _day(grant, ("awardDate",), str(grant.data.get("awardDate") or ""), problems)
        start_text, end_text = grant_dates(grant)
        start = _day(grant, ("plannedDates", 0, "startDate"), start_text, problems) if start_text else awarded
        if not start_text:
            report.add("defaulted", "grants with no start date: the award date is used", grant.id)
        end = _day(grant, ("plannedDates", 0, "endDate"), end_text, problems) if end_text else None
        months = grant_duration(grant) or given("duration_months")
        if end is None and start and months:
            try:
                end = end_from_duration(start, int(Decimal(months)))
            except (InvalidOperation, ValueError):
                problems.append(grant.problem(("plannedDates", 0, "duration"), f"'{months}' is not a number of months"))
                continue
            report.add("defaulted", "grants with no end date: worked out from the duration (derived, not in the file)", grant.id)
        if None in (awarded, start, end):
            continue
        areas = []
        for location in grant.all("beneficiaryLocation"):
            answer = mapping_file.as_list(answers.get("locations", location_key(location), "area"))
            areas.extend(answer)
            if not answer:
                report.add("defaulted", "grants whose place is none of funder.yaml's areas (the mapping's locations): the whole area", f"{grant.id} ({location_key(location)})")
        whole = funder.whole_area.code if funder.whole_area else None
        areas = [] if whole in areas else sorted(set(areas))
        extends = ""
        for related in grant.data.get("relatedActivity") or []:
            if str(related).strip() in ids:
                extends = ids[str(related).strip()]
            else:
                report.add("dropped", "related activities that are not grants in this file (extends left empty)", f"{grant.id}: {related}")
        row = {
            "id": ids[str(grant.data.get("id") or "").strip()], "title": title, "description": description,
            "provider_id": provider_of[grant.index], "funding_stream": given("funding_stream"),
            "priorities": given("priorities"), "award_type": given("award_type") or "grant", "route": given("route"),
            "amount_awarded": money_text(grant, grant.data.get("amountAwarded"), problems),
            "award_date": awarded.isoformat(), "start_date": start.isoformat(), "end_date": end.isoformat(),
            "justification": given("justification") if given("route") in codes.UNCOMPETED_ROUTES else "",
            "extends": extends, "areas": ";".join(areas),
        }
        if getattr(funder, "statutory_from", None) and awarded >= funder.statutory_from:
            row.update({name: given(name) for name in ("conditions", "reasons", "decision_record")})
        rows.append(row)
    return rows, problems


# --- the command --------------------------------------------------------------------------------


@guarded
def run(args) -> int:
    data_dir = Path(args.data)
    funder = funder_of(data_dir)
    name = str(args.file)
    grants, unknown = read_grants(Path(args.file), name)
    report = Report(f"Imported from {name}:")
    for column in unknown:
        report.add("dropped", "columns that are not 360Giving titles this import reads", column)
    kept: list[Grant] = []
    for grant in grants:
        if grant.all("recipientIndividual") and not grant.first("recipientOrganization"):
            report.add("dropped", "grants to individuals (never published)", grant.id)
        elif not str(grant.first("recipientOrganization").get("id") or "").strip():
            raise DataError([grant.problem(("recipientOrganization", 0, "id"), "is empty; every grant needs its recipient's org-id")])
        else:
            kept.append(grant)
    for grant in kept:
        funding = str(grant.first("fundingOrganization").get("id") or "")
        if funding and funding.lower() != funder.org_id.lower():
            report.add("confirm", f"grants from another funder than funder.yaml's org_id {funder.org_id}: check this is your own file", funding)
        if grant.data.get("amountDisbursed"):
            report.add("dropped", "amounts disbursed (payments come from the spend export: import-spend)", grant.id)
    where = mapping_path(Path(args.file), args.mapping)
    answers = mapping_file.load(where, str(where))
    existing = csv_files.read(data_dir / "providers.csv", f"{data_dir.name}/providers.csv")
    rows = [existing.values(i) for i in range(len(existing.rows))] if existing else []
    found = recipients(kept, rows, answers.group("organisations"), report)
    entries = mapping_entries(kept, funder, answers, found.asked)
    text = mapping_file.render(entries, _HEADER.format(file=Path(args.file).name))
    written = mapping_file.Mapping(str(where), *parse_yaml(text, str(where)), exists=True)
    if not answers.exists or _keys(written.values) - _keys(answers.values):
        where.write_text(text, encoding="utf-8")
        print(f"Wrote {where}: each grant programme, place and organisation the file holds, with the answers so far.")
        answers = written
    missing = unanswered(answers, kept, funder, found.asked)
    if missing:
        raise DataError(missing)
    for provider, answer in answers.group("organisations").items():
        if provider in found.rows and isinstance(answer, dict) and answer.get("organisation_type"):
            found.rows[provider]["organisation_type"] = str(answer["organisation_type"]).strip()
    awards, problems = award_rows(kept, funder, answers, found.provider_of, report)
    if problems:
        raise DataError(problems)
    report.add("imported", "grants", count=len(awards))
    report.add("imported", "recipients (providers)", count=len(found.rows))
    changes = _merged(data_dir, list(found.rows.values()), awards, args.replace, report)
    checked = check_and_write(data_dir, content_of(data_dir), changes, now())
    imported = {row["id"] for row in awards} | set(found.rows)
    checked.errors = _from_the_file(checked.errors, changes, data_dir.name, name, imported)
    print(report.text())
    return finish(checked, "Check the report above, then commit the files.")


_HEADER = """How to import {file}: what 360Giving does not say, for you to fill in.
Written by `python -m commissioning import-360giving`; run it again once every empty answer is filled in.
An answer you give is kept when the command rewrites this file (comments are written afresh)."""


def _keys(value, path=()) -> set:
    if isinstance(value, dict):
        return {path + (k,) for k in value} | {p for k, v in value.items() for p in _keys(v, path + (k,))}
    return set()


def _merged(data_dir: Path, providers: list[dict], awards: list[dict], replace: bool, report: Report) -> dict[str, str]:
    changes = {}
    for file, rows, model in (("providers.csv", providers, Provider), ("awards.csv", awards, Award)):
        existing = csv_files.read(data_dir / file, f"{data_dir.name}/{file}")
        required = tuple(n for n, f in model.model_fields.items() if f.is_required())
        merged = csv_files.merge_keyed(existing, rows, list(model.model_fields), required, replace=replace)
        for key in merged.kept:
            report.add("kept", f"rows of {file} that differ from the file (run with --replace to overwrite them)", key)
        if merged.replaced:
            report.add("imported", f"rows of {file} replaced (--replace)", count=merged.replaced)
        if merged.changed:
            changes[file] = merged.text
    return changes


def _from_the_file(problems: list[Problem], changes: dict[str, str], folder: str, source: str,
                   imported: set[str]) -> list[Problem]:
    """Problems in rows the import wrote, saying which grant or recipient of the file to correct: the row
    itself is not in data/ (nothing was written), so the place to fix it is the 360Giving file."""
    rows = {}
    for relative, text in changes.items():
        written = csv_files.parse(text, f"{folder}/{relative}")
        for index, line in enumerate(written.lines):
            if written.values(index).get("id", "") not in imported:
                continue
            rows[(written.name, line)] = ("grant" if relative == "awards.csv" else "recipient", written.values(index).get("id", ""))
    out = []
    for problem in problems:
        found = rows.get((problem.file, problem.line))
        if found:
            kind, key = found
            where = ("or in the mapping (a grant's title or description under corrections, by its id)" if kind == "grant"
                     else "or its answer in the mapping")
            message = f"{problem.message} (in {kind} {key} of {source}: correct it there, {where}, and run again)"
            problem = Problem(problem.file, problem.line, problem.field, message, problem.severity)
        out.append(problem)
    return out

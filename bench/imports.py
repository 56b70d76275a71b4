"""Time the import commands at the benchmark's scale: `.venv/bin/python bench/imports.py [FOLDER]`.

Makes the synthetic data set (bench/synthetic.py: 10,000 awards, 200,000 payments), turns its awards
into a 360Giving JSON file and its payments into a finance system's spend export (DD/MM/YYYY dates,
amounts with commas and refunds in brackets), empties data/ of awards, providers and payments, then
times each command as staff run it, every one including the check of the whole data set:
import-360giving (then again, with nothing to change), import-spend (then again), workbook, and
import-workbook (a round trip). A benchmark, not a test: it prints the times, and fails only when a
command does.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "plugins")]

import synthetic  # noqa: E402
from commissioning.imports import commands  # noqa: E402
from commissioning.load.codes import ORGANISATION_TYPES  # noqa: E402


def inputs(root: Path) -> None:
    """The 360Giving file, the spend export and their mappings, from the synthetic data."""
    data = root / "data"
    awards = list(csv.DictReader((data / "awards.csv").open(encoding="utf-8")))
    providers = {p["id"]: p for p in csv.DictReader((data / "providers.csv").open(encoding="utf-8"))}
    grants = []
    for award in awards:
        provider = providers[award["provider_id"]]
        recipient = {"id": provider["id"], "name": provider["name"],
                     "organisationType": ORGANISATION_TYPES[provider["organisation_type"]]}
        recipient.update({k: provider[f] for k, f in (("charityNumber", "charity_number"), ("companyNumber", "company_number")) if provider[f]})
        grants.append({
            "id": f"360G-bedfordshirepcc-{award['id']}", "title": award["title"], "description": award["description"],
            "currency": "GBP", "amountAwarded": award["amount_awarded"], "awardDate": award["award_date"],
            "plannedDates": [{"startDate": award["start_date"], "endDate": award["end_date"]}],
            "recipientOrganization": [recipient], "fromOpenCall": "Yes",
            "grantProgramme": [{"code": award["funding_stream"], "title": award["funding_stream"]}]})
    (root / "grants.json").write_text(json.dumps({"grants": grants}), encoding="utf-8")
    (root / "grants.mapping.yaml").write_text("grant_programmes:\n" + "".join(
        f"  {s}:\n    funding_stream: {s}\n    priorities: [prevention]\n    route: open-call\n    award_type: grant\n"
        "    conditions: https://www.example.org/conditions\n    reasons: To reduce crime and disorder.\n"
        "    decision_record: PCC/D/2025/001\n" for s in sorted({a["funding_stream"] for a in awards})), encoding="utf-8")
    with (root / "spend.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Payment Date", "Supplier Name", "Net Amount", "Expense Type", "Contract Ref"])
        for path in sorted((data / "payments").glob("*.csv")):
            for p in csv.DictReader(path.open(encoding="utf-8")):
                amount = float(p["amount"])
                writer.writerow([f"{p['date'][8:10]}/{p['date'][5:7]}/{p['date'][:4]}", providers[p["provider_id"]]["name"],
                                 f"({-amount:,.2f})" if amount < 0 else f"{amount:,.2f}", p["description"], p["award_id"]])
    (root / "spend.yaml").write_text("columns:\n  date: Payment Date\n  amount: Net Amount\n  supplier: Supplier Name\n"
                                     "  description: Expense Type\n  award_id: Contract Ref\ndate_format: DD/MM/YYYY\n", encoding="utf-8")
    for path in (data / "payments").glob("*.csv"):
        path.unlink()
    for name in ("awards.csv", "providers.csv"):
        (data / name).unlink()


def timed(name: str, *argv) -> float:
    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = commands.main(name, [str(a) for a in argv])
    took = time.perf_counter() - started
    if code:
        print(out.getvalue()[-4000:], file=sys.stderr)
        raise SystemExit(f"{name} failed (exit {code})")
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help="where to work (default: a temporary folder)")
    args = parser.parse_args(argv)
    os.environ.setdefault("SITE_NOW", synthetic.DEFAULT_NOW)
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as scratch:
        root = args.folder or Path(scratch)
        counts = synthetic.generate(root)
        inputs(root)
        data = root / "data"
        rows = [
            (f"import-360giving, {counts['awards']:,} grants", timed("import-360giving", root / "grants.json", "--data", data, "--mapping", root / "grants.mapping.yaml")),
            ("import-360giving again (nothing to change)", timed("import-360giving", root / "grants.json", "--data", data, "--mapping", root / "grants.mapping.yaml")),
            (f"import-spend, {counts['payments']:,} payments", timed("import-spend", root / "spend.csv", "--data", data, "--mapping", root / "spend.yaml")),
            ("import-spend again (nothing to add)", timed("import-spend", root / "spend.csv", "--data", data, "--mapping", root / "spend.yaml")),
            ("workbook", timed("workbook", "--data", data, "--output", root / "data.xlsx")),
            ("import-workbook (a round trip)", timed("import-workbook", root / "data.xlsx", "--data", data)),
        ]
    print("| command | seconds |\n|---|---:|")
    for name, took in rows:
        print(f"| {name} | {took:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Our data as a Hugo site, for the comparison in bench/hugo_compare.py:
`.venv/bin/python bench/hugo_site.py ROOT OUT [--now 2026-11-24T09:00]` (ROOT holds data/ and content/).

What the converter does is what Hugo 0.111 cannot do itself, and no more: Hugo makes a page only
from a content file (content adapters, pages made from data, came in Hugo 0.126), so each record of
awards.csv and providers.csv becomes a content file with the record's fields as front matter (lists
split at `;`, amounts as numbers), an opportunity's file is copied as it is (its YAML front matter is
Hugo's own format), and a financial year or month of spend gets an empty page for its template to fill.
Nothing is joined, summed or judged here: Hugo's templates (bench/hugo/layouts) find each award's
provider, opportunity and renewals, work out statuses from the clock and sum every payment from
funder.yaml and the payments files, copied unchanged (data/funder.yaml, assets/payments/*.csv).
No validation: Hugo checks nothing, so this is the cost of building only.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SKELETON = HERE / "hugo"  # hugo.toml and the layouts
LIST_FIELDS = ("priorities", "co_commissioners")


def _front(fields: dict, body: str = "") -> str:
    # JSON front matter: Hugo reads it as it reads YAML, and json.dumps quotes everything safely.
    return json.dumps(fields, ensure_ascii=False, indent=0) + "\n" + body


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _labels() -> dict:
    """The words pages show for codes, from the code lists our templates read (load/codes.py)."""
    sys.path.insert(0, str(REPO / "plugins"))
    from commissioning.load import codes

    return {"organisation_types": codes.ORGANISATION_TYPES, "award_types": codes.AWARD_TYPES,
            "routes": codes.ROUTES, "award_statuses": codes.AWARD_STATUSES,
            "opportunity_statuses": codes.OPPORTUNITY_STATUSES, "expectations": codes.EXPECTATIONS}


def _awards(data: Path, content: Path) -> int:
    folder = content / "funded-services"
    count = 0
    with open(data / "awards.csv", encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream):
            fields = {key: value for key, value in row.items() if value}
            for key in LIST_FIELDS:
                if key in fields:
                    fields[key] = _split(fields[key])
            fields["amount"] = float(fields.pop("amount_awarded"))
            fields["stream"] = fields.pop("funding_stream")
            fields["opportunity"] = fields.pop("opportunity_id", "")
            fields["provider"] = fields.pop("provider_id")
            # The taxonomies: Hugo makes the funding stream's, priority's, route's and type's listing pages.
            fields.update({"funding-streams": [fields["stream"]], "routes": [fields["route"]],
                           "types": [fields["award_type"]], "slug": row["id"].lower()})
            (folder / f"{row['id']}.md").write_text(_front(fields), encoding="utf-8")
            count += 1
    return count


def _providers(data: Path, content: Path) -> int:
    folder = content / "providers"
    count = 0
    with open(data / "providers.csv", encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream):
            fields = {key: value for key, value in row.items() if value}
            fields["title"] = fields.pop("name")
            fields["slug"] = row["id"].lower()
            (folder / f"{row['id']}.md").write_text(_front(fields), encoding="utf-8")
            count += 1
    return count


def _opportunities(data: Path, content: Path) -> int:
    files = sorted((data / "opportunities").glob("*.md"))
    for path in files:
        shutil.copyfile(path, content / "opportunities" / path.name)
    return len(files)


def _pages(source: Path, content: Path) -> int:
    """content/pages/*.md: Pelican's `Key: value` header lines as front matter."""
    count = 0
    for path in sorted((source / "pages").glob("*.md")) if source.exists() else []:
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        fields = {}
        for line in head.splitlines():
            key, _, value = line.partition(":")
            fields[key.strip().lower()] = value.strip()
        slug = fields.pop("slug", path.stem)
        (content / f"{slug}.md").write_text(_front({"title": fields.get("title", slug), "url": f"/{slug}/",
                                                     "summary": fields.get("summary", "")}, body), encoding="utf-8")
        count += 1
    return count


def _spend(data: Path, content: Path) -> int:
    """A page per financial year (/spend/<year>/), its list of months and a page per month."""
    years = sorted(path.stem for path in (data / "payments").glob("*.csv"))
    (content / "spend" / "_index.md").write_text(_front({"title": "Spend", "years": years}), encoding="utf-8")
    count = 0
    for year in years:
        folder = content / "spend" / year
        (folder / "payments").mkdir(parents=True)
        (folder / "_index.md").write_text(_front({"title": f"Spend in {year}", "year": year, "layout": "year"}),
                                          encoding="utf-8")
        (folder / "payments" / "_index.md").write_text(_front(
            {"title": f"Payments over £500 in {year}", "year": year, "layout": "months"}), encoding="utf-8")
        start = int(year[:4])
        for month in [f"{start}-{m:02d}" for m in range(4, 13)] + [f"{start + 1}-{m:02d}" for m in range(1, 4)]:
            (folder / "payments" / f"{month}.md").write_text(_front(
                {"title": f"Payments over £500: {month}", "year": year, "month": month}), encoding="utf-8")
            count += 1
    return count + 2 * len(years) + 1


def convert(root: Path, out: Path, now: str) -> dict:
    """Write the Hugo site for root's data/ and content/ into out (emptied first); return what it wrote."""
    started = time.perf_counter()
    data = root / "data"
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(SKELETON, out)
    content = out / "content"
    for section in ("funded-services", "providers", "opportunities", "spend"):
        (content / section).mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(exist_ok=True)
    shutil.copyfile(data / "funder.yaml", out / "data" / "funder.yaml")
    (out / "data" / "labels.json").write_text(json.dumps(_labels()), encoding="utf-8")
    shutil.copytree(data / "payments", out / "assets" / "payments")
    # The same stylesheets and icon as ours, so the two outputs hold the same static files.
    static = REPO / "theme" / "static"
    if static.exists():
        shutil.copytree(static, out / "static" / "theme")
    sheets = sorted(p.name for p in (static / "build").glob("app.*.css")) if static.exists() else []
    counts = {"awards": _awards(data, content), "providers": _providers(data, content),
              "opportunities": _opportunities(data, content), "pages": _pages(root / "content", content),
              "spend pages": _spend(data, content)}
    sections = {"funded-services": "Funded services", "providers": "Providers", "opportunities": "Funding opportunities"}
    for section, title in sections.items():
        (content / section / "_index.md").write_text(_front({"title": title}), encoding="utf-8")
    (content / "_index.md").write_text(_front({"title": ""}), encoding="utf-8")
    config = (out / "hugo.toml").read_text(encoding="utf-8")
    (out / "hugo.toml").write_text(config + f'  now = "{now}"\n  stylesheets = {json.dumps(sheets)}\n', encoding="utf-8")
    files = sum(1 for p in content.rglob("*.md"))
    return {**counts, "content_files": files, "seconds": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the folder holding data/ and content/")
    parser.add_argument("out", type=Path, help="where to write the Hugo site (emptied first)")
    parser.add_argument("--now", default="2026-11-24T09:00", help="the build clock, as COMMISSIONING_NOW")
    args = parser.parse_args(argv)
    print(json.dumps(convert(args.root, args.out, args.now), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start a new funding opportunity: data/opportunities/OPP-<year>-<NNN>.md with the next free id.

    make new-opportunity
    .venv/bin/python tools/new_opportunity.py --title "Stalking advocacy service"

The file is a copy of docs/templates/opportunity.md with the id filled in, and the title, the
contact email and the funder's own stream and priority codes where they are known. The fields only
a person can decide (summary, money, dates, ...) are left empty on purpose: `make check` fails, and
lists each one by line, until they are filled in, so an unfinished opportunity cannot be published.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "plugins") not in sys.path:  # run directly, without the Makefile's PYTHONPATH
    sys.path.insert(0, str(ROOT / "plugins"))
TEMPLATE = ROOT / "docs" / "templates" / "opportunity.md"
_ID = re.compile(r"OPP-(\d{4})-(\d+)", re.IGNORECASE)


def used_numbers(data_dir: Path, year: int) -> set[int]:
    """Every opportunity number already used in `year`: in file names, in `id:` lines, and in awards.

    Awards count too, so that an opportunity whose file was deleted never has its id reused by a
    new one (its awards would then point at the wrong opportunity).
    """
    texts: list[str] = []
    folder = data_dir / "opportunities"
    if folder.is_dir():
        for path in folder.glob("*.md"):
            texts.append(path.stem)
            head = path.read_text(encoding="utf-8", errors="replace")[:4000]
            texts.extend(m.group(1) for m in re.finditer(r"^id:\s*(\S+)", head, re.MULTILINE))
    awards = data_dir / "awards.csv"
    if awards.is_file():
        with awards.open(encoding="utf-8-sig", errors="replace", newline="") as file:
            texts.extend(row.get("opportunity_id") or "" for row in csv.DictReader(file))
    numbers = set()
    for text in texts:
        match = _ID.fullmatch(text.strip().strip("'\""))
        if match and int(match.group(1)) == year:
            numbers.add(int(match.group(2)))
    return numbers


def next_id(data_dir: Path, year: int) -> str:
    """The next free opportunity id for a year: one more than the highest used, e.g. OPP-2026-009."""
    return f"OPP-{year}-{max(used_numbers(data_dir, year), default=0) + 1:03d}"


def yaml_text(value: str) -> str:
    """A one-line text value as YAML: plain when that reads back unchanged, else double-quoted."""
    from commissioning.load.read import parse_yaml  # the loader the site itself uses
    from commissioning.problems import DataError

    value = " ".join(value.split())
    # A YAML double-quoted scalar is a JSON string, so json.dumps writes one; keep the first
    # spelling that the site's own loader reads back as the same text.
    for spelling in (value, json.dumps(value, ensure_ascii=False), json.dumps(value)):
        try:
            parsed, _ = parse_yaml(f"value: {spelling}\n", "title")
        except DataError:
            continue
        if parsed == {"value": value}:
            return spelling
    raise ValueError(f"{value!r} cannot be written as a YAML value; type it into the file instead")


def _set(text: str, key: str, value: str) -> str:
    """Give a top-level field of the front matter a value."""
    pattern = re.compile(rf"^{re.escape(key)}:[^\n]*$", re.MULTILINE)
    if not pattern.search(text):
        raise ValueError(f"the template has no `{key}:` line")
    return pattern.sub(lambda _: f"{key}: {value}", text, count=1)


def _note(text: str, key: str, note: str) -> str:
    """Add a note (a YAML comment) on the line above a top-level field."""
    return re.sub(rf"^(?={re.escape(key)}:)", lambda _: f"# {note}\n", text, count=1, flags=re.MULTILINE)


def _funder(data_dir: Path) -> dict:
    """funder.yaml as read, or {} if it cannot be read: the hints are a help, not a requirement."""
    from commissioning.load.read import read_yaml_mapping
    from commissioning.problems import DataError

    try:
        return read_yaml_mapping(data_dir / "funder.yaml", "data/funder.yaml").values
    except DataError:
        return {}


def _codes(funder: dict, kind: str) -> str:
    items = funder.get(kind)
    if not isinstance(items, list):
        return ""
    return ", ".join(str(i["code"]) for i in items if isinstance(i, dict) and i.get("code"))


def render(template: str, opportunity_id: str, title: str | None = None, funder: dict | None = None) -> str:
    """The template with what we know filled in; the rest is left for a person to decide."""
    text = _set(template, "id", opportunity_id)
    # The template's note on copying it by hand is not needed in a file written for you.
    text = re.sub(r"^# Copy this whole file.*?explains every step\.\n", "# Started with `make new-opportunity`.\n",
                  text, count=1, flags=re.MULTILINE | re.DOTALL)
    if title and title.strip():
        text = _set(text, "title", yaml_text(title))
    funder = funder or {}
    if streams := _codes(funder, "funding_streams"):
        text = _note(text, "funding_stream", f"The codes in data/funder.yaml: {streams}")
    if priorities := _codes(funder, "priorities"):
        text = _note(text, "priorities", f"The codes in data/funder.yaml: {priorities}")
    email = funder.get("contact_email")
    if isinstance(email, str) and email.strip():
        text = _set(text, "contact_email", yaml_text(email))
    return text


def create(data_dir: Path, today: date, title: str | None = None, template: Path = TEMPLATE) -> Path:
    """Write a new opportunity file with the next free id for today's year; return its path."""
    opportunity_id = next_id(data_dir, today.year)
    path = data_dir / "opportunities" / f"{opportunity_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render(template.read_text(encoding="utf-8"), opportunity_id, title, _funder(data_dir))
    with path.open("x", encoding="utf-8", newline="\n") as file:  # never overwrite
        file.write(text)
    return path


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Start a new funding opportunity with the next free id.")
    parser.add_argument("--title", help="the opportunity's title (under 140 characters)")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="the data folder (default: data/)")
    args = parser.parse_args(argv)
    title = args.title
    if title is None and sys.stdin.isatty():
        title = input("Title of the opportunity (press Enter to fill it in later): ")
    today = datetime.now(ZoneInfo("Europe/London")).date()
    try:
        path = create(args.data, today, title)
    except ValueError as error:  # a title that cannot be written on one line
        print(f"new_opportunity: {error}", file=sys.stderr)
        return 2
    slug = path.stem.lower()
    print(f"Wrote {_shown(path)}\n")
    print("Next:")
    print("  1. Open it and fill in every empty field; the notes (lines starting with #) say what each holds.")
    print("  2. Run `make check`. Until the file is complete it lists each field still to fill in, by line.")
    print(f"  3. Run `make serve` and look at http://127.0.0.1:8000/opportunities/{slug}/")
    print("  4. Commit it on a new branch and open a pull request (docs/publishing.md shows how).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

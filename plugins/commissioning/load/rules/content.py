"""Checks on the Markdown pages in `content/`, so `make check` catches what the build would trip on."""

from __future__ import annotations

import re
from typing import Iterator

from ...problems import DataError, Problem
from ..dataset import Dataset, display_name
from ..read import read_text
from .personal_data import allowed_keys, findings, markdown_findings

_METADATA = re.compile(r"([A-Za-z_]+):\s*(.*)")
_FILENAME_LINK = re.compile(r"\{filename\}(/?[^)\s#\"']+)")


def content_pages_are_sound(data: Dataset) -> Iterator[Problem]:
    """A content page (a Markdown file: the gate refuses others) is UTF-8, has a Title, links to pages that exist and holds no personal data."""
    folder = data.content_dir / "pages"
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    allowed = allowed_keys(data.funder)
    for path in files:
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue  # .gitkeep, .DS_Store: not pages, and not published
        name = display_name(path, data.root)
        if path.suffix != ".md":
            continue  # the gate (files.py) refuses it by name, with its fix, before anything is read
        try:
            text = read_text(path, name)
        except DataError as exc:
            yield from exc.problems
            continue
        lines = text.replace("\r\n", "\n").split("\n")
        metadata = {}
        for number, line in enumerate(lines, start=1):
            match = _METADATA.fullmatch(line.strip())
            if not match:
                break
            metadata[match.group(1).lower()] = match.group(2)
            for finding in findings(match.group(2)):  # Title and Summary are shown on the page
                if finding.key not in allowed:
                    yield Problem(name, number, match.group(1), finding.message)
        if not metadata.get("title"):
            yield Problem(name, 1, "Title", "is missing; start the page with a line like `Title: How we commission services`")
        for number, line in enumerate(lines, start=1):
            for target in _FILENAME_LINK.findall(line):
                base = data.content_dir if target.startswith("/") else path.parent
                if not (base / target.lstrip("/")).is_file():
                    yield Problem(name, number, "link", f"'{{filename}}{target}' is not a page under content/; check the file name")
        body_start = len(metadata)
        for number, finding in markdown_findings("\n".join(lines[body_start:])):
            if finding.key not in allowed:
                yield Problem(name, body_start + number + 1, "text", finding.message)

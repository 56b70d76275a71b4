"""Shared fixtures: real projects in temporary folders, built and checked the way staff do it."""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "plugins"), str(REPO / "tools"), str(REPO / "tests")]

from commissioning import cli  # noqa: E402

from minimal import MINIMAL_FILES  # noqa: E402

SAMPLE_NOW = "2026-11-24T09:00"


@dataclass
class Result:
    code: int
    out: str
    err: str
    output: Path

    @property
    def problems(self) -> list[str]:
        """The file:line lines of the report, without the closing count."""
        return [line for line in self.err.splitlines() if line and not line[0].isdigit() and ": " in line]


class Project:
    """A project folder (data/ and content/) to edit, check and build."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, relative: str) -> Path:
        return self.root / relative

    def read(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str | bytes) -> None:
        path = self.path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")

    def replace(self, relative: str, old: str, new: str) -> None:
        text = self.read(relative)
        assert old in text, f"{old!r} not in {relative}"
        self.write(relative, text.replace(old, new, 1))

    def overrides(self, now: str, **extra) -> dict:
        return {
            "PATH": str(self.root / "content"),
            "COMMISSIONING_ROOT": str(self.root),
            "OUTPUT_PATH": str(self.root / "output"),
            "COMMISSIONING_NOW": now,
            **extra,
        }

    def _run(self, function, *args, **kwargs) -> Result:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = function(*args, **kwargs)
        return Result(code, out.getvalue(), err.getvalue(), self.root / "output")

    def check(self, now: str = SAMPLE_NOW, github: bool = False) -> Result:
        return self._run(cli.check, REPO / "pelicanconf.py", github, overrides=self.overrides(now))

    def build(self, now: str = SAMPLE_NOW, quiet: bool = True, **extra) -> Result:
        return self._run(cli.build, REPO / "pelicanconf.py", overrides=self.overrides(now, **extra), quiet=quiet)


@pytest.fixture
def minimal_project(tmp_path) -> Project:
    """A small valid project whose every line number the tests know."""
    project = Project(tmp_path)
    for name, text in MINIMAL_FILES.items():
        project.write(name, text)
    return project


@pytest.fixture
def sample_project(tmp_path) -> Project:
    """A copy of the repository's sample data and content."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    shutil.copytree(REPO / "content", tmp_path / "content")
    return Project(tmp_path)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample site, built once with the clock at SAMPLE_NOW."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "content", root / "content")
    result = Project(root).build()
    assert result.code == 0, result.err
    return result.output


def page(output: Path, path: str) -> BeautifulSoup:
    """A built page parsed, by its URL path ('opportunities/' or '404.html')."""
    file = output / path
    if path.endswith("/") or not path:
        file = file / "index.html"
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")

"""The live preview: after each edit, only what the edit reaches is written again, and what is on disk is
what a full build of the same data writes (minified and indexed for search aside: the preview does
neither)."""

from __future__ import annotations

import csv
import gc
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE_NOW, Project
from commissioning import cli, sections, workers
from commissioning.preview import session as session_module
from commissioning.preview.session import Session
from commissioning.problems import DataError


def _session(project: Project) -> Session:
    overrides = project.overrides(SAMPLE_NOW, OUTPUT_PATH=str(project.path("preview")))
    session = Session(cli._settings(REPO / "pelicanconf.py", overrides))
    session.build()
    return session


def _full_build(project: Project) -> Path:
    result = project.build(OUTPUT_PATH=str(project.path("full")), COMMISSIONING_MINIFY=False,
                           COMMISSIONING_SEARCH_INDEX=False)
    assert result.code == 0, result.err
    return project.path("full")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_same_as_full_build(project: Project, session: Session) -> None:
    preview, full = _files(session.output), _files(_full_build(project))
    assert sorted(preview) == sorted(full)
    differ = [name for name in full if preview[name] != full[name]]
    assert differ == []


def _edit_title(project: Project, relative: str, added: str) -> None:
    text = project.read(relative)
    line = re.search(r"^title: (.*)$", text, re.M).group(0)
    edited = line[:-1] + added + line[-1] if line[-1] in "\"'" else line + added
    project.write(relative, text.replace(line, edited, 1))


def _first_opportunity(project: Project) -> str:
    return sorted(p.relative_to(project.root).as_posix() for p in project.path("data/opportunities").glob("*.md"))[0]


@pytest.mark.parametrize("shared", [False, True], ids=["one process", "shared between cores"])
def test_an_edited_opportunity_rewrites_only_what_shows_it_and_matches_a_full_build(sample_project, monkeypatch, shared):
    if shared:  # as for a large site: the first build's pages are written by forked copies, which send back what each read
        monkeypatch.setattr(workers, "PARALLEL_FROM", 10)
        monkeypatch.setattr(workers, "cores", lambda: 2)
    session = _session(sample_project)
    relative = _first_opportunity(sample_project)
    slug = Path(relative).stem.lower()
    _edit_title(sample_project, relative, " (edited)")
    rebuilt = session.update()
    assert f"opportunities/{slug}/index.html" in rebuilt.changed
    assert "data/opportunities.csv" in rebuilt.changed
    # The map from records to pages keeps the rest: the providers' and most awards' pages are not written.
    assert rebuilt.pages < rebuilt.of_pages / 4, rebuilt.changed
    assert not any(name.startswith("providers/") for name in rebuilt.changed)
    assert "(edited)" in (session.output / f"opportunities/{slug}/index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(sample_project, session)


def test_nothing_changed_writes_nothing(sample_project):
    session = _session(sample_project)
    before = {name: os.stat(session.output / name).st_mtime_ns for name in _files(session.output)}
    rebuilt = session.update()
    assert (rebuilt.pages, rebuilt.files, rebuilt.removed) == (0, 0, 0)
    assert {name: os.stat(session.output / name).st_mtime_ns for name in _files(session.output)} == before


def _edit_csv(project: Project, relative: str, row: int, column: str, change) -> None:
    with project.path(relative).open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    index = rows[0].index(column)
    rows[row][index] = change(rows[row][index])
    with project.path(relative).open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)


def test_edits_to_awards_providers_and_payments_match_a_full_build(sample_project):
    session = _session(sample_project)
    _edit_csv(sample_project, "data/awards.csv", 1, "amount_awarded", lambda v: str(Decimal(v) + 1000))
    _edit_csv(sample_project, "data/providers.csv", 1, "name", lambda v: v + " Trust")
    payments = sorted(sample_project.path("data/payments").glob("*.csv"))[-1].relative_to(sample_project.root)
    _edit_csv(sample_project, payments.as_posix(), 2, "amount", lambda v: str(Decimal(v) - 1))
    rebuilt = session.update()
    assert rebuilt.pages > 0
    assert_same_as_full_build(sample_project, session)




def _on_disk_when_files_start(monkeypatch, session: Session) -> dict[str, str]:
    """Every page as it is on disk at the moment the rebuild starts making the site's files again."""
    seen: dict[str, str] = {}
    real = sections.files

    def files(site, *args):
        if not seen:
            seen.update((p.relative_to(session.output).as_posix(), p.read_text(encoding="utf-8"))
                        for p in session.output.rglob("*.html"))
        return real(site, *args)

    monkeypatch.setattr(sections, "files", files)
    return seen


@pytest.mark.parametrize("kind", ["opportunity", "award"])
def test_the_edited_records_page_is_written_before_the_rest_is_made(sample_project, monkeypatch, kind):
    """The page staff are looking at shows the edit first; the files and other pages follow."""
    session = _session(sample_project)
    if kind == "opportunity":
        relative = _first_opportunity(sample_project)
        name = f"opportunities/{Path(relative).stem.lower()}/index.html"
        _edit_title(sample_project, relative, " Quillwort")
    else:
        with sample_project.path("data/awards.csv").open(encoding="utf-8-sig", newline="") as file:
            award_id = next(csv.DictReader(file))["id"]
        name = f"funded-services/{award_id.lower()}/index.html"
        _edit_csv(sample_project, "data/awards.csv", 1, "title", lambda v: v + " Quillwort")
    seen = _on_disk_when_files_start(monkeypatch, session)
    rebuilt = session.update()
    assert "Quillwort" in seen[name], "the edited record's page was not written before the files were made"
    others = [n for n in rebuilt.changed if n.endswith(".html") and n != name
              and "Quillwort" in (session.output / n).read_text(encoding="utf-8")]
    assert others, "no other page shows the edit"
    assert not any("Quillwort" in seen[n] for n in others)  # they follow, with the rest
    assert rebuilt.first is not None and rebuilt.first < rebuilt.seconds
    assert "pages first" in rebuilt.line()
    assert_same_as_full_build(sample_project, session)


def test_many_changed_records_are_written_with_the_rest(sample_project, monkeypatch):
    session = _session(sample_project)
    monkeypatch.setattr(session_module, "FIRST_AT_MOST", 1)
    _edit_csv(sample_project, "data/awards.csv", 1, "title", lambda v: v + " Quillwort")
    _edit_csv(sample_project, "data/awards.csv", 2, "title", lambda v: v + " Quillwort")
    rebuilt = session.update()
    assert rebuilt.first is None and "first" not in rebuilt.line()
    assert_same_as_full_build(sample_project, session)


def test_each_sections_templates_are_in_a_folder_named_after_it(sample_project):
    """The preview finds the section that makes a record's page by its template's folder."""
    session = _session(sample_project)
    site, files = session.generator.site, session.generator.files
    for section in sections.SECTIONS:
        made = section.pages(site, files)
        assert all(page.template.partition("/")[0] == section.name for page in made), section.name
def test_an_edit_to_funder_yaml_reaches_every_page_pelican_writes_too(sample_project):
    """The funder's name is in every page's header, the Markdown pages' of content/ included."""
    session = _session(sample_project)
    text = sample_project.read("data/funder.yaml")
    name = next(line for line in text.splitlines() if line.startswith("name:"))
    sample_project.replace("data/funder.yaml", name, name + " (renamed)")
    session.update()
    assert "(renamed)" in (session.output / "about/index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(sample_project, session)


def test_a_removed_opportunity_is_removed_from_the_preview(sample_project):
    session = _session(sample_project)
    # One no award names, so that removing it leaves the data valid.
    named = sample_project.read("data/awards.csv")
    relative = next(p.relative_to(sample_project.root).as_posix()
                    for p in sorted(sample_project.path("data/opportunities").glob("*.md")) if p.stem not in named)
    slug = Path(relative).stem.lower()
    sample_project.path(relative).unlink()
    rebuilt = session.update()
    assert rebuilt.removed > 0
    assert not (session.output / f"opportunities/{slug}/index.html").exists()
    assert_same_as_full_build(sample_project, session)


def test_a_rebuild_walks_no_kept_objects_and_settle_sets_them_aside(sample_project):
    """At the default size a full collection walks millions of kept objects, a quarter of a rebuild:
    none runs during update(), and settle() freezes what is kept once the edit is shown."""
    session = _session(sample_project)
    collections = []

    def counted(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    _edit_title(sample_project, _first_opportunity(sample_project), " (edited)")
    gc.callbacks.append(counted)
    try:
        session.update()
    finally:
        gc.callbacks.remove(counted)
    # At most one, in the allocations before the pause begins (without it, hundreds).
    assert len(collections) <= 1 and gc.isenabled(), collections
    try:
        session.settle()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_invalid_data_leaves_the_preview_as_it_was(sample_project):
    session = _session(sample_project)
    before = _files(session.output)
    sample_project.replace("data/awards.csv", ",grant,", ",grnat,")
    with pytest.raises(DataError) as raised:
        session.update()
    assert any(p.file == "data/awards.csv" for p in raised.value.problems)
    assert _files(session.output) == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _serve(project, **popen) -> subprocess.Popen:
    """`python -m commissioning serve` on the project, its output piped."""
    settings = project.path("settings.py")
    settings.write_text("\n".join([
        "import sys", f"sys.path.insert(0, {str(REPO)!r})", "from pelicanconf import *",
        *(f"{k} = {v!r}" for k, v in project.overrides(SAMPLE_NOW).items())]) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "plugins"), str(REPO / "tools")])}
    return subprocess.Popen([sys.executable, "-m", "commissioning", "serve", "--settings", str(settings),
                             "--port", str(popen.pop("port"))], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **popen)


def test_serve_shows_an_edit_through_the_web_server(minimal_project):
    """`make serve` end to end: the page served changes after the file is saved, and Ctrl+C stops it."""
    port = _free_port()
    # Ctrl+C heard, as by a program a person starts in a terminal: run as a background job (a CI
    # step, `make test &`), these tests inherit SIGINT ignored, and so would the server (the next
    # test is that case).
    server = _serve(minimal_project, port=port, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # Read the server's output as it comes: a page is written before its "Rebuilt" line is printed, so
    # stopping the server as soon as the page changes could stop it between the two.
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)
    reader.start()
    try:
        address = f"http://127.0.0.1:{port}/opportunities/opp-2026-002/"
        deadline = time.monotonic() + 60
        while True:
            try:
                assert "Stalking advocacy service" in _get(address)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "".join(lines)
                time.sleep(0.2)
        minimal_project.replace("data/opportunities/OPP-2026-002.md", "title: Stalking advocacy service",
                                "title: Stalking advocacy and support service")
        deadline = time.monotonic() + 30
        while "Stalking advocacy and support service" not in _get(address):
            assert time.monotonic() < deadline, "the edit never reached the page"
            time.sleep(0.2)
        while not re.search(r"Rebuilt \d+ of \d+ pages", "".join(lines)):
            assert time.monotonic() < deadline, "".join(lines)
            time.sleep(0.1)
        # A download is sent whole, as it is on disk (by the kernel: see watch._QuietHandler).
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/data/funding-register.csv", timeout=10) as response:
            served = response.read()
        assert served == minimal_project.path("output/data/funding-register.csv").read_bytes()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        reader.join(timeout=30)
    out = "".join(lines)
    assert server.returncode == 0, out
    assert "Traceback" not in out


def test_serve_started_deaf_to_ctrl_c_stops_cleanly_when_told_to_end(minimal_project):
    """A script that starts the preview in the background leaves it ignoring SIGINT (as a shell does
    for a background job): SIGTERM, what `kill` sends, stops it as Ctrl+C does, not as a death."""
    port = _free_port()
    server = _serve(minimal_project, port=port, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while not any(line.startswith("Preview at") for line in lines):
            assert server.poll() is None and time.monotonic() < deadline, "".join(lines)
            time.sleep(0.1)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
        reader.join(timeout=30)
    out = "".join(lines)
    assert server.returncode == 0, out
    assert "Traceback" not in out


def test_a_file_is_digested_by_its_bytes_and_what_is_said_of_it_not_its_values():
    """The data page lists every download; its digest need not pickle a year of payments' values,
    which the file's bytes already hold."""
    from datetime import date

    from commissioning.open_data.files import Download
    from commissioning.preview.digest import Digests

    def digest(**changes):
        fields = {"save_as": "data/x.csv", "content": b"id,paid\n1,2\n", "lastmod": date(2026, 5, 1),
                  "title": "X", "rows": 1, "values": {"paid": [2]}, **changes}
        return Digests().of([Download(**fields)])

    assert digest() == digest(values={"paid": [Decimal(2)]}) == digest(values=None)
    assert len({digest(), digest(content=b"id,paid\n1,3\n"), digest(title="Y"), digest(rows=2),
                digest(lastmod=date(2026, 5, 2))}) == 5


def test_a_years_spend_is_digested_once_and_its_change_still_changes_the_overview(sample_project):
    """A year's spend is its page's and the spend overview's: digested once a rebuild, it stands in the
    overview by its digest, which must still change when the year does."""
    from commissioning.preview import digest

    session = _session(sample_project)
    spend = session.generator.site.spend
    pickled = []
    real = digest._pickled

    def counted(value, digests):
        pickled.append(type(value).__name__)
        return real(value, digests)

    digest._pickled = counted
    try:
        digests = digest.Digests()
        before = digests.of(spend)
        assert pickled.count("YearSpend") == len(spend.years) > 1  # each on its own, for the pages to come
        for year in spend.years:
            digests.of(year)
    finally:
        digest._pickled = real
    assert pickled.count("YearSpend") == len(spend.years)  # not again
    year = spend.years[0]
    year.payments = year.payments[1:]
    assert digest.Digests().of(spend) != before


def test_a_rebuilt_page_or_file_is_moved_into_place_whole(sample_project, monkeypatch):
    """The preview's server sends pages while they are written again: each is written beside itself,
    then moved into place, so a reader never gets half of one."""
    session = _session(sample_project)
    relative = _first_opportunity(sample_project)
    page = session.output / f"opportunities/{Path(relative).stem.lower()}/index.html"
    before = page.read_bytes()
    moved = {}
    real = os.replace

    def replace(source, target):
        target = Path(target)
        # The first move of each: the edited record's page is moved in again with the rest.
        moved.setdefault(target.relative_to(session.output).as_posix(), target.read_bytes() if target.exists() else None)
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    _edit_title(sample_project, relative, " (edited)")
    rebuilt = session.update()
    assert moved[page.relative_to(session.output).as_posix()] == before  # the old page until the move
    assert "(edited)" in page.read_text(encoding="utf-8")
    assert "data/opportunities.csv" in moved
    assert set(rebuilt.changed) <= set(moved)
    assert not list(session.output.rglob("*.part"))

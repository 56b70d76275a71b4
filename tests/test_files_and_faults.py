"""The files gate and the build's faults: real sites built in temporary folders.

Every file under data/ and content/ is read by a reader we know or refused by name before anything
reads it (load/files.py); a refused file, a held lock, a full disk, a read-only folder or Ctrl+C is a
message of one line and leaves the published output/ exactly as it was (output_folder.py, cli.py).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import sys
import weakref
from pathlib import Path

import pytest

from commissioning import cli, output_folder, pelican_side, postprocess
from commissioning.load import files
from conftest import REPO
from test_build import snapshot

SECRET = "SECRET-7f3a9c-do-not-publish"


@pytest.fixture
def secret(tmp_path_factory) -> Path:
    """A folder outside the project, holding files no build may read or publish."""
    folder = tmp_path_factory.mktemp("elsewhere")
    (folder / "passwd").write_text(f"root:x:0:0:{SECRET}:/root:/bin/bash\n", encoding="utf-8")
    (folder / "page.md").write_text(f"Title: Secret\n\n{SECRET}\n", encoding="utf-8")
    (folder / "providers.csv").write_text(f"id,name\n{SECRET},x\n", encoding="utf-8")
    return folder


def leftovers(project) -> list[str]:
    return [p.name for p in project.root.iterdir() if p.name.startswith("output.")]


def published(output: Path) -> str:
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in output.rglob("*") if p.is_file())


def link(project, relative: str, target: Path) -> None:
    project.path(relative).parent.mkdir(parents=True, exist_ok=True)
    project.path(relative).symlink_to(target)


def move(project, old: str, new: str) -> None:
    project.path(old).rename(project.path(new))


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
# (case, how to spoil the project, a line the report must hold)
REFUSED = [
    ("linked document", lambda p, s: link(p, "content/documents/passwd.txt", s / "passwd"),
     "content/documents/passwd.txt: is a link to another file or folder"),
    ("linked folder out of the project", lambda p, s: link(p, "content/documents/elsewhere", s),
     "content/documents/elsewhere: is a link to another file or folder"),
    ("linked page", lambda p, s: p.path("content/pages/linked.md").symlink_to(s / "page.md"),
     "content/pages/linked.md: is a link to another file or folder"),
    ("linked data file", lambda p, s: (p.path("data/providers.csv").unlink(), p.path("data/providers.csv").symlink_to(s / "providers.csv")),
     "data/providers.csv: is a link to another file or folder"),
    ("linked content folder", lambda p, s: (shutil.rmtree(p.path("content")), p.path("content").symlink_to(s)),
     "content: is a link to another file or folder"),
    ("reStructuredText page", lambda p, s: p.write("content/pages/evil.rst", f"Evil\n====\n\n.. include:: {s / 'passwd'}\n"),
     "content/pages/evil.rst: is not read: pages must be Markdown files ending .md; rename it evil.md"),
    ("HTML page", lambda p, s: p.write("content/pages/raw.html", "<html><script>alert(1)</script></html>"),
     "content/pages/raw.html: is not read: pages must be Markdown files ending .md; rename it raw.md"),
    ("opportunity saved as .markdown", lambda p, s: move(p, "data/opportunities/OPP-2026-002.md", "data/opportunities/OPP-2026-002.markdown"),
     "data/opportunities/OPP-2026-002.markdown: is not read: an opportunity is a Markdown file ending .md; rename it OPP-2026-002.md"),
    ("payments saved as .CSV", lambda p, s: move(p, "data/payments/2025-26.csv", "data/payments/2025-26.CSV"),
     "data/payments/2025-26.CSV: ends in .CSV, not .csv in lower case, so it would not be read; rename it 2025-26.csv"),
    ("payments for year 9999", lambda p, s: p.write("data/payments/9999-00.csv", "date,provider_id,award_id,amount,description\n"),
     "data/payments/9999-00.csv: is not named for a financial year; name it like 2025-26.csv"),
    ("no payments folder", lambda p, s: shutil.rmtree(p.path("data/payments")),
     "data/payments: folder is missing, so the site would publish no spend; put back data/payments/"),
    ("no opportunities folder", lambda p, s: shutil.rmtree(p.path("data/opportunities")),
     "data/opportunities: folder is missing, so the site would publish no opportunities"),
    ("linked monitoring file", lambda p, s: link(p, "data/monitoring/2025-26-returns.csv", s / "providers.csv"),
     "data/monitoring/2025-26-returns.csv: is a link to another file or folder"),
    ("stray data file", lambda p, s: p.write("data/Awards.csv", "id\n"),
     "data/Awards.csv: is not a file the site reads"),
    ("SVG with script", lambda p, s: p.write("content/documents/map.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
     "content/documents/map.svg: is a web page, script or SVG image, which could run code under the site's own address"),
    ("HTML document with script", lambda p, s: p.write("content/documents/form.html", "<html><script>alert(1)</script></html>"),
     "content/documents/form.html: is a web page, script or SVG image"),
    ("HTML renamed .pdf", lambda p, s: p.write("content/documents/spec.pdf", "<html><script>alert(1)</script></html>"),
     "content/documents/spec.pdf: ends in .pdf but is not a PDF file inside"),
    ("HTML renamed .png", lambda p, s: p.write("content/documents/logo.png", "<svg onload=alert(1)>"),
     "content/documents/logo.png: ends in .png but is not a PNG file inside"),
    ("script saved as .txt", lambda p, s: p.write("content/documents/notes.txt", "\n<SCRIPT>alert(1)</SCRIPT>"),
     "content/documents/notes.txt: ends in .txt but is not plain UTF-8 text inside, or looks like a web page or script"),
    ("document of an unlisted kind", lambda p, s: p.write("content/documents/run.exe", b"MZ\x90\x00"),
     "content/documents/run.exe: is not a kind of document the site publishes"),
    ("file loose in content/", lambda p, s: p.write("content/notes.txt", "notes"),
     "content/notes.txt: is not published: content/ holds pages in content/pages/ and documents in content/documents/"),
    ("page titled Data", lambda p, s: p.write("content/pages/data.md", "Title: Data\n\nOur data.\n"),
     "content/pages/data.md:1: Title: 'Data' gives this page the address /data/, which is the site's own data"),
    ("page slug of a section", lambda p, s: p.write("content/pages/x.md", "Title: Spending\nSlug: spend\n\nText.\n"),
     "content/pages/x.md:2: Slug: 'spend' gives this page the address /spend/, which is the site's own spend"),
    ("two pages at one address", lambda p, s: p.write("content/pages/about-us.md", "Title: About us\nSlug: about\n\nText.\n"),
     "content/pages/about.md:2: Slug: 'about' gives this page the address /about/, which content/pages/about-us.md has already"),
    ("page that writes anywhere", lambda p, s: p.write("content/pages/x.md", "Title: X\nSave_as: sitemap.xml\n\nText.\n"),
     "content/pages/x.md:2: Save_as: is not allowed in a page; delete this line"),
    ("slug that climbs out", lambda p, s: p.write("content/pages/x.md", "Title: X\nSlug: ../../etc\n\nText.\n"),
     "content/pages/x.md:2: Slug: '../../etc' is not a web address a page can have"),
    ("title with no letters", lambda p, s: p.write("content/pages/x.md", "Title: ???\n\nText.\n"),
     "content/pages/x.md:1: Title: gives the page no web address"),
]


@pytest.mark.parametrize("case,spoil,expected", REFUSED, ids=[c[0] for c in REFUSED])
def test_a_refused_file_is_named_and_nothing_is_published(minimal_project, secret, case, spoil, expected):
    assert minimal_project.build().code == 0
    before = snapshot(minimal_project.path("output"))
    spoil(minimal_project, secret)
    for result in (minimal_project.check(), minimal_project.build()):
        assert result.code == 1, result.err
        assert any(line.startswith(expected) for line in result.problems), result.err
        assert "Traceback" not in result.err
        assert SECRET not in result.err + result.out
    assert snapshot(minimal_project.path("output")) == before
    assert SECRET not in published(minimal_project.path("output"))
    assert leftovers(minimal_project) == []


def test_the_sample_project_and_harmless_extras_pass_the_gate(sample_project):
    sample_project.write("data/.gitkeep", "")
    sample_project.write("data/NOTES.md", "# How we keep the data\n")
    sample_project.write("content/documents/.DS_Store", b"\x00\x01")
    sample_project.write("content/documents/logo.png", PNG)
    sample_project.write("content/documents/budget.xlsx", b"PK\x03\x04" + b"\x00" * 20)
    sample_project.write("content/documents/old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8)
    sample_project.write("content/documents/photo.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 ")
    sample_project.write("content/documents/figures.csv", "\ufeffyear,amount\n2025,£100\n")
    sample_project.write("content/documents/annex/annex-a.PDF", b"%PDF-1.7\n")
    sample_project.write("content/pages/guides/draft.md", "Title: Data\nStatus: draft\n\nNot published.\n")
    root = sample_project.root
    assert files.gate(root / "data", root / "content", root) == []


def test_the_reserved_addresses_are_every_top_level_name_the_site_writes(sample_site):
    pages = {files._metadata(p)["slug"][0] for p in (REPO / "content" / "pages").glob("*.md")}
    written = {p.name for p in sample_site.iterdir()} - pages
    assert written <= files.RESERVED, f"add to files.RESERVED: {sorted(written - files.RESERVED)}"


def test_hidden_documents_are_not_published(minimal_project):
    minimal_project.write("content/documents/.secret.txt", SECRET)
    result = minimal_project.build()
    assert result.code == 0, result.err
    assert SECRET not in published(result.output)


@contextlib.contextmanager
def _plugin_disconnected():
    """Pelican's signals live as long as the process: a build run in this one (the preview's tests run
    Pelican here) leaves our receivers connected. They are taken off, then put back as they were."""
    import commissioning

    def connected(signal, receiver):
        return any((ref() if isinstance(ref, weakref.ref) else ref) is receiver for ref in signal.receivers.values())

    were = [(signal, receiver) for signal, receiver in commissioning.receivers() if connected(signal, receiver)]
    for signal, receiver in were:
        signal.disconnect(receiver)
    try:
        yield
    finally:
        for signal, receiver in were:
            signal.connect(receiver)


def test_pelican_reads_no_page_but_markdown_even_past_the_gate(tmp_path, secret):
    """The second lock: were the gate (and the content check) to miss a page that is not .md, Pelican,
    with pelicanconf.py's READERS and IGNORE_FILES, would still neither read nor publish it."""
    from pelican import Pelican
    from pelican.readers import Readers
    from pelican.settings import DEFAULT_THEME, read_settings

    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "documents").mkdir()
    (content / "pages" / "evil.rst").write_text(f"Evil\n####\n\n:slug: evil\n\n.. include:: {secret / 'passwd'}\n")
    (content / "pages" / "old.markdown").write_text(f"Title: Old\nSlug: old\n\n{SECRET}\n")
    (content / "pages" / "ok.md").write_text("Title: Fine\nSlug: fine\n\nFine.\n")
    (content / "documents" / ".hidden.txt").write_text(SECRET)
    settings = read_settings(str(REPO / "pelicanconf.py"), override={
        "PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"), "PLUGINS": [], "THEME": DEFAULT_THEME})
    assert set(Readers(settings).extensions) - {"static"} == {"md"}  # "static": documents, copied
    with _plugin_disconnected():  # PLUGINS is empty here, but an earlier in-process build left it connected
        Pelican(settings).run()
    assert (tmp_path / "output" / "fine" / "index.html").is_file()
    assert not (tmp_path / "output" / "evil").exists() and not (tmp_path / "output" / "old").exists()
    assert SECRET not in published(tmp_path / "output")


def test_an_unreadable_folder_is_a_problem_naming_the_cause(minimal_project, monkeypatch):
    real = os.scandir
    payments = str(minimal_project.path("data/payments"))

    def scandir(path="."):
        if os.fspath(path) == payments:
            raise PermissionError(errno.EACCES, "Permission denied", payments)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = minimal_project.check()
    assert result.code == 1
    assert "data/payments: cannot be read (Permission denied); check the permissions of the folder" in result.problems


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_a_problem_naming_the_cause(minimal_project):
    minimal_project.path("data/awards.csv").chmod(0)
    result = minimal_project.check()
    assert result.code == 1
    assert "data/awards.csv: cannot be read (Permission denied); check the permissions of the file" in result.problems


# --- Pelican's own warnings -------------------------------------------------------------------


def test_pelican_warnings_name_the_page_they_concern_not_the_settings(minimal_project):
    minimal_project.replace("content/pages/about.md", "We publish", "![](https://img.example/chart.png)\n\nWe publish")
    result = minimal_project.build()
    assert result.code == 1
    assert "content/pages/about.md: pelican: Empty alt attribute for image chart.png in content/pages/about.md" in result.problems, result.err
    assert "pelicanconf.py" not in result.err
    assert str(minimal_project.root) not in result.err


def test_a_pelican_warning_without_a_path_is_found_by_what_it_quotes(minimal_project):
    minimal_project.replace("content/pages/about.md", "[our data]({site}/data/)", "[the plan]({static}/documents/plan.pdf)")
    result = minimal_project.build()
    assert result.code == 1
    assert any(line.startswith("content/pages/about.md: pelican: ") and "content/documents/plan.pdf" in line
               for line in result.problems), result.err
    assert str(minimal_project.root) not in result.err


# --- the output folder: lock, leftovers, swap -------------------------------------------------


def test_a_second_build_in_the_folder_is_refused_while_one_runs(minimal_project):
    assert minimal_project.build().code == 0
    before = snapshot(minimal_project.path("output"))
    minimal_project.replace("content/pages/about.md", "About this site.", "Changed.")
    with open(output_folder.lock_file(minimal_project.path("output")), "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = minimal_project.build()
    assert result.code == cli.MACHINE
    assert result.err.strip() == "output: another build is running in this folder; wait for it to finish, then build again"
    assert snapshot(minimal_project.path("output")) == before
    assert minimal_project.build().code == 0  # once the other has finished


def test_what_a_killed_build_left_is_removed_by_the_next(minimal_project):
    assert minimal_project.build().code == 0
    for name in ("output.building-abc123", "output.building-abc123.search-def456", "output.search-0a1b2c",
                 "output.old-99ff00"):
        minimal_project.write(f"{name}/index.html", "<p>half a site</p>")
    assert minimal_project.build().code == 0
    assert leftovers(minimal_project) == []
    assert "half a site" not in minimal_project.read("output/index.html")


def test_a_kill_between_the_two_renames_leaves_a_site_after_the_next_start(minimal_project, monkeypatch):
    assert minimal_project.build().code == 0
    target = minimal_project.path("output")
    before = snapshot(target)
    staging = output_folder.staging_folder(target)
    (staging / "index.html").write_text("<p>new</p>")
    output_folder.retire(target)  # the first rename; killed before the second
    assert not target.exists()
    output_folder.recover(target)  # what the next build does first
    assert snapshot(target) == before
    assert leftovers(minimal_project) == []
    # And the next build itself, with the swap by two renames (no atomic exchange) all the way.
    output_folder.retire(target)
    monkeypatch.setattr(output_folder, "exchange", lambda first, second: False)
    assert minimal_project.build().code == 0
    assert (target / "index.html").is_file() and leftovers(minimal_project) == []


def test_the_swap_exchanges_the_folders_in_one_step_and_a_kill_after_it_leaves_the_new_site(minimal_project, monkeypatch):
    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2 is Linux's")
    target = minimal_project.path("output")
    minimal_project.write("output/index.html", "<p>old</p>")
    staging = output_folder.staging_folder(target)
    (staging / "index.html").write_text("<p>new</p>")
    monkeypatch.setattr(shutil, "rmtree", lambda *a, **k: None)  # killed before the old site is deleted
    output_folder.swap(staging, target)
    monkeypatch.undo()
    assert target.is_dir() and not target.is_symlink()
    assert (target / "index.html").read_text() == "<p>new</p>"
    assert (staging / "index.html").read_text() == "<p>old</p>"  # the old site, under the staging name
    output_folder.recover(target)
    assert (target / "index.html").read_text() == "<p>new</p>" and leftovers(minimal_project) == []


# --- faults of the machine --------------------------------------------------------------------


def _raise(exc):
    def function(*args, **kwargs):
        raise exc
    return function


FAULTS = [
    ("disk full while writing", pelican_side.CommissioningGenerator, "write_files",
     lambda p: OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(p.root / "output.building-x" / "data" / "a.csv")),
     "output: cannot be written: the disk is full; free some space, then build again", cli.MACHINE),
    ("permission denied while writing", pelican_side.CommissioningGenerator, "write_files",
     lambda p: PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(p.root / "output.building-x" / "spend")),
     "output: cannot be written: permission denied", cli.MACHINE),
    ("read-only project folder", output_folder, "staging_folder",
     lambda p: OSError(errno.EROFS, os.strerror(errno.EROFS), str(p.root / "output.building-x")),
     "output: cannot be written: the disk is read-only", cli.MACHINE),
    ("disk full while indexing", postprocess, "index",
     lambda p: OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(p.root / "output.building-x" / "pagefind")),
     "output: cannot be written: the disk is full", cli.MACHINE),
    ("Ctrl+C while writing", pelican_side.CommissioningGenerator, "write_files", lambda p: KeyboardInterrupt(),
     "output: the build was stopped (Ctrl+C) before it finished", cli.STOPPED),
    ("Ctrl+C while indexing", postprocess, "index", lambda p: KeyboardInterrupt(),
     "output: the build was stopped (Ctrl+C) before it finished", cli.STOPPED),
    ("Ctrl+C while swapping", output_folder, "swap", lambda p: KeyboardInterrupt(),
     "output: the build was stopped (Ctrl+C) before it finished", cli.STOPPED),
]


@pytest.mark.parametrize("case,owner,name,make,expected,code", FAULTS, ids=[f[0] for f in FAULTS])
def test_a_fault_of_the_machine_is_one_line_and_leaves_the_site_as_it_was(minimal_project, monkeypatch,
                                                                           case, owner, name, make, expected, code):
    assert minimal_project.build().code == 0
    before = snapshot(minimal_project.path("output"))
    monkeypatch.setattr(owner, name, _raise(make(minimal_project)))
    result = minimal_project.build()
    assert result.code == code
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), result.err
    assert "Traceback" not in result.err
    assert snapshot(minimal_project.path("output")) == before
    assert leftovers(minimal_project) == []


def test_a_fault_in_a_copy_writing_pages_is_named_too():
    from commissioning import workers

    error = workers.WorkerError("A process writing pages failed:\nTraceback (most recent call last):\n  ...\n"
                                "OSError: [Errno 28] No space left on device: '/site/output.building-1/a/index.html'\n")
    found = cli._os_error(error)
    assert (found.errno, found.filename) == (errno.ENOSPC, "/site/output.building-1/a/index.html")
    problem = output_folder.fault(found, Path("/site/output"), Path("/site"))
    assert str(problem).startswith("output: cannot be written: the disk is full")


def test_a_file_written_whole_is_all_there_or_left_as_it_was(tmp_path, monkeypatch):
    """whole_file.write_whole, which the importers and the kept workbooks and suppression answers use."""
    from commissioning import whole_file

    path = tmp_path / "kept" / "answers.json"
    whole_file.write_whole(path, b"first")
    assert path.read_bytes() == b"first"

    def stopped(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(whole_file.os, "replace", stopped)
    with pytest.raises(OSError):
        whole_file.write_whole(path, b"second, never in place")
    assert path.read_bytes() == b"first"
    assert [p.name for p in path.parent.iterdir()] == ["answers.json"], "no partial file is left beside it"

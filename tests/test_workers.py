"""Pages written by forked copies of the build, one per core: the same site as one process writes,
and a copy's failure or warning stops the build as it would in one process."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from commissioning import workers


def _shared_by(monkeypatch, tmp_path: Path, processes: int, then=None) -> Path:
    """Force `processes` processes for any amount of work; each part's work also runs `then` in a copy.
    Returns a folder where each process that wrote pages leaves a file named for its id."""
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(workers, "cores", lambda: processes)
    marks = tmp_path / "writers"
    marks.mkdir()
    share = workers.share

    def marked_share(items, work):
        sharer = os.getpid()  # the process writing the site, which forks the copies

        def marked(part):
            (marks / str(os.getpid())).write_text(str(len(part)))
            if then and os.getpid() != sharer:
                then()
            work(part)

        return share(items, marked)

    monkeypatch.setattr(workers, "share", marked_share)
    return marks


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "pagefind" not in p.parts}


def test_every_item_is_worked_once_across_the_processes(monkeypatch, tmp_path):
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(workers, "cores", lambda: 3)

    def work(part):
        with open(tmp_path / f"{os.getpid()}.txt", "a") as stream:
            stream.writelines(f"{item}\n" for item in part)

    assert workers.share(list(range(100)), work) == 3
    done = [line for file in tmp_path.glob("*.txt") for line in file.read_text().split()]
    assert sorted(map(int, done)) == list(range(100))
    assert len(list(tmp_path.glob("*.txt"))) == 3


def test_a_copy_that_dies_is_an_error_not_a_hang(monkeypatch):
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(workers, "cores", lambda: 2)
    here = os.getpid()

    def work(part):
        if os.getpid() != here:
            os._exit(9)

    with pytest.raises(workers.WorkerError, match=r"stopped unexpectedly \(exit code 9\)"):
        workers.share([1, 2, 3, 4], work)


def test_pages_written_by_two_processes_are_the_pages_one_writes(minimal_project, monkeypatch, tmp_path):
    one = minimal_project.build()
    assert one.code == 0, one.err
    alone = _files(one.output)
    marks = _shared_by(monkeypatch, tmp_path, 2)
    two = minimal_project.build()
    assert two.code == 0, two.err
    assert len(list(marks.iterdir())) == 2, "both processes wrote pages"
    assert _files(two.output) == alone


def test_an_error_in_a_second_process_stops_the_build_with_nothing_published(minimal_project, monkeypatch, tmp_path):
    first = minimal_project.build()
    assert first.code == 0, first.err
    before = _files(first.output)

    def fail():
        raise RuntimeError("the template broke here")

    _shared_by(monkeypatch, tmp_path, 2, then=fail)
    result = minimal_project.build()
    assert result.code == 3
    assert "A process writing pages failed" in result.err
    assert "the template broke here" in result.err
    assert "nothing was published" in result.err
    assert _files(result.output) == before


def test_a_warning_in_a_second_process_fails_the_build(minimal_project, monkeypatch, tmp_path):
    def warn():
        logging.getLogger("pelican.writers").warning("a page linked to a file that is not there")

    _shared_by(monkeypatch, tmp_path, 2, then=warn)
    result = minimal_project.build()
    assert result.code == 1
    assert "a page linked to a file that is not there" in result.err

"""Workbooks kept between builds (open_data/kept_workbooks.py): a build whose data did not change
makes none again and publishes the same bytes; one that changed a file makes only that file's
workbook again; a kept file that is damaged, or a cache folder that cannot be written, is made
again rather than published or failed on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from commissioning.open_data import kept_workbooks, workbook

KEPT = kept_workbooks.FOLDER


def books(output: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((output / "data").glob("*.xlsx"))}


def made_nothing(monkeypatch) -> None:
    """Making a workbook fails the build from now on: a build that succeeds made none."""
    def refuse(jobs):
        if jobs:
            raise AssertionError(f"made {[job[0].save_as for job in jobs]}")
        return []
    monkeypatch.setattr(workbook, "_make", refuse)


def built(project):
    result = project.build()
    assert result.code == 0, result.err
    return books(result.output)


def test_a_second_build_of_the_same_data_makes_no_workbook_and_publishes_the_same_bytes(minimal_project, monkeypatch):
    first = built(minimal_project)
    assert len(first) >= 4
    assert len(list((minimal_project.root / KEPT).glob("*.xlsx"))) == len(first)
    made_nothing(monkeypatch)
    assert built(minimal_project) == first


def test_a_changed_file_makes_only_its_workbook_again_and_the_old_one_is_let_go(minimal_project, monkeypatch):
    first = built(minimal_project)
    minimal_project.replace("data/payments/2026-27.csv", "Victim care September 2026", "Victim care for September 2026")
    make, log = workbook._make, minimal_project.root / "made.txt"

    def counted(jobs):  # the build runs in a forked copy of this process: it tells through a file
        with log.open("a", encoding="utf-8") as file:
            file.writelines(job[0].save_as + "\n" for job in jobs)
        return make(jobs)
    monkeypatch.setattr(workbook, "_make", counted)
    second = built(minimal_project)
    made = log.read_text(encoding="utf-8").split()
    # The CSVs that hold the payment's description; every other workbook was read back.
    assert made and all("2026-27" in name for name in made), made
    assert {n for n in first if first[n] != second[n]} == {Path(name).with_suffix(".xlsx").name for name in made}
    assert len(list((minimal_project.root / KEPT).glob("*.xlsx"))) == len(second)
    # What was read back and made is what a build without any kept workbook makes.
    shutil.rmtree(minimal_project.root / "cache")
    monkeypatch.setattr(workbook, "_make", make)
    assert built(minimal_project) == second


def test_a_build_for_the_published_address_keeps_the_local_builds_workbooks(minimal_project, monkeypatch):
    # CI builds with `make site`, then `make publish`: the About sheets link to different addresses.
    local = built(minimal_project)
    published = minimal_project.build(SITEURL="https://funding.example.org")
    assert published.code == 0, published.err
    assert books(published.output) != local
    made_nothing(monkeypatch)
    assert built(minimal_project) == local
    again = minimal_project.build(SITEURL="https://funding.example.org")
    assert again.code == 0, again.err


def test_text_made_safe_in_the_csv_and_text_that_was_already_so_make_different_workbooks(minimal_project):
    # "=2+2" is written '=2+2 in the CSV, and so is "'=2+2": the same CSV, two different workbooks.
    minimal_project.replace("data/payments/2026-27.csv", "Victim care September 2026", "=2+2")
    built(minimal_project)
    minimal_project.replace("data/payments/2026-27.csv", "=2+2", "'=2+2")
    kept = built(minimal_project)
    shutil.rmtree(minimal_project.root / "cache")
    assert kept == built(minimal_project)


def test_a_damaged_kept_workbook_is_made_again_not_published(minimal_project):
    first = built(minimal_project)
    kept = sorted((minimal_project.root / KEPT).glob("*.xlsx"))
    kept[0].write_bytes(kept[0].read_bytes()[:-100])  # cut short
    damaged = bytearray(kept[1].read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF  # one byte changed
    kept[1].write_bytes(bytes(damaged))
    kept[2].write_bytes(b"")
    assert built(minimal_project) == first


def test_new_code_makes_every_workbook_again(minimal_project, monkeypatch):
    built(minimal_project)
    monkeypatch.setattr(kept_workbooks, "CODE", b"another version of the code....")
    made_nothing(monkeypatch)
    assert minimal_project.build().code != 0, "a workbook kept by other code was published"


def test_a_cache_folder_that_cannot_be_written_only_makes_the_build_slower(minimal_project):
    first = built(minimal_project)
    shutil.rmtree(minimal_project.root / "cache")
    (minimal_project.root / "cache").write_text("not a folder")
    assert built(minimal_project) == first


@settings(max_examples=60, deadline=None)
@given(content=st.binary(max_size=2000), flip=st.integers(min_value=0))
def test_a_kept_file_reads_back_as_written_and_any_change_to_it_is_refused(tmp_path_factory, content, flip):
    folder = tmp_path_factory.mktemp("kept")
    name = kept_workbooks._name(b"a key")
    kept_workbooks._write(folder, name, content)
    assert kept_workbooks._read(folder, name) == content
    held = bytearray((folder / name).read_bytes())
    held[flip % len(held)] ^= 0x01
    (folder / name).write_bytes(bytes(held))
    assert kept_workbooks._read(folder, name) is None
    assert [p.name for p in folder.iterdir()] == [name], "no partial file is left beside it"


def test_only_this_builds_workbooks_are_kept_and_other_files_are_left_alone(tmp_path):
    folder = tmp_path / KEPT
    folder.mkdir(parents=True)
    stale = folder / kept_workbooks._name(b"an old key")
    stale.write_bytes(b"old")
    elsewhere = folder / kept_workbooks._name(b"an old key", "https://funding.example.org")
    elsewhere.write_bytes(b"kept for the published site")
    notes = folder / "README.txt"
    notes.write_text("someone's note")
    jobs = ["a", "b"]
    got = kept_workbooks.made(jobs, str.encode, lambda missing: [j.encode() * 3 for j in missing],
                               kept_workbooks.Folder(tmp_path))
    assert got == [b"aaa", b"bbb"]
    assert not stale.exists() and notes.exists() and elsewhere.exists()
    again = kept_workbooks.made(jobs, str.encode, lambda missing: pytest.fail(f"made {missing}"),
                                 kept_workbooks.Folder(tmp_path))
    assert again == got


def test_the_previews_store_in_memory_keeps_as_the_folder_does():
    store = kept_workbooks.Memory()
    made = []

    def make(missing):
        made.extend(missing)
        return [j.encode() * 2 for j in missing]

    assert kept_workbooks.made(["a", "b"], str.encode, make, store) == [b"aa", b"bb"]
    assert kept_workbooks.made(["b", "c"], str.encode, make, store) == [b"bb", b"cc"]
    assert made == ["a", "b", "c"], "b was read back, not made again"
    assert store == {b"b": b"bb", b"c": b"cc"}, "a, not asked for, was let go"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"'", b'"', b";", b"\n", b"\r", b"a", b",", b"\xef\xbb\xbf"]), max_size=30).map(b"".join))
def test_the_scan_for_a_quote_made_safe_finds_one_after_each_of_its_four_marks(content):
    pairs = (b"\"'", b";'", b"\n'", b"\r'")
    assert kept_workbooks._may_be_made_safe(content) == any(pair in content for pair in pairs)

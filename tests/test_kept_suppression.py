"""Suppression answers kept between builds (derive/kept_suppression.py): the same answer as working it
out, read back only when it is sound for the table, and never a different site."""

from __future__ import annotations

import json
import shutil

from hypothesis import given, settings, strategies as st

from conftest import SAMPLE_NOW
from commissioning.derive import kept_suppression, suppression
from commissioning.derive.kept_suppression import FILE, KeptAnswers

# A service's four quarters and their total, beside another's: a count of 3 to protect.
CELLS = {("cell", "a", q): v for q, v in zip("1234", (3, 12, 9, 20))} | {("cell", "b", q): 7 for q in "1234"}
TOTALS = {("award", "a"): [("cell", "a", q) for q in "1234"], ("award", "b"): [("cell", "b", q) for q in "1234"],
          ("quarter", "1"): [("cell", "a", "1"), ("cell", "b", "1")]}


def _refuse_to_work_it_out(monkeypatch):
    def refused(*args):
        raise AssertionError("worked out again")
    monkeypatch.setattr(suppression, "protect", refused)


def test_an_answer_worked_out_once_is_read_back_by_the_next_build(tmp_path, monkeypatch):
    first = KeptAnswers(tmp_path)
    answer = first.protect(CELLS, TOTALS, 5)
    assert answer == suppression.protect(CELLS, TOTALS, 5) and answer[("cell", "a", "1")] == suppression.SMALL
    first.save()
    assert (tmp_path / FILE).exists()
    _refuse_to_work_it_out(monkeypatch)
    again = KeptAnswers(tmp_path).protect(CELLS, TOTALS, 5)
    assert again == answer and list(again) == list(answer)


def test_another_table_or_threshold_or_code_is_worked_out_afresh(tmp_path, monkeypatch):
    kept = KeptAnswers(tmp_path)
    kept.protect(CELLS, TOTALS, 5)
    kept.save()
    calls = []
    protect = suppression.protect
    monkeypatch.setattr(suppression, "protect", lambda *args: calls.append(args) or protect(*args))
    changed = {**CELLS, ("cell", "b", "1"): 8}
    assert KeptAnswers(tmp_path).protect(changed, TOTALS, 5) == protect(changed, TOTALS, 5)
    assert KeptAnswers(tmp_path).protect(CELLS, TOTALS, 10) == protect(CELLS, TOTALS, 10)
    monkeypatch.setattr(kept_suppression, "CODE", kept_suppression.CODE + b"a change")
    KeptAnswers(tmp_path).protect(CELLS, TOTALS, 5)
    assert len(calls) == 3


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.just("{"), st.just("[]"), st.just("null"), st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
                 st.dictionaries(st.text(max_size=3), st.lists(st.lists(st.one_of(st.integers(-2, 20), st.text(max_size=9)),
                                                                         max_size=3), max_size=4), max_size=3)))
def test_a_file_cut_short_edited_or_unreadable_is_ignored(tmp_path_factory, found):
    root = tmp_path_factory.mktemp("kept")
    right = KeptAnswers(root).protect(CELLS, TOTALS, 5)
    (root / FILE).parent.mkdir(parents=True, exist_ok=True)
    (root / FILE).write_text(found if isinstance(found, str) else json.dumps(found), encoding="utf-8")
    assert KeptAnswers(root).protect(CELLS, TOTALS, 5) == right


def test_a_kept_answer_naming_a_figure_the_table_lacks_or_another_reason_is_not_used(tmp_path):
    kept = KeptAnswers(tmp_path)
    right = kept.protect(CELLS, TOTALS, 5)
    kept.save()
    path = tmp_path / FILE
    (key, answer), = json.loads(path.read_text(encoding="utf-8")).items()
    for wrong in ([[len(CELLS) + len(TOTALS), "small"]], [[0, "shown"]], [[0.0, "small"]], [*answer, [True, "small"]]):
        path.write_text(json.dumps({key: wrong}), encoding="utf-8")
        assert KeptAnswers(tmp_path).protect(CELLS, TOTALS, 5) == right


def test_only_this_builds_tables_are_kept_and_a_folder_that_cannot_be_written_is_no_failure(tmp_path):
    kept = KeptAnswers(tmp_path)
    kept.protect(CELLS, TOTALS, 5)
    kept.protect(CELLS, TOTALS, 10)
    kept.save()
    later = KeptAnswers(tmp_path)
    later.protect(CELLS, TOTALS, 5)
    later.save()
    assert len(json.loads((tmp_path / FILE).read_text(encoding="utf-8"))) == 1
    (tmp_path / "cache").chmod(0o500)
    try:
        blocked = KeptAnswers(tmp_path)
        blocked.protect(CELLS, TOTALS, 20)
        blocked.save()  # no exception: the next build works it out again
    finally:
        (tmp_path / "cache").chmod(0o700)
    assert KeptAnswers(None).protect(CELLS, TOTALS, 5) == suppression.protect(CELLS, TOTALS, 5)


def test_the_sample_built_with_its_answers_kept_is_the_site_built_without(sample_project, monkeypatch):
    """The second build reads every table's answer back and works none out; its pages and downloads
    are the first build's."""
    built = sample_project.build(SAMPLE_NOW)
    assert built.code == 0, built.err
    kept = sample_project.path(str(FILE))
    assert kept.exists() and json.loads(kept.read_text(encoding="utf-8"))
    first = sample_project.path("first")
    shutil.copytree(built.output, first)
    _refuse_to_work_it_out(monkeypatch)
    again = sample_project.build(SAMPLE_NOW)
    assert again.code == 0, again.err
    changed = [path.relative_to(first) for path in sorted(first.rglob("*"))
               if path.is_file() and "pagefind" not in path.parts and path.name != "build-state.json"
               and path.read_bytes() != (again.output / path.relative_to(first)).read_bytes()]
    assert changed == []

"""Building: a real site is written, and a failed build leaves the previous output exactly as it was."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from commissioning.postprocess import search_index
from conftest import REPO, page


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_minimal_project_builds_its_pages(minimal_project):
    result = minimal_project.build()
    assert result.code == 0, result.err
    home = page(result.output, "")
    assert home.html["lang"] == "en-GB"
    assert (result.output / "about" / "index.html").is_file()
    assert (result.output / "404.html").is_file()


def test_the_build_says_how_many_pages_it_wrote(minimal_project):
    result = minimal_project.build(quiet=False)
    assert result.code == 0, result.err
    pages = sorted(result.output.rglob("*.html"))
    assert len(pages) > 10
    assert f"Built {len(pages)} pages into {result.output}" in result.out


def test_site_links_in_content_pages_point_at_the_site(minimal_project):
    result = minimal_project.build(SITEURL="https://funding.example.org")
    assert result.code == 0, result.err
    links = [a["href"] for a in page(result.output, "about/").select("main a")]
    assert "https://funding.example.org/data/" in links
    assert not any("{site}" in href for href in links)


def test_a_failed_build_leaves_the_previous_output_untouched(minimal_project):
    assert minimal_project.build().code == 0
    before = snapshot(minimal_project.path("output"))
    minimal_project.replace("data/awards.csv", ",150000,", ',"12,5OO",')
    result = minimal_project.build()
    assert result.code == 1
    assert "data/awards.csv:2: amount_awarded: '12,5OO'" in result.err
    assert snapshot(minimal_project.path("output")) == before
    leftovers = [p.name for p in minimal_project.root.iterdir() if p.name.startswith("output.")]
    assert leftovers == []


def test_a_successful_build_replaces_the_output_whole(minimal_project):
    minimal_project.path("output").mkdir()
    minimal_project.write("output/stale.html", "<p>from an older build</p>")
    assert minimal_project.build().code == 0
    assert not minimal_project.path("output/stale.html").exists()
    assert minimal_project.path("output/index.html").is_file()
    # Nor the folders of pages shown to the search indexer, nor the staging folder.
    leftovers = [p.name for p in minimal_project.root.iterdir() if p.name.startswith("output.")]
    assert leftovers == []


def test_a_search_index_that_fails_publishes_nothing_and_says_why(minimal_project, monkeypatch):
    assert minimal_project.build().code == 0
    before = snapshot(minimal_project.path("output"))
    monkeypatch.setattr(search_index, "PAGEFIND", ["false"])  # fails as a broken install would
    result = minimal_project.build()
    assert result.code == 3
    assert "search index: Pagefind failed with exit code 1" in result.err
    assert "Nothing was published." in result.err
    assert "Traceback" not in result.err
    assert snapshot(minimal_project.path("output")) == before
    leftovers = [p.name for p in minimal_project.root.iterdir() if p.name.startswith("output.")]
    assert leftovers == []


def test_the_command_line_works_from_any_folder_and_never_shows_a_traceback(minimal_project, tmp_path):
    minimal_project.replace("data/providers.csv", ",charity,", ",charity ltd,")
    settings = minimal_project.path("localconf.py")
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(REPO)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(minimal_project.path('content'))!r}\nCOMMISSIONING_ROOT = {str(minimal_project.root)!r}\n"
        f"OUTPUT_PATH = {str(minimal_project.path('output'))!r}\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": f"{REPO / 'plugins'}", "SITE_NOW": "2026-11-24T09:00"}
    for command in ("check", "build"):
        run = subprocess.run([sys.executable, "-m", "commissioning", command, "--settings", str(settings)],
                             cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 1, run.stderr
        assert "data/providers.csv:2: organisation_type: 'charity ltd' is not allowed" in run.stderr
        assert "Traceback" not in run.stderr
    assert not minimal_project.path("output").exists()


def test_a_bad_site_now_is_a_message(minimal_project):
    result = minimal_project.build(now="tomorrow")
    assert result.code == 2
    assert "SITE_NOW: 'tomorrow' is not a date and time" in result.err


def test_the_sample_site_builds_with_its_main_sections(sample_site):
    for path in ("", "opportunities/", "funded-services/", "spend/", "data/", "about/", "404.html"):
        assert (sample_site / (path or "index.html") if path.endswith(".html") else sample_site / path / "index.html").is_file(), path
    banner = page(sample_site, "").select_one(".govuk-phase-banner")
    assert banner is not None and "illustrative" in banner.get_text()


def test_the_data_contract_document_is_generated_from_the_models():
    from commissioning.contract_doc import render_contract

    committed = (REPO / "docs" / "data-contract.md").read_text(encoding="utf-8")
    assert committed == render_contract(), "docs/data-contract.md is out of date: run `make contract`"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the page-writing child is forked on Linux only")
def test_a_page_writing_process_that_dies_is_a_message_not_a_hang(capsys):
    """Killed (out of memory, say) before it could report: the build says so and publishes nothing."""
    from commissioning import cli

    assert cli._in_own_process(os._exit, 9) == 3
    assert "The build stopped unexpectedly (exit code 9); nothing was published." in capsys.readouterr().err


def test_the_page_writing_process_output_reaches_the_caller(capsys):
    from commissioning import cli

    def noisy(code: int) -> int:
        print("to stdout")
        print("to stderr", file=sys.stderr)
        return code

    assert cli._in_own_process(noisy, 4) == 4
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("to stdout\n", "to stderr\n")

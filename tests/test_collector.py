"""The collector is paused while the site is derived and its files made, and put back as it was."""

from __future__ import annotations

import gc

from conftest import REPO, SAMPLE_NOW
from commissioning import cli, collector, pelican_side
from commissioning.preview.session import Session


def test_a_pause_within_a_pause_stays_paused_and_the_collector_is_put_back():
    assert gc.isenabled()
    with collector.paused():
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_no_collection_runs_while_the_site_is_derived_and_its_files_made(sample_project, monkeypatch):
    """At the default size a fifth of deriving and making the files was the collector walking a heap
    that only grows."""
    states = []
    made = pelican_side.sections.files
    monkeypatch.setattr(pelican_side.sections, "files", lambda site: states.append(gc.isenabled()) or made(site))
    settings = cli._settings(REPO / "pelicanconf.py",
                             sample_project.overrides(SAMPLE_NOW, OUTPUT_PATH=str(sample_project.path("out"))))
    Session(settings).build()  # Pelican in this process, as the preview runs it
    assert states == [False] and gc.isenabled()


def test_no_collection_runs_while_the_sitemap_is_made(sample_project, monkeypatch):
    """The process that wrote the pages still holds the site: each collection the sitemap's paths set
    off walked all of it."""
    states = []
    run = pelican_side.postprocess.run
    monkeypatch.setattr(pelican_side.postprocess, "run", lambda *args: states.append(gc.isenabled()) or run(*args))
    settings = cli._settings(REPO / "pelicanconf.py",
                             sample_project.overrides(SAMPLE_NOW, OUTPUT_PATH=str(sample_project.path("out"))))
    Session(settings).build()
    assert states == [False] and gc.isenabled()
    assert (sample_project.path("out") / "sitemap.xml").exists()


def test_a_held_build_sets_aside_what_a_paused_stage_made_and_puts_it_back_at_the_end():
    """Frozen, the objects a stage made are not walked by the next collection; unfrozen at the end,
    a process that goes on frees them as before."""
    gc.unfreeze()
    with collector.paused():
        kept = [[] for _ in range(1000)]
    assert gc.get_freeze_count() == 0  # outside a held build nothing is set aside
    with collector.holding():
        with collector.holding():
            with collector.paused():
                kept += [[] for _ in range(1000)]
            assert gc.get_freeze_count() >= 2000
        assert gc.get_freeze_count() >= 2000  # the inner end is not the build's end
        gc.collect()
        assert gc.get_freeze_count() >= 2000
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_the_build_writes_the_site_holding_what_it_made(sample_project, monkeypatch):
    states = []
    made = pelican_side.sections.files
    monkeypatch.setattr(pelican_side.sections, "files",
                        lambda site: states.append((gc.isenabled(), collector._HOLDING)) or made(site))
    out = sample_project.path("out")
    code = cli.write_site(REPO / "pelicanconf.py", sample_project.overrides(SAMPLE_NOW, OUTPUT_PATH=str(out)), False, out)
    assert code == 0 and states == [(False, True)]
    assert not collector._HOLDING and gc.get_freeze_count() == 0 and gc.isenabled()
    assert (out / "funded-services" / "index.html").exists()

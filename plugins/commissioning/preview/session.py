"""The live preview's one process: the data read, derived and rendered once, then kept up to date.

The first build is Pelican's, with this session installed as pelican_side.PREVIEW: the generator
reads through the session's file cache and hands the writing of its pages to the session, which
renders them one by one, recording what each reads (tracing.py). After an edit to data/, only the
changed file is read and modelled again (load.loader.FileCache); the rules and derive run as in a
build. The own pages of the records the edit changed are written at once (`_first`), the page staff
are looking at; then every section's list of files and pages is made, only the pages whose reads
have changed digests (digest.py) are rendered again, and only the files whose bytes changed are
written. What is left on disk is what a full build of the same data would write, minified and
indexed for search aside: the preview does neither (see tests/test_preview.py).

Edits to content/ or theme/, and to data/funder.yaml (whose name and menu are on content/'s pages
too), which Pelican's own generators read, start the build afresh in this process; cli.serve
restarts the process for an edit to the code or the settings.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from pelican import Pelican
from pelican.writers import Writer

from .. import collector, pelican_side, postprocess, sections, settings as plugin_settings, workers
from ..load.loader import FileCache, load_dataset
from ..open_data import kept_workbooks, workbook
from ..postprocess import sitemap
from .digest import Digests, bytes_digest, key_of
from .tracing import Reads, Tracer

PREVIEW_SETTINGS = {"COMMISSIONING_MINIFY": False, "COMMISSIONING_SEARCH_INDEX": False}
# More records changed than this (rows renumbered by one put in above them, a file replaced whole):
# their pages are written with the rest, not first.
FIRST_AT_MOST = 20


@dataclass
class Rebuilt:
    """What one rebuild did, for the preview's line in the terminal and for the tests."""

    pages: int = 0  # rendered and written
    of_pages: int = 0
    files: int = 0  # data files written (downloads, feeds, calendars)
    removed: int = 0
    seconds: float = 0.0
    first: float | None = None  # when the changed records' own pages were written, if they were first
    full: bool = False
    changed: list[str] = field(default_factory=list)  # what was written or removed, paths under output/

    def line(self) -> str:
        what = "Rebuilt everything" if self.full else f"Rebuilt {self.pages} of {self.of_pages} pages and {self.files} files"
        gone = f", removed {self.removed}" if self.removed else ""
        first = f" (the edited records' pages first, in {self.first:.2f}s)" if self.first is not None else ""
        return f"{what}{gone} in {self.seconds:.2f}s{first}."


class Session:
    """The preview of one project, in this process, written into its output folder."""

    def __init__(self, settings: dict):
        self.settings = {**settings, **PREVIEW_SETTINGS}
        self.config = plugin_settings.parsed(self.settings)
        self.output = Path(self.settings["OUTPUT_PATH"])
        self.cache = FileCache()
        self.generator = None
        self.reads: dict[str, Reads] = {}  # save_as -> what the page read when last rendered
        self.made: dict[str, bytes] = {}  # save_as -> digest of a page's own inputs, or of a file's bytes
        self.views: dict = {}  # view key -> digest, as last rendered
        self.site_parts: dict[str, bytes] = {}  # site attribute -> digest, as last rendered
        self.funder: bytes = b""
        self.sitemap: dict[str, sitemap.Entry | None] = {}
        self._models: dict = {}  # view key -> the record's model, as last rendered
        self._rebuilt = Rebuilt()
        self._kept_workbooks = kept_workbooks.Memory()

    # --- the first build, and any build afresh ------------------------------------------------

    def build(self) -> Rebuilt:
        """Everything, afresh: Pelican's generators and ours. Raises DataError if the data is not valid."""
        started = time.perf_counter()
        if self.output.exists():
            shutil.rmtree(self.output)
        self.output.mkdir(parents=True)
        self.reads, self.made, self.sitemap = {}, {}, {}
        self._rebuilt = Rebuilt(full=True)
        pelican_side.PREVIEW = self
        try:
            with self._workbooks():
                Pelican(self.settings).run()  # generate_output hands the writing to written() below
        finally:
            pelican_side.PREVIEW = None
        ours = sitemap.written_entries(self.generator.pages)
        self.sitemap = {e.path: e for e in sitemap.entries(self.output, postprocess.skipped(self.settings), ours)}
        self._rebuilt.seconds = time.perf_counter() - started
        return self._rebuilt

    def written(self, generator, writer) -> None:
        """Called by the generator in place of its own writing: every page traced, every file written."""
        self.generator = generator
        self.tracer = Tracer(generator.env)
        self._render_shared(generator.pages, writer)
        for file in generator.files:
            self.made[file.save_as] = bytes_digest(file.content)
        generator.write_files(generator.files)
        self._remember(Digests())
        self._rebuilt.pages = self._rebuilt.of_pages = len(generator.pages)
        self._rebuilt.files = len(generator.files)

    # --- after an edit to data/ ------------------------------------------------------------------

    def update(self) -> Rebuilt:
        """The changed data read again and only what it reaches written. Raises DataError, leaving
        the preview as it was, if the data is no longer valid.

        Python's collector is paused meanwhile: at the default size this process holds millions of
        objects (every page's data, what each page read), and each full collection walks them all,
        a quarter of a rebuild's time. settle() collects once the edit is on the page."""
        with collector.paused():
            done = self._update()
        return done if done is not None else self.build()

    def settle(self) -> None:
        """After a rebuild has been shown: what the last data set left is collected, and what is kept
        is set aside so that the next rebuild's collections do not walk it again."""
        collector.settle()

    def _update(self) -> Rebuilt | None:
        """The rebuild, or None when the site must be built afresh."""
        started = time.perf_counter()
        generator = self.generator
        config = self.config
        dataset = load_dataset(config.data_dir, config.content_dir, config.root, now=config.now, cache=self.cache)
        digests = Digests()
        if digests.of(dataset.funder) != self.funder:
            # The funder's name, banner and menu are on every page, content/'s that Pelican writes too.
            return None
        pelican_side.WARNINGS[:] = dataset.warnings
        old_pages = {p.save_as for p in generator.pages}
        old_files = {f.save_as for f in generator.files}
        with self._workbooks():
            generator.derived(dataset, config)
            first = self._first(started)
            generator.listed()
        pages = [p for p in generator.pages if self._stale(p, digests)]
        self._rebuilt = rebuilt = Rebuilt(of_pages=len(generator.pages), first=first)
        self._render(pages, _MovedIntoPlace(str(self.output), settings=self.settings), digests)
        files = [f for f in generator.files if self.made.get(f.save_as) != digests.content(f.content)]
        generator.write_files(files)
        for file in files:
            self.made[file.save_as] = digests.content(file.content)
        gone = (old_pages - {p.save_as for p in generator.pages}) | (old_files - {f.save_as for f in generator.files})
        for name in sorted(gone):
            (self.output / name).unlink(missing_ok=True)
            self.made.pop(name, None)
            self.reads.pop(name, None)
            self.sitemap.pop(sitemap.url_path(Path(name)), None)
        self._sitemap(pages)
        self._remember(digests)
        rebuilt.pages, rebuilt.files, rebuilt.removed = len(pages), len(files), len(gone)
        rebuilt.changed = sorted([p.save_as for p in pages] + [f.save_as for f in files] + list(gone))
        rebuilt.seconds = time.perf_counter() - started
        return rebuilt

    def _first(self, started: float) -> float | None:
        """The own pages of the records the edit changed (an opportunity, an award, a provider),
        written as soon as the site is derived, seconds before its files and other pages are made
        again: when they were written, or None. They are made with the last rebuild's files (a
        record's page shows none of them) and rendered again with the rest, from the files made
        then, so what is left on disk is still what a full build writes."""
        site = self.generator.site
        wanted = set()
        for view in _record_views(site):
            old = self._models.get(key_of(view))
            if old is not view.model and old != view.model:
                wanted.add(f"{view.url}index.html")
        # The pages as last listed (listed() runs after this), each section's templates in a folder
        # named after it (tests/test_preview.py checks): a new record's page waits for the rest.
        owners = {page.template.partition("/")[0] for page in self.generator.pages if page.save_as in wanted}
        if not owners or len(wanted) > FIRST_AT_MOST:
            return None
        pages = []
        for section in (section for section in sections.SECTIONS if section.name in owners):
            if section.record_pages:
                pages += section.record_pages(site, self.generator.files, wanted)
            else:
                pages += [page for page in section.pages(site, self.generator.files) if page.save_as in wanted]
        self.generator.write_pages(_MovedIntoPlace(str(self.output), settings=self.settings), pages)  # not traced
        for page in pages:
            self.made.pop(page.save_as, None)  # so rendered again below
        return time.perf_counter() - started if pages else None

    def _stale(self, page, digests: Digests) -> bool:
        """Whether the page would render differently now: its own inputs, or anything it read, changed."""
        if self.made.get(page.save_as) != self._inputs(page, digests):
            return True
        reads = self.reads.get(page.save_as)
        if reads is None:
            return True
        site = self.generator.site
        views = self._views_now(digests)
        return (any(views.get(key) != self.views.get(key) for key in reads.views)
                or any(digests.of(getattr(site, name, None)) != self.site_parts.get(name) for name in reads.site))

    def _views_now(self, digests: Digests) -> dict:
        if not digests.views:
            for view in _views(self.generator.site):
                digests.view(view)
        return digests.views

    @staticmethod
    def _inputs(page, digests: Digests) -> bytes:
        return digests.page(page.template, page.lastmod, page.in_sitemap, page.variables)

    # --- shared --------------------------------------------------------------------------------

    def _render(self, pages, writer, digests: Digests | None = None) -> None:
        digests = digests or Digests()
        tracer = self.tracer

        def each(page):
            reads = self.reads[page.save_as] = Reads()
            reads.found(page.variables)  # views handed to the page, which a filter may read
            self.made[page.save_as] = self._inputs(page, digests)
            tracer.current = reads
            return _Stop(tracer)

        self.generator.write_pages(writer, pages, each=each)

    def _render_shared(self, pages, writer) -> None:
        """Every page rendered and traced, a share on each core for a large site, as a build writes them."""
        for reads, made in workers.shared(pages, lambda part: self._render_part(part, writer)):
            self.reads.update(reads)
            self.made.update(made)

    def _render_part(self, pages, writer) -> tuple[dict, dict]:
        """A share of the pages rendered, and what each read: from a forked copy, for the session to keep."""
        self._render(pages, writer)
        names = [page.save_as for page in pages]
        return {n: self.reads[n] for n in names}, {n: self.made[n] for n in names}

    @contextlib.contextmanager
    def _workbooks(self):
        """While this session makes files, a workbook is made again only when its CSV changed."""
        workbook.KEPT = self._kept_workbooks
        try:
            yield
        finally:
            workbook.KEPT = None

    def _remember(self, digests: Digests) -> None:
        """The digests the pages were rendered from: the next rebuild compares with these."""
        site = self.generator.site
        self.views = dict(self._views_now(digests))
        names = set().union(*(r.site for r in self.reads.values())) if self.reads else set()
        self.site_parts = {name: digests.of(getattr(site, name, None)) for name in names}
        self.funder = digests.of(site.funder)
        self._models = {key_of(view): view.model for view in _record_views(site)}

    def _sitemap(self, written: list) -> None:
        for name, found in sitemap.written_entries(written).items():
            self.sitemap[sitemap.url_path(Path(name))] = found
        listed = sorted((e for e in self.sitemap.values() if e is not None), key=lambda e: e.path)
        siteurl = self.settings.get("SITEURL", "")
        for name, content in (("sitemap.xml", sitemap.sitemap_xml(listed, siteurl)), ("robots.txt", sitemap.robots_txt(siteurl))):
            target = self.output / name
            if not target.exists() or target.read_bytes() != content:
                target.write_bytes(content)


class _MovedIntoPlace(Writer):
    """Pelican's writer, each page written beside itself and then moved into place: the preview's
    server is sending pages while they are written again, and would otherwise send half of one."""

    @contextlib.contextmanager
    def _open_w(self, filename, encoding, override=False):
        part = f"{filename}.part"
        with super()._open_w(part, encoding, override) as handle:
            yield handle
        os.replace(part, filename)


class _Stop:
    """Ends a page's tracing when it has been written."""

    def __init__(self, tracer):
        self.tracer = tracer

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.tracer.current.done()
        self.tracer.current = None


def _views(site) -> list:
    return [*site.awards, *site.providers, *site.streams, *site.priorities, *site.opportunities]


def _record_views(site) -> list:
    """The views of the records that have a page of their own."""
    return [*site.awards, *site.providers, *site.opportunities]


__all__ = ["Rebuilt", "Session"]

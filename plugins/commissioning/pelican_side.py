"""The Pelican side: the generator that publishes data/, and the signal receivers that connect it.

The generator loads, validates and derives in generate_context (so nothing is written unless every
data file is valid) and writes in generate_output; post-processing runs on Pelican's `finalized`.
Receivers are module-level functions: Pelican's signals hold weak references.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Sequence

from pelican.generators import Generator

from . import collector, postprocess, sections, settings as plugin_settings, timing, workers
from .derive.site import figured, linked
from .load.loader import load_dataset
from .render import assets
from .render.filters import FILTERS
from .postprocess import sitemap
from .postprocess.minify import MinifiedTemplate
from .render.page import Page

NAV = [
    {"text": "Opportunities", "href": "opportunities/", "section": "opportunities"},
    {"text": "Funded services", "href": "funded-services/", "section": "funded-services"},
    {"text": "Spend", "href": "spend/", "section": "spend"},
    {"text": "Outcomes", "href": "outcomes/", "section": "outcomes"},
    {"text": "Data", "href": "data/", "section": "data"},
    {"text": "About", "href": "about/", "section": "about"},
    {"text": "Search", "href": "search/", "section": "search"},
]


# The data's warnings from the last generate_context: true facts the site publishes (an overspend, a
# late return), which cli.write_site prints after the build.
WARNINGS: list = []
# The sitemap entry of each page generate_output wrote (minified as written, when the settings
# minify), for finish() to pass to the post-processing, which need not read them back.
WRITTEN: dict = {}
# The live preview (preview/session.py) while `serve` runs: it keeps the files read, and writes the
# pages itself, recording what each reads. None in a build.
PREVIEW = None


class CommissioningGenerator(Generator):
    """Pages and files made from data/, alongside Pelican's pages from content/."""

    def generate_context(self):
        # Nothing is written unless every data file is valid: load_dataset raises DataError otherwise.
        config = plugin_settings.parsed(self.settings)
        dataset = load_dataset(config.data_dir, config.content_dir, config.root, now=config.now,
                               cache=PREVIEW.cache if PREVIEW else None)
        WARNINGS[:] = dataset.warnings
        self.made_from(dataset, config)

    def made_from(self, dataset, config) -> None:
        """The site derived from a valid data set, and its files and pages, ready to write."""
        self.derived(dataset, config)
        self.listed()

    def derived(self, dataset, config) -> None:
        """The site derived from a valid data set, in the context pages are rendered in, but for its
        spend figures (listed() adds them). The live preview writes the pages of the records an
        edit changed here, before listed()."""
        with collector.paused():
            with timing.stage("derive"):
                self.site = linked(dataset, config)
        self.context.update(
            funder=dataset.funder,
            site=self.site,
            illustrative=bool(dataset.funder.illustrative),
            nav=NAV,
        )

    def listed(self) -> None:
        """The spend figures, then every section's files, then its pages, from the derived site."""
        with collector.paused():
            with timing.stage("derive"):
                figured(self.site)
            self.files = sections.files(self.site)
            self.pages: list[Page] = sections.pages(self.site, self.files)
        self.context["commissioning_pages"] = self.pages
        self.context["commissioning_files"] = self.files

    def generate_output(self, writer):
        WRITTEN.clear()  # what an earlier build in this process wrote is not this one's
        if PREVIEW is not None:
            PREVIEW.written(self, writer)
            return
        minifying = plugin_settings.parsed(self.settings).minify
        # The files first, and their bytes let go: the page-writing copies need only their sizes.
        with timing.stage("write files"):
            self.write_files(self.files)
        for file in self.files:
            file.let_go()
        # Each page stands alone: on a machine with several cores, forked copies of this process
        # write a share of them each.
        workers.share(self.pages, lambda pages: self.write_pages(writer, pages, minifying))
        WRITTEN.update(sitemap.written_entries(self.pages))

    def write_pages(self, writer, pages: Sequence[Page], minifying: bool = False, each=None) -> None:
        """Render and write pages; each(page), if given, is the context they are rendered in."""
        relative = self.settings["RELATIVE_URLS"]
        for page in pages:
            found = self.get_template(page.template)
            template = MinifiedTemplate(found) if minifying else found
            with timing.stage("render", page.template), (each(page) if each else contextlib.nullcontext()):
                writer.write_file(page.save_as, template, self.context,
                                  relative_urls=relative, lastmod=page.lastmod, in_sitemap=page.in_sitemap,
                                  **page.variables)

    def write_files(self, files) -> None:
        """Each file written beside itself and moved into place whole: the live preview's server may
        be sending it while it is written again (a build writes into a fresh folder, and a rename a
        file costs it nothing it would notice)."""
        output = Path(self.output_path)
        for file in files:
            target = output / file.save_as
            target.parent.mkdir(parents=True, exist_ok=True)
            part = target.with_name(f"{target.name}.part")
            part.write_bytes(file.content)
            os.replace(part, target)


# --- signal receivers ------------------------------------------------------------------------


def add_generator(pelican):
    return CommissioningGenerator


def add_template_helpers(generator):
    generator.env.globals["asset"] = assets.asset_url
    generator.env.filters.update(FILTERS)
    # Jinja otherwise checks each template file's time on every page, six times for an award's page;
    # no template changes during a build, and the preview builds afresh when the theme is edited.
    generator.env.auto_reload = False


def expand_site_links(content):
    """`{site}/data/` in Markdown pages links to a page this plugin makes, wherever the site is hosted."""
    if getattr(content, "_content", None) and "{site}" in content._content:
        content._content = content._content.replace("{site}", content.settings.get("SITEURL", ""))


def finish(pelican):
    # Paused: this process still holds the whole site, and each collection the sitemap's thousands of
    # paths set off walked all of it (1.5 s of CPU at the benchmark's default size, 0.4 s paused).
    with collector.paused():
        postprocess.run(pelican.output_path, pelican.settings, dict(WRITTEN))  # the search index follows, in cli.build

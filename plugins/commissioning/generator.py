"""The Pelican generator: load, validate and derive in generate_context; render and write in generate_output."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from pelican.generators import Generator

from . import settings as plugin_settings, workers
from .dataset import load_dataset
from .derive import derive
from .downloads import Download, all_files
from .pages import Page, all_pages, newest
from .pages_core import data_page
from .spend import derive_spend

NAV = [
    {"text": "Opportunities", "href": "opportunities/", "section": "opportunities"},
    {"text": "Funded services", "href": "funded-services/", "section": "funded-services"},
    {"text": "Spend", "href": "spend/", "section": "spend"},
    {"text": "Data", "href": "data/", "section": "data"},
    {"text": "About", "href": "about/", "section": "about"},
    {"text": "Search", "href": "search/", "section": "search"},
]


class CommissioningGenerator(Generator):
    """Pages and files made from data/, alongside Pelican's pages from content/."""

    def generate_context(self):
        # Nothing is written unless every data file is valid: load_dataset raises DataError otherwise.
        config = plugin_settings.from_pelican(self.settings)
        dataset = load_dataset(config.data_dir, config.content_dir, config.root)
        self.site = derive(dataset, config)
        derive_spend(self.site)
        self.context.update(
            funder=dataset.funder,
            site=self.site,
            illustrative=bool(dataset.funder.illustrative),
            nav=NAV,
        )
        self.pages: list[Page] = all_pages(self.site)
        self.files = all_files(self.site)
        downloads = [f for f in self.files if isinstance(f, Download)]
        self.pages.append(data_page(self.site, downloads))
        home = next(p for p in self.pages if p.save_as == "index.html")
        home.lastmod = newest(p.lastmod for p in self.pages if p is not home)
        self.context["commissioning_pages"] = self.pages
        self.context["commissioning_files"] = self.files

    def generate_output(self, writer):
        relative = self.settings["RELATIVE_URLS"]

        def write(pages: Sequence[Page]) -> None:
            for page in pages:
                writer.write_file(page.save_as, self.get_template(page.template), self.context,
                                  relative_urls=relative, lastmod=page.lastmod, in_sitemap=page.in_sitemap,
                                  **page.variables)

        # Each page stands alone: on a machine with several cores, forked copies of this process
        # write a share of them each.
        workers.share(self.pages, write)
        self._write_files()

    def _write_files(self) -> None:
        output = Path(self.output_path)
        for file in self.files:
            target = output / file.save_as
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content)

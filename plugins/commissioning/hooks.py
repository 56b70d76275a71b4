"""Signal receivers. Module-level functions: Pelican's signals hold weak references."""

from __future__ import annotations

from . import assets, postprocess
from .filters import FILTERS
from .generator import CommissioningGenerator


def add_generator(pelican):
    return CommissioningGenerator


def add_template_helpers(generator):
    generator.env.globals["asset"] = assets.asset_url
    generator.env.filters.update(FILTERS)


def expand_site_links(content):
    """`{site}/data/` in Markdown pages links to a page this plugin makes, wherever the site is hosted."""
    if getattr(content, "_content", None) and "{site}" in content._content:
        content._content = content._content.replace("{site}", content.settings.get("SITEURL", ""))


def finish(pelican):
    postprocess.run(pelican.output_path, pelican.settings)  # the search index follows, in cli.build

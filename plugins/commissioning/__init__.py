"""Commissioning and funding: a Pelican plugin that publishes a funder's data/ as a website and open data.

Data flows one way: load/ (read, model, rules), derive/, then each section of sections.SECTIONS
(its files and pages), then postprocess/. See docs/architecture.md.
"""


def register():
    # Imported here, not at the top: a process that needs only one module of the package (a
    # minifying worker, say) then does not import Pelican, pandas and the whole build with it.
    from pelican import signals

    from . import pelican_side

    signals.get_generators.connect(pelican_side.add_generator)
    signals.generator_init.connect(pelican_side.add_template_helpers)
    # content_object_init fires before Pelican resolves its own {filename} links, so {site} is
    # replaced first and never mistaken for an unknown link kind.
    signals.content_object_init.connect(pelican_side.expand_site_links)
    signals.finalized.connect(pelican_side.finish)

"""Commissioning and funding: a Pelican plugin that publishes a funder's data/ as a website and open data.

Data flows one way: load/ (read, model, rules), derive/, then each section of sections.SECTIONS
(its files and pages), then postprocess/. See docs/architecture.md.
"""


def receivers() -> list:
    """Each Pelican signal the plugin answers, with its receiver."""
    # Imported here, not at the top: a process that needs only one module of the package (a
    # minifying worker, say) then does not import Pelican and the whole build with it.
    from pelican import signals

    from . import pelican_side

    return [
        (signals.get_generators, pelican_side.add_generator),
        (signals.generator_init, pelican_side.add_template_helpers),
        # content_object_init fires before Pelican resolves its own {filename} links, so {site} is
        # replaced first and never mistaken for an unknown link kind.
        (signals.content_object_init, pelican_side.expand_site_links),
        (signals.finalized, pelican_side.finish),
    ]


def register():
    for signal, receiver in receivers():
        signal.connect(receiver)

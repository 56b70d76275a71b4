"""Post-process the written site: minify HTML, then index it for search."""

from __future__ import annotations


def run(output_path: str, settings: dict) -> None:
    """Filled in by the minify and search stages."""

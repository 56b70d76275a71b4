"""The one error post-processing raises."""

from __future__ import annotations


class PostprocessError(RuntimeError):
    """A stage after writing failed; the site is incomplete and must not be published."""

"""Checks run on a built site folder: links, HTML validity, accessibility.

Run as ``python -m sitecheck SITE_DIR [--only links,html,a11y] [--screenshots DIR]``
with ``tools/`` on ``PYTHONPATH``. Each check returns a list of
:class:`~sitecheck.core.Finding`; an empty list means the check passed.
"""

from .core import CheckFailed, Finding, ToolMissing

__all__ = ["CheckFailed", "Finding", "ToolMissing"]

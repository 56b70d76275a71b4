"""Every part of the site, imported so that each registers its pages and files."""

from . import pages_core  # noqa: F401

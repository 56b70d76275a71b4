"""The web address Pelican gives a page from its Title, worked out without importing Pelican.

It is Pelican's `slugify` (pelican.utils) with Pelican's default SLUG_REGEX_SUBSTITUTIONS
(pelican.settings), which pelicanconf.py leaves as they are, written out here because importing
Pelican was a third of `check`'s time and the files gate (files.py) is all of check that needs it.
tests/test_page_address.py checks the two give the same address for the sample's titles and for
generated ones, and that the settings still leave the substitutions as Pelican's.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup
from unidecode import unidecode

SUBSTITUTIONS = [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")]


def from_title(title: str) -> str:
    """The page's address, as Pelican makes it: tags stripped, letters made plain ASCII, runs of spaces
    and hyphens one hyphen, everything else but letters and digits dropped, in lower case."""
    value = unidecode(unicodedata.normalize("NFKC", Markup(title).striptags()))
    for pattern, replacement in SUBSTITUTIONS:
        value = re.sub(pattern, replacement, value, flags=re.IGNORECASE)
    return value.lower().strip()

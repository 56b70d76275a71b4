"""page_address.py gives a page the address Pelican gives it, without importing Pelican (for check)."""

from __future__ import annotations

import re

from hypothesis import given, settings as hypothesis_settings, strategies as st
from pelican.settings import DEFAULT_CONFIG, read_settings
from pelican.utils import slugify

from conftest import REPO

from commissioning.load import page_address


def pelicans(title: str) -> str:
    return slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def test_the_substitutions_are_pelicans_and_the_settings_leave_them_so():
    assert page_address.SUBSTITUTIONS == [tuple(pair) for pair in DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]]
    for name in ("pelicanconf.py", "publishconf.py"):
        assert read_settings(str(REPO / name))["SLUG_REGEX_SUBSTITUTIONS"] == DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]


def test_every_sample_page_title_gets_pelicans_address():
    titles = [re.search(r"^Title:\s*(.+)$", path.read_text(encoding="utf-8"), re.MULTILINE).group(1)
              for path in sorted((REPO / "content" / "pages").rglob("*.md"))]
    assert len(titles) >= 5
    for title in titles:
        assert page_address.from_title(title) == pelicans(title), title


WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
TRICKY = st.sampled_from(["<b>", "</b>", "<br/>", "&amp;", "&", "'", "\u2019", "--", " - ", "\u00e9", "\u00df", "\u0130",
                          "\ufb01", "\u2460", "\u00a0", "\t", "\n", "_", "\u1e9e", "\u212a", "  ", "<!-- x -->"])


@hypothesis_settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(WORDS, TRICKY), max_size=8).map("".join))
def test_any_title_gets_pelicans_address(title):
    assert page_address.from_title(title) == pelicans(title)

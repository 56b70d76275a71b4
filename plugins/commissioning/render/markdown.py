"""Markdown to HTML that is safe to mark as such: rendered, then sanitised with nh3.

Python-Markdown passes raw HTML and `javascript:` links straight through, so nothing it produces is
trusted until nh3 has kept only the tags, attributes and URL schemes a specification needs.
"""

from __future__ import annotations

import functools

import markdown as _markdown
import nh3
from markupsafe import Markup

from .markdown_inline import FasterInlineExtension

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "img", "figure", "figcaption",
    "span", "div", "section",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["tables", "sane_lists", "smarty", "toc"]
# align="right" rather than style="text-align: right": the Content-Security-Policy forbids inline styles.
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}


def sanitise(html: str) -> Markup:
    """Keep only safe tags, attributes and link schemes; the result may be marked safe."""
    return Markup(nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ))


# The same text gives the same HTML: kept for the live preview's rebuilds, which convert every
# opportunity's specification again (5 s of a rebuild for a thousand opportunities).
@functools.lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """Markdown as sanitised HTML. The page's title is its only h1, so a `#` heading becomes an h2."""
    html = _converter().reset().convert(text or "")
    return sanitise(html.replace("<h1", "<h2").replace("</h1>", "</h2>"))


@functools.cache
def _converter() -> _markdown.Markdown:
    # One converter, reset between texts: setting up its extensions cost more than converting a
    # specification (about 1.5 ms a text, a thousand opportunities at a time).
    # Last, so that it finds the inline passes the others set up (markdown_inline.py).
    return _markdown.Markdown(extensions=[*EXTENSIONS, FasterInlineExtension()],
                              extension_configs=EXTENSION_CONFIGS, output_format="html")

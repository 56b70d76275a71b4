"""The faster inline passes (render/markdown_inline.py) give exactly the HTML Markdown's own give."""

from __future__ import annotations

import markdown
from hypothesis import given, settings, strategies as st
from markdown.treeprocessors import InlineProcessor

from conftest import REPO
from commissioning.render import markdown as ours
from commissioning.render import markdown_inline
from commissioning.render.markdown_inline import FasterInlineExtension


def _stock() -> markdown.Markdown:
    return markdown.Markdown(extensions=ours.EXTENSIONS, extension_configs=ours.EXTENSION_CONFIGS, output_format="html")


STOCK = _stock()
FASTER = ours._converter()


def _both(text: str) -> tuple[str, str]:
    return STOCK.reset().convert(text), FASTER.reset().convert(text)


def test_the_converter_runs_the_faster_passes():
    assert type(FASTER.treeprocessors["inline"]).__name__ == "_ListedPatterns"
    assert type(FASTER.treeprocessors["smarty"]).__name__ == "_SmartyPass"
    names = sorted(STOCK.treeprocessors._data)  # each pass at the place in the order it had
    assert sorted(FASTER.treeprocessors._data) == names
    assert ([FASTER.treeprocessors.get_index_for_name(name) for name in names]
            == [STOCK.treeprocessors.get_index_for_name(name) for name in names])


def _texts() -> list[str]:
    files = [*sorted((REPO / "data" / "opportunities").glob("*.md")), *sorted((REPO / "content").rglob("*.md"))]
    assert len(files) > 10
    return [path.read_text(encoding="utf-8") for path in files]


def test_the_repository_texts_come_out_the_same():
    changed = 0
    for text in _texts():
        stock, faster = _both(text)
        assert faster == stock
        changed += stock != markdown.markdown(text, extensions=["tables", "sane_lists", "toc"])
    assert changed  # the texts hold quotes and dashes for smarty to change, so its pass is compared too


# Text made of what the inline patterns look for: emphasis, code, links, images, autolinks, raw HTML,
# entities, escapes, hard breaks, smarty's quotes, dashes, ellipses and angled quotes, and table pipes.
_PIECES = st.sampled_from([
    "a", "word", "It's", "1990s", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "'", '"',
    "-", "--", "---", ".", "...", "<<", ">>", "[", "]", "(", ")", "![", "](", "<", ">", "&", "&amp;",
    "&nbsp;", "&mdash;", "\\", "\\'", '\\"', "<b>", "</b>", "<https://example.org>", "<a@b.org>",
    "#", "## ", "- ", "1. ", "> ", "|", "| a | b |\n|---|---|\n| c | d |\n", "\t", "é", "—",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_any_text_comes_out_the_same(text):
    stock, faster = _both(text)
    assert faster == stock


def test_without_the_private_loop_the_converter_is_left_as_it_is(monkeypatch):
    monkeypatch.setattr(markdown_inline, "_PRIVATE", ("_InlineProcessor__not_there",))
    converter = markdown.Markdown(extensions=[*ours.EXTENSIONS, FasterInlineExtension()],
                                  extension_configs=ours.EXTENSION_CONFIGS, output_format="html")
    assert type(converter.treeprocessors["inline"]) is InlineProcessor
    assert type(converter.treeprocessors["smarty"]) is InlineProcessor
    assert converter.convert("It's -- fine...") == STOCK.reset().convert("It's -- fine...")


def test_pelicans_reader_of_the_content_pages_runs_them_too():
    from pelican.readers import MarkdownReader
    from pelican.settings import read_settings

    reader = MarkdownReader(read_settings(str(REPO / "pelicanconf.py")))
    converter = markdown.Markdown(**reader.settings["MARKDOWN"])
    assert type(converter.treeprocessors["smarty"]).__name__ == "_SmartyPass"
    text = (REPO / "content" / "pages" / "about.md").read_text(encoding="utf-8")
    assert converter.convert(text) == markdown.Markdown(**{
        **reader.settings["MARKDOWN"],
        "extensions": [e for e in reader.settings["MARKDOWN"]["extensions"] if "markdown_inline" not in e],
        "extension_configs": {k: v for k, v in reader.settings["MARKDOWN"]["extension_configs"].items()
                              if "markdown_inline" not in k}}).convert(text)

"""Python-Markdown's inline passes, the same HTML in about half the time: an extension that goes last.

Converting a thousand opportunities' specifications took 1.8 s, most of it the two inline passes:
the standard one and smarty's (curly quotes, dashes, ellipses), each trying every one of its patterns
on every piece of text. Two things in how they loop cost more than the patterns themselves:

- the loop asks the pattern registry for pattern number i at each step, and the registry checks its
  order every time it is asked; here the patterns are listed once a conversion;
- every one of smarty's patterns needs a `'`, a `"`, `--`, `...`, `<<` or `>>` in the text to match;
  text with none of them (most table cells, list items and headings) is left as it is without trying.

Both replace a private method of markdown.treeprocessors.InlineProcessor (its name-mangled
`__handleInline`), so the version of Markdown is pinned in requirements.txt and tests compare the
output with Markdown's own, on the repository's texts and on generated ones. If a later Markdown no
longer has the method, the extension leaves the converter as it is: slower, never different.
"""

from __future__ import annotations

import re

from markdown import util
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor

# What every smarty pattern needs in the text to match (markdown/extensions/smarty.py).
_SMARTY_NEEDS = re.compile(r"['\"]|--|\.\.\.|<<|>>")
_PRIVATE = ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern")


class _ListedPatterns(InlineProcessor):
    """InlineProcessor with its patterns listed once a run, rather than looked up at every step."""

    def run(self, tree, ancestors=None):
        self._listed = list(self.inlinePatterns)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802 (the name it replaces)
        # The loop of InlineProcessor.__handleInline, as Markdown 3.11 has it.
        if isinstance(data, util.AtomicString):
            return data
        patterns, apply = self._listed, self._InlineProcessor__applyPattern
        start, count = 0, len(patterns)
        while patternIndex < count:
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class _SmartyPass(_ListedPatterns):
    """Smarty's pass, which tries its patterns only on text one of them could match."""

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802
        if not _SMARTY_NEEDS.search(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


class FasterInlineExtension(Extension):
    """The inline and smarty passes replaced by the faster loops above, at the same priorities."""

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's name)
        if not all(hasattr(InlineProcessor, name) for name in _PRIVATE):
            return
        processors = md.treeprocessors
        for name, kind in (("inline", _ListedPatterns), ("smarty", _SmartyPass)):
            if name not in processors:
                continue
            stock = processors[name]
            if type(stock) is not InlineProcessor:
                continue  # another extension's own pass: left alone
            faster = kind(md)
            faster.inlinePatterns = stock.inlinePatterns
            processors.register(faster, name, processors._priority[processors.get_index_for_name(name)].priority)


def makeExtension(**kwargs):  # noqa: N802: how Markdown loads an extension named in settings (pelicanconf.py)
    return FasterInlineExtension(**kwargs)

"""What each page reads, recorded while it renders: the preview's map from records to pages.

Jinja compiles `award.title` to `environment.getattr(award, "title")` and `x[k]` to
`environment.getitem(x, k)`, and its filters look attributes up the same way; replacing the two on
the environment sees every read a template makes. A page depends on every view it reads from or is
handed (including views inside what a read returns, such as a provider's list of awards, which a
filter may read in Python), and on every attribute of the site it reads (the spend figures, the
open opportunities). A page whose views and site attributes all have the digests they had when it
was last rendered would render the same bytes again.
"""

from __future__ import annotations

from ..derive.site import Site
from ..derive.views import View
from .digest import Key, key_of

_DEPTH = 3  # containers within containers searched for views: a list of (year, [awards]) pairs is 2


class Reads:
    """The views and site attributes one page read."""

    __slots__ = ("views", "site", "_searched", "_alive")

    def __init__(self):
        self.views: set[Key] = set()
        self.site: set[str] = set()
        # Containers already searched, kept alive so that no id is reused while the page renders: a
        # loop reads the same list again and again.
        self._searched: set[tuple[int, int]] = set()
        self._alive: list = []

    def done(self) -> None:
        self._searched, self._alive = set(), []

    def found(self, value, depth: int = 0) -> None:
        if isinstance(value, View):
            self.views.add(key_of(value))
        elif depth < _DEPTH and isinstance(value, (list, tuple, set, frozenset, dict)):
            if (id(value), depth) in self._searched:
                return
            self._searched.add((id(value), depth))
            self._alive.append(value)
            if isinstance(value, (list, tuple, set, frozenset)):
                for item in value:
                    self.found(item, depth + 1)
            elif isinstance(value, dict):
                for item in value.values():
                    self.found(item, depth + 1)


class Tracer:
    """Installed on a Jinja environment: records reads into `current` while a page renders."""

    def __init__(self, environment):
        self.current: Reads | None = None
        self._getattr, self._getitem = environment.getattr, environment.getitem
        environment.getattr, environment.getitem = self.getattr, self.getitem

    def _seen(self, obj, name, value):
        reads = self.current
        if reads is not None:
            if isinstance(obj, View):
                reads.views.add(key_of(obj))
            elif isinstance(obj, Site) and isinstance(name, str):
                reads.site.add(name)
            reads.found(value)
        return value

    def getattr(self, obj, attribute):
        return self._seen(obj, attribute, self._getattr(obj, attribute))

    def getitem(self, obj, argument):
        return self._seen(obj, argument, self._getitem(obj, argument))

"""Digests of what pages are made from, so the preview can tell which pages a change reaches.

A view (an award, a provider, an opportunity ...) is digested with everything the site says of it:
its model's fields, what derive linked or summed onto it, and every property evaluated (a
provider's total awarded changes when one of its awards' amounts does). A view inside a view is
its key only: what a page reads of that other view is traced as a view of its own (tracing.py), so
one change is found once, in the view it belongs to. Anything else (the spend figures, a page's own
variables) is digested in depth, each object once a rebuild.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from functools import cached_property
from pathlib import PurePath

from ..derive.site import Site
from ..derive.spend_figures import YearSpend
from ..derive.transparency import ListingMonth, ListingYear
from ..derive.views import View
from ..open_data.files import OutputFile

Key = tuple[str, str]
_SCALARS = (str, int, float, bool, type(None), Decimal, date, datetime, time, timedelta, PurePath, Enum)
# Parts of the spend figures that pages hold and that are held by what other pages hold (a year's
# spend is its page's and the spend overview's; a month's listing its page's and its year's): each is
# digested once a rebuild and stands in the others by its digest, not pickled again in each.
_SHARED_PARTS = (YearSpend, ListingYear, ListingMonth)


def key_of(view: View) -> Key:
    """A view's name in the dependency map: its kind and the id or code of its record."""
    model = view.model
    return type(view).__name__, str(getattr(model, "id", None) or getattr(model, "code", None) or id(view))


def _properties(cls: type) -> tuple[str, ...]:
    names = []
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, (property, cached_property)) and not name.startswith("_") and name not in names:
                names.append(name)
    return tuple(names)


class _Pickler(pickle.Pickler):
    """Pickles a value for its digest, each view in it as its key alone."""

    def __init__(self, buffer, digests: "Digests", value):
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self.digests, self.value = digests, value

    def reducer_override(self, obj):
        if type(obj) in _SHARED_PARTS and obj is not self.value:
            return _ViewKey, ("part", self.digests.of(obj))
        if isinstance(obj, View):
            return _ViewKey, key_of(obj)
        if isinstance(obj, Site):  # what a page reads of the site is traced attribute by attribute
            return _ViewKey, ("site",)
        if isinstance(obj, OutputFile):
            # A file is its bytes' digest and what is said of it, not the typed columns it was made
            # from (a year of payments' values, which its bytes already hold): the data page lists
            # every download, and pickling their values was a second of each rebuild.
            said = {name: value for name, value in vars(obj).items() if name not in ("content", "values")}
            return _ViewKey, (type(obj).__name__, self.digests.content(obj.content), said)
        return NotImplemented


class _ViewKey:
    def __init__(self, *key):
        self.key = key


class Digests:
    """Digests of one data set's objects. An object is digested by pickling it (in C, so that a year's
    40,000 payments take a fraction of a second), and told apart by identity while the data set lives,
    so an object many pages share (a year's spend, the statutory record) is digested once. Equal
    digests mean equal contents; an object that cannot be pickled never has an equal digest, so
    a page that holds one is always rendered again."""

    def __init__(self):
        self._memo: dict[int, bytes] = {}
        self._alive: list = []  # what was digested by identity stays alive, so no id is reused
        self._properties: dict[type, tuple[str, ...]] = {}
        self.views: dict[Key, bytes] = {}

    def of(self, value) -> bytes:
        """The digest of any value; views within it by their keys."""
        if isinstance(value, _SCALARS):
            return _hash(type(value).__name__, repr(value))
        if isinstance(value, View):
            return _hash("view", repr(key_of(value)))
        found = self._memo.get(id(value))
        if found is None:
            self._alive.append(value)
            found = self._memo[id(value)] = _pickled(value, self)
        return found

    def content(self, data: bytes) -> bytes:
        """The digest of a file's bytes, each once a rebuild."""
        found = self._memo.get(id(data))
        if found is None:
            self._alive.append(data)
            found = self._memo[id(data)] = bytes_digest(data)
        return found

    def page(self, template: str, lastmod, in_sitemap: bool, variables: dict) -> bytes:
        """A page's own inputs: each variable digested on its own, so that what pages share is digested once."""
        return _hash(template, repr(lastmod), repr(in_sitemap), *(self.of(k) + self.of(v) for k, v in variables.items()))

    def view(self, view: View) -> bytes:
        """A view's digest: its fields and every property, other views by their keys."""
        key = key_of(view)
        found = self.views.get(key)
        if found is not None:
            return found
        cls = type(view)
        names = self._properties.get(cls)
        if names is None:
            names = self._properties[cls] = _properties(cls)
        parts = [self.of(getattr(view, f.name)) for f in dataclasses.fields(view)]
        for name in names:
            try:
                parts.append(self.of(getattr(view, name)))
            except Exception as exc:  # a property that cannot be read on this view is part of what it is
                parts.append(_hash("raised", type(exc).__name__))
        digest = self.views[key] = _hash(cls.__name__, *parts)
        return digest


def bytes_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _pickled(value, digests: Digests) -> bytes:
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, digests, value).dump(value)
    except Exception:  # not picklable: never equal to anything, so never taken as unchanged
        return os.urandom(16)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).digest()


def _hash(*parts) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.digest()

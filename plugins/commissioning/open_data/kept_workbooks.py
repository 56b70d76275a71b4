"""Workbooks kept between builds in cache/workbooks/ of the project folder, by what each is made from.

Why: a workbook is a function of its CSV download (bytes, title, columns), its About sheet's lines
and the code that writes it, and the same inputs give the same bytes (tests/test_workbooks.py). At
the benchmark's default size, making the workbooks again from payments that had not changed was
about 9 s of a 74 s build's CPU; most builds (the hourly one, a new opportunity, a corrected
award) change no payment.

What keeps it from publishing something stale or broken:
- a file's name is a digest of everything the workbook is made from, this folder's source code and
  the versions of xlsxwriter, zlib and zlib-ng included, so a change to any of them makes it again;
- each file starts with a digest of the workbook's bytes, checked on reading: a file cut short,
  edited or unreadable is made again, never published;
- files are written whole and renamed into place, so a build stopped half way leaves no half file;
- files this build did not ask for are removed once it has its workbooks, but those of builds for
  another address (`make site` and `make publish`, which CI runs one after the other, give the About
  sheets different links): the folder holds the last build's workbooks for each address.

A folder that cannot be read or written (a read-only checkout) makes the build slower, not wrong:
every workbook is made, as it was before this cache.
"""

from __future__ import annotations

import hashlib
import os
import re
import zlib
from pathlib import Path
from typing import Callable, Sequence

import xlsxwriter
from zlib_ng import zlib_ng

from ..whole_file import write_whole

FOLDER = Path("cache") / "workbooks"  # under the project folder (COMMISSIONING_ROOT), git-ignored
DIGEST = 16  # bytes of blake2b
_NAME = re.compile(r"[0-9a-f]{8}-[0-9a-f]{32}\.xlsx")  # the address's group, then the workbook's key


def _code() -> bytes:
    """This folder's source and the versions of what writes the bytes: a change to any is a new key."""
    here = Path(__file__).resolve().parent
    parts = [xlsxwriter.__version__.encode(), zlib.ZLIB_RUNTIME_VERSION.encode(), zlib_ng.ZLIBNG_VERSION.encode()]
    parts += [path.name.encode() + b"\0" + path.read_bytes() for path in sorted(here.glob("*.py"))]
    return hashlib.blake2b(b"\0".join(parts), digest_size=DIGEST).digest()


CODE = _code()


def key(job: tuple) -> bytes:
    """What a workbook job (download, About lines, author) is made from: the CSV's bytes and
    description, and, where the CSV alone cannot say which values it was made from, the values.
    The live preview keeps its workbooks in memory by the same key."""
    download, lines, author = job
    found = hashlib.blake2b(download.content, digest_size=DIGEST)
    found.update(repr((download.save_as, download.lastmod, download.title, download.description,
                       [repr(c) for c in download.columns], lines, author)).encode())
    if download.values is not None and _may_be_made_safe(download.content):
        found.update(repr([download.values[c.name] for c in download.columns]).encode())
    return found.digest()


def _may_be_made_safe(content: bytes) -> bool:
    """Whether a ' starts a cell, or a part of one after ; or a line break, where csv_writer puts one
    before text a spreadsheet would run (=1 is written '=1): such a CSV may stand for text that began
    with ' or for text made safe, two workbooks. One find for a ' rather than a search for each pair
    it may follow: 6 ms against 0.5 s for the 153 MB of CSV at the benchmark's default size."""
    at = content.find(b"'")
    while at != -1:
        if at and content[at - 1] in b"\";\r\n":
            return True
        at = content.find(b"'", at + 1)
    return False


def _digest(content: bytes) -> bytes:
    return hashlib.blake2b(content, digest_size=DIGEST).digest()


def _group(address: str) -> str:
    return hashlib.blake2b(address.encode(), digest_size=4).hexdigest()


def _name(key: bytes, address: str = "") -> str:
    return f"{_group(address)}-{hashlib.blake2b(CODE + key, digest_size=DIGEST).hexdigest()}.xlsx"


def _read(folder: Path, name: str) -> bytes | None:
    try:
        held = (folder / name).read_bytes()
    except OSError:
        return None
    digest, content = held[:DIGEST], held[DIGEST:]
    return content if _digest(content) == digest else None


def _write(folder: Path, name: str, content: bytes) -> None:
    try:
        write_whole(folder / name, _digest(content) + content)
    except OSError:
        pass  # not kept: the next build makes it again


def _keep_only(folder: Path, names: set[str], address: str) -> None:
    group = _group(address) + "-"
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if _NAME.fullmatch(entry.name) and entry.name.startswith(group) and entry.name not in names:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


class Folder:
    """A build's store: the workbooks kept on disk under root/cache/workbooks/ for one site address."""

    def __init__(self, root: Path, address: str = ""):
        self.folder, self.address = Path(root) / FOLDER, address

    def get(self, key: bytes) -> bytes | None:
        return _read(self.folder, _name(key, self.address))

    def put(self, key: bytes, content: bytes) -> None:
        _write(self.folder, _name(key, self.address), content)

    def keep_only(self, keys: Sequence[bytes]) -> None:
        """Let go of this address's workbooks but these; other addresses' stay."""
        _keep_only(self.folder, {_name(key, self.address) for key in keys}, self.address)


class Memory(dict):
    """The live preview's store: the last rebuild's workbooks, held in its process, so a rebuild
    reads no file and checks no digest."""

    def put(self, key: bytes, content: bytes) -> None:
        self[key] = content

    def keep_only(self, keys: Sequence[bytes]) -> None:
        for stale in set(self) - set(keys):
            del self[stale]


def made(jobs: Sequence, key_of: Callable[[object], bytes], make: Callable[[list], list[bytes]],
         store: Folder | Memory) -> list[bytes]:
    """Every job's workbook, in order: those the store holds read back, the others made by
    make(the missing jobs) and put in it; then the store keeps these jobs' workbooks only."""
    keys = [key_of(job) for job in jobs]
    found = {key: store.get(key) for key in keys}
    missing = [index for index, key in enumerate(keys) if found[key] is None]
    fresh = make([jobs[index] for index in missing]) if missing else []
    for index, content in zip(missing, fresh):
        found[keys[index]] = content
        store.put(keys[index], content)
    store.keep_only(keys)
    return [found[key] for key in keys]

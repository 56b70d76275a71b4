"""The gate: every file under data/ and content/ is one a reader knows, or it is refused by name.

Run before anything reads those folders (cli.check and cli.build both call `gate` first), so a file
the site would silently drop, or should never publish, is a problem staff see and fix:

- no link (symbolic link) anywhere under data/ or content/, and neither folder outside the project:
  a link could publish any file on the build machine;
- data/: funder.yaml, providers.csv, awards.csv, duties.yaml, notes ending .md, opportunities/*.md,
  payments/<financial year>.csv (lower-case .csv, a year from 2000-01 to 2100-01) and the files of
  monitoring/ (whose reader, load/monitoring.py, names any file it cannot use); a missing
  opportunities/ or payments/ folder would publish a site without them, so it is a problem too;
- content/pages/: Markdown pages ending .md (Pelican reads no other kind: pelicanconf.py's READERS),
  each at an address of its own that is not one of the site's own (RESERVED);
- content/documents/: only the kinds of document in DOCUMENTS, checked by their contents as well as
  their names, so a web page or SVG image (which could run script under the site's own address) is
  never published, whatever it is called.

A refused file is never read beyond its first bytes, and no message quotes what it holds. Hidden
files and folders (.gitkeep) are ignored, as Pelican ignores them (IGNORE_FILES), but a hidden link is
still refused. Nothing is decided by the order files are found in: problems are sorted when reported.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from pathlib import Path

from ..problems import Problem
from . import page_address

# The top level of the built site that our sections, Pelican and the post-processing write: a content
# page whose address starts with one of these would overwrite the site's own files or be overwritten.
# tests/test_files_and_faults.py builds the sample site and fails if it writes a name missing here.
RESERVED = frozenset({
    "index.html", "404.html", "sitemap.xml", "robots.txt",  # home/, postprocess/sitemap.py
    "opportunities", "feeds",  # opportunities/: pages, feed and calendars
    "funded-services", "providers", "priorities", "funding-streams",  # funded_services/
    "spend", "outcomes", "search", "data",  # spend/, search/, open_data/ (downloads and /data/)
    "spend-over-500", "payments-compliance", "duties",  # transparency/
    "forward-plan", "build-state.json",  # forward_plan/, home/state.py
    "pagefind", "theme", "documents",  # the search index, the theme's files, content/documents/
})

_ZIP, _OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
_TEXT = ()  # checked as text: UTF-8, and nothing a browser could take for a web page
# Every kind of document content/documents/ may hold: its ending, its name, how its contents start.
DOCUMENTS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("PDF", (b"%PDF",)),
    ".doc": ("Word", _OLE), ".docx": ("Word", _ZIP),
    ".xls": ("Excel", _OLE), ".xlsx": ("Excel", _ZIP),
    ".odt": ("OpenDocument", _ZIP), ".ods": ("OpenDocument", _ZIP), ".odp": ("OpenDocument", _ZIP),
    ".csv": ("CSV", _TEXT), ".txt": ("plain text", _TEXT),
    ".png": ("PNG", (b"\x89PNG\r\n\x1a\n",)), ".jpg": ("JPEG", (b"\xff\xd8\xff",)),
    ".jpeg": ("JPEG", (b"\xff\xd8\xff",)), ".gif": ("GIF", (b"GIF87a", b"GIF89a")),
    ".webp": ("WebP", (b"RIFF",)),  # and b"WEBP" at byte 8: _looks_like
}
# Files a browser runs, shown from the site's own address: refused with a message that says why.
ACTIVE = frozenset({".svg", ".svgz", ".html", ".htm", ".xhtml", ".xht", ".shtml", ".xml", ".xsl",
                    ".js", ".mjs", ".swf", ".php"})
_WEB_PAGE = re.compile(rb"<\s*(script|svg|html|!doctype|\?xml|iframe|object|embed|body|head)\b", re.IGNORECASE)
_HEAD = 4096  # bytes read to recognise a document by its contents
_PAYMENTS = re.compile(r"(\d{4})-(\d{2})\.csv")
_META = re.compile(r"[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)")  # Python-Markdown's meta extension, as Pelican reads pages
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*")
_PLACEMENT = ("save_as", "url", "template")  # page metadata that would put a page anywhere, in any layout
DATA_FOLDERS = ("opportunities", "payments", "monitoring")  # the folders of data/ a reader reads

# Each message is written in a Problem, so tests/test_guide.py finds it in the source; the gate files it
# under the path it concerns (Gate.refuse).

LINK = Problem("", 0, "", "is a link to another file or folder, which the site never reads or publishes; "
                         "put the file itself here instead of the link")
NOT_A_FILE = Problem("", 0, "", "is not an ordinary file or folder (a device, pipe or socket); delete it")
OUTSIDE = Problem("", 0, "", "is outside the project folder; keep data/ and content/ in the project itself")
FOLDER = Problem("", 0, "", "is a folder the site does not read; move what it holds to the folder where it belongs "
                           "(docs/publishing.md says which), or delete it")
DATA_OTHER = Problem("", 0, "", "is not a file the site reads: data/ holds funder.yaml, providers.csv, awards.csv, "
                               "duties.yaml, opportunities/, payments/, monitoring/ and notes ending .md; check its name (in lower "
                               "case), or move it out of data/")
PAYMENTS_OTHER = Problem("", 0, "", "is not read: data/payments/ holds only CSV files named for a financial year, such "
                                   "as 2025-26.csv; save it as CSV UTF-8 with such a name, or move it out of data/")
# The same words as the payments rule's (load/rules/payments.py): one message for one mistake.
NOT_A_YEAR = Problem("", 0, "", "is not named for a financial year; name it like 2025-26.csv (1 April 2025 to 31 March 2026)")
CONTENT_OTHER = Problem("", 0, "", "is not published: content/ holds pages in content/pages/ and documents in "
                                  "content/documents/; move it to one of them")
DOCUMENT_KIND = Problem("", 0, "", "is not a kind of document the site publishes; publish documents as PDF, Word (.doc, "
                                  ".docx), Excel (.xls, .xlsx), OpenDocument (.odt, .ods, .odp), CSV, plain text (.txt) "
                                  "or images (.png, .jpg, .jpeg, .gif, .webp)")
ACTIVE_DOCUMENT = Problem("", 0, "", "is a web page, script or SVG image, which could run code under the site's own "
                                    "address; publish it as a PDF, or an image as PNG, instead")

class Gate(list):
    """The problems found (a list of Problem), and the paths refused, for any reader that must skip them."""

    def __init__(self, root: Path):
        super().__init__()
        self.root = root
        self.refused: set[str] = set()

    def refuse(self, path: Path, problem: Problem) -> None:
        """problem (written for no file) filed under path, which readers must then skip."""
        self.append(dataclasses.replace(problem, file=shown(path, self.root)))
        self.refused.add(os.path.abspath(path))

    def refuses(self, path: Path) -> bool:
        """Whether the gate refused this path, or a folder it is in."""
        path = os.path.abspath(path)
        return any(path == p or path.startswith(p + os.sep) for p in self.refused)


def refused(config) -> list[Problem]:
    """What the gate refuses in the folders parsed settings name: the first step of check, build and
    unchanged, so no reader (ours or Pelican's) opens a file it refuses."""
    return list(gate(config.data_dir, config.content_dir, config.root))


def gate(data_dir: Path, content_dir: Path, root: Path) -> Gate:
    """Every problem with which files are in data/ and content/; the files themselves are read by others."""
    found = Gate(root)
    _walk(found, Path(data_dir), root, _data_entry)
    if os.path.isdir(data_dir) and not os.path.islink(data_dir):
        for folder, what in (("opportunities", "opportunities"), ("payments", "spend")):
            if not os.path.lexists(Path(data_dir) / folder):
                found.append(Problem(
                    shown(Path(data_dir) / folder, root), 0, "",
                    f"folder is missing, so the site would publish no {what}; put back {shown(Path(data_dir) / folder, root)}/ "
                    f"with its files (an empty file named .gitkeep keeps an empty folder)"))
    pages = _walk(found, Path(content_dir), root, _content_entry)
    _check_addresses(found, pages, root)
    return found


def shown(path: Path, root: Path) -> str:
    """A path as staff see it, relative to the project: the link itself, never where it points."""
    path = Path(os.path.abspath(path))
    for base in (os.path.abspath(root), os.path.realpath(root)):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            pass
    try:
        return (Path(os.path.realpath(path.parent)) / path.name).relative_to(os.path.realpath(root)).as_posix()
    except ValueError:
        return path.as_posix()


# --- walking ----------------------------------------------------------------------------------


def _walk(found: Gate, top: Path, root: Path, judge) -> list[Path]:
    """Walk top without following links; judge(parts, name, is_dir) is None (fine) or a Problem.

    Returns the Markdown pages accepted, for the check of their addresses.
    """
    pages: list[Path] = []
    if not os.path.lexists(top):
        return pages  # a missing data/ is the loader's problem; a missing content/ has no pages
    if os.path.islink(top):
        found.refuse(top, LINK)
        return pages
    if not _inside(top, root):
        found.refuse(top, OUTSIDE)
        return pages

    def unreadable(error: OSError) -> None:
        found.refuse(Path(error.filename or top),
                     Problem("", 0, "", f"cannot be read ({error.strerror}); check the permissions of the folder"))

    for folder, dirs, files in os.walk(top, topdown=True, onerror=unreadable, followlinks=False):
        parts = Path(folder).relative_to(top).parts
        for name in sorted(dirs):
            path = Path(folder) / name
            problem = _kind(path, directory=True) or judge(parts, name, True)
            if problem:
                if problem is not _IGNORED:
                    found.refuse(path, problem)
                dirs.remove(name)
        for name in sorted(files):
            path = Path(folder) / name
            problem = _kind(path, directory=False) or judge(parts, name, False)
            if problem is None:
                problem = _readable(path, parts)
            if problem is _PAGE:
                pages.append(path)
            elif problem and problem is not _IGNORED:
                found.refuse(path, problem)
    return pages


_IGNORED = object()  # not a problem: a hidden file or folder, which no reader sees
_PAGE = object()  # not a problem: a Markdown page, whose address is checked once every page is known


def _kind(path: Path, directory: bool) -> Problem | None:
    """LINK or NOT_A_FILE for what is neither an ordinary file nor a folder; _IGNORED if hidden; else None."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return Problem("", 0, "", f"cannot be read ({exc.strerror}); check the permissions of the file")
    if stat.S_ISLNK(mode):
        return LINK
    if path.name.startswith("."):
        return _IGNORED
    if stat.S_ISDIR(mode) if directory else stat.S_ISREG(mode):
        return None
    return NOT_A_FILE


def _data_entry(parts: tuple[str, ...], name: str, directory: bool) -> Problem | None:
    if not parts:
        if directory:
            return None if name in DATA_FOLDERS else FOLDER
        return None if name in ("funder.yaml", "providers.csv", "awards.csv", "duties.yaml") or name.endswith(".md") else DATA_OTHER
    if directory or len(parts) > 1:
        return FOLDER
    if parts[0] == "monitoring":
        return None  # load/monitoring.py names every file there it cannot use
    if parts[0] == "opportunities":
        return None if name.endswith(".md") else Problem("", 0, "", (
            f"is not read: an opportunity is a Markdown file ending .md; rename it {_stem(name)}.md, "
            f"or move it out of data/ if it is not an opportunity"))
    if name.lower().endswith(".csv") and not name.endswith(".csv"):
        return Problem("", 0, "", f"ends in {name[-4:]}, not .csv in lower case, so it would not be read; rename it {name[:-4]}.csv")
    if name.endswith(".csv"):
        match = _PAYMENTS.fullmatch(name)
        return None if match and _financial_year(*match.groups()) else NOT_A_YEAR
    return PAYMENTS_OTHER


def _financial_year(start: str, end: str) -> bool:
    return 2000 <= int(start) <= 2100 and (int(start) + 1) % 100 == int(end)


def _content_entry(parts: tuple[str, ...], name: str, directory: bool) -> Problem | None:
    if not parts:
        if directory:
            return None if name in ("pages", "documents") else FOLDER
        return CONTENT_OTHER
    if directory:
        return None
    if parts[0] == "pages":
        return None if name.endswith(".md") else Problem("", 0, "", (
            f"is not read: pages must be Markdown files ending .md; rename it {_stem(name)}.md "
            f"(documents and images go in content/documents/)"))
    ending = os.path.splitext(name)[1].lower()
    if ending in ACTIVE:
        return ACTIVE_DOCUMENT
    return None if ending in DOCUMENTS else DOCUMENT_KIND


def _stem(name: str) -> str:
    return os.path.splitext(name)[0]


def _inside(path: Path, root: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


# --- reading the first bytes ------------------------------------------------------------------


def _readable(path: Path, parts: tuple[str, ...]) -> Problem | None:
    """None if the file can be read and is what its name says; _PAGE for a page; else a message."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return LINK if exc.errno == getattr(os, "ELOOP", None) else Problem(
            "", 0, "", f"cannot be read ({exc.strerror}); check the permissions of the file")
    try:
        with os.fdopen(descriptor, "rb") as file:
            if parts[:1] == ("documents",):
                return _looks_like(path, file)
            if parts[:1] == ("pages",):
                return _PAGE
    except OSError as exc:
        return Problem("", 0, "", f"cannot be read ({exc.strerror}); check the permissions of the file")
    return None


def _looks_like(path: Path, file) -> Problem | None:
    """None if a document's contents are of the kind its name says; a message otherwise (never quoting them)."""
    ending = path.suffix.lower()
    kind, signatures = DOCUMENTS[ending]
    if signatures is _TEXT:
        raw = file.read()
        try:
            raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raw = b"\x00"
        if b"\x00" in raw or _WEB_PAGE.search(raw[:_HEAD]):
            return Problem("", 0, "", (
                f"ends in {path.suffix} but is not plain UTF-8 text inside, or looks like a web page or script; "
                f"save it again as plain text (in Excel: Save As, CSV UTF-8)"))
        return None
    head = file.read(16)
    if head.startswith(signatures) and (ending != ".webp" or head[8:12] == b"WEBP"):
        return None
    return Problem("", 0, "", (
        f"ends in {path.suffix} but is not a {kind} file inside; save it again as {kind} from the program that made it, "
        f"or give it the ending of the kind of file it is"))


# --- the addresses of pages -------------------------------------------------------------------


def _check_addresses(found: Gate, pages: list[Path], root: Path) -> None:
    """Each page at an address of its own, and none of the site's own: Pelican would crash or drop one."""
    taken: dict[str, str] = {}
    for path in sorted(pages):
        name = shown(path, root)
        metadata = _metadata(path)
        if metadata is None or metadata.get("status", ("", 0))[0].lower() in ("draft", "skip"):
            continue  # not UTF-8 (the content check says so), or not published
        for key in _PLACEMENT:
            if key in metadata:
                found.append(Problem(name, metadata[key][1], key.capitalize(),
                                     "is not allowed in a page; delete this line (a page's address comes from its Title "
                                     "or Slug, and every page has the site's page layout)"))
        if "slug" in metadata:
            value, line, field = *metadata["slug"], "Slug"
            address = value
            if not _SLUG.fullmatch(value):
                found.append(Problem(name, line, field, f"'{value}' is not a web address a page can have; "
                                     f"use lower-case letters, digits and hyphens, for example `Slug: about-us`"))
                continue
        elif "title" in metadata:
            value, line, field = *metadata["title"], "Title"
            address = page_address.from_title(value)
            if not address:
                found.append(Problem(name, line, field, "gives the page no web address (it has no letters or digits); "
                                     "add a line such as `Slug: about-us`"))
                continue
        else:
            continue  # no Title: the content check says so
        top = address.split("/")[0].lower()
        if top in RESERVED:
            found.append(Problem(name, line, field, f"'{value}' gives this page the address /{address}/, which is the "
                                 f"site's own {top}; choose another, or add a line such as `Slug: about-{top}`"))
        elif address.lower() in taken:
            found.append(Problem(name, line, field, f"'{value}' gives this page the address /{address}/, which "
                                 f"{taken[address.lower()]} has already; give one of them another Title or Slug"))
        else:
            taken[address.lower()] = name


def _metadata(path: Path) -> dict[str, tuple[str, int]] | None:
    """A page's metadata lines as Pelican reads them: {key: (value, line)}; None if it is not UTF-8 text."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.split("\n")
    metadata: dict[str, tuple[str, int]] = {}
    start = 1 if lines and re.match(r"-{3}(\s.*)?$", lines[0]) else 0
    key = None
    for number, line in enumerate(lines[start:], start=start + 1):
        match = _META.match(line)
        if match:
            key = match.group(1).lower()
            metadata.setdefault(key, (match.group(2).strip(), number))
        elif line.strip() and key and line.startswith("    "):  # a value continued on the next line
            value, first = metadata[key]
            metadata[key] = (f"{value} {line.strip()}", first)
        else:
            break
    return metadata

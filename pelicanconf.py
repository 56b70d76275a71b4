"""Settings for a local build and preview. publishconf.py adds what production needs.

Paths are built from this file's folder so a build works from any working directory.
Everything about the funder comes from data/funder.yaml and content/, not from here.
"""

from pathlib import Path

from jinja2 import FileSystemBytecodeCache

HERE = Path(__file__).parent.resolve()

SITENAME = "Commissioning and funding"
SITEURL = ""
RELATIVE_URLS = False
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en-GB"

PATH = str(HERE / "content")
OUTPUT_PATH = str(HERE / "output")
THEME = str(HERE / "theme")
PLUGIN_PATHS = [str(HERE / "plugins")]
PLUGINS = ["commissioning"]
COMMISSIONING_ROOT = str(HERE)

# Content is pages only (no blog): each Markdown page in content/pages/ is published at /<slug>/.
ARTICLE_PATHS: list[str] = []
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["documents"]
# Pages are Markdown ending .md, nothing else: reStructuredText can include any file on the build
# machine (`.. include:: /etc/passwd`), and HTML pages would skip every check of the content. The
# files gate (plugins/commissioning/load/files.py) refuses such files by name; this is the second lock.
READERS = {"rst": None, "html": None, "htm": None, "markdown": None, "mkd": None, "mdown": None}
# Hidden files and folders are neither pages nor documents. (Pelican's own default, "**/.*", is matched
# against bare names, which hold no "/", so it ignores nothing.)
IGNORE_FILES = [".*"]
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DIRECT_TEMPLATES: list[str] = []
for _kind in ("AUTHOR", "CATEGORY", "TAG", "ARCHIVES", "YEAR_ARCHIVE", "MONTH_ARCHIVE", "DAY_ARCHIVE",
              "AUTHORS", "CATEGORIES", "TAGS", "ARTICLE", "DRAFT", "DRAFT_PAGE", "ARTICLE_LANG", "PAGE_LANG"):
    globals()[f"{_kind}_SAVE_AS"] = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None

# Autoescape on: only HTML we produced and sanitised is marked safe.
# Compiled templates are kept in cache/jinja/ (git-ignored), keyed by each template's source: compiling
# the theme's templates was a quarter of a small build's time; the pages come out the same.
_TEMPLATE_CACHE = HERE / "cache" / "jinja"
_TEMPLATE_CACHE.mkdir(parents=True, exist_ok=True)
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "autoescape": True,
                     "bytecode_cache": FileSystemBytecodeCache(str(_TEMPLATE_CACHE))}
MARKDOWN = {
    "extension_configs": {
        # align="right" rather than style="text-align: right": the Content-Security-Policy forbids inline styles.
        "markdown.extensions.tables": {"use_align_attribute": True},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.smarty": {},
        "markdown.extensions.toc": {},
        # Last: the same HTML from the inline passes in half the time (plugins/commissioning/render/markdown_inline.py).
        "commissioning.render.markdown_inline": {},
    },
    "output_format": "html5",
}

DELETE_OUTPUT_DIRECTORY = False  # the build command writes into a fresh folder and swaps it in
CACHE_CONTENT = False

"""The site checks (tools/sitecheck) pass a clean site and fail a site seeded with each fault.

Each test builds a small hand-written site in tmp_path: a clean one that is valid
HTML, accessible, with a skip link and ``<main id="main-content" tabindex="-1">``,
then seeds one fault into a copy and shows that the check meant to catch it does,
naming the page. Tests that need Java or Chromium are skipped only when the binary
is missing (``make test`` installs both).
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

from sitecheck import a11y, core, html, links  # noqa: E402
from sitecheck.pages import Page, PageType, select_pages  # noqa: E402


_no_lychee = core.first_missing(core.lychee_path)
_no_java = core.first_missing(core.java_path, core.vnu_jar_path)
_no_chromium = core.first_missing(*core.NEEDS["a11y"])
needs_lychee = pytest.mark.skipif(bool(_no_lychee), reason=f"lychee missing: {_no_lychee}")
needs_java = pytest.mark.skipif(bool(_no_java), reason=f"Java or vnu.jar missing: {_no_java}")
needs_chromium = pytest.mark.skipif(bool(_no_chromium), reason=f"Chromium or axe-core missing: {_no_chromium}")


# ---------------------------------------------------------------------------
# A small clean site

CSS = """\
body { margin: 0 1rem; font-family: Arial, sans-serif; color: #0b0c0c; background: #fff; line-height: 1.4; }
a { color: #1d70b8; }
a:focus { outline: 3px solid #fd0; background: #fd0; color: #0b0c0c; }
.govuk-skip-link { position: absolute !important; width: 1px !important; height: 1px !important;
  margin: 0 !important; padding: 0 !important; overflow: hidden !important;
  clip: rect(0 0 0 0) !important; clip-path: inset(50%) !important; white-space: nowrap !important; }
.govuk-skip-link:focus { position: static !important; width: auto !important; height: auto !important;
  margin: inherit !important; overflow: visible !important; clip: auto !important;
  clip-path: none !important; white-space: inherit !important; display: block; padding: 0.5rem; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
label, input, button { display: block; margin: 0.5rem 0; font: inherit; }
input { border: 2px solid #0b0c0c; padding: 0.25rem; }
button { background: #00703c; color: #fff; border: 0; padding: 0.5rem 1rem; }
"""

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
    '<rect width="40" height="40" fill="#1d70b8"/></svg>\n'
)

PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – Test commissioning site</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header>
<p><a href="/">Test commissioning site</a></p>
<nav aria-label="Menu">
<ul>
<li><a href="/about/">About</a></li>
<li><a href="/items/first/">First item</a></li>
<li><a href="/items/second/">Second item</a></li>
</ul>
</nav>
</header>
<main id="main-content" tabindex="-1">
<h1>{title}</h1>
{body}
</main>
<footer>
<p><a href="/about/#contact">Contact us</a></p>
</footer>
</body>
</html>
"""

BODIES = {
    "index.html": (
        "Funding and commissioning",
        '<p>What the commissioner funds. Read <a href="/about/">about this site</a> '
        'or <a href="/about/#contact">how to contact us</a>.</p>\n'
        '<p><img src="/assets/logo.svg" alt="The commissioner\'s logo" width="40" height="40"></p>',
    ),
    "about/index.html": (
        "About this site",
        "<p>This site lists funding opportunities and the services funded.</p>\n"
        '<h2 id="contact">Contact</h2>\n'
        '<p>Write to <a href="mailto:commissioning@example.org">commissioning@example.org</a>.</p>\n'
        '<form action="/about/" method="get">\n'
        '<label for="q">Search this site</label>\n'
        '<input id="q" name="q" type="search">\n'
        '<button type="submit">Search</button>\n'
        "</form>",
    ),
    "items/first/index.html": (
        "First item",
        '<p>An item. See the <a href="../second/">second item</a> and '
        '<a href="https://www.example.org/not-checked-offline">an external page</a>.</p>',
    ),
    "items/second/index.html": (
        "Second item",
        '<p>Another item. Back to the <a href="/items/first/#main-content">first item</a>.</p>',
    ),
    "404.html": ("Page not found", '<p>Go to the <a href="/">home page</a>.</p>'),
}

SKIP_LINK_SCRIPT = """<script>
document.querySelector(".govuk-skip-link").addEventListener("click", function () {
  var main = document.getElementById("main-content");
  main.setAttribute("tabindex", "-1");
  main.focus();
});
</script>
"""

TYPES = [
    PageType("home", "index.html"),
    PageType("content", "about/index.html"),
    PageType("item", "items/*/index.html"),
    PageType("404", "404.html"),
]


def make_site(root: Path) -> Path:
    site = root / "site"
    for path, (title, body) in BODIES.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(PAGE.format(title=title, body=body), encoding="utf-8")
    (site / "assets").mkdir()
    (site / "assets/site.css").write_text(CSS, encoding="utf-8")
    (site / "assets/logo.svg").write_text(LOGO, encoding="utf-8")
    return site


def seed(site: Path, page: str, old: str, new: str) -> None:
    """Put a fault into one page: replace ``old`` (which must be there) with ``new``."""
    path = site / page
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {page}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


@pytest.fixture(scope="module")
def browser():
    if _no_chromium:
        pytest.skip(f"Chromium or axe-core missing: {_no_chromium}")
    with a11y.browser_session() as session:
        yield session


def _text(findings) -> str:
    return "\n".join(f.format("site") for f in findings)


# ---------------------------------------------------------------------------
# pages


def test_pages_takes_the_first_page_of_each_type(site: Path) -> None:
    pages, missing = select_pages(site, TYPES)
    assert missing == []
    assert pages == [
        Page("home", "index.html"),
        Page("content", "about/index.html"),
        Page("item", "items/first/index.html"),
        Page("404", "404.html"),
    ]
    assert [p.url_path for p in pages] == ["/", "/about/", "/items/first/", "/404.html"]


def test_pages_reports_a_template_type_with_no_page(site: Path) -> None:
    pages, missing = select_pages(site, [*TYPES, PageType("provider", "providers/*/index.html")])
    assert len(pages) == 4
    assert len(missing) == 1
    assert missing[0].page == "providers/*/index.html"
    assert "provider" in missing[0].what


# ---------------------------------------------------------------------------
# links


@needs_lychee
def test_links_pass_on_the_clean_site(site: Path) -> None:
    assert links.check(site) == []


@needs_lychee
def test_links_fail_on_a_broken_internal_link(site: Path) -> None:
    seed(site, "about/index.html", "<h2 id", '<p><a href="/providers/nobody/">Nobody</a></p>\n<h2 id')
    findings = links.check(site)
    assert len(findings) == 1, _text(findings)
    assert findings[0].page == "about/index.html"
    assert findings[0].line == 24
    assert '"/providers/nobody/"' in findings[0].what
    assert "does not resolve" in findings[0].what


@needs_lychee
def test_links_fail_on_a_broken_fragment(site: Path) -> None:
    seed(site, "items/second/index.html", "/items/first/#main-content", "/about/#no-such-section")
    findings = links.check(site)
    assert len(findings) == 1, _text(findings)
    assert findings[0].page == "items/second/index.html"
    assert '"/about/#no-such-section"' in findings[0].what
    assert 'id="no-such-section"' in findings[0].what


@needs_lychee
def test_links_fail_on_a_link_to_a_folder_without_index(site: Path) -> None:
    (site / "empty").mkdir()
    seed(site, "items/first/index.html", "../second/", "../../empty/")
    findings = links.check(site)
    assert [(f.page, "no index.html" in f.what) for f in findings] == [("items/first/index.html", True)]


@needs_lychee
def test_links_check_the_sites_own_absolute_urls_with_site_url(site: Path) -> None:
    seed(site, "404.html", 'href="/"', 'href="https://pcc.example.org/nowhere/"')
    assert links.check(site) == []  # external, so not checked offline
    findings = links.check(site, site_url="https://pcc.example.org")
    assert [f.page for f in findings] == ["404.html"], _text(findings)


# ---------------------------------------------------------------------------
# html


@needs_java
def test_html_passes_on_the_clean_site(site: Path) -> None:
    assert html.check(site) == []


@needs_java
def test_html_fails_on_a_misnested_element(site: Path) -> None:
    seed(site, "about/index.html", "<h2 id", "<p><div>A block inside a paragraph</div></p>\n<h2 id")
    findings = html.check(site)
    assert findings, "vnu found nothing"
    assert {f.page for f in findings} == {"about/index.html"}, _text(findings)
    assert all(f.line == 24 for f in findings), _text(findings)


@needs_java
def test_html_fails_on_a_duplicate_id(site: Path) -> None:
    seed(site, "items/first/index.html", "<p>An item.", '<p id="main-content">An item.')
    findings = html.check(site)
    assert [f.page for f in findings] == ["items/first/index.html"], _text(findings)
    assert "Duplicate ID" in findings[0].what


@needs_java
def test_html_checks_only_the_files_given(site: Path) -> None:
    seed(site, "404.html", "<h1>", "<h1><h1>")
    assert html.check(site, [site / "index.html"]) == []
    assert {f.page for f in html.check(site, [site / "404.html"])} == {"404.html"}


# ---------------------------------------------------------------------------
# a11y: axe, keyboard, screenshots


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@needs_chromium
def test_a11y_passes_on_the_clean_site_and_saves_screenshots(site: Path, tmp_path: Path, browser) -> None:
    shots = tmp_path / "shots"
    findings = a11y.check(site, types=TYPES, screenshots=shots, browser=browser)
    assert findings == [], _text(findings)
    names = sorted(p.name for p in shots.iterdir())
    assert names == sorted(f"{t.name}-{w}.png" for t in TYPES for w in (375, 1280))
    assert _png_size(shots / "home-375.png")[0] == 375
    assert _png_size(shots / "home-1280.png")[0] == 1280


@needs_chromium
def test_a11y_reports_a_missing_template_type(site: Path, browser) -> None:
    findings = a11y.check(site, types=[PageType("provider", "providers/*/index.html")], browser=browser)
    assert [(f.check, f.page) for f in findings] == [("pages", "providers/*/index.html")]


@needs_chromium
def test_a11y_fails_on_an_image_without_alt(site: Path, browser) -> None:
    seed(site, "index.html", ' alt="The commissioner\'s logo"', "")
    findings = a11y.check(site, [Page("home", "index.html")], browser=browser)
    assert [(f.page, f.check) for f in findings] == [("index.html", "a11y")], _text(findings)
    assert "axe image-alt " in findings[0].what
    assert "img" in findings[0].where


@needs_chromium
def test_a11y_fails_on_an_input_without_a_label(site: Path, browser) -> None:
    seed(site, "about/index.html", '<label for="q">Search this site</label>\n', "")
    findings = a11y.check(site, [Page("content", "about/index.html")], browser=browser)
    assert [(f.page, f.check) for f in findings] == [("about/index.html", "a11y")], _text(findings)
    assert "axe label " in findings[0].what
    assert "#q" in findings[0].where


@needs_chromium
def test_keyboard_fails_when_the_skip_link_is_not_first(site: Path, browser) -> None:
    seed(site, "items/first/index.html", "<body>\n", '<body>\n<p><a href="/">Home</a></p>\n')
    findings = a11y.check(site, [Page("item", "items/first/index.html")], browser=browser)
    keyboard = [f for f in findings if f.check == "keyboard"]
    assert {f.page for f in findings} == {"items/first/index.html"}, _text(findings)
    # once with JavaScript on, once with it off
    assert len(keyboard) == 2, _text(findings)
    assert all('<a href="/">' in f.what and "not the skip link" in f.what for f in keyboard)


@needs_chromium
def test_keyboard_fails_when_the_skip_link_does_not_move_focus(site: Path, browser) -> None:
    seed(site, "about/index.html", '<main id="main-content" tabindex="-1">', '<main id="main-content">')
    findings = a11y.check(site, [Page("content", "about/index.html")], browser=browser)
    # With JavaScript off, the next Tab still starts from the main content, which is enough.
    assert [(f.page, f.check) for f in findings] == [("about/index.html", "keyboard")], _text(findings)
    assert findings[0].what.startswith("after Enter on the skip link, focus is on <body>, not in the main content")


@needs_chromium
def test_keyboard_fails_when_the_skip_link_stays_hidden_on_focus(site: Path, browser) -> None:
    seed(site, "assets/site.css", ".govuk-skip-link:focus", ".govuk-skip-link:hover")
    findings = a11y.check(site, [Page("home", "index.html")], browser=browser)
    assert [(f.page, f.check, f.what) for f in findings] == [
        ("index.html", "keyboard", "the skip link is not visible when it has focus"),
        ("index.html", "keyboard", "with JavaScript off, the skip link is not visible when it has focus"),
    ], _text(findings)


@needs_chromium
def test_keyboard_passes_when_a_script_moves_focus_like_govuk_frontend(site: Path, browser) -> None:
    # GOV.UK Frontend's SkipLink gives the target tabindex="-1" and focuses it on click.
    seed(site, "about/index.html", '<main id="main-content" tabindex="-1">', '<main id="main-content">')
    seed(site, "about/index.html", "</body>", SKIP_LINK_SCRIPT + "</body>")
    findings = a11y.check(site, [Page("content", "about/index.html")], browser=browser)
    assert findings == [], _text(findings)


@needs_chromium
def test_a11y_fails_on_a_missing_stylesheet_and_a_page_without_h1(site: Path, browser) -> None:
    seed(site, "404.html", "/assets/site.css", "/assets/gone.css")
    seed(site, "404.html", "<h1>Page not found</h1>", "<p>Page not found</p>")
    findings = a11y.check(site, [Page("404", "404.html")], browser=browser)
    whats = _text(findings)
    assert "/assets/gone.css, which answers HTTP 404" in whats
    assert "with JavaScript off, the page has no h1" in whats


# ---------------------------------------------------------------------------
# The command line


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sitecheck", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO / "tools"), **(env or {})},
    )


@needs_lychee
def test_cli_exits_1_and_names_the_page_and_link(site: Path) -> None:
    seed(site, "about/index.html", "<h2 id", '<p><a href="/providers/nobody/">Nobody</a></p>\n<h2 id')
    result = _run(str(site), "--only", "links")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f'{site}/about/index.html:24: link to "/providers/nobody/" does not resolve' in result.stdout
    assert "1 problem found" in result.stdout


@needs_lychee
def test_cli_exits_0_on_a_clean_site(site: Path) -> None:
    result = _run(str(site), "--only", "links")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems found" in result.stdout


@needs_lychee
@needs_java
@needs_chromium
def test_cli_runs_every_check_and_reports_missing_template_types(site: Path, tmp_path: Path) -> None:
    shots = tmp_path / "output-checks"
    result = _run(str(site), "--screenshots", str(shots))
    assert result.returncode == 1, result.stdout + result.stderr
    # The hand-made site has only some of the real site's template types.
    assert f"{site}/opportunities/index.html: no page of template type 'opportunity-index'" in result.stdout
    assert "links: internal links and fragments (lychee, offline): no problems" in result.stdout
    assert "html: HTML errors (Nu HTML Checker): no problems" in result.stdout
    assert (shots / "home-375.png").is_file() and (shots / "404-1280.png").is_file()


def test_cli_says_how_to_install_a_missing_tool(site: Path) -> None:
    result = _run(
        str(site),
        env={"SITECHECK_VNU_JAR": "/nonexistent/vnu.jar", "SITECHECK_CHROMIUM": "/nonexistent/chromium"},
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "vnu.jar" in result.stderr and "npm ci" in result.stderr
    assert "Chromium not found at /nonexistent/chromium" in result.stderr
    assert "make test" in result.stderr


def test_cli_refuses_an_unknown_check_and_a_missing_folder(tmp_path: Path) -> None:
    result = _run(str(tmp_path), "--only", "links,spelling")
    assert result.returncode == 2 and "unknown check 'spelling'" in result.stderr
    result = _run(str(tmp_path / "output"))
    assert result.returncode == 2 and "is not a folder" in result.stderr
    assert "Traceback" not in result.stderr


@needs_chromium
def test_a11y_fails_when_the_page_scrolls_sideways_at_320_px(site: Path, browser) -> None:
    seed(site, "index.html", "</h1>", '</h1>\n<table id="wide"><tr><td>' + "x" * 120 + "</td></tr></table>")
    findings = a11y.check(site, [Page("home", "index.html")], browser=browser)
    assert [(f.page, f.check) for f in findings] == [("index.html", "a11y")], _text(findings)
    assert "at 320 px wide the page scrolls sideways" in findings[0].what
    assert "table#wide" in findings[0].what

"""The finished public site: search, minified pages, sitemap and robots.txt, weight, caching and
no third-party requests, checked on the sample site as built (see postprocess.py)."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from html.parser import HTMLParser
from hypothesis import given, settings as hypothesis_settings, strategies as st

from commissioning import postprocess
from commissioning.postprocess import minify, search_index, sitemap
from commissioning.search import pages as search
from commissioning import settings as plugin_settings
from commissioning.load.loader import load_dataset
from commissioning.derive.site import derive
from commissioning.render import filters
from commissioning.render.filters import money
from conftest import REPO, SAMPLE_NOW, Project, page
from sitecheck import core

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NOT_PAGES = {"404.html"}
BUNDLE = postprocess.SEARCH_DIR


_no_chromium = core.first_missing(core.chromium_path)
_no_java = core.first_missing(core.java_path, core.vnu_jar_path)
needs_chromium = pytest.mark.skipif(bool(_no_chromium), reason=f"Chromium missing: {_no_chromium}")
needs_java = pytest.mark.skipif(bool(_no_java), reason=f"Java or vnu.jar missing: {_no_java}")


# ---------------------------------------------------------------------------------------------
# Fixtures and helpers


class Expected:
    """Plain values from the sample data, derived at the sample site's clock: what the site must show.

    Tests take these, not the derived views: pytest prints the arguments of a failing test, and a
    view's repr walks every relation it has."""

    def __repr__(self) -> str:
        return "<what the sample site must show>"


@pytest.fixture(scope="module")
def sample() -> Expected:
    config = plugin_settings.from_pelican(
        {"COMMISSIONING_ROOT": str(REPO), "PATH": str(REPO / "content"), "COMMISSIONING_NOW": SAMPLE_NOW})
    site = derive(load_dataset(config.data_dir, config.content_dir, config.root), config)
    expected = Expected()
    expected.today = site.today.isoformat()
    expected.streams = {str(stream.title) for stream in site.streams}
    expected.providers = {"/" + p.url: p.id for p in site.providers}
    # url -> what the search index must hold for each opportunity and funded service (award)
    expected.records = {}
    for o in site.opportunities:
        expected.records["/" + o.url] = {"id": o.id, "kind": ["Opportunity"], "stream": [o.stream.title],
                                         "title": o.title, "status": o.status_label,
                                         "amount": money(o.funding_envelope)}
    for a in site.awards:
        expected.records["/" + a.url] = {"id": a.id, "kind": ["Funded service"], "stream": [a.stream.title],
                                         "title": a.title, "status": a.status_label,
                                         "amount": money(a.amount_awarded)}
    expected.open_opportunity = next(expected.records["/" + o.url] | {"url": "/" + o.url}
                                     for o in site.opportunities if o.is_open)
    expected.award = expected.records["/" + site.awards[0].url] | {"url": "/" + site.awards[0].url}
    return expected


@pytest.fixture(scope="module")
def unminified_site(tmp_path_factory) -> Path:
    """The sample site built with COMMISSIONING_MINIFY off."""
    root = tmp_path_factory.mktemp("unminified")
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "content", root / "content")
    result = Project(root).build(COMMISSIONING_MINIFY=False)
    assert result.code == 0, result.err
    return result.output


def html_files(output: Path) -> dict[str, Path]:
    """Every HTML file of a built site but the search bundle, by path relative to the site."""
    files = {}
    for path in output.rglob("*.html"):
        relative = path.relative_to(output).as_posix()
        if not relative.startswith(f"{BUNDLE}/"):
            files[relative] = path
    return dict(sorted(files.items()))


def url_of(relative: str) -> str:
    """about/index.html -> /about/"""
    return "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def search_records(output: Path) -> dict[str, dict]:
    """Every page in the Pagefind index, by URL: its text, filters and metadata (fragment files are
    gzip-compressed JSON after a 12-byte signature)."""
    records = {}
    for path in (output / BUNDLE / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        record = json.loads(data[len(b"pagefind_dcd"):])
        records[record["url"]] = record
    return records


def sitemap_entries(output: Path) -> dict[str, str | None]:
    """loc -> lastmod (or None) from sitemap.xml."""
    root = ET.parse(output / "sitemap.xml").getroot()
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    entries = {}
    for url in root.findall("s:url", SITEMAP_NS):
        loc = url.findtext("s:loc", namespaces=SITEMAP_NS)
        assert loc not in entries, f"{loc} is listed twice"
        entries[loc] = url.findtext("s:lastmod", namespaces=SITEMAP_NS)
    return entries


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


# ---------------------------------------------------------------------------------------------
# Search


def test_search_index_holds_every_opportunity_and_award(sample_site, sample):
    records = search_records(sample_site)
    problems = []
    for url, want in sample.records.items():
        record = records.get(url)
        if record is None:
            problems.append(f"{want['id']} ({url}) is not in the search index")
            continue
        found = {"id": want["id"], "kind": record["filters"].get("kind"), "stream": record["filters"].get("stream"),
                 "title": record["meta"].get("title"), "status": record["meta"].get("status"),
                 "amount": record["meta"].get("amount")}
        if found != want:
            problems.append(f"{url}: index has {found}, should have {want}")
    assert problems == []


def test_search_index_holds_providers_and_content_pages_but_not_the_404_or_search_page(sample_site, sample):
    records = search_records(sample_site)
    missing = [f"{pid} ({url})" for url, pid in sample.providers.items()
               if records.get(url, {}).get("filters", {}).get("kind") != ["Provider"]]
    assert missing == [], "providers not in the search index as kind Provider"
    for markdown in sorted((REPO / "content" / "pages").glob("*.md")):
        slug = re.search(r"^Slug:\s*(\S+)", markdown.read_text(encoding="utf-8"), re.M).group(1)
        assert f"/{slug}/" in records, f"content page {markdown.name} is not in the search index"
    assert "/404.html" not in records and "/404" not in records
    assert "/search/" not in records


def test_search_indexes_what_a_record_says_not_its_figures_and_dates(sample_site, sample):
    """An award's words are found (its reference, provider, stream); its amounts, dates and payments
    are its result's metadata, not indexed words: at scale they were a quarter of Pagefind's memory."""
    records = search_records(sample_site)
    awards = [url for url, want in sample.records.items() if want["kind"] == ["Funded service"]]
    assert awards
    for url in awards:
        soup = soup_of(sample_site / url.strip("/") / "index.html")
        rows = {" ".join(row.select_one("dt").get_text(" ").split()): " ".join(row.select_one("dd").get_text(" ").split())
                for row in soup.select("main .govuk-summary-list__row")}
        content = records[url]["content"]
        assert sample.records[url]["id"] in content and rows["Provider"].split(" ")[0] in content, url
        assert "Paid in each financial year" not in content and "Awarded on" not in content, url
        assert rows["Awarded on"] not in content, url
    opportunities = [url for url, want in sample.records.items() if want["kind"] == ["Opportunity"]]
    assert opportunities
    for url in opportunities:
        content = records[url]["content"]
        assert "Keep up to date" not in content and "Contents" not in content, url


def test_search_leaves_out_the_labels_every_record_page_repeats_but_keeps_their_values(sample_site, sample):
    """"How it was awarded" is on every award's page: as an indexed phrase it matches them all.
    The value beside it (the route, the stream's name) is what someone searches for."""
    records = search_records(sample_site)
    awards = [url for url, want in sample.records.items() if want["kind"] == ["Funded service"]]
    for url in awards:
        soup = soup_of(sample_site / url.strip("/") / "index.html")
        rows = {" ".join(row.select_one("dt").get_text(" ").split()): " ".join(row.select_one("dd").get_text(" ").split())
                for row in soup.select("main .govuk-summary-list__row")}
        content = records[url]["content"]
        for label in ("How it was awarded", "Funding stream", "Grant or contract"):
            assert label in rows, (url, label)
            assert label not in content, (url, label)
        assert rows["How it was awarded"] in content and rows["Funding stream"] in content, url


def test_search_filters_are_the_ones_the_search_page_offers(sample_site, sample):
    records = search_records(sample_site)
    kinds = {value for value, _ in search.KINDS}
    streams = sample.streams
    for url, record in records.items():
        assert set(record["filters"].get("kind", [])) <= kinds, f"{url}: kind {record['filters'].get('kind')}"
        assert set(record["filters"].get("stream", [])) <= streams, f"{url}: stream {record['filters'].get('stream')}"
    found_kinds = {kind for record in records.values() for kind in record["filters"].get("kind", [])}
    assert found_kinds == kinds, "every kind the page offers should find something"

    form = page(sample_site, "search/").find("form", attrs={"data-search-form": True})
    offered = {o["value"] for o in form.find("select", attrs={"name": "kind"}).find_all("option") if o["value"]}
    assert offered == kinds
    offered = {o["value"] for o in form.find("select", attrs={"name": "stream"}).find_all("option") if o["value"]}
    assert offered == streams


def test_search_page_without_javascript_links_to_the_lists(sample_site):
    soup = page(sample_site, "search/")
    fallback = soup.find(attrs={"data-search-fallback": True})
    assert "needs JavaScript" in fallback.get_text()
    assert not fallback.has_attr("hidden")
    links = [a["href"] for a in fallback.find_all("a")]
    assert links == ["/opportunities/", "/funded-services/", "/providers/", "/data/"]
    for link in links:
        assert (sample_site / link.strip("/") / "index.html").is_file(), f"the search page links to {link}, which is missing"
    # The form is of no use without JavaScript, so it starts hidden and search.js shows it.
    assert soup.find("form", attrs={"data-search-form": True}).has_attr("hidden")
    script = soup.find("script", src=True)
    assert script["type"] == "module"
    assert (sample_site / script["src"].lstrip("/")).is_file()


@needs_chromium
def test_search_gives_instant_results_in_a_browser(sample_site, sample):
    from playwright.sync_api import sync_playwright
    from sitecheck.a11y import CHROMIUM_ARGS
    from sitecheck.serve import serve

    opportunity, award = sample.open_opportunity, sample.award
    opp_url, opp_title, opp_status, opp_amount = (opportunity[k] for k in ("url", "title", "status", "amount"))
    award_url, award_title = award["url"], award["title"]
    problems: list[str] = []
    with serve(sample_site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(core.chromium_path()), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            tab = context.new_page()
            tab.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
            tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            tab.on("request", lambda r: problems.append(f"request to {r.url}") if not r.url.startswith((base, "data:")) else None)
            tab.add_init_script("document.addEventListener('securitypolicyviolation',"
                                " e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))")
            tab.goto(f"{base}/search/")
            tab.wait_for_selector("[data-search-form]:not([hidden])", timeout=10_000)
            assert tab.is_hidden("[data-search-fallback]")

            # Typing gives results without pressing Search; the kind filter narrows them.
            tab.fill("#search-q", opp_title)
            tab.select_option("#search-kind", "Opportunity")
            link = tab.wait_for_selector(f".app-search-result a[href='{opp_url}']", timeout=10_000)
            result = link.evaluate_handle("a => a.closest('.app-search-result')").as_element()
            text = result.inner_text()
            assert opp_status in text
            assert opp_amount in text
            kinds = {k.inner_text() for k in tab.query_selector_all(".app-search-result__kind")}
            assert kinds == {"Opportunity"}
            assert "results for" in tab.inner_text("[data-search-status]") or "1 result" in tab.inner_text("[data-search-status]")
            assert "q=" in tab.url and "kind=Opportunity" in tab.url

            # A shared address runs its search on arrival.
            tab.goto(f"{base}/search/?" + urlencode({"q": award_title, "kind": "Funded service"}))
            tab.wait_for_selector(f".app-search-result a[href='{award_url}']", timeout=10_000)
            assert tab.input_value("#search-kind") == "Funded service"

            # Without JavaScript: the links to the lists, no form.
            plain = browser.new_context(java_script_enabled=False).new_page()
            plain.goto(f"{base}/search/")
            assert plain.is_visible("[data-search-fallback]")
            assert plain.is_hidden("[data-search-form]")
        finally:
            browser.close()
    assert problems == []


def test_turning_the_search_index_off_builds_no_index(minimal_project):
    result = minimal_project.build(COMMISSIONING_SEARCH_INDEX=False)
    assert result.code == 0, result.err
    assert not (result.output / BUNDLE).exists()
    # The search page is still there, with its links, and no script that would fail to load.
    soup = page(result.output, "search/")
    assert soup.find(attrs={"data-search-fallback": True})
    assert soup.find("script", src=True) is None


def _marked_for_search(output: Path) -> set[str]:
    found = set()
    for path in output.rglob("*.html"):
        html = path.read_bytes()
        main = html.find(b"<main")
        if main >= 0 and b"data-pagefind-body" in html[main:html.find(b">", main)]:
            found.add(path.relative_to(output).as_posix())
    return found


def test_the_search_glob_and_the_pages_marked_for_search_agree(sample_site):
    """sections.search_glob names every page a template marks for search, and each of its globs finds one."""
    from commissioning import sections

    marked = _marked_for_search(sample_site)
    globs = [*sections.TOP_LEVEL_PAGES, *(g for s in sections.SECTIONS for g in s.search)]
    matched = {glob: {p.relative_to(sample_site).as_posix() for p in sample_site.glob(glob)} for glob in globs}
    shown = set().union(*matched.values())
    assert marked - shown == set(), "marked for search but not shown to Pagefind"
    assert all(found & marked for found in matched.values()), "a glob that finds no searchable page"
    # Shown but not marked: a handful of top-level and listing pages, which Pagefind reads and leaves out.
    assert len(shown - marked) <= 10, sorted(shown - marked)
    assert sections.search_glob() == "{" + ",".join(globs) + "}"


def test_pagefind_indexes_the_marked_pages_the_glob_shows_it(sample_site):
    import json

    entry = json.loads((sample_site / "pagefind" / "pagefind-entry.json").read_bytes())
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    assert indexed == len(_marked_for_search(sample_site))


def test_a_failed_index_stops_the_build(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(postprocess.PostprocessError, match="Pagefind"):
        search_index.index_site(tmp_path / "empty")


# ---------------------------------------------------------------------------------------------
# Minified HTML


def test_minifying_on_every_core_writes_what_one_core_writes(minimal_project, monkeypatch):
    result = minimal_project.build(COMMISSIONING_MINIFY=False, COMMISSIONING_SEARCH_INDEX=False)
    assert result.code == 0, result.err
    one, many = minimal_project.path("one"), minimal_project.path("many")
    shutil.copytree(result.output, one)
    shutil.copytree(result.output, many)
    alone = minify.minify_site(one, ("theme",))
    monkeypatch.setattr(minify, "PARALLEL_FROM", 1)
    monkeypatch.setattr(minify, "MINIFY_BATCH", 3)
    monkeypatch.setattr(minify, "cores", lambda: 2)
    together = minify.minify_site(many, ("theme",))
    assert (together.pages, together.before, together.after) == (alone.pages, alone.before, alone.after)
    assert together.after < together.before
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files and all((one / f).read_bytes() == (many / f).read_bytes() for f in files)


def _write_in_this_process(project, **settings):
    """cli.write_site here, not in a process of its own as cli.build runs it, so the test sees inside."""
    from commissioning import cli

    output = project.root / "output"
    overrides = project.overrides(SAMPLE_NOW, OUTPUT_PATH=str(output), COMMISSIONING_SEARCH_INDEX=False, **settings)
    result = project._run(cli.write_site, REPO / "pelicanconf.py", overrides, False)
    assert result.code == 0, result.err
    return output


def test_pages_minified_as_they_are_written_are_the_bytes_minifying_afterwards_made(minimal_project):
    """Minifying once, as pages are rendered, writes what the second pass over the written site wrote."""
    from commissioning import pelican_side

    output = _write_in_this_process(minimal_project)
    assert len(pelican_side.WRITTEN) > 10  # ours, minified as written: the pass after reads none (next test)
    now = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    shutil.rmtree(output)
    output = _write_in_this_process(minimal_project, COMMISSIONING_MINIFY=False)
    minify.minify_site(output, ("theme",))
    before = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert sorted(now) == sorted(before)
    assert [str(f) for f in now if now[f] != before[f]] == []


def test_the_pass_after_the_build_reads_only_the_pages_pelican_wrote(minimal_project, monkeypatch):
    read = []
    original = minify.minify_files
    monkeypatch.setattr(minify, "minify_files", lambda paths: read.extend(paths) or original(paths))
    output = _write_in_this_process(minimal_project)
    assert {p.relative_to(output).as_posix() for p in read} == {"about/index.html"}


BLOCKS = ["title", "h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "th", "td", "caption",
          "label", "legend", "option", "summary", "figcaption", "blockquote", "pre", "button"]


# Attributes that say what the HTML standard assumes anyway, which minify-html leaves out.
DEFAULT_ATTRIBUTES = {("form", "method", "get"), ("input", "type", "text"), ("button", "type", "submit"),
                      ("script", "type", "text/javascript"), ("style", "type", "text/css")}


def outline(soup: BeautifulSoup) -> list[tuple]:
    """Each element: its name, its attributes, and (for the innermost blocks of text) its text with
    runs of whitespace as one space, which is how a browser shows it."""
    items = []
    for element in soup.find_all(True):
        attributes = {}
        for name, value in element.attrs.items():
            if isinstance(value, list):  # class, rel: a set of words
                value = " ".join(value)
            if element.name == "meta" and element.get("name") == "viewport":
                value = "".join(value.split())  # "width=device-width, initial-scale=1" loses its spaces
            if (element.name, name, value.lower() if isinstance(value, str) else value) not in DEFAULT_ATTRIBUTES:
                attributes[name] = value or ""  # alt="" is written alt
        text = None
        if element.name in BLOCKS and not element.find(BLOCKS):
            text = " ".join(element.get_text().split())
        items.append((element.name, attributes, text))
    return items


def first_difference(expected, found) -> str | None:
    """Where two sequences first differ, in a few words (pytest's own diff of a long page takes for ever)."""
    for index, (a, b) in enumerate(zip(expected, found)):
        if a != b:
            return f"at {index}: {a!r:.300} became {b!r:.300}"
    if len(expected) != len(found):
        return f"length {len(expected)} became {len(found)}"
    return None


def test_minified_pages_keep_their_content(sample_site, unminified_site):
    minified, plain = html_files(sample_site), html_files(unminified_site)
    assert minified.keys() == plain.keys()
    before = after = 0
    for name in plain:
        written, squeezed = plain[name].read_text(encoding="utf-8"), minified[name].read_text(encoding="utf-8")
        before, after = before + len(written.encode()), after + len(squeezed.encode())
        assert squeezed.lower().startswith("<!doctype html>"), name
        assert squeezed.rstrip().endswith("</html>"), name
        one, two = BeautifulSoup(written, "html.parser"), BeautifulSoup(squeezed, "html.parser")
        difference = first_difference(outline(one), outline(two))
        assert difference is None, f"{name}: {difference}"
        # Nothing lost between the blocks either: the same characters in the same order.
        difference = first_difference("".join(one.get_text().split()), "".join(two.get_text().split()))
        assert difference is None, f"{name}: {difference}"
    assert after < before * 0.95, f"minifying saved only {before - after} of {before} bytes"


@needs_java
def test_minifying_makes_no_page_less_valid(sample_site, unminified_site):
    from sitecheck import html as html_check

    def errors(site: Path) -> set[tuple[str, str]]:
        return {(f.page, f.what) for f in html_check.check(site, list(html_files(site).values()))}

    assert errors(sample_site) <= errors(unminified_site)


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(" \n\t"), min_size=1, max_size=40)


@hypothesis_settings(max_examples=80, deadline=None)
@given(term=TEXT, definition=TEXT, paragraph=TEXT, cell=TEXT)
def test_minify_keeps_any_text(term, definition, paragraph, cell):
    from markupsafe import escape

    html = (f"<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<title>t</title>\n</head>\n<body>\n<main>\n"
            f"<dl>\n  <div>\n    <dt>{escape(term)}</dt>\n    <dd>{escape(definition)}</dd>\n  </div>\n</dl>\n"
            f"<p>  {escape(paragraph)} <a href=\"/x/\">link</a>\n</p>\n"
            f"<table><tr><td>{escape(cell)}</td></tr></table>\n</main>\n</body>\n</html>\n")
    one = BeautifulSoup(html, "html.parser")
    two = BeautifulSoup(minify.minify(html), "html.parser")
    difference = first_difference(outline(one), outline(two))
    assert difference is None, difference
    # A term and its definition stay apart in the text Pagefind indexes.
    dt = two.find("dt")
    assert dt.next_sibling is not None and dt.next_sibling.name is None and dt.next_sibling.isspace()


# ---------------------------------------------------------------------------------------------
# sitemap.xml and robots.txt


def test_sitemap_lists_every_page_and_only_those(sample_site, sample):
    entries = sitemap_entries(sample_site)
    expected = set()
    for name, path in html_files(sample_site).items():
        if name in NOT_PAGES or name.startswith("theme/"):
            continue
        robots = soup_of(path).find("meta", attrs={"name": "robots"})
        if robots and "noindex" in robots["content"]:
            continue
        expected.add(url_of(name))
    assert set(entries) == expected
    # Spot checks, independent of the files found.
    assert "/" in entries and "/search/" in entries and "/about/" in entries
    missing = sorted(url for url in sample.records if url not in entries)
    assert missing == [], "opportunities and funded services missing from the sitemap"
    assert not any("404" in loc or f"/{BUNDLE}/" in loc for loc in entries)


def test_sitemap_lastmod_is_each_pages_own_date_never_the_clock(sample_site, sample):
    today = sample.today
    for loc, lastmod in sitemap_entries(sample_site).items():
        path = sample_site / loc.lstrip("/")
        path = path / "index.html" if loc.endswith("/") else path
        meta = soup_of(path).find("meta", attrs={"name": "dcterms.modified"})
        assert lastmod == (meta["content"][:10] if meta else None), loc
        if lastmod:
            assert lastmod <= today, f"{loc}: lastmod {lastmod} is after the build's date"


def test_sitemap_lastmod_does_not_follow_the_build_clock(minimal_project):
    first = minimal_project.build(now="2026-11-24T09:00")
    assert first.code == 0, first.err
    earlier = sitemap_entries(first.output)
    second = minimal_project.build(now="2026-11-25T09:00")
    assert second.code == 0, second.err
    later = sitemap_entries(second.output)
    assert later.keys() == earlier.keys()
    moved = {loc: (earlier[loc], later[loc]) for loc in later if later[loc] != earlier[loc]}
    assert moved == {}, "a day later with the same data, these pages' lastmod changed"


def test_sitemap_reads_back_only_the_pages_it_was_not_told_of(tmp_path):
    """Our generator's pages are listed as they were written; any other HTML file is read."""
    ours, theirs = tmp_path / "ours" / "index.html", tmp_path / "about" / "index.html"
    for path in (ours, theirs):
        path.parent.mkdir()
    # Not a date: reading this page back would raise, so it is listed only if it is not read.
    ours.write_text('<html><head><meta name="dcterms.modified" content="soon"></head></html>')
    theirs.write_text('<html><head><meta name="dcterms.modified" content="2026-10-02"></head></html>')
    (tmp_path / "hidden.html").write_text("<html><head></head></html>")
    written = {
        "ours/index.html": sitemap.written_entry("ours/index.html", datetime(2026, 9, 1, 12, 30), True),
        "hidden.html": sitemap.written_entry("hidden.html", None, False),
    }
    found = sitemap.entries(tmp_path, (), written)
    assert found == [sitemap.Entry("about/", datetime(2026, 10, 2).date()), sitemap.Entry("ours/", datetime(2026, 9, 1).date())]
    with pytest.raises(ValueError, match="soon"):
        sitemap.entries(tmp_path, ())


def test_sitemap_and_robots_use_siteurl(minimal_project):
    siteurl = "https://funding.example.org/commissioning"
    result = minimal_project.build(SITEURL=siteurl)
    assert result.code == 0, result.err
    entries = sitemap_entries(result.output)
    assert f"{siteurl}/" in entries and f"{siteurl}/search/" in entries
    assert all(loc.startswith(f"{siteurl}/") for loc in entries)
    robots = (result.output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in robots
    assert f"Sitemap: {siteurl}/sitemap.xml" in robots


def test_robots_without_siteurl_has_no_relative_sitemap_line(sample_site):
    robots = (sample_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots
    assert not re.search(r"^Sitemap:", robots, re.M)


PATHS = st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12), max_size=4)

class _MetaByHtmlParser(HTMLParser):
    """The reading sitemap.read_head must agree with: html.parser's, as it was made before."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            values = dict(attrs)
            name = (values.get("name") or "").lower()
            if name and name not in self.meta:
                self.meta[name] = values.get("content") or ""


attribute_values = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=12)


@st.composite
def meta_tags(draw):
    name = draw(st.sampled_from(["robots", "ROBOTS", "dcterms.modified", "description", "viewport", ""]))
    value = draw(attribute_values)
    quote = draw(st.sampled_from(['"', "'", ""]))
    if quote and quote in value:
        value = value.replace(quote, "&quot;" if quote == '"' else "&#39;")
    if not quote:
        value = re.sub(r"[\s\"'=<>`]", "", value) or "x"
    extra = draw(st.sampled_from(["", " charset=utf-8", " property='og:x'", " async", " data-x=\"a b\""]))
    case = draw(st.sampled_from(["meta", "META", "Meta"]))
    attrs = [f'name="{name}"' if draw(st.booleans()) else f"name={name or 'x'}", f"content={quote}{value}{quote}"]
    if draw(st.booleans()):
        attrs.reverse()
    return f"<{case} {' '.join(attrs)}{extra}{draw(st.sampled_from(['', '/', ' /']))}>"


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.lists(meta_tags(), max_size=6), st.sampled_from(["<title>T</title>", "<link rel=icon href=/x>", ""]))
def test_the_sitemap_reads_meta_tags_as_html_parser_does(tags, other):
    head = f"<!doctype html><html><head>{other}{''.join(tags)}</head><body><meta name=robots content=late></body>"
    oracle = _MetaByHtmlParser()
    oracle.feed(head[:head.lower().find("</head>")])
    oracle.close()
    assert sitemap.read_head(head) == oracle.meta


def test_the_sitemap_does_not_walk_the_search_index(tmp_path):
    (tmp_path / "pagefind" / "fragment").mkdir(parents=True)
    (tmp_path / "pagefind" / "fragment" / "x.html").write_text("<html></html>")
    (tmp_path / "about").mkdir()
    (tmp_path / "about" / "index.html").write_text("<html></html>")
    (tmp_path / "index.html").write_text("<html></html>")
    assert sitemap.html_pages(tmp_path, ("pagefind",)) == [tmp_path / "about" / "index.html", tmp_path / "index.html"]



@given(paths=st.lists(PATHS, max_size=6), siteurl=st.sampled_from(["", "https://example.org", "https://example.org/sub"]))
def test_sitemap_xml_round_trips_any_path(paths, siteurl):
    found = [sitemap.Entry("/".join(parts) + "/", None) for parts in paths]
    root = ET.fromstring(sitemap.sitemap_xml(found, siteurl))
    locs = [url.findtext("s:loc", namespaces=SITEMAP_NS) for url in root.findall("s:url", SITEMAP_NS)]
    assert [unquote(loc) for loc in locs] == [f"{siteurl}/{e.path}" for e in found]
    assert all(" " not in loc and "<" not in loc for loc in locs)


# ---------------------------------------------------------------------------------------------
# What every page must have and must not do

RESOURCE_ATTRIBUTES = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src",
                       "video": "src", "audio": "src", "track": "src", "embed": "src", "object": "data",
                       "form": "action", "input": "src"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")


def other_host(url: str) -> bool:
    """True for a URL that would make the browser fetch from somewhere other than this site."""
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in ("", "data")


def test_no_page_requests_another_host(sample_site):
    found = []
    for name, path in html_files(sample_site).items():
        soup = soup_of(path)
        for tag, attribute in RESOURCE_ATTRIBUTES.items():
            for element in soup.find_all(tag):
                for value in [element.get(attribute), element.get("srcset"), element.get("poster")]:
                    if value and other_host(value):
                        found.append(f"{name}: <{tag} {attribute}={value!r}>")
        # Inline code would need the CSP relaxed: no <script> without src, no style attributes or elements.
        for script in soup.find_all("script"):
            if not script.get("src"):
                found.append(f"{name}: inline <script>")
        for element in soup.find_all(style=True):
            found.append(f"{name}: style attribute on <{element.name}>")
        if soup.find("style"):
            found.append(f"{name}: <style> element")
        csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        if not csp or "default-src 'self'" not in csp["content"] or re.search(r"https?:|\*", csp["content"]):
            found.append(f"{name}: Content-Security-Policy missing or allows other hosts")
    for css in sample_site.rglob("*.css"):
        if css.relative_to(sample_site).parts[0] == BUNDLE:
            continue  # Pagefind's own UI styles, which no page loads
        for match in CSS_URL.finditer(css.read_text(encoding="utf-8-sig")):
            url = match.group(1) or match.group(2)
            if other_host(url):
                found.append(f"{css.relative_to(sample_site)}: url({url})")
    assert found == []


def test_every_page_has_canonical_social_and_favicon_meta(sample_site):
    problems = []
    for loc in sitemap_entries(sample_site):
        path = sample_site / loc.lstrip("/")
        soup = soup_of(path / "index.html" if loc.endswith("/") else path)
        canonical = soup.find("link", rel="canonical")
        if not canonical or canonical["href"] != loc:
            problems.append(f"{loc}: canonical is {canonical and canonical['href']!r}")
        for key, value in (("property", "og:title"), ("property", "og:description"), ("property", "og:url"),
                           ("name", "description"), ("name", "twitter:card")):
            meta = soup.find("meta", attrs={key: value})
            if not meta or not meta.get("content", "").strip():
                problems.append(f"{loc}: no {value}")
        og_url = soup.find("meta", property="og:url")
        if og_url and og_url["content"] != loc:
            problems.append(f"{loc}: og:url is {og_url['content']!r}")
        icon = soup.find("link", rel="icon")
        if not icon or not (sample_site / icon["href"].lstrip("/")).is_file():
            problems.append(f"{loc}: favicon missing")
    assert problems == []


def test_404_page_is_helpful_and_not_indexed(sample_site):
    soup = page(sample_site, "404.html")
    assert soup.find("h1").get_text(strip=True) == "Page not found"
    links = {a["href"] for a in soup.find("main").find_all("a")}
    assert {"/opportunities/", "/"} <= links
    assert soup.find("link", rel="canonical") is None


def test_assets_have_content_hashed_names(sample_site):
    """Hashed names let a host cache the theme's CSS and JavaScript for a year."""
    referenced = set()
    for path in html_files(sample_site).values():
        soup = soup_of(path)
        referenced |= {link["href"] for link in soup.find_all("link", rel="stylesheet")}
        referenced |= {script["src"] for script in soup.find_all("script", src=True)}
    assert referenced, "no page loads any CSS"
    for url in referenced:
        match = re.search(r"\.([0-9a-f]{8})\.(css|js)$", url)
        assert match, f"{url} has no content hash in its name"
        content = (sample_site / url.lstrip("/")).read_bytes()
        assert hashlib.sha256(content).hexdigest()[:8] == match.group(1), f"{url}: the hash is not of its content"


def test_detail_pages_weigh_under_20_kb_compressed_with_their_css(sample_site, sample):
    heaviest = {}
    for url in sample.records:
        path = sample_site / url.strip("/") / "index.html"
        if not path.is_file():
            heaviest[url] = f"missing: {path.relative_to(sample_site)}"
            continue
        soup = soup_of(path)
        total = gzip_size(path.read_bytes())
        for link in soup.find_all("link", rel="stylesheet"):
            total += gzip_size((sample_site / link["href"].lstrip("/")).read_bytes())
        heaviest[url] = total
    over = {url: size for url, size in heaviest.items() if isinstance(size, str) or size > 20 * 1024}
    assert over == {}, f"over 20 KB compressed with CSS: {over}"


# --- filters that remember what they formatted -----------------------------------------------

amounts = st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**7, max_value=10**7),
                    st.decimals(allow_nan=False, allow_infinity=False, places=0, min_value=-10**7, max_value=10**7),
                    st.integers(min_value=-10**7, max_value=10**7))
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1),
                       timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=5)), filters.UK]))


@given(values=st.lists(st.tuples(amounts, st.sampled_from([None, True, False])), max_size=30),
       days=st.lists(st.one_of(st.dates(), moments), max_size=30))
def test_money_and_dates_remembered_are_what_they_would_be_worked_out_afresh(values, days):
    """money and uk_date keep what they made for equal values (5 and 5.00 are both £5; one instant
    is one UK day in any time zone): each is what the filter makes with nothing remembered."""
    for value, pence in values:
        assert filters.money(value, pence) == filters._money.__wrapped__(value, pence)
    for day in days:
        assert filters.uk_date(day) == filters._uk_date.__wrapped__(day)


# --- estimates without false precision -------------------------------------------------------------


from decimal import Decimal as _D  # noqa: E402

from hypothesis import given, strategies as _st  # noqa: E402


@given(_st.decimals(min_value=0, max_value=999_999_999, places=2, allow_nan=False, allow_infinity=False))
def test_about_money_is_within_a_few_per_cent_and_never_shows_pence(value):
    text = filters.about_money(value)
    assert "." not in text.removesuffix(" million").split("£")[1] or text.endswith(" million")
    shown = (_D(text.split("£")[1].removesuffix(" million")) * (10**6 if text.endswith(" million") else 1)
             if "million" in text else _D(text.split("£")[1].replace(",", "")))
    assert abs(shown - value) <= max(value * _D("0.05"), _D(5))


def test_about_money_examples():
    assert [filters.about_money(v) for v in (1554933, _D("187636.36"), 4234, 0)] == [
        "£1.55 million", "£188,000", "£4,200", "£0"]


@hypothesis_settings(max_examples=200, deadline=None)
@given(html=st.lists(st.sampled_from(["<dl>", "<dt>", "</dt>", "<dd>", "</dd>", "</dl>", "<div>", "</div>", "x", " ",
                                      "\n", "</DT>", "</dt >"]), max_size=20).map("".join))
def test_a_line_break_follows_each_term_and_definition_where_a_tag_follows(html):
    import minify_html

    minified = minify_html.minify(html, **minify.MINIFY_OPTIONS)
    assert minify.minify(html) == re.sub(r"</(dt|dd)>(?=<)", r"</\1>\n", minified)

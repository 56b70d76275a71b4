"""Charts that say only what is known, tables that read on a phone, and record pages found first.

- Spend charts leave out the months whose payments are not published yet, instead of drawing £0, and
  mark the month still going ("part month") in the chart, its text alternative and the table; the zero
  line never crosses a group's heading; every chart is wrapped by the one render/charts.svg.
- Every data table is stacked rows at narrow widths: in headless Chromium at 320 and 375 px no page
  scrolls sideways, every amount is on screen, and no word or figure is broken across lines.
- Stream and priority pages list their open opportunities, or say none is open and link to them all.
- Money in whole pounds off the payment tables, and one phrase for nothing paid.
- In search, a record page (an award, a provider, an opportunity) ranks above a listing page.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import re
import shutil
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from conftest import REPO, Project, page

from commissioning.derive.spend_figures import Line, YearSpend
from commissioning.outcomes import charts as outcome_charts
from commissioning.render import charts as render_charts
from commissioning.spend import charts as spend_charts
from sitecheck import core

OCTOBER_BUILD = "2026-10-31T09:00"  # the sample's last payment is on 19 October 2026: October is still going
YEAR = "2026-27"


@pytest.fixture(scope="module")
def site_built_in_october(tmp_path_factory):
    root = tmp_path_factory.mktemp("october")
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "content", root / "content")
    result = Project(root).build(now=OCTOBER_BUILD, COMMISSIONING_SEARCH_INDEX=False)
    assert result.code == 0, result.err
    return result.output


def month_chart_of(soup):
    return soup.select_one("figure.app-spend-chart svg")


def month_rows(soup) -> list[str]:
    """The row headings of the table of months, with their detail ("part month")."""
    return [tr.th.get_text(" ", strip=True) for tr in soup.find("table", id="spend-by-month").tbody.find_all("tr")]


# --- months not published, and the part month -------------------------------------------------


def test_months_not_yet_published_have_no_bar_and_no_row(sample_site):
    soup = page(sample_site, f"spend/{YEAR}/")
    svg = month_chart_of(soup)
    labels = [t.get_text() for t in svg.select("text.app-chart__label:not(.app-chart__note)")]
    assert labels[0] == "Apr 2026" and labels[-1] == "Oct 2026", labels
    assert not {"Nov 2026", "Dec 2026", "Jan 2027", "Feb 2027", "Mar 2027"} & set(labels)
    assert len(svg.select("rect.app-chart__bar")) == 7
    assert "Payments from November 2026 are not published yet" in svg.desc.get_text()
    assert [row.split(" ")[0] for row in month_rows(soup)] == ["April", "May", "June", "July", "August", "September", "October"]
    # The quarter with no published month goes too; the quarter under way stays.
    quarters = [tr.th.get_text(strip=True) for tr in soup.find("table", id="spend-by-quarter").tbody.find_all("tr")]
    assert [q[:2] for q in quarters] == ["Q1", "Q2", "Q3"]


def test_a_year_that_is_over_keeps_every_month_even_with_nothing_paid(sample_site):
    soup = page(sample_site, "spend/2025-26/")
    assert len(month_rows(soup)) == 12
    assert len(month_chart_of(soup).select("rect.app-chart__bar")) == 12
    assert "part month" not in soup.find("main").get_text()


def test_the_month_still_going_is_marked_part_month_in_the_chart_its_description_and_the_table(site_built_in_october):
    soup = page(site_built_in_october, f"spend/{YEAR}/")
    svg = month_chart_of(soup)
    texts = [t.get_text() for t in svg.find_all("text")]
    assert texts[-1] == "part month" and texts[-3] == "Oct 2026", texts[-4:]
    assert texts.count("part month") == 1
    assert "October 2026 is a part month: payments to 19 October 2026." in svg.desc.get_text()
    assert month_rows(soup)[-1] == "October 2026 part month"
    assert [row for row in month_rows(soup) if "part month" in row] == ["October 2026 part month"]


def test_a_month_that_is_over_is_not_a_part_month_in_the_chart_either(sample_site):
    soup = page(sample_site, f"spend/{YEAR}/")
    assert "part month" not in " ".join(month_rows(soup))
    assert "part month" not in month_chart_of(soup).get_text()


def _year(payment_days: list[date], amounts: dict[str, Decimal]) -> YearSpend:
    """A year not over, paid on the given days, with these months' totals."""
    months = [f"{2026 + (m > 12)}-{(m - 1) % 12 + 1:02d}" for m in range(4, 16)]
    year = YearSpend(YEAR, date(2026, 4, 1), date(2027, 3, 31), False, [SimpleNamespace(date=d) for d in payment_days])
    year.by_month = [Line(f"{date.fromisoformat(key + '-01'):%B %Y}", amounts.get(key, Decimal(0)),
                          1 if key in amounts else 0, key=key) for key in months]
    return year


def test_the_part_month_is_the_last_payments_month_only_while_it_lasts():
    year = _year([date(2026, 4, 9), date(2026, 5, 20)], {"2026-04": Decimal(10), "2026-05": Decimal("20.50")})
    assert [line.key for line in spend_charts.published_months(year)] == ["2026-04", "2026-05"]
    assert spend_charts.part_month(year, date(2026, 5, 31)) == "2026-05"
    assert spend_charts.part_month(year, date(2026, 6, 1)) == ""
    during = spend_charts.month_chart(year, date(2026, 5, 25))
    after = spend_charts.month_chart(year, date(2026, 6, 12))
    assert "part month" in during and "May 2026 is a part month: payments to 20 May 2026." in during
    assert "part month" not in after
    assert after.count("<rect") == 2 and "Payments from June 2026 are not published yet" in after
    year.complete = True
    assert len(spend_charts.published_months(year)) == 12 and spend_charts.part_month(year, None) == ""


# --- the axis, and one SVG wrapper ------------------------------------------------------------


def _axis_crossings(svg) -> list[str]:
    """Group headings that a zero line runs through (a heading's text sits in the 16 units above its y)."""
    lines = [(float(line["y1"]), float(line["y2"])) for line in svg.select("line.app-chart__axis")]
    crossed = []
    for heading in svg.select("text.app-spend-chart__group"):
        bottom = float(heading["y"])
        if any(top < bottom and bottom - 16 < end for top, end in lines):
            crossed.append(heading.get_text())
    return crossed


def test_the_zero_line_never_runs_through_a_heading(sample_site):
    spend = page(sample_site, "spend/").select_one("figure.app-spend-chart svg")
    shared = page(sample_site, "outcomes/").select_one("figure.app-outcomes-chart svg")
    for svg in (spend, shared):
        assert svg.select("text.app-spend-chart__group") and svg.select("line.app-chart__axis")
        assert _axis_crossings(svg) == []
    # One line per group: each runs down beside its group's bars only.
    assert len(spend.select("line.app-chart__axis")) == len(spend.select("text.app-spend-chart__group"))


def test_every_chart_is_wrapped_by_render_charts_svg(sample_site):
    for module in (spend_charts, outcome_charts, render_charts):
        source = inspect.getsource(module)
        assert source.count("<svg") == (1 if module is render_charts else 0), module.__name__
    award = next(p for p in (sample_site / "funded-services").glob("bpcc-*/index.html") if "app-outcomes-chart" in p.read_text())
    svgs = [page(sample_site, "spend/").select_one("figure svg"), page(sample_site, "outcomes/").select_one("figure svg"),
            page(sample_site, award.parent.relative_to(sample_site).as_posix() + "/").select_one("figure.app-outcomes-chart svg")]
    for svg in svgs:
        assert svg["role"] == "img" and svg["width"] == "100%" and re.fullmatch(r"0 0 440 [\d.]+", svg["viewbox"])
        title, desc = svg["aria-labelledby"].split()
        assert svg.find("title")["id"] == title and svg.find("desc")["id"] == desc


# --- stream and priority pages link to their open opportunities --------------------------------


def open_opportunities(output) -> list[dict]:
    items = json.loads((output / "data" / "opportunities.json").read_text(encoding="utf-8"))["opportunities"]
    return [o for o in items if o["status"] in ("open", "closing-soon")]


@pytest.mark.parametrize("kind", ["funding-streams", "priorities"])
def test_stream_and_priority_pages_link_to_every_open_opportunity_or_say_none_is_open(sample_site, kind):
    opened = open_opportunities(sample_site)
    assert opened, "the sample has open opportunities"
    seen_none = seen_some = False
    for path in sorted((sample_site / kind).glob("*/index.html")):
        code = path.parent.name
        expected = {f"/opportunities/{o['id'].lower()}/" for o in opened
                    if (o["funding_stream"] == code if kind == "funding-streams" else code in o["priorities"])}
        soup = page(sample_site, f"{kind}/{code}/")
        heading = soup.find("h2", id="open-opportunities")
        assert heading.get_text(strip=True) == ("Open opportunities in this stream" if kind == "funding-streams"
                                                 else "Open opportunities for this priority")
        section = heading.find_parent("div")
        links = {a["href"] for a in section.select(".app-status-list a")}
        assert links == expected, code
        if expected:
            seen_some = True
        else:
            seen_none = True
            assert "None open now." in section.get_text(" ", strip=True)
        assert section.find("a", href="/opportunities/") is not None
    assert seen_some, "no page had an open opportunity to show"
    assert kind == "funding-streams" or seen_none, "no priority without an open opportunity"


# --- money -----------------------------------------------------------------------------------

PENCE = re.compile(r"£[\d,]+\.\d\d")


def test_amounts_are_whole_pounds_off_the_payment_tables(sample_site):
    pages = ["funded-services/", "providers/", "funding-streams/moj-victims/", "priorities/victims/",
             *(f"providers/{p.name}/" for p in sorted((sample_site / "providers").iterdir()) if p.is_dir())]
    for path in pages:
        main = page(sample_site, path).find("main")
        for table in main.find_all("table"):
            assert not PENCE.search(table.get_text(" ")), f"{path}: {PENCE.search(table.get_text(' '))[0]}"
        for fact in main.select(".app-key-facts__value"):
            assert not PENCE.search(fact.get_text()), f"{path}: {fact.get_text()}"


def test_estimates_are_said_as_people_say_them(sample_site):
    """'about £1.55 million a year', never 'about £1,554,933': three figures at most."""
    said = 0
    for path in sample_site.rglob("*.html"):
        for match in re.finditer(r"about £([\d,.]+)( million)?", path.read_text(encoding="utf-8")):
            figures = match[1].replace(",", "").replace(".", "").strip("0")
            assert len(figures) <= 3, f"{path.relative_to(sample_site)}: {match[0]}"
            said += 1
    assert said


def test_one_phrase_for_nothing_paid(sample_project):
    # One provider's payments taken out: it, and each of its awards, has been paid nothing.
    payments = sorted(sample_project.path("data/payments").glob("*.csv"))
    first = next(csv.DictReader(io.StringIO(payments[-1].read_text(encoding="utf-8"))))
    unpaid = first["provider_id"]
    for path in payments:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if line.split(",")[1:2] != [unpaid]), encoding="utf-8")
    result = sample_project.build(COMMISSIONING_SEARCH_INDEX=False)
    assert result.code == 0, result.err

    def paid_fact(path):
        soup = page(result.output, path)
        return {dt.get_text(strip=True): dt.find_next("dd").get_text(strip=True) for dt in soup.select(".app-key-facts__label")}

    provider = page(result.output, f"providers/{unpaid.lower()}/")
    assert paid_fact(f"providers/{unpaid.lower()}/")["Paid to date"] == "None yet"
    awards = {a["href"].split("#")[0].strip("/") + "/" for a in provider.select("main table a[href^='/funded-services/bpcc-']")}
    assert awards
    for award in awards:
        assert paid_fact(award)["Paid to date"] in ("None yet", "Not published here"), award
    for path in result.output.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"£0(\.00)? paid|Paid to date</dt>\s*<dd[^>]*>£0<", text), path


# --- phones, in Chromium ------------------------------------------------------------------------

_missing = core.first_missing(*core.NEEDS["a11y"])
chromium = pytest.mark.skipif(bool(_missing), reason=f"Chromium missing: {_missing}")

# What a reader at this width cannot read: the page scrolled sideways, an amount off screen or cut off
# by a scrolling box, a figure that may wrap, and a word or figure broken across lines (each word's
# line boxes, from Range.getClientRects, on more than one line). A word may end a line after its own
# hyphen or slash ("2025-" / "26" in a title); a figure (£2,982,100, 12.5%) and a numeric cell may not.
PROBE = """() => {
  const found = {scroll: document.documentElement.scrollWidth - window.innerWidth, hidden: [], broken: [], wraps: [], stacked: 0,
                 tables: document.querySelectorAll("main table.app-table-stack").length};
  const name = (cell) => (cell.closest("table").id || "table") + ": " + cell.textContent.trim().slice(0, 50);
  for (const cell of document.querySelectorAll("main table th, main table td")) {
    const head = cell.closest("thead");
    if (head && getComputedStyle(head).position === "absolute") continue;  // hidden: the rows are stacked
    if (getComputedStyle(cell).display === "block") found.stacked += 1;
    const numeric = cell.matches(".govuk-table__cell--numeric, .govuk-table__header--numeric");
    if (numeric && cell.textContent.trim()) {
      const style = getComputedStyle(cell);
      if (style.whiteSpace !== "nowrap" || style.overflowWrap === "anywhere") found.wraps.push(name(cell));
      const box = cell.getBoundingClientRect();
      let hidden = box.left < -0.5 || box.right > window.innerWidth + 0.5 || cell.scrollWidth > cell.clientWidth + 1;
      for (let up = cell.parentElement; up && up !== document.body; up = up.parentElement) {
        const frame = up.getBoundingClientRect();
        if (getComputedStyle(up).overflowX !== "visible" && (box.right > frame.right + 0.5 || box.left < frame.left - 0.5)) hidden = true;
      }
      if (hidden) found.hidden.push(name(cell));
    }
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const words = numeric ? /\\S+/g : /£?\\d[\\d,.]*%?|[^\\s\\-\\u2010-\\u2014\\/]+[\\-\\u2010-\\u2014\\/]?/g;
      for (let m = words.exec(node.textContent); m; m = words.exec(node.textContent)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) found.broken.push(name(cell) + " | " + m[0]);
      }
    }
  }
  return found;
}"""

PHONE_PAGES = [
    "spend/", "spend/2024-25/", "spend/2025-26/", f"spend/{YEAR}/", "spend/2025-26/payments/",
    "providers/", "funded-services/", "funding-streams/moj-victims/", "priorities/victims/", "outcomes/",
    # The statutory record, the forward plan and the opportunities archive.
    "spend-over-500/", "spend-over-500/2025-26/", "payments-compliance/", "duties/", "forward-plan/",
    "opportunities/archive/", "opportunities/opp-2026-006/",
]


@pytest.fixture(scope="module")
def browser():
    from sitecheck import a11y

    with a11y.browser_session() as session:
        yield session


def phone_pages(site) -> list[str]:
    """The pages above, a month of payments over £500 in spend and in the statutory list, every provider's page
    and every award page with outcomes."""
    month = sorted((site / "spend" / "2025-26" / "payments").glob("*/index.html"))[0]
    listed = sorted((site / "spend-over-500" / "2025-26").glob("*/index.html"))[0]  # a month of the statutory list
    pages = [*PHONE_PAGES, month.parent.relative_to(site).as_posix() + "/", listed.parent.relative_to(site).as_posix() + "/"]
    pages += [p.parent.relative_to(site).as_posix() + "/" for p in sorted((site / "providers").glob("*/index.html"))]
    pages += [p.parent.relative_to(site).as_posix() + "/" for p in sorted((site / "funded-services").glob("bpcc-*/index.html"))
              if "app-outcomes-table" in p.read_text(encoding="utf-8")][:4]
    return pages


@chromium
@pytest.mark.parametrize("width", [320, 375])
def test_on_a_phone_tables_are_stacked_and_nothing_is_cut_or_broken(sample_site, browser, width):
    from sitecheck.serve import serve

    faults, stacked = {}, 0
    with serve(sample_site) as base:
        tab = browser.new_page(viewport={"width": width, "height": 800})
        for path in phone_pages(sample_site):
            tab.goto(f"{base}/{path}")
            found = tab.evaluate(PROBE)
            assert found["stacked"] or not found["tables"], f"{path}: no stacked table at {width} px"
            stacked += found["stacked"]
            bad = {key: found[key] for key in ("hidden", "broken", "wraps") if found[key]}
            if found["scroll"] > 0:
                bad["scroll"] = f"{found['scroll']} px wider than the screen"
            if bad:
                faults[path] = bad
        tab.close()
    assert stacked > 100 and faults == {}


@chromium
def test_on_a_wide_screen_the_tables_are_tables(sample_site, browser):
    from sitecheck.serve import serve

    with serve(sample_site) as base:
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(f"{base}/spend/2025-26/")
        found = tab.evaluate(PROBE)
        assert found["stacked"] == 0 and found["scroll"] <= 0 and found["hidden"] == [] and found["wraps"] == []
        assert tab.evaluate("getComputedStyle(document.querySelector('#spend-by-month tbody tr')).display") == "table-row"
        tab.close()


@chromium
def test_the_probe_sees_a_word_broken_letter_by_letter_and_an_amount_scrolled_away(browser):
    tab = browser.new_page(viewport={"width": 320, "height": 600})
    tab.set_content("""<main><div style="overflow-x:auto;width:300px"><table id="t" style="width:600px"><tr>
      <td style="width:40px;overflow-wrap:anywhere">Therapeutic</td>
      <td class="govuk-table__cell--numeric" style="width:560px;text-align:right">£2,982,100</td></tr></table></div></main>""")
    found = tab.evaluate(PROBE)
    assert "t: Therapeutic | Therapeutic" in found["broken"]
    assert found["hidden"] == ["t: £2,982,100"] and found["wraps"] == ["t: £2,982,100"]
    tab.close()


# --- search ranks records above listings -----------------------------------------------------

LISTINGS = {"/providers/", "/funded-services/", "/spend/", "/outcomes/", "/funding-streams/", "/priorities/"}
RECORD = re.compile(r"^/(funded-services/bpcc-[^/]+|providers/[^/]+|opportunities/opp-[^/]+)/$")
SEARCH = """async (query) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const search = await pagefind.search(query);
  return Promise.all(search.results.map(async (result) => (await result.data()).url));
}"""


@chromium
@pytest.mark.parametrize("query", ["mediation", "hate crime", "victims", "domestic abuse", "youth"])
def test_in_search_every_record_ranks_above_every_listing(sample_site, browser, query):
    from sitecheck.serve import serve

    with serve(sample_site) as base:
        tab = browser.new_page()
        tab.goto(f"{base}/search/")
        urls = tab.evaluate(SEARCH, query)
        tab.close()
    records = [i for i, url in enumerate(urls) if RECORD.match(url)]
    listings = [i for i, url in enumerate(urls) if url in LISTINGS]
    assert records, f"{query}: no record page found"
    assert not listings or max(records) < min(listings), f"{query}: {urls}"

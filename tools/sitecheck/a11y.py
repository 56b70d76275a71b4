"""Accessibility: one page of every template type, in headless Chromium.

For each page (see :mod:`sitecheck.pages`):

- axe-core (npm) checks it against WCAG 2.0, 2.1 and 2.2 A and AA, at every width
  in ``widths`` (1280 and 375 px): every violation is a finding;
- keyboard: from a fresh load, the first Tab must focus the skip link
  (``<a class="govuk-skip-link" href="#main-content">``), which must then be visible,
  and Enter on it must move focus to the main content (``<main id="main-content"
  tabindex="-1">`` or inside it); checked again with JavaScript off, when it is enough
  that the next Tab lands in the main content (browsers focus a target only if it
  is focusable, but always move the point the next Tab starts from);
- with JavaScript off the page must still have an ``h1``;
- loading the page must not request a file of the site that is missing, nor raise
  an uncaught JavaScript error;
- full-page screenshots at each width, ``<type>-<width>.png``, when asked for.

Chromium is Debian's (``/usr/bin/chromium``) driven by Python Playwright with
``executable_path``, so Playwright never downloads a browser. It cannot reach any
host but 127.0.0.1, where :mod:`sitecheck.serve` serves the site.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import unquote

from .core import CheckFailed, Finding, ToolMissing, axe_js_path, chromium_path
from .pages import TEMPLATE_PAGES, Page, PageType, select_pages
from .serve import serve

CHECK = "a11y"
KEYBOARD = "keyboard"

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
WIDTHS = (1280, 375)
HEIGHT = 900
MAX_TARGETS = 5

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # small /dev/shm in containers crashes Chromium
    # Nothing but the local server: a page that loads something from elsewhere fails fast.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map(n => n.target),
  }));
}"""

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {tag: el ? el.tagName.toLowerCase() : null, html: null};
  }
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const html = el.outerHTML;
  const open = html.slice(0, html.indexOf('>') + 1);
  const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    href: el.getAttribute('href'),
    classes: Array.from(el.classList),
    html: open.length > 120 ? open.slice(0, 117) + '…' : open,
    text: text,
    visible: box.width > 1 && box.height > 1 && style.visibility !== 'hidden'
      && box.bottom > 0 && box.right > 0,
    inMain: !!el.closest('main, [role="main"]'),
  };
}"""

_FOLLOWS_MAIN = """() => {
  const main = document.querySelector('main, [role="main"]');
  const el = document.activeElement;
  if (!main || !el || el === document.body || el === document.documentElement) return {ok: false, html: null};
  const html = el.outerHTML;
  return {
    ok: main.contains(el) || !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
    html: html.slice(0, html.indexOf('>') + 1).slice(0, 120),
  };
}"""

_TARGET = """(id) => {
  const el = document.getElementById(id);
  return el ? {tag: el.tagName.toLowerCase(), inMain: !!el.closest('main, [role="main"]')} : null;
}"""


@contextlib.contextmanager
def browser_session(chromium: Path | None = None) -> Iterator[object]:
    """A headless Chromium (Playwright ``Browser``) for :func:`check`; reuse it for many pages."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ToolMissing(
            "The Python package playwright is not installed: "
            "`.venv/bin/pip install -r requirements-test.txt` (`make test` installs it; "
            "do not run `playwright install`, the check uses the system Chromium)"
        ) from None
    path = chromium or chromium_path()
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS, headless=True)
        except PlaywrightError as error:
            raise CheckFailed(f"Chromium at {path} did not start: {error.message.strip()}") from None
        try:
            yield browser
        finally:
            browser.close()


def check(
    site: Path,
    pages: Iterable[Page] | None = None,
    *,
    types: Iterable[PageType | tuple[str, str]] = TEMPLATE_PAGES,
    screenshots: Path | None = None,
    widths: Iterable[int] = WIDTHS,
    browser: object | None = None,
    axe_js: Path | None = None,
    chromium: Path | None = None,
) -> list[Finding]:
    """Accessibility and keyboard findings for ``pages`` of ``site``.

    Without ``pages``, takes the page of each of ``types`` and reports each type
    that has no page. Pass ``browser`` (from :func:`browser_session`) to reuse one.
    """
    site = Path(site).resolve()
    axe_source = (axe_js or axe_js_path()).read_text(encoding="utf-8")
    findings: list[Finding] = []
    if pages is None:
        pages, findings = select_pages(site, types)
    pages = list(pages)
    widths = tuple(widths)
    if screenshots is not None:
        screenshots = Path(screenshots)
        screenshots.mkdir(parents=True, exist_ok=True)
    if browser is None:
        with browser_session(chromium) as browser:
            checked = check(site, pages, screenshots=screenshots, widths=widths, browser=browser, axe_js=axe_js)
            return sorted(findings + checked)
    from playwright.sync_api import Error as PlaywrightError

    with serve(site) as base:
        for page in pages:
            try:
                findings += check_page(browser, base, page, axe_source, widths=widths, screenshots=screenshots)
            except PlaywrightError as error:
                message = error.message.strip().splitlines()[0]
                findings.append(Finding(page.path, None, CHECK, f"the page could not be checked: {message}"))
    return sorted(findings)


REFLOW_WIDTH = 320
# The elements, outside a scrolling region, whose right edge passes the viewport's.
_WIDER_THAN_VIEWPORT = r"""() => {
  const limit = document.documentElement.clientWidth + 1;
  if (document.documentElement.scrollWidth <= limit) return [];
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(".app-table-scroll, .app-spend-scroll, [role=region][tabindex]")) continue;
    const box = el.getBoundingClientRect();
    if (box.right > limit && box.width > 0) {
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/)[0] : ""));
    }
  }
  return out.length ? [...new Set(out)] : ["text overflowing its box (a long word or address)"];
}"""


def check_page(
    browser,
    base: str,
    page: Page,
    axe_source: str,
    *,
    widths: tuple[int, ...] = WIDTHS,
    screenshots: Path | None = None,
) -> list[Finding]:
    """All findings for one page served at ``base``."""
    url = base + page.url_path
    findings: list[Finding] = []

    def finding(what: str, where: str = "", check: str = CHECK) -> None:
        findings.append(Finding(page=page.path, line=None, check=check, what=what, where=where))

    # JavaScript on: load problems, keyboard, axe at each width, screenshots.
    # bypass_csp: a Content-Security-Policy of the site must not stop axe being injected.
    context = browser.new_context(
        viewport={"width": widths[0], "height": HEIGHT}, reduced_motion="reduce", bypass_csp=True
    )
    try:
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        problems = _watch_loading(tab, base)
        response = tab.goto(url, wait_until="load")
        if response is None or response.status >= 400:
            finding(f"{page.url_path} could not be loaded (HTTP {response.status if response else 'error'})")
            return findings
        for what in _keyboard(tab):
            finding(what, check=KEYBOARD)

        tab.goto(url, wait_until="load")  # a fresh page: no focus, no fragment, at the top
        tab.add_script_tag(content=axe_source)
        violations: dict[str, dict] = {}
        for width in widths:
            if width != widths[0]:
                tab.set_viewport_size({"width": width, "height": HEIGHT})
            for violation in tab.evaluate(_AXE_RUN, list(WCAG_TAGS)):
                seen = violations.setdefault(violation["id"], {**violation, "targets": [], "widths": []})
                seen["widths"].append(width)
                for target in violation["targets"]:
                    selector = _selector(target)
                    if selector not in seen["targets"]:
                        seen["targets"].append(selector)
            if screenshots is not None:
                tab.screenshot(
                    path=str(screenshots / f"{page.type}-{width}.png"), full_page=True, animations="disabled"
                )
        for v in violations.values():
            count = len(v["targets"])
            at = "" if len(v["widths"]) == len(widths) else " at " + " and ".join(f"{w} px" for w in v["widths"])
            help_url = v["helpUrl"].split("?", 1)[0]
            shown = ", ".join(v["targets"][:MAX_TARGETS])
            if count > MAX_TARGETS:
                shown += f" and {count - MAX_TARGETS} more"
            elements = f"{count} element{'s' if count != 1 else ''}{at}"
            finding(f"axe {v['id']} ({v['impact']}): {v['help']}: {elements} ({help_url})", shown)
        for what in sorted(set(problems)):
            finding(what)
    finally:
        context.close()

    # JavaScript off: the page must still work: an h1, and the skip link.
    context = browser.new_context(
        viewport={"width": widths[0], "height": HEIGHT}, java_script_enabled=False, reduced_motion="reduce"
    )
    try:
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        tab.goto(url, wait_until="load")
        if tab.locator("h1").count() == 0:
            finding("with JavaScript off, the page has no h1")
        # Reflow (WCAG 1.4.10): at 320 px, which is 1280 px at 400 % zoom, nothing but a table in its
        # own scrolling region may make the page scroll sideways.
        tab.set_viewport_size({"width": REFLOW_WIDTH, "height": HEIGHT})
        wide = tab.evaluate(_WIDER_THAN_VIEWPORT)
        if wide:
            finding(f"at {REFLOW_WIDTH} px wide the page scrolls sideways; too wide: {', '.join(wide[:MAX_TARGETS])}")
        for what in _keyboard(tab, javascript=False):
            finding(f"with JavaScript off, {what}", check=KEYBOARD)
    finally:
        context.close()
    return findings


def _watch_loading(tab, base: str) -> list[str]:
    """Collect the site's files the page asks for and does not get, and uncaught script errors."""
    problems: list[str] = []

    def path_of(request_url: str) -> str:
        return request_url[len(base) :] or "/"

    def on_response(response) -> None:
        if response.status >= 400 and response.url.startswith(base + "/") and not response.url.endswith("/favicon.ico"):
            problems.append(f"loading the page requests {path_of(response.url)}, which answers HTTP {response.status}")

    def on_failed(request) -> None:
        # ERR_ABORTED: cancelled because the page navigated or closed (often the favicon).
        if request.url.startswith(base + "/") and "ERR_ABORTED" not in (request.failure or ""):
            problems.append(f"loading the page requests {path_of(request.url)}, which fails: {request.failure}")

    def on_error(error) -> None:
        problems.append(f"uncaught JavaScript error: {getattr(error, 'message', error)}")

    tab.on("response", on_response)
    tab.on("requestfailed", on_failed)
    tab.on("pageerror", on_error)
    return problems


def _keyboard(tab, javascript: bool = True) -> list[str]:
    """Problems with the skip link, from a freshly loaded page: first Tab, then Enter.

    With JavaScript on, focus must then be on the main element or inside it. With it
    off, it is enough that the next Tab lands in the main content or after it.
    """
    tab.keyboard.press("Tab")
    first = tab.evaluate(_FOCUSED)
    if first["html"] is None:
        return ["pressing Tab once focuses nothing: the skip link must be the first focusable element"]
    is_skip_link = (
        first["tag"] == "a"
        and "govuk-skip-link" in first["classes"]
        and (first["href"] or "").startswith("#")
        and len(first["href"]) > 1
    )
    if not is_skip_link:
        text = f' ("{first["text"]}")' if first["text"] else ""
        return [
            f"pressing Tab once focuses {first['html']}{text}, not the skip link: "
            '<a href="#main-content" class="govuk-skip-link"> must be the first focusable element'
        ]
    problems = []
    if not first["visible"]:
        problems.append("the skip link is not visible when it has focus")
    target_id = unquote(first["href"][1:])
    target = tab.evaluate(_TARGET, target_id)
    if target is None:
        return [*problems, f'the skip link points to #{target_id}, but no element has id="{target_id}"']
    if not target["inMain"]:
        problems.append(f'the skip link points to <{target["tag"]} id="{target_id}">, which is not the main element')
    tab.keyboard.press("Enter")
    after = tab.evaluate(_FOCUSED)
    for _ in range(10):  # focus may move on a later task: allow it 200 ms
        if after.get("inMain"):
            break
        tab.wait_for_timeout(20)
        after = tab.evaluate(_FOCUSED)
    if after.get("inMain"):
        return problems
    if not javascript:
        # Without scripts, Chromium focuses the target only if it is focusable, but
        # moves the place the next Tab starts from: the skip still works if the next
        # Tab lands in the main content or after it.
        tab.keyboard.press("Tab")
        following = tab.evaluate(_FOLLOWS_MAIN)
        if not following["ok"]:
            problems.append(
                f"after Enter on the skip link, the next Tab focuses {following['html'] or 'nothing'}, "
                "before the main content: the skip link does not skip"
            )
        return problems
    where = after["html"] or f"<{after['tag']}>"
    problems.append(
        f"after Enter on the skip link, focus is on {where}, not in the main content "
        f'(give the target tabindex="-1": <main id="{target_id}" tabindex="-1">)'
    )
    return problems


def _selector(target) -> str:
    """axe's node target: a CSS selector, or a list of them through iframes and shadow roots."""
    if isinstance(target, str):
        return target
    return " >>> ".join(_selector(t) for t in target)

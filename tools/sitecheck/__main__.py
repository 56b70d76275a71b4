"""python -m sitecheck SITE_DIR [--only links,html,a11y] [--screenshots DIR] [--site-url URL]

Checks a built site folder and prints every problem as ``path[:line]: what [where]``,
grouped by check, with a count. Exit status: 0 no problems, 1 problems found,
2 a check could not run (a tool is missing, or the folder is not a site).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import core
from .core import CheckFailed, Finding, ToolMissing

CHECKS = ("links", "html", "a11y")
DESCRIPTIONS = {
    "links": "internal links and fragments (lychee, offline)",
    "html": "HTML errors (Nu HTML Checker)",
    "a11y": "accessibility and keyboard, one page per template (axe-core in Chromium)",
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m sitecheck",
        description="Check a built site folder: links, HTML validity, accessibility.",
        epilog="Exit status: 0 no problems, 1 problems found, 2 a check could not run.",
    )
    parser.add_argument("site", type=Path, metavar="SITE_DIR", help="the built site, e.g. output")
    parser.add_argument(
        "--only",
        type=_check_list,
        default=CHECKS,
        metavar="CHECKS",
        help=f"comma-separated checks to run, of {','.join(CHECKS)} (default: all)",
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        metavar="DIR",
        help="save full-page screenshots of the checked pages at 375 and 1280 px wide here",
    )
    parser.add_argument(
        "--site-url",
        metavar="URL",
        help="the site's own address (SITEURL); absolute links to it are checked as internal links",
    )
    return parser.parse_args(argv)


def _check_list(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(name.strip() for name in value.split(",") if name.strip()))
    unknown = [name for name in names if name not in CHECKS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown check {', '.join(map(repr, unknown)) or '(none given)'}; choose from {','.join(CHECKS)}"
        )
    return names


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    site: Path = args.site
    label = str(site).rstrip("/") or "/"
    if not site.is_dir():
        print(f"sitecheck: {label} is not a folder; build the site first (`make site`)", file=sys.stderr)
        return 2
    if not any(site.rglob("*.html")):
        print(f"sitecheck: {label} has no .html files; build the site first (`make site`)", file=sys.stderr)
        return 2
    missing = core.missing_tools(args.only)
    if missing:
        print("sitecheck: cannot run, tools are missing:", *missing, sep="\n  ", file=sys.stderr)
        return 2

    print(f"sitecheck: checking {label}/ ({', '.join(args.only)})", flush=True)
    from . import a11y, html, links

    def timed(run, *run_args, **run_kwargs) -> tuple[list[Finding], float]:
        started = time.monotonic()
        return run(*run_args, **run_kwargs), time.monotonic() - started

    results: dict[str, tuple[list[Finding], float]] = {}
    try:
        # lychee and the Nu HTML Checker are processes of their own: run them in the
        # background while Chromium (which must stay in this thread) checks pages.
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="sitecheck") as pool:
            background = {}
            if "links" in args.only:
                background["links"] = pool.submit(timed, links.check, site, site_url=args.site_url)
            if "html" in args.only:
                background["html"] = pool.submit(timed, html.check, site)
            if "a11y" in args.only:
                results["a11y"] = timed(a11y.check, site, screenshots=args.screenshots)
            for check, future in background.items():
                results[check] = future.result()
    except (ToolMissing, CheckFailed) as error:
        print(f"sitecheck: {error}", file=sys.stderr)
        return 2

    total = 0
    for check in args.only:
        findings, seconds = results[check]
        total += len(findings)
        count = f"{len(findings)} problem{'s' if len(findings) != 1 else ''}" if findings else "no problems"
        print(f"\n{check}: {DESCRIPTIONS[check]}: {count} ({seconds:.1f} s)")
        for finding in findings:
            print(finding.format(label))
    if args.screenshots and "a11y" in args.only:
        print(f"\nScreenshots in {args.screenshots}/")
    print()
    if total:
        print(f"sitecheck: {total} problem{'s' if total != 1 else ''} found in {label}/")
        return 1
    print(f"sitecheck: no problems found in {label}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The report's parts for what bench/more.py measures (issue #21): their rows of the targets table,
their sections, and their errors. bench/report.py calls target_rows(), sections() and problems();
every number comes from results.json, as in report.py.
"""

from __future__ import annotations

import sizes

MB = 10**6
TARGETS = {"hugo_ratio": 1.0, "page_bytes": 300_000, "site_bytes": 250 * MB, "sample_build_cpu": 1.0,
           "check_wall": 0.5, "preview_sample": 1.0, "preview_default": 5.0}


def _ok(found) -> bool:
    return bool(found) and found.get("code") == 0


def _verdict(met) -> str:
    return "n/a" if met is None else ("yes" if met else "**no**")


def _count(value) -> str:
    return f"{value:,}" if value else ""


def _against(ratio: float, limit: float) -> str:
    """A ratio to two places, or three where two would round a miss onto the limit (1.003 is not 1.00)."""
    text = f"{ratio:.2f}"
    return f"{ratio:.3f}" if text == f"{limit:.2f}" and ratio != limit else text


def _kb(size: int) -> str:
    return f"{size / 1000:,.0f} KB"


def hugo_figures(results: dict) -> dict | None:
    """Ours (whole process) against Hugo --minify + Pagefind and against plain Hugo, in CPU time."""
    found = results.get("hugo")
    if not _ok(found) or found.get("skipped"):
        return None
    ours, plain, minify, pagefind = (found[k] for k in ("ours", "hugo", "hugo_minify", "pagefind"))
    theirs = minify["cpu"] + pagefind["cpu"]
    per_page = (ours["cpu"] / ours["html_pages"]) / (theirs / minify["html_pages"]) if minify["html_pages"] else None
    kept = found.get("ours_kept")
    return {"ratio": ours["cpu"] / theirs, "per_page": per_page, "plain": ours["cpu"] / plain["cpu"],
            "theirs_cpu": theirs, "theirs_wall": minify["wall"] + pagefind["wall"],
            "ratio_kept": kept["cpu"] / theirs if _ok(kept) else None,
            "paired": _paired(found, "ours"), "paired_kept": _paired(found, "ours_kept")}


def _paired(found: dict, key: str) -> float | None:
    """The median over the rounds of ours against Hugo --minify + Pagefind in the same round, the runs
    matched by the round each recorded. On a machine whose speed drifts through the comparison, a
    round's programs ran minutes apart and slowed or sped up together; the least of each may come
    from different rounds."""
    ours, minify, pagefind = found.get(key), found.get("hugo_minify") or {}, found.get("pagefind") or {}
    if not _ok(ours) or "round_each" not in ours:
        return None
    indexed = dict(zip(pagefind.get("round_each", []), pagefind.get("cpu_each", [])))
    theirs = {run: cpu + indexed[run] for run, cpu in zip(minify.get("round_each", []), minify.get("cpu_each", []))
              if run in indexed}
    ratios = sorted(cpu / theirs[run] for run, cpu in zip(ours["round_each"], ours["cpu_each"]) if run in theirs)
    if not ratios:
        return None
    middle = len(ratios) // 2
    return ratios[middle] if len(ratios) % 2 else (ratios[middle - 1] + ratios[middle]) / 2


def problems(results: dict) -> list[str]:
    found = []
    hugo = results.get("hugo")
    if hugo and not hugo.get("skipped") and not _ok(hugo):
        found.append("the comparison with Hugo failed: " + hugo.get("error", "")[:300])
    for size, preview in (results.get("preview") or {}).items():
        if not _ok(preview):
            found.append(f"the preview at the {size} size failed: " + preview.get("error", "").split("\n")[0])
    if results.get("quick") and not _ok(results["quick"]):
        found.append("make check or the build of the sample failed")
    return found


def _preview_row(results: dict, size: str, limit: float, words: str) -> str:
    found = (results.get("preview") or {}).get(size)
    text, met = "not measured", None
    if _ok(found):
        text = (f"median {found['median']:.2f} s, slowest {found['max']:.2f} s over {len(found['edits'])} edits "
                f"({found['html_pages']:,} pages)")
        met = found["max"] < limit
    elif found:
        text = "failed"
        met = False
    return f"| an edit in `make serve` visible in under {limit:g} s {words} | {text} | {_verdict(met)} |"


def _kept_text(figures: dict) -> str:
    text = ""
    if figures.get("ratio_kept") is not None:
        text += f"; rebuilt with the workbooks kept from the build before, {figures['ratio_kept']:.2f}"
    paired = [f"{label} {figures[key]:.2f}" for key, label in (("paired", "cold"), ("paired_kept", "kept"))
              if figures.get(key) is not None]
    if paired:
        text += "; the median of each round's ours against that round's Hugo: " + ", ".join(paired)
    return text


def target_rows(results: dict) -> list[str]:
    rows = []
    figures, hugo = hugo_figures(results), results.get("hugo") or {}
    if figures:
        rows.append(f"| whole build's CPU no more than Hugo `--minify` plus the same Pagefind on the same data "
                    f"(ratio <= {TARGETS['hugo_ratio']}) | {hugo['ours']['cpu']:.1f} s / ({hugo['hugo_minify']['cpu']:.1f} "
                    f"+ {hugo['pagefind']['cpu']:.1f} s): **{_against(figures['ratio'], TARGETS['hugo_ratio'])}** (per page {figures['per_page']:.2f}; "
                    f"against plain Hugo {figures['plain']:.2f}){_kept_text(figures)} | "
                    f"{_verdict(figures['ratio'] <= TARGETS['hugo_ratio'])} |")
    else:
        rows.append("| whole build's CPU no more than Hugo `--minify` plus the same Pagefind (ratio <= 1.0) | "
                    + (f"not measured: {hugo['skipped']}" if hugo.get("skipped") else "not measured" if not hugo else "failed")
                    + f" | {_verdict(False if hugo and not hugo.get('skipped') else None)} |")
    build = results.get("build") or {}
    detail = build.get("sizes")
    if _ok(build) and detail:
        largest = detail["largest_html"][0] if detail["largest_html"] else ["-", 0]
        rows.append(f"| no HTML page over {_kb(TARGETS['page_bytes'])} | largest {_kb(largest[1])} (`{largest[0]}`); "
                    f"{detail['over_page_limit']:,} pages over | {_verdict(detail['over_page_limit'] == 0)} |")
        rows.append(f"| output under {TARGETS['site_bytes'] // MB} MB at the default size | {build['bytes'] / MB:,.0f} MB "
                    f"(GitHub Pages' limit: {sizes.GITHUB_PAGES // MB:,} MB) | {_verdict(build['bytes'] < TARGETS['site_bytes'])} |")
    else:
        rows += ["| no HTML page over 300 KB | not measured | n/a |", "| output under 250 MB | not measured | n/a |"]
    quick = results.get("quick") or {}
    if _ok(quick):
        b, c = quick["build"], quick["check"]
        rows.append(f"| the sample built in under {TARGETS['sample_build_cpu']:g} s of CPU | {b['least_cpu']:.2f} s CPU "
                    f"(fastest wall {b['wall']:.2f} s), the whole process | {_verdict(b['least_cpu'] < TARGETS['sample_build_cpu'])} |")
        rows.append(f"| `make check` on the sample under {TARGETS['check_wall']:g} s | {c['wall']:.2f} s wall "
                    f"(CPU {c['cpu']:.2f} s), the fastest of {c['runs']} | {_verdict(c['wall'] < TARGETS['check_wall'])} |")
    else:
        rows += ["| the sample built in under 1 s of CPU | " + ("failed" if quick else "not measured") + " | n/a |",
                 "| `make check` on the sample under 0.5 s | " + ("failed" if quick else "not measured") + " | n/a |"]
    rows.append(_preview_row(results, "sample", TARGETS["preview_sample"], "at the sample's size"))
    rows.append(_preview_row(results, "default", TARGETS["preview_default"], "at the default size"))
    return rows


def _hugo_section(results: dict) -> list[str]:
    found = results.get("hugo")
    lines = ["## Hugo on the same data", ""]
    if not found:
        return lines + ["Not measured.", ""]
    if found.get("skipped"):
        return lines + [f"Not measured: {found['skipped']}.", ""]
    if not _ok(found):
        return lines + ["The comparison failed:", "", "```", found.get("error", "")[-2500:], "```", ""]
    figures, conv = hugo_figures(results), found["converted"]
    lines += [f"{found['version']}. `bench/hugo_site.py` turned the same synthetic data into a Hugo site "
              f"({conv['content_files']:,} content files: a file for each award, provider and opportunity, and "
              f"empty pages for the years and months of spend) in {conv['seconds']:.1f} s, outside Hugo's time. "
              "Hugo's templates (`bench/hugo/layouts`) do the rest from funder.yaml and the payments files as staff "
              "keep them: each award's provider, opportunity and renewals, statuses from the clock, and every sum "
              f"of the payments. They are {found['template_lines']:,} lines against our theme's "
              f"{found['our_template_lines']:,} (ours makes more kinds of page). Each program is a whole process, "
              f"timed in {found['rounds']} rounds, each Hugo, then ours from no kept workbooks, as a fresh checkout "
              "builds, then ours with the workbooks that build kept; the least CPU time of each counts. Hugo checks nothing: ours validates the data too.", "",
              "| program | wall (s) | CPU (s) | largest process (MiB) | HTML pages | pages indexed | CPU of each run (s) |",
              "|---|---:|---:|---:|---:|---:|---|"]
    for key, label in (("ours", "ours: `python -m commissioning build`"),
                       ("ours_kept", "ours, rebuilt with the workbooks kept"), ("hugo", "`hugo`"),
                       ("hugo_minify", "`hugo --minify`"), ("pagefind", "Pagefind over Hugo's output")):
        r = found.get(key)
        if not _ok(r):
            continue
        lines.append(f"| {label} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['peak_mb']:,.0f} | "
                     f"{_count(r.get('html_pages'))} | {_count(r.get('indexed'))} | {', '.join(map(str, r['cpu_each']))} |")
    lines += [f"| **Hugo --minify + Pagefind** | **{figures['theirs_wall']:.1f}** | **{figures['theirs_cpu']:.1f}** | | | | |", "",
              f"**Ours / (Hugo --minify + Pagefind), CPU: {_against(figures['ratio'], TARGETS['hugo_ratio'])}** ({figures['per_page']:.2f} per HTML "
              f"page){_kept_text(figures)}; ours / plain Hugo: {figures['plain']:.2f}. Hugo's minified output: "
              f"{found['bytes_minify'] / MB:,.0f} MB; ours: {(results.get('build') or {}).get('bytes', 0) / MB:,.0f} MB. "
              "Hugo makes the pages ours makes for the same records (an award, provider and opportunity page each, "
              "the paginated register, funding stream, priority, route and type listings, spend years and months, "
              "content/'s pages), not those ours makes beyond them: the statutory spending lists, outcomes, the "
              "forward plan, feeds, calendars and the open-data downloads.", ""]
    return lines


def _preview_section(results: dict) -> list[str]:
    found = results.get("preview") or {}
    lines = ["## The preview: edit to page", ""]
    if not found:
        return lines + ["Not measured.", ""]
    lines += ["`python -m commissioning serve` on a free port, with the data in a work folder. Each edit is a "
              "title changed in the file, as staff change it; the time is from the file written to the page served "
              "with the new title, asked for over HTTP every 0.05 s; then to the download listing the record served "
              "with it too (the whole site updated), before the next edit. Then Ctrl+C (SIGINT).", "",
              "| size | pages | first page served after (s) | each edit: its page (s) | median (s) | slowest (s) | "
              "each edit: the whole site (s) | stopped with |",
              "|---|---:|---:|---|---:|---:|---|---:|"]
    for size in ("sample", "default"):
        r = found.get(size)
        if not r:
            continue
        if not _ok(r):
            lines.append(f"| {size} | | | failed: {r.get('error', '').splitlines()[0] if r.get('error') else ''} | | | | "
                         f"{r.get('stopped_with', '')} |")
            continue
        each = ", ".join(f"{e['kind']} {e['seconds']:.2f}" for e in r["edits"])
        whole = ", ".join(f"{e['all_seconds']:.2f}" if "all_seconds" in e else "-" for e in r["edits"])
        lines.append(f"| {size} | {r['html_pages']:,} | {r['first_page_seconds']:.1f} | {each} | {r['median']:.2f} | "
                     f"{r['max']:.2f} | {whole} | {r['stopped_with']} |")
    return lines + [""]


def _series_sizes(results: dict) -> list[tuple[float, dict, int]]:
    points = []
    for entry in results.get("series", []):
        done = [run for run in entry.get("runs", []) if _ok(run)]
        if done:
            points.append((entry["factor"], entry["size"], done[0]["bytes"]))
    return points


def _size_section(results: dict) -> list[str]:
    build = results.get("build") or {}
    detail = build.get("sizes")
    lines = ["## Output size", ""]
    if _ok(build) and detail:
        lines += [f"At the default size the site is **{build['bytes'] / MB:,.0f} MB** in {build['files']:,} files "
                  f"(target: under {TARGETS['site_bytes'] // MB} MB; GitHub Pages publishes at most "
                  f"{sizes.GITHUB_PAGES // MB:,} MB), {detail['html_bytes'] / MB:,.0f} MB of it HTML. By top-level folder:", "",
                  "| folder | MB | share |", "|---|---:|---:|"]
        for folder, size in detail["by_folder"].items():
            if size >= MB / 10:
                lines.append(f"| {folder} | {size / MB:,.1f} | {size / build['bytes'] * 100:.0f} % |")
        lines += ["", f"The largest HTML pages ({detail['over_page_limit']:,} over {_kb(detail['page_limit'])}):", "",
                  "| page | size |", "|---|---:|"]
        lines += [f"| `{path}` | {_kb(size)} |" for path, size in detail["largest_html"]] + [""]
    points = _series_sizes(results)
    if len(points) >= 2:
        base = results.get("series_base") or points[0][1]
        fitted = [(factor, size) for factor, _, size in points]
        at = sizes.crossing(fitted)
        lines += ["In the scale series:", "", "| size | data | MB |", "|---|---|---:|"]
        lines += [f"| {factor:g}x | {s['awards']:,} awards, {s['payments']:,} payments | {size / MB:,.0f} |"
                  for factor, s, size in points]
        if at:
            lines += ["", f"A straight line through these reaches GitHub Pages' {sizes.GITHUB_PAGES // MB:,} MB at about "
                      f"**{at:.1f}x** the series' base: about {base['awards'] * at:,.0f} awards and "
                      f"{base['payments'] * at:,.0f} payments (the default size is "
                      f"{results['size']['awards'] / base['awards']:g}x in awards)."]
        lines.append("")
    return lines


def _quick_section(results: dict) -> list[str]:
    quick = results.get("quick")
    lines = ["## The sample: `make check` and the build", ""]
    if not quick:
        return lines + ["Not measured.", ""]
    lines += ["The repository's own data, each command a whole process (Python's start included), run in turn; "
              "the fastest wall time counts, with its CPU time.", "",
              "| command | fastest wall (s) | its CPU (s) | wall of each run (s) | target |", "|---|---:|---:|---|---|"]
    for key, command, target in (("check", "`python -m commissioning check --settings pelicanconf.py`", "under 0.5 s wall"),
                                 ("build", "`python -m commissioning build` (the sample's "
                                  f"{quick['build'].get('html_pages', 0)} pages)", "under 1 s CPU")):
        r = quick[key]
        if not _ok(r):
            lines.append(f"| {command} | failed | | | {target} |")
            continue
        lines.append(f"| {command} | {r['wall']:.2f} | {r['cpu']:.2f} | {', '.join(map(str, r['wall_each']))} | {target} |")
    return lines + [""]


def sections(results: dict) -> list[str]:
    return [*_hugo_section(results), *_preview_section(results), *_size_section(results), *_quick_section(results)]

"""The benchmark's report: bench/results.json (written by bench/run.py) made into bench/results.md.

    .venv/bin/python bench/report.py bench/results.json [--out bench/results.md]

Every number comes from results.json; nothing here runs a build, so the report can be re-rendered
(after changing its wording, or on results from another machine) in a second. Stage times are those
the build reports itself through `commissioning.timing`; a stage of `timing.STAGES` that a build did
not report is an error, shown at the top and in its row, never left out of a table.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO / "plugins")]

from commissioning import timing  # noqa: E402  (standard library only: no build is imported)

sys.path.insert(0, str(HERE))
import report_more  # noqa: E402  (the parts for Hugo, the preview, the output size and the sample)

# Memory is measured in MiB (2**20 bytes: what the kernel reports, in KiB, divided by 1,024); the
# target is the 1.2 GB, 1.2e9 bytes, so 1,144 MiB.
TARGETS = {"ratio": 1.0, "payments_validation": 2.0, "peak_mb": 1.2e9 / 2**20, "growth": 1.10}
SMALL = 0.25  # seconds: a stage quicker than this at the largest size is too small for its growth to be judged
# Only these may be missing from a build, and only when its settings switch them off.
OPTIONAL = ("minify", "search index")
VALIDATION_STAGES = ("read", "model", "rules")  # what load_dataset alone should report
OUTSIDE = "not in any stage"


# ================================================================================================
# The numbers: pure functions of results.json, tested without a build.
# ================================================================================================


def ok(result: dict | None) -> bool:
    return bool(result) and result.get("code") == 0


def reported(times: dict) -> set[str]:
    """The STAGES names that ran at least once."""
    return {timing.stage_of(key) for key, value in times.items() if value.get("calls", 0) > 0}


def missing_stages(build: dict) -> list[str]:
    """The stages of timing.STAGES this successful build reported no time for, in STAGES order,
    less the optional ones its settings switched off."""
    excused = set(build.get("switched_off", ())) & set(OPTIONAL)
    seen = reported(build.get("times", {}))
    return [name for name in timing.STAGES if name not in seen and name not in excused]


def unknown_stages(build: dict) -> list[str]:
    """Keys whose stage is not in timing.STAGES: results from code whose stages no longer match."""
    return sorted(key for key in build.get("times", {}) if timing.stage_of(key) not in timing.STAGES)


def builds(results: dict) -> list[tuple[str, dict]]:
    """Every build of the synthetic data in results, named for the messages."""
    named = [("the build at the default size", results.get("build") or {})]
    for entry in results.get("series", []):
        for number, run in enumerate(entry.get("runs", []), 1):
            named.append((f"the series build at {entry['factor']:g}x, run {number}", run))
    return named


def problems(results: dict) -> list[str]:
    """What makes this benchmark run a failure: a failed build, or a stage a build did not report."""
    found = []
    validation = results.get("validation")
    if validation is not None and not ok(validation):
        found.append(f"validation alone (load_dataset) failed (exit code {validation.get('code')})")
    if results.get("profile_error"):
        found.append("the profiled build failed")
    for name, build in builds(results):
        if not ok(build):
            found.append(f"{name} failed (exit code {build.get('code')})")
            continue
        missing = missing_stages(build)
        if missing:
            found.append(f"{name} reported no time for {', '.join(missing)}: a stage of timing.STAGES that the "
                         "build no longer runs inside timing.stage() (renamed, moved or lost)")
        unknown = unknown_stages(build)
        if unknown:
            found.append(f"{name} reported {', '.join(unknown)}, not in timing.STAGES")
    return found + report_more.problems(results)


def grouped(times: dict) -> dict[str, dict]:
    """A build's times by STAGES name, in STAGES order: wall and CPU seconds, calls, and the parts."""
    groups = {name: {"seconds": 0.0, "cpu": 0.0, "calls": 0, "user": 0.0, "parts": []} for name in timing.STAGES}
    for key, value in times.items():
        group = groups.get(timing.stage_of(key))
        if group is None:
            continue  # reported by problems(), not added to a stage it is not
        group["seconds"] += value["seconds"]
        group["cpu"] += value["cpu"]
        group["calls"] += value["calls"]
        group["user"] += value.get("user", 0.0)  # not in results from before it was measured
        group["parts"].append(key)
    return groups


def outside(build: dict, column: str) -> float:
    """Time of the build in no stage: what the runner measured around cli.build, less the stages.
    For several runs as one (best_of), the least of each run's own."""
    if "outside" in build:
        return build["outside"][column]
    whole = build.get("total" if column == "seconds" else "cpu", 0.0)
    return max(whole - sum(v[column] for v in build.get("times", {}).values()), 0.0)


def overlapping(build: dict) -> float:
    """CPU seconds the stages add up to beyond the whole build's, less a margin for the clocks:
    more than 0 means a stage runs inside another, and the table counts those seconds twice."""
    staged = sum(v["cpu"] for v in build.get("times", {}).values())
    return max(staged - (build.get("cpu", 0.0) * 1.05 + 0.5), 0.0)


def stage_cpu(build: dict) -> dict[str, float]:
    """CPU seconds by stage, and outside any, as compared across the series."""
    rows = {name: g["cpu"] for name, g in grouped(build.get("times", {})).items()}
    rows[OUTSIDE] = outside(build, "cpu")
    return rows


def best_of(runs: list[dict]) -> dict:
    """Several builds of the same data as one: each stage's and the total's least time, the greatest peak.

    The least of a few runs is the measure least disturbed by whatever else the machine was doing;
    single runs on a shared machine flagged a different stage as growing too fast each time.
    """
    failed = [r for r in runs if not ok(r)]
    if failed:
        return failed[0]
    best = dict(runs[0])
    times: dict[str, dict] = {}
    for key in sorted(set().union(*(r["times"] for r in runs))):
        entries = [r["times"][key] for r in runs if key in r["times"]]
        times[key] = {"seconds": min(e["seconds"] for e in entries), "cpu": min(e["cpu"] for e in entries),
                      "calls": entries[0]["calls"], "user": min(e.get("user", 0.0) for e in entries)}
    best["times"] = times
    # Each run's own time outside the stages, the least of them: the least total less the least of each
    # stage would count as outside every second by which the stages' least fall short of one run's.
    best["outside"] = {column: min(outside(r, column) for r in runs) for column in ("seconds", "cpu")}
    for key in ("total", "cpu"):
        best[key] = min(r[key] for r in runs)
    for key in ("peak_mb", "tree_peak_mb"):
        best[key] = max(r.get(key, 0.0) for r in runs)
    best["switched_off"] = sorted(set().union(*(r.get("switched_off", ()) for r in runs)))
    best["runs"] = len(runs)
    return best


def series_best(results: dict) -> list[tuple[float, dict, dict]]:
    return [(e["factor"], e["size"], best_of(e["runs"])) for e in results.get("series", []) if e.get("runs")]


def growth_flags(series: list[tuple[float, dict, dict]]) -> list[tuple[str, float]]:
    """Stages whose CPU time grows faster than the data between the first and last size (and the whole build).

    Judged on CPU time: wall time follows whatever else the machine was doing during each build.
    """
    first_factor, _, first = series[0]
    last_factor, _, last = series[-1]
    limit = last_factor / first_factor * TARGETS["growth"]
    before, after = stage_cpu(first), stage_cpu(last)
    flags = [(name, seconds / before[name]) for name, seconds in after.items()
             if seconds >= SMALL and before.get(name, 0.0) > 0 and seconds / before[name] > limit]
    if first.get("cpu") and last.get("cpu", 0.0) / first["cpu"] > limit:
        flags.append(("whole build (CPU)", last["cpu"] / first["cpu"]))
    return flags


def targets(results: dict) -> dict:
    build, baseline, validation = results.get("build") or {}, results.get("baseline"), results.get("validation") or {}
    pages = build.get("html_pages", 0)
    ratio = ratio_cpu = None
    if ok(build) and ok(baseline) and pages:
        ratio = (build["total"] / pages) / (baseline["total"] / baseline["articles"])
        if baseline.get("cpu"):
            ratio_cpu = (build["cpu"] / pages) / (baseline["cpu"] / baseline["articles"])
    series = series_best(results)
    judged = len(series) >= 2 and all(ok(r) for _, _, r in series)
    return {"ratio": ratio, "ratio_cpu": ratio_cpu,
            "payments_validation": validation.get("payments") if ok(validation) else None,
            "payments_validation_cpu": validation.get("payments_cpu") if ok(validation) else None,
            "peak_mb": max(build.get("peak_mb", 0.0), build.get("tree_peak_mb", 0.0)) if ok(build) else None,
            "superlinear": growth_flags(series) if judged else None}


# ================================================================================================
# The text.
# ================================================================================================


def fmt(seconds: float) -> str:
    return f"{seconds:.2f}"


def describe(size: dict) -> str:
    return (f"{size['awards']:,} awards, {size['providers']:,} providers, {size['opportunities']:,} opportunities, "
            f"{size['payments']:,} payments over {size['years']} financial years")


def verdict(met: bool | None) -> str:
    return "n/a" if met is None else ("yes" if met else "**no**")


def fenced(text: str) -> list[str]:
    return ["```", text.strip(), "```", ""]


def stage_table(build: dict, total_wall: float, total_cpu: float) -> list[str]:
    groups = grouped(build["times"])
    missing, off = set(missing_stages(build)), set(build.get("switched_off", ()))
    lines = ["| stage | wall (s) | share | CPU (s) | calls | parts |", "|---|---:|---:|---:|---:|---|"]
    for name, g in groups.items():
        if not g["calls"]:
            why = "switched off by settings" if name in off and name in OPTIONAL else (
                "**error: the build reported no time for this stage**" if name in missing else "")
            lines.append(f"| {name} | - | | - | 0 | {why} |")
            continue
        parts = [p for p in g["parts"] if p != name]
        share = f"{g['seconds'] / total_wall * 100:.0f} %" if total_wall else ""
        lines.append(f"| {name} | {fmt(g['seconds'])} | {share} | {fmt(g['cpu'])} | {g['calls']:,} | "
                     f"{f'{len(parts)} (below)' if parts else ''} |")
    staged_wall = sum(g["seconds"] for g in groups.values())
    wall_outside = total_wall - staged_wall
    lines.append(f"| {OUTSIDE} | {fmt(wall_outside) if wall_outside >= 0 else '-'} | | "
                 f"{fmt(outside(build, 'cpu'))} | | settings read before the first stage, the new site swapped "
                 "into place, processes started and ended |")
    lines.append(f"| **total** | **{fmt(total_wall)}** | 100 % | **{fmt(total_cpu)}** | | |")
    lines.append("")
    if wall_outside < 0:
        lines += [f"The stages' wall times add up to {fmt(staged_wall)} s, more than the {fmt(total_wall)} s the build "
                  "took, because some stages run in several processes at once (pages written on every core): "
                  "compare their CPU times.", ""]
    staged_cpu = sum(g["cpu"] for g in groups.values())
    if overlapping(build):
        lines += [f"**Warning**: the stages' CPU times add up to {fmt(staged_cpu)} s, more than the build's "
                  f"{fmt(total_cpu)} s: a stage runs inside another, or a process's CPU time is counted both in the "
                  "process that waited for it and in its own report.", ""]
    return lines


def detail_table(times: dict, least: float = 0.0) -> list[str]:
    """The rows of times that name a part ("render: award.html"): a stage's own row is in its table."""
    order = {name: index for index, name in enumerate(timing.STAGES)}
    rows = sorted(((k, v) for k, v in times.items() if k != timing.stage_of(k) and v["seconds"] >= least),
                  key=lambda kv: (order.get(timing.stage_of(kv[0]), len(order)), kv[0]))
    lines = ["| stage: part | calls | wall (s) | CPU (s) | wall per call (ms) |", "|---|---:|---:|---:|---:|"]
    for key, v in rows:
        per = f"{v['seconds'] / v['calls'] * 1000:.2f}" if v["calls"] else "-"
        lines.append(f"| {key} | {v['calls']:,} | {fmt(v['seconds'])} | {fmt(v['cpu'])} | {per} |")
    return lines + [""]


def render(results: dict, findings: Path | None = HERE / "findings.md") -> str:
    """results.json as Markdown."""
    info, size = results["machine"], results["size"]
    build, validation, baseline = results.get("build") or {}, results.get("validation") or {}, results.get("baseline")
    found, goals = problems(results), targets(results)
    lines: list[str] = []
    add = lines.extend
    add(["# Build benchmark", "",
         "Made by `make bench` (bench/run.py, which writes results.json; bench/report.py makes this page from it). "
         "Run it again after adding a stage. A benchmark, not a test: it reports, and fails only when a build fails "
         "or a build reports no time for a stage of `commissioning.timing.STAGES`. Every build runs in a fresh child "
         "process. Wall time is what a person waits; CPU time (user + system, of the process and the programs it "
         "starts) is shown beside it because other work on a shared machine disturbs it less: compare CPU times "
         "between runs.", "",
         f"Command: `{results.get('command', '')}`", "",
         "| machine | |", "|---|---|",
         f"| date | {info['date']} |", f"| cores | {info['cores']} ({info['cpu']}) |",
         f"| memory | {info['memory_gb']} GB |", f"| Python | {info['python']} |",
         f"| Pelican | {info['pelican']} |", f"| system | {info['system']} |", f"| code | commit {info['commit']} |"])
    if info.get("filesystem"):
        add([f"| filesystem of the builds | {info['filesystem']} |"])
    if info.get("load"):
        add([f"| load average | {info['load']} |"])
    add([""])
    if found:
        add(["## Errors", "", *(f"- **error**: {p}." for p in found), ""])

    ratio, ratio_cpu, pay = goals["ratio"], goals["ratio_cpu"], goals["payments_validation"]
    peak, flags = goals["peak_mb"], goals["superlinear"]
    series = series_best(results)
    largest = max([build.get("peak_mb", 0.0)] + [mb for _, mb in build.get("process_peaks_mb", [])])
    add(["## Targets", "", f"At the default size ({describe(size)}):", "",
         "| target | result | met |", "|---|---|---|",
         f"| cost per page no more than plain Pelican's (ratio <= {TARGETS['ratio']}) | "
         + (f"ratio {ratio:.2f} (CPU time: {ratio_cpu:.2f})" if ratio is not None and ratio_cpu is not None
            else "not measured") + f" | {verdict(None if ratio is None else ratio <= TARGETS['ratio'])} |",
         f"| validation of {size['payments']:,} payments under {TARGETS['payments_validation']:.0f} s | "
         + (f"{pay:.2f} s (CPU {goals['payments_validation_cpu']:.2f} s)" if pay is not None else "not measured")
         + f" | {verdict(None if pay is None else pay < TARGETS['payments_validation'])} |",
         f"| peak memory under 1.2 GB ({TARGETS['peak_mb']:,.0f} MiB) | "
         + (f"{peak:,.0f} MiB (build process and the programs it runs, together; the largest single process: "
            f"{largest:,.0f} MiB)" if peak is not None else "not measured")
         + f" | {verdict(None if peak is None else peak < TARGETS['peak_mb'])} |"])
    if series:
        k = series[-1][0] / series[0][0]
        text = "not measured" if flags is None else (
            ", ".join(f"{n}: {g:.2f}x" for n, g in flags) or "no stage grows faster")
        add([f"| linear within {round((TARGETS['growth'] - 1) * 100)} % (time at {series[-1][0]:g}x / "
             f"{series[0][0]:g}x <= {k:g} x {TARGETS['growth']:.2f} = {k * TARGETS['growth']:.2f}) | {text} | "
             f"{verdict(None if flags is None else not flags)} |"])
    else:
        add(["| linear within 10 % | not measured | n/a |"])
    add([*report_more.target_rows(results), ""])

    gen = results["generated"]
    add(["## The build at the default size", "",
         f"Synthetic data: {gen['providers']:,} providers, {gen['awards']:,} awards, {gen['opportunities']:,} "
         f"opportunities, {gen['payments']:,} payments in {gen['payment_files']} files (seed {results['seed']}, "
         f"clock {results['now']}); generated in {gen['seconds']:.1f} s by `bench/synthetic.py`.", ""])
    if not ok(build):
        add(["**The build failed**, so there are no build timings. Its report ends:", "",
             *fenced(build.get("error", "")[-3000:])])
    else:
        pages, total, cpu = build["html_pages"], build["total"], build["cpu"]
        started = build.get("process_peaks_mb")
        add([f"Built **{pages:,} HTML pages** ({build['files']:,} files, {build['bytes'] / 1e6:,.0f} MB) in "
             f"**{total:.1f} s** wall ({cpu:.1f} s CPU): **{pages / total:,.0f} pages per second**, "
             f"{total / pages * 1000:.1f} ms per page. Peak memory: **{peak:,.0f} MiB** for the build process and "
             f"the programs it runs, together (proportional set size summed, sampled every 0.2 s); the build "
             f"process itself peaked at {build['peak_mb']:,.0f} MiB"
             + (", and the processes it started, each at its own peak: "
                + ", ".join(f"{name} {mb:,.0f} MiB" for name, mb in started) + "." if started else ".")
             + (f" The sum peaked {build['peak_seconds']:.1f} s into the build, held by: "
                + ", ".join(f"{name} {mb:,.0f} MiB" for name, mb in build["at_peak_mb"]) + "."
                if build.get("at_peak_mb") else ""), "",
             "### Time per stage", "",
             "Each stage as the build reports it (`commissioning.timing`), in the order `timing.STAGES` lists "
             "them, from every process of one `commissioning.cli.build`: the page-writing process and its forked "
             "copies included.", "",
             *stage_table(build, total, cpu),
             "### Each stage's parts", "",
             "A stage run in several processes at once (pages written on every core) adds up its time in each.", "",
             *detail_table(build["times"])])

    add(["### Validation", ""])
    if ok(validation):
        add([f"`commissioning.load.loader.load_dataset` alone, in its own process, the fastest of three runs of "
             f"each (peak memory {validation['peak_mb']:,.0f} MiB)"
             + (f"; what-if `{results['experiment']}` on (see `bench/run.py --help`)" if results.get("experiment")
                else "") + ":", "",
             "| part | wall (s) | CPU (s) |", "|---|---:|---:|",
             f"| whole data set | {fmt(validation['full'])} | {fmt(validation['full_cpu'])} |",
             f"| the same without the payments files | {fmt(validation['without_payments'])} | "
             f"{fmt(validation['without_payments_cpu'])} |",
             f"| **the {size['payments']:,} payments (difference)** | **{fmt(validation['payments'])}** | "
             f"**{fmt(validation['payments_cpu'])}** |", "",
             "Where the time goes in the whole data set, as load_dataset's stages report it:", ""])
        groups, seen = grouped(validation["times"]), reported(validation["times"])
        add(["| stage | wall (s) | CPU (s) | calls |", "|---|---:|---:|---:|"])
        for name in timing.STAGES:
            if name in seen:
                g = groups[name]
                add([f"| {name} | {fmt(g['seconds'])} | {fmt(g['cpu'])} | {g['calls']:,} |"])
            elif name in VALIDATION_STAGES:
                add([f"| {name} | - | - | **not reported** |"])
        add(["", *detail_table(validation["times"], least=0.005)])
    else:
        add(["Validation failed:", "", *fenced(validation.get("error", "")[-3000:])])

    add(["## Baseline: plain Pelican", ""])
    if ok(baseline):
        per = baseline["total"] / baseline["articles"]
        add([f"Plain Pelican {info['pelican']}, no plugins, default theme and settings, building "
             f"{baseline['articles']:,} Markdown articles, one short paragraph and a small table each, as many as "
             f"our build writes HTML pages (it also writes its index, archive, category and feed pages: "
             f"{baseline['html_pages']:,} HTML pages), in {baseline['total']:.1f} s wall ({baseline['cpu']:.1f} s "
             f"CPU): {per * 1000:.1f} ms per article; peak memory {baseline['peak_mb']:,.0f} MiB.", ""])
        if ratio is not None:
            add([f"Ours: {build['total'] / build['html_pages'] * 1000:.1f} ms per page, everything included "
                 f"(validation, spend, downloads, minifying, search index). **Ratio ours / plain: {ratio:.2f}** "
                 f"wall" + (f", {ratio_cpu:.2f} CPU" if ratio_cpu is not None else "")
                 + f" (target <= {TARGETS['ratio']}).", ""])
    else:
        add(["Not measured.", ""] if not baseline else
            ["The baseline failed:", "", *fenced(baseline.get("error", "")[-2000:])])

    add(report_more.sections(results))

    add(["## Scale series", ""])
    if series:
        add(series_section(results, series, flags))
    else:
        add(["Not measured.", ""])

    if results.get("profile"):
        add(["## Profile of the build (cProfile)", "",
             "The default-size build run once more under cProfile, which slows it down: compare functions with "
             "each other, not with the timings above. Only the process that calls `cli.build` is profiled: the "
             "pages are written in a forked child and its copies, which the profiler does not see, so their "
             "work shows here only as the wait for them.", "",
             results["profile"].strip(), ""])

    elif results.get("profile_error"):
        add(["## Profile of the build (cProfile)", "", "The profiled build failed:", "",
             *fenced(results["profile_error"][-2000:])])

    if findings and findings.exists():
        add([findings.read_text(encoding="utf-8").strip(), ""])
    return "\n".join(lines)


def series_section(results: dict, series: list[tuple[float, dict, dict]], flags) -> list[str]:
    runs = series[0][2].get("runs", 1)
    lines = [f"The base (1x) is {describe(results['series_base'])}; each size is a fresh synthetic data set built "
             "in its own process" + (f", {runs} times: each stage's least CPU time of the {runs} runs counts"
                                     if runs > 1 else "")
             + f". Stages are compared on CPU time. A stage is flagged when it grows more than "
             f"{round((TARGETS['growth'] - 1) * 100)} % faster than the data and takes at least {SMALL} s CPU at "
             "the largest size (smaller stages are too noisy to judge).", ""]
    if not all(ok(result) for _, _, result in series):
        for factor, _, result in series:
            if not ok(result):
                lines += [f"The build at {factor:g}x failed:", "", *fenced(result.get("error", "")[-2000:])]
        return lines
    per_size = [stage_cpu(result) for _, _, result in series]
    per_size_user = [{name: g["user"] for name, g in grouped(result.get("times", {})).items()} for _, _, result in series]
    # From each run, not from the least of them: that merges the runs' stages, hiding a run's gap.
    missing = [set().union(*(missing_stages(run) for run in entry["runs"]))
               for entry in results["series"] if entry.get("runs")]
    flagged = {name for name, _ in flags or ()}
    first, last = f"{series[0][0]:g}x", f"{series[-1][0]:g}x"
    k = series[-1][0] / series[0][0]
    lines += [f"| stage (CPU s) | {' | '.join(f'{f:g}x' for f, _, _ in series)} | {last} / {first} | "
              f"{last} / {first}, user CPU only | |",
              "|---|" + "---:|" * len(series) + "---:|---:|---|"]
    for name in (*timing.STAGES, OUTSIDE):
        cells = ["**not reported**" if name in gone else fmt(size[name]) for size, gone in zip(per_size, missing)]
        values = [size[name] for size in per_size]
        growth = f"{values[-1] / values[0]:.2f}" if values[0] else "-"
        users = [size.get(name, 0.0) for size in per_size_user]
        user_growth = f"{users[-1] / users[0]:.2f}" if users[0] and name != OUTSIDE else ""
        mark = "**faster than linear**" if name in flagged else ("(too small to judge)" if values[-1] < SMALL else "")
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {growth} | {user_growth} | {mark} |")
    for key, label in (("cpu", "CPU"), ("total", "wall")):
        values = [result.get(key, 0.0) for _, _, result in series]
        grew = values[-1] / values[0] if values[0] else 0.0
        mark = "**faster than linear**" if f"whole build ({label})" in flagged else ""
        lines.append(f"| **total, {label}** | " + " | ".join(f"**{fmt(v)}**" for v in values)
                     + f" | **{grew:.2f}** | | {mark} |")
    lines += ["| HTML pages | " + " | ".join(f"{r['html_pages']:,}" for _, _, r in series) + " | | | |",
              "| wall ms per page | " + " | ".join(f"{r['total'] / r['html_pages'] * 1000:.1f}" for _, _, r in series)
              + " | | | |",
              "| peak memory, all processes (MiB) | "
              + " | ".join(f"{max(r['peak_mb'], r.get('tree_peak_mb', 0)):,.0f}" for _, _, r in series) + " | | | |",
              "",
              "User CPU is the stage's time in the program, not in the kernel. A stage whose user CPU grows "
              "linearly and whose CPU does not is growing in the kernel: on ext4 without a journal, making a file "
              "costs more the more files were deleted in the minutes before (bench/findings.md), which is why the "
              "benchmark sets finished builds aside rather than deleting them.",
              "",
              f"Linear growth is {k:g}x from {first} to {last}. Fixed costs (starting Pelican, content/ pages, "
              "templates compiled once) make the smallest size relatively dear, so less than that is expected; "
              f"a stage dominated by sorting grows as n log n, about {k * 1.14:.1f}x over this range.", ""]
    return lines


def write(results: dict, out: Path) -> list[str]:
    """Write the report of results to out; return its errors (see problems)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(results), encoding="utf-8")
    return problems(results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="results.json written by bench/run.py")
    parser.add_argument("--out", type=Path, help="where to write the report (default: results.md beside it)")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text(encoding="utf-8"))
    if results.get("format") != 2:
        parser.error(f"{args.results} holds a summary from before bench/report.py (no 'format': 2); "
                     "run bench/run.py again for the numbers the report needs")
    out = args.out or args.results.with_suffix(".md")
    found = write(results, out)
    for problem in found:
        print(f"error: {problem}", file=sys.stderr)
    print(f"Wrote {out}.", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the build at scale: `make bench` (or `.venv/bin/python bench/run.py [options]`).

1. Generates a synthetic, valid data set (bench/synthetic.py) into a temporary folder.
2. Times validation alone (the public load_dataset, with and without the payments) in a child process.
3. Builds the whole site with the real build (commissioning.cli.build) in a child process, which
   reads what each stage of the build reports about itself (commissioning.timing): the benchmark
   wraps, patches or replaces nothing in the project or in Pelican. It records time per stage,
   pages written and the peak memory of every process of the build.
4. Builds, as the baseline, the same number of plain Markdown articles with plain Pelican (no
   plugins, default theme and settings) in a child process.
5. Builds the same data with Hugo and indexes it with the same Pagefind, interleaved with our build as a
   whole process; times the preview's edit-to-page at this size; then, on the repository's own data,
   `make check`, the build and the preview again (bench/more.py: hugo_compare.py, preview.py, quick.py).
6. Repeats the build at 1x, 2x and 4x of a smaller base, for the growth of each stage; every build's
   output is measured (bench/sizes.py) for the size of the site against GitHub Pages' 1 GB.
7. Writes every number to results.json, then bench/report.py makes bench/results.md from it
   (`bench/report.py results.json` again re-renders the report alone).

A benchmark, not a test: it reports. It fails (exit code 1) when a build fails, or when a build
reports no time for a stage of timing.STAGES (minify and the search index excused only when the
settings switch them off): a stage renamed or lost is an error, not a row missing from a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO / "plugins"), str(REPO / "tools")]

import more  # noqa: E402
import processes  # noqa: E402
import report  # noqa: E402
import sizes  # noqa: E402
import synthetic  # noqa: E402

SETTINGS_FILE = REPO / "pelicanconf.py"
SERIES_BASE = synthetic.Size(1_000, 200, 100, 20_000, 5)

# ================================================================================================
# Child side: one measurement in a fresh process, its numbers written as JSON for the parent.
# ================================================================================================


def overrides(root: Path, now: str) -> dict:
    return {
        "PATH": str(root / "content"),
        "COMMISSIONING_ROOT": str(root),
        "OUTPUT_PATH": str(root / "output"),
        "COMMISSIONING_NOW": now,
    }


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the page-writing process and its
    copies, the search indexer, the minifying workers), user and system."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_mb() -> dict:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_mb": round(own, 1), "children_peak_mb": round(children, 1)}


class TreeMemory:
    """Samples the memory of this process and every process it started, summed, a few times a second
    (proportional set size: a page shared by several processes is counted once, in shares).

    ru_maxrss gives each process's own peak; this gives what the build as a whole holds at once,
    e.g. the build's Python process and the search indexer it runs.
    """

    def __init__(self, interval: float = 0.2):
        import threading

        self.interval = interval
        self.peak = 0
        self.each: dict[int, list] = {}  # pid -> [name, peak bytes, depth below this process] of every process seen
        self.at_peak: dict[int, int] = {}  # pid -> bytes, of the sample that set the peak: which processes held it
        self.peak_seconds = 0.0  # when, from the start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def __enter__(self):
        self._started = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.wait(self.interval):
            try:
                self.sample()
            except OSError:
                return  # no /proc: leave the peak at 0

    def _resident(self, pid: int) -> int:
        # Proportional, not resident, where the kernel says: summing resident memory would count a
        # page shared by the page-writing process and its forked copies once for each of them.
        proportional = _proportional(pid)
        if proportional is not None:
            return proportional
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * self._page

    def sample(self) -> int:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat", "rb") as f:
                        parent = int(f.read().rsplit(b")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                children.setdefault(parent, []).append(int(entry.name))
        total, todo, held = 0, [(os.getpid(), 0)], {}
        while todo:
            pid, depth = todo.pop()
            try:
                resident = self._resident(pid)
                total += resident
                held[pid] = resident
                if pid not in self.each:  # named once: reading /proc every sample for every process is waste
                    self.each[pid] = [_process_name(pid), 0, depth]
                self.each[pid][1] = max(self.each[pid][1], resident)
            except (OSError, ValueError, IndexError):
                pass
            todo.extend((child, depth + 1) for child in children.get(pid, ()))
        if total > self.peak:
            self.peak, self.at_peak = total, held
            self.peak_seconds = time.perf_counter() - self._started
        return total


def _proportional(pid: int) -> int | None:
    """The process's proportional set size in bytes: its own pages, and its share of pages it
    shares with other processes (a forked copy writing pages shares most of its memory)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _process_name(pid: int) -> str:
    """'pagefind' for the search indexer (and Python's wrapper that starts it), 'minifying worker' for
    a process of the minifying pool (started by spawn), else the process's name."""
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    if b"pagefind" in command:
        return "pagefind"
    return "minifying worker" if b"spawn_main" in command else name


def _process_peaks(memory: TreeMemory) -> list[list]:
    """The peak of each process the build started, largest first: [name, MB], with the page-writing
    child (Python, forked by cli.build) and its forked copies named for what they do."""
    peaks = [[_role(memory, pid), round(peak / 2**20, 1)] for pid, (_, peak, _) in memory.each.items()
             if pid != os.getpid() and peak >= 32 * 2**20]  # this process is reported apart; tiny helpers are noise
    return sorted(peaks, key=lambda p: -p[1])


def _at_peak(memory: TreeMemory) -> list[list]:
    """What each process held at the moment the sum peaked, largest first: [name, MB]; this process too."""
    held = [[_role(memory, pid), round(size / 2**20, 1)] for pid, size in memory.at_peak.items() if size >= 8 * 2**20]
    return sorted(held, key=lambda p: -p[1])


def _role(memory: TreeMemory, pid: int) -> str:
    name, _, depth = memory.each[pid]
    if pid == os.getpid():
        return "build command"
    if name.startswith("python"):
        return "page-writing process" if depth == 1 else "page-writing copy"
    return name


def _quietly(function, *args, **kwargs):
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = function(*args, **kwargs)
    return code, out.getvalue(), err.getvalue()


def switched_off(root: Path, now: str) -> list[str]:
    """The optional stages (minify, search index) the settings turn off, read by the plugin's own
    parser so the benchmark and the build agree about what a build should report."""
    from pelican.settings import read_settings

    from commissioning import settings as plugin_settings

    config = plugin_settings.from_pelican(read_settings(str(SETTINGS_FILE), override=overrides(root, now)))
    return [name for name, on in (("minify", config.minify), ("search index", config.search_index)) if not on]


def worker_build(root: Path, now: str, profile: Path | None = None) -> dict:
    import pelican  # noqa: F401  (imported before the clock starts, as for the baseline)

    from commissioning import cli, timing
    from commissioning.open_data.kept_workbooks import FOLDER

    output = root / "output"
    processes.set_aside(output)
    # Every build measured here, the scale series' too, makes its workbooks, as a fresh checkout
    # does: the Hugo comparison (hugo_compare.py) times a build with them kept as well.
    shutil.rmtree(root / FOLDER, ignore_errors=True)
    off = switched_off(root, now)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    timing.start()
    with TreeMemory() as memory:
        started, cpu = time.perf_counter(), cpu_seconds()
        code, out, err = _quietly(cli.build, SETTINGS_FILE, overrides=overrides(root, now), quiet=True)
        total, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    times = timing.totals()
    timing.stop()
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile))
    size = sizes.measure(output) if code == 0 else {"html_pages": 0, "files": 0, "bytes": 0}
    return {"code": code, "error": (err or out)[-4000:] if code else "", "total": total, "cpu": cpu,
            "html_pages": size["html_pages"], "files": size["files"], "bytes": size["bytes"], "sizes": size,
            "times": times, "switched_off": off, "tree_peak_mb": round(memory.peak / 2**20, 1), **peak_mb(),
            "process_peaks_mb": _process_peaks(memory), "at_peak_mb": _at_peak(memory),
            "peak_seconds": round(memory.peak_seconds, 1)}


def worker_validate(root: Path, now: str, experiment: str = "") -> dict:
    """load_dataset on the full data, then on the same data without its payments: the difference is the payments' cost."""
    import gc

    import pelican  # noqa: F401

    # Imported here: the module moved in the plugin's restructure, and a wrong path should fail
    # this measurement, not the import of the whole benchmark.
    from commissioning import timing
    from commissioning.load.loader import load_dataset

    bare = root.parent / (root.name + "-no-payments")
    if bare.exists():
        shutil.rmtree(bare)
    (bare / "data" / "payments").mkdir(parents=True)
    for name in ("funder.yaml", "providers.csv", "awards.csv", "opportunities"):
        (bare / "data" / name).symlink_to(root / "data" / name)
    (bare / "content").symlink_to(root / "content")

    def once(folder: Path) -> tuple[float, float, dict]:
        timing.start()
        if experiment == "gc":
            gc.disable()
        started, cpu = time.perf_counter(), time.process_time()
        data = load_dataset(folder / "data", folder / "content", folder)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        if experiment == "gc":
            gc.enable()
        times = timing.totals()
        timing.stop()
        del data
        return seconds, cpu, times

    once(bare)  # warm up: imports and first-call costs
    # The least of three runs of each, interleaved, as in the scale series: other work on the machine
    # only ever adds time, and one run of the full data varied from 1.6 s to 2.3 s in one hour here.
    runs: dict[Path, list] = {root: [], bare: []}
    for _ in range(3):
        for folder in (root, bare):
            runs[folder].append(once(folder))
    full, full_cpu, times = min(runs[root], key=lambda run: run[0])
    without, without_cpu, times_without = min(runs[bare], key=lambda run: run[0])
    shutil.rmtree(bare)
    return {"code": 0, "full": full, "without_payments": without, "payments": max(full - without, 0.0),
            "full_cpu": full_cpu, "without_payments_cpu": without_cpu, "payments_cpu": max(full_cpu - without_cpu, 0.0),
            "times": times, "times_without": times_without, **peak_mb()}


BASELINE_ARTICLE = """Title: Record {i}
Date: {date}
Category: records

A short paragraph about record {i}: what it is, who holds it and how much it is worth.

| field | value |
|---|---|
| amount | {amount} |
| status | current |
"""


def worker_baseline(root: Path, count: int) -> dict:
    """Plain Pelican, no plugins, default theme and settings, building `count` Markdown articles."""
    from pelican import Pelican
    from pelican.settings import read_settings

    content = root / "content"
    processes.set_aside(root)
    content.mkdir(parents=True)
    day = dt.date(2020, 1, 1)
    for i in range(count):
        (content / f"record-{i:06d}.md").write_text(
            BASELINE_ARTICLE.format(i=i, date=(day + dt.timedelta(days=i % 2000)).isoformat(), amount=1000 + i),
            encoding="utf-8")
    settings_file = root / "pelicanconf.py"
    settings_file.write_text(f"PATH = {str(content)!r}\nOUTPUT_PATH = {str(root / 'output')!r}\n"
                             "TIMEZONE = 'Europe/London'\nSITEURL = ''\n", encoding="utf-8")
    import logging

    logging.getLogger("pelican").setLevel(logging.ERROR)
    started, cpu = time.perf_counter(), cpu_seconds()
    settings = read_settings(str(settings_file))
    _quietly(Pelican(settings).run)
    total, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    html = sum(1 for _ in (root / "output").rglob("*.html"))
    return {"code": 0, "total": total, "cpu": cpu, "articles": count, "html_pages": html, **peak_mb()}


def worker_main(argv: list[str]) -> int:
    kind, root, out = argv[0], Path(argv[1]), Path(argv[2])
    if kind == "build":
        result = worker_build(root, argv[3], Path(argv[4]) if len(argv) > 4 else None)
    elif kind == "validate":
        result = worker_validate(root, argv[3], argv[4] if len(argv) > 4 else "")
    elif kind == "baseline":
        result = worker_baseline(root, int(argv[3]))
    else:
        raise SystemExit(f"unknown worker {kind}")
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


# ================================================================================================
# Parent side: generate, run the children, collect their numbers into results.json.
# ================================================================================================


def run_child(kind: str, *args, log: Path) -> dict:
    out = log.with_suffix(".json")
    env = processes.environment()
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as stream:
        root, *rest = args
        process = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", kind, str(root), str(out),
                                  *map(str, rest)], stdout=stream, stderr=subprocess.STDOUT, env=env, cwd=str(REPO))
    wall = time.perf_counter() - started
    if process.returncode != 0 or not out.exists():
        return {"code": process.returncode or 99, "error": log.read_text(encoding="utf-8")[-4000:], "wall": wall}
    result = json.loads(out.read_text(encoding="utf-8"))
    result["wall"] = wall
    return result


def machine(work: Path) -> dict:
    """The machine, and the filesystem of `work`, where every build is made."""
    memory = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    try:
        import pelican

        pelican_version = pelican.__version__
    except Exception:  # noqa: BLE001  (the report says "?"; the builds will say what is wrong)
        pelican_version = "?"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                                    capture_output=True, text=True).stdout.strip())
    except OSError:
        commit, dirty = "?", False
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu, "memory_gb": round(memory, 1), "python": platform.python_version(),
        "pelican": pelican_version, "system": f"{platform.system()} {platform.release()}",
        "commit": commit + (" with uncommitted changes" if dirty else ""),
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "load": " ".join(f"{v:.1f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "",
        "filesystem": processes.filesystem(work),
    }


def profile_table(path: Path, limit: int = 25) -> str:
    """The profile as text, kept in results.json: the .prof file goes with the temporary folder."""
    import io
    import pstats

    lines = []
    for key, title in (("cumulative", "cumulative time"), ("tottime", "own time")):
        buffer = io.StringIO()
        stats = pstats.Stats(str(path), stream=buffer)
        stats.sort_stats(key).print_stats(limit)
        text = buffer.getvalue()
        text = text[text.index("   ncalls"):] if "   ncalls" in text else text
        lines += [f"Top {limit} by {title}:", "", "```", text.replace(str(REPO) + "/", "").replace(
            str(Path(sys.prefix)) + "/", "").rstrip(), "```", ""]
    return "\n".join(lines)


def finish(results: dict, markdown: Path) -> int:
    """results.json and the report beside it; 1 if a build failed or left a stage unreported."""
    markdown.parent.mkdir(parents=True, exist_ok=True)
    markdown.with_suffix(".json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    found = report.write(results, markdown)
    for problem in found:
        print(f"error: {problem}", file=sys.stderr)
    print(f"Wrote {markdown} and {markdown.with_suffix('.json').name}.", file=sys.stderr)
    return 1 if found else 0


def parse(argv: list[str] | None):
    d = synthetic.DEFAULT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--awards", type=int, default=d.awards)
    parser.add_argument("--providers", type=int, default=d.providers)
    parser.add_argument("--opportunities", type=int, default=d.opportunities)
    parser.add_argument("--payments", type=int, default=d.payments)
    parser.add_argument("--years", type=int, default=d.years, help="financial years of payments")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the sizes above (e.g. 0.1 for a quick run)")
    parser.add_argument("--series-base", default=",".join(str(v) for v in (
        SERIES_BASE.awards, SERIES_BASE.providers, SERIES_BASE.opportunities, SERIES_BASE.payments)),
        help="awards,providers,opportunities,payments of the 1x size of the series")
    parser.add_argument("--series", default="1,2,4", help="factors of the scale series; empty for none")
    parser.add_argument("--series-repeat", type=int, default=3, help="builds of each size of the series; the least time of each stage counts")
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain Pelican baseline")
    parser.add_argument("--profile", action="store_true",
                        help="also build once more under cProfile and report the hot spots; only the process that "
                             "calls cli.build is profiled, not the forked child that writes the pages or its copies")
    parser.add_argument("--experiment", choices=["gc"],
                        help="what-if for the validation measurement only: gc = no garbage collection while "
                             "load_dataset runs (see bench/findings.md); the build is never altered")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--now", default=synthetic.DEFAULT_NOW, help="the build clock (UK time)")
    parser.add_argument("--results", type=Path, default=HERE / "results.md",
                        help="where to write the report; the numbers go beside it, as .json")
    parser.add_argument("--workdir", type=Path, help="where to generate and build (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data and built sites")
    more.add_options(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        return worker_main(argv[1:])
    args = parse(argv)
    size = synthetic.Size(args.awards, args.providers, args.opportunities, args.payments, args.years).scaled(args.scale)
    series_base = synthetic.Size(*[int(v) for v in args.series_base.split(",")], args.years)
    factors = [float(v) for v in args.series.split(",") if v.strip()]
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="commissioning-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    say = functools.partial(print, file=sys.stderr, flush=True)
    results: dict = {"format": 2, "command": ".venv/bin/python bench/run.py" + "".join(" " + a for a in argv),
                     "machine": machine(work), "seed": args.seed, "now": args.now, "experiment": args.experiment or "",
                     "size": size.__dict__, "series_base": series_base.__dict__}
    try:
        say(f"Generating {size.describe()} in {work}/default ...")
        started = time.perf_counter()
        gen = synthetic.generate(work / "default", size, args.seed, args.now)
        results["generated"] = {**gen, "seconds": time.perf_counter() - started}
        say(f"  {results['generated']['seconds']:.1f}s. Validating (load_dataset alone) ...")
        validation = results["validation"] = run_child("validate", work / "default", args.now, args.experiment or "",
                                                       log=work / "validate.log")
        say(f"  {validation.get('full', 0):.1f}s, payments {validation.get('payments', 0):.1f}s." if report.ok(validation)
            else f"  validation FAILED:\n{validation.get('error', '')[-3000:]}")
        say("Building ...")
        build = results["build"] = run_child("build", work / "default", args.now, log=work / "build.log")
        if not report.ok(build):
            say(f"  the build FAILED:\n{build.get('error', '')[-3000:]}")
        else:
            say(f"  {build['html_pages']:,} pages in {build['total']:.1f}s, peak {build['peak_mb']:,.0f} MB.")
        results["baseline"] = None
        if not args.no_baseline and report.ok(build):
            say(f"Baseline: plain Pelican building {build['html_pages']:,} articles ...")
            results["baseline"] = run_child("baseline", work / "baseline", build["html_pages"], log=work / "baseline.log")
            processes.set_aside(work / "baseline")
            say(f"  {results['baseline'].get('total', 0):.1f}s.")
        if report.ok(build):
            more.at_default_size(results, work, args, say)
        more.sample(results, work, args, say)
        results["profile"] = None
        if args.profile and report.ok(build):
            say("Profiling the build ...")
            profiled = run_child("build", work / "default", args.now, work / "build.prof", log=work / "profile.log")
            if report.ok(profiled):
                results["profile"] = profile_table(work / "build.prof")
            else:
                results["profile_error"] = profiled.get("error", "")
        if not args.keep:
            processes.set_aside(work / "default")
        sizes = [(factor, series_base.scaled(factor), work / f"series-{factor:g}x") for factor in factors]
        for factor, scaled, folder in sizes:
            synthetic.generate(folder, scaled, args.seed, args.now)
        # Round by round, every size in each round: a machine that slows down for a while slows
        # every size alike, instead of whichever size was being built then.
        runs: dict[float, list[dict]] = {factor: [] for factor in factors}
        for round_ in range(1, args.series_repeat + 1):
            for factor, scaled, folder in sizes:
                say(f"Series {factor:g}x ({scaled.describe()}), run {round_} of {args.series_repeat} ...")
                result = run_child("build", folder, args.now, log=work / f"series-{factor:g}x-{round_}.log")
                runs[factor].append(result)
                say(f"  {result.get('total', 0):.1f}s" if report.ok(result)
                    else f"  FAILED: {result.get('error', '')[-1500:]}")
        results["series"] = [{"factor": factor, "size": scaled.__dict__, "runs": runs[factor]}
                             for factor, scaled, _ in sizes]
        if not args.keep:
            for _, _, folder in sizes:
                shutil.rmtree(folder, ignore_errors=True)
        end = machine(work)["load"]
        if end:
            results["machine"]["load"] = (f"{results['machine']['load']} at the start, {end} at the end "
                                          "(1, 5 and 15 minutes)")
        return finish(results, args.results)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            say(f"Kept {work}.")


if __name__ == "__main__":
    sys.exit(main())

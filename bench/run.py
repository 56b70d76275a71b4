"""Benchmark the build at scale: `make bench` (or `.venv/bin/python bench/run.py [options]`).

1. Generates a synthetic, valid data set (bench/synthetic.py) into a temporary folder.
2. Times validation alone (load_dataset, with and without the payments) in a child process.
3. Builds the whole site with the real build (commissioning.cli.build, every stage it runs) in a
   child process, timing each stage by wrapping the stage functions at run time: no project code
   is edited. Reports time per stage, pages per second and the child's peak memory.
4. Builds, as the baseline, the same number of plain Markdown articles with plain Pelican (no
   plugins, default theme and settings) in a child process, and reports our cost per page against it.
5. Repeats the build at 1x, 2x and 4x of a smaller base and flags any stage that grows faster than
   linearly.
6. Writes bench/results.md (and the raw numbers beside it as results.json).

A benchmark, not a test: it reports; it fails only if a build fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import inspect
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

import synthetic  # noqa: E402

SETTINGS_FILE = REPO / "pelicanconf.py"
SERIES_BASE = synthetic.Size(1_000, 200, 100, 20_000, 5)
TARGETS = {"ratio": 1.0, "payments_validation": 2.0, "peak_mb": 1536, "growth": 1.10}
EXPERIMENT = ""  # set by --experiment: passed to the children
SMALL = 0.25  # seconds: a stage quicker than this at 4x is too small for its growth to be judged

# ================================================================================================
# Child side: instrument the real build by wrapping its stage functions, then run it.
# ================================================================================================

TIMES: dict[str, list] = {}  # label -> [wall seconds, calls, CPU seconds of this process]
CURRENT_GENERATOR: list[str] = []


def record(label: str, seconds: float, cpu: float = 0.0, calls: int = 1) -> None:
    entry = TIMES.setdefault(label, [0.0, 0, 0.0])
    entry[0] += seconds
    entry[1] += calls
    entry[2] += cpu


def timed(label, function):
    """`function` wrapped to add its wall time to `label` (a string, or a function of the call's arguments)."""
    if getattr(function, "_bench_wrapped", False):
        return function
    name_of = label if callable(label) else (lambda *a, **k: label)
    if inspect.isgeneratorfunction(function):  # a rule: its work happens as it is iterated
        def wrapper(*args, **kwargs):
            started, cpu = time.perf_counter(), cpu_seconds()
            try:
                return (yield from function(*args, **kwargs))
            finally:
                record(name_of(*args, **kwargs), time.perf_counter() - started, cpu_seconds() - cpu)
    elif inspect.iscoroutinefunction(function):
        async def wrapper(*args, **kwargs):
            started, cpu = time.perf_counter(), cpu_seconds()
            try:
                return await function(*args, **kwargs)
            finally:
                record(name_of(*args, **kwargs), time.perf_counter() - started, cpu_seconds() - cpu)
    else:
        def wrapper(*args, **kwargs):
            started, cpu = time.perf_counter(), cpu_seconds()
            try:
                return function(*args, **kwargs)
            finally:
                record(name_of(*args, **kwargs), time.perf_counter() - started, cpu_seconds() - cpu)
    functools.update_wrapper(wrapper, function)
    wrapper._bench_wrapped = True
    return wrapper


def short_name(function) -> str:
    module = getattr(function, "__module__", "") or ""
    return f"{module.rsplit('.', 1)[-1]}.{getattr(function, '__name__', repr(function))}"


class TimedList(list):
    """A registry list (rules, page sources, file sources) whose entries are timed as they are iterated."""

    def __init__(self, items, prefix: str):
        super().__init__(items)
        self.prefix = prefix
        self._wrapped: dict[int, object] = {}

    def __iter__(self):
        for item in list.__iter__(self):
            wrapper = self._wrapped.get(id(item))
            if wrapper is None:
                wrapper = self._wrapped[id(item)] = timed(f"{self.prefix}: {short_name(item)}", item)
            yield wrapper


def _patch(module, attribute: str, label) -> None:
    if hasattr(module, attribute):
        setattr(module, attribute, timed(label, getattr(module, attribute)))


def instrument() -> None:
    """Wrap every stage of the real build with a timer. Nothing in the project is edited."""
    import pelican
    from pelican import signals
    from pelican.writers import Writer

    from commissioning import dataset, downloads, generator, load, pages, rules, validate

    loader = dataset.load_dataset
    if os.environ.get("BENCH_EXPERIMENT") == "gc":
        # What-if for the integrator: no cyclic garbage collection while loading, and the loaded data
        # frozen out of later collections (gc.freeze), so the collector stops re-scanning it.
        import gc

        def loader(*args, _load=dataset.load_dataset, **kwargs):
            gc.disable()
            try:
                return _load(*args, **kwargs)
            finally:
                gc.enable()
                gc.freeze()
    shared = timed("validation", loader)
    dataset.load_dataset = shared
    if getattr(generator, "load_dataset", None) is not None:
        generator.load_dataset = shared
    _patch(dataset, "read_dataset", "validation: read and model")
    _patch(load, "read_csv", lambda path, name, *a, **k: "read: payments CSV" if "payments" in str(name) else f"read: {name}")
    _patch(load, "read_front_matter", "read: opportunity files")
    _patch(load, "read_yaml_mapping", "read: funder.yaml")
    _patch(validate, "build_table", lambda model, *a, **k: f"model: {model.__name__} rows")
    _patch(rules, "check_all", "validation: cross-record rules")
    rules.RULES = TimedList(rules.RULES, "rule")
    pages.PAGE_SOURCES = TimedList(pages.PAGE_SOURCES, "page source")
    downloads.FILE_SOURCES = TimedList(downloads.FILE_SOURCES, "file source")
    for attribute, label in (("derive", "derive"), ("derive_spend", "spend derive"),
                             ("data_page", "page source: pages_core.data_page")):
        _patch(generator, attribute, label)
    for name, label in (("derive", "derive"), ("spend", "spend derive")):
        try:
            module = __import__(f"commissioning.{name}", fromlist=["x"])
        except Exception:  # noqa: BLE001  (a stage being written: the build will say so)
            continue
        _patch(module, name if name == "derive" else "derive_spend", label)

    # The pages are written in a child process (cli._in_own_process); its timings come back in a file.
    from commissioning import cli

    cli.write_site = _reporting_times(cli.write_site)
    # Pages are written by forked copies of that child on a machine with several cores (workers.py).
    try:
        from commissioning import workers
    except ImportError:  # an older checkout
        workers = None
    if workers is not None:
        workers._copy = _reporting_times(workers._copy)
    if hasattr(generator.CommissioningGenerator, "_write_files"):
        generator.CommissioningGenerator._write_files = timed("writing data files", generator.CommissioningGenerator._write_files)

    # Post-processing: every function in postprocess.py and search.py, whatever they are called.
    cache: dict[int, object] = {}
    for name in ("postprocess", "search"):
        try:
            module = __import__(f"commissioning.{name}", fromlist=["x"])
        except Exception:  # noqa: BLE001
            continue
        for attribute, value in list(vars(module).items()):
            if inspect.isfunction(value) and (value.__module__ or "").startswith("commissioning."):
                if id(value) not in cache:
                    cache[id(value)] = timed(f"post-process: {short_name(value)}", value)
                setattr(module, attribute, cache[id(value)])

    # Which generator is running, so rendering is told apart from Pelican's own pages.
    original_classes = pelican.Pelican._get_generator_classes

    def generator_classes(self):
        classes = original_classes(self)
        for cls in classes:
            for method in ("generate_context", "generate_output"):
                function = cls.__dict__.get(method)
                if function is None or getattr(function, "_bench_wrapped", False):
                    continue
                setattr(cls, method, _generator_method(cls.__name__, method, function))
        return classes

    pelican.Pelican._get_generator_classes = generator_classes
    Writer.write_file = timed(
        lambda self, name, template, *a, **k: f"render[{CURRENT_GENERATOR[-1] if CURRENT_GENERATOR else '?'}]: "
                                              f"{getattr(template, 'name', template)}",
        Writer.write_file)
    pelican.Pelican.__init__ = timed("pelican: settings, plugins and set-up", pelican.Pelican.__init__)
    signals.finalized.send = timed("finalized signal (post-process)", signals.finalized.send)
    signals.all_generators_finalized.send = timed("pelican: all_generators_finalized", signals.all_generators_finalized.send)


def _generator_method(class_name: str, method: str, function):
    def wrapper(self, *args, **kwargs):
        CURRENT_GENERATOR.append(class_name)
        started, cpu = time.perf_counter(), cpu_seconds()
        try:
            return function(self, *args, **kwargs)
        finally:
            record(f"generator: {class_name}.{method}", time.perf_counter() - started, cpu_seconds() - cpu)
            CURRENT_GENERATOR.pop()
    wrapper._bench_wrapped = True
    functools.update_wrapper(wrapper, function)
    return wrapper


def overrides(root: Path, now: str) -> dict:
    return {
        "PATH": str(root / "content"),
        "COMMISSIONING_ROOT": str(root),
        "OUTPUT_PATH": str(root / "output"),
        "COMMISSIONING_NOW": now,
    }


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the search indexer), user and system."""
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
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.wait(self.interval):
            try:
                self.peak = max(self.peak, self.sample())
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
        total, todo = 0, [(os.getpid(), 0)]
        while todo:
            pid, depth = todo.pop()
            try:
                resident = self._resident(pid)
                total += resident
                if pid not in self.each:  # named once: reading /proc every sample for every process is waste
                    self.each[pid] = [_process_name(pid), 0, depth]
                self.each[pid][1] = max(self.each[pid][1], resident)
            except (OSError, ValueError, IndexError):
                pass
            todo.extend((child, depth + 1) for child in children.get(pid, ()))
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
    a process of postprocess.minify_site's pool, else the process's name."""
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    if b"pagefind" in command:
        return "pagefind"
    return "minifying worker" if b"spawn_main" in command else name


def _child_times_file() -> Path:
    """Where a child of this benchmark's build writes its timings: one file for each child process."""
    return Path(tempfile.gettempdir()) / f"bench-times-{BENCH_PID}-{os.getpid()}.json"


BENCH_PID = os.getpid()


def _reporting_times(function):
    """`function` wrapped so that, run in a child of this process, it writes that child's timings to a
    file this process reads back (`_merge_child_times`)."""
    here = os.getpid()

    def wrapper(*args, **kwargs):
        if os.getpid() == here:
            return function(*args, **kwargs)
        TIMES.clear()  # a copy of the parent's, made by fork: keep only the child's own
        try:
            return function(*args, **kwargs)
        finally:
            _child_times_file().write_text(json.dumps(TIMES), encoding="utf-8")

    functools.update_wrapper(wrapper, function)
    return wrapper


def _merge_child_times() -> None:
    for report in sorted(Path(tempfile.gettempdir()).glob(f"bench-times-{BENCH_PID}-*.json")):
        for label, (wall, calls, cpu) in json.loads(report.read_text(encoding="utf-8")).items():
            record(label, wall, cpu, calls)
        report.unlink()


def _quietly(function, *args, **kwargs):
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = function(*args, **kwargs)
    return code, out.getvalue(), err.getvalue()


def worker_build(root: Path, now: str, profile: Path | None = None) -> dict:
    import pelican  # noqa: F401  (imported before the clock starts, as for the baseline)

    from commissioning import cli

    instrument()
    output = root / "output"
    if output.exists():
        shutil.rmtree(output)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
        # The pages are written in a forked child, which this profiler would not see: write them here.
        cli._in_own_process = lambda function, *args: function(*args)
    with TreeMemory() as memory:
        started, cpu = time.perf_counter(), cpu_seconds()
        code, out, err = _quietly(cli.build, SETTINGS_FILE, overrides=overrides(root, now), quiet=True)
        total, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    _merge_child_times()
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile))
    html = sum(1 for _ in output.rglob("*.html")) if code == 0 else 0
    files = [p for p in output.rglob("*") if p.is_file()] if code == 0 else []
    return {"code": code, "error": (err or out)[-4000:] if code else "", "total": total, "cpu": cpu, "html_pages": html,
            "files": len(files), "bytes": sum(p.stat().st_size for p in files),
            "times": TIMES, "tree_peak_mb": round(memory.peak / 2**20, 1), **peak_mb(),
            "process_peaks_mb": _process_peaks(memory)}


def _process_peaks(memory: "TreeMemory") -> list[list]:
    """The peak of each process the build started, largest first: [name, MB], with the page-writing
    child (Python, forked by cli.build) and its forked copies (workers.py) named for what they do."""
    own = os.getpid()
    peaks = []
    for pid, (name, peak, depth) in memory.each.items():
        if pid == own or peak < 32 * 2**20:  # this process is reported apart; tiny helpers are noise
            continue
        if name.startswith("python"):
            name = "page-writing process" if depth == 1 else "page-writing copy"
        peaks.append([name, round(peak / 2**20, 1)])
    return sorted(peaks, key=lambda p: -p[1])


def worker_validate(root: Path, now: str) -> dict:
    """load_dataset on the full data, then on the same data without its payments: the difference is the payments' cost."""
    import pelican  # noqa: F401

    from commissioning import dataset, settings as plugin_settings

    instrument()
    bare = root.parent / (root.name + "-no-payments")
    if bare.exists():
        shutil.rmtree(bare)
    (bare / "data" / "payments").mkdir(parents=True)
    for name in ("funder.yaml", "providers.csv", "awards.csv", "opportunities"):
        (bare / "data" / name).symlink_to(root / "data" / name)
    (bare / "content").symlink_to(root / "content")

    def once(folder: Path) -> float:
        from pelican.settings import read_settings

        config = plugin_settings.from_pelican(read_settings(str(SETTINGS_FILE), override=overrides(folder, now)))
        started, cpu = time.perf_counter(), time.process_time()
        data = dataset.load_dataset(config.data_dir, config.content_dir, config.root)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        del data
        return seconds, cpu

    once(bare)  # warm up: imports and first-call costs
    # The least of three runs of each, interleaved, as in the scale series: other work on the machine
    # only ever adds time, and one run of the full data varied from 1.6 s to 2.3 s in one hour here.
    runs: dict[Path, list] = {root: [], bare: []}
    details: dict[Path, list] = {root: [], bare: []}
    for _ in range(3):
        for folder in (root, bare):
            TIMES.clear()
            runs[folder].append(once(folder))
            details[folder].append(dict(TIMES))
    def fastest(folder: Path) -> tuple[tuple[float, float], dict]:  # the run with the least wall time, and its detail
        index = min(range(len(runs[folder])), key=lambda i: runs[folder][i][0])
        return runs[folder][index], details[folder][index]

    (full, full_cpu), detail = fastest(root)
    (without, without_cpu), detail_without = fastest(bare)
    shutil.rmtree(bare)
    return {"code": 0, "full": full, "without_payments": without, "payments": max(full - without, 0.0),
            "full_cpu": full_cpu, "without_payments_cpu": without_cpu, "payments_cpu": max(full_cpu - without_cpu, 0.0),
            "times": detail, "times_without": detail_without, **peak_mb()}


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
    if root.exists():
        shutil.rmtree(root)
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
        result = worker_validate(root, argv[3])
    elif kind == "baseline":
        result = worker_baseline(root, int(argv[3]))
    else:
        raise SystemExit(f"unknown worker {kind}")
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


# ================================================================================================
# Parent side: generate, run the children, report.
# ================================================================================================


def run_child(kind: str, *args, log: Path) -> dict:
    out = log.with_suffix(".json")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "plugins"), str(REPO / "tools")]),
           "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SITE_NOW", None)
    if EXPERIMENT:
        env["BENCH_EXPERIMENT"] = EXPERIMENT
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


def stages(build: dict, column: int = 0) -> list[tuple[str, float, str]]:
    """The build's wall time (column 0) or CPU time (column 2) split into exclusive stages: (stage, seconds, detail)."""
    t = {k: (v[column] if len(v) > column else 0.0) for k, v in build["times"].items()}
    n = {k: v[1] for k, v in build["times"].items()}

    def total(prefix: str, exclude: str | None = None) -> float:
        return sum(v for k, v in t.items() if k.startswith(prefix) and not (exclude and exclude in k))

    ours = "CommissioningGenerator"
    validation = t.get("validation", 0.0)
    derive = t.get("derive", 0.0)
    spend = t.get("spend derive", 0.0)
    page_sources = total("page source:")
    downloads = total("file source:", exclude="threesixtygiving")
    giving = total("file source: threesixtygiving")
    context = t.get(f"generator: {ours}.generate_context", 0.0)
    rendered = sum(v for k, v in n.items() if k.startswith(f"render[{ours}]"))
    output = t.get(f"generator: {ours}.generate_output", 0.0)
    # Pages may be written by several processes at once: the stage is what is left of writing
    # everything once the data files are written, not the sum of each page's time.
    files_written = t.get("writing data files")
    render = max(output - files_written, 0.0) if files_written is not None else total(f"render[{ours}]")
    pelican_own = sum(v for k, v in t.items() if k.startswith("generator:") and ours not in k)
    post = {k.removeprefix("post-process: "): v for k, v in t.items() if k.startswith("post-process:")}
    # postprocess.run is the finalized signal's part (sitemap, minify); postprocess.index the search index after it.
    post_total = (post.get("postprocess.run", 0.0) + post.get("postprocess.index", 0.0)) or max(post.values(), default=0.0)
    minify = max((v for k, v in post.items() if "minif" in k.lower()), default=0.0)
    search = max((v for k, v in post.items() if any(w in k.lower() for w in ("search", "pagefind", "index"))), default=0.0)
    finalized = t.get("finalized signal (post-process)", 0.0)
    setup = t.get("pelican: settings, plugins and set-up", 0.0)
    rows = [
        ("settings, plugins and Pelican set-up", setup, ""),
        ("validation (load_dataset)", validation, "read, model and check every data file"),
        ("derive", derive, "views, statuses, relations"),
        ("spend derive", spend, "pandas"),
        ("page sources", page_sources, f"{sum(1 for k in t if k.startswith('page source:'))} functions making the page lists"),
        ("downloads (file sources)", downloads, f"{sum(1 for k in t if k.startswith('file source:') and 'threesixtygiving' not in k)} functions"),
        ("360Giving", giving, "threesixtygiving file sources"),
        ("rest of generate_context", max(context - validation - derive - spend - page_sources - downloads - giving, 0.0), ""),
        ("pages rendering (ours)", render, f"{rendered:,} pages through Jinja, written by Pelican's writer, on every core"),
        ("writing data files", max(output - render, 0.0), "downloads and other files written to disk"),
        ("Pelican's own generators", pelican_own, "content/ pages, static files"),
        ("minify", minify, ""),
        ("search index", search, ""),
        ("rest of post-processing", max(max(post_total, finalized) - minify - search, 0.0), "other finalized receivers"),
    ]
    accounted = sum(r[1] for r in rows)
    whole = build["total"] if column == 0 else build.get("cpu", 0.0)
    rows.append(("other (settings read, swap into place, ...)", max(whole - accounted, 0.0), ""))
    return rows


def machine() -> dict:
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
    except Exception:  # noqa: BLE001
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
    }


def profile_table(path: Path, limit: int = 25) -> str:
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


def fmt(seconds: float) -> str:
    return f"{seconds:.2f}"


def best_of(results: list[dict]) -> dict:
    """Several builds of the same data as one: each stage's and the total's least time, the greatest peak.

    The least of a few runs is the measure least disturbed by whatever else the machine was doing;
    single runs on a shared machine flagged a different stage as growing too fast each time.
    """
    if any(r.get("code") != 0 for r in results):
        return next(r for r in results if r.get("code") != 0)
    def least(label: str) -> list:  # [wall, calls, CPU]: the least wall and CPU; calls are the same in every run
        entries = [r["times"].get(label, [0.0, 0, 0.0]) for r in results]
        return [min(e[0] for e in entries), entries[0][1], min(e[2] for e in entries)]

    best = dict(results[0])
    best["times"] = {label: least(label) for label in set().union(*(r["times"] for r in results))}
    for key in ("total", "cpu"):
        best[key] = min(r[key] for r in results)
    for key in ("peak_mb", "tree_peak_mb"):
        best[key] = max(r.get(key, 0.0) for r in results)
    best["runs"] = len(results)
    return best


def growth_flags(series: list[tuple[float, object, dict]]) -> list[tuple[str, float]]:
    """Stages whose CPU time grows faster than the data between the first and last size (and the whole build)."""
    first_factor, _, first = series[0]
    last_factor, _, last = series[-1]
    k = last_factor / first_factor
    flags = []
    first_rows, last_rows = dict((r[0], r[1]) for r in stages(first, 2)), dict((r[0], r[1]) for r in stages(last, 2))
    for name, seconds in last_rows.items():
        base = first_rows.get(name, 0.0)
        if seconds >= SMALL and base > 0 and seconds / base > k * TARGETS["growth"]:
            flags.append((name, seconds / base))
    # Judged on CPU time: wall time follows whatever else the machine was doing during each build.
    if first.get("cpu") and last.get("cpu", 0) / first["cpu"] > k * TARGETS["growth"]:
        flags.append(("whole build (CPU)", last["cpu"] / first["cpu"]))
    return flags


def report(args, command: str, info: dict, size, series_base, gen: dict, validation: dict, build: dict,
           baseline: dict | None, series: list[tuple[float, object, dict]], profile: Path | None) -> tuple[str, dict]:
    lines: list[str] = []
    add = lines.append
    summary: dict = {"machine": info, "command": command, "size": size.__dict__, "generated": gen}
    add("# Build benchmark")
    add("")
    add("Made by `make bench` (bench/run.py); run it again after adding a stage. A benchmark, not a test: it reports, "
        "and fails only when a build fails. Every build runs in a fresh child process. Wall time is what a person "
        "waits; CPU time (user + system, of the process and the programs it starts) is shown beside it because other "
        "work on a shared machine disturbs it less: compare CPU times between runs.")
    add("")
    add(f"Command: `{command}`")
    add("")
    add("| machine | |")
    add("|---|---|")
    add(f"| date | {info['date']} |")
    add(f"| cores | {info['cores']} ({info['cpu']}) |")
    add(f"| memory | {info['memory_gb']} GB |")
    add(f"| Python | {info['python']} |")
    add(f"| Pelican | {info['pelican']} |")
    add(f"| system | {info['system']} |")
    add(f"| code | commit {info['commit']} |")
    if info.get("load"):
        add(f"| load average | {info['load']} |")
    add("")

    ok = build.get("code") == 0
    pages = build.get("html_pages", 0)
    total, cpu = build.get("total", 0.0), build.get("cpu", 0.0)
    ratio = ratio_cpu = None
    if ok and baseline and baseline.get("code") == 0 and pages:
        ratio = (total / pages) / (baseline["total"] / baseline["articles"])
        ratio_cpu = (cpu / pages) / (baseline["cpu"] / baseline["articles"]) if baseline.get("cpu") else None
    valid = validation.get("code") == 0
    pay = validation.get("payments") if valid else None
    own_peak = build.get("peak_mb", 0.0)
    peak = max(own_peak, build.get("tree_peak_mb", 0.0))
    series_ok = len(series) >= 2 and all(r.get("code") == 0 for _, _, r in series)
    flags = growth_flags(series) if series_ok else []

    def verdict(met: bool | None) -> str:
        return "n/a" if met is None else ("yes" if met else "**no**")

    add("## Targets")
    add("")
    add(f"At the default size ({size.describe()}):")
    add("")
    add("| target | result | met |")
    add("|---|---|---|")
    add(f"| cost per page no more than plain Pelican's (ratio <= {TARGETS['ratio']}) | "
        + (f"ratio {ratio:.2f} (CPU time: {ratio_cpu:.2f})" if ratio is not None and ratio_cpu is not None
           else "not measured")
        + f" | {verdict(None if ratio is None else ratio <= TARGETS['ratio'])} |")
    add(f"| validation of {size.payments:,} payments under {TARGETS['payments_validation']:.0f} s | "
        + (f"{pay:.2f} s (CPU {validation['payments_cpu']:.2f} s)" if pay is not None else "not measured")
        + f" | {verdict(None if pay is None else pay < TARGETS['payments_validation'])} |")
    add(f"| peak memory under {TARGETS['peak_mb'] / 1024:.1f} GB | {peak:,.0f} MB (build process and the programs it "
        f"runs, together; the largest single process: {max([own_peak] + [mb for _, mb in build.get('process_peaks_mb', [])]):,.0f} MB) | "
        f"{verdict(peak < TARGETS['peak_mb'] if ok else None)} |")
    if series:
        k = series[-1][0] / series[0][0]
        text = ("no stage grows faster" if not flags else ", ".join(f"{n}: {g:.2f}x" for n, g in flags)) \
            if series_ok else "not measured"
        add(f"| linear within {round((TARGETS['growth'] - 1) * 100)} % (time at {series[-1][0]:g}x / {series[0][0]:g}x "
            f"<= {k:g} x {TARGETS['growth']:.2f} = {k * TARGETS['growth']:.2f}) | {text} | "
            f"{verdict(None if not series_ok else not flags)} |")
    else:
        add("| linear within 10 % | not measured | n/a |")
    add("")
    summary["targets"] = {"ratio": ratio, "ratio_cpu": ratio_cpu, "payments_validation": pay,
                          "payments_validation_cpu": validation.get("payments_cpu") if valid else None,
                          "peak_mb": peak, "superlinear": flags if series_ok else None}

    add("## The build at the default size")
    add("")
    add(f"Synthetic data: {gen['providers']:,} providers, {gen['awards']:,} awards, {gen['opportunities']:,} "
        f"opportunities, {gen['payments']:,} payments in {gen['payment_files']} files (seed {args.seed}, clock "
        f"{args.now}); generated in {gen['seconds']:.1f} s by `bench/synthetic.py`.")
    add("")
    if not ok:
        add("**The build failed**, so there are no build timings. Its report ends:")
        add("")
        add("```")
        add(build.get("error", "").strip()[-3000:])
        add("```")
        add("")
    else:
        add(f"Built **{pages:,} HTML pages** ({build['files']:,} files, {build['bytes'] / 1e6:,.0f} MB) in "
            f"**{total:.1f} s** wall ({cpu:.1f} s CPU): **{pages / total:,.0f} pages per second**, "
            f"{total / pages * 1000:.1f} ms per page. Peak memory: **{peak:,.0f} MB** for the build process and "
            f"the programs it runs, together (proportional set size summed, sampled every 0.2 s); the build process "
            f"itself peaked at {own_peak:,.0f} MB"
            + (", and the processes it started, each at its own peak: "
               + ", ".join(f"{name} {mb:,.0f} MB" for name, mb in build["process_peaks_mb"]) + "."
               if build.get("process_peaks_mb") else
               f", the largest program it started at {build['children_peak_mb']:,.0f} MB (ru_maxrss)."
               if build.get("children_peak_mb") else "."))
        add("")
        add("### Time per stage")
        add("")
        add("Exclusive stages of one `commissioning.cli.build`: each second is counted once, so they add up to "
            "the total.")
        add("")
        add("| stage | wall (s) | share | CPU (s) | detail |")
        add("|---|---:|---:|---:|---|")
        rows, cpu_rows = stages(build), dict((r[0], r[1]) for r in stages(build, 2))
        for name, seconds, detail in rows:
            add(f"| {name} | {fmt(seconds)} | {seconds / total * 100:.0f} % | {fmt(cpu_rows.get(name, 0.0))} | {detail} |")
        add(f"| **total** | **{fmt(total)}** | 100 % | **{fmt(cpu)}** | |")
        add("")
        summary["stages"] = {name: seconds for name, seconds, _ in rows}
        summary["stages_cpu"] = cpu_rows
        summary["build"] = {k: build.get(k) for k in ("total", "cpu", "html_pages", "files", "bytes", "peak_mb",
                                                      "children_peak_mb", "tree_peak_mb")}
        detail_rows = sorted(((k, v) for k, v in build["times"].items()
                              if k.split(":")[0] in ("page source", "file source", "post-process")
                              or k.startswith("render[")), key=lambda kv: kv[0])
        add("### Detail: each page source, file source, template and post-processing function")
        add("")
        add("Post-processing functions may call one another, so their rows overlap. Pages are written by "
            "several processes at once (one a core): a template's row adds up its time in each of them.")
        add("")
        add("| function or template | calls | wall (s) | CPU (s) | wall per call (ms) |")
        add("|---|---:|---:|---:|---:|")
        for name, value in detail_rows:
            seconds, calls, used = (list(value) + [0.0])[:3]
            add(f"| {name} | {calls:,} | {fmt(seconds)} | {fmt(used)} | {seconds / calls * 1000:.2f} |")
        add("")

    add("### Validation")
    add("")
    if valid:
        add(f"`commissioning.dataset.load_dataset` alone, in its own process, the fastest of three runs of each (peak memory "
            f"{validation['peak_mb']:,.0f} MB):")
        add("")
        add("| part | wall (s) | CPU (s) |")
        add("|---|---:|---:|")
        add(f"| whole data set | {fmt(validation['full'])} | {fmt(validation['full_cpu'])} |")
        add(f"| the same without the payments files | {fmt(validation['without_payments'])} | "
            f"{fmt(validation['without_payments_cpu'])} |")
        add(f"| **the {size.payments:,} payments (difference)** | **{fmt(validation['payments'])}** | "
            f"**{fmt(validation['payments_cpu'])}** |")
        add("")
        add("Where the time goes in the whole data set (rows overlap: reading and modelling are inside "
            "'read and model', each rule is inside 'cross-record rules'):")
        add("")
        add("| function | calls | wall (s) | CPU (s) |")
        add("|---|---:|---:|---:|")
        for name, value in sorted(validation["times"].items(), key=lambda kv: -kv[1][0]):
            seconds, calls, used = (list(value) + [0.0])[:3]
            if seconds >= 0.005:
                add(f"| {name} | {calls:,} | {fmt(seconds)} | {fmt(used)} |")
        add("")
        summary["validation"] = {k: validation.get(k) for k in ("full", "without_payments", "payments", "full_cpu",
                                                               "without_payments_cpu", "payments_cpu", "peak_mb")}
    else:
        add("Validation failed:")
        add("")
        add("```")
        add(validation.get("error", "").strip()[-3000:])
        add("```")
        add("")

    add("## Baseline: plain Pelican")
    add("")
    if baseline and baseline.get("code") == 0:
        per = baseline["total"] / baseline["articles"]
        add(f"Plain Pelican {info['pelican']}, no plugins, default theme and settings, building "
            f"{baseline['articles']:,} Markdown articles, one short paragraph and a small table each, as many as our "
            f"build writes HTML pages (it also writes its index, archive, category and feed pages: "
            f"{baseline['html_pages']:,} HTML pages), in {baseline['total']:.1f} s wall ({baseline['cpu']:.1f} s CPU): "
            f"{per * 1000:.1f} ms per article; peak memory {baseline['peak_mb']:,.0f} MB.")
        add("")
        if ratio is not None:
            add(f"Ours: {total / pages * 1000:.1f} ms per page, everything included (validation, spend, downloads, "
                f"minifying, search index). **Ratio ours / plain: {ratio:.2f}** wall, {ratio_cpu:.2f} CPU "
                f"(target <= {TARGETS['ratio']}).")
            add("")
        summary["baseline"] = {k: baseline.get(k) for k in ("total", "cpu", "articles", "html_pages", "peak_mb")}
    else:
        add("Not measured." if not baseline else
            f"The baseline failed:\n\n```\n{baseline.get('error', '')[-2000:]}\n```")
        add("")

    add("## Scale series")
    add("")
    if series:
        runs = series[0][2].get("runs", 1)
        add(f"The base (1x) is {series_base.describe()}; each size is a fresh synthetic data set built in its own "
            f"process" + (f", {runs} times: each stage's least CPU time of the {runs} runs counts" if runs > 1 else "")
            + f". Stages are compared on CPU time. A stage is flagged when it grows more than "
            f"{round((TARGETS['growth'] - 1) * 100)} % faster than the data and takes at least {SMALL} s CPU at the "
            f"largest size (smaller stages are too noisy to judge).")
        add("")
        if series_ok:
            names = [r[0] for r in stages(series[0][2])]
            per_size = [dict((r[0], r[1]) for r in stages(res, 2)) for _, _, res in series]
            header = " | ".join(f"{f:g}x" for f, _, _ in series)
            k = series[-1][0] / series[0][0]
            last, first = f"{series[-1][0]:g}x", f"{series[0][0]:g}x"
            add(f"| stage (CPU s) | {header} | {last} / {first} | |")
            add("|---|" + "---:|" * len(series) + "---:|---|")
            flagged = {n for n, _ in flags}
            for name in names:
                values = [d.get(name, 0.0) for d in per_size]
                growth = values[-1] / values[0] if values[0] else None
                mark = "**faster than linear**" if name in flagged else (
                    "(too small to judge)" if values[-1] < SMALL else "")
                add(f"| {name} | " + " | ".join(fmt(v) for v in values)
                    + f" | {'%.2f' % growth if growth is not None else '-'} | {mark} |")
            for key, label in (("cpu", "CPU"), ("total", "wall")):
                values = [res.get(key, 0.0) for _, _, res in series]
                grew = values[-1] / values[0] if values[0] else 0.0
                add(f"| **total, {label}** | " + " | ".join(f"**{fmt(v)}**" for v in values)
                    + f" | **{grew:.2f}** | {'**faster than linear**' if f'whole build ({label})' in flagged else ''} |")
            add(f"| HTML pages | " + " | ".join(f"{res['html_pages']:,}" for _, _, res in series) + " | | |")
            add(f"| wall ms per page | "
                + " | ".join(f"{res['total'] / res['html_pages'] * 1000:.1f}" for _, _, res in series) + " | | |")
            add(f"| peak memory, all processes (MB) | "
                + " | ".join(f"{max(res['peak_mb'], res.get('tree_peak_mb', 0)):,.0f}" for _, _, res in series) + " | | |")
            add("")
            add(f"Linear growth is {k:g}x from {first} to {last}. Fixed costs (starting Pelican, content/ pages, "
                "templates compiled once) make the smallest size relatively dear, so less than that is expected; "
                f"a stage dominated by sorting grows as n log n, about {k * 1.14:.1f}x over this range.")
            summary["series"] = [{"factor": f, "size": s.__dict__, "total": r["total"], "cpu": r.get("cpu"),
                                  "html_pages": r["html_pages"], "peak_mb": r["peak_mb"],
                                  "tree_peak_mb": r.get("tree_peak_mb"),
                                  "stages_cpu": dict((x[0], x[1]) for x in stages(r, 2))} for f, s, r in series]
        else:
            for factor, _, result in series:
                if result.get("code") != 0:
                    add(f"The build at {factor:g}x failed:\n\n```\n{result.get('error', '')[-2000:]}\n```\n")
        add("")
    else:
        add("Not measured.")
        add("")

    if profile and profile.exists():
        add("## Profile of the build (cProfile)")
        add("")
        add("The default-size build run once more under cProfile, which slows it down: compare functions with "
            "each other, not with the timings above.")
        add("")
        add(profile_table(profile))

    findings = HERE / "findings.md"
    if findings.exists():
        add(findings.read_text(encoding="utf-8").strip())
        add("")
    return "\n".join(lines), summary


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
    parser.add_argument("--profile", action="store_true", help="also build once more under cProfile and report the hot spots")
    parser.add_argument("--experiment", choices=["gc"], help="what-if: gc = no garbage collection while loading, "
                        "then gc.freeze() (see bench/findings.md)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--now", default=synthetic.DEFAULT_NOW, help="the build clock (UK time)")
    parser.add_argument("--results", type=Path, default=HERE / "results.md", help="where to write the report")
    parser.add_argument("--workdir", type=Path, help="where to generate and build (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data and built sites")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        return worker_main(argv[1:])
    args = parse(argv)
    global EXPERIMENT
    EXPERIMENT = args.experiment or ""
    size = synthetic.Size(args.awards, args.providers, args.opportunities, args.payments, args.years).scaled(args.scale)
    base_numbers = [int(v) for v in args.series_base.split(",")]
    series_base = synthetic.Size(*base_numbers, args.years)
    factors = [float(v) for v in args.series.split(",") if v.strip()]
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="commissioning-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    command = ".venv/bin/python bench/run.py" + ("" if not argv else " " + " ".join(argv))
    say = functools.partial(print, file=sys.stderr, flush=True)
    info = machine()
    try:
        say(f"Generating {size.describe()} in {work}/default ...")
        started = time.perf_counter()
        gen = synthetic.generate(work / "default", size, args.seed, args.now)
        gen["seconds"] = time.perf_counter() - started
        say(f"  {gen['seconds']:.1f}s. Validating (load_dataset alone) ...")
        validation = run_child("validate", work / "default", args.now, log=work / "validate.log")
        say(f"  {validation.get('full', 0):.1f}s, payments {validation.get('payments', 0):.1f}s. Building ...")
        build = run_child("build", work / "default", args.now, log=work / "build.log")
        if build.get("code") != 0:
            say(f"  the build FAILED:\n{build.get('error', '')[-3000:]}")
        else:
            say(f"  {build['html_pages']:,} pages in {build['total']:.1f}s, peak {build['peak_mb']:,.0f} MB.")
        baseline = None
        if not args.no_baseline and build.get("code") == 0:
            say(f"Baseline: plain Pelican building {build['html_pages']:,} articles ...")
            baseline = run_child("baseline", work / "baseline", build["html_pages"], log=work / "baseline.log")
            shutil.rmtree(work / "baseline", ignore_errors=True)
            say(f"  {baseline.get('total', 0):.1f}s.")
        profile = None
        if args.profile and build.get("code") == 0:
            say("Profiling the build ...")
            profile = work / "build.prof"
            run_child("build", work / "default", args.now, profile, log=work / "profile.log")
        if not args.keep:
            shutil.rmtree(work / "default", ignore_errors=True)
        series = []
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
                say(f"  {result.get('total', 0):.1f}s" if result.get("code") == 0 else f"  FAILED: {result.get('error', '')[-1500:]}")
        for factor, scaled, folder in sizes:
            series.append((factor, scaled, best_of(runs[factor])))
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
        end = machine()["load"]
        info["load"] = f"{info['load']} at the start, {end} at the end (1, 5 and 15 minutes)" if end else ""
        text, summary = report(args, command, info, size, series_base, gen, validation, build, baseline, series, profile)
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(text, encoding="utf-8")
        args.results.with_suffix(".json").write_text(json.dumps(summary, indent=1, default=str), encoding="utf-8")
        say(f"Wrote {args.results}.")
        failed = build.get("code") != 0 or any(r.get("code") != 0 for _, _, r in series)
        return 1 if failed else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            say(f"Kept {work}.")


if __name__ == "__main__":
    sys.exit(main())

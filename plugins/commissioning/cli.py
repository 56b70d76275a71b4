"""The commands staff and CI run: `python -m commissioning check|build|serve|contract`.

`build` writes the whole site into a fresh folder beside output/ and swaps it in only when every
stage has succeeded, so a mistake in the data never leaves a half-built or broken site behind.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import io
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

from . import timing, workers
from .problems import DataError, Problem

log = logging.getLogger("commissioning")


class _Counter(logging.Handler):
    """Turns every warning or error Pelican logs into a problem: a warning on the public site is a fault."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _settings(settings_file: Path, overrides: dict | None = None) -> dict:
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override=overrides or {})


def check(settings_file: Path, github: bool = False, overrides: dict | None = None) -> int:
    """Validate data/ and content/ without building: the fast feedback."""
    from . import settings as plugin_settings
    from .load.loader import load_dataset

    try:
        config = plugin_settings.parsed(_settings(settings_file, overrides))
        dataset = load_dataset(config.data_dir, config.content_dir, config.root)
    except plugin_settings.SettingsError as exc:
        print(f"{settings_file.name}: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        _report(exc.problems, github)
        return 1
    count = len(dataset.awards) + len(dataset.providers) + len(dataset.opportunities)
    payments = sum(len(p) for p in dataset.payments.values())
    print(f"No problems found in {count} records and {payments} payments.")
    return 0


def _report(problems: list[Problem], github: bool) -> None:
    print(DataError(problems).report(), file=sys.stderr)
    if github:
        for problem in sorted(set(problems)):
            print(problem.github_annotation())


def build(settings_file: Path, output: Path | None = None, github: bool = False, quiet: bool = False,
          overrides: dict | None = None) -> int:
    """Build the site into a temporary folder, index it for search, then swap it in for the output folder."""
    from . import postprocess

    try:
        with timing.stage("settings"):
            settings = _settings(settings_file, overrides)
    except Exception as exc:  # a broken settings file is a message, not a traceback
        print(f"{settings_file.name}: cannot be read: {exc}", file=sys.stderr)
        return 2
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{target.name}.building-", dir=target.parent))
    started = time.perf_counter()
    overrides = {**(overrides or {}), "OUTPUT_PATH": str(staging)}
    code = _in_own_process(write_site, settings_file, overrides, github)
    if code == 0:
        try:
            postprocess.index(staging, settings)
        except postprocess.PostprocessError as exc:
            print(f"{exc}\nNothing was published.", file=sys.stderr)
            code = 3
    if code != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return code
    _swap(staging, target)
    if not quiet:
        pages = sum(1 for _ in target.rglob("*.html"))
        print(f"Built {pages} pages into {target} in {time.perf_counter() - started:.1f}s.")
    return 0


def write_site(settings_file: Path, overrides: dict, github: bool) -> int:
    """Every page and file of the site, written into OUTPUT_PATH by Pelican: all but the search index."""
    from pelican import Pelican

    from . import settings as plugin_settings

    counter = _Counter()
    pelican_log = logging.getLogger("pelican")
    pelican_log.addHandler(counter)
    try:
        with timing.stage("settings"):
            settings = _settings(settings_file, overrides)
        # Pelican's own work (its Markdown pages, static files) is in no stage: what the stages leave.
        Pelican(settings).run()
        if counter.messages:
            raise DataError([Problem(settings_file.name, 0, "pelican", m) for m in counter.messages])
    except DataError as exc:
        _report(exc.problems, github)
        return 1
    except plugin_settings.SettingsError as exc:
        print(f"settings: {exc}", file=sys.stderr)
        return 2
    except Exception:
        traceback.print_exc()
        print("The build failed inside the site generator itself (a bug, not a problem in your data); "
              "nothing was published.", file=sys.stderr)
        return 3
    finally:
        pelican_log.removeHandler(counter)
    return 0


def _in_own_process(function, *args) -> int:
    """function(*args), an exit code, run in a child process where that is safe; its output relayed.

    Why: Pelican keeps every page, and through them the whole data set, until its process ends,
    and the search indexer then needs about as much memory again. Run one after the other in
    separate processes, the build's peak is the larger of the two, not their sum. A forked child
    inherits everything already set up; fork is dependable on Linux only, so elsewhere the
    function runs here. Output is captured in the child and printed here, so whoever captures
    this process's output (a test, the benchmark) sees it.
    """
    if not sys.platform.startswith("linux"):
        return function(*args)
    try:
        code, out, err = workers.forked(_captured, function, *args).result()
    except workers.Stopped as exc:
        print(f"The build {exc}; nothing was published.", file=sys.stderr)
        return 3
    sys.stdout.write(out)
    sys.stderr.write(err)
    return code


def _captured(function, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = function(*args)
    return code, out.getvalue(), err.getvalue()


def _swap(staging: Path, target: Path) -> None:
    """Replace target with staging in two renames, so output/ is whole at every moment but one."""
    retired = None
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix=f"{target.name}.old-", dir=target.parent))
        retired.rmdir()
        target.rename(retired)
    staging.rename(target)
    target.chmod(0o755)  # mkdtemp made it private; the web server must read it
    if retired:
        shutil.rmtree(retired, ignore_errors=True)


def _snapshot(folders: list[Path]) -> dict:
    return {p: p.stat().st_mtime_ns for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()}


def serve(settings_file: Path, port: int) -> int:
    """Build, serve output/ on http://127.0.0.1:PORT, and rebuild whenever a source file changes."""
    root = settings_file.parent.resolve()
    build(settings_file)
    output = Path(_settings(settings_file)["OUTPUT_PATH"])
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Preview at http://127.0.0.1:{port}/ (Ctrl+C to stop). Rebuilding when data/, content/, theme/ or plugins/ change.")
    watched = [root / name for name in ("data", "content", "theme/templates", "theme/static", "plugins")]
    before = _snapshot(watched)
    try:
        while True:
            time.sleep(1)
            now = _snapshot(watched)
            if now != before:
                before = now
                print("Change seen: rebuilding...")
                build(settings_file)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m commissioning", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["check", "build", "serve", "contract"])
    parser.add_argument("--settings", type=Path, default=Path("pelicanconf.py"), help="settings file (default pelicanconf.py)")
    parser.add_argument("--output", type=Path, help="build into this folder instead of OUTPUT_PATH")
    parser.add_argument("--github", action="store_true", help="also print problems as GitHub Actions annotations")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if not args.settings.exists():
        print(f"{args.settings}: settings file not found; run this from the project folder", file=sys.stderr)
        return 2
    if args.command == "check":
        return check(args.settings, args.github)
    if args.command == "build":
        return build(args.settings, args.output, args.github)
    if args.command == "serve":
        return serve(args.settings, args.port)
    from .contract_doc import write_contract

    return write_contract(args.settings.parent.resolve())

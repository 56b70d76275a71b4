"""The commands staff and CI run: `python -m commissioning check|build|serve|contract|unchanged`, and the
import commands (`import-360giving`, `import-spend`, `workbook`, `import-workbook`, in imports/).

`build` writes the whole site into a fresh folder beside output/ and swaps it in only when every
stage has succeeded, so a mistake in the data never leaves a half-built or broken site behind.
`check` and `build` both pass data/ and content/ through the gate first (`_refused`, load/files.py),
before anything reads them. output_folder.py keeps two builds in one folder apart, cleans up after a
killed one, and turns a fault of the machine (a full disk, no permission, Ctrl+C) into one line.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import re
import shutil
import sys
import time
import traceback
from pathlib import Path

from . import collector, output_folder, settings as plugin_settings, settings_file as settings_file_reader, timing, workers
from .load import files
from .problems import DataError, Problem, warnings_report

log = logging.getLogger("commissioning")

# Exit codes: problems in data/ or content/; the settings; a failure of the build itself (a bug, or a
# search index that failed); a fault of the machine (disk, permissions, another build); Ctrl+C.
PROBLEMS, SETTINGS, FAILED, MACHINE, STOPPED = 1, 2, 3, 4, 130


class _Counter(logging.Handler):
    """Turns every warning or error Pelican logs into a problem: a warning on the public site is a fault."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


class _NotPelican(logging.Filter):
    """Keeps Pelican's records from the other handlers while it runs: write_site reports them itself,
    against the file each concerns, and never with a traceback."""

    def filter(self, record):
        return record.name != "pelican" and not record.name.startswith("pelican.")


def _settings(settings_file: Path, overrides: dict | None = None) -> dict:
    """Pelican's settings for a build. When Pelican cannot read them, settings_file reads the file
    again to say why, so that a file that does not run, or names no content folder, gets the message
    check gives; the file is run once when nothing is wrong."""
    from pelican.settings import read_settings

    try:
        return read_settings(str(settings_file), override=overrides or {})
    except Exception as exc:
        settings_file_reader.read(settings_file, overrides)
        # What Pelican alone refuses, such as a THEME that is not a folder.
        raise settings_file_reader.unreadable(str(exc)) from exc


def _refused(settings: dict) -> list[Problem]:
    """The gate (load/files.py): what check and build both run first, before anything reads data/ or content/.

    Only here, once a command: when it refuses a file the command stops, so no reader (ours or
    Pelican's) ever opens what it refused, and the loader need not run it again.
    """
    return files.refused(plugin_settings.parsed(settings))


def check(settings_file: Path, github: bool = False, overrides: dict | None = None) -> int:
    """Validate data/ and content/ without building: the fast feedback."""
    from .load.loader import load_dataset

    try:
        # Not Pelican's reader: importing Pelican was a third of check's time, and check needs only our settings.
        settings = settings_file_reader.read(settings_file, overrides)
        refused = _refused(settings)
        if refused:
            raise DataError(refused)
        config = plugin_settings.parsed(settings)
        dataset = load_dataset(config.data_dir, config.content_dir, config.root, now=config.now)
    except plugin_settings.SettingsError as exc:
        print(f"{settings_file.name}: {exc}", file=sys.stderr)
        return SETTINGS
    except DataError as exc:
        _report(exc.problems, github)
        _warn(getattr(exc, "warnings", []), github)
        return 1
    count = len(dataset.awards) + len(dataset.providers) + len(dataset.opportunities)
    payments = sum(len(p) for p in dataset.payments.values())
    _warn(dataset.warnings, github)
    found = "No errors found" if dataset.warnings else "No problems found"
    print(f"{found} in {count} records and {payments} payments.")
    return 0


def _warn(found: list[Problem], github: bool) -> None:
    """Warnings: true facts the site publishes (an overspend, a late return), printed, never blocking.
    On standard output, apart from the errors, so a script reading the errors sees only those."""
    if not found:
        return
    print(warnings_report(found))
    if github:
        for problem in sorted(set(found)):
            print(problem.github_annotation())
        _summary(found)


def _summary(found: list[Problem]) -> None:
    """Every problem in the GitHub job summary too: GitHub shows only the first ten annotations."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as summary:
        for problem in sorted(set(found)):
            summary.write(f"- {'**error**' if problem.severity == 'error' else 'warning'}: `{problem}`\n")


def _report(problems: list[Problem], github: bool) -> None:
    print(DataError(problems).report(), file=sys.stderr)
    if github:
        for problem in sorted(set(problems)):
            print(problem.github_annotation())
        _summary(problems)


def build(settings_file: Path, output: Path | None = None, github: bool = False, quiet: bool = False,
          overrides: dict | None = None) -> int:
    """Build the site into a temporary folder, index it for search, then swap it in for the output folder."""
    try:
        with timing.stage("settings"):
            settings = _settings(settings_file, overrides)
    except plugin_settings.SettingsError as exc:  # a broken settings file is a message, not a traceback
        print(f"{settings_file.name}: {exc}", file=sys.stderr)
        return SETTINGS
    try:
        refused = _refused(settings)
    except plugin_settings.SettingsError as exc:
        print(f"{settings_file.name}: {exc}", file=sys.stderr)
        return SETTINGS
    if refused:
        _report(refused, github)
        return PROBLEMS
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    root = plugin_settings.parsed(settings).root
    started = time.perf_counter()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with output_folder.locked(target):
            code = _build_into(target, settings_file, settings, overrides or {}, github)
    except (OSError, KeyboardInterrupt, output_folder.Busy) as exc:
        problem = output_folder.fault(exc, target, root)
        if problem is None:
            raise
        print(problem, file=sys.stderr)
        return STOPPED if isinstance(exc, KeyboardInterrupt) else MACHINE
    if code == 0 and not quiet:
        from .postprocess import skipped
        from .postprocess.sitemap import html_pages

        pages = len(html_pages(target, skipped(settings)))
        print(f"Built {pages} pages into {target} in {time.perf_counter() - started:.1f}s.")
    return code


def _build_into(target: Path, settings_file: Path, settings: dict, overrides: dict, github: bool) -> int:
    """Holding the build lock: recover from a killed build, build into a staging folder, index it, swap it
    in. The staging folder is removed whatever goes wrong, so output/ is only ever the old site or the new."""
    from . import postprocess

    output_folder.recover(target)
    staging = output_folder.staging_folder(target)
    swapped = False
    try:
        code = _in_own_process(write_site, settings_file, {**overrides, "OUTPUT_PATH": str(staging)}, github, target)
        if code == 0:
            try:
                postprocess.index(staging, settings)
            except postprocess.PostprocessError as exc:
                print(f"{exc}\nNothing was published.", file=sys.stderr)
                code = FAILED
        if code == 0:
            output_folder.swap(staging, target)
            swapped = True
    finally:
        if not swapped:
            shutil.rmtree(staging, ignore_errors=True)
    return code


def write_site(settings_file: Path, overrides: dict, github: bool, target: Path | None = None) -> int:
    """Every page and file of the site, written into OUTPUT_PATH by Pelican: all but the search index."""
    from pelican import Pelican

    counter, quiet = _Counter(), _NotPelican()
    pelican_log = logging.getLogger("pelican")
    pelican_log.addHandler(counter)
    others = list(logging.getLogger().handlers)
    for handler in others:
        handler.addFilter(quiet)
    config, from_settings = None, 0
    target = target or Path(overrides.get("OUTPUT_PATH", "output"))
    try:
        with timing.stage("settings"):
            settings = _settings(settings_file, overrides)
        from_settings = len(counter.messages)  # logged while reading the settings: about the settings file
        config = plugin_settings.parsed(settings)
        # Pelican's own work (its Markdown pages, static files) is in no stage: what the stages leave.
        with collector.holding():
            Pelican(settings).run()
        if counter.messages:
            raise DataError([])
        from .pelican_side import WARNINGS

        _warn(WARNINGS, github)
    except DataError as exc:
        _report([*exc.problems, *_pelican_problems(counter.messages, from_settings, settings_file, config)], github)
        _warn(getattr(exc, "warnings", []), github)
        return PROBLEMS
    except plugin_settings.SettingsError as exc:
        print(f"{settings_file.name}: {exc}", file=sys.stderr)
        return SETTINGS
    except (KeyboardInterrupt, OSError, workers.WorkerError) as exc:
        problem = output_folder.fault(_os_error(exc), target, config.root if config else settings_file.parent)
        if problem is None:
            return _failed()
        print(problem, file=sys.stderr)
        return STOPPED if isinstance(exc, KeyboardInterrupt) else MACHINE
    except Exception:
        return _failed()
    finally:
        pelican_log.removeHandler(counter)
        for handler in others:
            handler.removeFilter(quiet)
    return 0


def _failed() -> int:
    traceback.print_exc()
    print("The build failed inside the site generator itself (a bug, not a problem in your data); "
          "nothing was published.", file=sys.stderr)
    return FAILED


def _os_error(exc: BaseException) -> BaseException:
    """A fault as raised, or the OSError a forked copy writing pages failed with (workers.WorkerError)."""
    if isinstance(exc, workers.WorkerError):
        found = re.findall(r"\[Errno (\d+)\] ([^:\n]+)(?:: '([^'\n]+)')?", str(exc))
        if found:
            code, text, name = found[-1]
            return OSError(int(code), text, name or None)
    return exc


def _pelican_problems(messages: list[str], from_settings: int, settings_file: Path, config) -> list[Problem]:
    """Pelican's warnings, each reported against the file it concerns, not the settings file.

    Pelican names the source in most messages (absolutely, or relative to content/); else a value
    it quotes is looked for in the pages; else the message is about content/ as a whole.
    """
    problems = [Problem(settings_file.name, 0, "pelican", m) for m in messages[:from_settings]]
    if config is None or len(messages) == from_settings:
        return problems
    sources = []
    for path in sorted(p for p in Path(config.content_dir).rglob("*") if p.is_file()):
        name = files.shown(path, config.root)
        forms = {os.path.abspath(path), os.path.realpath(path), path.relative_to(config.content_dir).as_posix(), name}
        text = path.read_text(encoding="utf-8", errors="replace") if path.suffix == ".md" else ""
        sources.append((name, sorted(forms, key=len, reverse=True), text))
    for message in messages[from_settings:]:
        matches = [(len(form), name) for name, forms, _ in sources for form in forms if form in message]
        if matches:
            concerns = max(matches)[1]
        else:
            folder = files.shown(Path(config.content_dir), config.root)
            plain = message.replace(f"{config.root}{os.sep}", "")
            named = re.findall(r"'([^'\n]{3,})'", plain) + re.findall(r"[\w./-]+\.\w+", plain)
            named = {n.strip("/").removeprefix(f"{folder}/") for n in named}
            holders = {name for name, _, text in sources if any(n in text for n in named)}
            concerns = holders.pop() if len(holders) == 1 else folder
        for name, forms, _ in sources:
            for form in forms:
                if os.path.isabs(form):
                    message = message.replace(form, name)
        problems.append(Problem(concerns, 0, "pelican", message.replace(f"{config.root}{os.sep}", "")))
    return problems


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
    child = workers.forked(_captured, function, *args)
    try:
        code, out, err = child.result()
    except workers.Stopped as exc:
        print(f"The build {exc}; nothing was published.", file=sys.stderr)
        return FAILED
    except KeyboardInterrupt:  # Ctrl+C reaches the child too; it must not go on writing
        child.stop()
        raise
    sys.stdout.write(out)
    sys.stderr.write(err)
    return code


def _captured(function, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = function(*args)
    return code, out.getvalue(), err.getvalue()


def serve(settings_file: Path, port: int, overrides: dict | None = None) -> int:
    """The live preview on http://127.0.0.1:PORT, kept up to date in one process (preview/watch.py)."""
    from .preview import watch

    try:
        settings = _settings(settings_file, overrides)
        plugin_settings.parsed(settings)
    except plugin_settings.SettingsError as exc:
        print(f"{settings_file.name}: {exc}", file=sys.stderr)
        return SETTINGS
    refused = _refused(settings)
    if refused:
        _report(refused, False)
        return PROBLEMS
    try:
        return watch.serve(settings, settings_file, port, lambda exc: (_report(exc.problems, False), _warn(exc.warnings, False)))
    except output_folder.Busy as exc:
        print(output_folder.fault(exc, Path(settings["OUTPUT_PATH"]), plugin_settings.parsed(settings).root), file=sys.stderr)
        return MACHINE


IMPORT_COMMANDS = ("import-360giving", "import-spend", "workbook", "import-workbook")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in IMPORT_COMMANDS:
        from .imports import commands  # each parses its own arguments; imported only when run

        return commands.main(argv[0], argv[1:])
    parser = argparse.ArgumentParser(prog="python -m commissioning", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["check", "build", "serve", "contract", "unchanged"])
    parser.add_argument("--settings", type=Path, default=Path("pelicanconf.py"), help="settings file (default pelicanconf.py)")
    parser.add_argument("--output", type=Path, help="build into this folder instead of OUTPUT_PATH")
    parser.add_argument("--github", action="store_true", help="also print problems as GitHub Actions annotations")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--published", help="unchanged: the published site's address (or a built folder) to compare with")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if not args.settings.exists():
        print(f"{args.settings}: settings file not found; run this from the project folder", file=sys.stderr)
        return 2
    try:
        if args.command == "check":
            return check(args.settings, args.github)
        if args.command == "build":
            return build(args.settings, args.output, args.github)
        if args.command == "serve":
            return serve(args.settings, args.port)
        if args.command == "unchanged":
            if not args.published:
                print("unchanged: give --published, the site's address (or a built folder) to compare with", file=sys.stderr)
                return 2
            from .unchanged import unchanged

            return unchanged(args.settings, args.published)
        from .contract_doc import write_contract

        return write_contract(args.settings.parent.resolve())
    except KeyboardInterrupt:
        print(Problem(args.command, 0, "", "stopped (Ctrl+C) before it finished; nothing was changed"), file=sys.stderr)
        return STOPPED

"""`make serve`: the preview on http://127.0.0.1:PORT, kept up to date as files change.

Looks at the project's files five times a second. An edit to data/ is a rebuild of what it reaches
(session.update); to content/ or theme/, a build afresh in this process (session.build); to the
plugin's code or the settings file, the process starts again, since code already imported cannot
be read again. While the data is not valid, the problems are printed once and the preview shows
the site as it last was.
"""

from __future__ import annotations

import functools
import http.server
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from .. import output_folder
from ..problems import DataError
from .session import Session

POLL_SECONDS = 0.2
RESTART_FOR = ("plugins",)  # folders of code: what is imported cannot be read again
BUILD_AFRESH_FOR = ("content", "theme")  # what Pelican's own generators read


def snapshot(folders: list[Path]) -> dict[Path, tuple[int, int]]:
    found = {}
    for folder in folders:
        if folder.is_file():
            found[folder] = _stamp(folder)
            continue
        for path in folder.rglob("*") if folder.exists() else ():
            if path.is_file() and "__pycache__" not in path.parts:
                found[path] = _stamp(path)
    return found


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return stat.st_mtime_ns, stat.st_size


def changed(before: dict, now: dict) -> set[Path]:
    return {p for p in before.keys() | now.keys() if before.get(p) != now.get(p)}


def serve(settings: dict, settings_file: Path, port: int, report: Callable[[DataError], None]) -> int:
    root = Path(settings["COMMISSIONING_ROOT"]).resolve()
    session = Session(settings)
    output = session.output
    output.mkdir(parents=True, exist_ok=True)
    watched = [root / name for name in ("data", *BUILD_AFRESH_FOR, *RESTART_FOR)] + [settings_file.resolve()]
    with output_folder.locked(output.resolve()):
        before = snapshot(watched)
        built = _attempt(session.build, report)
        session.settle()
        handler = functools.partial(_QuietHandler, directory=str(output))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"Preview at http://127.0.0.1:{port}/ (Ctrl+C to stop): pages are rebuilt as you save "
              "data/, content/ or theme/; not minified and without the search index; the clock stays at "
              f"{session.config.now:%d %B %Y %H:%M} until you start it again.", flush=True)
        unsettled = False
        # Stopped by `kill`, a service manager or a script as by Ctrl+C: the server shut and the
        # output folder's lock let go. A script that starts the preview in the background leaves it
        # deaf to Ctrl+C's signal (the shell ignores SIGINT for background jobs), so this is its way.
        stopping = signal.signal(signal.SIGTERM, _stop)
        try:
            while True:
                time.sleep(POLL_SECONDS)
                now = snapshot(watched)
                edited = changed(before, now)
                if not edited:
                    if unsettled:  # once nothing more was saved: a second or two, not before the next rebuild
                        session.settle()
                        unsettled = False
                    continue
                before = now
                top = {p.relative_to(root).parts[0] if p.is_relative_to(root) else "" for p in edited}
                if top & set(RESTART_FOR) or settings_file.resolve() in edited:
                    print("The code or the settings changed: starting again.", flush=True)
                    server.server_close()
                    os.execv(sys.executable, [sys.executable, "-m", "commissioning", *sys.argv[1:]])
                afresh = not built or bool(top & set(BUILD_AFRESH_FOR))
                built = _attempt(session.build if afresh else session.update, report) or built
                unsettled = True
        except KeyboardInterrupt:
            server.shutdown()
        finally:
            signal.signal(signal.SIGTERM, stopping)
    return 0


def _stop(signum, frame):
    raise KeyboardInterrupt


def _attempt(rebuild, report) -> bool:
    try:
        done = rebuild()
    except DataError as exc:
        report(exc)
        print("Not rebuilt: the preview shows the site as it last was.", flush=True)
        return False
    print(done.line(), flush=True)
    return True


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def copyfile(self, source, outputfile):
        # The kernel sends the file (os.sendfile): copying a large download a chunk at a time in
        # Python took the interpreter from a rebuild running meanwhile, and made it a third slower.
        self.connection.sendfile(source)

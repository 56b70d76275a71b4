"""How long an edit takes to show in `make serve`: `.venv/bin/python bench/preview.py ROOT [--edits 3]`.

Starts `python -m commissioning serve` on a free port with a settings file in ROOT (beside its data/
and content/, see processes.settings_file), waits until the home page is served, then makes the edits
a member of staff makes: an opportunity's title changed in its file, then (once) an award's title in
awards.csv. After each it asks for that record's page over HTTP until the new title is in it: the
time from the file written to the new page served. Then it asks for the download that lists the
record (data/opportunities.csv, data/funding-register.csv) until it has the new title too: the time to
the whole site updated, which a preview may finish after the record's own page, and before which the
next edit is not made (a person looks at what they changed before changing more). Only HTTP is
used, never the server's output or internals, so the measurement holds for any way of serving (a
rebuild of everything, or of only what changed). The server is stopped as Ctrl+C stops it (SIGINT to its process group) and the edited
files are put back.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import processes  # noqa: E402

# Words found in no synthetic or sample record, so a page holds one only once the edit is published.
MARKERS = ["Quillwort", "Zephyrine", "Vexbarrow", "Orlamund", "Thistlegate", "Marrowdene", "Kestrivel", "Ulvercote"]
TITLE = re.compile(r"^title:[ \t]*(.*)$", re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    """The page's text, or None when it is not served (yet): mid-rebuild a page may be missing."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException):
        return None  # HTTPException: a response cut short


def wait_for(url: str, marker: str | None, timeout: float, server: subprocess.Popen, interval: float = 0.05) -> float | None:
    """Seconds until url is served (holding marker, if given); None on timeout or if the server ends."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        text = fetch(url)
        if text is not None and (marker is None or marker in text):
            return time.perf_counter() - started
        if server.poll() is not None:
            return None
        time.sleep(interval)
    return None


def _opportunity_title(path: Path) -> tuple[str, tuple[int, int]]:
    """The title in the file's front matter, unquoted, and where its value is in the text."""
    found = TITLE.search(path.read_text(encoding="utf-8"))
    if not found:
        raise ValueError(f"{path}: no title line")
    raw = found.group(1).strip()
    value = json.loads(raw) if raw.startswith('"') else raw.strip("'")
    return value, found.span(1)


def edit_opportunity(path: Path, marker: str) -> None:
    """The title, changed as a person changes it: a word added, the rest of the file as it was."""
    text = path.read_text(encoding="utf-8")
    title, (start, end) = _opportunity_title(path)
    path.write_text(text[:start] + json.dumps(f"{title} ({marker})", ensure_ascii=False) + text[end:], encoding="utf-8")


def edit_award(awards: Path, award_id: str, marker: str) -> None:
    """That award's title in awards.csv, changed on its own line; every other line as it was."""
    lines = awards.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    column = header.index("title")
    for number, line in enumerate(lines[1:], 1):
        if line.startswith(award_id + ","):
            row = next(csv.reader([line]))
            row[column] = f"{row[column]} ({marker})"
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n" if line.endswith("\n") else "").writerow(row)
            lines[number] = buffer.getvalue().replace("\n", "\r\n") if line.endswith("\r\n") else buffer.getvalue()
            awards.write_text("".join(lines), encoding="utf-8")
            return
    raise ValueError(f"{awards}: no award {award_id}")


def _served_opportunities(root: Path, base: str, count: int) -> list[Path]:
    """count opportunity files spread over the list whose pages are served with their title."""
    files = sorted((root / "data" / "opportunities").glob("*.md"))
    step = max(len(files) // max(count, 1), 1)
    chosen = []
    for path in files[::step] + files:
        if len(chosen) == count:
            break
        if path in chosen:
            continue
        page = fetch(f"{base}/opportunities/{path.stem.lower()}/")
        if page and _opportunity_title(path)[0].split(" ")[0] in page:
            chosen.append(path)
    return chosen


def _served_award(root: Path, base: str) -> str | None:
    with open(root / "data" / "awards.csv", encoding="utf-8-sig", newline="") as stream:
        for number, row in enumerate(csv.DictReader(stream)):
            if number % 7 == 3 and fetch(f"{base}/funded-services/{row['id'].lower()}/"):
                return row["id"]
            if number > 400:
                return None
    return None


def _hearing_ctrl_c() -> None:
    # Started from a shell's background job, this process ignores SIGINT and so would the server,
    # which inherits it: stop() would then wait out its 120 s and end the server with SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop(server: subprocess.Popen) -> int:
    """Ctrl+C to the server's process group (it and the build it may be running), then waiting;
    harder signals only if it does not stop."""
    for sent, wait in ((signal.SIGINT, 120), (signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        if server.poll() is not None:
            break
        try:
            os.killpg(server.pid, sent)
        except ProcessLookupError:
            break
        try:
            server.wait(wait)
        except subprocess.TimeoutExpired:
            continue
    return server.returncode if server.returncode is not None else -9


def measure(root: Path, now: str, edits: int = 3, log: Path | None = None, timeout: float = 900) -> dict:
    """Serve root's site, make the edits, time each; the server is always stopped and the files restored."""
    root = root.resolve()
    log = log or root.parent / f"preview-{root.name}.log"
    settings = processes.settings_file(root, now, root / "output-preview")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    originals = {path: path.read_bytes() for path in [root / "data" / "awards.csv",
                                                      *(root / "data" / "opportunities").glob("*.md")]}
    result: dict = {"code": 0, "edits": [], "port": port}
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as stream:
        server = subprocess.Popen([sys.executable, "-m", "commissioning", "serve", "--settings", str(settings),
                                   "--port", str(port)], cwd=str(processes.REPO), env=processes.environment(),
                                  stdout=stream, stderr=subprocess.STDOUT, start_new_session=True,
                                  preexec_fn=_hearing_ctrl_c)
    try:
        first = wait_for(base + "/", None, timeout, server, interval=0.2)
        if first is None:
            raise RuntimeError("the home page was never served")
        result["first_page_seconds"] = time.perf_counter() - started
        targets = [("opportunity title", path, f"{base}/opportunities/{path.stem.lower()}/", f"{base}/data/opportunities.csv")
                   for path in _served_opportunities(root, base, edits)]
        award = _served_award(root, base)
        if award:
            targets.append(("award title", root / "data" / "awards.csv", f"{base}/funded-services/{award.lower()}/",
                            f"{base}/data/funding-register.csv"))
        if len(targets) < edits + 1:
            raise RuntimeError(f"only {len(targets)} of the {edits + 1} pages to edit were served")
        for number, (kind, path, url, download) in enumerate(targets):
            marker = MARKERS[number % len(MARKERS)]
            if kind == "award title":
                edit_award(path, award, marker)
            else:
                edit_opportunity(path, marker)
            seconds = wait_for(url, marker, timeout, server)
            if seconds is None:
                raise RuntimeError(f"the edit of {path.name} ({kind}) did not show at {url} within {timeout:.0f} s")
            rest = wait_for(download, marker, timeout, server, interval=0.5)  # a download of megabytes: not 20 times a second
            if rest is None:
                raise RuntimeError(f"the edit of {path.name} ({kind}) did not reach {download} within {timeout:.0f} s")
            result["edits"].append({"kind": kind, "file": path.name, "seconds": seconds, "all_seconds": seconds + rest})
    except (RuntimeError, ValueError, OSError) as exc:
        result.update(code=1, error=f"{exc}. The server's output ends:\n" + log.read_text(encoding="utf-8")[-2000:])
    finally:
        result["stopped_with"] = stop(server)
        for path, data in originals.items():
            if path.read_bytes() != data:
                path.write_bytes(data)
    seconds = [e["seconds"] for e in result["edits"]]
    if seconds:
        result.update(median=statistics.median(seconds), max=max(seconds),
                      all_median=statistics.median(e["all_seconds"] for e in result["edits"]))
    result["html_pages"] = processes.html_pages(root / "output-preview")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="a folder holding data/ and content/ (edited, then restored)")
    parser.add_argument("--edits", type=int, default=3, help="opportunity edits; one award edit follows")
    parser.add_argument("--now", default="2026-11-24T09:00")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for each page")
    args = parser.parse_args(argv)
    result = measure(args.root, args.now, args.edits, timeout=args.timeout)
    print(json.dumps(result, indent=1))
    return result["code"]


if __name__ == "__main__":
    sys.exit(main())

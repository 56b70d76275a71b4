"""Running a whole program as a person runs it, for the benchmark's comparisons (hugo_compare.py,
preview.py, quick.py): its wall time, CPU time and peak memory, and the settings file that points
our commands at a work folder.

Each program runs under a small wrapper process (`python bench/processes.py --timed OUT -- COMMAND`)
that starts it, waits, and reads its CPU time and peak memory with getrusage(RUSAGE_CHILDREN): the
program and every process it started and waited for (Pelican's page-writing child, Pagefind, Hugo's
threads). A wrapper per program keeps the figures of one program apart from those of the programs
run before it, which RUSAGE_CHILDREN of the benchmark itself would add up. The wrapper's own start
(a bare Python) is outside the clock.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def environment() -> dict:
    """The environment our commands run in, as the Makefile sets it: the plugin on the path, no pinned
    clock from outside (each measurement pins its own), and compiled modules kept in cache/python/
    rather than beside the sources or not at all, so that no run pays for compiling them again."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "plugins"), str(REPO / "tools")]),
           "PYTHONPYCACHEPREFIX": str(REPO / "cache" / "python")}
    for name in ("SITE_NOW", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    return env


def timed(command: list[str], log: Path, cwd: Path = REPO, env: dict | None = None) -> dict:
    """Run command to its end; {code, wall, cpu, peak_mb} (and the end of its output if it failed)."""
    out = log.with_suffix(".json")
    out.unlink(missing_ok=True)
    with open(log, "w", encoding="utf-8") as stream:
        process = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--timed", str(out), "--", *command],
                                 stdout=stream, stderr=subprocess.STDOUT, cwd=str(cwd), env=env or environment())
    if not out.exists():
        return {"code": process.returncode or 99, "error": log.read_text(encoding="utf-8", errors="replace")[-3000:]}
    result = json.loads(out.read_text(encoding="utf-8"))
    if result["code"] != 0:
        result["error"] = log.read_text(encoding="utf-8", errors="replace")[-3000:]
    return result


def settings_file(root: Path, now: str, output: Path) -> Path:
    """root/benchsettings.py: the project's pelicanconf.py with data, content and output in root,
    and the clock pinned, as bench/run.py's overrides() gives the in-process build. A file, because
    `python -m commissioning serve` and `build` take a settings file and nothing else; serve watches
    data/ and content/ beside it."""
    path = root / "benchsettings.py"
    path.write_text(
        "# Written by bench/processes.py: the project's settings, pointed at this folder.\n"
        "import sys\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from pelicanconf import *  # noqa: E402,F401,F403\n\n"
        f"PATH = {str(root / 'content')!r}\n"
        f"COMMISSIONING_ROOT = {str(root)!r}\n"
        f"OUTPUT_PATH = {str(output)!r}\n"
        f"COMMISSIONING_NOW = {now!r}\n", encoding="utf-8")
    return path


SET_ASIDE = ".set-aside"  # beside what it holds; deleted with the work folder when the benchmark ends


def set_aside(folder: Path) -> None:
    """Move a finished build's folder out of the way, into SET_ASIDE beside it, rather than delete it.

    Why: on ext4 without a journal (this machine's disk, see filesystem()), the kernel will not give a
    new file the inode of one deleted in the last one to six minutes; it reads past each of them
    instead. The 4x series' build, started just after deleting the last build's output, spent three
    times as long in the kernel (bench/findings.md). A person's disk keeps a journal, and nobody deletes a site just
    before building it: what is set aside is deleted with the work folder, after every measurement."""
    if not folder.exists():
        return
    aside = folder.parent / SET_ASIDE
    aside.mkdir(exist_ok=True)
    folder.rename(aside / f"{folder.name}-{uuid.uuid4().hex[:8]}")


def filesystem(path: Path) -> str:
    """The kind of filesystem path is on, as the report says it: 'ext4 without a journal', 'tmpfs'."""
    path, best, found = path.resolve(), -1, "?"
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        fields = line.split()
        after = fields.index("-")  # the optional fields end with a lone "-"; the type and source follow
        mount, kind, source = fields[4], fields[after + 1], fields[after + 2]
        if (path == Path(mount) or Path(mount) in path.parents) and len(mount) > best:
            best, found = len(mount), kind
            device = Path(source).name
    if found == "ext4":
        journal = Path("/sys/fs/ext4") / device / "journal_task"
        try:
            if journal.read_text().strip() == "<none>":
                return "ext4 without a journal"
        except OSError:
            pass
    return found


def html_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html")) if folder.exists() else 0


def _wrapper(out: Path, command: list[str]) -> int:
    started = time.perf_counter()
    code = subprocess.call(command)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    out.write_text(json.dumps({"code": code, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                               "peak_mb": round(usage.ru_maxrss / 1024, 1)}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] != ["--timed"] or sys.argv[3:4] != ["--"]:
        raise SystemExit("usage: processes.py --timed OUT.json -- COMMAND...")
    sys.exit(_wrapper(Path(sys.argv[2]), sys.argv[4:]))

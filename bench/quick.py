"""The sample's quick commands, as staff run them: `make check` and the whole build of the
repository's own data (`.venv/bin/python bench/quick.py` prints both as JSON).

Each is a whole process (`python -m commissioning check|build --settings pelicanconf.py`, Python's
start included), run a few times in turn; the fastest wall time counts, with its CPU time: other work
on a shared machine only ever adds time. The build writes into the work folder, never into output/.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import processes  # noqa: E402

SETTINGS = processes.REPO / "pelicanconf.py"


def _fastest(runs: list[dict]) -> dict:
    failed = [run for run in runs if run.get("code") != 0]
    if failed:
        return {**failed[0], "runs": len(runs)}
    best = min(runs, key=lambda run: run["wall"])
    return {**best, "runs": len(runs), "wall_each": [round(r["wall"], 3) for r in runs],
            "cpu_each": [round(r["cpu"], 3) for r in runs], "least_cpu": min(r["cpu"] for r in runs)}


def measure(work: Path, now: str, runs: int = 5) -> dict:
    """make check and the sample's build, each `runs` times (the build at most 3), in turn."""
    work.mkdir(parents=True, exist_ok=True)
    env = {**processes.environment(), "SITE_NOW": now}
    output = work / "sample-output"
    checks, builds = [], []
    for number in range(runs):
        checks.append(processes.timed([sys.executable, "-m", "commissioning", "check", "--settings", str(SETTINGS)],
                                      work / f"check-{number}.log", env=env))
        if number < min(runs, 3):
            builds.append(processes.timed([sys.executable, "-m", "commissioning", "build", "--settings", str(SETTINGS),
                                           "--output", str(output)], work / f"sample-build-{number}.log", env=env))
    build = _fastest(builds)
    build["html_pages"] = processes.html_pages(output)
    processes.set_aside(output)
    return {"code": 0 if checks[0].get("code") == 0 and build.get("code") == 0 else 1,
            "check": _fastest(checks), "build": build}


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="commissioning-quick-") as folder:
        print(json.dumps(measure(Path(folder), "2026-11-24T09:00"), indent=1))

"""Hugo beside ours on the same data, whole process against whole process (bench/run.py calls measure()).

Hugo is Debian's `hugo` package (tools/install_hugo.sh installs it when it is missing). The data is
turned into a Hugo site by bench/hugo_site.py (timed, and reported, but outside Hugo's time); the
templates are in bench/hugo/layouts. Three programs are timed, each as a whole process:

- `hugo` (plain), `hugo --minify` (the comparison the target names), over the converted site;
- Pagefind over Hugo's minified output, with the glob our build gives it (sections.search_glob());
- ours: `python -m commissioning build`, as `make site` runs it (validation, minifying and Pagefind
  included, Python's start too).

They run in rounds: each round is Hugo, then ours from no kept workbooks, as a fresh checkout builds
(the figure the target is judged by), then ours again with the workbooks that build kept
(open_data/kept_workbooks.py), as a rebuild whose payments did not change. Each program runs once a
round, so each has as many tries at a quiet spell of the machine: the least CPU time of each counts,
and each run records its round, so the report can also set ours beside Hugo in the same round. CPU
time is of the program and every process it ran (processes.timed).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO / "plugins")]

import hugo_site  # noqa: E402
import processes  # noqa: E402

INSTALL = REPO / "tools" / "install_hugo.sh"


def hugo() -> tuple[str | None, str]:
    """Hugo's program and version, installing Debian's package first when it is missing; or None
    and why not."""
    found = shutil.which("hugo")
    if not found and INSTALL.exists():
        subprocess.run(["sh", str(INSTALL)], capture_output=True, text=True)
        found = shutil.which("hugo")
    if not found:
        return None, "hugo is not installed and tools/install_hugo.sh could not install it (needs root or sudo)"
    version = subprocess.run([found, "version"], capture_output=True, text=True).stdout.strip()
    return found, version


def _pagefind(public: Path) -> list[str]:
    """Our own Pagefind command line, options included: the same Pagefind, run the same way."""
    from commissioning.postprocess.search_index import command

    return command(public, _glob())


def _glob() -> str:
    from commissioning import sections

    return sections.search_glob()


def _indexed(public: Path) -> int:
    try:
        entry = json.loads((public / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(language["page_count"] for language in entry["languages"].values())
    except (OSError, ValueError, KeyError):
        return 0


def _hugo_round(binary: str, site: Path, work: Path, number: int) -> dict:
    """Plain Hugo, Hugo --minify, then Pagefind over the minified output: each from a clean start."""
    found = {}
    for name, extra, folder in (("hugo", [], "public-plain"), ("hugo_minify", ["--minify"], "public")):
        processes.set_aside(site / folder)
        processes.set_aside(site / "resources")  # Hugo's cache of processed files
        found[name] = processes.timed([binary, "--quiet", "--destination", folder, *extra],
                                      work / f"{name}-{number}.log", cwd=site)
        found[name]["html_pages"] = processes.html_pages(site / folder)
    public = site / "public"
    if found["hugo_minify"].get("code") == 0:
        found["pagefind"] = processes.timed(_pagefind(public), work / f"pagefind-{number}.log")
        found["pagefind"]["indexed"] = _indexed(public)
    return found


def _ours(root: Path, now: str, work: Path, number: int, kept: bool) -> dict:
    """One build of ours; with kept False, from no kept workbooks, as a fresh checkout builds."""
    output = root / "output-whole"
    if not kept:
        from commissioning.open_data.kept_workbooks import FOLDER

        shutil.rmtree(root / FOLDER, ignore_errors=True)
    settings = processes.settings_file(root, now, output)
    result = processes.timed([sys.executable, "-m", "commissioning", "build", "--settings", str(settings)],
                             work / f"ours-{number}{'-kept' if kept else ''}.log")
    result["html_pages"] = processes.html_pages(output)
    result["indexed"] = _indexed(output)
    processes.set_aside(output)
    return result


def _least(runs: list[dict]) -> dict | None:
    done = [r for r in runs if r.get("code") == 0]
    if not done:
        return runs[0] if runs else None
    return {**min(done, key=lambda r: r["cpu"]), "runs": len(done), "cpu_each": [round(r["cpu"], 2) for r in done],
            "round_each": [r.get("round") for r in done]}


def _bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def measure(root: Path, site: Path, now: str, work: Path, rounds: int = 3, say=print) -> dict:
    """The comparison on root's data (data/ and content/), the Hugo site written into site."""
    binary, version = hugo()
    if binary is None:
        return {"code": 0, "skipped": version}
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    converted = hugo_site.convert(root, site, now)
    converted["seconds"] = time.perf_counter() - started
    say(f"  converted in {converted['seconds']:.1f}s ({converted['content_files']:,} content files).")
    hugo_runs: dict[str, list[dict]] = {"hugo": [], "hugo_minify": [], "pagefind": []}
    ours_runs: dict[bool, list[dict]] = {False: [], True: []}
    for number in range(rounds):
        found = _hugo_round(binary, site, work, number)
        for name, result in found.items():
            hugo_runs[name].append({**result, "round": number})
        say("  Hugo: " + ", ".join(f"{name} {r['cpu']:.1f}s CPU" if r.get("code") == 0 else f"{name} FAILED"
                                   for name, r in found.items()))
        if any(r.get("code") != 0 for r in found.values()):
            break
        for kept in (False, True):  # kept after cold: the cold build leaves the workbooks the rebuild reads
            ours_runs[kept].append({**_ours(root, now, work, number, kept), "round": number})
            last = ours_runs[kept][-1]
            say(f"  ours (whole process{', workbooks kept' if kept else ''}): {last['cpu']:.1f}s CPU"
                if last.get("code") == 0 else "  ours FAILED")
    result = {"code": 0, "version": version, "converted": converted, "rounds": rounds,
              "ours": _least(ours_runs[False]), "ours_kept": _least(ours_runs[True]),
              **{name: _least(runs) for name, runs in hugo_runs.items()},
              "bytes_minify": _bytes(site / "public"), "bytes_plain": _bytes(site / "public-plain"),
              "template_lines": sum(len(p.read_text(encoding="utf-8").splitlines())
                                    for p in (hugo_site.SKELETON / "layouts").rglob("*.html")),
              "our_template_lines": sum(len(p.read_text(encoding="utf-8").splitlines())
                                        for p in (REPO / "theme" / "templates").rglob("*.html"))}
    failed = [name for name in ("hugo", "hugo_minify", "pagefind", "ours") if not result[name] or result[name].get("code")]
    if failed:
        result["code"] = 1
        result["error"] = "; ".join(f"{name}: {(result[name] or {}).get('error', 'not run')[-1500:]}" for name in failed)
    processes.set_aside(site)
    return result


def main(argv: list[str] | None = None) -> int:
    """`bench/hugo_compare.py ROOT WORK [--rounds N] [--now ...]`: the comparison alone, as JSON."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--now", default="2026-11-24T09:00")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.root.resolve(), args.work.resolve() / "hugo-site", args.now, args.work.resolve(),
                             args.rounds, say=lambda text: print(text, file=sys.stderr)), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The measurements bench/run.py makes around its builds for issue #21: Hugo beside ours on the
same data (hugo_compare.py), the preview's edit-to-page time at the sample's size and the default
size (preview.py), and the sample's `make check` and build (quick.py). run.py adds these options to
its own and calls at_default_size() while the default-size data exists, then sample().
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import hugo_compare  # noqa: E402
import preview  # noqa: E402
import processes  # noqa: E402
import quick  # noqa: E402


def add_options(parser) -> None:
    parser.add_argument("--no-hugo", action="store_true", help="skip the comparison with Hugo")
    parser.add_argument("--compare-rounds", type=int, default=3,
                        help="rounds of the Hugo comparison, each Hugo then ours from no kept workbooks then ours with them "
                             "kept; the least of each counts: one build varied by a fifth in CPU from run to run")
    parser.add_argument("--no-preview", action="store_true", help="skip the preview's edit-to-page times")
    parser.add_argument("--preview-edits", type=int, default=3,
                        help="opportunity edits timed in the preview at each size; one award edit follows")
    parser.add_argument("--no-sample", action="store_true", help="skip make check and the build of the sample")


def _preview_line(found: dict) -> str:
    if found.get("code") != 0:
        return f"  the preview FAILED: {found.get('error', '')[:1500]}"
    return (f"  first page after {found['first_page_seconds']:.1f}s; edits shown in "
            + ", ".join(f"{e['seconds']:.2f}s" for e in found["edits"]) + ".")


def at_default_size(results: dict, work: Path, args, say) -> None:
    root = work / "default"
    if not args.no_hugo:
        say("Hugo on the same data (bench/hugo_compare.py) ...")
        found = results["hugo"] = hugo_compare.measure(root, work / "hugo-site", args.now, work / "hugo",
                                                       args.compare_rounds, say)
        if found.get("skipped"):
            say(f"  not measured: {found['skipped']}")
        elif found.get("code"):
            say(f"  FAILED: {found.get('error', '')[:1500]}")
    if not args.no_preview:
        say("The preview at the default size: edit to page (bench/preview.py) ...")
        found = results.setdefault("preview", {})["default"] = preview.measure(
            root, args.now, args.preview_edits, work / "preview-default.log")
        say(_preview_line(found))
        processes.set_aside(root / "output-preview")


def sample(results: dict, work: Path, args, say) -> None:
    if not args.no_sample:
        say("The sample: make check and the build, as whole processes (bench/quick.py) ...")
        found = results["quick"] = quick.measure(work / "quick", args.now)
        if found["code"] == 0:
            say(f"  check {found['check']['wall']:.2f}s, build {found['build']['wall']:.2f}s wall "
                f"({found['build']['cpu']:.2f}s CPU).")
        else:
            say("  FAILED: " + (found["check"].get("error") or found["build"].get("error") or "")[:1500])
    if not args.no_preview:
        say("The preview at the sample's size ...")
        folder = work / "sample"
        processes.set_aside(folder)
        folder.mkdir(parents=True)
        for name in ("data", "content"):
            shutil.copytree(processes.REPO / name, folder / name)
        found = results.setdefault("preview", {})["sample"] = preview.measure(
            folder, args.now, args.preview_edits, work / "preview-sample.log", timeout=300)
        say(_preview_line(found))
        processes.set_aside(folder)

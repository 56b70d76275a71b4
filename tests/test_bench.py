"""The benchmark (bench/): its synthetic data is valid, its report is right, a stage the build stops
reporting fails it, and it runs end to end at a tiny size."""

from __future__ import annotations

import ast
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, Project

sys.path.insert(0, str(REPO / "bench"))

import processes  # noqa: E402
import report  # noqa: E402
import run as bench  # noqa: E402
import synthetic  # noqa: E402
from commissioning import timing  # noqa: E402

TINY = synthetic.Size(awards=50, providers=20, opportunities=10, payments=500, years=5)
NOW = synthetic.DEFAULT_NOW


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synthetic")
    counts = synthetic.generate(root, TINY, seed=3, now=NOW)
    assert counts == {"providers": 20, "awards": 50, "opportunities": 10, "payments": 500, "payment_files": 5}
    return root


def test_synthetic_data_passes_check(tiny):
    result = Project(tiny).check(now=NOW)
    assert result.code == 0, result.err
    assert "No problems found in 80 records and 500 payments." in result.out


def test_synthetic_data_exercises_the_rules(tiny):
    """The data is not trivially valid: it has what the rules check."""
    with open(tiny / "data" / "awards.csv", encoding="utf-8") as f:
        awards = list(csv.DictReader(f))
    threshold = 214904
    assert any(a["award_type"] == "contract" and float(a["amount_awarded"]) > threshold for a in awards)
    assert any(a["route"] in ("direct-award", "single-tender-action") and a["justification"] for a in awards)
    assert any(a["opportunity_id"] for a in awards)
    assert any(a["extends"] for a in synthetic_awards(200))
    years = sorted(p.stem for p in (tiny / "data" / "payments").glob("*.csv"))
    assert years == ["2022-23", "2023-24", "2024-25", "2025-26", "2026-27"]
    with open(tiny / "data" / "payments" / "2024-25.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert all("2024-04-01" <= r["date"] <= "2025-03-31" for r in rows)
    amounts = [line.split(",")[3] for y in years
               for line in (tiny / "data" / "payments" / f"{y}.csv").read_text(encoding="utf-8").splitlines()[1:]]
    assert any(a.startswith("-") for a in amounts), "a refund or correction"


def synthetic_awards(count: int) -> list[dict]:
    gen = synthetic.Generator(synthetic.Size(count, 10, 10, 0), 3, synthetic.dt.datetime.fromisoformat(NOW),
                              __import__("yaml").safe_load((REPO / "data" / "funder.yaml").read_text()))
    providers = gen.providers()
    return gen.awards(providers, gen.opportunities())


def test_synthetic_data_is_deterministic(tmp_path, tiny):
    synthetic.generate(tmp_path, TINY, seed=3, now=NOW)
    for name in ("awards.csv", "providers.csv", "payments/2025-26.csv"):
        assert (tmp_path / "data" / name).read_bytes() == (tiny / "data" / name).read_bytes(), name


def test_synthetic_data_with_a_mistake_fails_check(tmp_path):
    """The check in the first test is a real one: a payment to the wrong provider is caught."""
    synthetic.generate(tmp_path, TINY, seed=3, now=NOW)
    path = tmp_path / "data" / "payments" / "2024-25.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    number, row = next((i, line) for i, line in enumerate(lines) if ",SYN-" in line)
    cells = row.split(",")
    cells[1] = "GB-CHC-9999999"
    lines[number] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = Project(tmp_path).check(now=NOW)
    assert result.code == 1
    assert f"data/payments/2024-25.csv:{number + 1}: provider_id:" in result.err


# --- the report, from hand-made results: no build needed -----------------------------------------

# Two parts for the stages that have them, as the build reports sections and templates.
PARTS = {"read": ("awards", "payments"), "pages": ("spend",), "render": ("award.html", "home.html")}


def fake_build(scale: float = 1.0, derive: float = 0.5, drop: tuple = (), off: tuple = ()) -> dict:
    """A successful build as worker_build returns it: each stage, or each of its parts, 0.5 s (derive
    as given), times scale, and 1 s outside any stage."""
    times = {}
    for name in timing.STAGES:
        if name in drop:
            continue
        seconds = (derive if name == "derive" else 0.5) * scale
        for part in PARTS.get(name, ("",)):
            calls = 100 if part == "award.html" else 1
            times[f"{name}: {part}" if part else name] = {"seconds": seconds, "cpu": seconds, "calls": calls,
                                                          "user": seconds * 0.75}
    staged = sum(v["seconds"] for v in times.values())
    return {"code": 0, "error": "", "total": staged + 1.0, "cpu": staged + 1.0, "html_pages": 200, "files": 400,
            "bytes": 10**6, "times": times, "switched_off": list(off), "tree_peak_mb": 300.0, "peak_mb": 120.0,
            "children_peak_mb": 200.0, "process_peaks_mb": [["pagefind", 180.0]]}


def fake_results(build: dict | None = None, series: list | None = None) -> dict:
    size = TINY.__dict__
    validation_times = {"read: awards": {"seconds": 0.2, "cpu": 0.2, "calls": 1},
                        "model: Award": {"seconds": 0.3, "cpu": 0.3, "calls": 1},
                        "rules: payments": {"seconds": 0.1, "cpu": 0.1, "calls": 1}}
    return {
        "format": 2, "command": "bench/run.py --tiny", "seed": 3, "now": NOW, "experiment": "",
        "machine": {"date": "2026-12-01 10:00", "cores": 2, "cpu": "test", "memory_gb": 1.0, "python": "3.11",
                    "pelican": "4.12.0", "system": "Linux", "commit": "abc1234", "load": ""},
        "size": size, "series_base": size,
        "generated": {"providers": 20, "awards": 50, "opportunities": 10, "payments": 500, "payment_files": 5,
                      "seconds": 0.1},
        "validation": {"code": 0, "full": 1.5, "without_payments": 1.0, "payments": 0.5, "full_cpu": 1.5,
                       "without_payments_cpu": 1.0, "payments_cpu": 0.5, "peak_mb": 90.0,
                       "times": validation_times, "times_without": validation_times},
        "build": build or fake_build(),
        "baseline": {"code": 0, "total": 4.0, "cpu": 4.0, "articles": 200, "html_pages": 210, "peak_mb": 80.0},
        "series": series if series is not None else [
            {"factor": 1.0, "size": size, "runs": [fake_build(1.0), fake_build(1.0)]},
            {"factor": 4.0, "size": size, "runs": [fake_build(4.0, derive=1.0), fake_build(4.0, derive=1.0)]}],
        "profile": None,
    }


def test_report_renders_from_hand_made_results():
    results = fake_results()
    assert report.problems(results) == []
    text = report.render(results, findings=None)
    assert "## Errors" not in text
    # Stages grouped in STAGES order, parts summed; what lies outside every stage is its own row.
    rows = [line.split(" | ")[0].lstrip("| ") for line in text.split("### Time per stage")[1].split("### Each")[0]
            .splitlines() if line.startswith("| ") and not line.startswith("| stage")]
    assert rows == [*timing.STAGES, "not in any stage", "**total**"]
    assert "| render | 1.00 | 12 % | 1.00 | 101 | 2 (below) |" in text
    assert "| settings | 0.50 | 6 % | 0.50 | 1 |  |" in text
    assert "| not in any stage | 1.00 | | 1.00 |" in text
    assert "| **total** | **8.50** | 100 % | **8.50** | | |" in text
    # Each part its own row, in STAGES order.
    assert "| render: award.html | 100 | 0.50 | 0.50 | 5.00 |" in text
    assert text.index("| read: awards |") < text.index("| pages: spend |") < text.index("| render: home.html |")
    # Validation: the stages load_dataset reported.
    assert "| **the 500 payments (difference)** | **0.50** | **0.50** |" in text
    assert "| model | 0.30 | 0.30 | 1 |" in text
    # Ratio: 8.5 s / 200 pages against 4 s / 200 articles.
    assert "**Ratio ours / plain: 2.12**" in text  # 8.5 s / 200 pages against 4 s / 200 articles
    # Series, the least of each size's two runs: derive grows 8x, everything else 4x.
    assert "| derive | 0.50 | 4.00 | 8.00 | 8.00 | **faster than linear** |" in text
    assert "| sitemap | 0.50 | 2.00 | 4.00 | 4.00 |  |" in text
    assert dict(report.targets(results)["superlinear"]) == {"derive": 8.0}


def test_growth_is_judged_on_the_least_of_the_runs():
    noisy = fake_build(4.0)
    noisy["times"]["sitemap"]["cpu"] = 9.0  # one slow run of the sitemap at 4x: the other run counts
    results = fake_results(series=[{"factor": 1.0, "size": TINY.__dict__, "runs": [fake_build(1.0)]},
                                   {"factor": 4.0, "size": TINY.__dict__, "runs": [noisy, fake_build(4.0)]}])
    assert report.targets(results)["superlinear"] == []
    results["series"][1]["runs"] = [noisy]
    assert dict(report.targets(results)["superlinear"]) == {"sitemap": 18.0}


def test_a_stage_reports_its_cpu_outside_the_kernel_apart():
    """The series judges CPU; user CPU, beside it, says whether a stage's growth is the program's."""
    timing.start()
    try:
        with timing.stage("derive"):
            sum(n * n for n in range(1_000_000))  # arithmetic: the program's time, not the kernel's
        with timing.stage("write files"):
            for _ in range(200):
                os.stat(".")
        measured = timing.totals()
    finally:
        timing.stop()
    derive, written = measured["derive"], measured["write files"]
    assert 0.02 < derive["user"] <= derive["cpu"] + 1e-6
    assert 0 <= written["user"] <= written["cpu"] + 1e-6


def test_the_least_of_several_runs_counts_stage_by_stage():
    runs = [{"code": 0, "total": 10.0, "cpu": 12.0, "peak_mb": 100, "switched_off": [],
             "times": {"derive": {"seconds": 2.0, "cpu": 2.5, "calls": 1, "user": 2.0},
                       "minify": {"seconds": 1.0, "cpu": 1.5, "calls": 3, "user": 0.5}}},
            {"code": 0, "total": 11.0, "cpu": 11.0, "peak_mb": 140, "switched_off": [],
             "times": {"derive": {"seconds": 1.5, "cpu": 3.0, "calls": 1, "user": 1.8},
                       "minify": {"seconds": 1.2, "cpu": 1.0, "calls": 3, "user": 0.9}}}]
    best = report.best_of(runs)
    assert best["times"] == {"derive": {"seconds": 1.5, "cpu": 2.5, "calls": 1, "user": 1.8},
                             "minify": {"seconds": 1.0, "cpu": 1.0, "calls": 3, "user": 0.5}}
    assert (best["total"], best["cpu"], best["peak_mb"], best["runs"]) == (10.0, 11.0, 140, 2)
    failed = {"code": 1, "error": "boom"}
    assert report.best_of([runs[0], failed]) is failed


def test_time_outside_the_stages_is_the_least_of_each_runs_own():
    """Two runs each 1 s outside their stages, whose stages took turns to be slow: outside is 1 s, not
    the least total less the least of each stage (2 s), which grew with the noise between runs."""
    def run(derive: float, minify: float) -> dict:
        times = {"derive": {"seconds": derive, "cpu": derive, "calls": 1, "user": derive},
                 "minify": {"seconds": minify, "cpu": minify, "calls": 1, "user": minify}}
        return {"code": 0, "total": derive + minify + 1.0, "cpu": derive + minify + 1.0, "peak_mb": 1,
                "switched_off": [], "times": times}

    best = report.best_of([run(2.0, 1.0), run(1.0, 2.0)])
    assert report.outside(best, "cpu") == report.outside(best, "seconds") == 1.0
    assert report.stage_cpu(best)[report.OUTSIDE] == 1.0
    assert report.outside(run(2.0, 1.0), "cpu") == 1.0


# --- a stage renamed or lost fails the benchmark -------------------------------------------------


@pytest.mark.parametrize("measuring", [False, True])
def test_a_stage_not_in_stages_is_refused(measuring):
    """A stage renamed in the build without its entry in timing.STAGES fails at once, measured or not."""
    if measuring:
        timing.start()
    try:
        with pytest.raises(ValueError, match="not a stage"):
            with timing.stage("not a stage", "detail"):
                pass
        with timing.stage("render", "award.html"):
            pass
        assert ("render: award.html" in timing.totals()) is measuring
    finally:
        timing.start()  # forget what this test measured, for any test after it
        timing.stop()


def test_a_stage_the_build_did_not_report_is_an_error(tmp_path):
    """Renamed in STAGES and in the build alike, the old name no longer reports: the report says so
    in its row and at the top, and the runner exits 1."""
    results = fake_results(build=fake_build(drop=("render",)))
    assert report.missing_stages(results["build"]) == ["render"]
    found = report.problems(results)
    assert len(found) == 1 and "the build at the default size reported no time for render" in found[0]
    text = report.render(results, findings=None)
    assert "## Errors" in text
    assert "| render | - | | - | 0 | **error: the build reported no time for this stage** |" in text

    markdown = tmp_path / "results.md"
    assert bench.finish(results, markdown) == 1
    assert "**error: the build reported no time for this stage**" in markdown.read_text(encoding="utf-8")
    assert json.loads(markdown.with_suffix(".json").read_text(encoding="utf-8"))["build"]["times"] == results["build"]["times"]
    assert bench.finish(fake_results(), markdown) == 0
    assert "## Errors" not in markdown.read_text(encoding="utf-8")


def test_every_series_run_is_checked_not_only_the_best():
    """The least of several runs merges their stages, so each run is checked on its own."""
    results = fake_results()
    results["series"][1]["runs"][1] = fake_build(4.0, drop=("sitemap", "pages"))
    found = report.problems(results)
    assert found and "the series build at 4x, run 2 reported no time for pages, sitemap" in found[0]
    assert "**not reported**" in report.render(results, findings=None)


def test_only_minify_and_the_search_index_may_be_switched_off():
    off = fake_build(drop=("minify", "search index"), off=("minify", "search index"))
    assert report.missing_stages(off) == []
    text = report.render(fake_results(build=off), findings=None)
    assert "| minify | - | | - | 0 | switched off by settings |" in text
    assert report.missing_stages(fake_build(drop=("minify",))) == ["minify"]  # on, and not reported
    assert report.missing_stages(fake_build(drop=("render",), off=("render",))) == ["render"]


def test_a_failed_build_or_validation_is_an_error():
    failed = fake_results(build={"code": 3, "error": "Traceback: boom"})
    assert report.problems(failed) == ["the build at the default size failed (exit code 3)"]
    assert "Traceback: boom" in report.render(failed, findings=None)
    results = fake_results()
    results["validation"] = {"code": 1, "error": "ModuleNotFoundError: commissioning.load.loader"}
    assert report.problems(results) == ["validation alone (load_dataset) failed (exit code 1)"]


def test_a_stage_inside_another_is_warned_of():
    build = fake_build()
    assert report.overlapping(build) == 0
    build["times"]["derive: everything"] = {"seconds": 8.0, "cpu": 8.0, "calls": 1}  # around every other stage
    assert report.overlapping(build) == pytest.approx(15.5 - (8.5 * 1.05 + 0.5))
    assert "**Warning**: the stages' CPU times add up to 15.50 s" in report.render(fake_results(build=build), findings=None)


def test_a_key_outside_stages_is_an_error():
    build = fake_build()
    build["times"]["rendering: award.html"] = {"seconds": 1.0, "cpu": 1.0, "calls": 1}
    assert report.unknown_stages(build) == ["rendering: award.html"]
    assert any("rendering: award.html" in p for p in report.problems(fake_results(build=build)))


def test_report_re_renders_from_results_json(tmp_path):
    results = tmp_path / "results.json"
    results.write_text(json.dumps(fake_results()), encoding="utf-8")
    process = subprocess.run([sys.executable, str(REPO / "bench" / "report.py"), str(results)],
                             capture_output=True, text=True, cwd=REPO, timeout=60)
    assert process.returncode == 0, process.stderr
    assert "| render: home.html |" in (tmp_path / "results.md").read_text(encoding="utf-8")
    incomplete = fake_results(build=fake_build(drop=("derive",)))
    results.write_text(json.dumps(incomplete), encoding="utf-8")
    process = subprocess.run([sys.executable, str(REPO / "bench" / "report.py"), str(results),
                              "--out", str(tmp_path / "again.md")], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert process.returncode == 1
    assert "reported no time for derive" in process.stderr


def test_the_runner_patches_nothing():
    """The benchmark reads the build's own timings: no attribute of the project or of Pelican is
    assigned, and nothing is set with setattr."""
    tree = ast.parse((REPO / "bench" / "run.py").read_text(encoding="utf-8"))
    imported = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, (ast.Import, ast.ImportFrom))
                and (getattr(node, "module", None) or node.names[0].name).split(".")[0] in ("commissioning", "pelican")
                for alias in node.names}
    assert {"cli", "timing", "pelican"} <= imported
    patched = [ast.unparse(target) for node in ast.walk(tree) if isinstance(node, (ast.Assign, ast.AugAssign))
               for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
               if isinstance(target, ast.Attribute) and isinstance(root := _root(target), ast.Name) and root.id in imported]
    assert patched == []
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "setattr"]


def _root(node):
    while isinstance(node, ast.Attribute):
        node = node.value
    return node


# --- end to end: the real build, at a tiny size ---------------------------------------------------


def test_a_finished_build_is_set_aside_whole_not_deleted(tmp_path):
    """Set aside twice under one name, both are kept whole beside where they were, to go with the work
    folder; a folder that is not there is no error."""
    for text in ("first", "second"):
        output = tmp_path / "site" / "output"
        (output / "page").mkdir(parents=True)
        (output / "page" / "index.html").write_text(text, encoding="utf-8")
        processes.set_aside(output)
        assert not output.exists()
    kept = sorted((tmp_path / "site" / processes.SET_ASIDE).iterdir())
    assert [p.name.split("-")[0] for p in kept] == ["output", "output"]
    assert sorted((p / "page" / "index.html").read_text(encoding="utf-8") for p in kept) == ["first", "second"]
    processes.set_aside(tmp_path / "not-there")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_filesystem_is_named_from_the_mount_table(tmp_path):
    assert processes.filesystem(Path("/proc/self")) == "proc"
    assert processes.filesystem(tmp_path) not in ("", "?", "proc")
    assert bench.machine(tmp_path)["filesystem"] == processes.filesystem(tmp_path)


def test_run_end_to_end_at_a_tiny_size(tmp_path):
    results = tmp_path / "out" / "results.md"
    process = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--awards", "40", "--providers", "15", "--opportunities", "8",
         "--payments", "400", "--series-base", "20,10,5,200", "--series", "1,2", "--series-repeat", "1",
         "--no-hugo", "--no-preview", "--no-sample", "--results", str(results)],
        capture_output=True, text=True, cwd=REPO, timeout=120)
    assert process.returncode == 0, process.stderr
    numbers = json.loads(results.with_suffix(".json").read_text(encoding="utf-8"))
    # Every stage of timing.STAGES reported by every build, the page-writing child's included.
    for build in [numbers["build"]] + [run for entry in numbers["series"] for run in entry["runs"]]:
        assert build["code"] == 0
        assert build["switched_off"] == []
        assert set(timing.STAGES) <= {timing.stage_of(key) for key in build["times"]}
        assert all(value["calls"] >= 1 for value in build["times"].values())
        # Stages are exclusive: one inside another would count its seconds twice in the table.
        assert report.overlapping(build) == 0, build["times"]
    assert numbers["build"]["html_pages"] > 10
    assert {timing.stage_of(key) for key in numbers["validation"]["times"]} >= {"read", "model", "rules"}
    assert numbers["validation"]["payments"] >= 0
    assert [entry["factor"] for entry in numbers["series"]] == [1.0, 2.0]
    text = results.read_text(encoding="utf-8")
    assert "## Errors" not in text and "not reported" not in text
    for heading in ("## Targets", "### Time per stage", "### Each stage's parts", "### Validation",
                    "## Baseline: plain Pelican", "## Scale series"):
        assert heading in text
    for stage in timing.STAGES:
        assert f"| {stage} | " in text, stage
    assert "Ratio ours / plain:" in text
    assert "| stage (CPU s) | 1x | 2x | 2x / 1x | 2x / 1x, user CPU only | |" in text
    assert report.targets(numbers)["ratio"] > 0

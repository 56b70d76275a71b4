"""The benchmark (bench/): its synthetic data is valid, and it runs end to end at a tiny size."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest

from conftest import REPO, Project

sys.path.insert(0, str(REPO / "bench"))

import run as bench  # noqa: E402
import synthetic  # noqa: E402

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


def test_stages_add_up_and_growth_is_flagged():
    """The report splits the build into exclusive stages that sum to the total, and flags super-linear growth."""
    def fake(total, validation, render):
        times = {"validation": [validation, 1], "generator: CommissioningGenerator.generate_context": [validation + 0.1, 1],
                 "generator: CommissioningGenerator.generate_output": [render + 0.2, 1],
                 "render[CommissioningGenerator]: award.html": [render, 100]}
        return {"code": 0, "total": total, "cpu": total, "html_pages": 100, "files": 200, "bytes": 10**6,
                "peak_mb": 100, "children_peak_mb": 0,
                "times": {k: [wall, calls, wall] for k, (wall, calls) in times.items()}}
    one, four = fake(3.0, 1.0, 1.0), fake(15.1, 8.0, 4.0)  # the rest (0.7 s) grows 4x
    rows = bench.stages(one)
    assert sum(seconds for _, seconds, _ in rows) == pytest.approx(3.0)
    assert dict((n, s) for n, s, _ in rows)["writing data files"] == pytest.approx(0.2)
    args = Namespace(seed=1, now=NOW)
    gen = {"providers": 1, "awards": 1, "opportunities": 1, "payments": 1, "payment_files": 1, "seconds": 0.1}
    text, summary = bench.report(args, "cmd", bench.machine(), TINY, TINY, gen, {"code": 1, "error": "x"}, four, None,
                                 [(1.0, TINY, one), (4.0, TINY, four)], None)
    flagged = dict(summary["targets"]["superlinear"])
    assert set(flagged) == {"validation (load_dataset)", "whole build (CPU)"}  # 8x and 5x; rendering grew 4x
    assert "| validation (load_dataset) | 1.00 | 8.00 | 8.00 | **faster than linear** |" in text


def summary_rendered(results: Path) -> float:
    summary = json.loads(results.with_suffix(".json").read_text(encoding="utf-8"))
    return summary["stages_cpu"]["pages rendering (ours)"]


def test_the_least_of_several_runs_counts_stage_by_stage():
    runs = [{"code": 0, "total": 10.0, "cpu": 12.0, "peak_mb": 100, "times": {"derive": [2.0, 1, 2.5], "minify": [1.0, 3, 1.5]}},
            {"code": 0, "total": 11.0, "cpu": 11.0, "peak_mb": 140, "times": {"derive": [1.5, 1, 3.0], "minify": [1.2, 3, 1.0]}}]
    best = bench.best_of(runs)
    assert best["times"] == {"derive": [1.5, 1, 2.5], "minify": [1.0, 3, 1.0]}
    assert (best["total"], best["cpu"], best["peak_mb"], best["runs"]) == (10.0, 11.0, 140, 2)
    failed = {"code": 1, "error": "boom"}
    assert bench.best_of([runs[0], failed]) is failed


def test_run_end_to_end_at_a_tiny_size(tmp_path):
    results = tmp_path / "out" / "results.md"
    process = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--awards", "40", "--providers", "15", "--opportunities", "8",
         "--payments", "400", "--series-base", "20,10,5,200", "--series", "1,2", "--series-repeat", "2",
         "--results", str(results)],
        capture_output=True, text=True, cwd=REPO, timeout=120)
    assert process.returncode == 0, process.stderr
    text = results.read_text(encoding="utf-8")
    for stage in ("validation (load_dataset)", "derive", "spend derive", "page sources", "pages rendering (ours)",
                  "downloads (file sources)", "360Giving", "minify", "search index", "Pelican's own generators"):
        assert f"| {stage} |" in text, stage
    for heading in ("## Targets", "### Time per stage", "### Validation", "## Baseline: plain Pelican", "## Scale series"):
        assert heading in text
    assert "Ratio ours / plain:" in text
    assert "| stage (CPU s) | 1x | 2x | 2x / 1x |" in text
    assert "2 times: each stage's least CPU time of the 2 runs counts" in text
    # The page-writing child's stage timings reached the report: rendering happens only there.
    assert summary_rendered(results) > 0
    summary = json.loads(results.with_suffix(".json").read_text(encoding="utf-8"))
    assert summary["build"]["html_pages"] > 10
    assert summary["validation"]["payments"] >= 0
    assert summary["targets"]["ratio"] > 0
    assert [s["factor"] for s in summary["series"]] == [1.0, 2.0]

"""The hourly build publishes nothing when nothing would change: `python -m commissioning unchanged`."""

from __future__ import annotations

import json

from commissioning import unchanged
from conftest import REPO


def _unchanged(project, now: str) -> tuple[int, str]:
    result = project._run(unchanged.unchanged, REPO / "pelicanconf.py", str(project.root / "output"), overrides=project.overrides(now))
    return result.code, result.out


def test_nothing_changes_within_the_hour_when_no_status_moves(minimal_project):
    assert minimal_project.build(now="2026-11-24T09:00").code == 0
    state = json.loads((minimal_project.root / "output" / "build-state.json").read_text())
    assert state["statuses"] == {"OPP-2025-001": "awarded", "OPP-2026-002": "open"}
    code, out = _unchanged(minimal_project, "2026-11-24T10:17")
    assert code == 0, out
    assert "Nothing has changed since the published build" in out


def test_a_status_that_moves_means_a_build(minimal_project):
    # OPP-2026-002 closes at noon on 12 January 2027; with the default 14 days it is "closing soon" from 29 December.
    assert minimal_project.build(now="2026-12-29T11:00").code == 0
    assert _unchanged(minimal_project, "2026-12-29T11:59")[0] == 0
    code, out = _unchanged(minimal_project, "2026-12-29T12:00")
    assert code == 1 and "statuses" in out, out


def test_a_new_day_means_a_build(minimal_project):
    # Award statuses, day counts and late returns follow the date in UK time.
    assert minimal_project.build(now="2026-11-24T23:30").code == 0
    code, out = _unchanged(minimal_project, "2026-11-25T00:10")
    assert code == 1 and "day" in out, out


def test_an_edited_file_means_a_build(minimal_project):
    assert minimal_project.build(now="2026-11-24T09:00").code == 0
    minimal_project.replace("data/awards.csv", "Emotional and practical support", "Practical and emotional support")
    code, out = _unchanged(minimal_project, "2026-11-24T09:30")
    assert code == 1 and "inputs" in out, out


def test_without_a_published_state_it_builds(minimal_project, tmp_path):
    code, out = _unchanged(minimal_project, "2026-11-24T09:00")
    assert code == 1 and "cannot read the published build-state.json" in out.lower()


def test_bad_data_means_a_build_that_reports_it(minimal_project):
    assert minimal_project.build(now="2026-11-24T09:00").code == 0
    minimal_project.replace("data/awards.csv", "150000,2025-03-01", "15O000,2025-03-01")
    code, out = _unchanged(minimal_project, "2026-11-24T09:05")
    assert code == 1 and "the data has problems" in out.lower(), out


def test_a_file_the_gate_refuses_means_a_build_that_reports_it(minimal_project):
    # A page as HTML skips every check of the content; the gate refuses it before anything reads it.
    assert minimal_project.build(now="2026-11-24T09:00").code == 0
    (minimal_project.root / "content" / "pages" / "notice.html").write_text("<p>Closed for the holiday</p>\n")
    code, out = _unchanged(minimal_project, "2026-11-24T09:05")
    assert code == 1 and "a file in data/ or content/ is refused" in out.lower(), out


def test_the_answer_reaches_the_workflow_as_a_step_output(minimal_project, tmp_path, monkeypatch):
    assert minimal_project.build(now="2026-11-24T09:00").code == 0
    outputs = tmp_path / "github-output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    _unchanged(minimal_project, "2026-11-24T09:30")
    assert outputs.read_text() == "changed=false\n"


def test_the_workflow_skips_every_later_step_and_the_deploy_when_nothing_changed():
    import yaml

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "site.yml").read_text())
    steps = workflow["jobs"]["checks"]["steps"]
    at = next(i for i, step in enumerate(steps) if step.get("id") == "state")
    assert "make unchanged" in steps[at]["run"] and steps[at]["if"] == "github.event_name == 'schedule'"
    guard = "steps.state.outputs.changed != 'false'"
    unguarded = [step["name"] for step in steps[at + 1:]
                 if guard not in step.get("if", "") and step.get("if") not in ("failure()", "github.event_name != 'schedule'")]
    assert unguarded == []
    assert workflow["jobs"]["checks"]["outputs"]["changed"] == "${{ steps.state.outputs.changed }}"
    assert "needs.checks.outputs.changed != 'false'" in workflow["jobs"]["deploy"]["if"]
    assert "unchanged:" in (REPO / "Makefile").read_text()

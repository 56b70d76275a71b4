"""Publishing: starting a new opportunity, and the workflow that checks and publishes the site."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, page

import new_opportunity
from commissioning.load.read import parse_yaml

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
TODAY = date(2026, 11, 24)


# --- make new-opportunity ---------------------------------------------------------------------


def test_next_id_is_one_more_than_the_highest_used_that_year(minimal_project):
    data = minimal_project.path("data")
    assert new_opportunity.next_id(data, 2026) == "OPP-2026-003"  # OPP-2026-002 exists
    assert new_opportunity.next_id(data, 2025) == "OPP-2025-002"  # OPP-2025-001 exists
    assert new_opportunity.next_id(data, 2027) == "OPP-2027-001"  # none yet


def test_next_id_skips_numbers_used_by_misnamed_files_and_by_awards(minimal_project):
    """An id used anywhere is taken: in a file's `id:` line, or by an award whose file is gone."""
    minimal_project.write("data/opportunities/draft.md", "---\nid: opp-2026-011\n---\n")
    assert new_opportunity.next_id(minimal_project.path("data"), 2026) == "OPP-2026-012"
    minimal_project.replace("data/awards.csv", ",OPP-2025-001,", ",OPP-2026-040,")
    assert new_opportunity.next_id(minimal_project.path("data"), 2026) == "OPP-2026-041"


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(min_value=1, max_value=1200), max_size=8))
def test_next_id_is_never_one_already_used(tmp_path_factory, numbers):
    data = tmp_path_factory.mktemp("data")
    (data / "opportunities").mkdir()
    for number in numbers:
        (data / "opportunities" / f"OPP-2026-{number:03d}.md").write_text("---\n---\n", encoding="utf-8")
    new = new_opportunity.next_id(data, 2026)
    assert re.fullmatch(r"OPP-2026-\d{3,}", new)
    assert int(new.rsplit("-", 1)[1]) == max(numbers, default=0) + 1


def test_a_new_opportunity_fails_the_check_until_each_decision_is_made(minimal_project):
    """The file is written with the next id, and `check` lists exactly the fields left to fill in."""
    path = new_opportunity.create(minimal_project.path("data"), TODAY, title="Youth outreach: a pilot")
    assert path == minimal_project.path("data/opportunities/OPP-2026-003.md")
    text = path.read_text(encoding="utf-8")
    assert "\nid: OPP-2026-003\n" in text
    assert '\ntitle: "Youth outreach: a pilot"\n' in text
    assert "\ncontact_email: funding@testshire-pcc.example\n" in text  # from funder.yaml
    assert "# The codes in data/funder.yaml: moj-victims, community-safety-fund\nfunding_stream:" in text

    result = minimal_project.check()
    assert result.code == 1
    assert all(p.startswith("data/opportunities/OPP-2026-003.md:") for p in result.problems), result.err
    fields = {p.split(": ")[1] for p in result.problems}
    # An empty value is a missing value. How to apply (apply_url or apply_email) is a rule across
    # fields, checked once the fields themselves are valid: see the passing test below.
    to_fill = {"summary", "funding_stream", "priorities", "funding_envelope", "duration_months", "opens", "closes"}
    assert fields == to_fill, result.problems


def _fill_in(project, name: str) -> None:
    for old, new in [
        ("summary:\n", "summary: Outreach to young people at risk of exploitation.\n"),
        ("funding_stream:\n", "funding_stream: community-safety-fund\n"),
        ("priorities:\n", "priorities: [prevention]\n"),
        ("funding_envelope:\n", "funding_envelope: 40000\n"),
        ("duration_months:\n", "duration_months: 12\n"),
        ("opens:\n", "opens: 2026-12-01T09:00\n"),
        ("closes:\n", "closes: 2027-01-15T12:00\n"),
        ("apply_url:\n", "apply_url: https://apply.example/youth-outreach\n"),
    ]:
        project.replace(name, old, new)


def test_a_new_opportunity_passes_the_check_once_filled_in(minimal_project):
    new_opportunity.create(minimal_project.path("data"), TODAY, title="Youth outreach")
    _fill_in(minimal_project, "data/opportunities/OPP-2026-003.md")
    result = minimal_project.check()
    assert result.code == 0, result.err


def test_a_filled_in_opportunity_is_published_with_its_defaults(minimal_project):
    new_opportunity.create(minimal_project.path("data"), TODAY, title="Youth outreach")
    _fill_in(minimal_project, "data/opportunities/OPP-2026-003.md")
    result = minimal_project.build()
    assert result.code == 0, result.err
    soup = page(result.output, "opportunities/opp-2026-003/")
    assert soup.h1.get_text(strip=True) == "Youth outreach"
    text = soup.get_text(" ", strip=True)
    assert "Quality" in text and "Value for money" in text  # the template's evaluation criteria
    # The template's notes to staff are comments: none of them reaches the page.
    assert "Below each heading" not in text and "delete the #" not in text


def test_the_template_copied_by_hand_is_refused_until_its_id_is_changed(minimal_project):
    """Copied into place and filled in but with its placeholder id, the template is still refused."""
    template = new_opportunity.TEMPLATE.read_text(encoding="utf-8")
    name = "data/opportunities/OPP-2026-003.md"
    minimal_project.write(name, template)
    _fill_in(minimal_project, name)
    minimal_project.replace(name, "title:\n", "title: Youth outreach\n")
    minimal_project.replace(name, "contact_email:\n", "contact_email: funding@testshire-pcc.example\n")
    line = template.split("\n").index("id: OPP-YYYY-NNN") + 1
    result = minimal_project.check()
    assert result.problems == [
        f"{name}:{line}: id: 'OPP-YYYY-NNN' does not match the file name 'OPP-2026-003'; rename the file or change the id"
    ]
    minimal_project.replace(name, "id: OPP-YYYY-NNN", "id: OPP-2026-003")
    assert minimal_project.check().code == 0


def test_the_script_prints_the_file_and_what_to_do_next(minimal_project):
    data = minimal_project.path("data")
    before = set(data.glob("opportunities/*.md"))
    run = subprocess.run(
        [sys.executable, str(REPO / "tools" / "new_opportunity.py"), "--data", str(data), "--title", "Night buses"],
        capture_output=True, text=True, cwd=minimal_project.root, stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": f"{REPO / 'plugins'}:{REPO / 'tools'}"},
    )
    assert run.returncode == 0, run.stderr
    (written,) = set(data.glob("opportunities/*.md")) - before  # named for today's date, in the UK
    assert f"Wrote data/opportunities/{written.name}\n" in run.stdout
    assert "make check" in run.stdout and "pull request" in run.stdout
    assert "\ntitle: Night buses\n" in written.read_text(encoding="utf-8")


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(whitelist_categories=("L", "M", "N", "P", "S", "Zs")), min_size=1, max_size=80))
def test_a_title_is_written_so_that_it_reads_back_unchanged(title):
    written = new_opportunity.yaml_text(title)
    assert "\n" not in written
    value, _ = parse_yaml(f"title: {written}\n", "t.md")
    assert value == {"title": " ".join(title.split())}


# --- the workflow -----------------------------------------------------------------------------


def _load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as true
    return workflow


def _workflow() -> dict:
    assert len(WORKFLOWS) == 1, "one workflow checks and publishes: .github/workflows/site.yml"
    return _load(WORKFLOWS[0])


def _steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def _run(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in _steps(job))


def test_workflows_are_valid_yaml_with_jobs():
    assert WORKFLOWS
    for path in WORKFLOWS:
        workflow = _load(path)
        assert workflow["on"] and workflow["jobs"], path.name


def test_every_action_is_pinned_to_a_full_commit_with_its_release_named():
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        lines = [line.strip() for line in text.splitlines() if re.match(r"\s*(-\s*)?uses:", line)]
        used = [s["uses"] for job in _load(path)["jobs"].values() for s in _steps(job) if "uses" in s]
        assert len(lines) == len(used) > 0
        for line in lines:
            if re.match(r"(-\s*)?uses:\s*\./", line):
                continue  # an action in this repository
            assert re.fullmatch(r"(-\s*)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def test_permissions_are_least_privilege():
    workflow = _workflow()
    assert workflow["permissions"] == {"contents": "read"}
    writers = {}
    for name, job in workflow["jobs"].items():
        permissions = job.get("permissions", workflow["permissions"])
        assert isinstance(permissions, dict), f"{name}: permissions must be listed, not read-all/write-all"
        writes = {scope for scope, level in permissions.items() if level == "write"}
        if writes:
            writers[name] = writes
    assert writers == {"deploy": {"pages", "id-token"}}
    assert workflow["jobs"]["checks"]["permissions"] == {"contents": "read", "pages": "read"}


def test_the_checks_run_the_readme_commands_in_order():
    checks = _workflow()["jobs"]["checks"]
    run = _run(checks)
    # `make check`, with annotations: the command itself, or `make check GITHUB=1` once the Makefile takes it.
    run = run.replace("make check GITHUB=1", "commissioning check --github")
    order = ["make setup", "commissioning check --github", "make site", "make check-site", "make test", "make publish"]
    positions = [run.find(command) for command in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions)


def test_every_make_target_the_workflow_runs_exists():
    targets = set(re.findall(r"^([a-z][\w-]*):", (REPO / "Makefile").read_text(encoding="utf-8"), re.MULTILINE))
    for path in WORKFLOWS:
        for job in _load(path)["jobs"].values():
            for target in re.findall(r"\bmake ([a-z][\w-]*)", _run(job)):
                assert target in targets, f"{path.name} runs `make {target}`, which the Makefile lacks"


def test_python_and_node_are_set_up_with_caches():
    steps = {s["uses"].split("@")[0]: s for s in _steps(_workflow()["jobs"]["checks"]) if "uses" in s}
    python, node = steps["actions/setup-python"]["with"], steps["actions/setup-node"]["with"]
    assert python["python-version"] == "3.11" and python["cache"] == "pip"
    assert node["node-version"] == "22" and node["cache"] == "npm"
    assert (REPO / "package-lock.json").is_file()  # setup-node's npm cache is keyed on it


def test_the_workbooks_kept_by_the_last_run_are_restored_before_the_builds():
    from commissioning.derive.kept_suppression import FILE
    from commissioning.open_data.kept_workbooks import FOLDER

    steps = _steps(_workflow()["jobs"]["checks"])
    at = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache@"))
    kept = steps[at]["with"]
    assert kept["path"].split() == [FOLDER.as_posix(), FILE.as_posix()]
    # A cache is written once under its key: a key per run saves each run's, the prefix restores the newest.
    assert kept["key"] == "workbooks-${{ github.run_id }}" and kept["restore-keys"] == "workbooks-"
    first_build = next(i for i, s in enumerate(steps) if "make site" in s.get("run", ""))
    assert at < first_build


def test_the_preview_and_screenshots_are_uploaded():
    uploads = [s for s in _steps(_workflow()["jobs"]["checks"]) if s.get("uses", "").startswith("actions/upload-artifact@")]
    paths = {s["with"]["name"]: s["with"]["path"] for s in uploads}
    assert paths == {"site-preview": "output/", "screenshots": "output-checks/"}


def test_deploy_runs_on_main_only_after_every_check_passed():
    workflow = _workflow()
    checks, deploy = workflow["jobs"]["checks"], workflow["jobs"]["deploy"]
    assert deploy["needs"] in ("checks", ["checks"])
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    assert "always()" not in deploy["if"] and "failure()" not in deploy["if"]  # a failed check stops it
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert [s["uses"].split("@")[0] for s in _steps(deploy)] == ["actions/deploy-pages"]

    steps = _steps(checks)
    names = [s.get("uses", "").split("@")[0] for s in steps]
    handover = names.index("actions/upload-pages-artifact")
    last_check = max(i for i, s in enumerate(steps) if "make " in s.get("run", "") or "sitecheck" in s.get("run", ""))
    assert handover > last_check, "the site is handed to Pages only after every check"
    assert steps[handover]["if"] == "(env.PUBLISH == 'true') && steps.state.outputs.changed != 'false'"
    assert "always()" not in str(steps[handover]) and "failure()" not in str(steps[handover])
    assert "refs/heads/main" in checks["env"]["PUBLISH"] and "pull_request" in checks["env"]["PUBLISH"]
    assert steps[handover]["with"]["path"] == "output/"


def test_the_site_address_comes_from_pages_through_publishconf():
    steps = _steps(_workflow()["jobs"]["checks"])
    pages = next(s for s in steps if s.get("uses", "").startswith("actions/configure-pages@") and s.get("id") == "pages")
    publish = next(s for s in steps if "make publish" in s.get("run", ""))
    assert publish["env"]["PAGES_URL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}"
    assert 'export SITEURL="$PAGES_URL"' in publish["run"]
    # publishconf.py reads SITEURL from the environment: the one place a fork changes its address.
    read = "import publishconf; print(publishconf.SITEURL)"
    env = {**os.environ, "SITEURL": "https://fork.example/commissioning/"}
    out = subprocess.run([sys.executable, "-c", read], cwd=REPO, env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "https://fork.example/commissioning", out.stderr


def test_triggers_include_an_hourly_build_and_a_manual_one():
    on = _workflow()["on"]
    assert "pull_request" in on and on["push"]["branches"] == ["main"] and "workflow_dispatch" in on
    (schedule,) = on["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    # Every hour, so a call closing at noon shows as closed within the hour (status.js covers the rest).
    assert (hour, day, month, weekday) == ("*", "*", "*", "*")
    assert 0 <= int(minute) <= 59


def test_the_readme_quick_start_test_command_is_what_ci_runs():
    readme, ci = REPO / "README.md", REPO / ".ci" / "run"
    if not readme.is_file() or not ci.is_file():
        pytest.skip("README.md or .ci/run is not written yet")
    commands = re.findall(r"^\s*(?:\$\s*)?(make test\b[^#\n]*)", readme.read_text(encoding="utf-8"), re.MULTILINE)
    assert commands, "the README's quick start gives the test command"
    ci_commands = {line.split("#")[0].strip() for line in ci.read_text(encoding="utf-8").splitlines()}
    assert commands[0].strip() in ci_commands

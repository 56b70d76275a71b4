"""The staff guide lists every message the checks can give, with its fix, and stays in step with the code.

docs/publishing.md has a section "Every message and its fix": one list item per message, written
in a double-backtick code span, with the parts that change (a value, a number, a list) shown as
placeholders in angle brackets: `` '<value>' is not an amount in pounds; ... ``.

Three directions are checked:
- every message produced by real bad input (the cases of test_rules.py and more here)
  matches an entry, placeholders standing for any text;
- every message written in the code (the text given to `Problem`, `_at`, a field
  parser's `ValueError`, and `validate.message_for`), found by reading the source, has an entry, so
  a new message without one fails here;
- every entry still matches a message in the code, so the guide keeps no stale ones.
"""

from __future__ import annotations

import ast
import itertools
import re
import sys

import pytest

from conftest import REPO
from test_rules import CASES

from commissioning.load.loader import load_dataset
from commissioning.load.rules.personal_data import FINDERS
from commissioning.problems import DataError

GUIDE = REPO / "docs" / "publishing.md"
PACKAGE = REPO / "plugins" / "commissioning"
SECTION = "## Every message and its fix"
# Modules whose ValueErrors are advice shown to staff (a field's parser or a model's validator).
ADVICE_MODULES = {"fields.py", "models.py", "monitoring.py", "values.py"}
HOLE = "\x00"  # a part of a message only known when it is produced


# --- the guide --------------------------------------------------------------------------------


def guide_entries() -> list[str]:
    """The messages listed in the guide's section, as written (placeholders and all)."""
    text = GUIDE.read_text(encoding="utf-8")
    assert SECTION in text, f"docs/publishing.md needs a section headed '{SECTION}'"
    section = text.split(SECTION, 1)[1]
    section = re.split(r"^## ", section, maxsplit=1, flags=re.MULTILINE)[0]
    return [m.group(1) for m in re.finditer(r"^- `` (.+?) ``", section, re.MULTILINE)]


def entry_pattern(entry: str) -> re.Pattern:
    """An entry as a pattern: each <placeholder> stands for any text, even none ('' is a value)."""
    parts = re.split(r"<[^<>\n]+>", entry)
    return re.compile(".*".join(re.escape(part) for part in parts), re.DOTALL)


# --- the code ---------------------------------------------------------------------------------


def _templates(node: ast.AST, names: dict[str, list[str]]) -> list[str]:
    """Every text a message expression can have, with HOLE for each part known only at run time.

    A name assigned text in the same function stands for that text (`expected` in message_for).
    """
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.IfExp):
        return _templates(node.body, names) + _templates(node.orelse, names)
    if isinstance(node, ast.List):  # several messages given to one call
        return [text for element in node.elts for text in _templates(element, names)]
    if isinstance(node, ast.JoinedStr):
        choices = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                choices.append([part.value])
            else:
                inner = part.value
                known = isinstance(inner, ast.Name) and inner.id in names and part.format_spec is None
                choices.append(names[inner.id] if known else [HOLE])
        return ["".join(combination) for combination in itertools.product(*choices)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [a + b for a in _templates(node.left, names) or [HOLE] for b in _templates(node.right, names) or [HOLE]]
    return []


def _assigned_text(function: ast.AST) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            found = _templates(node.value, {})
            if found:
                names.setdefault(node.targets[0].id, []).extend(found)
    return names


def _message_argument(call: ast.Call, module: str) -> ast.AST | None:
    """The message given to a call that makes a problem (or a parser's advice), if it is one."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    keyword = {k.arg: k.value for k in call.keywords}
    if name == "Problem":
        return call.args[3] if len(call.args) > 3 else keyword.get("message")
    if name == "SettingsError" and call.args:
        return call.args[0]
    if name in ("at", "_at"):
        return call.args[2] if len(call.args) > 2 else keyword.get("message")
    if name == "problem" and call.args:  # the imports' readers: .problem(where..., message)
        return call.args[-1]
    if name == "ValueError" and module in ADVICE_MODULES and call.args:
        return call.args[0]
    if name == "bounded_decimal" and module in ADVICE_MODULES:  # (value, pattern, not_a_number, too_large)
        return ast.List(elts=call.args[2:4])
    return None


def code_messages() -> dict[str, str]:
    """Every message template in the plugin's source, with where it is: {template: 'load/rules/awards.py:73'}."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for function in [tree, *functions]:
            names = _assigned_text(function) if function is not tree else {}
            body = function.body if function is tree else [function]
            for node in (n for statement in body for n in ast.walk(statement)):
                message = None
                if isinstance(node, ast.Call):
                    message = _message_argument(node, path.name)
                elif isinstance(node, ast.Return) and getattr(function, "name", "") == "message_for":
                    message = node.value
                for template in _templates(message, names) if message is not None else []:
                    found.setdefault(template, f"{where}:{node.lineno}")
    # A personal-data message is put together from FINDERS: each kind of finding is its own message.
    for _, what, advice in FINDERS:
        found.setdefault(f"'{HOLE}' looks like {what}; {advice}", "personal_data.py:FINDERS")
    return found


def _literal(template: str) -> str:
    """The words a template fixes, without its holes, quotes and punctuation."""
    return re.sub(r"[\W_]+", "", template.replace(HOLE, ""))


def template_pattern(template: str) -> re.Pattern:
    return re.compile(".+?".join(re.escape(part) for part in template.split(HOLE)), re.DOTALL)


def distinctive(templates: dict[str, str]) -> dict[str, str]:
    """The templates that say enough to recognise (not `'<value>' <advice>` or `must be <...>`)."""
    return {t: where for t, where in templates.items() if len(_literal(t)) >= 10}


# --- problems produced by bad input ----------------------------------------------------------

# More bad input, for messages the cases of test_rules.py do not produce:
# (case, file, text to find or None to replace the whole file, replacement)
MORE_CASES = [
    ("header column unknown", "data/awards.csv", "id,title,description,", "id,title,descripton,"),
    ("header column with no heading", "data/providers.csv", "id,name,", "id,,name,"),
    ("column heading twice", "data/providers.csv", "id,name,", "id,name,name,"),
    ("too many cells", "data/providers.csv", "Testtown,yes,yes,yes,yes", "Testtown,yes,yes,yes,yes,extra"),
    ("stray double quote", "data/providers.csv", "Testshire Victim Care", '"Testshire Victim" Care'),
    ("empty file", "data/awards.csv", None, ""),
    ("not UTF-8", "data/awards.csv", None, b"id,title\n\xff\xfeBPCC,caf\xe9\n"),
    ("binary", "data/awards.csv", None, b"PK\x03\x04\x00\x00binary"),
    ("funder not a mapping", "data/funder.yaml", None, "- a list\n- not fields\n"),
    ("front matter without dashes", "data/opportunities/OPP-2026-002.md", "---\nid:", "id:"),
    ("front matter not closed", "data/opportunities/OPP-2025-001.md", "---\nThe service", "The service"),
    ("front matter not a mapping", "data/opportunities/OPP-2025-001.md", None, "---\njust text\n---\nBody\n"),
    ("key that is not text", "data/funder.yaml", "payment_terms_days: 30", "[a, b]: 30\npayment_terms_days: 30"),
    ("group where a list belongs", "data/opportunities/OPP-2025-001.md", "who_can_apply: [charity]",
     "who_can_apply: [charity]\nevents:\n  title: x"),
    ("list where a group belongs", "data/opportunities/OPP-2025-001.md", "  - criterion: Quality\n    weight: 100",
     "  - [Quality, 100]"),
    ("priority code used twice", "data/funder.yaml", "  - code: victims", "  - code: prevention"),
    ("no priority", "data/awards.csv", "moj-victims,victims,grant,open-call", "moj-victims,,grant,open-call"),
    ("nobody can apply", "data/opportunities/OPP-2025-001.md", "who_can_apply: [charity]", "who_can_apply: []"),
    ("award extends itself", "data/awards.csv", ",TPCC-2025-002\n", ",TPCC-2026-003\n"),
    ("awards extend each other", "data/awards.csv", "Youth diversion,Activities for young people at risk.,"
     "360G-testshirepcc-youth-club,community-safety-fund,prevention,grant,invited,12000,2025-05-01,2025-06-01,2026-05-31,,,,,",
     "Youth diversion,Activities for young people at risk.,360G-testshirepcc-youth-club,community-safety-fund,"
     "prevention,grant,invited,12000,2025-05-01,2025-06-01,2026-05-31,,,,,TPCC-2026-003"),
    ("clarification deadline after closing", "data/opportunities/OPP-2026-002.md", "decision_by:",
     "clarification_deadline: 2027-02-01T12:00\ndecision_by:"),
    ("no evaluation criteria", "data/opportunities/OPP-2025-001.md",
     "evaluation_criteria:\n  - criterion: Quality\n    weight: 100", "evaluation_criteria: []"),
    ("min award above max", "data/opportunities/OPP-2026-002.md", "min_award: 20000", "min_award: 95000"),
    ("document address that is neither", "data/opportunities/OPP-2026-002.md", "apply_url:",
     "documents:\n  - title: Specification\n    url: ftp://files.example/spec.pdf\napply_url:"),
    ("payments file not named for a year", "data/payments/2025.csv", None, "date,provider_id,amount,description\n"),
    ("payment of nothing", "data/payments/2025-26.csv", ",1000,", ",0,"),
    ("payment before the award", "data/payments/2025-26.csv", "2025-07-04,360G", "2025-04-04,360G"),
    ("payments over the award", "data/payments/2025-26.csv", ",1000,", ",12500,"),
    ("content page link to nothing", "content/pages/about.md", "[our data]({site}/data/)", "[help]({filename}/pages/help.md)"),
    ("email in a content page", "content/pages/about.md", "About this site.", "Write to jo.bloggs@gmail.com."),
    ("title too long", "data/opportunities/OPP-2025-001.md", "title: Victim care service", "title: " + "V" * 150),
    ("unknown field in a group", "data/opportunities/OPP-2025-001.md", "    weight: 100", "    weight: 100\n    wieght: 100"),
    ("yes/no answer", "data/providers.csv", "Testtown,yes,yes", "Testtown,perhaps,yes"),
    ("email address that is not one", "data/opportunities/OPP-2025-001.md", "contact_email: funding@testshire-pcc.example",
     "contact_email: funding at testshire"),
    ("code with capitals", "data/opportunities/OPP-2025-001.md", "funding_stream: moj-victims", "funding_stream: MoJ victims"),
    ("whole number with words", "data/opportunities/OPP-2025-001.md", "duration_months: 36", "duration_months: three years"),
    ("missing data file", "data/providers.csv", None, None),
]


def _problems(project, file, old, new) -> list:
    if new is None:
        project.path(file).unlink()
    elif old is None:
        project.write(file, new)
    else:
        project.replace(file, old, new)
    try:
        dataset = load_dataset(project.path("data"), project.path("content"), project.root)
    except DataError as error:
        return [*error.problems, *error.warnings]
    return dataset.warnings


ALL_CASES = [(case, file, old, new) for case, file, old, new, _ in CASES] + MORE_CASES


@pytest.mark.parametrize("case,file,old,new", ALL_CASES, ids=[c[0] for c in ALL_CASES])
def test_every_message_produced_by_bad_input_is_in_the_guide(minimal_project, case, file, old, new):
    problems = _problems(minimal_project, file, old, new)
    assert problems, f"{case}: the bad input gave no problem, so this case tests nothing"
    patterns = [entry_pattern(e) for e in guide_entries()]
    missing = [str(p) for p in problems if not any(pattern.fullmatch(p.message) for pattern in patterns)]
    assert not missing, "not in docs/publishing.md:\n" + "\n".join(missing)


def test_every_message_in_the_code_is_in_the_guide():
    entries = guide_entries()
    missing = [f"{where}: {template.replace(HOLE, '<...>')}"
               for template, where in code_messages().items()
               if not any(template_pattern(template).search(entry) for entry in entries)]
    assert not missing, "messages in the code with no entry in docs/publishing.md:\n" + "\n".join(missing)


def test_every_message_in_the_guide_is_still_in_the_code():
    templates = [template_pattern(t) for t in distinctive(code_messages())]
    stale = [entry for entry in guide_entries() if not any(t.search(entry) for t in templates)]
    assert not stale, "entries in docs/publishing.md that no code produces any more:\n" + "\n".join(stale)


def test_the_guide_lists_each_message_once():
    entries = guide_entries()
    assert len(entries) > 50
    assert len(entries) == len(set(entries))


def test_reading_the_code_finds_the_messages_we_know_are_there():
    """The source scan is the guard against new messages: it must see every kind of message."""
    found = code_messages()
    for known in [
        "is required but missing or empty; fill it in",  # validate.message_for
        "must be a group of `name: value` lines",  # message_for, through a name assigned text
        "is not a whole number; write digits only, for example 36",  # a parser's ValueError
        f"'{HOLE}' is not {HOLE}; check the spelling, or add it to {HOLE} first",  # rules._at
        "is empty; it needs at least a header row or some fields",  # load.Problem
        f"'{HOLE}' looks like a phone number; remove it: publish no phone numbers",  # FINDERS
    ]:
        assert known in found, known
    assert len(distinctive(found)) > 50


def test_a_new_message_without_a_guide_entry_would_be_caught(tmp_path, monkeypatch):
    """Add a rule with a new message to a copy of the package: the source scan reports it."""
    import shutil

    copy = tmp_path / "commissioning"
    shutil.copytree(PACKAGE, copy)
    (copy / "new_rule.py").write_text(
        "from .load.rules.common import at\n\n\ndef r(data):\n"
        "    for a in data.awards:\n"
        "        yield at(a, 'title', f\"'{a.title}' mentions a dragon; dragons are not organisations\")\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", copy)
    template = f"'{HOLE}' mentions a dragon; dragons are not organisations"
    assert code_messages()[template] == "new_rule.py:6"
    assert not any(template_pattern(template).search(e) for e in guide_entries())


def test_the_guide_shows_what_the_check_prints_for_a_new_opportunity(minimal_project):
    """The example under "The check is your checklist" is real output for a file just started."""
    import new_opportunity
    from datetime import date

    text = GUIDE.read_text(encoding="utf-8").split("### The check is your checklist", 1)[1]
    example = re.search(r"```\n(.*?)```", text, re.DOTALL).group(1).splitlines()
    assert example
    path = new_opportunity.create(minimal_project.path("data"), date(2026, 11, 24))
    printed = minimal_project.check().problems
    for line in example:
        shown = re.sub(r"OPP-\d{4}-\d{3}", path.stem, line)
        assert shown in printed, (
            f"docs/publishing.md shows\n  {line}\nbut `make check` on a new opportunity prints:\n  "
            + "\n  ".join(printed) + "\nUpdate the example in the guide."
        )

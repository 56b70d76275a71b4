"""docs/architecture.md shows the plugin's tree as it is, and the tree keeps the shape it describes."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys

from conftest import REPO

PACKAGE = REPO / "plugins" / "commissioning"
DOC = REPO / "docs" / "architecture.md"


def documented_modules() -> set[str]:
    """Every .py path in the tree block of docs/architecture.md, relative to the package."""
    block = DOC.read_text(encoding="utf-8").split("## The tree", 1)[1].split("```")[1]
    lines = block.strip("\n").splitlines()[1:]  # the first line is the package itself
    found, folders = set(), []
    for line in lines:
        indent = (len(line) - len(line.lstrip(" "))) // 2 - 1
        name = line.split()[0]
        del folders[indent:]
        if name.endswith("/"):
            folders.append(name.rstrip("/"))
        elif name.endswith(".py"):
            found.add("/".join([*folders, name]))
    return found


def package_modules() -> set[str]:
    """Every module of the package; a folder's __init__.py only where it holds more than a docstring."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if "__pycache__" in relative:
            continue
        if path.name == "__init__.py" and path.parent != PACKAGE:
            body = ast.parse(path.read_text(encoding="utf-8")).body
            if all(isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) for n in body):
                continue
        found.add(relative)
    return found


def test_the_architecture_document_names_every_module_and_no_other():
    documented, actual = documented_modules(), package_modules()
    assert documented, "the tree block in docs/architecture.md was not found"
    assert not actual - documented, f"modules missing from docs/architecture.md: {sorted(actual - documented)}"
    assert not documented - actual, f"docs/architecture.md names modules that do not exist: {sorted(documented - actual)}"


def test_a_module_left_out_of_the_document_is_caught(tmp_path, monkeypatch):
    """The check above can fail: a copy of the package with one module more is reported."""
    import shutil

    copy = tmp_path / "commissioning"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "spend" / "forecast.py").write_text('"""Not documented."""\n', encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", copy)
    assert "spend/forecast.py" in package_modules() - documented_modules()


def imports_of(path) -> set[str]:
    """The plugin modules a module imports, at the top or inside functions, as dotted names."""
    module = ".".join(("commissioning", *path.relative_to(PACKAGE).with_suffix("").parts))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    if path.name == "__init__.py":
        module = module.removesuffix(".__init__")
        package = module
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rsplit(".", 1)[0]
            target = (f"{base}.{node.module}" if node.module else base) if node.level else (node.module or "")
            if target.startswith("commissioning"):
                candidates = [f"{target}.{alias.name}" for alias in node.names]
                found.update(c for c in candidates if _exists(c)) or None
                if not any(_exists(c) for c in candidates):
                    found.add(target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("commissioning"))
    return found


def _exists(dotted: str) -> bool:
    relative = dotted.split(".")[1:]
    path = PACKAGE.joinpath(*relative)
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_no_module_of_the_plugin_imports_one_that_imports_it_back():
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        if "__pycache__" in path.parts:
            continue
        name = ".".join(("commissioning", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
        graph[name] = {t.removesuffix(".__init__") for t in imports_of(path)}
    # Importing a module imports its packages first; a module's own package is not an edge back to it.
    seen, stack, circles = set(), [], []

    def visit(node, trail):
        for target in graph.get(node, ()):
            if target == node or node.startswith(target + "."):
                continue
            if target in trail:
                circles.append(trail[trail.index(target):] + [target])
            elif target not in seen:
                visit(target, trail + [target])
        seen.add(node)

    for start in sorted(graph):
        if start not in seen:
            visit(start, [start])
    assert not circles, f"import circles: {circles[:3]}"


def test_no_module_is_over_400_lines():
    long = {p.relative_to(PACKAGE).as_posix(): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long, long


def test_importing_any_module_first_gives_the_same_site_lists():
    """No registry fills itself by import: whatever is imported first, the sections and rules are the same."""
    code = ("import importlib, sys; importlib.import_module(sys.argv[1]); "
            "from commissioning.sections import SECTIONS; from commissioning.load.rules import RULES; "
            "print([s.name for s in SECTIONS], [r.__name__ for r in RULES])")
    outputs = set()
    for first in ("commissioning.open_data.datapackage", "commissioning.load.rules.payments", "commissioning.cli"):
        # A bare environment but for where compiled modules go (the Makefile's cache/python/), so
        # that none is written beside the sources.
        bytecode = {k: os.environ[k] for k in ("PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE") if k in os.environ}
        result = subprocess.run([sys.executable, "-c", code, first], capture_output=True, text=True,
                                env={"PYTHONPATH": str(REPO / "plugins"), **bytecode}, check=True)
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert "'open_data']" in outputs.pop(), "open data is the last section"


def test_templates_of_a_section_live_in_its_folder():
    templates = REPO / "theme" / "templates"
    for path in PACKAGE.rglob("*.py"):
        for name in re.findall(r'Page\([^)]*?"[^"]+",\s*"([a-z_/0-9]+)"', path.read_text(encoding="utf-8")):
            assert "/" in name, f"{path.name}: template {name!r} is not in a section's folder"
            assert (templates / f"{name}.html").is_file(), f"{path.name}: no template {name}.html"

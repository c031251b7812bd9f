"""Every third-party module the code imports is installed by pyproject.toml on a fresh machine.

Why: CI builds a new virtual environment from pyproject.toml, while a developer's environment keeps whatever was ever
installed in it. A module that arrived by hand (or as another package's dependency that later drops it) makes the
suite pass here and fail on the next machine: ``defusedxml`` did exactly that once. This test reads every import of
the shipped packages (and of tests, tools and benchmarks), maps each to the distribution that provides it, and
requires that distribution to be declared: runtime code in ``[project] dependencies``, the rest there or in the
``dev`` extra. Declared directly, not merely pulled in by another package, so an upstream change cannot remove it.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_DIRS = ("netcomply", "collectors", "compliance", "reports")
DEVELOPMENT_DIRS = ("tests", "tools", "benchmarks")
FIRST_PARTY = set(RUNTIME_DIRS) | set(DEVELOPMENT_DIRS) | {"conftest"}

# Modules a declared distribution provides under a name packages_distributions() cannot see (namespace packages
# installed by another distribution's name) or that only ever load behind an optional feature with its own error.
PROVIDED_BY = {
    "ansible_collections": "ansible-core",
}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(specs: list[str]) -> set[str]:
        return {_normalise(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in specs}

    runtime = names(project["dependencies"])
    development = set().union(*(names(specs) for specs in project.get("optional-dependencies", {}).values()))
    return runtime, runtime | development


def _imports(path: Path) -> set[str]:
    """Top-level module names imported anywhere in the file (inside functions too: a lazy import fails just as hard)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _third_party(dirs: tuple[str, ...]) -> dict[str, list[str]]:
    """Third-party module -> files importing it, under the given top-level directories."""
    local_modules = {p.stem for d in dirs for p in (ROOT / d).rglob("*.py")}
    users: dict[str, list[str]] = {}
    for directory in dirs:
        for path in sorted((ROOT / directory).rglob("*.py")):
            if "data" in path.relative_to(ROOT).parts:
                continue
            for module in _imports(path):
                if module in sys.stdlib_module_names or module in FIRST_PARTY or module == "__future__":
                    continue
                if module in local_modules:  # a sibling script imported by name (tools/, benchmarks/ on sys.path)
                    continue
                users.setdefault(module, []).append(str(path.relative_to(ROOT)))
    return users


def _undeclared(dirs: tuple[str, ...], allowed: set[str]) -> list[str]:
    distributions = packages_distributions()
    problems = []
    for module, files in sorted(_third_party(dirs).items()):
        provided = PROVIDED_BY.get(module)
        candidates = {_normalise(provided)} if provided else {_normalise(d) for d in distributions.get(module, [])}
        if not candidates:
            problems.append(f"{module}: no installed distribution provides it (imported by {files[0]})")
        elif not candidates & allowed:
            problems.append(f"{module} (from {', '.join(sorted(candidates))}): not declared in pyproject.toml, "
                            f"imported by {files[0]}")
    return problems


def test_the_shipped_packages_import_only_declared_runtime_dependencies() -> None:
    runtime, _ = _declared()
    assert _undeclared(RUNTIME_DIRS, runtime) == []


def test_tests_tools_and_benchmarks_import_only_declared_dependencies() -> None:
    _, everything = _declared()
    assert _undeclared(DEVELOPMENT_DIRS, everything) == []


@pytest.mark.parametrize("module", ["defusedxml", "netaddr", "yaml"])
def test_the_check_sees_modules_the_code_really_imports(module: str) -> None:
    """The check itself: modules known to be imported by shipped code are found, so an empty problem list means
    something (a scan that found nothing would pass the two tests above)."""
    assert module in _third_party(RUNTIME_DIRS)


def test_an_undeclared_module_is_reported() -> None:
    """Removing a module's distribution from the declared set makes the check name it and the file importing it."""
    runtime, _ = _declared()
    problems = _undeclared(RUNTIME_DIRS, runtime - {"defusedxml"})
    assert any(p.startswith("defusedxml (from defusedxml): not declared") and "collectors/transports/nmap.py" in p
               for p in problems), problems


def test_readme_explains_every_declared_dependency() -> None:
    """The README's Dependencies section names each declared distribution in bold (one line saying why it is there),
    so a dependency added to pyproject.toml without its reason fails here."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Dependencies", 1)[1].split("\n## ", 1)[0]
    explained = {_normalise(name) for name in re.findall(r"\*\*([A-Za-z0-9_.\-]+)\*\*", section)}
    _, everything = _declared()
    assert sorted(everything - explained) == []

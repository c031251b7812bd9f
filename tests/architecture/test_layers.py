"""The layer contracts (pyproject.toml [tool.importlinter]) cover the whole tree and really fail on an upward import.

Why: the base contract lists its modules one by one; a new module of ``netcomply/`` that is in neither that list
nor ``netcomply.app`` would escape every contract without anyone noticing. And a contract that never fails is no
contract: one test plants an upward import in a copy of the tree and expects ``lint-imports`` to refuse it.
"""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import netcomply

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
#: Application-layer modules still outside netcomply/app (none since the vendor pipeline moved).
PENDING_APP: set[str] = set()


def _contracts() -> dict[str, dict[str, list[str]]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_every_top_level_module_of_netcomply_is_in_a_layer() -> None:
    base = set(_contracts()["base"]["source_modules"])
    top = {f"netcomply.{m.name}" for m in pkgutil.iter_modules(netcomply.__path__)}
    unclassified = top - base - {"netcomply.app"} - PENDING_APP
    assert not unclassified, f"add these to the base contract's source_modules or move them to netcomply/app: {unclassified}"
    assert not (base - top), f"the base contract names modules that do not exist: {base - top}"


def test_the_base_contract_forbids_every_layer_above_it() -> None:
    forbidden = set(_contracts()["base"]["forbidden_modules"])
    assert {"netcomply.app", "collectors", "compliance", "reports"} <= forbidden


def _copy_tree(dst: Path) -> None:
    for name in ("netcomply", "collectors", "compliance", "reports"):
        shutil.copytree(REPO / name, dst / name, ignore=shutil.ignore_patterns("__pycache__", "data", "templates",
                                                                              "locales", "*.yaml", "*.j2"))
    shutil.copy(REPO / "pyproject.toml", dst / "pyproject.toml")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})


def test_lint_imports_passes_on_the_tree_and_fails_on_an_upward_import(tmp_path: Path) -> None:
    _copy_tree(tmp_path)
    clean = _lint(tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    # The base reaching up to the audit orchestration, as collectors/hotspot/ssh_probe.py once did.
    models = tmp_path / "netcomply" / "models.py"
    models.write_text(models.read_text(encoding="utf-8") + "\nfrom netcomply.app import audit  # noqa\n",
                      encoding="utf-8")
    broken = _lint(tmp_path)
    assert broken.returncode != 0
    assert "netcomply.models -> netcomply.app" in broken.stdout

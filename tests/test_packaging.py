"""The package's declared dependencies: what ``pip install -e .`` brings must be enough to import dashboard/."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_top_level_modules() -> set[str]:
    modules: set[str] = set()
    for path in (PROJECT_DIR / "dashboard").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - {"dashboard", "__future__"}


def test_every_third_party_import_is_a_declared_dependency() -> None:
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_normalise(re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0]) for d in project["dependencies"]}
    distributions = packages_distributions()
    missing = {
        module: distributions.get(module, [module])
        for module in _imported_top_level_modules()
        if not declared & {_normalise(d) for d in distributions.get(module, [module])}
    }
    assert not missing, f"imported by dashboard/ but not in [project].dependencies: {missing}"

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


# Modules needed only by an optional feature, with the extra that installs what they import.
OPTIONAL_MODULES = {"pg_store.py": "server"}


def _imported_top_level_modules(paths: list[Path]) -> set[str]:
    modules: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - {"dashboard", "__future__"}


def _declared(requirements: list[str]) -> set[str]:
    return {_normalise(re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0]) for d in requirements}


def _undeclared(paths: list[Path], declared: set[str]) -> dict[str, list[str]]:
    distributions = packages_distributions()
    return {
        module: distributions.get(module, [module])
        for module in _imported_top_level_modules(paths)
        if not declared & {_normalise(d) for d in distributions.get(module, [module])}
    }


def test_every_third_party_import_is_a_declared_dependency() -> None:
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    paths = [p for p in (PROJECT_DIR / "dashboard").rglob("*.py") if p.name not in OPTIONAL_MODULES]
    missing = _undeclared(paths, _declared(project["dependencies"]))
    assert not missing, f"imported by dashboard/ but not in [project].dependencies: {missing}"


def test_an_optional_backend_imports_only_its_extra_and_the_dependencies() -> None:
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for name, extra in OPTIONAL_MODULES.items():
        declared = _declared(project["dependencies"]) | _declared(project["optional-dependencies"][extra])
        missing = _undeclared([PROJECT_DIR / "dashboard" / name], declared)
        assert not missing, f"dashboard/{name} imports what neither dependencies nor [{extra}] declare: {missing}"

"""The core stays platform-free: it imports no chat SDK, database or scheduler library."""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN = {
    "slack_bolt",
    "slack_sdk",
    "botbuilder",
    "botframework",
    "sqlmodel",
    "sqlalchemy",
    "apscheduler",
    "aiohttp",
}
ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_core_imports_no_platform_storage_or_scheduler_library() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & FORBIDDEN)
        for path in (ROOT / "bot").rglob("*.py")
        if imported_modules(path) & FORBIDDEN
    }
    assert offenders == {}


def test_core_imports_nothing_of_ours_outside_the_core() -> None:
    offenders = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "bot").rglob("*.py")
        if imported_modules(path) & {"adapters", "storage"}
    }
    assert offenders == set()


def test_storage_imports_only_the_core() -> None:
    offenders = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "storage").rglob("*.py")
        if "adapters" in imported_modules(path)
    }
    assert offenders == set()


def test_the_check_itself_catches_an_import(tmp_path: Path) -> None:
    sample = tmp_path / "leak.py"
    sample.write_text("from slack_bolt import App\nimport sqlalchemy.orm\n")
    assert imported_modules(sample) & FORBIDDEN == {"slack_bolt", "sqlalchemy"}

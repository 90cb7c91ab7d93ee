"""The engine stays pure: nothing in engine/ imports Django, Celery, Channels or the app."""

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "engine"
FORBIDDEN = ("django", "designer", "celery", "channels", "rest_framework")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_engine_imports_nothing_from_the_app_or_its_frameworks():
    offenders = {
        str(path.relative_to(ENGINE)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN
        )
        for path in ENGINE.rglob("*.py")
    }

    assert {path: mods for path, mods in offenders.items() if mods} == {}


def test_the_stepper_never_imports_the_integrations():
    runtime_and_states = [*ENGINE.joinpath("runtime").rglob("*.py"), *ENGINE.joinpath("states").rglob("*.py")]

    users = [
        str(path.relative_to(ENGINE))
        for path in runtime_and_states
        if path.name != "memory.py"
        and any(m.startswith("engine.integrations") for m in imported_modules(path))
    ]

    assert users == []

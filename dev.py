#!/usr/bin/env python3
"""Statecraft's two commands: `python3 dev.py start` runs the product, `python3 dev.py test` tests it.

Each installs what it needs first (a virtual environment in .venv), using only the Python that
runs this file (3.11 or newer).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command not in COMMANDS:
        print(__doc__)
        print("usage: python3 dev.py start | test [pytest arguments]")
        return 2
    install()
    return COMMANDS[command](sys.argv[2:])


def install() -> None:
    """Create .venv and install the project with its test tools, again only when pyproject changes."""
    stamp = VENV / ".statecraft-installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("Installing Statecraft and its test tools into .venv ...", flush=True)
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[dev]"],
        cwd=ROOT,
        check=True,
    )
    stamp.write_text(wanted)


def start(args: list[str]) -> int:
    example = ROOT / "examples" / "order-check.asl.json"
    print(f"Running {example.relative_to(ROOT)} with the engine:", flush=True)
    return run(
        [str(PYTHON), "-m", "engine", "run", str(example), "--input", '{"order": 42, "items": [3, 5, 8]}']
    )


def test(args: list[str]) -> int:
    steps = [
        ("ruff format", [str(PYTHON), "-m", "ruff", "format", "--check", "."]),
        ("ruff check", [str(PYTHON), "-m", "ruff", "check", "."]),
        ("mypy (strict on engine/)", [str(PYTHON), "-m", "mypy"]),
        ("pytest", [str(PYTHON), "-m", "pytest", "-n", "auto", *args]),
        ("conformance", [str(PYTHON), "tests/engine/conformance/score.py"]),
    ]
    failed = []
    for name, command in steps:
        print(f"\n=== {name} ===", flush=True)
        if run(command) != 0:
            failed.append(name)
    print("\n=== summary ===")
    print("failed: " + ", ".join(failed) if failed else "all steps passed")
    return 1 if failed else 0


def run(command: list[str]) -> int:
    return subprocess.run(command, cwd=ROOT).returncode


COMMANDS = {"start": start, "test": test}

if __name__ == "__main__":
    sys.exit(main())

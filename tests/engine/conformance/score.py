#!/usr/bin/env python3
"""Score the engine on ../shared/conformance (cases recorded against AWS) and hold the floor.

Prints run.py's report and the score; exits non-zero when fewer cases pass than
floor.json records. Skips, saying so, where ../shared is absent (a user's clone).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "conformance"
FLOOR = Path(__file__).with_name("floor.json")
COMMAND = (
    f'"{sys.executable}" -m engine run {{definition}} --input @{{input}} --mocks {{mocks}} '
    '--test-case "$ASL_TEST_CASE" --state-machine-name "$ASL_SM_NAME" --type "$ASL_SM_TYPE"'
)


def main() -> int:
    if not (SHARED / "run.py").exists():
        print(f"SKIPPED: the conformance corpus is not here ({SHARED}); it sits beside the repo in CI.")
        return 0
    jobs = str(max(2, os.cpu_count() or 2))
    report = subprocess.run(
        [
            sys.executable,
            str(SHARED / "run.py"),
            str(SHARED / "cases"),
            "--cmd",
            COMMAND,
            "--jobs",
            jobs,
            *sys.argv[1:],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    print(report.stdout[-20000:])
    found = re.search(r"(\d+) passed, (\d+) failed", report.stdout)
    if found is None:
        print(report.stderr[-5000:])
        print("The conformance runner printed no score.")
        return 1
    passed, failed = int(found.group(1)), int(found.group(2))
    total = passed + failed
    floor = json.loads(FLOOR.read_text())["passed"]
    print(f"Conformance score: {passed}/{total} ({100 * passed / total:.1f} %); committed floor: {floor}.")
    if len(sys.argv) == 1 and passed < floor:
        print(
            f"FAILED: the score fell below the floor ({passed} < {floor}). Fix the semantics, never a case."
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

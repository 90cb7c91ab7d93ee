"""`python -m engine bench`: time the engine on the shared workloads beside the CPython floor.

Two uses:
- the adapter contract of shared/perf (`--workload NAME --definition F --input F --transitions T
  --runs K --warmup W --time-budget S [--manifest F] [--output-file F]`): one JSON line;
- `--suite DIR` (default ../shared/perf): every workload, ours and the floor's, each in its own
  process in one run, with the ratio to the floor and the bars of issue 3.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BARS = {  # workload -> the least ratio to the json-copy floor we accept
    "pass_chain_1000": 1.0,
    "choice_loop": 1.0,
    "map_1000": 1.0,
    "parallel_fanout": 1.0,
    "intrinsics_heavy": 1.5,
    "wide_payload": 2.5,
}
RSS_BAR_MB = {"map_1000": 100.0}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine bench")
    parser.add_argument("--suite", nargs="?", const=str(Path.cwd().parent / "shared" / "perf"))
    parser.add_argument("--workload")
    parser.add_argument("--definition")
    parser.add_argument("--input")
    parser.add_argument("--transitions", type=int)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--time-budget", type=float, default=10.0)
    parser.add_argument("--manifest")
    parser.add_argument("--output-file")
    args = parser.parse_args(argv)
    if args.workload:
        return _adapter(args)
    return _suite(Path(args.suite or Path.cwd().parent / "shared" / "perf"), args)


def _adapter(args: argparse.Namespace) -> int:
    report: dict[str, Any] = {"peer": "statecraft", "workload": args.workload}
    try:
        from engine.definition import load_machine
        from engine.runtime.memory import MemoryRunner

        machine, diagnostics = load_machine(Path(args.definition).read_text(), filename=args.definition)
        if machine is None:
            raise ValueError(f"invalid definition: {[d.as_json() for d in diagnostics][:3]}")
        value = json.loads(Path(args.input).read_text())

        def once() -> Any:
            result = MemoryRunner(machine).run(value)
            if result.status != "SUCCEEDED":
                raise RuntimeError(f"{result.status}: {result.error}: {result.cause}")
            return result.output

        for _ in range(max(0, args.warmup)):
            once()
        samples: list[float] = []
        output = None
        for _ in range(max(1, args.runs)):
            started = time.perf_counter()
            output = once()
            samples.append(time.perf_counter() - started)
            if sum(samples) >= args.time_budget:
                break
        median = statistics.median(samples)
        report.update(
            runs=len(samples),
            median_s=median,
            transitions_per_s=args.transitions / median,
            peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
            samples_s=samples,
            status="ok",
        )
        if args.output_file:
            Path(args.output_file).write_text(json.dumps(output))
    except Exception as error:  # the contract wants a JSON line, whatever went wrong
        report.update(status="error", error=f"{type(error).__name__}: {error}")
    print(json.dumps(report))
    return 0 if report["status"] == "ok" else 1


def _suite(perf: Path, args: argparse.Namespace) -> int:
    manifest_path = perf / "workloads" / "manifest.json"
    if not manifest_path.exists():
        print(f"No workloads at {perf}: pass --suite DIR (the shared/perf folder).")
        return 2
    manifest = json.loads(manifest_path.read_text())["workloads"]
    print(f"{'workload':<18}{'floor tr/s':>12}{'ours tr/s':>12}{'ratio':>8}{'bar':>6}{'RSS MB':>8}  check")
    failures = []
    for name, spec in manifest.items():
        common = [
            "--workload", name,
            "--definition", str(perf / "workloads" / spec["definition"]),
            "--input", str(perf / "workloads" / spec["input"]),
            "--transitions", str(spec["transitions"]),
            "--runs", str(args.runs), "--warmup", str(args.warmup),
            "--time-budget", str(args.time_budget), "--manifest", str(manifest_path),
        ]  # fmt: skip
        floor = _measure([sys.executable, str(perf / "floor" / "py_floor.py"), "--mode", "json", *common])
        output_file = Path(f"/tmp/statecraft-bench-{name}.json")
        ours = _measure([sys.executable, "-m", "engine", "bench", *common, "--output-file", str(output_file)])
        ok_output = ours.get("status") == "ok" and _checks(spec.get("checks", []), output_file)
        ratio = (
            ours.get("transitions_per_s", 0) / floor["transitions_per_s"]
            if floor.get("status") == "ok"
            else 0
        )
        bar = BARS.get(name)
        rss = ours.get("peak_rss_mb", 0.0)
        verdict = "ok" if ok_output else f"WRONG OUTPUT {ours.get('error', '')}"
        print(
            f"{name:<18}{floor.get('transitions_per_s', 0):>12,.0f}{ours.get('transitions_per_s', 0):>12,.0f}"
            f"{ratio:>8.2f}{bar if bar else '':>6}{rss:>8.1f}  {verdict}"
        )
        if not ok_output or (bar is not None and ratio < bar):
            failures.append(name)
        if name in RSS_BAR_MB and rss >= RSS_BAR_MB[name]:
            failures.append(f"{name} RSS")
    print("bars met" if not failures else "below the bar: " + ", ".join(failures))
    return 0 if not failures else 1


def _measure(command: list[str]) -> dict[str, Any]:
    done = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return {"status": "error", "error": done.stderr[-500:]}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _checks(checks: list[Any], output_file: Path) -> bool:
    try:
        output = json.loads(output_file.read_text())
        for path, expected in checks:
            value = output
            for key in path:
                value = value[key]
            if value != expected:
                return False
        return True
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return False

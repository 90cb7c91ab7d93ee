"""`python -m engine run | validate | bench`: argument parsing and JSON printing, no semantics."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from engine.clock import SystemClock, VirtualClock
from engine.definition import Severity, load_machine
from engine.json import JSON


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:  # its options follow shared/perf's adapter contract: parsed there
        from engine.bench import main as bench

        return bench(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m engine", description="Run and check ASL state machines.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run a state machine and print how it ended as one JSON object")
    run.add_argument("definition", help="an ASL file (*.asl.json or *.asl.yaml)")
    run.add_argument("--input", default="{}", help="the execution input: JSON text, or @FILE")
    run.add_argument("--type", default="STANDARD", type=str.upper, choices=["STANDARD", "EXPRESS"])
    run.add_argument("--mocks", default="", help="a Step Functions Local mock config file (MockConfigFile)")
    run.add_argument("--test-case", default="", help="the mock test case to use")
    run.add_argument(
        "--state-machine-name", default="", help="the state machine's name (mock configs key on it)"
    )
    run.add_argument(
        "--functions",
        default="",
        help="a Python file: its top-level functions become local Lambda functions, by name",
    )
    run.add_argument(
        "--allow-address",
        action="append",
        default=[],
        metavar="NET_OR_HOST",
        help="let HTTP tasks reach this private address, network or host (repeatable)",
    )
    run.add_argument(
        "--storage",
        default="",
        metavar="DIR",
        help="a folder standing in for S3 (buckets are subfolders): Map ItemReader/ResultWriter",
    )
    run.add_argument("--sync", action="store_true", help="run as StartSyncExecution does (EXPRESS only)")
    run.add_argument("--history", action="store_true", help="include the execution's history events")
    run.add_argument(
        "--clock",
        default="virtual",
        choices=["virtual", "system"],
        help="virtual: Waits finish at once while timestamps advance (default)",
    )

    check = commands.add_parser("validate", help="print the diagnostics of a definition; exit 1 on errors")
    check.add_argument("definition")
    check.add_argument("--type", default="STANDARD", type=str.upper, choices=["STANDARD", "EXPRESS"])

    commands.add_parser(
        "bench", help="time the workloads of shared/perf beside the CPython floor (--suite DIR)"
    )

    args = parser.parse_args(argv)
    if args.command == "run":
        return _run(args)
    return _validate(args)


def _read_text(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _print(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


def _run(args: argparse.Namespace) -> int:
    text = _read_text(args.definition)
    if text is None:
        _print({"status": "ERROR", "error": "FileNotFound", "cause": f"Cannot read {args.definition}."})
        return 2
    machine, diagnostics = load_machine(text, machine_type=args.type, filename=args.definition)
    if machine is None:
        errors = [d for d in diagnostics if d.severity == Severity.ERROR]
        first = errors[0] if errors else None
        cause = (
            f"Invalid State Machine Definition: '{first.code}: {first.message} at {first.location or '/'}'"
            if first
            else ""
        )
        _print(
            {
                "status": "INVALID_DEFINITION",
                "error": "InvalidDefinition",
                "cause": cause,
                "diagnostics": [d.as_json() for d in diagnostics],
            }
        )
        return 1
    value = _input(args.input)
    if isinstance(value, _BadInput):
        _print({"status": "ERROR", "error": "InvalidExecutionInput", "cause": value.why})
        return 2
    world = _world(args)
    if isinstance(world, _BadInput):
        _print({"status": "ERROR", "error": "InvalidArguments", "cause": world.why})
        return 2
    name = args.state_machine_name or Path(args.definition).name.split(".")[0] or "StateMachine"
    world.register(name, machine)
    world.clock = VirtualClock() if args.clock == "virtual" else SystemClock()
    result = world.start(name, value, "local", machine_type=args.type, synchronous=args.sync)
    out = result.as_json()
    if result.status == "RUNNING":
        out["waiting_for"] = [
            {"state": call.state_name, "resource": call.resource, "task_token": call.task_token}
            for call in result.pending.values()
        ]
    if args.history:
        out["history"] = result.events
    _print(out)
    return 0 if result.status == "SUCCEEDED" else 3


class _BadInput:
    def __init__(self, why: str) -> None:
        self.why = why


def _input(text: str) -> JSON | _BadInput:
    if text.startswith("@"):
        content = _read_text(text[1:])
        if content is None:
            return _BadInput(f"Cannot read the input file {text[1:]}.")
        text = content
    try:
        return json.loads(text)
    except ValueError as error:
        return _BadInput(f"The input is not valid JSON: {error}")


def _world(args: argparse.Namespace) -> Any:
    from engine.integrations import HttpIntegration
    from engine.integrations.address_policy import AddressPolicy
    from engine.integrations.functions import FunctionRegistry
    from engine.local import LocalWorld

    functions = FunctionRegistry()
    if args.functions:
        loaded = _load_functions(args.functions, functions)
        if loaded is not None:
            return loaded
    from engine.integrations.storage import ObjectStore

    http = HttpIntegration(policy=AddressPolicy(allow=args.allow_address))
    storage = ObjectStore(args.storage or None)
    if not args.mocks:
        return LocalWorld(functions=functions, http=http, storage=storage)
    from engine.integrations.mocks import MockConfig, MockConfigError

    try:
        case = MockConfig.load(args.mocks).test_case(args.state_machine_name, args.test_case)
    except (MockConfigError, OSError, ValueError) as error:
        return _BadInput(str(error))
    return LocalWorld(functions=functions, http=http, mocks=case, storage=storage)


def _load_functions(path: str, functions: Any) -> _BadInput | None:
    """Register every public top-level function of a Python file (the user's own code)."""
    import importlib.util
    import inspect

    spec = importlib.util.spec_from_file_location("statecraft_functions", path)
    if spec is None or spec.loader is None:
        return _BadInput(f"Cannot load functions from {path}.")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # the user's file: report it, never a traceback
        return _BadInput(f"Loading {path} failed: {type(error).__name__}: {error}")
    for name, value in vars(module).items():
        if inspect.isfunction(value) and not name.startswith("_") and value.__module__ == module.__name__:
            functions.register(name, value)
    return None


def _validate(args: argparse.Namespace) -> int:
    text = _read_text(args.definition)
    if text is None:
        _print(
            {
                "valid": False,
                "diagnostics": [
                    {
                        "severity": "ERROR",
                        "code": "FILE_NOT_FOUND",
                        "message": f"Cannot read {args.definition}.",
                        "location": "",
                    }
                ],
            }
        )
        return 2
    _, diagnostics = load_machine(text, machine_type=args.type, filename=args.definition)
    errors = any(d.severity == Severity.ERROR for d in diagnostics)
    _print({"valid": not errors, "diagnostics": [d.as_json() for d in diagnostics]})
    return 1 if errors else 0

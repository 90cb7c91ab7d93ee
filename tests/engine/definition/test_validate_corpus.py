"""The corpus of invalid definitions: each gets exactly its expected (code, location) errors.

A case is `invalid/NAME.asl.json` (or `.asl.yaml`, or `.txt` for text that is no definition)
beside `invalid/NAME.expect.json`: {"about", "machine_type", "errors": [[code, location], ...]}.
"Exactly" matters: one mistake should give one diagnostic, not a cascade.
"""

import json
from pathlib import Path

import pytest

from engine.definition.diagnostics import Severity
from engine.definition.validate import validate_text

CORPUS = Path(__file__).parent / "invalid"
CASES = sorted(path for path in CORPUS.iterdir() if path.name.endswith((".asl.json", ".asl.yaml", ".txt")))


def expectation(case: Path) -> dict:
    name = case.name.split(".")[0]
    return json.loads((CORPUS / f"{name}.expect.json").read_text(encoding="utf-8"))


def test_the_corpus_has_at_least_a_hundred_cases_each_with_its_expectation():
    names = {path.name.split(".")[0] for path in CASES}

    expectations = {path.name.removesuffix(".expect.json") for path in CORPUS.glob("*.expect.json")}

    assert len(CASES) >= 100
    assert names == expectations


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name.split(".")[0])
def test_each_invalid_definition_gets_exactly_its_expected_errors(case: Path):
    expected = expectation(case)

    diagnostics = validate_text(case.read_bytes(), machine_type=expected["machine_type"], filename=case.name)

    found = sorted([d.code, d.location] for d in diagnostics if d.severity == Severity.ERROR)
    assert found == sorted(expected["errors"]), expected["about"]
    assert all(d.message.strip() for d in diagnostics)

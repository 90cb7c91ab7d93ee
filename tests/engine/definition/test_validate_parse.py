"""load_document: JSON or YAML text to a document, within bounds, never raising."""

import json

from engine.definition.diagnostics import Diagnostic, Severity, pointer
from engine.definition.parse import MAX_DEFINITION_CHARS, load_document
from engine.definition.validate import validate_text

PASS = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}


def codes(diagnostics: list[Diagnostic]) -> list[tuple[str, str]]:
    return [(d.code, d.location) for d in diagnostics]


def test_json_text_becomes_the_document_with_no_diagnostics():
    document, diagnostics = load_document(json.dumps(PASS))

    assert document == PASS
    assert diagnostics == []


def test_bytes_with_a_byte_order_mark_are_read_as_utf8():
    text = "\ufeff" + json.dumps({"StartAt": "Ä", "States": {"Ä": {"Type": "Pass", "End": True}}})

    document, diagnostics = load_document(text.encode("utf-8"))

    assert document["StartAt"] == "Ä"
    assert diagnostics == []


def test_yaml_is_read_when_the_file_name_says_yaml():
    text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n"

    document, diagnostics = load_document(text, filename="flow.asl.yml")

    assert document == PASS
    assert diagnostics == []


def test_yaml_is_read_when_the_text_is_not_json_whatever_the_name():
    text = "StartAt: A\nStates:\n  A: {Type: Pass, End: true}\n"

    document, diagnostics = load_document(text)

    assert document == PASS
    assert diagnostics == []


def test_yaml_timestamps_stay_strings_as_asl_compares_them_itself():
    text = "StartAt: W\nStates:\n  W:\n    Type: Wait\n    Timestamp: 2016-03-14T01:59:00Z\n    End: true\n"

    document, _ = load_document(text, filename="wait.yaml")

    assert document["States"]["W"]["Timestamp"] == "2016-03-14T01:59:00Z"
    assert validate_text(text, filename="wait.yaml") == []


def test_broken_json_says_where_it_broke():
    _, diagnostics = load_document('{"StartAt": "A",\n "States": {]}')

    assert codes(diagnostics) == [("INVALID_JSON_DESCRIPTION", "")]
    assert "line 2" in diagnostics[0].message


def test_json_null_and_blank_text_are_missing_descriptions():
    assert codes(load_document("null")[1]) == [("MISSING_DESCRIPTION", "")]
    assert codes(load_document(" \n")[1]) == [("MISSING_DESCRIPTION", "")]


def test_text_longer_than_aws_allows_is_refused_unread():
    text = json.dumps({**PASS, "Comment": "x" * MAX_DEFINITION_CHARS})

    document, diagnostics = load_document(text)

    assert document is None
    assert codes(diagnostics) == [("DEFINITION_TOO_LARGE", "")]


def test_duplicate_keys_are_reported_and_the_last_one_wins():
    text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "End": false}}}'

    document, diagnostics = load_document(text)

    assert document["States"]["A"]["End"] is False
    assert codes(diagnostics) == [("SCHEMA_VALIDATION_FAILED", "/States/A/End")]


def test_duplicate_state_names_in_yaml_are_duplicate_state_names():
    text = "StartAt: A\nStates:\n  A: {Type: Pass, End: true}\n  A: {Type: Succeed}\n"

    _, diagnostics = load_document(text, filename="dup.yaml")

    assert codes(diagnostics) == [("DUPLICATE_STATE_NAME", "/States/A")]
    assert diagnostics[0].severity == Severity.ERROR


def test_a_yaml_alias_bomb_is_stopped_by_the_value_bound():
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(7)
    )

    document, diagnostics = load_document(text, filename="bomb.yaml")

    assert document is None
    assert codes(diagnostics) == [("DEFINITION_TOO_LARGE", "")]


def test_a_recursive_yaml_structure_is_too_deep_not_a_hang():
    document, diagnostics = load_document("StartAt: &x [*x]\n", filename="loop.yaml")

    assert document is None
    assert [d.code for d in diagnostics] == ["TOO_DEEPLY_NESTED"]


def test_json_nested_past_what_python_can_parse_is_too_deeply_nested():
    document, diagnostics = load_document("[" * 100_000 + "]" * 100_000)

    assert document is None
    assert codes(diagnostics) == [("TOO_DEEPLY_NESTED", "")]


def test_a_non_string_yaml_key_points_at_its_object():
    _, diagnostics = load_document("StartAt: A\nStates:\n  A:\n    Type: Pass\n    3: x\n", filename="k.yaml")

    assert codes(diagnostics) == [("INVALID_JSON_DESCRIPTION", "/States/A")]


def test_text_that_is_neither_json_nor_a_yaml_mapping_is_an_invalid_json_description():
    _, diagnostics = load_document("hello world")

    assert codes(diagnostics) == [("INVALID_JSON_DESCRIPTION", "")]


def test_pointers_escape_tilde_and_slash_as_rfc_6901_says():
    assert pointer() == ""
    assert pointer("States", "A") == "/States/A"
    assert pointer("States", "a/b~c", 0) == "/States/a~1b~0c/0"

"""The local S3 stand-in: objects in folders or memory, read as a distributed Map's ItemReader."""

import json

import pytest

from engine.integrations.storage import ObjectStore, StorageIntegration
from engine.runtime.effects import InvokeTask


def call(action, parameters):
    return InvokeTask("task-1", f"arn:aws:states:::s3:{action}", parameters, "Read")


@pytest.fixture(params=["memory", "folder"])
def store(request, tmp_path):
    return ObjectStore(tmp_path if request.param == "folder" else None)


def test_a_json_array_object_reads_as_items(store):
    store.put("data", "orders.json", json.dumps([{"id": 1}, {"id": 2}]).encode())

    outcome = StorageIntegration(store).invoke(
        call("getObject", {"Bucket": "data", "Key": "orders.json", "ReaderConfig": {"InputType": "JSON"}})
    )

    assert outcome.output == [{"id": 1}, {"id": 2}]


def test_a_csv_object_reads_rows_keyed_by_its_first_row(store):
    store.put("data", "people.csv", b"name,age\nada,36\nalan,41\n")

    outcome = StorageIntegration(store).invoke(
        call(
            "getObject",
            {
                "Bucket": "data",
                "Key": "people.csv",
                "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
            },
        )
    )

    assert outcome.output == [{"name": "ada", "age": "36"}, {"name": "alan", "age": "41"}]


def test_max_items_caps_what_the_reader_returns(store):
    store.put("data", "lines.jsonl", b'{"n": 1}\n{"n": 2}\n{"n": 3}\n')

    outcome = StorageIntegration(store).invoke(
        call(
            "getObject",
            {"Bucket": "data", "Key": "lines.jsonl", "ReaderConfig": {"InputType": "JSONL", "MaxItems": 2}},
        )
    )

    assert outcome.output == [{"n": 1}, {"n": 2}]


def test_a_missing_object_fails_the_reader_with_states_item_reader_failed(store):
    outcome = StorageIntegration(store).invoke(
        call("getObject", {"Bucket": "data", "Key": "nope.json", "ReaderConfig": {"InputType": "JSON"}})
    )

    assert (outcome.status, outcome.error) == ("failed", "States.ItemReaderFailed")


def test_listing_a_prefix_gives_one_item_per_object(store):
    store.put("data", "in/a.txt", b"a")
    store.put("data", "in/b.txt", b"bb")
    store.put("data", "other/c.txt", b"c")

    outcome = StorageIntegration(store).invoke(call("listObjectsV2", {"Bucket": "data", "Prefix": "in/"}))

    assert [(item["Key"], item["Size"]) for item in outcome.output] == [("in/a.txt", 1), ("in/b.txt", 2)]


def test_a_key_that_climbs_out_of_its_bucket_is_refused(tmp_path):
    integration = StorageIntegration(ObjectStore(tmp_path))

    outcome = integration.invoke(call("putObject", {"Bucket": "data", "Key": "../../etc/x", "Body": "no"}))

    assert outcome.status == "failed"
    assert not (tmp_path.parent / "etc").exists()

"""A distributed Map reads its items through ItemReader and writes results through ResultWriter."""

import json

from engine.integrations.storage import ObjectStore
from engine.local import LocalWorld
from engine.testing import machine_of


def distributed_map(**fields):
    return {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemReader": {
                    "Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                    "Parameters": {"Bucket": "data", "Key.$": "$.key"},
                },
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "Greet",
                    "States": {"Greet": {"Type": "Pass", "Parameters": {"hello.$": "$.name"}, "End": True}},
                },
                "End": True,
                **fields,
            }
        },
    }


def world_with(store):
    store.put("data", "people.csv", b"name\nada\nalan\n")
    return LocalWorld(storage=store)


def test_the_items_come_from_the_object_the_reader_names():
    world = world_with(ObjectStore())
    world.register("People", machine_of(distributed_map()))

    result = world.start("People", {"key": "people.csv"})

    assert result.status == "SUCCEEDED"
    assert result.output == [{"hello": "ada"}, {"hello": "alan"}]
    assert "MapIterationStarted" not in result.event_types()  # iterations are child runs, as on AWS


def test_a_missing_object_fails_the_map_with_states_item_reader_failed():
    world = world_with(ObjectStore())
    world.register("People", machine_of(distributed_map()))

    result = world.start("People", {"key": "nobody.csv"})

    assert (result.status, result.error) == ("FAILED", "States.ItemReaderFailed")


def test_the_result_writer_stores_the_results_and_answers_with_the_manifest(tmp_path):
    store = ObjectStore(tmp_path)
    world = world_with(store)
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "data", "Prefix": "out"}}
    world.register("People", machine_of(distributed_map(ResultWriter=writer)))

    result = world.start("People", {"key": "people.csv"})

    details = result.output["ResultWriterDetails"]
    manifest = json.loads(store.get("data", details["Key"]))
    written = json.loads(store.get("data", manifest["ResultFiles"]["SUCCEEDED"][0]["Key"]))
    assert [json.loads(row["Output"]) for row in written] == [{"hello": "ada"}, {"hello": "alan"}]

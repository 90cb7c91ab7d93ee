"""Drafts and versions: designer.services.state_machines."""

import json

import pytest

from designer.models import Version
from designer.services import state_machines
from designer.services.errors import ServiceError

pytestmark = pytest.mark.django_db

VALID = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
BROKEN = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}


def test_a_draft_is_kept_even_when_invalid_with_its_diagnostics(make_state_machine):
    machine = make_state_machine(VALID)

    state_machines.save_draft(machine, json.dumps(BROKEN))

    machine.refresh_from_db()
    assert json.loads(machine.definition) == BROKEN
    assert not machine.is_valid
    assert ("MISSING_TRANSITION_TARGET", "/States/A/Next") in {
        (d["code"], d["location"]) for d in machine.diagnostics
    }


def test_text_that_is_not_even_json_is_kept_as_typed(make_state_machine):
    machine = make_state_machine(VALID)

    state_machines.save_draft(machine, '{"StartAt": "A", "States": {')

    machine.refresh_from_db()
    assert machine.definition == '{"StartAt": "A", "States": {'
    assert machine.diagnostics != []


def test_versions_are_numbered_and_keep_the_draft_they_were_published_from(make_state_machine):
    machine = make_state_machine(VALID)
    first = state_machines.publish_version(machine, "first")
    changed = {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}
    state_machines.save_draft(machine, json.dumps(changed))

    second = state_machines.publish_version(machine)

    assert (first.number, second.number) == (1, 2)
    assert json.loads(Version.objects.get(pk=first.pk).definition) == VALID
    assert json.loads(second.definition) == changed
    assert first.description == "first"


def test_a_version_number_is_never_reused_after_a_delete(make_state_machine):
    machine = make_state_machine(VALID)
    state_machines.publish_version(machine).delete()

    again = state_machines.publish_version(machine)

    assert again.number == 2


def test_an_invalid_draft_cannot_be_published(make_state_machine):
    machine = make_state_machine(BROKEN)

    with pytest.raises(ServiceError) as raised:
        state_machines.publish_version(machine)

    assert raised.value.code == "InvalidDefinition"
    assert raised.value.details[0]["location"] == "/States/A/Next"
    assert not machine.versions.exists()


def test_a_published_version_cannot_be_changed(make_state_machine):
    version = state_machines.publish_version(make_state_machine(VALID))
    version.description = "rewritten"

    with pytest.raises(ValueError, match="immutable"):
        version.save()


def test_names_are_unique_per_owner_only(make_state_machine, alice, bob):
    make_state_machine(VALID, owner=alice, name="orders")
    theirs = make_state_machine(VALID, owner=bob, name="orders")

    with pytest.raises(ServiceError) as raised:
        make_state_machine(VALID, owner=alice, name="orders")

    assert raised.value.code == "StateMachineAlreadyExists"
    assert theirs.arn != alice.state_machines.get().arn


@pytest.mark.parametrize("name", ["", "has space", "a:b", "x" * 81, "semi;colon"])
def test_a_bad_name_says_what_a_name_may_be(make_state_machine, name):
    with pytest.raises(ServiceError) as raised:
        make_state_machine(VALID, name=name)

    assert raised.value.code == "InvalidName"
    assert "1 to 80 characters" in raised.value.message


def test_a_definition_over_one_mebibyte_is_refused(make_state_machine):
    huge = json.dumps({**VALID, "Comment": "x" * (1024 * 1024)})

    with pytest.raises(ServiceError) as raised:
        make_state_machine(huge)

    assert raised.value.code == "InvalidDefinition"

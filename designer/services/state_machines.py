"""State machine use cases: create, save the draft, publish a version, export, delete."""

from __future__ import annotations

import json
import re
from typing import Literal

import yaml
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

import engine
from designer.models import MachineType, StateMachine, Status, Version
from designer.services import machines
from designer.services.errors import ServiceError

# AWS: 1-80 characters; no whitespace, brackets, wildcards, control characters or ARN separators.
_NAME = re.compile(r"^[^\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]{1,80}$")


def check_name(name: str, what: str = "state machine") -> None:
    if not isinstance(name, str) or _NAME.match(name) is None:
        raise ServiceError(
            "InvalidName",
            f"A {what} name is 1 to 80 characters without spaces, brackets, wildcards, "
            'control characters or any of " # % \\ ^ | ~ ` $ & , ; : /.',
        )


def create(owner: User, name: str, definition: str, type: str = MachineType.STANDARD) -> StateMachine:
    """A new state machine whose draft is `definition`, kept even when it is invalid."""
    check_name(name)
    if type not in MachineType.values:
        raise ServiceError("ValidationException", "The type is STANDARD or EXPRESS.")
    machines.check_size(definition)
    try:
        with transaction.atomic():
            return StateMachine.objects.create(
                owner=owner,
                name=name,
                type=type,
                definition=definition,
                diagnostics=machines.diagnose(definition, type),
            )
    except IntegrityError:
        raise ServiceError(
            "StateMachineAlreadyExists",
            f"You already have a state machine named {name!r}; pick another name.",
        ) from None


def save_draft(state_machine: StateMachine, definition: str) -> StateMachine:
    """Replace the draft. Invalid text is saved too, with its diagnostics: nothing typed is lost."""
    machines.check_size(definition)
    state_machine.definition = definition
    state_machine.diagnostics = machines.diagnose(definition, state_machine.type)
    state_machine.save(update_fields=["definition", "diagnostics", "updated_at"])
    return state_machine


def publish_version(state_machine: StateMachine, description: str = "") -> Version:
    """Freeze the current draft as the next numbered version. An invalid draft cannot be published."""
    if len(description) > 256:
        raise ServiceError("ValidationException", "A version description is at most 256 characters.")
    with transaction.atomic():
        locked = StateMachine.objects.select_for_update().get(pk=state_machine.pk)
        errors = machines.errors_of(machines.diagnose(locked.definition, locked.type))
        if errors:
            raise ServiceError(
                "InvalidDefinition", f"Fix the draft before publishing it: {errors[0]['message']}", errors
            )
        locked.versions_published += 1
        locked.save(update_fields=["versions_published"])
        return Version.objects.create(
            state_machine=locked,
            number=locked.versions_published,
            description=description,
            definition=locked.definition,
        )


def delete(state_machine: StateMachine) -> None:
    """Delete a state machine with its versions and finished executions. Running ones must stop first:
    deleting would pull their rows from under the workers."""
    with transaction.atomic():
        locked = StateMachine.objects.select_for_update().get(pk=state_machine.pk)
        running = locked.executions.filter(status=Status.RUNNING).count()
        if running:
            raise ServiceError(
                "StateMachineHasRunningExecutions",
                f"{locked.name!r} has {running} running execution(s); stop them before deleting it.",
            )
        locked.delete()


def export(definition: str, format: Literal["json", "yaml"]) -> str:
    """The definition as ASL JSON (indented) or YAML, whatever it was typed in. Text that cannot be
    read at all cannot be exported; a definition with other problems can (it is the user's draft)."""
    document, diagnostics = engine.load_document(definition)
    if document is None:
        problems = [d.as_json() for d in diagnostics]
        first = problems[0]["message"] if problems else "it cannot be read"
        raise ServiceError("InvalidDefinition", f"The definition cannot be exported: {first}", problems)
    if format == "yaml":
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

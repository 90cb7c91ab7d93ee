"""State machines: a draft definition that may be invalid, and immutable numbered versions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


def account_of(owner_id: int) -> str:
    """The 12-digit account id in a user's ARNs: each user is an account of their own."""
    return f"{owner_id:012d}"


def arn_prefix(owner_id: int) -> str:
    return f"arn:aws:states:{settings.STATECRAFT['REGION']}:{account_of(owner_id)}"


class MachineType(models.TextChoices):
    STANDARD = "STANDARD"
    EXPRESS = "EXPRESS"


class StateMachine(models.Model):
    """A named state machine. Its draft is saved as the user types, valid or not."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="state_machines"
    )
    name = models.CharField(max_length=80)
    type = models.CharField(max_length=8, choices=MachineType.choices, default=MachineType.STANDARD)
    definition = models.TextField(help_text="The draft: ASL as JSON or YAML text, exactly as saved.")
    diagnostics = models.JSONField(
        default=list, help_text="The draft's diagnostics, as the engine gave them."
    )
    versions_published = models.PositiveIntegerField(default=0)  # numbers are never reused
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="state_machine_name_per_owner")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def arn(self) -> str:
        return f"{arn_prefix(self.owner_id)}:stateMachine:{self.name}"

    @property
    def is_valid(self) -> bool:
        return not any(d.get("severity") == "ERROR" for d in self.diagnostics)


class Version(models.Model):
    """A published, immutable copy of a draft. Executions of a version run exactly this text."""

    state_machine = models.ForeignKey(StateMachine, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    description = models.CharField(max_length=256, blank=True, default="")
    definition = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["state_machine", "number"], name="version_number_per_machine")
        ]
        ordering = ["state_machine", "-number"]

    def __str__(self) -> str:
        return f"{self.state_machine.name}:{self.number}"

    @property
    def arn(self) -> str:
        return f"{self.state_machine.arn}:{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("A published version is immutable; publish a new one instead.")
        super().save(*args, **kwargs)

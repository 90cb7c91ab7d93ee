"""Activities: named queues of tasks that workers poll for (GetActivityTask)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from designer.models.state_machines import arn_prefix


class Activity(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities")
    name = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="activity_name_per_owner")]
        verbose_name_plural = "activities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def arn(self) -> str:
        return f"{arn_prefix(self.owner_id)}:activity:{self.name}"

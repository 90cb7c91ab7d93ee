"""REST resource: the published versions of a state machine. Immutable: list and retrieve only
(publishing is the state machine's `publish` action)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets

from designer.api.authentication import signed_in
from designer.models import StateMachine, Version


class VersionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Version
        fields = ["number", "arn", "state_machine", "description", "definition", "created_at"]
        read_only_fields = fields


def version_of(machine: StateMachine, number: int) -> Version:
    version = machine.versions.filter(number=number).first()
    if version is None:
        raise exceptions.NotFound(f"State machine {machine.name!r} has no version {number}.")
    return version


MACHINE = OpenApiParameter("state_machine_id", int, OpenApiParameter.PATH)


@extend_schema_view(list=extend_schema(parameters=[MACHINE]), retrieve=extend_schema(parameters=[MACHINE]))
class VersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = VersionSerializer
    lookup_field = "number"
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Version]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular inspecting the view
            return Version.objects.none()
        # The state machine is looked up among the caller's own: another owner's is a 404, not an empty list.
        machine = get_object_or_404(
            StateMachine, pk=self.kwargs["state_machine_id"], owner=signed_in(self.request)
        )
        return machine.versions.order_by("-number")

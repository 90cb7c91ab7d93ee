"""REST resource: state machines (drafts), with validate, export and publish. Thin: scope,
serializers, then the engine or a service."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from designer.api.authentication import signed_in
from designer.api.limits import DefinitionField
from designer.api.versions import VersionSerializer, version_of
from designer.models import MachineType, StateMachine
from designer.services import machines, state_machines


class StateMachineSummarySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    valid = serializers.BooleanField(source="is_valid", read_only=True)

    class Meta:
        model = StateMachine
        fields = ["id", "name", "arn", "type", "valid", "versions_published", "created_at", "updated_at"]
        read_only_fields = fields


class StateMachineSerializer(StateMachineSummarySerializer):
    definition = DefinitionField(read_only=True)
    diagnostics = serializers.JSONField(read_only=True)

    class Meta(StateMachineSummarySerializer.Meta):
        fields = [*StateMachineSummarySerializer.Meta.fields, "definition", "diagnostics"]
        read_only_fields = fields


class CreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=80, trim_whitespace=False)  # the service says what a name may be
    type = serializers.ChoiceField(choices=MachineType.choices, default=MachineType.STANDARD)
    definition = DefinitionField()


class DraftSerializer(serializers.Serializer):  # type: ignore[type-arg]
    definition = DefinitionField()


class ValidateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    definition = DefinitionField()
    type = serializers.ChoiceField(choices=MachineType.choices, default=MachineType.STANDARD)


class DiagnosticSerializer(serializers.Serializer):  # type: ignore[type-arg]
    severity = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()
    location = serializers.CharField(help_text="A JSON Pointer into the definition, e.g. /States/A/Next.")


class ValidationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    valid = serializers.BooleanField()
    diagnostics = DiagnosticSerializer(many=True)


class PublishSerializer(serializers.Serializer):  # type: ignore[type-arg]
    description = serializers.CharField(max_length=256, required=False, default="", allow_blank=True)


class ExportQuery(serializers.Serializer):  # type: ignore[type-arg]
    format = serializers.ChoiceField(choices=["json", "yaml"], default="json")
    version = serializers.IntegerField(min_value=1, required=False)


@extend_schema_view(
    list=extend_schema(summary="Your state machines"),
    retrieve=extend_schema(summary="A state machine with its draft and the draft's diagnostics"),
    create=extend_schema(request=CreateSerializer, responses={201: StateMachineSerializer}),
    update=extend_schema(request=DraftSerializer, summary="Save the draft (kept even when invalid)"),
    partial_update=extend_schema(request=DraftSerializer, summary="Save the draft (kept even when invalid)"),
    destroy=extend_schema(summary="Delete it, its versions and its finished executions"),
)
class StateMachineViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = StateMachineSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[StateMachine]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular inspecting the view
            return StateMachine.objects.none()
        # Scoped here, once: another owner's machine is a 404 in every action, never a 403.
        return StateMachine.objects.filter(owner=signed_in(self.request)).order_by("name")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:  # type: ignore[type-arg]
        return StateMachineSummarySerializer if self.action == "list" else StateMachineSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = CreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        machine = state_machines.create(signed_in(request), **payload.validated_data)
        return Response(StateMachineSerializer(machine).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = DraftSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        machine = state_machines.save_draft(self.get_object(), payload.validated_data["definition"])
        return Response(StateMachineSerializer(machine).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)

    def perform_destroy(self, instance: StateMachine) -> None:
        state_machines.delete(instance)

    @extend_schema(request=ValidateSerializer, responses={200: ValidationSerializer})
    @action(detail=False, methods=["post"])
    def validate(self, request: Request) -> Response:
        """Every diagnostic of a definition, each with a JSON Pointer `location`. Nothing is saved."""
        payload = ValidateSerializer(data=request.data)  # size and nesting limits live here
        payload.is_valid(raise_exception=True)
        diagnostics = machines.diagnose(payload.validated_data["definition"], payload.validated_data["type"])
        return Response({"valid": not machines.errors_of(diagnostics), "diagnostics": diagnostics})

    @extend_schema(
        parameters=[ExportQuery],
        responses={
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="ASL as JSON"),
            (200, "application/yaml"): OpenApiResponse(OpenApiTypes.STR, description="ASL as YAML"),
        },
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The draft (or `?version=N`) as an ASL file: `?format=json` (the default) or `?format=yaml`."""
        query = ExportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        machine = self.get_object()
        definition = machine.definition
        if "version" in query.validated_data:
            definition = version_of(machine, query.validated_data["version"]).definition
        form = query.validated_data["format"]
        response = HttpResponse(
            state_machines.export(definition, form),
            content_type="application/yaml; charset=utf-8" if form == "yaml" else "application/json",
        )
        response["Content-Disposition"] = f'attachment; filename="{machine.name}.asl.{form}"'
        return response

    @extend_schema(request=PublishSerializer, responses={201: VersionSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Freeze the draft as the next numbered version. An invalid draft is refused with its diagnostics."""
        payload = PublishSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        version = state_machines.publish_version(self.get_object(), payload.validated_data["description"])
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)

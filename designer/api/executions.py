"""REST resource: executions. List (filtered), start, describe, history in pages, stop; and the
synchronous start of Express machines. Starting and stopping go through the services."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from designer.api.authentication import signed_in
from designer.api.errors import Conflict
from designer.api.limits import PayloadField
from designer.api.versions import version_of
from designer.models import Execution, StateMachine, Status, Version
from designer.services import executions, express

MAX_HISTORY_PAGE = 1000


class ExecutionSummarySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    state_machine_name = serializers.CharField(source="state_machine.name", read_only=True)
    version: serializers.SlugRelatedField[Version] = serializers.SlugRelatedField(
        slug_field="number", read_only=True
    )

    class Meta:
        model = Execution
        fields = [
            "id",
            "name",
            "arn",
            "state_machine",
            "state_machine_name",
            "version",
            "status",
            "started_at",
            "stopped_at",
            "redrive_count",
        ]
        read_only_fields = fields


class ExecutionSerializer(ExecutionSummarySerializer):
    input = serializers.JSONField(read_only=True)
    output = serializers.JSONField(read_only=True)

    class Meta(ExecutionSummarySerializer.Meta):
        fields = [*ExecutionSummarySerializer.Meta.fields, "input", "output", "error", "cause", "parent"]
        read_only_fields = fields


class StartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    state_machine = serializers.IntegerField(help_text="The id of one of your state machines.")
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="A version number; leave it out to run the draft.",
    )
    input = PayloadField(required=False, default=dict)
    name = serializers.CharField(max_length=80, required=False, trim_whitespace=False)


class ListQuery(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    state_machine = serializers.IntegerField(required=False)


class HistoryQuery(serializers.Serializer):  # type: ignore[type-arg]
    after = serializers.IntegerField(min_value=0, default=0, help_text="Events after this event id.")
    limit = serializers.IntegerField(min_value=1, max_value=MAX_HISTORY_PAGE, default=100)


class HistorySerializer(serializers.Serializer):  # type: ignore[type-arg]
    execution_status = serializers.ChoiceField(choices=Status.choices)
    events = serializers.ListField(
        child=serializers.JSONField(), help_text="Events as GetExecutionHistory shapes them, oldest first."
    )
    last_event_id = serializers.IntegerField(help_text="Pass it as ?after= for the next page.")
    has_more = serializers.BooleanField(
        help_text="More events exist right now; a running execution adds more."
    )


class StopSerializer(serializers.Serializer):  # type: ignore[type-arg]
    error = serializers.CharField(max_length=256, required=False, allow_null=True, allow_blank=True)
    cause = serializers.CharField(max_length=32768, required=False, allow_null=True, allow_blank=True)


class SyncResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    arn = serializers.CharField()
    state_machine_arn = serializers.CharField()
    status = serializers.CharField()
    input = serializers.JSONField()
    output = serializers.JSONField(allow_null=True)
    error = serializers.CharField(allow_null=True)
    cause = serializers.CharField(allow_null=True)
    started_at = serializers.DateTimeField()
    stopped_at = serializers.DateTimeField()


@extend_schema_view(
    list=extend_schema(parameters=[ListQuery], summary="Your executions, newest first"),
    retrieve=extend_schema(summary="Describe an execution"),
    create=extend_schema(request=StartSerializer, responses={201: ExecutionSerializer}),
)
class ExecutionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = ExecutionSerializer

    def get_queryset(self) -> QuerySet[Execution]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular inspecting the view
            return Execution.objects.none()
        owned = Execution.objects.filter(state_machine__owner=signed_in(self.request))
        if self.action == "list":
            query = ListQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            filters = {k: v for k, v in query.validated_data.items()}
            owned = owned.filter(**filters)
        return owned.select_related("state_machine", "version").order_by("-started_at", "-pk")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:  # type: ignore[type-arg]
        return ExecutionSummarySerializer if self.action == "list" else ExecutionSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start a Standard execution of a version, or of the draft; workers run it."""
        machine, version, payload = self._start_request(request)
        execution = executions.start(machine, payload["input"], name=payload.get("name"), version=version)
        return Response(ExecutionSerializer(execution).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StartSerializer, responses={200: SyncResultSerializer})
    @action(detail=False, methods=["post"])
    def sync(self, request: Request) -> Response:
        """Run an Express execution to its end and answer with its result (nothing is stored)."""
        machine, version, payload = self._start_request(request)
        ran = express.start_sync(machine, payload["input"], name=payload.get("name"), version=version)
        return Response(
            {
                "name": ran["name"],
                "arn": ran["executionArn"],
                "state_machine_arn": ran["stateMachineArn"],
                "status": ran["status"],
                "input": ran["input"],
                "output": ran.get("output"),
                "error": ran.get("error"),
                "cause": ran.get("cause"),
                "started_at": datetime.fromtimestamp(ran["startDate"], tz=UTC),
                "stopped_at": datetime.fromtimestamp(ran["stopDate"], tz=UTC),
            }
        )

    @extend_schema(parameters=[HistoryQuery], responses={200: HistorySerializer})
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        """The history a page at a time: `?after=<last event id seen>&limit=<at most 1000>`."""
        query = HistoryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        after, limit = query.validated_data["after"], query.validated_data["limit"]
        execution = self.get_object()
        rows = list(execution.history.filter(event_id__gt=after).order_by("event_id")[: limit + 1])
        page = rows[:limit]
        return Response(
            {
                "execution_status": execution.status,
                "events": [row.data for row in page],
                "last_event_id": page[-1].event_id if page else after,
                "has_more": len(rows) > limit,
            }
        )

    @extend_schema(request=StopSerializer, responses={200: ExecutionSerializer})
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: str | None = None) -> Response:
        """Stop a running execution: it ends ABORTED, with the error and cause given."""
        payload = StopSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        execution = self.get_object()
        if execution.is_closed:
            raise Conflict(
                f"The execution already ended ({execution.status}); there is nothing to stop.",
                code="execution_not_running",
            )
        stopped = executions.stop(
            execution, payload.validated_data.get("error"), payload.validated_data.get("cause")
        )
        return Response(ExecutionSerializer(stopped).data)

    def _start_request(self, request: Request) -> tuple[StateMachine, Version | None, dict[str, Any]]:
        payload = StartSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        machine = StateMachine.objects.filter(pk=data["state_machine"], owner=signed_in(request)).first()
        if machine is None:
            raise exceptions.NotFound(f"You have no state machine with id {data['state_machine']}.")
        version = version_of(machine, data["version"]) if data.get("version") is not None else None
        return machine, version, data

"""REST resource: the single-state test (AWS's TestState at DEBUG). Nothing is stored."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.limits import DefinitionField, PayloadField
from designer.services import single_state

TEST_STATUSES = ["SUCCEEDED", "FAILED", "RETRIABLE", "CAUGHT_ERROR"]


class MockSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The task's outcome, instead of invoking its resource: a `result`, or an `error` (and `cause`)."""

    result = PayloadField(required=False)
    error = serializers.CharField(max_length=256, required=False)
    cause = serializers.CharField(max_length=32768, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("result" in attrs) == ("error" in attrs):
            raise serializers.ValidationError("A mock has either a result or an error (with a cause).")
        return attrs


class TestStateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    definition = DefinitionField(
        help_text="One state (an object with Type), or a whole definition with `state_name`."
    )
    state_name = serializers.CharField(max_length=80, required=False, trim_whitespace=False)
    input = PayloadField(required=False, default=dict)
    mock = MockSerializer(required=False, allow_null=True)


class InspectionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    input = serializers.JSONField()
    after_input_path = serializers.JSONField(required=False)
    after_parameters = serializers.JSONField(required=False)
    after_arguments = serializers.JSONField(required=False, help_text="JSONata states")
    result = serializers.JSONField(required=False)
    after_result_selector = serializers.JSONField(required=False)
    after_result_path = serializers.JSONField(required=False)
    variables = serializers.JSONField(required=False)


class TestStateResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=TEST_STATUSES)
    output = serializers.JSONField(allow_null=True)
    next_state = serializers.CharField(allow_null=True)
    error = serializers.CharField(allow_null=True)
    cause = serializers.CharField(allow_null=True)
    inspection_data = InspectionSerializer()


class TestStateView(APIView):
    @extend_schema(request=TestStateSerializer, responses={200: TestStateResultSerializer})
    def post(self, request: Request) -> Response:
        """Run one state on an input and show every stage of its data flow (AWS TestState, DEBUG)."""
        payload = TestStateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        mock = single_state.Mock(**data["mock"]) if data.get("mock") is not None else None
        result = single_state.run(
            data["definition"], data["input"], state_name=data.get("state_name"), mock=mock
        )
        return Response(result)

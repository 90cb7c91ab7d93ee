"""REST resource: answers to tasks waiting with a task token (`.waitForTaskToken`, activities).

A token answers once. Only tasks of the caller's own executions can be answered: another owner's
token is a 404, as an unknown one is.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from designer.api.authentication import signed_in
from designer.api.limits import PayloadField
from designer.services import callbacks

ANSWERED = {204: OpenApiResponse(description="Answered: the execution goes on.")}


class TokenSerializer(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField(max_length=callbacks.MAX_TOKEN_LENGTH, trim_whitespace=False)


class SuccessSerializer(TokenSerializer):
    output = PayloadField(help_text="The task's result (any JSON value, at most 256 KiB).")


class FailureSerializer(TokenSerializer):
    error = serializers.CharField(max_length=256, required=False, allow_null=True, allow_blank=True)
    cause = serializers.CharField(max_length=32768, required=False, allow_null=True, allow_blank=True)


class TaskTokenViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = TokenSerializer

    @extend_schema(request=SuccessSerializer, responses=ANSWERED)
    @action(detail=False, methods=["post"])
    def success(self, request: Request) -> Response:
        payload = SuccessSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        callbacks.send_task_success(data["token"], data["output"], owner=signed_in(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=FailureSerializer, responses=ANSWERED)
    @action(detail=False, methods=["post"])
    def failure(self, request: Request) -> Response:
        payload = FailureSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        callbacks.send_task_failure(
            data["token"], data.get("error"), data.get("cause"), owner=signed_in(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=TokenSerializer, responses=ANSWERED)
    @action(detail=False, methods=["post"])
    def heartbeat(self, request: Request) -> Response:
        payload = TokenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        callbacks.send_task_heartbeat(payload.validated_data["token"], owner=signed_in(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

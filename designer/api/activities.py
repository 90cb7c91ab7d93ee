"""REST resource: activities (named queues of tasks that workers poll). Create, list, retrieve, delete."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from designer.api.authentication import signed_in
from designer.models import Activity
from designer.services import activities


class ActivitySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Activity
        fields = ["id", "name", "arn", "created_at"]
        read_only_fields = ["id", "arn", "created_at"]
        extra_kwargs = {"name": {"validators": [], "trim_whitespace": False}}  # the service checks names


@extend_schema_view(create=extend_schema(summary="Create an activity (the same name gives the same one)"))
class ActivityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = ActivitySerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Activity]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular inspecting the view
            return Activity.objects.none()
        return Activity.objects.filter(owner=signed_in(self.request)).order_by("name")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = ActivitySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        activity = activities.create(signed_in(request), payload.validated_data["name"])
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Activity) -> None:
        activities.delete(instance)

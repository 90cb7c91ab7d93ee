"""The REST API's URLs, mounted under /api/ by designer/urls.py."""

from __future__ import annotations

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from designer.api.activities import ActivityViewSet
from designer.api.executions import ExecutionViewSet
from designer.api.state_machines import StateMachineViewSet
from designer.api.task_tokens import TaskTokenViewSet
from designer.api.test_state import TestStateView
from designer.api.versions import VersionViewSet

router = DefaultRouter()
router.register("state-machines", StateMachineViewSet, basename="state-machine")
router.register(r"state-machines/(?P<state_machine_id>\d+)/versions", VersionViewSet, basename="version")
router.register("executions", ExecutionViewSet, basename="execution")
router.register("activities", ActivityViewSet, basename="activity")
router.register("task-tokens", TaskTokenViewSet, basename="task-token")


class NoEndpoint(APIView):
    """Whatever else is asked under /api/: a 404 in the API's error shape, not Django's HTML page."""

    schema = None  # not an endpoint of its own in the OpenAPI schema

    def dispatch_any(self, request: Request, *args: object, **kwargs: object) -> None:
        raise exceptions.NotFound("No Statecraft API endpoint here.")

    get = post = put = patch = delete = dispatch_any


urlpatterns = [
    path("test-state/", TestStateView.as_view(), name="test-state"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),  # OpenAPI 3, as JSON
    # Swagger UI loads its script and styles from a CDN: the page needs a connection; the schema does not.
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("auth/", include("rest_framework.urls")),  # a session sign-in page for the browser
    path("", include(router.urls)),
    re_path(r"^.*$", NoEndpoint.as_view()),
]

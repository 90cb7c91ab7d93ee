"""URLs. The REST API, the AWS-compatible endpoint and the editor pages join here."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("designer.api.routers")),
]

"""``/api/v1/``: every app's resources on one router, the schema and its documentation."""

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter

from bodies.api.urls import routes as bodies_routes
from committees.api.urls import routes as committees_routes
from decisions.api.urls import routes as decisions_routes
from memberships.api.urls import routes as memberships_routes
from reminders.api.urls import routes as reminders_routes

app_name = "api"

router = DefaultRouter()
for prefix, viewset, basename in [
    *bodies_routes,
    *committees_routes,
    *memberships_routes,
    *decisions_routes,
    *reminders_routes,
]:
    router.register(prefix, viewset, basename=basename)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([])
def not_found(request, path=""):
    """Any other address under the API answers 404 in the API's error format."""
    raise NotFound("There is no such address in the API: see /api/v1/docs/.")


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include(router.urls)),
    re_path(r"^(?P<path>.*)$", not_found),
]

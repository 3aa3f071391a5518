from django.contrib import admin
from django.urls import include, path

from core.health import Liveness, Readiness
from web.two_factor import admin_sign_in

admin.site.site_header = "ICS Governance Registry"
admin.site.site_title = "ICS Governance Registry"
admin.site.index_title = "Governance of England's Integrated Care Systems"

urlpatterns = [
    # First: an API request is then resolved without trying every page's pattern before.
    path("api/v1/", include("ics_registry.api_urls")),
    # Probes for the load balancer and docker compose (core.health).
    path("healthz", Liveness.as_view(), name="healthz"),
    path("readyz", Readiness.as_view(), name="readyz"),
    # The officers' and the public's pages (web/): / is the systems overview.
    path("", include("web.urls")),
    # The admin's login page with the two-step sign-in's code step (web.two_factor).
    path("admin/login/", admin_sign_in),
    path("admin/", admin.site.urls),
    # Private milestone calendars (iCalendar), by secret token.
    path("", include("reminders.urls")),
    # A governance document version's file, to whoever may read the version.
    path("", include("documents.urls")),
]

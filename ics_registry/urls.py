from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "ICS Governance Registry"
admin.site.site_title = "ICS Governance Registry"
admin.site.index_title = "Governance of England's Integrated Care Systems"

urlpatterns = [
    # The officers' and the public's pages (web/): / is the systems overview.
    path("", include("web.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("ics_registry.api_urls")),
    # Private milestone calendars (iCalendar), by secret token.
    path("", include("reminders.urls")),
    # A governance document version's file, to whoever may read the version.
    path("", include("documents.urls")),
]

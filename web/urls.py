"""The web pages. Each area's module under web/views/ defines its ``urlpatterns``; add
one line here for a new area."""

from web.views import (
    appointments,
    auth,
    committees,
    decisions,
    edits,
    milestones,
    overview,
    people,
    reorganisations,
    rules,
    structure,
)

app_name = "web"
urlpatterns = [
    *overview.urlpatterns,
    *structure.urlpatterns,
    *committees.urlpatterns,
    *people.urlpatterns,
    *decisions.urlpatterns,
    *rules.urlpatterns,
    *milestones.urlpatterns,
    *auth.urlpatterns,
    *edits.urlpatterns,
    *reorganisations.urlpatterns,
    *appointments.urlpatterns,
]

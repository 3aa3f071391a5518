"""The officers' and the public's pages."""

from web.views import rules

app_name = "web"

urlpatterns = [*rules.urlpatterns]

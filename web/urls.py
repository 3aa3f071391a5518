"""The officers' and the public's pages."""

from web.views import rules, structure

app_name = "web"

urlpatterns = [*rules.urlpatterns, *structure.urlpatterns]

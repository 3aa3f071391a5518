from web.views import structure

app_name = "web"
urlpatterns = [*structure.urlpatterns]

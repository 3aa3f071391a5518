from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("documents/versions/<int:pk>/file/", views.version_file, name="version_file"),
]

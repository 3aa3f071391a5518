from django.urls import path

from publishing import views

app_name = "publishing"
urlpatterns = [
    path("", views.system_list, name="system_list"),
    path("<str:code>/", views.system_detail, name="system_detail"),
]

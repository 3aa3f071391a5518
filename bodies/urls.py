from django.urls import path

from bodies import views

app_name = "bodies"
urlpatterns = [
    path("", views.system_list, name="system_list"),
    path("<str:code>/", views.system_detail, name="system_detail"),
]

from bodies.api import views

routes = [
    ("regions", views.RegionViewSet, "region"),
    ("organisations", views.OrganisationViewSet, "organisation"),
    ("systems", views.SystemViewSet, "system"),
    ("bodies", views.BodyViewSet, "body"),
]

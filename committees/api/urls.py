from committees.api import views

routes = [
    ("committees", views.CommitteeViewSet, "committee"),
    ("seats", views.SeatViewSet, "seat"),
    ("constitutions", views.ConstitutionViewSet, "constitution"),
    ("requirements", views.RequirementViewSet, "requirement"),
    ("standing-orders", views.StandingOrdersViewSet, "standingorders"),
]

from memberships.api import views

routes = [
    ("people", views.PersonViewSet, "person"),
    ("memberships", views.MembershipViewSet, "membership"),
]

from decisions.api import views

routes = [
    ("meetings", views.MeetingViewSet, "meeting"),
    ("attendances", views.AttendanceViewSet, "attendance"),
    ("decisions", views.DecisionViewSet, "decision"),
    ("votes", views.VoteViewSet, "vote"),
    ("delegations", views.DelegationViewSet, "delegation"),
    ("interest-declarations", views.InterestDeclarationViewSet, "interestdeclaration"),
]

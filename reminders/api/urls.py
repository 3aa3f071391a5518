from reminders.api import views

routes = [
    ("milestones", views.MilestoneViewSet, "milestone"),
]

"""``/api/v1/``: every app's resources on one router, the schema and its documentation.

This is where the API is assembled, above every app. A resource of an earlier app that
shows facts owned by a later one (a system's composition, a body's register of
interests) gets those actions here, as mixins from the later app, so that no app
imports one that depends on it.
"""

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter

from appointments.api import views as appointments
from bodies.api import views as bodies
from committees.api import views as committees
from decisions.api import views as decisions
from documents.api import views as documents
from ics_registry.api_docs import RedocView, SwaggerView
from memberships.api import views as memberships
from memberships.services import body_abolish, committee_abolish
from privacy.api import ErasureActions
from publishing.api import SystemComplianceActions, SystemPopoloActions
from reminders.api import views as reminders
from reorganisations.api import views as reorganisations

app_name = "api"


class SystemViewSet(
    memberships.SystemCompositionActions,
    decisions.SystemFunctionsMapActions,
    SystemPopoloActions,
    SystemComplianceActions,
    bodies.SystemViewSet,
):
    __doc__ = bodies.SystemViewSet.__doc__


class BodyViewSet(
    memberships.AbolishActions,
    memberships.BodyComplianceActions,
    decisions.BodyRegisterActions,
    committees.BodyViewSet,
):
    __doc__ = committees.BodyViewSet.__doc__
    abolish_with = staticmethod(body_abolish)


class CommitteeViewSet(
    memberships.AbolishActions,
    memberships.CommitteeComplianceActions,
    committees.CommitteeViewSet,
):
    __doc__ = committees.CommitteeViewSet.__doc__
    abolish_with = staticmethod(committee_abolish)


class PersonViewSet(ErasureActions, decisions.PersonViewSet):
    __doc__ = decisions.PersonViewSet.__doc__


class MembershipViewSet(appointments.MembershipTermActions, memberships.MembershipViewSet):
    __doc__ = memberships.MembershipViewSet.__doc__


ROUTES = [
    ("regions", bodies.RegionViewSet, "region"),
    ("organisations", bodies.OrganisationViewSet, "organisation"),
    ("systems", SystemViewSet, "system"),
    ("bodies", BodyViewSet, "body"),
    ("committees", CommitteeViewSet, "committee"),
    ("committees-in-common", committees.CommitteesInCommonViewSet, "committeesincommon"),
    ("seats", memberships.SeatViewSet, "seat"),
    ("constitutions", committees.ConstitutionViewSet, "constitution"),
    ("requirements", committees.RequirementViewSet, "requirement"),
    ("standing-orders", committees.StandingOrdersViewSet, "standingorders"),
    ("people", PersonViewSet, "person"),
    ("memberships", MembershipViewSet, "membership"),
    ("meetings", decisions.MeetingViewSet, "meeting"),
    ("attendances", decisions.AttendanceViewSet, "attendance"),
    ("decisions", decisions.DecisionViewSet, "decision"),
    ("votes", decisions.VoteViewSet, "vote"),
    ("delegations", decisions.DelegationViewSet, "delegation"),
    ("interest-declarations", decisions.InterestDeclarationViewSet, "interestdeclaration"),
    ("documents", documents.GovernanceDocumentViewSet, "governancedocument"),
    ("document-versions", documents.DocumentVersionViewSet, "documentversion"),
    ("milestones", reminders.MilestoneViewSet, "milestone"),
    ("reorganisations", reorganisations.ReorganisationPlanViewSet, "reorganisationplan"),
    ("appointments", appointments.AppointmentRoundViewSet, "appointmentround"),
]

router = DefaultRouter()
for prefix, viewset, basename in ROUTES:
    router.register(prefix, viewset, basename=basename)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([])
def not_found(request, path=""):
    """Any other address under the API answers 404 in the API's error format."""
    raise NotFound("There is no such address in the API: see /api/v1/docs/.")


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include(router.urls)),
    re_path(r"^(?P<path>.*)$", not_found),
]

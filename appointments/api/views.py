"""``/api/v1/appointments/``: appointment rounds with their steps, and an action per step."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from appointments.api.serializers import (
    AppointInputSerializer,
    AppointmentRoundSerializer,
    ApprovalInputSerializer,
    CandidateInputSerializer,
    FinishInputSerializer,
    NominationInputSerializer,
    ReappointInputSerializer,
    SelectInputSerializer,
)
from appointments.filtersets import AppointmentRoundFilterSet
from appointments.models import AppointmentRound, Approval, Candidate, Nomination
from appointments.services import (
    approval_record,
    candidate_add,
    candidate_select,
    membership_reappoint,
    membership_term_expire,
    nomination_record,
    round_appoint,
    round_cancel,
    round_close,
)
from core.api.pagination import CursorPagination
from core.api.viewsets import RegistryViewSet
from memberships.api.serializers import MembershipSerializer


class AppointmentRoundViewSet(RegistryViewSet):
    """Appointment rounds (issue 12): how a seat gets filled, from the vacancy (or the
    term about to end) to the appointment.

    Anyone reads a round's seat, stage, deadlines, approvals and outcome; the people
    nominated and the candidates are shown only to officers of the round's system (others
    see ``null``), since they name people who may not be appointed. Officers of the system
    open a round (``POST``), correct its deadlines or lead (``PATCH``), and record each
    step with ``If-Match``: ``POST .../nominations/`` (an organisation entitled to
    nominate, R4), ``.../candidates/``, ``.../select/``, ``.../approvals/`` (NHS England
    for an ICB chair, the chair for partner members, the ICB and local government for an
    ICP chair, R7, or a single accountable person, R11), ``.../appoint/`` (creates the
    membership, designate until its start where the seat is free), ``.../close/`` and
    ``.../cancel/``.
    """

    queryset = AppointmentRound.objects.select_related(
        "ics", "seat__body", "seat__committee", "membership"
    ).prefetch_related(
        Prefetch(
            "nominations",
            queryset=Nomination.objects.select_related("organisation", "person"),
        ),
        Prefetch("candidates", queryset=Candidate.objects.select_related("person")),
        Prefetch(
            "approvals", queryset=Approval.objects.select_related("organisation", "agreed_by")
        ),
    )
    serializer_class = AppointmentRoundSerializer
    filterset_class = AppointmentRoundFilterSet
    pagination_class = CursorPagination
    ordering_fields = ["opened_on", "id"]
    ordering = ["-opened_on", "id"]

    def ics_id_for_new(self, validated_data):
        return validated_data["seat"].ics_id

    def _step(self, request, input_class, record, *, created=False):
        round = self.get_object()
        serializer = input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        with self.audit():
            record(round, serializer.validated_data, request.user)
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.representation(self.reload(round)), status=answer)

    @extend_schema(request=NominationInputSerializer, responses={201: AppointmentRoundSerializer})
    @action(detail=True, methods=["post"])
    def nominations(self, request, pk):
        """Record an organisation's nomination (R4); the nominee becomes a candidate."""
        return self._step(
            request,
            NominationInputSerializer,
            lambda round, data, by: nomination_record(round=round, by=by, **data),
            created=True,
        )

    @extend_schema(request=CandidateInputSerializer, responses={201: AppointmentRoundSerializer})
    @action(detail=True, methods=["post"])
    def candidates(self, request, pk):
        """Add a candidate to the shortlist; selection starts."""
        return self._step(
            request,
            CandidateInputSerializer,
            lambda round, data, by: candidate_add(round=round, by=by, **data),
            created=True,
        )

    @extend_schema(request=SelectInputSerializer, responses=AppointmentRoundSerializer)
    @action(detail=True, methods=["post"])
    def select(self, request, pk):
        """Select a shortlisted candidate (with an election's count, if one was held)."""

        def select(round, data, by):
            candidate = round.candidates.filter(pk=data["candidate"]).first()
            if candidate is None:
                raise exceptions.ValidationError(
                    {"candidate": ["This round has no candidate with this id."]}
                )
            votes = {int(k): v for k, v in data.get("votes", {}).items() if str(k).isdigit()}
            candidate_select(candidate=candidate, on=data["on"], votes=votes, by=by)

        return self._step(request, SelectInputSerializer, select)

    @extend_schema(request=ApprovalInputSerializer, responses={201: AppointmentRoundSerializer})
    @action(detail=True, methods=["post"])
    def approvals(self, request, pk):
        """Record an approval, or an "agreed by" (R7, R11), of the selected candidate."""
        return self._step(
            request,
            ApprovalInputSerializer,
            lambda round, data, by: approval_record(round=round, by=by, **data),
            created=True,
        )

    @extend_schema(request=AppointInputSerializer, responses=AppointmentRoundSerializer)
    @action(detail=True, methods=["post"])
    def appoint(self, request, pk):
        """Appoint the selected candidate on ``on`` to take up the seat on ``start``."""
        return self._step(
            request,
            AppointInputSerializer,
            lambda round, data, by: round_appoint(round=round, by=by, **data),
        )

    @extend_schema(request=FinishInputSerializer, responses=AppointmentRoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk):
        """Close the round on ``on`` without an appointment."""
        return self._step(
            request,
            FinishInputSerializer,
            lambda round, data, by: round_close(round=round, by=by, **data),
        )

    @extend_schema(request=FinishInputSerializer, responses=AppointmentRoundSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk):
        """Cancel the round on ``on``."""
        return self._step(
            request,
            FinishInputSerializer,
            lambda round, data, by: round_cancel(round=round, by=by, **data),
        )


class MembershipTermActions:
    """What happens to a membership at the end of its term (R24), added to
    ``/memberships/`` by ``ics_registry.api_urls`` (memberships cannot import this app):
    ``POST .../reappoint/`` for a further term, refused beyond the seat's maximum number
    of consecutive terms, and ``POST .../expire-term/`` when the term ends with no
    successor (the holder carries over where the seat allows it; otherwise the membership
    ends on the term's last day). Both need If-Match."""

    @extend_schema(request=ReappointInputSerializer, responses={201: MembershipSerializer})
    @action(detail=True, methods=["post"])
    def reappoint(self, request, pk):
        """Re-appoint the holder for a further term; answers the new membership."""
        membership = self.get_object()
        serializer = ReappointInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with self.audit():
            further = membership_reappoint(
                membership=membership, by=request.user, **serializer.validated_data
            )
        return Response(self.representation(self.reload(further)), status=201)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"], url_path="expire-term")
    def expire_term(self, request, pk):
        """The term has ended with no successor: carry over, or leave the seat vacant."""
        membership = self.get_object()
        with self.audit():
            membership_term_expire(membership=membership, by=request.user)
        return Response(self.representation(self.reload(membership)))

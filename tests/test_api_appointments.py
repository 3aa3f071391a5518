"""An appointment round from vacancy to substantive membership, through the API
(issue 12), with the deadline reminders sent exactly once per deadline and threshold."""

import datetime

import pytest
from django.core import mail

from appointments.models import Stage
from memberships.models import EndReason, Membership
from memberships.services import membership_end
from reminders.models import Kind, Reminder
from tests.api_support import API, api_rates, make_officer, session_client  # noqa: F401
from tests.appointments_builders import icb_with_seats
from tests.factories import PersonFactory
from tests.reminders_factories import default_policy
from tests.test_reminders_dispatch import dispatch, send_all

pytestmark = pytest.mark.django_db

D = datetime.date


def days(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


class Officer:
    """An officer's client that reads a round's ETag before each step, as a client must."""

    def __init__(self, client, round_id=None):
        self.client, self.round_id = client, round_id

    def url(self, action=""):
        return f"{API}/appointments/{self.round_id}/{action + '/' if action else ''}"

    def step(self, action, body):
        etag = self.client.get(self.url())["ETag"]
        return self.client.post(self.url(action), body, format="json", HTTP_IF_MATCH=etag)

    def run_reminders(self, first, last):
        for day in days(first, last):
            for _ in range(2):  # a second run the same day sends nothing again
                dispatch(day)
            send_all(day)


def test_a_vacancy_is_filled_through_the_api_from_nomination_to_substantive_membership():
    default_policy()  # deadlines reminded 14, 7 and 1 days before
    w = icb_with_seats()
    membership_end(membership=w.la_holder, end=D(2025, 12, 31), reason=EndReason.RESIGNED)
    lead = PersonFactory()
    officer = Officer(session_client(make_officer(w.ics, username="officer")))

    # The seat is vacant: an officer opens a round.
    opened = officer.client.post(
        f"{API}/appointments/",
        {
            "seat": w.la_seat.pk,
            "opened_on": "2026-01-05",
            "reason": "vacancy",
            "nominations_close": "2026-01-31",
            "selection_by": "2026-02-13",
            "appointment_by": "2026-02-27",
            "lead": lead.pk,
        },
        format="json",
    )
    assert opened.status_code == 201, opened.content
    officer.round_id = opened.json()["id"]
    assert opened.json()["stage"] == "nominating"
    assert opened.json()["approvals_required"] == ["chair"]

    # Nominations: the two councils jointly for one person, one council for another (R4).
    chosen, other = PersonFactory(), PersonFactory()
    for council in (w.council, w.other_council):
        body = {"organisation": council.pk, "person": chosen.pk, "nominated_on": "2026-01-20"}
        assert officer.step("nominations", body).status_code == 201
    body = {"organisation": w.council.pk, "person": other.pk, "nominated_on": "2026-01-22"}
    assert officer.step("nominations", body).status_code == 201
    refused = officer.step(
        "nominations",
        {"organisation": w.trust.pk, "person": other.pk, "nominated_on": "2026-01-22"},
    )
    assert refused.status_code == 400
    assert "A Trust does not nominate" in refused.json()["errors"]["organisation"][0]

    officer.run_reminders(D(2026, 1, 5), D(2026, 1, 31))

    # Candidates: the nominees, and one more added directly; then the selection.
    direct = officer.step("candidates", {"person": PersonFactory().pk, "added_on": "2026-02-02"})
    assert direct.json()["stage"] == "selecting"
    candidates = {c["person"]: c["id"] for c in direct.json()["candidates"]}
    assert len(candidates) == 3

    officer.run_reminders(D(2026, 2, 1), D(2026, 2, 12))

    early = officer.step("appoint", {"on": "2026-02-12", "start": "2026-04-01"})
    assert early.status_code == 400 and "Select a candidate" in early.json()["detail"]
    votes = {str(candidates[chosen.pk]): 7, str(candidates[other.pk]): 3}
    selected = officer.step(
        "select", {"candidate": candidates[chosen.pk], "on": "2026-02-12", "votes": votes}
    )
    assert selected.status_code == 200, selected.content
    assert selected.json()["stage"] == "awaiting_approval"
    outcomes = sorted(c["outcome"] for c in selected.json()["candidates"])
    assert outcomes == ["not_selected", "not_selected", "selected"]

    # The chair approves a partner member; only then is the appointment made.
    not_yet = officer.step("appoint", {"on": "2026-02-13", "start": "2026-04-01"})
    assert not_yet.status_code == 400
    assert "still needs the approval of: The chair" in not_yet.json()["detail"]
    approved = officer.step(
        "approvals",
        {"party": "chair", "agreed_by": w.chair.person.pk, "given_on": "2026-02-13"},
    )
    assert approved.status_code == 201 and approved.json()["stage"] == "agreed"

    officer.run_reminders(D(2026, 2, 13), D(2026, 2, 26))

    appointed = officer.step("appoint", {"on": "2026-02-27", "start": "2026-04-01"})
    assert appointed.status_code == 200, appointed.content
    round = appointed.json()
    assert (round["stage"], round["closed_on"]) == (Stage.APPOINTED, "2026-02-27")
    assert round["appointed"]["person"] == chosen.pk
    assert round["appointed"]["start"] == "2026-04-01"

    # Designate from the appointment until the start date, substantive from it.
    designate = Membership.objects.get(seat=w.la_seat, start=D(2026, 2, 27))
    substantive = officer.client.get(f"{API}/memberships/{round['appointed']['membership']}/")
    assert (designate.status, designate.end) == ("designate", D(2026, 3, 31))
    assert substantive.json()["status"] == "substantive"
    assert substantive.json()["start"] == "2026-04-01"
    assert substantive.json()["on_behalf_of"] == w.council.pk

    # Nothing more to remind once the round is appointed.
    officer.run_reminders(D(2026, 2, 27), D(2026, 3, 5))
    reminded = Reminder.objects.filter(kind=Kind.APPOINTMENT_DEADLINE)
    assert sorted(k.split(":", 2)[2] for k in reminded.values_list("key", flat=True)) == sorted(
        f"{name}:{day}:{threshold}:person:{lead.pk}"
        for name, day in (
            ("nominations_close", "2026-01-31"),
            ("selection_by", "2026-02-13"),
            ("appointment_by", "2026-02-27"),
        )
        for threshold in (14, 7, 1)
    )
    assert len([m for m in mail.outbox if m.to == [lead.work_email]]) == 9


def test_a_step_on_a_round_changed_since_it_was_read_is_refused():
    w = icb_with_seats()
    officer = Officer(session_client(make_officer(w.ics, username="officer")))
    opened = officer.client.post(
        f"{API}/appointments/",
        {"seat": w.nem_seat.pk, "opened_on": "2026-01-05", "reason": "vacancy"},
        format="json",
    )
    officer.round_id = opened.json()["id"]
    stale = officer.client.get(officer.url())["ETag"]
    officer.step("candidates", {"person": PersonFactory().pk, "added_on": "2026-01-06"})
    body = {"person": PersonFactory().pk, "added_on": "2026-01-06"}
    late = officer.client.post(officer.url("candidates"), body, format="json", HTTP_IF_MATCH=stale)
    assert late.status_code == 412
    missing = officer.client.post(officer.url("candidates"), body, format="json")
    assert missing.status_code == 428


def test_a_holder_is_reappointed_through_the_api_up_to_the_seats_maximum_r24():
    w = icb_with_seats()  # the local authority seat allows two consecutive terms
    client = session_client(make_officer(w.ics, username="officer"))

    def reappoint(membership_id):
        url = f"{API}/memberships/{membership_id}/"
        etag = client.get(url)["ETag"]
        return client.post(url + "reappoint/", {}, format="json", HTTP_IF_MATCH=etag)

    second = reappoint(w.la_holder.pk)
    assert second.status_code == 201, second.content
    assert (second.json()["start"], second.json()["person"]) == (
        "2026-04-01",
        w.la_holder.person_id,
    )
    third = reappoint(second.json()["id"])
    assert third.status_code == 400
    assert "the most its constitution allows (2)" in third.json()["detail"]


def test_a_term_ending_with_no_successor_on_a_seat_without_carry_over_ends_through_the_api():
    w = icb_with_seats()
    client = session_client(make_officer(w.ics, username="officer"))
    url = f"{API}/memberships/{w.la_holder.pk}/"
    etag = client.get(url)["ETag"]

    ended = client.post(url + "expire-term/", HTTP_IF_MATCH=etag)

    assert ended.status_code == 200, ended.content
    assert (ended.json()["end"], ended.json()["end_reason"]) == ("2026-03-31", "term_expired")

"""Dated links (issue 11): the footprint, a body's members and convenors and a seat's
nominators each hold from a date to a date, so compliance on a past date reads the links
of that date, and a new list from the API or a service changes them from today."""

import datetime

import pytest
from django.utils import timezone

from bodies.models import BodyMemberLink, OrganisationKind, TrustType
from committees.models import CommitteeKind, Seat, SeatNominationLink
from core.db import prefetch_links_on
from core.services import record_update
from memberships.selectors import compliance
from tests.api_support import API, governance_unit, make_officer, session_client
from tests.builders import compliant_icb, footprint_organisation
from tests.factories import CommitteeFactory, IntegratedCareSystemFactory

pytestmark = pytest.mark.django_db

D = datetime.date
LEFT = D(2024, 3, 31)
CHANGED = D(2024, 4, 1)


def finding(report, code):
    (found,) = [f for f in report.findings if f.requirement == code]
    return found


@pytest.fixture
def icb():
    return compliant_icb()


def board_finding(icb, code, as_of):
    return finding(compliance(committee=icb.board, as_of=as_of), code)


def test_R13_a_trust_that_left_its_collaborative_is_covered_before_and_not_after(icb):
    record_update(icb.collaborative, member_organisations=[], links_from=CHANGED)
    (link,) = BodyMemberLink.objects.filter(body=icb.collaborative)
    assert (link.start, link.end) == (None, LEFT)
    assert board_finding(icb, "collaborative-coverage", LEFT).met
    after = board_finding(icb, "collaborative-coverage", CHANGED)
    assert not after.met and icb.trust.name in after.message


def test_R4_a_seat_nominated_by_a_council_then_by_a_trust_reads_the_nominator_of_the_date(icb):
    seat, _ = icb.la_partner
    record_update(seat, nominating_organisations=[icb.trust], links_from=CHANGED)
    assert board_finding(icb, "local-authority-partner-nomination", LEFT).met
    after = board_finding(icb, "local-authority-partner-nomination", CHANGED)
    assert not after.met
    assert f"nominated by {icb.trust.name}, not by a local authority" in after.message


def test_R7_an_icp_whose_council_stopped_convening_it_breaches_from_that_date(icb):
    icp = record_update(icb.icp, established=D(2022, 9, 1))
    icp.convening_organisations.add(icb.ics.icb, icb.council)
    board = CommitteeFactory(body=icp, kind=CommitteeKind.BOARD, name="Partnership")
    record_update(icp, convening_organisations=[icb.ics.icb], links_from=CHANGED)
    assert finding(compliance(committee=board, as_of=LEFT), "convened-jointly").met
    after = finding(compliance(committee=board, as_of=CHANGED), "convened-jointly")
    assert after.message == "The partnership is not convened by any local authority"


def test_R13_a_trust_that_joined_the_footprint_later_is_not_counted_before(icb):
    trust = footprint_organisation(
        icb.ics, kind=OrganisationKind.NHS_TRUST, trust_type=TrustType.MENTAL_HEALTH
    )
    trust.system_links.update(start=CHANGED)
    assert board_finding(icb, "collaborative-coverage", LEFT).met
    assert not board_finding(icb, "collaborative-coverage", CHANGED).met


def test_a_new_list_ends_the_links_left_out_and_starts_the_new_ones_that_day(icb):
    seat, _ = icb.trust_partner
    record_update(seat, nominating_organisations=[icb.trust, icb.council], links_from=CHANGED)
    record_update(seat, nominating_organisations=[icb.council], links_from=D(2024, 5, 1))
    periods = sorted(
        (link.organisation_id, link.start or D.min, link.end)
        for link in SeatNominationLink.objects.filter(seat=seat)
    )
    assert periods == [
        (icb.trust.pk, D.min, D(2024, 4, 30)),
        (icb.council.pk, CHANGED, None),
    ]


def test_a_link_added_and_removed_on_the_same_day_leaves_no_trace(icb):
    seat, _ = icb.trust_partner
    record_update(seat, nominating_organisations=[icb.trust, icb.council], links_from=CHANGED)
    record_update(seat, nominating_organisations=[icb.trust], links_from=CHANGED)
    assert list(seat.nominating_organisations.all()) == [icb.trust]


# The API: a list of ids as before, in force today ---------------------------------------


def test_the_api_shows_todays_nominators_and_a_new_list_ends_the_old_ones_yesterday():
    unit = governance_unit(IntegratedCareSystemFactory(code="QSL", name="Somerset"))
    officer = session_client(make_officer(unit.ics, username="officer_dated"))
    seat = unit.seat
    first, second = (
        footprint_organisation(unit.ics, kind=OrganisationKind.LOCAL_AUTHORITY, ods_code=code)
        for code in ("L1", "L2")
    )
    seat.nominating_organisations.add(first)
    response = officer.patch(
        f"{API}/seats/{seat.pk}/", {"nominating_organisations": [second.pk]}, HTTP_IF_MATCH="*"
    )
    assert response.status_code == 200, response.content
    assert response.json()["nominating_organisations"] == [second.pk]
    assert officer.get(f"{API}/seats/{seat.pk}/").json()["nominating_organisations"] == [second.pk]
    today = timezone.localdate()
    ended = SeatNominationLink.objects.get(seat=seat, organisation=first)
    assert ended.end == today - datetime.timedelta(days=1)


def test_prefetched_nominators_are_those_of_the_date_shared_and_in_name_order(
    icb, django_assert_num_queries
):
    """``prefetch_links_on`` (issue 13: one instance per organisation however many seats it
    nominates): each seat reads its own nominators of the date, in their name order, with
    no further query; a further filter still reads that seat's links only."""
    la_seat, _ = icb.la_partner
    trust_seat, _ = icb.trust_partner
    record_update(la_seat, nominating_organisations=[icb.trust, icb.council], links_from=CHANGED)
    seats = list(Seat.objects.filter(pk__in=[la_seat.pk, trust_seat.pk]).order_by("pk"))
    with django_assert_num_queries(1):
        prefetch_links_on(seats, field="nominating_organisations", as_of=CHANGED)
    by_seat = {seat.pk: seat for seat in seats}
    by_name = sorted([icb.trust, icb.council], key=lambda o: o.name)
    with django_assert_num_queries(0):
        after = list(by_seat[la_seat.pk].nominating_organisations.all())
        trust_only = list(by_seat[trust_seat.pk].nominating_organisations.all())
    assert after == by_name and trust_only == [icb.trust]
    assert after[by_name.index(icb.trust)] is trust_only[0]  # one instance, shared
    assert after[0].name == by_name[0].name and after[0].kind == by_name[0].kind
    prefetch_links_on(seats, field="nominating_organisations", as_of=LEFT)
    assert list(by_seat[la_seat.pk].nominating_organisations.all()) == [icb.council]
    assert list(by_seat[trust_seat.pk].nominating_organisations.filter(pk=icb.council.pk)) == []

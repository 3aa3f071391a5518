"""The board or committee page /committees/<id>/ (issue 10): every seat, holder, term end
and vacancy on a date, the compliance report with linked rule codes, quorum and voting,
and every change of holder (journeys 1 and 2)."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from bodies.models import BodyKind
from committees.models import Committee, CommitteeKind, Role
from committees.services import committee_create, committees_in_common_create
from memberships.models import EndReason
from tests import demo_data as data
from tests.api_support import make_officer
from tests.builders import compliant_icb, seat_held
from tests.factories import BodyFactory, MembershipFactory, PersonFactory
from web.links import person_url

E_MAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


def url(committee, as_of=None) -> str:
    address = reverse("web:committee", args=[committee.pk])
    return f"{address}?as_of={as_of}" if as_of else address


@pytest.mark.usefixtures("loaded")
@pytest.mark.django_db
class TestSomersetBoard:
    """The demo's Somerset ICB board (demo/data/systems/somerset.yaml)."""

    @pytest.fixture
    def board(self):
        return Committee.objects.get(name=data.SOMERSET_ICB, kind="board")

    def test_the_board_shows_its_thirteen_voting_seats(self, client, board):
        response = client.get(url(board, "2026-11-01"))
        assert response.status_code == 200
        assert response.context["voting"] == 13
        assert "13 voting" in page_text(response)
        assert "Chief Nurse" in page_text(response)

    def test_an_earlier_date_shows_the_earlier_holder_r22(self, client, board):
        """13 October 2022: the interim Chief Nurse; today, her substantive successor."""
        then = page_text(client.get(url(board, "2022-10-13")))
        now = page_text(client.get(url(board, "2026-11-01")))
        assert "Hatherley" in then and "Kerr" not in then.split("Changes of holder")[0]
        assert "Kerr" in now and "Hatherley" not in now.split("Changes of holder")[0]
        assert "Interim" in then.split("Changes of holder")[0]

    def test_a_vacant_seat_says_so_and_since_when(self, client, board):
        response = client.get(url(board, "2026-11-01"))
        healthwatch = next(
            row
            for row in response.context["rows"]
            if row.seat.role == Role.HEALTHWATCH_REPRESENTATIVE
        )
        assert healthwatch.holding.vacant
        assert healthwatch.vacant_since == datetime.date(2026, 10, 1)
        seats = page_text(response).split('id="seats"')[1]
        row = seats.split("Healthwatch representative")[1].split("</tr>")[0]
        assert "Vacant" in row and "since 1 October 2026" in row

    def test_each_unmet_requirement_is_a_sentence_with_its_rule_linked(self, client, board):
        text = page_text(client.get(url(board, "2026-11-01")))
        findings = text.split('id="findings"')[1].split("</ul>")[0]
        assert "No Healthwatch member since 1 October 2026" in findings
        assert re.search(r'<a href="/rules/R\d+/"', findings)

    def test_the_history_lists_every_holder_with_dates_and_reasons(self, client, board):
        text = page_text(client.get(url(board, "2026-11-01")))
        history = text.split("Changes of holder")[1]
        assert "1 July 2022 to 31 December 2022:" in history
        assert "Left: replaced by a substantive appointment" in history
        assert "Chief Nurse: 2 holders" in history
        # Newest first.
        assert history.index("1 January 2023 to today") < history.index("1 July 2022 to 31 Dec")

    def test_quorum_and_voting_rules_are_plain_sentences(self, client, board):
        text = page_text(client.get(url(board)))
        quorum = text.split('id="quorum"')[1].split("</ul>")[0]
        assert "voting members must be present, including at least 2 " in quorum
        assert '<a href="/rules/R25/"' in quorum
        assert "casting vote" in quorum

    def test_signed_out_shows_no_e_mail_and_no_edit_controls(self, client, board):
        response = client.get(url(board))
        assert response.status_code == 200
        text = response.content.decode()
        assert not E_MAIL.search(text)
        assert "/admin/" not in text and "stand-in/" not in text

    def test_the_system_page_links_to_its_boards_and_committees(self, client, board):
        page = client.get(reverse("web:system", args=[data.SOMERSET])).content.decode()
        assert f'href="{url(board)}"' in page

    def test_htmx_gets_only_the_part_that_depends_on_the_date(self, client, board):
        response = client.get(url(board, "2022-10-13"), headers={"HX-Request": "true"})
        text = response.content.decode()
        assert text.lstrip().startswith('<div id="on-date">')
        assert "Hatherley" in text
        assert "<html" not in text and "Changes of holder" not in text

    def test_a_malformed_date_is_an_error_beside_the_field_not_a_failure(self, client, board):
        for query in ({"as_of": "13-10-2022"}, {"as_of_day": "31", "as_of_month": "2"}):
            response = client.get(url(board), query)
            assert response.status_code == 200
            assert response.context["form"].errors["as_of"]
            assert "nhsuk-error-summary" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_committee_is_not_found(client):
    assert client.get("/committees/999999/").status_code == 404


@pytest.mark.django_db
def test_queries_do_not_grow_with_seats_and_memberships(client, django_assert_max_num_queries):
    """Ten more seats, each with two holders one after the other, cost no more queries."""
    small, large = compliant_icb(), compliant_icb()
    for _ in range(10):
        seat, membership = seat_held(large.board, role=Role.MEMBER)
        membership.end, membership.end_reason = datetime.date(2024, 3, 31), EndReason.RESIGNED
        membership.save()
        MembershipFactory(seat=seat, person=PersonFactory(), start=datetime.date(2024, 4, 1))
    client.get(url(small.board, "2024-06-01"))
    with django_assert_max_num_queries(40) as counted:
        client.get(url(small.board, "2024-06-01"))
    with django_assert_max_num_queries(len(counted.captured_queries)):
        response = client.get(url(large.board, "2024-06-01"))
    assert len(response.context["rows"]) == 20
    assert sum(len(entries) for _, entries, _ in response.context["history"]) == 30


@pytest.mark.django_db
def test_a_resignation_shows_the_seat_vacant_and_the_board_not_compliant(client):
    icb = compliant_icb()
    _, membership = icb.la_partner
    membership.end, membership.end_reason = datetime.date(2024, 3, 2), EndReason.RESIGNED
    membership.save()
    before = client.get(url(icb.board, "2024-03-02"))
    assert before.context["report"].compliant and "Compliant" in page_text(before)
    after = page_text(client.get(url(icb.board, "2024-06-01")))
    assert "No local authority partner member since 3 March 2024" in after
    assert "Statutory breach" in after and ">Compliant<" not in after
    seats = after.split('id="seats"')[1]
    assert (
        "since 3 March 2024" in seats.split("Local authority partner member")[1].split("</tr>")[0]
    )


@pytest.mark.django_db
def test_edit_links_only_for_an_officer_of_the_system(client):
    icb, other_system = compliant_icb(), compliant_icb().ics
    seat, membership = icb.la_partner
    membership.end, membership.end_reason = datetime.date(2024, 3, 2), EndReason.RESIGNED
    membership.save()

    client.force_login(make_officer(icb.ics, username="ours"))
    text = client.get(url(icb.board, "2024-06-01")).content.decode()
    for page in ("appoint", "edit", "abolish"):
        assert f"/seats/{seat.pk}/{page}/" in text
    assert f"/memberships/{icb.chair[1].pk}/end/" in text
    assert f"/committees/{icb.board.pk}/seats/add/" in text

    # On a date before it ended, a membership that has since ended offers no "End".
    earlier = client.get(url(icb.board, "2024-01-01")).content.decode()
    assert f"/memberships/{membership.pk}/end/" not in earlier
    assert f"/memberships/{icb.chair[1].pk}/end/" in earlier

    client.force_login(make_officer(other_system, username="theirs"))
    theirs = client.get(url(icb.board, "2024-06-01")).content.decode()
    assert f"/seats/{seat.pk}/" not in theirs and "/end/" not in theirs


def test_person_links_go_to_the_person_page():
    assert person_url(5) == "/people/5/"
    template = Template("{% load links %}{{ 4|person_url }}")
    assert template.render(Context()) == "/people/4/"


@pytest.mark.django_db
def test_a_seat_names_its_offices_once():
    icb = compliant_icb()
    chair = icb.chair[0]
    assert (chair.label, chair.unsaid_offices) == ("Chair", [])
    deputy = icb.ned_deputy[0]
    deputy.title = "Non-executive member (deputy chair)"
    assert deputy.unsaid_offices == []
    deputy.title = ""
    assert deputy.unsaid_offices == ["deputy chair"]


@pytest.mark.django_db
def test_a_committee_in_common_links_to_the_other_bodies_committees(client):
    icb, trust_group, council_group = (
        BodyFactory(kind=BodyKind.ICB, name="NHS Somerset ICB"),
        BodyFactory(name="Somerset NHS FT Board"),
        BodyFactory(name="Somerset Council Cabinet"),
    )
    group = committees_in_common_create(
        name="People Committee", bodies=[icb, trust_group, council_group]
    )
    mine, *others = group.committees.order_by("body__name")
    text = page_text(client.get(url(mine)))
    assert "Meets in common with" in text
    for other in others:
        assert f'href="{url(other)}"' in text
        assert f"{other.name}, {other.body.name}" in text
    assert f'href="{url(mine)}">' not in text.split('id="in-common"')[1].split("</dd>")[0]


@pytest.mark.django_db
def test_a_joint_committee_names_the_bodies_that_established_it(client):
    first = BodyFactory(kind=BodyKind.ICB, name="NHS Dorset ICB")
    joint = committee_create(
        body=first,
        name="Joint Commissioning Committee",
        kind=CommitteeKind.JOINT_COMMITTEE,
        joint_bodies=[BodyFactory(kind=BodyKind.ICB, name="NHS Somerset ICB")],
    )
    text = page_text(client.get(url(joint)))
    assert "Joint committee of NHS Dorset ICB and NHS Somerset ICB" in text
    assert "Meets in common with" not in text


@pytest.mark.django_db
def test_a_committee_of_one_body_says_nothing_of_others(client):
    text = page_text(client.get(url(compliant_icb().board)))
    assert "Meets in common with" not in text and "Joint committee of" not in text

"""Officers see composition, compliance and history of holders in the admin (R19-R25)."""

import datetime

import pytest
from django.urls import reverse

from committees.models import Constitution
from memberships.models import EndReason
from tests.builders import compliant_icb, seat_held

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def composition_url(committee, as_of=None):
    url = reverse("admin:committees_committee_composition", args=[committee.pk])
    return f"{url}?as_of={as_of}" if as_of else url


def test_composition_page_shows_holders_and_compliance_on_the_date_asked(officer_client):
    icb = compliant_icb()
    _, membership = icb.la_partner
    membership.end, membership.end_reason = datetime.date(2024, 3, 2), EndReason.RESIGNED
    membership.save()

    before = officer_client.get(composition_url(icb.board, "2024-03-02"))
    assert before.status_code == 200
    assert before.context["report"].compliant
    assert membership.person_name in before.content.decode()

    after = officer_client.get(composition_url(icb.board, "2024-06-01"))
    page = after.content.decode()
    assert not after.context["report"].compliant
    assert "No local authority partner member since 3 March 2024" in page
    assert "Vacant" in page
    assert "On 1 June 2024: not compliant (1 breach)" in " ".join(page.split())


def test_composition_page_without_a_date_shows_today_and_a_bad_date_is_reported(
    officer_client,
):
    icb = compliant_icb()
    today = officer_client.get(composition_url(icb.board))
    assert today.context["as_of"] == datetime.date.today()
    bad = officer_client.get(composition_url(icb.board, "31-02-2024"))
    assert bad.status_code == 200
    assert bad.context["form"].errors["as_of"] == ["Enter a valid date."]
    assert bad.context["as_of"] == datetime.date.today()


def test_composition_page_queries_do_not_grow_with_the_board(
    officer_client, django_assert_max_num_queries
):
    small = compliant_icb()
    large = compliant_icb()
    for _ in range(10):
        seat_held(large.board, role="member")
    officer_client.get(composition_url(small.board, "2024-06-01"))
    with django_assert_max_num_queries(31) as counted:  # 31: one reads the clusters (R2)
        officer_client.get(composition_url(small.board, "2024-06-01"))
    with django_assert_max_num_queries(len(counted.captured_queries)):
        response = officer_client.get(composition_url(large.board, "2024-06-01"))
    assert len(response.context["holdings"]) == 20


def test_committee_change_page_links_to_its_composition(officer_client):
    icb = compliant_icb()
    page = officer_client.get(reverse("admin:committees_committee_change", args=[icb.audit.pk]))
    assert composition_url(icb.audit) in page.content.decode()


def test_body_page_links_to_its_board_and_its_changes_of_holder(officer_client):
    icb = compliant_icb()
    _, membership = icb.chair
    membership.end, membership.end_reason = datetime.date(2024, 3, 31), EndReason.RESIGNED
    membership.save()
    page = officer_client.get(reverse("admin:bodies_body_change", args=[icb.body.pk]))
    assert composition_url(icb.board) in page.content.decode()

    timeline = officer_client.get(reverse("admin:bodies_body_timeline", args=[icb.body.pk]))
    text = " ".join(timeline.content.decode().split())
    assert f"31 March 2024</td> <td>{membership.person_name} left" in text
    assert "Resigned" in text


def test_seat_page_lists_its_holders_in_order_with_vacancies(officer_client):
    icb = compliant_icb()
    seat, membership = icb.ned_sim
    membership.end, membership.end_reason = datetime.date(2024, 3, 31), EndReason.RESIGNED
    membership.save()
    seat_held_again = seat.memberships.model(
        seat=seat, person=membership.person, start=datetime.date(2024, 6, 1)
    )
    seat_held_again.save()
    page = officer_client.get(reverse("admin:committees_seat_change", args=[seat.pk]))
    text = page.content.decode()
    assert "1 April 2024 to 31 May 2024" in text and "Vacant" in text
    assert "1 July 2022 to 31 March 2024" in text


def test_built_in_rule_sets_are_readable_but_not_editable(officer_client):
    builtin = Constitution.objects.get(code="icb-statutory-membership")
    url = reverse("admin:committees_constitution_change", args=[builtin.pk])
    page = officer_client.get(url)
    assert page.status_code == 200 and "local authority partner member" in page.content.decode()
    assert officer_client.post(url, {"name": "Changed"}).status_code == 403


def test_a_body_added_in_the_admin_gets_its_board(officer_client):
    from bodies.models import Body
    from tests.factories import IntegratedCareSystemFactory

    ics = IntegratedCareSystemFactory()
    url = reverse("admin:bodies_body_add")
    data = {"ics": ics.pk, "name": "Riverside place", "kind": "place_partnership"}
    for inline in officer_client.get(url).context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {management.add_prefix(k): v for k, v in management.initial.items()}
    response = officer_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    body = Body.objects.get(name="Riverside place")
    assert [(c.name, c.kind) for c in body.committees.all()] == [("Riverside place Board", "board")]


def test_composition_page_names_a_seats_office_once(officer_client):
    """The chair's seat is "Chair", not "Chair (chair)"; an office the title does not
    say is added in brackets."""
    icb = compliant_icb()
    deputy = icb.ned_deputy[0]
    deputy.title = "Non-executive member"
    deputy.save()

    page = " ".join(officer_client.get(composition_url(icb.board)).content.decode().split())

    assert "(chair)" not in page
    assert "Non-executive member</a> (deputy chair)" in page

"""Officers' overview pages: compliance, vacancies and terms ending at a glance."""

import datetime
import re

import pytest
from django.urls import reverse

from core.dates import term_end
from memberships.models import EndReason, Membership
from tests.builders import compliant_icb
from tests.factories import IntegratedCareSystemFactory

pytestmark = pytest.mark.django_db
AS_OF = "2025-05-01"


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def resign(held, on):
    _, membership = held
    membership.end, membership.end_reason = on, EndReason.RESIGNED
    membership.save()


def test_overview_pages_are_public_and_show_no_admin_links_signed_out(client):
    icb = compliant_icb()
    for url in (reverse("web:overview"), reverse("web:system", args=[icb.ics.code])):
        response = client.get(url, {"as_of": AS_OF})
        assert response.status_code == 200
        assert "/admin/" not in response.content.decode()
        assert "@" not in response.content.decode().replace("@font", "")


def test_old_systems_address_redirects_to_the_overview(client):
    response = client.get("/systems/", {"region": "Y58"})
    assert response.status_code == 302 and response["Location"] == "/?region=Y58"


def test_a_system_with_no_governance_recorded_is_not_recorded_never_compliant(client):
    bare = IntegratedCareSystemFactory()
    response = client.get(reverse("web:overview"), {"as_of": AS_OF})
    rows = {s.ics.code: s for s in response.context["summaries"]}
    assert not rows[bare.code].recorded
    page = " ".join(response.content.decode().split())
    row = page[page.index(bare.name) :].split("</tr>")[0]
    assert "Not recorded" in row and "Compliant" not in row


def test_an_unknown_region_is_a_form_error(client):
    compliant_icb()
    response = client.get(reverse("web:overview"), {"region": "ZZZ"})
    page = response.content.decode()
    assert "Choose a region from the list" in page and "nhsuk-error-summary" in page
    assert "No system matches" not in page


def test_a_date_as_day_month_and_year_or_iso_is_the_same_page(client):
    icb = compliant_icb()
    url = reverse("web:system", args=[icb.ics.code])
    iso = client.get(url, {"as_of": AS_OF})
    parts = client.get(url, {"as_of_day": "1", "as_of_month": "5", "as_of_year": "2025"})
    assert iso.context["overview"].as_of == parts.context["overview"].as_of
    assert "1 May 2025" in parts.content.decode()
    wrong = client.get(url, {"as_of_day": "31", "as_of_month": "2", "as_of_year": "2025"})
    assert "Enter a real date" in wrong.content.decode()
    no_year = client.get(url, {"as_of_day": "1", "as_of_month": "5", "as_of_year": ""})
    assert "Date must include a year" in no_year.content.decode()


def test_glance_page_counts_breaches_vacancies_and_terms_ending_per_system(officer_client):
    healthy, broken = compliant_icb(), compliant_icb()
    resign(broken.la_partner, datetime.date(2024, 3, 2))
    response = officer_client.get(reverse("web:overview"), {"as_of": AS_OF})
    rows = {s.ics.code: s for s in response.context["summaries"]}
    assert (rows[healthy.ics.code].statutory_breaches, rows[healthy.ics.code].vacancies) == (0, 0)
    assert (rows[broken.ics.code].statutory_breaches, rows[broken.ics.code].vacancies) == (1, 1)
    # Terms of 36 months from 1 July 2022 end on 30 June 2025, within 90 days (R24).
    as_of = datetime.date.fromisoformat(AS_OF)
    ending = [
        m
        for m in Membership.objects.filter(ics=healthy.ics, end__isnull=True)
        if (end := term_end(m.start, m.seat.term_length_months))
        and as_of <= end <= as_of + datetime.timedelta(days=90)
    ]
    assert ending and rows[healthy.ics.code].terms_ending == len(ending)
    assert healthy.ics.name in response.content.decode()


def test_glance_page_filters_systems_with_the_api_filterset(officer_client):
    south, north = compliant_icb(), compliant_icb()
    url = reverse("web:overview")
    response = officer_client.get(url, {"as_of": AS_OF, "region": south.ics.region.code})
    codes = [s.ics.code for s in response.context["summaries"]]
    assert south.ics.code in codes
    assert (north.ics.code in codes) == (north.ics.region_id == south.ics.region_id)


def test_system_page_lists_unmet_requirements_vacancies_and_terms_ending(officer_client):
    icb = compliant_icb()
    resign(icb.la_partner, datetime.date(2024, 3, 2))
    url = reverse("web:system", args=[icb.ics.code])
    html = officer_client.get(url, {"as_of": AS_OF}).content.decode()
    page = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert "R20: No local authority partner member since 3 March 2024" in page
    assert "Statutory breach" in page
    assert "3 March 2024" in page  # vacant since
    assert "30 June 2025" in page  # the chair's term end (R24)


def test_unknown_system_is_404(officer_client):
    assert officer_client.get(reverse("web:system", args=["NOPE"])).status_code == 404


def test_glance_page_queries_do_not_grow_with_systems(
    officer_client, django_assert_max_num_queries
):
    compliant_icb()
    url = reverse("web:overview")
    officer_client.get(url, {"as_of": AS_OF})
    with django_assert_max_num_queries(40) as counted:
        officer_client.get(url, {"as_of": AS_OF})
    for _ in range(3):
        compliant_icb()
    with django_assert_max_num_queries(len(counted.captured_queries)):
        response = officer_client.get(url, {"as_of": AS_OF})
    assert len(response.context["summaries"]) == 4


@pytest.mark.django_db
def test_a_missing_page_is_an_nhs_page_that_says_what_to_do(client, settings):
    settings.DEBUG = False
    response = client.get("/systems/NOPE/milestones/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "nhsuk-header" in page
    assert "/sign-in/?next=/systems/NOPE/milestones/" in page


@pytest.mark.django_db
def test_an_edit_page_refused_to_an_officer_of_another_system_says_why(client):
    from tests.api_support import make_officer

    icb = compliant_icb()
    client.force_login(make_officer(compliant_icb().ics, username="elsewhere"))
    response = client.get(reverse("web:seat_edit", args=[icb.chair[0].pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot do this" in page and "nhsuk-header" in page

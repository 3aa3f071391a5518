"""The lists' filters run only when the request names one (``core.api.filters``, issue 13):
a list read whole, or a record, builds no filter form; a named filter filters, and a
malformed value is still a 400 naming it."""

import pytest
from rest_framework.test import APIClient

from core.api.filters import names_a_filter
from memberships.filtersets import MembershipFilterSet
from tests.api_support import API, api_rates, governance_unit  # noqa: F401
from tests.factories import IntegratedCareSystemFactory


@pytest.fixture
def forms_built(monkeypatch):
    """How many times a membership FilterSet was built."""
    built = []
    build = MembershipFilterSet.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        build(self, *args, **kwargs)

    monkeypatch.setattr(MembershipFilterSet, "__init__", counting)
    return built


@pytest.mark.django_db
def test_a_list_read_whole_and_a_record_build_no_filter_form(forms_built):
    unit = governance_unit(IntegratedCareSystemFactory())
    client = APIClient()

    page = client.get(f"{API}/memberships/?page_size=50")
    record = client.get(f"{API}/memberships/{unit.membership.pk}/?page_size=1")

    assert (page.status_code, record.status_code) == (200, 200)
    assert unit.membership.pk in {row["id"] for row in page.json()["results"]}
    assert forms_built == []


@pytest.mark.django_db
def test_a_named_filter_filters_and_a_malformed_one_is_refused(forms_built):
    unit = governance_unit(IntegratedCareSystemFactory())
    other = governance_unit(IntegratedCareSystemFactory())
    client = APIClient()

    mine = client.get(f"{API}/memberships/?system={unit.ics.code}")
    malformed = client.get(f"{API}/memberships/?as_of=1%20July%202022")
    not_found = client.get(f"{API}/memberships/{other.membership.pk}/?system={unit.ics.code}")

    assert {row["ics"] for row in mine.json()["results"]} == {unit.ics.code}
    assert malformed.status_code == 400
    assert list(malformed.json()["errors"]) == ["as_of"]
    # A record is filtered as DRF filters it: one outside the filter is not found.
    assert not_found.status_code == 404
    assert len(forms_built) == 3


def test_a_parameter_names_a_filter_by_its_name_or_one_of_its_parts():
    assert names_a_filter({"system": "QSL"}, MembershipFilterSet)
    assert names_a_filter({"as_of_after": "2022-07-01"}, MembershipFilterSet)
    assert not names_a_filter({"page_size": "50", "cursor": "x"}, MembershipFilterSet)
    assert not names_a_filter({}, MembershipFilterSet)

"""A governance officer follows two systems through their merger (R30, journey 7): the
successor's page says what it was formed from, the predecessor's page says when it was
abolished, who succeeded it and which cluster it was in, each name a link."""

import re

import pytest
from django.db import connection
from playwright.sync_api import expect

from bodies.models import (
    Body,
    BodySuccession,
    Cluster,
    ClusterMember,
    IntegratedCareSystem,
    Organisation,
    OrganisationSuccession,
    SystemSuccession,
)
from tests.browser.helpers import assert_accessible, assert_no_sideways_scrolling
from tests.lineage_builders import merged_system


@pytest.fixture(scope="module")
def merger(demo_server, django_db_blocker):
    """An illustrative merger beside the demo, committed for the server and removed after."""
    with django_db_blocker.unblock():
        built = merged_system()
        yield built
        systems = [built.north, built.south, built.merged]
        for model in (SystemSuccession, OrganisationSuccession, BodySuccession):
            model.objects.filter(successor__in=_successors(model, built)).delete()
        ClusterMember.objects.filter(system__in=systems).delete()
        Cluster.objects.filter(pk=built.cluster.pk).delete()
        Body.objects.filter(ics__in=systems).delete()
        IntegratedCareSystem.objects.filter(pk__in=[s.pk for s in systems]).delete()
        Organisation.objects.filter(pk__in=[s.icb_id for s in systems]).delete()
        built.merged.region.delete()
        # Once the browser runs, this thread's ORM works on a connection of its own (see
        # the browser fixture): close it, or the test database cannot be dropped.
        connection.close()


def _successors(model, built):
    return {
        SystemSuccession: [built.merged],
        OrganisationSuccession: [built.merged.icb],
        BodySuccession: [built.boards["QM1"]],
    }[model]


def test_the_officer_follows_a_merger_from_the_successor_to_a_predecessor(page, merger):
    page.goto("/systems/QM1/")
    lineage = page.locator("#lineage")
    expect(lineage).to_contain_text(
        "Formed on 1 April 2026 from the merger of Northshire and Southshire."
    )
    assert_accessible(page, screenshot="system-merged-desktop")

    lineage.get_by_role("link", name="Northshire", exact=True).click()
    expect(page).to_have_url(re.compile(r"/systems/QN1/\?as_of=2026-03-31$"))
    lineage = page.locator("#lineage")
    expect(lineage).to_contain_text(
        "Abolished on 31 March 2026; succeeded by Northshire and Southshire."
    )
    expect(lineage).to_contain_text(
        "In the Northshire and Southshire cluster with Southshire, sharing the chair and "
        "chief executive."
    )
    expect(page.get_by_text("Not in force on this date")).to_have_count(0)
    assert_accessible(page, screenshot="system-abolished-desktop")


def test_a_predecessor_after_its_last_day_says_it_is_not_in_force(phone_page, merger):
    phone_page.goto("/systems/QN1/?as_of=2026-04-01")
    expect(phone_page.get_by_role("heading", name="Not in force on this date")).to_be_visible()
    phone_page.locator("#lineage").get_by_role("link", name="Northshire and Southshire").click()
    expect(phone_page).to_have_url(re.compile(r"/systems/QM1/\?as_of=2026-04-01$"))
    assert_no_sideways_scrolling(phone_page)
    assert_accessible(phone_page, screenshot="system-merged-phone")

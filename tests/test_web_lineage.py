"""The web pages follow systems through a merger (R30): the national overview on a date
lists the systems in force that day, and a system's page says how it was formed, how it
ended and which cluster it was in."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bodies.models import BodyKind, Cluster, ClusterMember, SuccessionKind, SystemSuccession
from tests.factories import BodyFactory, IntegratedCareSystemFactory
from tests.lineage_builders import CLUSTERED, LAST_DAY, MERGED, merged_system

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's words, without tags, on one line."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def lineage_of(response) -> str:
    page = response.content.decode()
    if 'id="lineage"' not in page:
        return ""
    block = page[page.index('id="lineage"') :].split("</div>")[0].split(">", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", "", block.replace("</p>", " ")).split())


def overview_systems(client, day) -> list[str]:
    response = client.get(reverse("web:overview"), {"as_of": day.isoformat()})
    assert response.status_code == 200
    return [summary.ics.code for summary in response.context["summaries"]]


def today_is(monkeypatch, day):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


@pytest.fixture
def merger():
    return merged_system()


def test_the_overview_on_a_date_lists_the_systems_in_force_that_day(client, merger):
    assert overview_systems(client, LAST_DAY) == ["QN1", "QS1"]
    assert overview_systems(client, MERGED) == ["QM1"]
    assert overview_systems(client, datetime.date(2022, 6, 30)) == []


def test_the_overview_csv_follows_the_date_too(client, merger):
    response = client.get(reverse("web:overview"), {"as_of": MERGED.isoformat(), "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[:2] for row in rows[1:]] == [["Northshire and Southshire", "QM1"]]


def test_the_overview_says_when_no_system_is_in_force(client, merger):
    response = client.get(reverse("web:overview"), {"as_of": "2022-06-30"})
    assert "No system in force on this date matches these filters." in text(response)


def test_a_merged_system_says_it_was_formed_from_its_predecessors(client, merger, monkeypatch):
    today_is(monkeypatch, datetime.date(2026, 11, 30))
    response = client.get(reverse("web:system", args=["QM1"]))
    assert lineage_of(response) == (
        "Information: Formed on 1 April 2026 from the merger of Northshire and Southshire."
    )
    page = response.content.decode()
    # Each predecessor's page on its last day.
    assert '<a href="/systems/QN1/?as_of=2026-03-31">Northshire</a>' in page
    assert '<a href="/systems/QS1/?as_of=2026-03-31">Southshire</a>' in page


def test_an_abolished_system_says_when_and_who_succeeded_it(client, merger, monkeypatch):
    today_is(monkeypatch, datetime.date(2026, 11, 30))
    response = client.get(reverse("web:system", args=["QN1"]), {"as_of": LAST_DAY.isoformat()})
    assert lineage_of(response) == (
        "Information: Abolished on 31 March 2026; succeeded by Northshire and Southshire. "
        "In the Northshire and Southshire cluster with Southshire, sharing the chair and "
        "chief executive."
    )
    page = response.content.decode()
    assert '<a href="/systems/QM1/?as_of=2026-04-01">Northshire and Southshire</a>' in page
    assert "Abolished: 31 March 2026" in text(response)
    assert "Not in force on this date" not in text(response)


def test_a_merger_still_to_come_is_told_in_the_future_tense(client, merger, monkeypatch):
    today_is(monkeypatch, datetime.date(2025, 11, 30))
    response = client.get(reverse("web:system", args=["QN1"]))
    assert lineage_of(response).startswith(
        "Information: To be abolished on 31 March 2026; succeeded by Northshire and Southshire."
    )
    merged = client.get(reverse("web:system", args=["QM1"]))
    assert "To be formed on 1 April 2026 from the merger of" in lineage_of(merged)


def test_the_cluster_is_the_one_on_the_date_shown(client, merger):
    url = reverse("web:system", args=["QN1"])
    before = client.get(url, {"as_of": (CLUSTERED - datetime.timedelta(days=1)).isoformat()})
    assert "cluster" not in lineage_of(before)
    during = client.get(url, {"as_of": CLUSTERED.isoformat()})
    assert "In the Northshire and Southshire cluster with Southshire" in lineage_of(during)
    assert '<a href="/systems/QS1/?as_of=2025-07-01">Southshire</a>' in during.content.decode()


def test_a_cluster_sharing_only_the_chair_says_so(client):
    kent, medway = IntegratedCareSystemFactory(name="Kent"), IntegratedCareSystemFactory()
    cluster = Cluster.objects.create(
        name="Kent and Medway", start=CLUSTERED, shares_chief_executive=False
    )
    for ics in (kent, medway):
        ClusterMember.objects.create(cluster=cluster, system=ics, start=CLUSTERED)
    response = client.get(reverse("web:system", args=[kent.code]), {"as_of": "2025-08-01"})
    assert lineage_of(response) == (
        f"Information: In the Kent and Medway cluster with {medway.name}, sharing the chair."
    )


def test_a_boundary_change_is_told_on_both_sides(client):
    losing, gaining = (
        IntegratedCareSystemFactory(name="Westshire"),
        IntegratedCareSystemFactory(name="Eastshire"),
    )
    SystemSuccession.objects.create(
        predecessor=losing,
        successor=gaining,
        kind=SuccessionKind.BOUNDARY_TRANSFER,
        effective=MERGED,
    )
    assert lineage_of(client.get(reverse("web:system", args=[losing.code]))) == (
        "Information: Part of its area passed to Eastshire on 1 April 2026."
    )
    assert lineage_of(client.get(reverse("web:system", args=[gaining.code]))) == (
        "Information: Took over part of the area of Westshire on 1 April 2026."
    )


def test_a_system_without_lineage_or_cluster_has_no_such_paragraph(client):
    ics = IntegratedCareSystemFactory()
    response = client.get(reverse("web:system", args=[ics.code]))
    assert lineage_of(response) == ""


def test_a_system_page_on_a_date_outside_its_life_says_it_was_not_in_force(client, merger):
    before = client.get(reverse("web:system", args=["QM1"]), {"as_of": "2026-03-31"})
    assert (
        "Not in force on this date Northshire and Southshire is not in force on 31 March 2026: "
        "its go-live date is 1 April 2026." in text(before)
    )
    after = client.get(reverse("web:system", args=["QN1"]), {"as_of": "2026-04-01"})
    assert (
        "Northshire is not in force on 1 April 2026: it is abolished, its last day being "
        "31 March 2026." in text(after)
    )


def count_queries(client, url, data) -> int:
    client.get(url, data)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(queries)


def test_the_system_page_queries_do_not_grow_with_predecessors_or_cluster_members(client):
    """A system in a cluster of two with one successor, and one in a cluster of six with
    five predecessors, read the same number of queries."""
    small = merged_system()
    counts = [count_queries(client, reverse("web:system", args=["QN1"]), {"as_of": "2026-03-31"})]
    region = small.merged.region
    large = IntegratedCareSystemFactory(name="Great merger", code="QG1", region=region)
    BodyFactory(ics=large, kind=BodyKind.ICB, name="NHS Great merger ICB")
    predecessors = IntegratedCareSystemFactory.create_batch(5, region=region)
    cluster = Cluster.objects.create(name="Great cluster", start=CLUSTERED)
    for ics in predecessors:
        SystemSuccession.objects.create(
            predecessor=ics, successor=large, kind=SuccessionKind.MERGER, effective=MERGED
        )
        ClusterMember.objects.create(cluster=cluster, system=ics, start=CLUSTERED)
    ClusterMember.objects.create(cluster=cluster, system=large, start=CLUSTERED)
    counts.append(
        count_queries(client, reverse("web:system", args=["QG1"]), {"as_of": "2026-03-31"})
    )
    assert counts[1] <= counts[0]


def test_the_overview_queries_do_not_grow_with_abolished_or_merged_systems(client):
    merged_system()
    url = reverse("web:overview")
    few = count_queries(client, url, {"as_of": LAST_DAY.isoformat()})
    for ics in IntegratedCareSystemFactory.create_batch(4, abolished=LAST_DAY, status="abolished"):
        SystemSuccession.objects.create(
            predecessor=ics,
            successor=IntegratedCareSystemFactory(go_live=MERGED),
            kind=SuccessionKind.MERGER,
            effective=MERGED,
        )
    many = count_queries(client, url, {"as_of": LAST_DAY.isoformat()})
    assert many == few

"""The system-level statutory checks (R32) where officers and the public look: the
national overview marks a system with nothing recorded "Not recorded" (grey), never
compliant, and lists the statutory bodies and committees a system lacks as breaches; a
system's page shows each of them, in place or missing."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bodies.models import SystemStatus
from tests.builders import compliant_icb
from tests.documents_factories import approved, constitution
from tests.factories import IntegratedCareSystemFactory

pytestmark = pytest.mark.django_db
AS_OF = "2025-05-01"


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row_of(response, name: str) -> str:
    page = " ".join(response.content.decode().split())
    return page[page.index(name) :].split("</tr>")[0]


def without_remuneration_committee():
    icb = compliant_icb()
    icb.remuneration.abolished = datetime.date(2025, 3, 31)
    icb.remuneration.save()
    return icb


def test_the_overview_lists_a_missing_statutory_committee_as_a_breach_R32(client):
    icb = without_remuneration_committee()
    response = client.get(reverse("web:overview"), {"as_of": AS_OF})
    row = row_of(response, f">{icb.ics.name}<")
    assert "nhsuk-tag--red" in row and "Statutory breach" in row
    assert 'href="/rules/R32/"' in row
    assert "No remuneration committee of the ICB since 1 April 2025" in words(row)
    (summary,) = [s for s in response.context["summaries"] if s.ics == icb.ics]
    assert (summary.statutory_breaches, summary.total_statutory_breaches) == (0, 1)


def test_the_overview_csv_counts_and_names_the_missing_statutory_committees(client):
    icb = without_remuneration_committee()
    response = client.get(reverse("web:overview"), {"as_of": AS_OF, "format": "csv"})
    body = b"".join(response.streaming_content).decode()
    row = {r["System"]: r for r in csv.DictReader(io.StringIO(body))}[icb.ics.name]
    assert (row["Governance"], row["Statutory breaches"]) == ("Statutory breach", "1")
    assert row["Missing statutory bodies and committees"] == (
        "R32: No remuneration committee of the ICB since 1 April 2025"
    )


def test_the_overview_marks_a_system_with_nothing_recorded_grey_not_recorded(client):
    bare = IntegratedCareSystemFactory()
    response = client.get(reverse("web:overview"), {"as_of": AS_OF})
    row = row_of(response, f">{bare.name}<")
    assert "nhsuk-tag--grey" in row and "Not recorded" in row
    assert "Compliant" not in row and "Statutory breach" not in row and "R32" not in row


def test_an_abolished_system_leaves_the_overview_and_its_page_says_abolished(client):
    icb = compliant_icb()
    icb.ics.status, icb.ics.abolished = SystemStatus.ABOLISHED, datetime.date(2025, 3, 31)
    icb.ics.save()
    after = client.get(reverse("web:overview"), {"as_of": AS_OF})
    assert f">{icb.ics.name}<" not in after.content.decode()  # not that date's configuration
    page = client.get(reverse("web:system", args=[icb.ics.code]), {"as_of": AS_OF})
    heading = words(page.content.decode().split('id="summary-heading"')[1].split("</h2>")[0])
    assert "Abolished" in heading and "Compliant" not in heading
    earlier = client.get(reverse("web:overview"), {"as_of": "2025-03-31"})
    assert ">Compliant<" in row_of(earlier, f">{icb.ics.name}<")


def test_the_system_page_shows_each_statutory_body_and_committee_R32(client):
    icb = without_remuneration_committee()
    response = client.get(reverse("web:system", args=[icb.ics.code]), {"as_of": AS_OF})
    html = response.content.decode()
    section = html[html.index('id="statutory"') : html.index('id="board"')]
    text = words(section)
    # Each row: what is required, its status, what is there on the date (the headings
    # beside each cell are for phones).
    assert "ICB board Status In place On this date ICB board: Board" in text
    assert "Audit committee Status In place" in text
    assert (
        "Remuneration committee Status Statutory breach On this date R32 : "
        "No remuneration committee of the ICB since 1 April 2025"
    ) in text
    assert "Integrated care partnership Status In place" in text
    assert 'href="/rules/R32/"' in section
    assert 'href="#statutory"' in html
    summary = words(html[: html.index('id="statutory"')])
    assert "Statutory breach" in summary


def test_the_system_page_of_a_system_with_nothing_recorded_says_not_recorded(client):
    bare = IntegratedCareSystemFactory()
    html = client.get(reverse("web:system", args=[bare.code]), {"as_of": AS_OF}).content.decode()
    section = words(html[html.index('id="statutory"') :])
    assert "Not recorded" in section and "a gap in the register, not a breach" in section
    assert "Statutory breach" not in words(html) and "Compliant" not in words(html)


def test_the_system_page_of_a_successor_before_its_go_live_says_it_is_not_checked(client):
    successor = IntegratedCareSystemFactory(go_live=datetime.date(2026, 4, 1))
    html = client.get(
        reverse("web:system", args=[successor.code]), {"as_of": "2026-03-31"}
    ).content.decode()
    assert "Established on 1 April 2026: not checked before its go-live." in words(html)
    assert "Not yet established" in words(html) and "Not recorded" not in words(html)


def test_the_overview_checks_every_system_in_the_same_number_of_queries(client):
    def queries() -> int:
        client.get(reverse("web:overview"), {"as_of": AS_OF})
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("web:overview"), {"as_of": AS_OF})
        return len(captured)

    without_remuneration_committee()
    IntegratedCareSystemFactory()
    few = queries()
    for _ in range(3):
        without_remuneration_committee()
        IntegratedCareSystemFactory()
    assert queries() == few


def test_the_system_page_shows_a_document_review_overdue_as_a_warning_R33(client):
    icb = compliant_icb()
    approved(constitution(icb.body), next_review=datetime.date(2024, 3, 31))
    html = client.get(reverse("web:system", args=[icb.ics.code]), {"as_of": AS_OF}).content
    html = html.decode()
    section = words(html[html.index('id="statutory"') : html.index('id="board"')])
    assert (
        "Governance documents reviewed on time Status Warning On this date R33 : "
        "Integrated Care Board Constitution (version 1.0): its review was due on 31 March 2024"
    ) in section
    assert "Compliant, with warnings" in words(html[: html.index('id="statutory"')])

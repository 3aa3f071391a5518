"""The national overview (/) and a system's page (/systems/<ICB code>/) (issue 10):
systems by region with their compliance, vacancies, terms ending and (for their officers)
milestones, as a page, an htmx fragment and a CSV; a system's board members, bodies with
their boards and committees, unmet requirements, milestones and recent changes."""

import csv
import datetime
import io
import re

import pghistory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bodies.models import BodyKind
from committees.models import CommitteeKind
from memberships.models import EndReason, Membership
from publishing.selectors import recent_changes
from reminders.models import Status
from tests.api_support import make_officer
from tests.builders import compliant_icb, seat_held
from tests.factories import (
    BodyFactory,
    CommitteeFactory,
    IntegratedCareSystemFactory,
    RegionFactory,
)
from tests.reminders_factories import MilestoneFactory

pytestmark = pytest.mark.django_db
AS_OF = "2025-05-01"
DAY = datetime.date(2025, 5, 1)


def text(response) -> str:
    """The page's words, without tags, on one line."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def row_of(response, name: str) -> str:
    page = " ".join(response.content.decode().split())
    return page[page.index(name) :].split("</tr>")[0]


def resign(held, on):
    _, membership = held
    membership.end, membership.end_reason = on, EndReason.RESIGNED
    membership.save()


@pytest.fixture
def two_systems():
    """Two ICBs; milestones of the first: one overdue, one due within 90 days, one later,
    one done."""
    own, other = compliant_icb(), compliant_icb()
    MilestoneFactory(
        ics=own.ics, title="Overdue constitution", due_date=DAY - datetime.timedelta(3)
    )
    MilestoneFactory(
        ics=own.ics, title="Board effectiveness review", due_date=DAY + datetime.timedelta(20)
    )
    MilestoneFactory(ics=own.ics, title="Far away", due_date=DAY + datetime.timedelta(200))
    MilestoneFactory(
        ics=own.ics,
        title="Already done",
        due_date=DAY,
        status=Status.DONE,
        completed_on=DAY,
        evidence_note="Minutes",
    )
    MilestoneFactory(ics=other.ics, title="Other system's milestone", due_date=DAY)
    return own, other


# --- the overview ---------------------------------------------------------------------


def test_the_overview_groups_systems_under_their_region(client):
    north, south = RegionFactory(name="North East and Yorkshire"), RegionFactory(name="South West")
    a = compliant_icb()
    a.ics.region = south
    a.ics.save()
    b = IntegratedCareSystemFactory(region=north)
    response = client.get(reverse("web:overview"), {"as_of": AS_OF})
    page = text(response)
    page = page[page.index("Systems on 1 May 2025") :]
    assert page.index("North East and Yorkshire") < page.index(b.name)
    assert page.index(b.name) < page.index("South West") < page.index(a.ics.name)
    assert f'id="region-{south.code}"' in response.content.decode()


def test_a_system_with_no_governance_is_not_recorded_in_the_page_and_the_csv(client):
    bare = IntegratedCareSystemFactory()
    healthy = compliant_icb()
    response = client.get(reverse("web:overview"), {"as_of": AS_OF})
    row = row_of(response, bare.name)
    assert "Not recorded" in row and "Compliant" not in row
    rows = csv_rows(client.get(reverse("web:overview"), {"as_of": AS_OF, "format": "csv"}))
    assert rows[bare.name]["Governance"] == "Not recorded"
    assert rows[healthy.ics.name]["Governance"] == "Compliant"


def csv_rows(response) -> dict[str, dict]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    return {row["System"]: row for row in csv.DictReader(io.StringIO(body))}


def test_the_overview_csv_has_the_table_columns_for_the_filtered_systems(client):
    broken, other = compliant_icb(), compliant_icb()
    other.ics.region = RegionFactory()
    other.ics.save()
    resign(broken.la_partner, datetime.date(2024, 3, 2))
    response = client.get(
        reverse("web:overview"),
        {"as_of": AS_OF, "format": "csv", "region": broken.ics.region.code},
    )
    rows = csv_rows(response)
    assert list(rows) == [broken.ics.name]
    row = rows[broken.ics.name]
    assert row["ICB ODS code"] == broken.ics.code
    assert row["Governance"] == "Statutory breach"
    assert (row["Statutory breaches"], row["Vacant seats"]) == ("1", "1")
    assert "Milestones overdue" not in row  # private: not in the public CSV


def test_officers_see_milestones_due_or_overdue_of_their_own_systems_only(client, two_systems):
    own, other = two_systems
    assert "Milestones" not in text(client.get(reverse("web:overview"), {"as_of": AS_OF}))
    client.force_login(make_officer(own.ics, username="own"))
    response = client.get(reverse("web:overview"), {"as_of": AS_OF})
    assert "1 due, 1 overdue" in " ".join(
        re.sub(r"<[^>]+>", "", row_of(response, own.ics.name)).split()
    )
    assert "Private" in row_of(response, other.ics.name)
    rows = csv_rows(client.get(reverse("web:overview"), {"as_of": AS_OF, "format": "csv"}))
    assert rows[own.ics.name]["Milestones overdue"] == "1"
    assert rows[own.ics.name]["Milestones due within 90 days"] == "1"
    assert rows[other.ics.name]["Milestones overdue"] == ""


def test_the_filter_form_redraws_only_the_table_for_htmx(client):
    icb = compliant_icb()
    url = reverse("web:overview")
    response = client.get(url, {"as_of": AS_OF}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="systems"') and "<html" not in page
    assert icb.ics.name in page
    full = client.get(url, {"as_of": AS_OF}).content.decode()
    assert 'hx-get="/"' in full and 'hx-target="#systems"' in full


def test_a_wrong_filter_sent_by_htmx_reloads_the_whole_page_to_show_the_error(client):
    response = client.get(
        reverse("web:overview"), {"region": "ZZZ"}, headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"] == "/?region=ZZZ"


def test_the_overview_queries_do_not_grow_with_systems_or_milestones(client):
    officer_of = []
    counts = []
    for size in (1, 4):
        while len(officer_of) < size:
            icb = compliant_icb()
            MilestoneFactory(ics=icb.ics, due_date=DAY)
            officer_of.append(icb.ics)
        client.force_login(make_officer(*officer_of, username=f"officer{size}"))
        client.get(reverse("web:overview"), {"as_of": AS_OF})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("web:overview"), {"as_of": AS_OF})
        counts.append(len(queries))
        assert (
            sum(s.milestones.total for s in response.context["summaries"] if s.milestones) == size
        )
    assert counts[0] == counts[1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_overview_computes_compliance_again_only_when_the_registry_changes(client):
    # Committed writes (transaction=True): the registry's version grows at commit; the
    # built-in rule sets the flush of an earlier committed test wiped are restored first.
    icb = compliant_icb()
    url = reverse("web:overview")

    def overview():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"as_of": AS_OF})
        (row,) = [s for s in response.context["summaries"] if s.ics == icb.ics]
        return row, len(queries)

    first, cold = overview()
    again, warm = overview()
    resign(icb.la_partner, datetime.date(2024, 3, 2))
    changed, recomputed = overview()

    assert (first.statutory_breaches, again.statutory_breaches) == (0, 0)
    assert warm < cold
    assert changed.statutory_breaches == 1 and recomputed == cold


# --- a system's page ------------------------------------------------------------------


def test_the_system_page_shows_the_board_members_with_links_to_their_pages(client):
    icb = compliant_icb()
    resign(icb.la_partner, datetime.date(2024, 3, 2))
    response = client.get(reverse("web:system", args=[icb.ics.code]), {"as_of": AS_OF})
    page = response.content.decode()
    chair = icb.chair[1]
    assert f'href="/people/{chair.person_id}/"' in page
    members = page[page.index('id="board"') : page.index('id="bodies"')]
    assert chair.person_name in members and "30 June 2025" in members  # the chair's term end
    assert "Vacant" in members
    assert "Members of the ICB board" in text(response)


def test_each_body_has_its_section_with_its_boards_and_committees(client):
    icb = compliant_icb()
    page = client.get(reverse("web:system", args=[icb.ics.code]), {"as_of": AS_OF}).content.decode()
    for body in (icb.body, icb.collaborative):
        assert f'id="body-{body.pk}"' in page
    section = page[page.index(f'id="body-{icb.body.pk}"') :]
    assert f'href="/committees/{icb.audit.pk}/?as_of={AS_OF}"' in section
    for body in (icb.body, icb.collaborative):
        assert f'href="/bodies/{body.pk}/register/?as_of={AS_OF}"' in page


def test_a_body_with_an_unmet_policy_requirement_is_not_shown_compliant(client):
    icb = compliant_icb()
    resign(icb.director_of_finance, datetime.date(2024, 4, 30))  # R21, a policy rule
    response = client.get(reverse("web:system", args=[icb.ics.code]), {"as_of": AS_OF})
    board_row = row_of(response, f'{icb.board.pk}/?as_of={AS_OF}">{icb.board.name}')
    assert "Not compliant" in board_row and "Compliant<" not in board_row
    assert 'href="/rules/R21/"' in board_row
    words = " ".join(re.sub(r"<[^>]+>", "", board_row).split())
    assert "R21: No director of finance since 1 May 2024" in words
    summary = text(response)[: text(response).index("Members of the ICB board")]
    assert "Not compliant" in summary and "Compliant Boards" not in summary


def test_a_system_without_governance_is_not_recorded_on_its_page(client):
    bare = IntegratedCareSystemFactory()
    page = text(client.get(reverse("web:system", args=[bare.code]), {"as_of": AS_OF}))
    assert "Not recorded" in page and "Compliant" not in page


def test_milestones_are_shown_to_the_systems_officers_only(client, two_systems):
    own, other = two_systems
    url = reverse("web:system", args=[own.ics.code])
    for viewer in (None, make_officer(other.ics, username="other")):
        if viewer:
            client.force_login(viewer)
        page = text(client.get(url, {"as_of": AS_OF}))
        assert "Overdue constitution" not in page and "Milestones due or overdue" not in page
    client.force_login(make_officer(own.ics, username="own"))
    page = text(client.get(url, {"as_of": AS_OF}))
    assert "Overdue constitution" in page and "Board effectiveness review" in page
    assert "Far away" not in page and "Already done" not in page
    assert "Other system's milestone" not in page


def test_recent_changes_say_what_and_when_to_everyone_and_who_to_officers(client):
    icb = compliant_icb()
    editor = make_officer(icb.ics, username="jane.editor")
    editor.first_name, editor.last_name = "Jane", "Editor"
    editor.save()
    _, membership = icb.la_partner
    with pghistory.context(user=editor.pk):
        membership.end, membership.end_reason = datetime.date(2025, 4, 30), EndReason.RESIGNED
        membership.save()
    url = reverse("web:system", args=[icb.ics.code])
    public = text(client.get(url))
    changes = public[public.index("Recent changes") :]
    assert membership.person_name in changes and "30 April 2025" in changes
    assert "Resigned" in changes
    assert "Jane Editor" not in public and "jane.editor" not in public
    client.force_login(make_officer(compliant_icb().ics, username="stranger"))
    assert "Jane Editor" not in text(client.get(url))
    client.force_login(editor)
    assert "Jane Editor (jane.editor)" in text(client.get(url))


def test_recent_changes_are_the_systems_latest_twenty(client):
    icb, other = compliant_icb(), compliant_icb()
    entries = recent_changes(ics=icb.ics)
    assert len(entries) == 20
    others = set(Membership.objects.filter(ics=other.ics).values_list("person_name", flat=True))
    ours = set(Membership.objects.filter(ics=icb.ics).values_list("person_name", flat=True))
    assert not any(name in entry.subject for entry in entries for name in others)
    assert any(name in entry.subject for entry in entries for name in ours)
    assert entries == sorted(entries, key=lambda e: e.when, reverse=True)


def test_the_system_page_is_public_with_no_e_mail_nor_edit_control(client):
    icb = compliant_icb()
    page = client.get(reverse("web:system", args=[icb.ics.code])).content.decode()
    assert "/admin/" not in page and "@" not in page.replace("@font", "")


def test_an_officer_of_another_system_gets_no_edit_control(client):
    icb = compliant_icb()
    client.force_login(make_officer(compliant_icb().ics, username="stranger"))
    page = client.get(reverse("web:system", args=[icb.ics.code])).content.decode()
    assert "/admin/" not in page


def test_the_system_page_links_to_its_structure_diagram(client):
    icb = compliant_icb()
    page = client.get(reverse("web:system", args=[icb.ics.code]), {"as_of": AS_OF}).content.decode()
    assert f'href="/systems/{icb.ics.code}/structure/?as_of={AS_OF}"' in page


def test_the_system_page_queries_do_not_grow_with_its_size(client):
    small, large = compliant_icb(), compliant_icb()
    # The same kinds of body in both (compliance reads places' facts only when there are).
    place = BodyFactory(ics=small.ics, kind=BodyKind.PLACE_PARTNERSHIP, name="Small place")
    seat_held(CommitteeFactory(body=place, kind=CommitteeKind.BOARD))
    for n in range(4):
        body = BodyFactory(ics=large.ics, kind=BodyKind.PLACE_PARTNERSHIP, name=f"Place {n}")
        for committee in (
            CommitteeFactory(body=body, kind=CommitteeKind.BOARD),
            CommitteeFactory(body=large.body, name=f"Committee {n}"),
        ):
            for _ in range(3):
                seat_held(committee)
        MilestoneFactory(ics=large.ics, due_date=DAY + datetime.timedelta(n))
    resign(large.la_partner, datetime.date(2024, 3, 2))
    resign(large.director_of_finance, datetime.date(2024, 3, 2))
    MilestoneFactory(ics=small.ics, due_date=DAY)
    client.force_login(make_officer(small.ics, large.ics, username="both"))
    counts = []
    for icb in (small, large):
        url = reverse("web:system", args=[icb.ics.code])
        client.get(url, {"as_of": AS_OF})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"as_of": AS_OF})
        counts.append(len(queries))
    assert len(response.context["overview"].bodies) == 7  # the ICB, ICP, collaborative, 4 places
    # Recent changes name the records their events point at in one query per kind of
    # record, so the count may differ by which kinds the last 20 changes touch; it never
    # grows with the number of bodies, committees, seats or holders.
    assert counts[1] <= counts[0]


def test_officers_also_see_meetings_attendance_and_milestones_in_recent_changes(client):
    from decisions.models import Meeting
    from tests.decisions_factories import quorate_meeting
    from tests.reminders_factories import MilestoneFactory as Milestone

    icb, other = compliant_icb(), compliant_icb()
    quorate_meeting(icb.audit)
    quorate_meeting(other.audit)
    Milestone(ics=icb.ics, title="Constitution approved by NHS England")
    Milestone(ics=other.ics, title="Someone else's milestone")

    public = {e.kind for e in recent_changes(ics=icb.ics, limit=500)}
    private = recent_changes(ics=icb.ics, limit=500, private=True)
    kinds = {e.kind for e in private}

    assert not {"meeting", "attendance", "milestone"} & {k.lower() for k in public}
    assert {"meeting", "attendance", "milestone"} <= {k.lower() for k in kinds}
    subjects = " ".join(e.subject for e in private)
    assert "Constitution approved by NHS England" in subjects
    assert "Someone else's milestone" not in subjects
    ours = Meeting.objects.get(committee=icb.audit).events.count()
    assert sum(e.kind.lower() == "meeting" for e in private) == ours

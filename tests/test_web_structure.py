"""The governance structure diagram of a system (issue 10): the selector that gathers it,
the SVG drawn from it, and the public page /systems/<ICB code>/structure/."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bodies.models import Body, BodyKind, IntegratedCareSystem
from committees.models import Committee, CommitteeKind
from decisions.selectors import system_structure
from decisions.selectors.structure import Node
from memberships.services import body_abolish, committee_abolish
from tests import demo_data as data
from tests.decisions_factories import DelegationFactory
from tests.factories import BodyFactory, CommitteeFactory, IntegratedCareSystemFactory
from web.diagram import MAX_WIDTH, layout, render_svg

SVG = "{http://www.w3.org/2000/svg}"
AS_OF = datetime.date(2026, 11, 1)


def draw(structure):
    plan = layout(
        structure,
        body_url=lambda body: f"/systems/{structure.ics.code}/#body-{body.pk}",
        committee_url=lambda committee: f"/committees/{committee.pk}/",
    )
    return plan, render_svg(structure, plan)


def links(svg: str) -> set[str]:
    return {a.get("href") for a in ET.fromstring(svg).iter(f"{SVG}a")}


def box_names(structure) -> dict[Node, str]:
    """The name of each box of ``structure``'s diagram, by its node."""
    return (
        {b.node: b.name for b in structure.bodies}
        | {c.node: c.name for b in structure.bodies for c in b.all_committees()}
        | {Node("organisation", pk): name for pk, name in structure.organisations.items()}
    )


def overlapping(boxes):
    return [
        (a.node, b.node)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom
    ]


# --- The selector ---------------------------------------------------------------------


def build_system(places: int):
    """An ICB with a board, three committees and a sub-committee, an ICP, ``places``
    places each with a board and a committee, and a delegation to each place committee."""
    ics = IntegratedCareSystemFactory()
    icb = BodyFactory(ics=ics, kind=BodyKind.ICB, name=f"{ics.name} ICB")
    board = CommitteeFactory(body=icb, kind=CommitteeKind.BOARD, name=icb.name)
    for n in range(3):
        committee = CommitteeFactory(body=icb, parent=board, name=f"Committee {n}")
    CommitteeFactory(body=icb, parent=committee, kind=CommitteeKind.SUB_COMMITTEE)
    CommitteeFactory(body=BodyFactory(ics=ics, kind=BodyKind.ICP), kind=CommitteeKind.BOARD)
    for n in range(places):
        place = BodyFactory(ics=ics, kind=BodyKind.PLACE_PARTNERSHIP, name=f"Place {n}")
        CommitteeFactory(body=place, kind=CommitteeKind.BOARD)
        joint = CommitteeFactory(body=place, kind=CommitteeKind.JOINT_COMMITTEE)
        DelegationFactory(from_body=icb, to_committee=joint)
    return ics


@pytest.mark.django_db
def test_the_structure_is_gathered_in_three_queries_however_many_bodies():
    small, large = build_system(places=1), build_system(places=6)
    counts = []
    for ics in (small, large):
        with CaptureQueriesContext(connection) as queries:
            structure = system_structure(ics=ics, as_of=AS_OF)
            draw(structure)
        counts.append(len(queries))
    assert counts == [3, 3]
    assert len(structure.bodies) == 8
    assert len(structure.delegations) == 6


@pytest.mark.django_db
def test_committees_nest_under_the_board_and_sub_committees_under_their_committee():
    ics = build_system(places=1)
    icb = system_structure(ics=ics, as_of=AS_OF).bodies[0]
    assert icb.kind == BodyKind.ICB
    assert [c.name for c in icb.board.sub_committees] == [
        "Committee 0",
        "Committee 1",
        "Committee 2",
    ]
    assert len(icb.board.sub_committees[2].sub_committees) == 1
    assert icb.committees == ()


@pytest.mark.django_db
def test_bodies_and_committees_show_only_while_in_force():
    """A committee abolished on 31 March 2024 is shown that day and gone the next; a body
    established later is not shown before it."""
    ics = build_system(places=1)
    committee = Committee.objects.get(ics=ics, name="Committee 1")
    committee_abolish(committee=committee, on=datetime.date(2024, 3, 31))
    BodyFactory(
        ics=ics, kind=BodyKind.PROVIDER_COLLABORATIVE, established=datetime.date(2025, 1, 1)
    )

    def names(day):
        structure = system_structure(ics=ics, as_of=day)
        committees = {c.name for b in structure.bodies for c in b.all_committees()}
        return committees, {b.kind for b in structure.bodies}

    committees, kinds = names(datetime.date(2024, 3, 31))
    assert "Committee 1" in committees
    assert BodyKind.PROVIDER_COLLABORATIVE not in kinds
    committees, kinds = names(datetime.date(2025, 1, 1))
    assert "Committee 1" not in committees
    assert BodyKind.PROVIDER_COLLABORATIVE in kinds


@pytest.mark.django_db
def test_an_ended_delegation_is_not_in_the_structure_after_its_last_day():
    ics = build_system(places=1)
    place_committee = Committee.objects.get(ics=ics, kind=CommitteeKind.JOINT_COMMITTEE)
    icb = Body.objects.get(ics=ics, kind=BodyKind.ICB)
    DelegationFactory(from_body=icb, to_committee=place_committee, end=datetime.date(2024, 3, 31))
    assert len(system_structure(ics=ics, as_of=datetime.date(2024, 3, 31)).delegations) == 2
    assert len(system_structure(ics=ics, as_of=datetime.date(2024, 4, 1)).delegations) == 1


# --- The diagram ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_diagram_escapes_names_and_stays_well_formed():
    ics = build_system(places=1)
    icb = Body.objects.get(ics=ics, kind=BodyKind.ICB)
    CommitteeFactory(body=icb, name='Quality <& "Safety"> Committee')
    _, svg = draw(system_structure(ics=ics, as_of=AS_OF))
    root = ET.fromstring(svg)  # raises if not well formed
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "<&" in texts
    assert "<& " not in svg


@pytest.mark.django_db
def test_many_places_wrap_into_rows_within_the_width_without_overlapping():
    ics = build_system(places=12)
    plan, svg = draw(system_structure(ics=ics, as_of=AS_OF))
    assert float(ET.fromstring(svg).get("width")) <= MAX_WIDTH
    assert all(box.x >= 0 and box.right <= MAX_WIDTH for box in plan.boxes)
    assert all(panel.x + panel.w <= MAX_WIDTH for panel in plan.panels)
    assert overlapping(plan.boxes) == []
    assert len({p.y for p in plan.panels}) > 2  # the places wrapped


@pytest.mark.django_db
def test_an_icb_and_its_successor_in_force_on_the_same_day_do_not_overlap():
    """On the day one ICB is abolished and its successor established, both are drawn, one
    below the other."""
    ics = build_system(places=1)
    day = datetime.date(2026, 4, 1)
    body_abolish(body=Body.objects.get(ics=ics, kind=BodyKind.ICB), on=day)
    successor = BodyFactory(ics=ics, kind=BodyKind.ICB, name="Successor ICB", established=day)
    CommitteeFactory(body=successor, kind=CommitteeKind.BOARD)
    plan, _ = draw(system_structure(ics=ics, as_of=day))
    assert len(plan.panels) == 4  # both ICBs, the ICP and the place
    assert overlapping(plan.boxes) == []


# --- With the demo loaded -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("loaded")
class TestDemoSystems:
    @pytest.mark.parametrize("code", [data.SOMERSET, data.BSW, data.DORSET, data.HIOW])
    def test_every_body_and_committee_has_its_link_and_nothing_overlaps(self, code):
        ics = IntegratedCareSystem.objects.get(code=code)
        structure = system_structure(ics=ics, as_of=AS_OF)
        plan, svg = draw(structure)
        hrefs = links(svg)
        for committee in Committee.objects.filter(ics=ics, abolished__isnull=True):
            assert f"/committees/{committee.pk}/" in hrefs, committee.name
        for body in Body.objects.filter(ics=ics, abolished__isnull=True):
            assert f"/systems/{code}/#body-{body.pk}" in hrefs, body.name
        assert overlapping(plan.boxes) == []
        assert plan.width <= MAX_WIDTH

    def test_somerset_delegations_are_drawn_from_nhs_england_to_the_icb_and_on(self):
        ics = IntegratedCareSystem.objects.get(code=data.SOMERSET)
        structure = system_structure(ics=ics, as_of=AS_OF)
        plan, _ = draw(structure)
        name = box_names(structure)
        drawn = {(name[s.node], name[t.node]) for _, _, s, t in plan.arrows}
        assert drawn == {
            ("NHS England", data.SOMERSET_ICB),
            (data.SOMERSET_ICB, data.PRIMARY_CARE_COMMITTEE),
        }

    def test_the_page_is_public_and_lists_the_structure_as_text(self, client):
        response = client.get(f"/systems/{data.SOMERSET}/structure/?as_of=2026-11-01")
        assert response.status_code == 200
        page = response.content.decode()
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
        assert "Governance structure of Somerset integrated care system on 1 November 2026" in page
        assert page.count(data.PRIMARY_CARE_COMMITTEE.replace("&", "&amp;")) >= 3
        assert "Delegations in force" in page

    def test_an_abolished_committee_leaves_the_page_after_its_last_day(self, client):
        people = Committee.objects.get(name="Somerset People Board")
        committee_abolish(committee=people, on=datetime.date(2026, 11, 30))
        url = f"/systems/{data.SOMERSET}/structure/"
        assert "Somerset People Board" in client.get(url, {"as_of": "2026-11-30"}).content.decode()
        assert (
            "Somerset People Board" not in client.get(url, {"as_of": "2026-12-01"}).content.decode()
        )


@pytest.mark.django_db
def test_an_unknown_system_is_not_found(client):
    assert client.get("/systems/XXX/structure/").status_code == 404


@pytest.mark.django_db
def test_a_malformed_date_is_explained_not_a_server_error(client):
    ics = IntegratedCareSystemFactory()
    response = client.get(f"/systems/{ics.code}/structure/", {"as_of": "31/02/2024"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter a real date" in page

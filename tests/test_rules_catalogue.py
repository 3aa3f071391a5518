"""The rules catalogue (core/rules_catalogue.yaml) and its pages, /rules/ and /rules/<code>/.

The catalogue and the code cannot drift: every rule code the code cites (in a message, a
help text, a built-in rule set, a check) is in the catalogue, and every rule in the
catalogue is cited by the code, unless it says why the registry does not check it.
"""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import Constitution, Requirement
from core.rules_catalogue import (
    CATALOGUE_FILE,
    CHECKS,
    CatalogueError,
    catalogue,
    cited_codes,
    parse,
)
from web.views import rules as rule_pages  # noqa: F401  (every check has declared its rules)

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = [
    "ics_registry",
    "web",
    "publishing",
    "demo",
    "reorganisations",
    "reminders",
    "documents",
    "appointments",
    "decisions",
    "memberships",
    "committees",
    "bodies",
    "core",
    "templates",
]
SUFFIXES = {".py", ".html", ".txt", ".yaml", ".yml", ".json", ".md"}


def product_files():
    for top in PRODUCT:
        for path in sorted((ROOT / top).rglob("*")):
            if (
                path.suffix in SUFFIXES
                and path != CATALOGUE_FILE
                and "__pycache__" not in path.parts
            ):
                yield path


def citations() -> dict[str, set[str]]:
    """Each rule code the product cites, with the files that cite it."""
    cited: dict[str, set[str]] = {}
    for path in product_files():
        for code in cited_codes(path.read_text(encoding="utf-8")):
            cited.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    for check in CHECKS:
        for code in check.rules:
            cited.setdefault(code, set()).add(check.function)
    return cited


# -- the catalogue and the code agree --------------------------------------------------------


def test_every_rule_the_code_cites_is_in_the_catalogue():
    missing = {
        code: sorted(files) for code, files in citations().items() if code not in catalogue()
    }
    assert not missing, f"Cited but not in core/rules_catalogue.yaml: {missing}"


def test_every_rule_in_the_catalogue_is_cited_by_the_code_or_says_why_not():
    cited = citations()
    uncited = [r.code for r in catalogue() if r.code not in cited and not r.not_checked]
    assert not uncited, f"In the catalogue, cited nowhere and not marked not_checked: {uncited}"
    checked_after_all = {
        r.code: sorted(cited[r.code]) for r in catalogue() if r.not_checked and r.code in cited
    }
    assert not checked_after_all, f"Marked not_checked, yet cited: {checked_after_all}"


@pytest.mark.django_db
def test_every_requirement_of_the_built_in_rule_sets_cites_a_rule_of_the_catalogue():
    rules = set(
        Requirement.objects.filter(constitution__is_builtin=True).values_list("rule", flat=True)
    )
    assert rules
    assert rules <= set(catalogue().by_code)


def test_each_check_declares_what_it_checks_in_words_and_cites_known_rules():
    assert len(CHECKS) >= 15
    for check in CHECKS:
        assert check.what[0].isupper() and check.rules
        assert set(check.rules) <= set(catalogue().by_code), check


def test_user_facing_text_never_points_to_the_developers_notes():
    """Officers cannot read domain.md: messages, help texts and data cite rule codes."""
    pointing = [str(p.relative_to(ROOT)) for p in product_files() if "domain.md" in p.read_text()]
    assert not pointing


def test_every_rule_is_explained_with_its_source():
    rules = list(catalogue())
    assert [r.code for r in rules] == [f"R{n}" for n in range(1, 35)]
    for rule in rules:
        assert rule.title and rule.explanation and rule.met and rule.source.citation
        assert not rule.source.url or rule.source.url.startswith("https://")
    assert catalogue().get("R20").source.url == (
        "https://www.legislation.gov.uk/ukpga/2006/41/schedule/1B"
    )


def test_a_citation_of_a_range_cites_every_rule_in_it():
    assert cited_codes("Quorum (R25-R27) and R29; not PR25 nor R250") == [
        "R25",
        "R26",
        "R27",
        "R29",
    ]


ENTRY = """
areas: [{code: board, title: Board}]
rules:
  - {code: R1, area: board, title: T, explanation: E, met: M, source: {citation: C}}
"""


def test_the_catalogue_refuses_a_rule_declared_twice():
    twice = (
        ENTRY
        + "  - {code: R1, area: board, title: T, explanation: E, met: M, source: {citation: C}}\n"
    )
    with pytest.raises(CatalogueError, match="declared twice: R1"):
        parse(twice)


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ("code: R1,", "code: X1,"),
        ("source: {citation: C}", "source: {citation: ''}"),
        ("area: board", "area: nowhere"),
        ("met: M, ", ""),
        ("source: {citation: C}", "source: {citation: C, url: 'http://example.org'}"),
    ],
)
def test_the_catalogue_refuses_an_entry_that_is_not_complete(change, complaint):
    assert parse(ENTRY).get("R1")
    with pytest.raises(CatalogueError):
        parse(ENTRY.replace(change, complaint))


# -- the pages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rules_page_lists_every_rule_by_area_with_a_link_signed_out(client):
    response = client.get("/rules/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "ICB board membership" in page and "Meetings, quorum and votes" in page
    for rule in catalogue():
        assert f'href="/rules/{rule.code}/"' in page
        assert rule.title in page.replace("&#x27;", "'")


@pytest.mark.django_db
def test_rule_page_explains_the_rule_with_its_source_and_checks_signed_out(client):
    response = client.get(reverse("web:rule", args=["R20"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "By law, an ICB has a chair, a chief executive and at least three ordinary members" in page
    )
    assert "National Health Service Act 2006, Schedule 1B" in page
    assert 'href="https://www.legislation.gov.uk/ukpga/2006/41/schedule/1B"' in page
    # The requirements of the built-in rule sets that cite it, and the checks that use it.
    assert "ICB board: membership required by statute" in page
    assert "Local authority partner member" in page
    assert "Enough (and not too many) filled seats" in page


@pytest.mark.django_db
def test_rule_page_shows_what_the_database_refuses(client):
    page = client.get("/rules/R22/").content.decode()
    assert "a seat has at most one holder on any day" in page
    assert 'href="/rules/R22/"' in page


@pytest.mark.django_db
def test_rule_page_of_an_unchecked_rule_says_why(client):
    page = client.get("/rules/R17/").content.decode()
    assert "does not hold financial agreements" in page


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["R99", "R0", "X1", "r20"])
def test_unknown_rule_is_404(client, code):
    assert client.get(f"/rules/{code}/").status_code == 404


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_rule_pages_make_the_same_queries_however_many_requirements_cite_the_rule(client):
    """The list reads no table (the request's audit context aside); a rule's page reads one,
    the requirements of the built-in rule sets that cite it, however many there are."""
    listing = queries(client, "/rules/")
    assert queries(client, "/rules/R3/") == listing + 1
    before = queries(client, "/rules/R2/")
    statute = Constitution.objects.get(code="icb-statutory-membership", version=1)
    for number in range(5):
        Requirement.objects.create(
            constitution=statute, code=f"extra-{number}", rule="R2", description="extra"
        )
    assert queries(client, "/rules/R2/") == before == listing + 1
    assert client.get("/rules/R2/").content.decode().count("Extra") == 5


# -- the rule_link filter ---------------------------------------------------------------------


def render(template: str, **context) -> str:
    return Template("{% load rules %}" + template).render(Context(context))


def test_rule_link_links_a_rule_code_to_its_page():
    html = render('{{ "R19"|rule_link }}')
    assert html == (
        '<a href="/rules/R19/" title="Membership matches the body&#x27;s own constitution">R19</a>'
    )


def test_rule_link_links_every_code_in_a_message_and_escapes_the_rest():
    message = "No <b>chair</b> since 3 March 2024 (R20); see R25-R27 & R99."
    html = render("{{ message|rule_link }}", message=message)
    assert html.startswith("No &lt;b&gt;chair&lt;/b&gt; since 3 March 2024 (")
    assert re.findall(r'href="(/rules/R\d+/)"', html) == [
        "/rules/R20/",
        "/rules/R25/",
        "/rules/R27/",
    ]
    assert " &amp; R99." in html  # an unknown code stays plain text


def test_rule_link_does_not_escape_text_already_marked_safe_again():
    from django.utils.safestring import mark_safe

    html = render("{{ message|rule_link }}", message=mark_safe("<em>Quorate</em> (R25)"))
    assert html.startswith('<em>Quorate</em> (<a href="/rules/R25/"')


def test_rule_link_of_nothing_is_empty():
    assert render("{{ missing|rule_link }}") == ""

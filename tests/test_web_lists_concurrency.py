"""The list pages' shared parts (web.lists) and the stale-edit guard (web.concurrency)."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from committees.models import Seat
from tests.factories import SeatFactory
from web.concurrency import STALE, VersionedForm, version_of
from web.lists import Column

pytestmark = pytest.mark.django_db


class TitleForm(VersionedForm):
    title = forms.CharField()


def test_an_edit_from_a_page_opened_before_another_change_is_refused():
    seat = SeatFactory(title="Partner member")
    opened = TitleForm(versioned=seat).fields["version"].initial
    Seat.objects.filter(pk=seat.pk).update(title="Partner member (council)")

    form = TitleForm({"title": "Mine", "version": opened}, versioned=seat)
    assert form.is_valid()
    with (
        pytest.raises(ValidationError, match="Someone else changed this record"),
        transaction.atomic(),
    ):
        form.check_version()
    assert STALE.startswith("Someone else")


def test_an_edit_from_a_current_page_passes_the_check():
    seat = SeatFactory()
    form = TitleForm({"title": "Mine", "version": version_of(seat)}, versioned=seat)
    assert form.is_valid()
    with transaction.atomic():
        form.check_version()


def test_columns_read_paths_functions_dates_and_booleans():
    seat = SeatFactory(title="Chair", voting=True)
    assert Column("Title", "title").of(seat) == "Chair"
    assert Column("Committee", "committee.name").of(seat) == seat.committee.name
    assert Column("Voting", "voting").of(seat) == "Yes"
    assert Column("Day", lambda s: datetime.date(2026, 4, 1)).of(seat) == "1 April 2026"
    assert Column("Missing", "no_such.thing").of(seat) == ""


def test_a_web_form_draws_itself_with_its_error_summary_and_nhs_fields():
    from web.forms import Form, UKDateField

    class EndForm(Form):
        end = UKDateField(label="Last day")
        reason = forms.CharField(label="Why it ends")

    form = EndForm({"end_day": "31", "end_month": "2", "end_year": "2026"})
    assert not form.is_valid()
    html = str(form)
    assert "nhsuk-error-summary" in html
    assert "nhsuk-date-input" in html and "nhsuk-form-group--error" in html
    assert "Enter a real date" in html and 'href="#' in html


WITH_WARNINGS = "Compliant, with warnings"


@pytest.mark.parametrize(
    "report,tag",
    [
        ({"statutory_breaches": [1], "compliant": False, "warnings": []}, "Statutory breach"),
        ({"statutory_breaches": [], "compliant": False, "warnings": []}, "Not compliant"),
        ({"statutory_breaches": [], "compliant": True, "warnings": [1]}, WITH_WARNINGS),
        ({"statutory_breaches": [], "compliant": True, "warnings": []}, "Compliant"),
    ],
)
def test_a_report_is_green_only_when_every_requirement_is_met(report, tag):
    from django.template.loader import render_to_string

    html = render_to_string("web/components/report_tag.html", {"report": report})
    assert f">{tag}<" in html.replace("\n", "")
    assert ("nhsuk-tag--green" in html) is (tag == "Compliant")

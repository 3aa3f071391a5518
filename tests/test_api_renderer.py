"""The API renders JSON with orjson (core.api.renderers) and answers exactly the bytes DRF's
own JSONRenderer gave: the values of every type an answer may hold, and the real answers
of the lists and records."""

import datetime
import decimal
import uuid
import zoneinfo

import pytest
from django.db import models
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.test import APIClient
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from core.api.renderers import JSONRenderer
from tests.api_support import API, api_rates, governance_unit, make_officer, session_client  # noqa: F401
from tests.factories import IntegratedCareSystemFactory
from tests.test_api_queries import list_urls, officer_list_urls

LONDON = zoneinfo.ZoneInfo("Europe/London")


class Colour(models.TextChoices):
    RED = "red", gettext_lazy("Red")


class Size(models.IntegerChoices):
    SMALL = 1, "Small"


def tricky_values():
    return ReturnDict(
        {
            "utc": datetime.datetime(2026, 11, 30, 22, 5, tzinfo=datetime.UTC),
            "london_winter": datetime.datetime(2026, 1, 5, 9, 0, tzinfo=LONDON),
            "london_summer": datetime.datetime(2026, 7, 5, 9, 0, 1, 250, tzinfo=LONDON),
            "naive": datetime.datetime(2026, 7, 5, 9, 0, 0, 123456),
            "date": datetime.date(2022, 7, 1),
            "time": datetime.time(9, 30),
            "decimal": decimal.Decimal("12.50"),
            "lazy": gettext_lazy("Integrated care board"),
            "choice": Colour.RED,
            "choice_label": Colour.RED.label,
            "integer_choice": Size.SMALL,
            "separators": "line\u2028paragraph\u2029end",
            "welsh": "Bwrdd Iechyd Prifysgol Betsi Cadwaladr – Dŵr 💧",
            "quotes": 'a "quoted" \\ back\nslash\t',
            "ids": {1: "one", 2: "two"},
            "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "duration": datetime.timedelta(days=1, seconds=5),
            "tuple": (1, 2, 3),
            "generator": (n * n for n in range(3)),
            "nested": ReturnList(
                [{"none": None, "yes": True, "no": False, "big": 2**62}], serializer=None
            ),
            "empty": {},
        },
        serializer=None,
    )


def test_the_renderer_writes_every_kind_of_value_as_drf_did():
    ours = JSONRenderer().render(tricky_values(), "application/json")
    drf = DRFJSONRenderer().render(tricky_values(), "application/json")
    assert ours == drf
    assert b"2026-11-30T22:05:00Z" in ours
    assert b"\\u2028" in ours


def test_an_indented_answer_is_indented_as_drf_did():
    media_type = "application/json; indent=4"
    ours = JSONRenderer().render(tricky_values(), media_type)
    assert ours == DRFJSONRenderer().render(tricky_values(), media_type)
    assert b'\n    "utc"' in ours


def test_no_data_is_an_empty_body():
    assert JSONRenderer().render(None) == b""


def answers(client, urls):
    for url in urls:
        response = client.get(API + url)
        yield url, response


@pytest.mark.django_db
def test_every_list_and_record_answers_the_bytes_drf_would_have_sent():
    unit = governance_unit(IntegratedCareSystemFactory())
    anonymous = APIClient()
    officer = session_client(make_officer(unit.ics, username="officer_a"))
    records = [
        f"/memberships/{unit.membership.pk}/",
        f"/seats/{unit.seat.pk}/",
        f"/bodies/{unit.body.pk}/",
        f"/committees/{unit.board.pk}/",
        f"/systems/{unit.ics.code}/",
        f"/people/{unit.person.pk}/",
        "/memberships/?ordering=nonsense&as_of=2023-02-30",
        "/bodies/999999999/",
    ]
    checked = 0
    for client, urls in (
        (anonymous, list_urls(unit) + records),
        (officer, officer_list_urls(unit) + records),
    ):
        for url, response in answers(client, urls):
            assert isinstance(response.accepted_renderer, JSONRenderer), url
            if response.status_code == 200:
                checked += 1
            assert response.content == DRFJSONRenderer().render(
                response.data, response.accepted_media_type
            ), url
    assert checked > 40

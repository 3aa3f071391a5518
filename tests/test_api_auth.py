"""API tokens: issued per organisation, shown once, stored hashed, revocable, expiring;
and rate limits per token and per anonymous client."""

import datetime
import hashlib

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import ApiToken, ApiTokenEvent
from core.services import api_token_create, api_token_revoke
from tests.api_support import API, api_rates, governance_unit, make_officer, rates, token_client  # noqa: F401
from tests.factories import IntegratedCareSystemFactory, OrganisationFactory

INVALID = "Invalid, revoked or expired API token."


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


def test_a_token_is_stored_only_as_a_hash_of_its_key(organisation):
    token, key = api_token_create(organisation=organisation, name="Board pages")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(f"icsr_{stored.prefix}_")
    assert key not in {str(v) for v in ApiToken.objects.values().get().values()}
    assert key not in str(list(ApiTokenEvent.objects.values()))


def test_each_token_has_its_own_key(organisation):
    keys = {api_token_create(organisation=organisation, name=f"T{n}")[1] for n in range(5)}
    assert len(keys) == 5


@pytest.mark.parametrize("keyword", ["Token", "Bearer", "token"])
def test_a_partner_reads_with_its_token(organisation, keyword):
    _, key = api_token_create(organisation=organisation, name="Board pages")
    assert token_client(key, keyword).get(f"{API}/regions/").status_code == 200


def test_a_revoked_token_gets_401(organisation):
    token, key = api_token_create(organisation=organisation, name="Board pages")
    api_token_revoke(token=token)
    response = token_client(key).get(f"{API}/regions/")
    assert response.status_code == 401
    assert response.json()["detail"] == INVALID
    assert response["WWW-Authenticate"] == 'Token realm="api"'


def test_a_token_cannot_be_revoked_twice(organisation):
    token, _ = api_token_create(organisation=organisation, name="Board pages")
    api_token_revoke(token=token)
    with pytest.raises(ValidationError):
        api_token_revoke(token=token)


def test_an_expired_token_gets_401_and_one_not_yet_expired_works(organisation):
    soon = timezone.now() + datetime.timedelta(minutes=5)
    token, key = api_token_create(organisation=organisation, name="Pilot", expires=soon)
    assert token_client(key).get(f"{API}/regions/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(
        created=timezone.now() - datetime.timedelta(days=2),
        expires=timezone.now() - datetime.timedelta(seconds=1),
    )
    assert token_client(key).get(f"{API}/regions/").status_code == 401


def test_a_token_cannot_expire_before_it_is_created(organisation):
    with pytest.raises(ValidationError):
        api_token_create(
            organisation=organisation,
            name="Backdated",
            expires=timezone.now() - datetime.timedelta(days=1),
        )


@pytest.mark.parametrize(
    "header",
    [
        "Token",
        "Token a b",
        "Token not-a-key",
        "Token icsr_deadbeef_wrong",
        "Bearer icsr__x",
        "Token icsr_\u00e9",
    ],
)
def test_a_malformed_or_unknown_token_gets_401(organisation, client, header):
    api_token_create(organisation=organisation, name="Board pages")
    response = client.get(f"{API}/regions/", HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    assert response.status_code == 401
    assert set(response.json()) == {"status", "code", "detail", "errors"}


def test_a_guessed_key_with_a_real_prefix_gets_401(organisation):
    token, key = api_token_create(organisation=organisation, name="Board pages")
    forged = f"icsr_{token.prefix}_{'A' * 43}"
    assert forged != key
    assert token_client(forged).get(f"{API}/regions/").status_code == 401


def test_an_officer_token_writes_with_the_officers_rights_and_is_audited(db):
    unit = governance_unit(IntegratedCareSystemFactory())
    officer = make_officer(unit.ics, username="officer_a")
    token, key = api_token_create(organisation=unit.ics.icb, name="Script", user=officer)
    response = token_client(key).patch(
        f"{API}/seats/{unit.seat.pk}/", {"title": "Chair of the ICB"}, HTTP_IF_MATCH="*"
    )
    assert response.status_code == 200
    event = unit.seat.events.filter(pgh_label="update").get()
    assert event.pgh_context.metadata["user"] == officer.pk
    assert event.pgh_context.metadata["api_token"] == token.prefix


def test_an_officer_token_of_an_inactive_officer_gets_401(db):
    officer = make_officer(username="gone")
    _, key = api_token_create(organisation=OrganisationFactory(), name="Script", user=officer)
    officer.is_active = False
    officer.save()
    assert token_client(key).get(f"{API}/regions/").status_code == 401


# -- the admin ----------------------------------------------------------------------------


def test_the_admin_shows_a_new_key_once_and_revokes_tokens(officer, client, organisation):
    client.force_login(officer)
    response = client.post(
        reverse("admin:core_apitoken_add"),
        {"organisation": organisation.pk, "name": "Trust intranet", "user": "", "expires_0": ""},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="Trust intranet")
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    key = next(word for m in shown for word in m.split() if word.startswith("icsr_"))
    assert token_client(key).get(f"{API}/regions/").status_code == 200
    assert token.created_by == officer

    changelist = client.get(reverse("admin:core_apitoken_changelist"))
    assert key not in changelist.content.decode()
    client.post(
        reverse("admin:core_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.is_revoked
    assert token_client(key).get(f"{API}/regions/").status_code == 401


# -- throttling ---------------------------------------------------------------------------


def test_an_anonymous_client_over_its_rate_gets_429_with_retry_after(db, settings, client):
    rates(settings, anon="3/minute")
    statuses = [client.get(f"{API}/regions/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(f"{API}/regions/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "throttled"


def test_each_token_has_its_own_rate(organisation, settings):
    rates(settings, token="2/minute", anon="100/minute")
    _, first = api_token_create(organisation=organisation, name="First")
    _, second = api_token_create(organisation=organisation, name="Second")
    first_client, second_client = token_client(first), token_client(second)
    assert [first_client.get(f"{API}/regions/").status_code for _ in range(3)] == [200, 200, 429]
    assert second_client.get(f"{API}/regions/").status_code == 200

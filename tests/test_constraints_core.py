"""The named constraints of ``core``, proved in the database and explained to an officer.

The mechanism is ``tests/constraint_proofs.py``; ``tests/test_constraints.py`` checks that
every constraint of every app is proved and explained.
"""

import datetime

import pytest
from django.utils import timezone

from core.models import ApiToken
from core.services import api_token_create
from tests.constraint_proofs import explains, proves, refused_by, refused_with_message_of
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

A_DAY = datetime.timedelta(days=1)


@proves("core_apitoken_expires_after_created")
def test_database_refuses_an_api_token_expiring_before_it_was_created():
    token, _ = api_token_create(organisation=OrganisationFactory(), name="Trust intranet")
    with refused_by("core_apitoken_expires_after_created"):
        ApiToken.objects.filter(pk=token.pk).update(expires=token.created - A_DAY)


def test_an_api_token_may_never_expire():
    token, _ = api_token_create(organisation=OrganisationFactory(), name="Trust intranet")
    assert token.expires is None


@explains("core_apitoken_expires_after_created")
def test_an_api_token_expiring_in_the_past_is_refused_with_a_clear_message():
    with refused_with_message_of("core_apitoken_expires_after_created"):
        api_token_create(
            organisation=OrganisationFactory(),
            name="Trust intranet",
            expires=timezone.now() - A_DAY,
        )
    assert not ApiToken.objects.exists()

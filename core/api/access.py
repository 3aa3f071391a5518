"""Who is asking: an anonymous client, a partner organisation's token, or an officer.

The answer is worked out once per request and drives both what a client may read
(querysets are filtered by it, so what cannot be read is not found: 404) and what it
may change (writes are checked against the integrated care systems it administers).

The rules (fail closed: anything not granted here is refused):

- Anyone, signed in or not, reads the public registry: regions, organisations,
  systems, bodies, committees, seats and who holds and held them, constitutions,
  standing orders, public (Part A) decisions and the published register of interests.
  People are public once they hold or held a seat or attended a meeting, and so are
  the register entries of people with a seat; work e-mail addresses and the private
  notes on register entries never are.
- A partner token (issued to an organisation, with no officer behind it) reads the
  public registry and, in addition, the private (Part B) decisions that concern its
  organisation (``Decision.concerned_organisations``). It never writes.
- An officer is an active staff user who holds ``settings.REGISTRY_OFFICER_PERMISSION``
  (``bodies.change_integratedcaresystem``)
  on one or more systems through django-guardian (the "Officers: <ICS>" groups), or a
  superuser (every system). An officer also reads every person, and the private
  decisions, work e-mail addresses and register notes of the systems they administer;
  and writes, with the model permission for the change (add, change, delete), only
  inside those systems. An officer's API token carries the officer's rights.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from guardian.shortcuts import get_objects_for_user

from core.models import ApiToken


@dataclass(frozen=True)
class Access:
    user: object
    token: ApiToken | None = None
    superuser: bool = False
    administered: frozenset[int] = frozenset()

    @property
    def is_officer(self) -> bool:
        return self.superuser or bool(self.administered)

    @property
    def partner_organisation_id(self) -> int | None:
        """The organisation of a partner token (one acting for no officer)."""
        if self.token is not None and self.token.user_id is None:
            return self.token.organisation_id
        return None

    def administers(self, ics_id: int | None) -> bool:
        if self.superuser:
            return True
        return ics_id is not None and ics_id in self.administered

    def administers_any(self, ics_ids, *, officer_if_none: bool = False) -> bool:
        """Whether the caller administers one of the systems a person sits in.

        A person with no seat yet (just recorded, about to be appointed) belongs to no
        system: any officer may complete their record when ``officer_if_none``, and
        otherwise only a superuser sees what is private to a system.
        """
        systems = set(ics_ids)
        if not systems:
            return self.is_officer if officer_if_none else self.superuser
        return any(self.administers(ics_id) for ics_id in systems)

    def administers_all(self, ics_ids) -> bool:
        """Whether the caller administers every one of some systems (a reorganisation plan's:
        none is no one's but a superuser's)."""
        systems = set(ics_ids)
        if self.superuser:
            return True
        return bool(systems) and all(self.administers(ics_id) for ics_id in systems)

    def may(self, permission: str) -> bool:
        """A model-level permission (e.g. ``memberships.add_membership``), officers only."""
        return self.is_officer and self.user.has_perm(permission)


ANONYMOUS = Access(user=AnonymousUser())


def administered_systems(user) -> frozenset[int]:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return frozenset()
    # The permission names its model (the system), so core needs no import of it.
    systems = get_objects_for_user(
        user,
        settings.REGISTRY_OFFICER_PERMISSION,
        accept_global_perms=False,
        with_superuser=False,
    )
    return frozenset(systems.values_list("pk", flat=True))


def access_of(request) -> Access:
    """The :class:`Access` of a request, computed once and kept on the request.

    A DRF request may carry an API token (``request.auth``); a web page's request has none.
    """
    cached = getattr(request, "_registry_access", None)
    if cached is not None:
        return cached
    user = request.user
    auth = getattr(request, "auth", None)
    token = auth if isinstance(auth, ApiToken) else None
    if user is None or not user.is_authenticated:
        access = Access(user=AnonymousUser(), token=token)
    elif user.is_superuser and user.is_active:
        access = Access(user=user, token=token, superuser=True)
    else:
        access = Access(user=user, token=token, administered=administered_systems(user))
    request._registry_access = access
    return access

"""What an Open311 client may do: file appeals into the areas of its key, as its own service account.

The service account holds no role, so on any page or API of Linli it sees nothing. While the client's request is
being filed, its ``Scope`` is ``ClientScope``: the key's areas and everything under them, with the account's
Person as the person acting, so ``appeals.services.appeal_submit`` — the one intake of every channel — applies
its own checks (the place must lie in the scope) to the client as to anybody else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from access.scope import Scope, any_of
from areas.models import Area
from open311.models import ApiKey


@dataclass
class ClientScope(Scope):
    paths: tuple[str, ...] = field(default_factory=tuple)

    def areas(self) -> QuerySet[Area]:
        return Area.objects.filter(any_of([Q(path__startswith=p) for p in self.paths]))

    def covers(self, area: Area) -> bool:
        return any(area.path.startswith(p) for p in self.paths)


def client_scope(key: ApiKey) -> ClientScope:
    scope = ClientScope(user=key.service_user, paths=tuple(a.path for a in key.areas.all()))
    scope.__dict__["person"] = key.service_user.person  # the cached_property Scope.person, set once
    return scope


def acting_client(key: ApiKey):
    """The key's service account, whose ``Scope.of`` is the key's ``ClientScope`` (``Scope.of`` caches on the user
    object, so this object — and only this one — carries it)."""
    user = key.service_user
    user._linli_scope = client_scope(key)  # type: ignore[attr-defined]
    return user


def may_manage_keys(scope: Scope) -> bool:
    """Issuing and revoking keys is the administrator's (a key files appeals into whole districts)."""
    return scope.is_admin

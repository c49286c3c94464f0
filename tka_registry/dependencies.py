"""Values handlers receive: the settings, the instant, the Jakarta day and the caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotAuthorizedException

from tka_registry.accounts.roles import Actor
from tka_registry.rules.calendar import jakarta_today
from tka_registry.settings import Settings


def provide_settings(state: State) -> Settings:
    return state.settings


def provide_now(state: State) -> datetime:
    return state.clock()


def provide_today(now: NamedDependency[datetime]) -> date:
    return jakarta_today(now)


def provide_actor(request: Request[Any, Any, Any]) -> Actor:
    actor = request.scope.get("user")
    if actor is None:
        raise NotAuthorizedException("sign in first")
    return actor


@dataclass(frozen=True)
class Call:
    """Who calls and when, for a handler that hands all of it to a service: the account, the
    settings, the instant and the Jakarta day of one request."""

    actor: Actor
    settings: Settings
    now: datetime
    today: date


def provide_call(request: Request[Any, Any, Any]) -> Call:
    """All four from the request itself, not from the named dependencies above: Litestar
    resolves a handler's independent dependencies in an anyio task group (a task each: 5 % of
    the worker list's CPU under py-spy), and one dependency with none of its own is simply
    awaited."""
    state = request.app.state
    now = state.clock()
    return Call(
        actor=provide_actor(request), settings=state.settings, now=now, today=jakarta_today(now)
    )


# Handler parameter types: explicit named dependencies (Litestar 2.23+ deprecates inferred ones).
SettingsDep = NamedDependency[Settings]
Now = NamedDependency[datetime]
Today = NamedDependency[date]
CurrentActor = NamedDependency[Actor]
CallDep = NamedDependency[Call]

DEPENDENCIES = {
    "settings": Provide(provide_settings, sync_to_thread=False),
    "now": Provide(provide_now, sync_to_thread=False),
    "today": Provide(provide_today, sync_to_thread=False),
    "actor": Provide(provide_actor, sync_to_thread=False),
    "call": Provide(provide_call, sync_to_thread=False),
}

"""What the permits area tells the areas above it, without importing them.

Lower areas do not reach up (style.md): documents renders a permit's paper when one is issued,
and Second Home refuses to revoke a principal's permit on its own, by connecting here (see
``tka_registry.listeners.connect_areas``), not by permits importing them.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import datetime

from tka_registry.accounts.roles import Actor
from tka_registry.db import after_commit
from tka_registry.errors import FieldProblem
from tka_registry.settings import Settings

# Called with (permit id, settings=, now=, actor=) once the issue has committed.
IssuedListener = Callable[..., Awaitable[None]]
# Answers why a permit may not be revoked on its own (the field and its reason), or None.
RevocationCheck = Callable[[int], Awaitable[FieldProblem | None]]

_issued: list[IssuedListener] = []
_revocation_checks: list[RevocationCheck] = []


def on_permit_issued(listener: IssuedListener) -> None:
    """Run ``listener`` after every permit issue commits (once, however often connected)."""
    if listener not in _issued:
        _issued.append(listener)


def on_revocation(check: RevocationCheck) -> None:
    """Ask ``check`` before a permit is revoked on its own (once, however often connected)."""
    if check not in _revocation_checks:
        _revocation_checks.append(check)


async def permit_issued(permit_id: int, *, settings: Settings, now: datetime, actor: Actor) -> None:
    """Tell the listeners, after the surrounding transaction commits (never inside it: a render
    must not hold the write lock, and must not happen for an issue that rolls back)."""
    for listener in _issued:
        await after_commit(
            functools.partial(listener, permit_id, settings=settings, now=now, actor=actor)
        )


async def revocation_refusal(permit_id: int) -> FieldProblem | None:
    """The first reason a listener gives for refusing to revoke ``permit_id`` alone, or None."""
    for check in _revocation_checks:
        reason = await check(permit_id)
        if reason is not None:
            return reason
    return None

"""``serve`` sends the outbox every minute in the background (claims keep processes apart)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from datetime import datetime
from typing import Any

from tka_registry.notifications.delivery import deliver_due
from tka_registry.settings import Settings

log = logging.getLogger("tka_registry.notifications")
EVERY_SECONDS = 60


async def _loop(settings: Settings, clock: Callable[[], datetime]) -> None:
    while True:
        try:
            report = await deliver_due(settings, clock())
            if report.sent or report.failed:
                log.info("notifications: %s sent, %s failed", report.sent, report.failed)
        except Exception:  # a bad run must not end the loop; the rows stay queued
            log.exception("notifications: delivery run failed")
        await asyncio.sleep(EVERY_SECONDS)


def outbox_sender(
    settings: Settings, clock: Callable[[], datetime]
) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """The app lifespan hook that sends the outbox while the app serves."""

    @asynccontextmanager
    async def sender(app: Any) -> AsyncIterator[None]:
        task = asyncio.create_task(_loop(settings, clock), name="notification-outbox")
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    return sender

"""The server's read sealer: moves recorded reads into the audit chain every second.

Changes seal waiting reads themselves (``audit.service.record``); this covers the reads of a
quiet period, so a read is under the chain within about a second even when nothing changes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from tka_registry.audit.service import any_pending_read, seal_reads

SEAL_EVERY_SECONDS = 1.0
log = logging.getLogger("tka_registry")


async def seal_forever(every: float = SEAL_EVERY_SECONDS) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            while await any_pending_read() and await seal_reads():
                pass
        except Exception:  # the database is away: the reads wait, durable, for the next turn
            log.exception("sealing recorded reads into the audit chain failed; retrying")


@asynccontextmanager
async def read_sealer(app: Any) -> AsyncIterator[None]:
    """App lifespan hook: the sealer runs while the app serves (after the database opens)."""
    task = asyncio.create_task(seal_forever(), name="audit-read-sealer")
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        with suppress(Exception):  # what is left is sealed at the next start or change
            await seal_reads()
